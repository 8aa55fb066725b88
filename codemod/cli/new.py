"""``gocodemod new ID``: write a working recipe and its golden cases (:mod:`codemod.recipes.scaffold`)."""

from __future__ import annotations

from pathlib import Path

import click

from codemod.cli.invocation import fail
from codemod.errors import GocodemodError
from codemod.recipes.scaffold import scaffold
from codemod.run.workspace import open_workspace


@click.command("new")
@click.argument("recipe_id", metavar="ID")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Where to write ID.yaml and golden/ID/.",
)
def new_command(recipe_id: str, directory: Path) -> None:
    """Write ID.yaml, a working recipe to edit, and golden cases in golden/ID/ for 'gocodemod test'."""
    try:
        config = open_workspace(Path.cwd()).config
        written = scaffold(recipe_id, directory, [str(d) for d in config.recipe_dirs])
    except GocodemodError as error:
        fail(error)
    for path in written:
        click.echo(f"created {path}")
    click.echo(f"next: edit {written[0]}, then run: gocodemod test {written[0]}")
