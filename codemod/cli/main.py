"""The ``gocodemod`` command line: the command group and the program's entry point.

``run`` applies recipes (dry run by default; ``--write``, ``--check``,
``--commit`` or ``--interactive``), ``list`` shows the recipes and bundles, ``new`` writes a recipe to start from, ``test``
runs their golden cases, ``bot`` keeps pull requests up to date, ``lsp`` is a language server. Exit codes:
0 ok, 1 changes found in check mode (or failing recipe tests), 2 usage or
recipe error, 3 some files failed. User mistakes print one line per problem,
never a traceback.

Each command lives in its own module, imported when the command is named
(:data:`COMMANDS`), so that ``--version`` loads no engine and ``list`` no
run. Before ``run``'s module loads, the search for gofmt begins on a thread.
:func:`entry` is the program: it passes an
:class:`~codemod.cli.invocation.Invocation` saying so to the command.
"""

from __future__ import annotations

import importlib

import click

from codemod import __version__
from codemod.cli.invocation import Invocation
from codemod.errors import EXIT_INTERRUPTED
from codemod.golang.gofmt import start_gofmt_lookup

# Each command's module and attribute, imported when the command is named (or listed by --help):
# each pulls in the layers it needs (the run's, the engine, httpx and GitPython for the bot).
COMMANDS = {
    "bot": ("codemod.cli.bot", "bot_command"),
    "explain": ("codemod.cli.explain", "explain_command"),
    "list": ("codemod.cli.listing", "list_command"),
    "lsp": ("codemod.cli.lsp", "lsp_command"),
    "new": ("codemod.cli.new", "new_command"),
    "run": ("codemod.cli.run", "run_command"),
    "test": ("codemod.cli.recipetest", "test_command"),
}


class _Commands(click.Group):
    """Commands are loaded from :data:`COMMANDS` when named; Ctrl-C ends any of them with
    one line and exit 130 (click would print 'Aborted!' and exit 1)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS and name not in self.commands:
            module, attribute = COMMANDS[name]
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] == "run":  # the search for gofmt may take a while: begin it before the run's layers load
            start_gofmt_lookup()
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("gocodemod: interrupted", err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gocodemod")
def main() -> None:
    """A codemod engine for Go: declarative recipes, reviewable diffs."""


def entry() -> None:
    """The ``gocodemod`` program: one command, in a process that ends with it."""
    main(obj=Invocation(as_process=True))


if __name__ == "__main__":
    entry()
