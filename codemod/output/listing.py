"""What ``gocodemod list`` shows: the recipes and bundles a workspace can run, as text or JSON.

Text, one line each, aligned: a recipe's id, safety (``safe``, ``unsafe``,
``report``), ``default`` when a run without ``-r`` takes it or ``opt-in``
when it must be named (or ``--unsafe`` given), and the first line of its
description; then each bundle: its id, ``bundle``, ``default`` when
``enable`` in ``.gocodemod.yaml`` names it (else ``opt-in``), the first line
of its description and its recipes in brackets. JSON (``--format json``):
``{"recipes": [...], "bundles": [...]}`` with every field, for scripts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from codemod.errors import RecipeError
from codemod.recipes.load import load_catalog
from codemod.run.workspace import available_recipes, default_recipe_ids

if TYPE_CHECKING:
    from codemod.recipes.check import Bundle
    from codemod.recipes.load import Recipe
    from codemod.run.config import Config


@dataclass(frozen=True)
class Listing:
    recipes: list[Recipe]
    by_default: frozenset[str]  # the ids of the recipes and bundles a run without -r takes
    bundles: list[Bundle]


def gather(config: Config) -> Listing:
    """Every recipe and bundle of the workspace (built-in ones and ``recipe_dirs``); raises RecipeError."""
    recipes = available_recipes(config)
    catalog, problems = load_catalog([str(directory) for directory in config.recipe_dirs])
    if problems:
        raise RecipeError(problems)
    enabled = {item.value for item in config.enable}
    bundles = [catalog.bundles[name] for name in sorted(catalog.bundles)]
    by_default = default_recipe_ids(config) | {bundle.id for bundle in bundles if bundle.id in enabled}
    return Listing(recipes, frozenset(by_default), bundles)


def _first_line(text: str) -> str:
    lines = (text or "").strip().splitlines()
    return lines[0] if lines else ""


def _runs(listing: Listing, name: str) -> str:
    return "default" if name in listing.by_default else "opt-in"


def render_text(listing: Listing) -> str:
    width = max((len(name) for name in [*(r.id for r in listing.recipes), *(b.id for b in listing.bundles)]), default=0)
    lines = [
        f"{recipe.id:<{width}}  {recipe.safety.value:<6}  {_runs(listing, recipe.id):<7}  {_first_line(recipe.description)}"
        for recipe in listing.recipes
    ]
    for bundle in listing.bundles:
        members = ", ".join(member for member, _ in bundle.members)
        description = f"{_first_line(bundle.description)} [{members}]".strip()
        lines.append(f"{bundle.id:<{width}}  {'bundle':<6}  {_runs(listing, bundle.id):<7}  {description}")
    return "".join(line.rstrip() + "\n" for line in lines)


def render_json(listing: Listing) -> str:
    recipes: list[dict[str, Any]] = [
        {
            "id": recipe.id,
            "description": recipe.description,
            "safety": recipe.safety.value,
            "severity": recipe.severity,
            "go": recipe.go,
            "default": recipe.id in listing.by_default,
            "source": recipe.source_path,
        }
        for recipe in listing.recipes
    ]
    bundles: list[dict[str, Any]] = [
        {
            "id": bundle.id,
            "description": bundle.description,
            "recipes": [{"id": member, **overrides} for member, overrides in bundle.members],
            "default": bundle.id in listing.by_default,
            "source": bundle.source_path,
        }
        for bundle in listing.bundles
    ]
    return json.dumps({"recipes": recipes, "bundles": bundles}, indent=2) + "\n"
