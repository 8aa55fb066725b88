"""The ``gocodemod`` command line: parses options and calls the modules that act.

``run`` applies recipes (dry run by default; ``--write``, ``--check``,
``--commit`` or ``--interactive``), ``list`` shows the recipes, ``test``
runs their golden cases. Exit codes: 0 ok, 1 changes found in check mode
(or failing recipe tests), 2 usage or recipe error, 3 some files failed.
User mistakes print one line per problem, never a traceback.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import click

from codemod import __version__
from codemod.errors import EXIT_CHANGES, EXIT_INTERRUPTED, EXIT_OK, GocodemodError

LAZY_COMMANDS = {
    "bot": ("codemod.cli.bot", "bot_command")
}  # imported only when used (the bot pulls in httpx, GitPython)


class _Commands(click.Group):
    """Ctrl-C ends any command with one line and exit 130 (click would print 'Aborted!' and exit 1).

    Commands in :data:`LAZY_COMMANDS` are imported when named (or listed by ``--help``).
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS and name not in self.commands:
            module, attribute = LAZY_COMMANDS[name]
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("gocodemod: interrupted", err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None


def execute(*args: object, **kwargs: object) -> int:
    """:func:`codemod.apply.session.execute`, imported only when a run starts (after the gofmt search has begun)."""
    from codemod.apply.session import execute as execute_run

    return execute_run(*args, **kwargs)  # type: ignore[arg-type]


def _fail(error: GocodemodError) -> None:
    for line in str(error).splitlines() or ["error"]:
        click.echo(f"gocodemod: {line}", err=True)
    sys.exit(error.exit_code)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gocodemod")
@click.pass_context
def main(ctx: click.Context) -> None:
    """A codemod engine for Go: declarative recipes, reviewable diffs."""
    if ctx.invoked_subcommand == "run":  # the search for gofmt may take a while: begin it before the rest loads
        from codemod.golang.gofmt import start_gofmt_lookup

        start_gofmt_lookup()


@main.command("run")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-r",
    "--recipe",
    "selectors",
    multiple=True,
    metavar="ID|FILE|DIR",
    help="Recipe, bundle, YAML file or directory (repeatable).",
)
@click.option("--write", is_flag=True, help="Write the changes to the files.")
@click.option("--check", is_flag=True, help="Exit 1 when any recipe would change something.")
@click.option("--commit", is_flag=True, help="Commit each recipe's changes on its own branch.")
@click.option("--interactive", is_flag=True, help="Review change by change and write the accepted ones.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["diff", "stat", "json", "sarif"]),
    default=None,
    help="Report format (default: diff).",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: CPU count).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default=None,
    help="Run packages in local worker processes (default) or on a Dask cluster.",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="tcp://HOST:PORT",
    help="Dask scheduler for --executor dask (default: a local cluster).",
)
@click.option("--include-vendor", is_flag=True, help="Also process vendor/ directories.")
@click.option("--include-testdata", is_flag=True, help="Also process testdata/ directories.")
@click.option("--include-generated", is_flag=True, help="Also process generated files.")
@click.option("--allow-dirty", is_flag=True, help="Write files that have uncommitted changes.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@click.option("--report-unused-ignores", is_flag=True, help="Report suppression comments that suppressed nothing.")
@click.option("--branch-prefix", default="gocodemod/", show_default=True, help="Branch name prefix for --commit.")
@click.option(
    "--author", default=None, metavar="'NAME <EMAIL>'", help="Commit author for --commit (default: git's identity)."
)
def run_command(
    paths: tuple[Path, ...],
    selectors: tuple[str, ...],
    write: bool,
    check: bool,
    commit: bool,
    interactive: bool,
    **options: object,
) -> None:
    """Apply recipes to the Go files under PATH... (default: the current directory)."""
    from codemod.apply.session import RunRequest, choose_mode
    from codemod.output.console import LazyConsole

    try:
        mode = choose_mode(write=write, check=check, commit=commit, interactive=interactive)
        request = RunRequest(selectors=selectors, paths=paths, mode=mode, **options)  # type: ignore[arg-type]
        code = execute(request, Path.cwd(), LazyConsole(), LazyConsole(stderr=True))
    except GocodemodError as error:
        _fail(error)
    if _as_process and mode in (None, "check"):
        _exit_now(code)
    sys.exit(code)


@main.command("list")
def list_command() -> None:
    """List the available recipes: id, safety, description."""
    from codemod.run.workspace import available_recipes, open_workspace

    try:
        recipes = available_recipes(open_workspace(Path.cwd()).config)
    except GocodemodError as error:
        _fail(error)
    width = max((len(recipe.id) for recipe in recipes), default=0)
    for recipe in recipes:
        summary = (recipe.description or "").strip().splitlines()
        click.echo(f"{recipe.id:<{width}}  {recipe.safety.value:<6}  {summary[0] if summary else ''}".rstrip())


@main.command("test")
@click.argument("ids", nargs=-1)
def test_command(ids: tuple[str, ...]) -> None:
    """Run the golden cases and examples of the recipes IDS (default: all)."""
    from codemod.run.recipetests import run_recipe_tests
    from codemod.run.workspace import open_workspace

    try:
        config = open_workspace(Path.cwd()).config
        outcomes = run_recipe_tests(list(ids) or None, extra_dirs=[str(d) for d in config.recipe_dirs])
    except GocodemodError as error:
        _fail(error)
    for outcome in outcomes:
        if not outcome.ok:
            click.echo(f"FAIL {outcome.recipe_id}/{outcome.case}: {outcome.message}")
    passed = sum(outcome.ok for outcome in outcomes)
    click.echo(f"{passed} passed, {len(outcomes) - passed} failed")
    sys.exit(EXIT_OK if passed == len(outcomes) else EXIT_CHANGES)


_as_process = False  # set by entry(): this process runs one command and ends


def entry() -> None:
    """The ``gocodemod`` program (click's ``main``, as the process's own entry point)."""
    global _as_process
    _as_process = True
    main()


def _exit_now(code: int) -> None:
    """End a run that only printed: flush and exit without the interpreter's teardown.

    Freeing a run's objects one by one and the modules' teardown take tens of
    milliseconds, a tenth of a run the cache answers. Nothing is left to do:
    output is flushed here, the result cache is closed and the worker
    processes are gone by now.
    """
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # a reader that went away, or a stream closed already
            pass
    if "logging" in sys.modules:
        sys.modules["logging"].shutdown()
    os._exit(code)


if __name__ == "__main__":
    entry()
