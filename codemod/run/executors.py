"""Where package tasks run: this process, a local process pool, or a Dask cluster.

:func:`build_executor` turns a run's options into an executor (the seam
:class:`codemod.run.tasks.Executor`): ``local`` runs in-process for one job and
in a pool of ``-j N`` worker processes otherwise (:mod:`codemod.run.tasks`);
``dask`` sends the very same task function to a Dask distributed cluster,
the one at ``--scheduler tcp://host:port`` or a local cluster of ``-j N``
single-threaded worker processes. With the cache on, the runner puts
:mod:`codemod.run.cached` in front of the executor. Whatever the executor, the
runner merges results in path order, so the output is the same.

Local workers inherit the gofmt path found once here
(:func:`codemod.golang.gofmt.share_gofmt_path`), when the first task needs work.

Workers of a remote cluster must run the same gocodemod engine (same version
and sources): this is checked before any task is sent.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import chain
from typing import TYPE_CHECKING, Any

from codemod.cache.keys import engine_fingerprint
from codemod.errors import UsageError
from codemod.golang.gofmt import share_gofmt_path
from codemod.model import FileResult
from codemod.run.tasks import Executor, PackageTask, crashed, drain, make_executor, run_task

if TYPE_CHECKING:
    from codemod.golang.lexer import VarDeclarers
    from codemod.prefilter.requirements import Prefilter
    from codemod.recipes.load import Recipe
    from codemod.run.tasks import RunOptions

EXECUTORS = ("local", "dask")
CONNECT_TIMEOUT = "10s"


def build_executor(recipes: list[Recipe], options: RunOptions, jobs: int, task_count: int) -> Executor:
    """The executor a run's options ask for."""
    engine_options = options.engine_options()
    if options.executor == "dask":
        inner: Executor = DaskExecutor(recipes, engine_options, options.scheduler, jobs)
    elif options.executor == "local":
        inner = make_executor(recipes, engine_options, jobs, task_count)
    else:
        raise UsageError(f"unknown executor {options.executor!r} (one of {', '.join(EXECUTORS)})")
    return Triage(inner, recipes, engine_options)


class Triage:
    """Runs here the packages no recipe can match (a byte search per file, nothing parsed),
    and sends only the others to the executor it wraps: they are not shipped to a worker.

    Each task goes on with the prefilter's verdict on its files (``PackageTask.admitted``),
    so that the engine does not search the same bytes again."""

    def __init__(self, inner: Executor, recipes: list[Recipe], engine_options: dict[str, Any]):
        self.inner, self.recipes, self.engine_options = inner, recipes, engine_options

    def map_tasks(self, tasks: Iterable[PackageTask]) -> Iterator[tuple[PackageTask, list[FileResult]]]:
        answered: deque[tuple[PackageTask, list[FileResult]]] = deque()

        def needing_work() -> Iterator[PackageTask]:
            prefilter = None
            for task in tasks:
                if prefilter is None:  # built (and the recipes compiled) only once there is work
                    from codemod.prefilter.requirements import prefilter_for

                    if self.engine_options.get("format_with_gofmt", True):
                        share_gofmt_path()
                    prefilter = prefilter_for(tuple(self.recipes))
                admitted, declarers = _triaged(prefilter, task.files)
                task = replace(task, admitted=admitted, var_declarers=declarers)
                if any(admitted.values()):
                    yield task
                else:
                    answered.append((task, run_task(task, self.recipes, self.engine_options)))

        for item in self.inner.map_tasks(needing_work()):
            yield from drain(answered)
            yield item
        yield from drain(answered)


def _triaged(prefilter: Prefilter, files: dict[str, bytes]) -> tuple[dict[str, frozenset[str]], VarDeclarers | None]:
    """The prefilter's verdict on each file, and the var names lexed (each package of the directory apart)."""
    from codemod.golang.lexer import PackageVarOracle, package_groups

    admitted: dict[str, frozenset[str]] = {}
    declaring: dict[bytes, set[str]] = {}
    unsure: set[str] = set()
    lexed = False
    for group in package_groups(files):
        package_vars = PackageVarOracle(group)  # for shapes about package-level variables
        admitted.update((path, frozenset(prefilter.may_match(data, package_vars))) for path, data in group.items())
        known = package_vars.known()
        if known is None:
            unsure |= set(group)  # not lexed: to the engine, its files may declare any name
            continue
        lexed = True
        for name, paths in known[0].items():
            declaring.setdefault(name, set()).update(paths)
        unsure |= known[1]
    return admitted, (declaring, unsure) if lexed else None


class DaskExecutor:
    """Runs package tasks on a Dask distributed cluster, a bounded number in flight."""

    def __init__(self, recipes: list[Recipe], engine_options: dict[str, Any], scheduler: str | None, jobs: int):
        self.recipes, self.engine_options = recipes, engine_options
        self.scheduler, self.jobs = scheduler, max(1, jobs)

    def map_tasks(self, tasks: Iterable[PackageTask]) -> Iterator[tuple[PackageTask, list[FileResult]]]:
        tasks = iter(tasks)
        first = next(tasks, None)
        if first is None:  # everything was answered before: no cluster to start
            return
        distributed = _import_distributed()
        client, cluster = self._connect(distributed)
        try:
            _check_workers(client)
            recipes = client.scatter(list(self.recipes), broadcast=True, hash=False)
            window = max(4, 4 * sum(client.nthreads().values()))
            running = distributed.as_completed()
            pending: dict[str, PackageTask] = {}
            for task in chain([first], tasks):
                future = client.submit(run_task, task, recipes, self.engine_options, pure=False)
                pending[future.key] = task
                running.add(future)
                if len(pending) >= window:
                    yield _collected(next(running), pending)
            for future in running:
                yield _collected(future, pending)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    def _connect(self, distributed: Any) -> tuple[Any, Any]:
        if self.scheduler:
            try:
                return distributed.Client(self.scheduler, timeout=CONNECT_TIMEOUT), None
            except (OSError, TimeoutError) as error:
                raise UsageError(f"cannot reach the Dask scheduler at {self.scheduler}: {error}") from None
        if self.engine_options.get("format_with_gofmt", True):
            share_gofmt_path()  # the local cluster's workers inherit it
        import logging

        cluster = distributed.LocalCluster(
            n_workers=self.jobs,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        return distributed.Client(cluster), cluster


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise UsageError("--executor dask needs Dask: pip install 'gocodemod[dask]'") from None
    return distributed


def _check_workers(client: Any) -> None:
    """Refuse workers whose engine differs from ours: their results (and cache rows) would be wrong."""
    ours = engine_fingerprint()
    for worker, theirs in sorted(client.run(engine_fingerprint).items()):
        if theirs != ours:
            raise UsageError(
                f"Dask worker {worker} runs a different gocodemod engine ({theirs[:12]}, here {ours[:12]})"
            )


def _collected(future: Any, pending: dict[str, PackageTask]) -> tuple[PackageTask, list[FileResult]]:
    task = pending.pop(future.key)
    try:
        return task, future.result()
    except Exception as error:  # a lost worker or a bug takes only its package down
        return task, crashed(task, error)
