"""``gocodemod explain``: a pattern's or a recipe's trees, and why code matches or not (:mod:`codemod.run.explain`)."""

from __future__ import annotations

from pathlib import Path

import click

from codemod.cli.invocation import fail
from codemod.errors import GocodemodError, UsageError
from codemod.recipes.adhoc import AdhocRequest, adhoc_recipe
from codemod.run.explain import choose_recipe, explain
from codemod.run.workspace import open_workspace


@click.command("explain")
@click.argument("pattern", required=False)
@click.option("--recipe", "selector", metavar="FILE|ID", help="Explain this recipe's rule instead of a PATTERN.")
@click.option("--id", "recipe_id", metavar="ID", help="With --recipe FILE: which of its recipes.")
@click.option(
    "--file", type=click.Path(dir_okay=False, path_type=Path), help="A Go file to try the rule on (with --line)."
)
@click.option("--line", type=click.IntRange(min=1), help="With --file: explain the nodes starting on this line.")
def explain_command(
    pattern: str | None, selector: str | None, recipe_id: str | None, file: Path | None, line: int | None
) -> None:
    """Show how PATTERN (or --recipe's rule) is read: its context, its tree-sitter nodes and metavariables;
    with --file F.go --line N, whether each node on that line matches and, if not, which rule part failed."""
    try:
        if (pattern is None) == (selector is None):
            raise UsageError("give a PATTERN or --recipe FILE|ID (one of them)")
        if (file is None) != (line is None):
            raise UsageError("--file and --line go together")
        if selector is not None:
            recipe = choose_recipe(selector, recipe_id, [str(d) for d in open_workspace(Path.cwd()).config.recipe_dirs])
        elif recipe_id is not None:
            raise UsageError("--id needs --recipe FILE")
        else:
            recipe = adhoc_recipe(AdhocRequest(pattern or ""))
        lines = explain(recipe, file, line)
    except GocodemodError as error:
        fail(error)
    for text in lines:
        click.echo(text)
