"""Where a command runs: the workspace root, its ``.gocodemod.yaml``, and the recipes it selects.

The configuration file is found by walking up from the current directory (not
above a repository root), parsed by :mod:`codemod.run.configfile` only when
there is one, and turns ``-r`` selectors or the configured default set into
the recipes of a run (:func:`select_recipes`).

With no ``-r`` and no ``enable`` list, a run takes every available recipe
except the ``unsafe`` ones (their fixes change behaviour on purpose): those run
when named (``-r ID``, a bundle, ``enable``) or with ``--unsafe``; the
selection says which it left out, for the summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from codemod.errors import LocatedMessage, RecipeError
from codemod.model import Safety
from codemod.run.config import CONFIG_NAME, Config, ConfigError, Located
from codemod.run.files import find_repo_root

if TYPE_CHECKING:
    from codemod.recipes.load import Recipe, RecipeFileMemo


def find_config(start: Path) -> Path | None:
    """The nearest ``.gocodemod.yaml`` at or above ``start``, not above a repository root."""
    directory = start.resolve()
    for candidate in (directory, *directory.parents):
        if (candidate / CONFIG_NAME).is_file():
            return candidate / CONFIG_NAME
        if (candidate / ".git").exists():
            return None
    return None


def load_config(path: Path) -> Config:
    """Read and validate one configuration file; raises :class:`ConfigError`."""
    from codemod.run.configfile import parse_config  # YAML is imported only when there is a file

    return parse_config(path)


@dataclass(frozen=True)
class Workspace:
    """Where a command runs: the root (repository top, else the configuration's
    directory, else the current one), its configuration, and the paths to
    cover when none are given (the current directory when below the root)."""

    root: Path
    config: Config
    default_paths: tuple[Path, ...]
    repo_root: Path | None = None  # the git working tree's top, when there is one


def open_workspace(cwd: Path) -> Workspace:
    cwd = cwd.resolve()
    config_path = find_config(cwd)
    repo_root = find_repo_root(cwd)
    root = repo_root or (config_path.parent if config_path else cwd)
    config = load_config(config_path) if config_path else Config()
    return Workspace(root, config, () if cwd == root else (cwd,), repo_root)


def _load(
    selectors: Sequence[str], config: Config, origin: Located | None = None, memo: RecipeFileMemo | None = None
) -> list[Recipe]:
    from codemod.recipes.load import load_recipes

    try:
        return load_recipes(list(selectors), extra_dirs=[str(d) for d in config.recipe_dirs], memo=memo)
    except RecipeError as error:
        if origin is None:
            raise
        raise ConfigError([LocatedMessage(origin.location, p.message) for p in error.problems]) from None


def available_recipes(config: Config) -> list[Recipe]:
    """Every recipe that can be selected: built-in ones and those in ``recipe_dirs``."""
    return _load([], config)


@dataclass(frozen=True)
class Selection:
    """The recipes of a run, and the unsafe ones the default set left out."""

    recipes: list[Recipe]
    left_out_unsafe: tuple[str, ...] = ()


def select_recipes(
    config: Config, selectors: Sequence[str], memo: RecipeFileMemo | None = None, *, unsafe: bool = False
) -> list[Recipe]:
    """The recipes of a run (see :func:`selection`)."""
    return selection(config, selectors, memo, unsafe=unsafe).recipes


def selection(
    config: Config, selectors: Sequence[str], memo: RecipeFileMemo | None = None, *, unsafe: bool = False
) -> Selection:
    """The recipes of a run: ``-r`` selectors when given, else the configured set,
    else every available recipe but the unsafe ones (all of them with ``unsafe``).
    ``memo``: see :func:`codemod.recipes.load.load_recipes`."""
    left_out: list[str] = []
    if selectors:
        recipes = _load(selectors, config, memo=memo)
    else:
        if config.enable:
            recipes = [r for item in config.enable for r in _load([item.value], config, item, memo)]
        else:
            recipes = _load([], config, memo=memo)  # every built-in recipe and every one in recipe_dirs
            if not unsafe:
                left_out = [recipe.id for recipe in recipes if recipe.safety is Safety.UNSAFE]
                recipes = [recipe for recipe in recipes if recipe.safety is not Safety.UNSAFE]
        disabled = {r.id for item in config.disable for r in _load([item.value], config, item, memo)}
        recipes = [recipe for recipe in recipes if recipe.id not in disabled]
        left_out = [rid for rid in left_out if rid not in disabled]
    unique: dict[str, Recipe] = {}
    for recipe in recipes:
        unique.setdefault(recipe.id, recipe)
    _check_severity_ids(config, set(unique))
    chosen = [_with_severity(recipe, config) for recipe in unique.values()]
    return Selection(chosen, tuple(dict.fromkeys(left_out)))


def default_recipe_ids(config: Config) -> set[str]:
    """The ids of the recipes a run with no ``-r`` (and no ``--unsafe``) takes."""
    return {recipe.id for recipe in select_recipes(config, [])}


def _check_severity_ids(config: Config, selected: set[str]) -> None:
    """A severity override must name a recipe that exists (a typo would silently do nothing)."""
    unknown = set(config.severity) - selected
    if unknown:
        unknown -= {recipe.id for recipe in available_recipes(config)}
    if unknown:
        raise ConfigError([
            LocatedMessage(config.severity[name].location, f"severity names unknown recipe '{name}' (see 'gocodemod list')")
            for name in sorted(unknown)
        ])  # fmt: skip


def _with_severity(recipe: Recipe, config: Config) -> Recipe:
    override = config.severity.get(recipe.id)
    if override is None or override.value == recipe.severity:
        return recipe
    return recipe.with_severity(override.value)
