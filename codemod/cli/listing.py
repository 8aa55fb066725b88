"""``gocodemod list``: the recipes this workspace can run, one line each (id, safety,
``default`` when a run without ``-r`` takes it or ``opt-in`` when it must be named or
``--unsafe`` given, description)."""

from __future__ import annotations

from pathlib import Path

import click

from codemod.cli.invocation import fail
from codemod.errors import GocodemodError
from codemod.run.workspace import available_recipes, default_recipe_ids, open_workspace


@click.command("list")
def list_command() -> None:
    """List the available recipes: id, safety, default or opt-in, description."""
    try:
        config = open_workspace(Path.cwd()).config
        recipes = available_recipes(config)
        by_default = default_recipe_ids(config)
    except GocodemodError as error:
        fail(error)
    width = max((len(recipe.id) for recipe in recipes), default=0)
    for recipe in recipes:
        summary = (recipe.description or "").strip().splitlines()
        runs = "default" if recipe.id in by_default else "opt-in"
        description = summary[0] if summary else ""
        click.echo(f"{recipe.id:<{width}}  {recipe.safety.value:<6}  {runs:<7}  {description}".rstrip())
