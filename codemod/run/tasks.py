"""Package tasks and the executors that run them: the unit of work of a run.

A task is every selected ``.go`` file of one directory (so the engine sees
package-wide facts), read into memory by :class:`PackageReader`. An executor
runs tasks and yields their results in any order: :class:`InProcessExecutor`
and :class:`ProcessPoolRunner` live here, a Dask one in
:mod:`codemod.run.executors`; each only has to implement :class:`Executor`.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from codemod.model import FileResult, Status
from codemod.run.files import FileFilter, GitRevision, GoVersions, SourceTree, WorkingTree
from codemod.run.lifeline import bind_to_parent, stopping_workers
from codemod.run.textdiff import change_diff

if TYPE_CHECKING:
    from concurrent.futures import Future

    from codemod.golang.lexer import VarDeclarers
    from codemod.recipes.load import Recipe


@dataclass(frozen=True)
class RunOptions:
    """Everything about a run except the recipes and the paths."""

    file_filter: FileFilter = FileFilter()
    include_generated: bool = False
    format_with_gofmt: bool = True
    suppressions: bool = True
    report_unused_ignores: bool = False
    revision: str | None = None  # read files from this commit, not the working tree
    cache: bool = False  # answer unchanged packages from the result cache (codemod.cache.store)
    executor: str = "local"  # "local" (in-process or -j N processes) or "dask" (codemod.run.executors)
    scheduler: str | None = None  # Dask scheduler address; None starts a local cluster
    go_version_limits: tuple[tuple[str, str], ...] = ()  # (dir pattern, Go version): .gocodemod.yaml go_versions

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
    # The prefilter's verdict on each file's bytes, when already known: the ids of the
    # recipes it may match (see codemod.run.executors.Triage). The engine then skips that search.
    admitted: dict[str, frozenset[str]] | None = None
    var_declarers: VarDeclarers | None = None  # what the triage's lexing found (codemod.golang.lexer)


class PackageOutcome(NamedTuple):
    """One package's results, the bytes its changed files had, and their diffs when known."""

    results: list[FileResult]
    originals: dict[str, bytes]
    diffs: dict[str, str]  # path -> unified diff (3 lines of context); may be empty

    @classmethod
    def of_task(cls, task: PackageTask, results: list[FileResult]) -> PackageOutcome:
        originals = {r.path: task.files[r.path] for r in results if r.status is Status.CHANGED}
        return cls(results, originals, {})

    def with_diffs(self) -> PackageOutcome:
        """This outcome, with the diff of every changed file (:func:`codemod.run.textdiff.change_diff`)."""
        missing = {
            r.path: change_diff(r, self.originals[r.path])
            for r in self.results
            if r.changed and r.path not in self.diffs
        }
        return self._replace(diffs={**self.diffs, **missing}) if missing else self

    def without_sources(self) -> PackageOutcome:
        """This outcome without the bytes of its changed files, before (``originals``) and after (``new_source``)."""
        results = [replace(r, new_source=None) if r.new_source is not None else r for r in self.results]
        return PackageOutcome(results, {}, self.diffs)


def run_task(task: PackageTask, recipes: list[Recipe], engine_options: dict[str, Any]) -> list[FileResult]:
    """Run the engine over one package; the function every executor calls."""
    from codemod.engine.core import run_package

    return run_package(
        task.files,
        recipes,
        go_version=task.go_version,
        admitted=task.admitted,
        var_declarers=task.var_declarers,
        **engine_options,
    )


def crashed(task: PackageTask, error: BaseException) -> list[FileResult]:
    reason = f"internal error: {type(error).__name__}: {error}"
    return [FileResult(path=path, status=Status.FAILED, reason=reason) for path in task.files]


class Executor(Protocol):
    """Runs package tasks and yields each with its results, in any order."""

    def map_tasks(self, tasks: Iterable[PackageTask]) -> Iterator[tuple[PackageTask, list[FileResult]]]: ...


class InProcessExecutor:
    """Runs tasks one after the other in this process."""

    def __init__(self, recipes: list[Recipe], engine_options: dict[str, Any]):
        self.recipes = recipes
        self.engine_options = engine_options

    def map_tasks(self, tasks: Iterable[PackageTask]) -> Iterator[tuple[PackageTask, list[FileResult]]]:
        for task in tasks:
            try:
                yield task, run_task(task, self.recipes, self.engine_options)
            except Exception as error:  # the engine never raises; a bug must not lose the run
                yield task, crashed(task, error)


_worker_state: dict[str, Any] = {}


def _init_worker(parent: int, recipes: list[Recipe], engine_options: dict[str, Any]) -> None:
    bind_to_parent(parent)
    _worker_state["recipes"] = recipes
    _worker_state["engine_options"] = engine_options


def _run_in_worker(task: PackageTask) -> list[FileResult]:
    return run_task(task, _worker_state["recipes"], _worker_state["engine_options"])


# How far the tasks sent may run ahead of the workers: enough that a stretch of
# packages slow to triage here (a large one, or many with nothing to do) leaves
# no worker idle; bounded, so that the sources waiting stay a few megabytes.
TASKS_AHEAD = 16  # per worker
BYTES_AHEAD = 24 << 20


def _task_bytes(task: PackageTask) -> int:
    return sum(map(len, task.files.values()))


class ProcessPoolRunner:
    """Runs tasks in ``jobs`` worker processes, keeping a bounded number in flight."""

    def __init__(self, recipes: list[Recipe], engine_options: dict[str, Any], jobs: int):
        self.recipes = recipes
        self.engine_options = engine_options
        self.jobs = jobs

    def map_tasks(self, tasks: Iterable[PackageTask]) -> Iterator[tuple[PackageTask, list[FileResult]]]:
        tasks = iter(tasks)
        first = next(tasks, None)
        if first is None:  # everything was answered before: start no processes
            return
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

        pending: dict[Future[list[FileResult]], PackageTask] = {}
        pool = ProcessPoolExecutor(
            self.jobs, initializer=_init_worker, initargs=(os.getpid(), self.recipes, self.engine_options)
        )
        with stopping_workers(pool):
            for task in chain([first], tasks):
                pending[pool.submit(_run_in_worker, task)] = task
                while len(pending) >= self.jobs * TASKS_AHEAD or (
                    len(pending) > self.jobs and sum(map(_task_bytes, pending.values())) > BYTES_AHEAD
                ):
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
                yield task, crashed(task, error)


def make_executor(recipes: list[Recipe], engine_options: dict[str, Any], jobs: int, task_count: int) -> Executor:
    """In-process for one job or one package; a process pool otherwise."""
    if jobs <= 1 or task_count <= 1:
        return InProcessExecutor(recipes, engine_options)
    return ProcessPoolRunner(recipes, engine_options, min(jobs, task_count))


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def open_tree(root: Path, revision: str | None) -> SourceTree:
    return GitRevision(root, revision) if revision else WorkingTree(root)


def packages_of(paths: Iterable[str]) -> list[tuple[str, list[str]]]:
    """``(directory, sorted paths)`` per package directory, in directory order."""
    groups: dict[str, list[str]] = {}
    for path in paths:
        groups.setdefault(path.rpartition("/")[0] or ".", []).append(path)
    return [(directory, sorted(groups[directory])) for directory in sorted(groups)]


class PackageReader:
    """Turns ``(directory, paths)`` into package tasks by reading the files; a file
    that cannot be read becomes a failed result in :attr:`unreadable`."""

    def __init__(self, tree: SourceTree, go_version_limits: Sequence[tuple[str, str]] = ()):
        self.tree = tree
        self.versions = GoVersions(tree, go_version_limits)
        self.unreadable: list[FileResult] = []

    def go_version(self, directory: str) -> str | None:
        return self.versions.for_directory(directory)

    def task(self, directory: str, paths: list[str], known: dict[str, bytes] | None = None) -> PackageTask | None:
        """The task of one package (None when no file could be read); ``known`` holds bytes already read."""
        files: dict[str, bytes] = {}
        for path in paths:
            data = known.get(path) if known else None
            if data is None:
                data = self.tree.read(path)
            if data is None:
                reason = f"cannot read the file: {self.tree.why_unreadable(path)}"
                self.unreadable.append(FileResult(path=path, status=Status.FAILED, reason=reason))
            else:
                files[path] = data
        return PackageTask(directory, files, self.go_version(directory)) if files else None

    def tasks(self, packages: Iterable[tuple[str, list[str]]]) -> Iterator[PackageTask]:
        for directory, paths in packages:
            task = self.task(directory, paths)
            if task is not None:
                yield task


def executed(executor: Executor, tasks: Iterable[PackageTask]) -> Iterator[PackageOutcome]:
    """The outcome of every task ``executor`` runs."""
    for task, results in executor.map_tasks(tasks):
        yield PackageOutcome.of_task(task, results)


def drain(items: deque) -> Iterator:
    """Yield and remove every item of ``items`` (answers waiting to be merged in)."""
    while items:
        yield items.popleft()
