"""A run: recipes over every Go package of a tree, merged into one result.

``run`` discovers the files (:mod:`codemod.files`), groups them by directory
into package tasks (all ``.go`` files of one directory, so the engine sees
package-wide facts), reads their bytes, and hands the tasks to an executor.
The executor is the seam for scaling out: :class:`InProcessExecutor` and
:class:`ProcessPoolRunner` live here; a distributed executor or a result
cache only has to implement :class:`Executor`. Results come back in sorted
path order whatever order the tasks finish in.
"""

from __future__ import annotations

import os
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Protocol, Sequence

from codemod.files import FileFilter, GitRevision, GoVersions, SourceTree, WorkingTree, discover, narrowing_prefixes
from codemod.model import FileResult, Status

if TYPE_CHECKING:
    from codemod.recipe import Recipe

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class RunOptions:
    """Everything about a run except the recipes and the paths."""

    file_filter: FileFilter = FileFilter()
    include_generated: bool = False
    format_with_gofmt: bool = True
    suppressions: bool = True
    report_unused_ignores: bool = False
    revision: str | None = None  # read files from this commit, not the working tree
    cache: bool = False  # answer unchanged packages from the result cache (codemod.cache)
    executor: str = "local"  # "local" (in-process or -j N processes) or "dask" (codemod.executors)
    scheduler: str | None = None  # Dask scheduler address; None starts a local cluster

    def engine_options(self) -> dict[str, Any]:
        return {
            "include_generated": self.include_generated,
            "format_with_gofmt": self.format_with_gofmt,
            "suppressions": self.suppressions,
            "report_unused_ignores": self.report_unused_ignores,
        }


@dataclass(frozen=True)
class PackageTask:
    """One unit of work: every selected ``.go`` file of one directory."""

    directory: str
    files: dict[str, bytes]
    go_version: str | None


@dataclass
class RunResult:
    """Per-file results of a run, sorted by path, plus what rendering needs."""

    root: Path
    recipes: list["Recipe"]
    results: list[FileResult]
    originals: dict[str, bytes] = field(default_factory=dict)  # bytes before, for changed files
    revision: str | None = None

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

    def recipe(self, recipe_id: str) -> "Recipe | None":
        return next((recipe for recipe in self.recipes if recipe.id == recipe_id), None)


def run_task(task: PackageTask, recipes: list["Recipe"], engine_options: dict[str, Any]) -> list[FileResult]:
    """Run the engine over one package; the function every executor calls."""
    from codemod.engine import run_package

    return run_package(task.files, recipes, go_version=task.go_version, **engine_options)


def _crashed(task: PackageTask, error: BaseException) -> list[FileResult]:
    reason = f"internal error: {type(error).__name__}: {error}"
    return [FileResult(path=path, status=Status.FAILED, reason=reason) for path in task.files]


class Executor(Protocol):
    """Runs package tasks and yields each with its results, in any order."""

    def map_tasks(self, tasks: Iterable[PackageTask]) -> Iterator[tuple[PackageTask, list[FileResult]]]: ...


class InProcessExecutor:
    """Runs tasks one after the other in this process."""

    def __init__(self, recipes: list["Recipe"], engine_options: dict[str, Any]):
        self.recipes = recipes
        self.engine_options = engine_options

    def map_tasks(self, tasks: Iterable[PackageTask]) -> Iterator[tuple[PackageTask, list[FileResult]]]:
        for task in tasks:
            try:
                yield task, run_task(task, self.recipes, self.engine_options)
            except Exception as error:  # the engine never raises; a bug must not lose the run
                yield task, _crashed(task, error)


_worker_state: dict[str, Any] = {}


def _init_worker(recipes: list["Recipe"], engine_options: dict[str, Any]) -> None:
    _worker_state["recipes"] = recipes
    _worker_state["engine_options"] = engine_options


def _run_in_worker(task: PackageTask) -> list[FileResult]:
    return run_task(task, _worker_state["recipes"], _worker_state["engine_options"])


class ProcessPoolRunner:
    """Runs tasks in ``jobs`` worker processes, keeping a bounded number in flight."""

    def __init__(self, recipes: list["Recipe"], engine_options: dict[str, Any], jobs: int):
        self.recipes = recipes
        self.engine_options = engine_options
        self.jobs = jobs

    def map_tasks(self, tasks: Iterable[PackageTask]) -> Iterator[tuple[PackageTask, list[FileResult]]]:
        window = self.jobs * 4
        pending: dict[Future[list[FileResult]], PackageTask] = {}
        with ProcessPoolExecutor(self.jobs, initializer=_init_worker, initargs=(self.recipes, self.engine_options)) as pool:
            for task in tasks:
                pending[pool.submit(_run_in_worker, task)] = task
                if len(pending) >= window:
                    yield from self._collect(pending, wait(pending, return_when=FIRST_COMPLETED).done)
            while pending:
                yield from self._collect(pending, wait(pending, return_when=FIRST_COMPLETED).done)

    @staticmethod
    def _collect(
        pending: dict[Future[list[FileResult]], PackageTask], done: Iterable[Future[list[FileResult]]]
    ) -> Iterator[tuple[PackageTask, list[FileResult]]]:
        for future in done:
            task = pending.pop(future)
            try:
                yield task, future.result()
            except Exception as error:  # a worker that died takes only its package down
                yield task, _crashed(task, error)


def make_executor(recipes: list["Recipe"], engine_options: dict[str, Any], jobs: int, task_count: int) -> Executor:
    """In-process for one job or one package; a process pool otherwise."""
    if jobs <= 1 or task_count <= 1:
        return InProcessExecutor(recipes, engine_options)
    return ProcessPoolRunner(recipes, engine_options, min(jobs, task_count))


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def open_tree(root: Path, revision: str | None) -> SourceTree:
    return GitRevision(root, revision) if revision else WorkingTree(root)


def _package_dir(rel_path: str) -> str:
    """The directory of a normalised root-relative POSIX path ("." at the root)."""
    return rel_path.rpartition("/")[0] or "."


def _tasks(tree: SourceTree, paths: list[str], unreadable: list[FileResult]) -> Iterator[PackageTask]:
    versions = GoVersions(tree)
    for directory, group in groupby(paths, key=_package_dir):
        files: dict[str, bytes] = {}
        for path in group:
            data = tree.read(path)
            if data is None:
                unreadable.append(FileResult(path=path, status=Status.FAILED, reason="cannot read the file"))
            else:
                files[path] = data
        if files:
            yield PackageTask(directory, files, versions.for_directory(directory))


def run(
    root: Path,
    recipes: list["Recipe"],
    *,
    paths: Sequence[Path] = (),
    jobs: int = 1,
    options: RunOptions = RunOptions(),
    progress: ProgressCallback | None = None,
    executor: Executor | None = None,
) -> RunResult:
    """Run ``recipes`` over the Go files under ``root`` (narrowed by ``paths``)."""
    tree = open_tree(root, options.revision)
    prefixes = narrowing_prefixes(tree.root, paths, must_exist=options.revision is None)
    selected = discover(tree, options.file_filter, prefixes)
    selected.sort(key=lambda rel: (_package_dir(rel), rel))
    task_count = len({_package_dir(rel) for rel in selected})
    if executor is None:
        from codemod.executors import build_executor  # it builds on this module

        executor = build_executor(recipes, options, jobs, task_count, tree)
    unreadable: list[FileResult] = []
    by_path: dict[str, FileResult] = {}
    originals: dict[str, bytes] = {}
    for task, results in executor.map_tasks(_tasks(tree, selected, unreadable)):
        for result in results:
            by_path[result.path] = result
            if result.status is Status.CHANGED:
                originals[result.path] = task.files[result.path]
        if progress:
            progress(len(by_path) + len(unreadable), len(selected))
    for result in unreadable:
        by_path[result.path] = result
    ordered = [by_path[path] for path in sorted(by_path)]
    return RunResult(tree.root, list(recipes), ordered, originals, options.revision)
