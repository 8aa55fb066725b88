"""A changed file again without some recipes: the engine rerun, accepting only what it accepted before.

Withholding a recipe's changes in a file means running the engine over the
file again with that recipe's fixes declined (its ``decide`` hook), so the
other recipes' changes are made and formatted exactly as a run without it
would make them. With ``accepted`` (an interactive review's answers), only
the changes the reviewer accepted are made again.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from codemod.model import Change, FileResult
from codemod.run.tasks import PackageReader, RunOptions, open_tree

if TYPE_CHECKING:
    from codemod.recipes.load import Recipe

# recipe id, text before, text after, pass, line, column: which change an interactive review accepted
ChangeKey = tuple[str, str, str, int, int, int]


def change_key(change: Change) -> ChangeKey:
    return change.recipe_id, change.before, change.after, change.pass_index, change.start.line, change.start.column


def was_accepted(change: Change, accepted: Collection[ChangeKey]) -> bool:
    """Whether ``change`` is one the review accepted: the same change at the same place; for a change
    of a later pass (whose place depends on the passes before it) the same change of a later pass."""
    key = change_key(change)
    if key in accepted:
        return True
    return change.pass_index > 0 and any(other[:3] == key[:3] and other[3] > 0 for other in accepted)


class Replayer:
    """Recomputes changed files of one run (read from ``root`` at ``revision``) without given recipes."""

    def __init__(
        self,
        root: Path,
        revision: str | None,
        recipes: list[Recipe],
        options: RunOptions,
        originals: Mapping[str, bytes],
        scanned: Collection[str],
        accepted: Mapping[str, Collection[ChangeKey]] | None = None,
    ):
        self.reader = PackageReader(open_tree(root, revision), options.go_version_limits)
        self.recipes = recipes
        self.engine_options = options.engine_options()
        self.originals = originals
        self.scanned = scanned
        self.accepted = accepted
        self._memo: dict[tuple[str, frozenset[str]], FileResult] = {}

    def without(self, path: str, excluded: frozenset[str]) -> FileResult:
        """``path`` as the run would change it with the recipes of ``excluded`` declined."""
        memo_key = (path, excluded)
        if memo_key not in self._memo:
            self._memo[memo_key] = self._rerun(path, excluded)
        return self._memo[memo_key]

    def _rerun(self, path: str, excluded: frozenset[str]) -> FileResult:
        from codemod.engine.core import run_file

        directory = path.rpartition("/")[0] or "."
        siblings = [p for p in self.scanned if (p.rpartition("/")[0] or ".") == directory]
        task = self.reader.task(directory, sorted(siblings), dict(self.originals))
        files = task.files if task is not None else {path: self.originals[path]}
        accepted = self.accepted.get(path) if self.accepted is not None else None

        def decide(change: Change) -> bool:
            return change.recipe_id not in excluded and (accepted is None or was_accepted(change, accepted))

        return run_file(
            path,
            self.originals[path],
            self.recipes,
            package_sources=files,
            go_version=task.go_version if task is not None else None,
            decide=decide,
            **self.engine_options,
        )
