"""The result cache in front of the executor: unchanged packages are answered without reading them.

A package's cache key (:func:`codemod.cache.keys.package_key`) needs the content
hash of each of its files. On a working tree the stat memo
(:mod:`codemod.cache.statmemo`) vouches for the hash of every file whose identity
has not changed since it was last read, so a warm run stats files instead of
reading them. Packages go in chunks (as many as :data:`CHUNK_BYTES` of files
read allow: a warm run, which reads nothing, makes one chunk; a cold one
starts work after the first megabyte, then looks up ever larger chunks): their keys are computed, looked
up together, and then

* a hit is answered at once; the few files it changed are read to give the
  report and ``--write`` their original bytes, and checked against the hash
  the key was made of (a mismatch, a file rewritten since its ``stat``,
  turns the hit into a miss);
* a miss is read and handed to the executor when it asks for work; its
  results are stored, with the unified diff of each changed file (so a
  warm dry run does not run ``difflib``), under the key of the bytes
  actually read.

Nothing here can return a result for bytes other than those the key hashes.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from codemod.cache.keys import package_content, package_key, run_key
from codemod.cache.statmemo import StatMemo, content_hash
from codemod.cache.store import ResultCache, default_cache_path
from codemod.model import FileResult, Status
from codemod.run.files import GitRevision, SourceTree, WorkingTree
from codemod.run.tasks import Executor, PackageOutcome, PackageReader, PackageTask, drain

if TYPE_CHECKING:
    from codemod.recipes.load import Recipe
    from codemod.run.tasks import RunOptions

CHUNK_BYTES = 16 << 20  # bytes read while probing after which a chunk's keys are looked up
FIRST_CHUNK_BYTES = 1 << 20  # the first chunk: small, so that work starts early


@dataclass
class Probe:
    """What a package's key was computed from."""

    directory: str
    paths: list[str]
    hashes: dict[str, bytes] = field(default_factory=dict)  # path -> content hash
    data: dict[str, bytes] = field(default_factory=dict)  # bytes read while probing
    content: bytes | None = None  # see package_content; None when a file could not be stat'ed or read
    key: str | None = None


class PackageKeys:
    """Computes package keys from the stat memo where it vouches for a file, else from its bytes.

    The run's shared key part (:func:`codemod.cache.keys.run_key`) is asked for only
    when the first keys are needed, so the search for gofmt it waits on has
    the time to finish meanwhile."""

    def __init__(self, reader: PackageReader, shared: Callable[[], bytes], memo: StatMemo | None):
        self.reader, self.memo = reader, memo
        self.tree: SourceTree = reader.tree
        self._shared_of = shared
        self._shared: bytes | None = None

    @property
    def shared(self) -> bytes:
        if self._shared is None:
            self._shared = self._shared_of()
        return self._shared

    def with_keys(self, probes: list[Probe]) -> list[Probe]:
        """``probes``, each given the key of its content."""
        for probe in probes:
            if probe.content is not None:
                probe.key = package_key(self.shared, probe.content)
        return probes

    def probe(self, directory: str, paths: list[str]) -> Probe:
        probe = Probe(directory, paths)
        stat_time = time.time_ns()  # before any stat of the package: what a racy check needs
        if self.memo is not None:
            probe.hashes, unknown = self.memo.vouch(self.tree.path_of(""), paths)  # type: ignore[attr-defined]
        else:
            unknown = dict.fromkeys(paths)
        for path, identity in unknown.items():
            if self.memo is not None and identity is None:
                return probe  # cannot be stat'ed: the reader reports it
            data = self.tree.read(path)
            if data is None:
                return probe
            probe.hashes[path] = digest = content_hash(data)
            probe.data[path] = data
            if self.memo is not None and identity is not None:
                self.memo.record(path, identity, digest, stat_time)
        probe.content = package_content(self.reader.go_version(directory), probe.hashes.items())
        return probe

    def answer(self, probe: Probe, stored: tuple[list[FileResult], dict[str, str]]) -> PackageOutcome | None:
        """The outcome of a hit, or None when a changed file's bytes are no longer the ones hashed."""
        results, diffs = stored
        originals: dict[str, bytes] = {}
        for result in results:
            if result.status is Status.CHANGED:
                data = probe.data.get(result.path)
                if data is None:
                    data = self.tree.read(result.path)
                if data is None or content_hash(data) != probe.hashes.get(result.path):
                    self._distrust(result.path)
                    return None
                originals[result.path] = data
        return PackageOutcome(results, originals, diffs)

    def key_of(self, task: PackageTask, probe: Probe) -> str:
        """The key of the bytes a task actually holds (read now or while probing)."""
        hashes: dict[str, bytes] = {}
        for path, data in task.files.items():
            digest = probe.hashes.get(path) if path in probe.data else None
            if digest is None:
                digest = content_hash(data)
                if path in probe.hashes and probe.hashes[path] != digest:
                    self._distrust(path)
            hashes[path] = digest
        return package_key(self.shared, package_content(task.go_version, hashes.items()))

    def _distrust(self, path: str) -> None:
        if self.memo is not None:
            self.memo.forget(path)


def cached_outcomes(
    packages: list[tuple[str, list[str]]],
    reader: PackageReader,
    executor: Executor,
    recipes: list[Recipe],
    options: RunOptions,
    *,
    whole_tree: bool,
) -> Iterator[PackageOutcome]:
    """Every package's outcome: from the cache when it holds the package's key, else from ``executor``."""
    tree = reader.tree
    repo_root = tree.root if isinstance(tree, GitRevision) else getattr(tree, "repo_root", None)
    cache = ResultCache(default_cache_path(repo_root))
    try:
        memo_key = f"stat:{tree.root}" if isinstance(tree, WorkingTree) else None
        memo = StatMemo.from_payload(cache.get_value(memo_key)) if memo_key else None
        keys = PackageKeys(reader, lambda: run_key(recipes, options.engine_options()), memo)
        answered: deque[PackageOutcome] = deque()
        store_as: dict[str, str] = {}

        def misses() -> Iterator[PackageTask]:
            for chunk in _chunks(keys, packages):
                probes = keys.with_keys(chunk)
                found = cache.get_many([probe.key for probe in probes if probe.key])
                for probe in probes:
                    stored = found.get(probe.key) if probe.key else None
                    outcome = keys.answer(probe, stored) if stored is not None else None
                    if outcome is not None:
                        answered.append(outcome)
                        continue
                    task = reader.task(probe.directory, probe.paths, probe.data)
                    if task is not None:
                        store_as[task.directory] = keys.key_of(task, probe)
                        yield task

        for task, results in executor.map_tasks(misses()):
            outcome = PackageOutcome.of_task(task, results).with_diffs()
            cache.put(store_as.pop(task.directory), results, outcome.diffs)
            yield from drain(answered)
            yield outcome
        yield from drain(answered)
        if memo is not None and memo_key is not None:
            if whole_tree:
                memo.keep_only(path for _, paths in packages for path in paths)
            if memo.changed:
                cache.put_value(memo_key, memo.to_payload())
    finally:
        cache.close()


def _chunks(keys: PackageKeys, packages: list[tuple[str, list[str]]]) -> Iterator[list[Probe]]:
    """The packages' probes, in chunks that end once :data:`FIRST_CHUNK_BYTES` were read, then
    twice as many each time up to :data:`CHUNK_BYTES` (the workers get their first tasks early)."""
    chunk: list[Probe] = []
    read, limit = 0, FIRST_CHUNK_BYTES
    for directory, paths in packages:
        probe = keys.probe(directory, paths)
        chunk.append(probe)
        read += sum(map(len, probe.data.values()))
        if read >= limit:
            yield chunk
            chunk, read, limit = [], 0, min(2 * limit, CHUNK_BYTES)
    if chunk:
        yield chunk
