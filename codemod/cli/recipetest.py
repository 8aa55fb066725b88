"""``gocodemod test``: run the recipes' golden cases and examples (:mod:`codemod.run.recipetests`).

Prints one line per failing case and a count; exits 1 when any case fails.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from codemod.cli.invocation import fail
from codemod.errors import EXIT_CHANGES, EXIT_OK, GocodemodError
from codemod.golang.gofmt import missing_notice
from codemod.run.recipetests import run_recipe_tests
from codemod.run.workspace import open_workspace


@click.command("test")
@click.argument("ids", nargs=-1, metavar="[ID|FILE|DIR]...")
def test_command(ids: tuple[str, ...]) -> None:
    """Run the golden cases (golden/ID/ next to each recipe's file, or next to its folder) and the
    inline examples of the given recipes, bundles, recipe files or directories (default: all)."""
    try:
        config = open_workspace(Path.cwd()).config
        outcomes = run_recipe_tests(list(ids) or None, extra_dirs=[str(d) for d in config.recipe_dirs])
    except GocodemodError as error:
        fail(error)
    for outcome in outcomes:
        if not outcome.ok:
            click.echo(f"FAIL {outcome.recipe_id}/{outcome.case}: {outcome.message}")
    notice = missing_notice()
    if notice is not None:
        click.echo(notice, err=True)
    passed = sum(outcome.ok for outcome in outcomes)
    click.echo(f"{passed} passed, {len(outcomes) - passed} failed")
    sys.exit(EXIT_OK if passed == len(outcomes) else EXIT_CHANGES)
