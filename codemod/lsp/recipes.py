"""The language server's recipes: the workspace's selection, reloaded when it changes, and recipe files checked.

:class:`WorkspaceRecipes` holds what a ``gocodemod run`` with no ``-r`` would
take in the workspace folder (the ``.gocodemod.yaml`` found from it, else the
default set: every recipe but the unsafe ones; :func:`codemod.run.workspace.selection`).
:meth:`WorkspaceRecipes.reload` reads it again; the server calls it when a
``.yaml``/``.yml`` file or the configuration changes on disk. Where the CLI
would stop at a recipe file that does not load, the server leaves that file
out and runs the others (an edit in progress must not silence every
recipe); a configuration that does not load selects nothing. Either way the
problems are told, with the same ``file:line:column: message`` lines the
CLI prints.

:func:`check_recipe_text` is what an open recipe file gets: its YAML and
recipe problems at their line and column (the loader's own messages), and
each inline example that fails ``gocodemod test``'s checks reported on that
example.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from codemod.errors import GocodemodError, LocatedMessage, Location, RecipeError
from codemod.recipes.builtin import BUILTIN_DIR
from codemod.recipes.check import Bundle
from codemod.recipes.load import Recipe, load_catalog, load_file
from codemod.run.config import CONFIG_NAME, Config
from codemod.run.workspace import Workspace, open_workspace, selection

# Top-level keys that make a YAML document a recipe or a bundle (a workflow or other YAML file is left alone).
_RECIPE_KEY = re.compile(r"^(rule|bundle):", re.MULTILINE)


@dataclass(frozen=True)
class Selected:
    """One load of the workspace's selection: its recipes, or the problems that stopped it."""

    workspace: Workspace | None
    recipes: tuple[Recipe, ...] = ()
    problems: tuple[LocatedMessage, ...] = ()

    @property
    def config(self) -> Config:
        return self.workspace.config if self.workspace is not None else Config()

    @property
    def root(self) -> Path | None:
        return self.workspace.root if self.workspace is not None else None

    def recipe(self, recipe_id: str) -> Recipe | None:
        return next((recipe for recipe in self.recipes if recipe.id == recipe_id), None)


@dataclass
class WorkspaceRecipes:
    """The recipe selection of one workspace folder (thread-safe: analyses read it while a reload swaps it)."""

    folder: Path
    _current: Selected | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def current(self) -> Selected:
        with self._lock:
            current = self._current
        return current if current is not None else self.reload()

    def reload(self) -> Selected:
        """Read the configuration and recipes again."""
        loaded = _load_selection(self.folder)
        with self._lock:
            self._current = loaded
        return loaded

    def concerns(self, path: Path) -> bool:
        """Whether a change to ``path`` may change the selection: the configuration, a file in a recipe
        directory (the built-in one and ``recipe_dirs``), or a file that held recipes or problems."""
        if path.name == CONFIG_NAME:
            return True
        if path.suffix not in (".yaml", ".yml"):
            return False
        with self._lock:
            current = self._current
        if current is None:
            return True
        path = path.resolve()
        if any(path.is_relative_to(directory.resolve()) for directory in (BUILTIN_DIR, *current.config.recipe_dirs)):
            return True
        sources = {recipe.source_path for recipe in current.recipes}
        sources |= {problem.location.path for problem in current.problems if problem.location is not None}
        return any(Path(source).resolve() == path for source in sources)


class _FileMemo:
    """The loader's file memo (:class:`codemod.recipes.load.RecipeFileMemo`): files loaded before are not
    parsed again, and a file that does not load counts as holding no recipes, so the others still run."""

    def __init__(self) -> None:
        self.loaded: dict[tuple[str, bytes], tuple[list[dict], list[Bundle]]] = {}
        self.broken: set[Path] = set()

    def get(self, path: Path, data: bytes) -> tuple[list[dict], list[Bundle]] | None:
        if path.resolve() in self.broken:
            return [], []
        return self.loaded.get((str(path), data))

    def put(self, path: Path, data: bytes, raws: list[dict], bundles: list[Bundle]) -> None:
        self.loaded[(str(path), data)] = (raws, bundles)


_MEMO = _FileMemo()


def _load_selection(folder: Path) -> Selected:
    """The selection, leaving out the recipe files that do not load (their problems are kept, to be told)."""
    try:
        workspace = open_workspace(folder)
    except GocodemodError as error:
        return Selected(None, (), tuple(_problems(error)))
    problems: list[LocatedMessage] = []
    try:
        recipes = _select(workspace.config, problems)
    except GocodemodError as error:
        return Selected(workspace, (), (*problems, *_problems(error)))
    return Selected(workspace, tuple(recipes), tuple(problems))


def _select(config: Config, problems: list[LocatedMessage]) -> list[Recipe]:
    """:func:`~codemod.run.workspace.selection` without the recipe files that do not load (their problems
    added to ``problems``); raises what remains (a configuration naming a recipe that does not exist)."""
    memo = _FileMemo()
    memo.loaded = _MEMO.loaded
    _, found = load_catalog([str(directory) for directory in config.recipe_dirs], memo=memo)
    problems.extend(found)
    memo.broken |= _files_of(found)
    for _ in range(_RETRIES):
        try:
            return selection(config, [], memo).recipes
        except RecipeError as error:
            broken = _files_of(error.problems) - memo.broken
            if not broken:
                raise
            problems.extend(error.problems)
            memo.broken |= broken
    raise RecipeError(problems)


_RETRIES = 4  # a file left out may leave a bundle of another file naming its recipes: a few rounds


def _problems(error: GocodemodError) -> list[LocatedMessage]:
    return list(getattr(error, "problems", None) or [LocatedMessage(None, str(error))])


def _files_of(problems: list[LocatedMessage]) -> set[Path]:
    """The recipe files that ``problems`` are located in."""
    return {
        Path(problem.location.path).resolve()
        for problem in problems
        if problem.location is not None
        and problem.location.path.endswith((".yaml", ".yml"))
        and Path(problem.location.path).name != CONFIG_NAME
    }


def is_recipe_text(path: Path, text: str, config: Config) -> bool:
    """A YAML file in a configured recipe directory, or one with a top-level ``rule:`` or ``bundle:`` key."""
    if path.suffix not in (".yaml", ".yml") or path.name == CONFIG_NAME:
        return False
    if any(path.resolve().is_relative_to(directory) for directory in config.recipe_dirs):
        return True
    return _RECIPE_KEY.search(text) is not None


def check_recipe_text(path: Path, text: str) -> list[LocatedMessage]:
    """The problems of a recipe file's ``text``: loader errors (YAML, keys, rules, fixes), else failing examples."""
    try:
        recipes, _ = load_file(path, text)
    except RecipeError as error:
        return list(error.problems)
    problems: list[LocatedMessage] = []
    for recipe in recipes:
        problems.extend(_failing_examples(path, text, recipe))
    return problems


def check_config(path: Path, text: str) -> list[LocatedMessage]:
    """The problems of a ``.gocodemod.yaml`` buffer, with the CLI's messages: its own, then those of the
    selection it makes (``enable``, ``disable`` or ``severity`` naming what does not exist) located in it."""
    from codemod.run.configfile import parse_config_text

    try:
        _select(parse_config_text(path, text), [])
    except GocodemodError as error:
        return [
            problem
            for problem in _problems(error)
            if problem.location is not None and Path(problem.location.path).resolve() == path.resolve()
        ]
    return []


def _failing_examples(path: Path, text: str, recipe: Recipe) -> list[LocatedMessage]:
    """Each inline example of ``recipe`` that fails ``gocodemod test``, at that example's line and column."""
    from codemod.recipes.yamlpos import load_documents
    from codemod.run.recipetests import check_output

    failing: list[tuple[int, str]] = []
    for index, example in enumerate(recipe.examples):
        before = example.before.encode()
        after = (example.after if example.after is not None else example.before).encode()
        outcome = check_output(recipe, f"example-{index + 1}", before, after)
        if not outcome.ok:
            failing.append((index, outcome.message))
    if not failing:
        return []
    documents = load_documents(path, [], text)
    doc = next((d for d in documents if isinstance(d.value, dict) and d.value.get("id") == recipe.id), None)
    out = []
    for index, message in failing:
        where = doc.location(("examples", index)) if doc is not None else Location(str(path), 1, 1)
        out.append(LocatedMessage(where, f"{recipe.id}: example {index + 1} fails 'gocodemod test': {message}"))
    return out
