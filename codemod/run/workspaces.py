"""Paths anywhere on disk: which workspace each command-line path belongs to, and one result for several.

``gocodemod run ../other/pkg /src/svc/...`` processes each path with its own
repository root and its own ``.gocodemod.yaml``. :func:`split_by_workspace`
groups the paths by the workspace around each
(:func:`codemod.run.workspace.open_workspace` from its directory: the
repository top, else the nearest configuration's directory, else the
directory itself). A path whose workspace is the current directory's, or
that lies below the current workspace and has no repository or
configuration of its own, stays with it as it is written (messages quote
it; the skips of ``vendor/``, ``testdata/`` and ``_`` directories count from
the current root as before); any other is handed on as an absolute path, so
a path below a directory that is not a repository but inside another
repository runs with that repository. Each group is then run on
its own (recipes, excludes, Go versions and the result cache of its
workspace) and written or committed in its own repository.

:func:`combine` makes one :class:`~codemod.run.runner.RunResult` of the
groups' results for the report and the summary: its root is the deepest
directory holding every workspace root, and each file's path is relative to
it (``svc/main.go``, ``other/pkg/a.go``), so the report names every file
unambiguously.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from codemod.errors import UsageError
from codemod.run.config import CONFIG_NAME
from codemod.run.files import package_directory
from codemod.run.textdiff import moved_diff
from codemod.run.workspace import Workspace, open_workspace

if TYPE_CHECKING:
    from codemod.recipes.load import Recipe
    from codemod.run.runner import RunResult


def split_by_workspace(cwd: Path, paths: Sequence[Path]) -> list[tuple[Workspace, tuple[Path, ...]]]:
    """The workspaces ``paths`` lie in, each with its paths, the current directory's first.

    No paths: the current directory's workspace with its default paths. A path
    that does not exist (or cannot be resolved) stays with the current
    workspace, whose run reports it.
    """
    here = open_workspace(cwd)
    if not paths:
        return [(here, here.default_paths)]
    groups: dict[Path, tuple[Workspace, list[Path]]] = {here.root: (here, [])}
    # Answers by directory: a pre-commit hook passes many files of few directories.
    stays: dict[Path, bool] = {}
    parents: dict[Path, Path | None] = {}
    opened: dict[Path, Workspace] = {}
    for given in paths:
        absolute = _real_path(cwd / package_directory(given), parents)
        if absolute is None or not absolute.exists():
            groups[here.root][1].append(given)
            continue
        directory = absolute if absolute.is_dir() else absolute.parent
        if _stays_here(here, directory, stays):
            groups[here.root][1].append(given)
            continue
        if directory not in opened:
            opened[directory] = open_workspace(directory)
        workspace = opened[directory]
        if workspace.root == here.root:
            groups[here.root][1].append(given)
        else:
            groups.setdefault(workspace.root, (workspace, []))[1].append(absolute)
    return [(workspace, tuple(found)) for workspace, found in groups.values() if found]


def _real_path(path: Path, parents: dict[Path, Path | None]) -> Path | None:
    """``path`` with its symbolic links resolved (its directory's answer remembered in ``parents``);
    None for a link loop, which the run reports."""
    try:
        if path.name in ("", ".", "..") or os.path.islink(path):
            return path.resolve()
        if path.parent not in parents:
            parents[path.parent] = path.parent.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop before Python 3.13
        return None
    parent = parents[path.parent]
    return parent / path.name if parent is not None else None


def _stays_here(here: Workspace, directory: Path, known: dict[Path, bool]) -> bool:
    """Whether a path in ``directory`` belongs to the current workspace without opening one of its
    own: below the current root with no repository (``.git``) or configuration of its own between
    (one ``lstat`` or two per directory not seen before; ``known`` remembers the answers)."""
    if directory == here.root:
        return True
    if directory in known:
        return known[directory]
    stays = (
        directory.is_relative_to(here.root)
        and not os.path.lexists(directory / ".git")
        and not os.path.isfile(directory / CONFIG_NAME)
        and _stays_here(here, directory.parent, known)
    )
    known[directory] = stays
    return stays


def combine(results: Sequence[RunResult]) -> RunResult:
    """One result for the report: the groups' files under their deepest common directory."""
    from codemod.run.runner import RunResult

    if len(results) == 1:
        return results[0]
    root = Path(os.path.commonpath([str(result.root) for result in results]))
    combined = RunResult(root, union_of_recipes([result.recipes for result in results]), [])
    for result in results:
        prefix = result.root.relative_to(root).as_posix()

        def moved(path: str, prefix: str = prefix) -> str:
            return f"{prefix}/{path}" if prefix != "." else path

        combined.results.extend(dataclasses.replace(item, path=moved(item.path)) for item in result.results)
        combined.originals.update((moved(path), data) for path, data in result.originals.items())
        combined.diffs.update((moved(path), moved_diff(text, path, moved(path))) for path, text in result.diffs.items())
        combined.sources_kept = combined.sources_kept and result.sources_kept
    combined.results.sort(key=lambda item: item.path)
    return combined


def union_of_recipes(selections: Sequence[Sequence[Recipe]]) -> list[Recipe]:
    """Every recipe of the groups' selections, in first-seen order; one id must mean one recipe
    (the same rule and severity) in every workspace, or the report could not say which ran."""
    by_id: dict[str, Recipe] = {}
    for recipes in selections:
        for recipe in recipes:
            known = by_id.setdefault(recipe.id, recipe)
            if known.content_hash != recipe.content_hash or known.severity != recipe.severity:
                raise UsageError(
                    f"recipe {recipe.id!r} differs between {known.source_path} and {recipe.source_path}: "
                    "run the repositories one at a time"
                )
    return list(by_id.values())
