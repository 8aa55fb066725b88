"""``gocodemod run``: apply recipes to the Go files of a tree (:mod:`codemod.apply.session`).

A dry run by default; ``--write``, ``--check``, ``--commit`` or
``--interactive`` choose the mode. As the program's own process, a dry run
or a check ends without the interpreter's teardown once its output is
flushed (:func:`codemod.cli.invocation.exit_now`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from codemod.apply.session import FAIL_ON, VERIFY_CHOICES, RunRequest, choose_mode, execute
from codemod.cli.invocation import as_process, exit_now, fail
from codemod.cli.options import author_option, branch_prefix_option, executor_option, recipe_option
from codemod.errors import GocodemodError
from codemod.output.console import LazyConsole
from codemod.recipes.adhoc import adhoc_request
from codemod.run.executors import EXECUTORS


@click.command("run")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@recipe_option("Recipe, bundle, YAML file or directory (repeatable).")
@click.option(
    "-p",
    "--pattern",
    default=None,
    metavar="PATTERN",
    help="Search for this Go pattern ($X, $$$XS) instead of running recipes; findings only, unless --rewrite.",
)
@click.option("--rewrite", default=None, metavar="TEMPLATE", help="With -p, what each match becomes ($X as bound).")
@click.option(
    "--import",
    "imports",
    multiple=True,
    metavar="PATH",
    help="With --rewrite, the import path of a package it adds or drops, other than fmt, errors, ... (repeatable).",
)
@click.option(
    "--unsafe", is_flag=True, help="With no -r, run the unsafe recipes too (by default: only safe and report ones)."
)
@click.option("--write", is_flag=True, help="Write the changes to the files.")
@click.option("--check", is_flag=True, help="Exit 1 when any recipe would change something, or finds at --fail-on.")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default=None,
    help="With --check, also exit 1 on findings of this severity or above (default: error).",
)
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
@executor_option(EXECUTORS, None, "Run packages in local worker processes (default) or on a Dask cluster.")
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
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary (failures are still shown).")
@click.option("--report-unused-ignores", is_flag=True, help="Report suppression comments that suppressed nothing.")
@click.option(
    "--verify",
    type=click.Choice(VERIFY_CHOICES),
    default=None,
    help="Check changed packages with go build|vet|test (-overlay); withhold changes that break them (none: off).",
)
@click.option(
    "--keep-unverified",
    is_flag=True,
    help="With --verify, keep the changes of packages that already failed before them (not verified).",
)
@branch_prefix_option("Branch name prefix for --commit.")
@author_option("Commit author for --commit (default: git's identity).")
@click.pass_context
def run_command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    selectors: tuple[str, ...],
    write: bool,
    check: bool,
    commit: bool,
    interactive: bool,
    pattern: str | None,
    rewrite: str | None,
    imports: tuple[str, ...],
    **options: object,
) -> None:
    """Apply recipes to the Go files under PATH... (default: the current directory)."""
    try:
        mode = choose_mode(write=write, check=check, commit=commit, interactive=interactive)
        adhoc = adhoc_request(pattern, rewrite, imports)
        request = RunRequest(selectors=selectors, paths=paths, mode=mode, adhoc=adhoc, **options)  # type: ignore[arg-type]
        out, err = LazyConsole(), LazyConsole(stderr=True)  # rich's Console, built only if styling is needed
        code = execute(request, Path.cwd(), out, err)  # type: ignore[arg-type]
    except GocodemodError as error:
        fail(error)
    if mode in (None, "check") and as_process(ctx):
        exit_now(code)
    sys.exit(code)
