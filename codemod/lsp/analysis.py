"""The engine runs behind the language server: what a buffer would get, and the bytes of each fix.

:func:`analyse` asks the engine about every fix it would make in the buffer
as it is, declining each (the engine's ``decide`` hook, as ``--interactive``
uses it): so every change is seen in the buffer's own coordinates, fixes
that would overlap included, and nothing is applied, formatted or checked
that would not be shown. A recipe whose fix spans several matches
(mutex-to-rwmutex's field and its calls) is asked about once, as one change
(:mod:`codemod.engine.decisions`). Changes that would only appear after
other fixes are applied (a later pass) are not seen until those are.

The fixes are engine runs too, so their bytes are exactly what ``gocodemod
run --write`` writes, imports and gofmt included: :func:`fix_one` accepts
one change and declines the others (what ``--interactive`` writes when only
that change is accepted), :func:`fix_recipe` runs one recipe (``run -r ID
--write``), :func:`fix_all` the given recipes.

Results are kept for the last buffers and packages seen
(:class:`AnalysisMemo`): a buffer analysed before, in the same package and
with the same recipes, costs nothing (a save after an edit, a code action
after the diagnostics).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

from codemod.engine.core import run_file
from codemod.lsp.documents import FileJob
from codemod.model import Change, FileResult, Finding, Status
from codemod.recipes.load import Recipe


@dataclass(frozen=True)
class FixKey:
    """Names one change of an analysis: its recipe and the span it matched in the buffer."""

    recipe_id: str
    start: tuple[int, int]
    end: tuple[int, int]

    @classmethod
    def of(cls, change: Change) -> FixKey:
        return cls(change.recipe_id, (change.start.line, change.start.column), (change.end.line, change.end.column))

    def names(self, change: Change) -> bool:
        return change.pass_index == 0 and FixKey.of(change) == self


@dataclass(frozen=True)
class Analysis:
    """What the engine would do to one buffer: its changes (not applied), findings, and why it was skipped or failed."""

    status: Status
    changes: tuple[Change, ...] = ()
    findings: tuple[Finding, ...] = ()
    reason: str = ""
    warnings: tuple[str, ...] = ()


def analyse(job: FileJob, recipes: Sequence[Recipe]) -> Analysis:
    """The changes and findings of ``recipes`` in the buffer of ``job``."""
    offered: list[Change] = []

    def decline(change: Change) -> bool:
        if change.pass_index == 0:
            offered.append(change)
        return False

    result = _run(job, recipes, decline)
    return Analysis(
        result.status, tuple(offered), tuple(result.findings), result.reason, tuple(dict.fromkeys(result.warnings))
    )


def fix_one(job: FileJob, recipes: Sequence[Recipe], key: FixKey) -> FileResult:
    """The file with only the change ``key`` applied (and what that change's recipe needs: imports, gofmt)."""
    return _run(job, [recipe for recipe in recipes if recipe.id == key.recipe_id], key.names)


def fix_recipe(job: FileJob, recipes: Sequence[Recipe], recipe_id: str) -> FileResult:
    """The file with every change of one recipe applied, as ``gocodemod run -r ID --write`` writes it."""
    return _run(job, [recipe for recipe in recipes if recipe.id == recipe_id], None)


def fix_package(job: FileJob, recipes: Sequence[Recipe], recipe_id: str) -> list[FileResult]:
    """Every file of the package with every change of one recipe applied: a recipe whose fix may be
    spread over several files (a field here, its Lock calls there) is applied to all of them or none,
    as ``--interactive`` does (its first answer in a package holds for the package)."""
    from codemod.engine.core import run_package

    chosen = [recipe for recipe in recipes if recipe.id == recipe_id]
    return run_package(job.package, chosen, go_version=job.go_version) if chosen else []


def fix_all(job: FileJob, recipes: Sequence[Recipe]) -> FileResult:
    """The file with every change of ``recipes`` applied, as ``gocodemod run --write`` writes it."""
    return _run(job, list(recipes), None)


def _run(job: FileJob, recipes: Sequence[Recipe], decide) -> FileResult:
    if not recipes:
        return FileResult(job.path, Status.UNCHANGED)
    return run_file(
        job.path, job.data, list(recipes), go_version=job.go_version, package_sources=job.package, decide=decide
    )


def job_key(job: FileJob, recipes: Sequence[Recipe]) -> str:
    """What an analysis depends on: the recipes, the Go version, the buffer and its package's bytes."""
    digest = hashlib.blake2b(digest_size=20)
    for recipe in recipes:
        digest.update(f"{recipe.id}\0{recipe.content_hash}\0{recipe.severity}\0".encode())
    digest.update(f"\1{job.go_version}\1{job.path}\1".encode())
    for path in sorted(job.package):
        digest.update(path.encode() + b"\0" + hashlib.blake2b(job.package[path], digest_size=16).digest())
    return digest.hexdigest()


@dataclass
class AnalysisMemo:
    """The last analyses and fixes, by :func:`job_key` (and what was asked)."""

    size: int = 64
    _items: OrderedDict[tuple, object] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key: tuple) -> object | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key: tuple, value: object) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
