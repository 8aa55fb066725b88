"""``gocodemod list``: the recipes this workspace can run, one line each (id, safety, description)."""

from __future__ import annotations

from pathlib import Path

import click

from codemod.cli.invocation import fail
from codemod.errors import GocodemodError
from codemod.run.workspace import available_recipes, open_workspace


@click.command("list")
def list_command() -> None:
    """List the available recipes: id, safety, description."""
    try:
        recipes = available_recipes(open_workspace(Path.cwd()).config)
    except GocodemodError as error:
        fail(error)
    width = max((len(recipe.id) for recipe in recipes), default=0)
    for recipe in recipes:
        summary = (recipe.description or "").strip().splitlines()
        click.echo(f"{recipe.id:<{width}}  {recipe.safety.value:<6}  {summary[0] if summary else ''}".rstrip())
