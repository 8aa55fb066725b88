"""A run: recipes over every Go package of a tree, merged into one result.

``run`` discovers the files (:mod:`codemod.run.files`), groups them by directory
into package tasks (all ``.go`` files of one directory, so the engine sees
package-wide facts), reads their bytes, and hands the tasks to an executor.
The executor is the seam for scaling out (:mod:`codemod.run.tasks`,
:mod:`codemod.run.executors`). With the result cache on,
:mod:`codemod.run.cached` stands in front of the executor and answers
unchanged packages without reading them. Results come back in sorted path
order whatever order the tasks finish in.

gofmt is searched for once per run (:func:`codemod.golang.gofmt.gofmt_path`). The search may run
``go env GOROOT``, so :func:`~codemod.golang.gofmt.start_gofmt_lookup` begins it on a thread as the
``run`` command starts; it is awaited only by the first cache key or the
first task, and local workers inherit its answer (:func:`~codemod.golang.gofmt.share_gofmt_path`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from codemod.model import FileResult, Status, VerifySummary
from codemod.run.cached import cached_outcomes
from codemod.run.executors import build_executor
from codemod.run.files import discover, narrowing_prefixes
from codemod.run.tasks import Executor, PackageReader, RunOptions, executed, open_tree, packages_of

if TYPE_CHECKING:
    from codemod.recipes.load import Recipe

ProgressCallback = Callable[[int, int], None]


@dataclass
class RunResult:
    """Per-file results of a run, sorted by path, plus what rendering needs."""

    root: Path
    recipes: list[Recipe]
    results: list[FileResult]
    originals: dict[str, bytes] = field(default_factory=dict)  # bytes before, for changed files
    revision: str | None = None
    # Changed files' diffs (3 lines of context, hunks named: codemod.run.textdiff.change_diff) known in advance.
    diffs: dict[str, str] = field(default_factory=dict)
    verification: VerifySummary | None = None  # set by --verify (codemod.verify)
    # False for a run that only reports: changed files keep their diffs, not their bytes before and after.
    sources_kept: bool = True

    def original(self, path: str) -> bytes:
        """The bytes a changed file had before the run."""
        if not self.sources_kept:
            raise RuntimeError("this run kept only the diffs of its changed files (run(..., keep_sources=False))")
        return self.originals.get(path, b"")

    def with_status(self, status: Status) -> list[FileResult]:
        return [result for result in self.results if result.status is status]

    @property
    def changed(self) -> list[FileResult]:
        return self.with_status(Status.CHANGED)

    @property
    def failed(self) -> list[FileResult]:
        return self.with_status(Status.FAILED)

    @property
    def skipped(self) -> list[FileResult]:
        return self.with_status(Status.SKIPPED)

    def status_counts(self) -> dict[str, int]:
        counts = Counter(result.status.value for result in self.results)
        return {status.value: counts.get(status.value, 0) for status in Status}

    def changes_by_recipe(self) -> dict[str, int]:
        """Applied changes per recipe id, in recipe order (recipes with none omitted)."""
        counts = Counter(change.recipe_id for result in self.changed for change in result.changes)
        return {recipe.id: counts[recipe.id] for recipe in self.recipes if counts[recipe.id]}

    def files_by_recipe(self) -> dict[str, int]:
        """Changed files per recipe id, in recipe order."""
        counts = Counter(rid for result in self.changed for rid in result.recipe_ids())
        return {recipe.id: counts[recipe.id] for recipe in self.recipes if counts[recipe.id]}

    def finding_count(self) -> int:
        return sum(len(result.findings) for result in self.results)

    def recipe(self, recipe_id: str) -> Recipe | None:
        return next((recipe for recipe in self.recipes if recipe.id == recipe_id), None)


def run(
    root: Path,
    recipes: list[Recipe],
    *,
    paths: Sequence[Path] = (),
    jobs: int = 1,
    options: RunOptions = RunOptions(),
    progress: ProgressCallback | None = None,
    executor: Executor | None = None,
    keep_sources: bool = True,
) -> RunResult:
    """Run ``recipes`` over the Go files under ``root`` (narrowed by ``paths``).

    With ``options.cache`` (and no ``executor`` given) unchanged packages are
    answered from the result cache. Without ``keep_sources`` (a run that
    only reports) each changed file's diff is made as its package comes back,
    and its bytes before and after are let go: the report needs no more, and
    a large run's sources are tens of megabytes."""
    tree = open_tree(root, options.revision)
    prefixes = narrowing_prefixes(tree.root, paths, must_exist=options.revision is None)
    selected = discover(tree, options.file_filter, prefixes)
    packages = packages_of(selected)
    reader = PackageReader(tree, options.go_version_limits)
    if executor is not None:
        outcomes = executed(executor, reader.tasks(packages))
    else:
        executor = build_executor(recipes, options, jobs, len(packages))
        if options.cache:
            outcomes = cached_outcomes(packages, reader, executor, recipes, options, whole_tree=prefixes in ([], ["."]))
        else:
            outcomes = executed(executor, reader.tasks(packages))
    by_path: dict[str, FileResult] = {}
    originals: dict[str, bytes] = {}
    diffs: dict[str, str] = {}
    for outcome in outcomes:
        if keep_sources:
            originals.update(outcome.originals)
        else:
            outcome = outcome.with_diffs().without_sources()
        for result in outcome.results:
            by_path[result.path] = result
        diffs.update(outcome.diffs)
        if progress:
            progress(len(by_path) + len(reader.unreadable), len(selected))
    for result in reader.unreadable:
        by_path[result.path] = result
    ordered = [by_path[path] for path in sorted(by_path)]
    return RunResult(tree.root, list(recipes), ordered, originals, options.revision, diffs, sources_kept=keep_sources)
