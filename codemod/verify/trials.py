"""Trials: packages checked with one set of replacement files, many trials at a time.

A trial is ``(packages, replacements)``. :class:`Trials` answers each
package of each trial from the result cache when it can, runs the rest
through the :class:`~codemod.verify.check.Checker` (trials in parallel up to
``jobs``) and stores the new verdicts. The cache is only touched from the
calling thread (SQLite connections stay on theirs).

A verdict is reused (:func:`verdict_key`) only when all of these are the same: the gocodemod
engine (:func:`codemod.cache.keys.engine_fingerprint`), the level, the Go
version and the variables of :data:`~codemod.verify.toolchain.ENV_KEYS`, the
package and its build configuration, the replacement text of every changed
file of the run, and the files of the module (or of the go.work workspace):
for a working tree each file's path, size and modification time, for a
commit the commit itself.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from codemod.cache.keys import engine_fingerprint
from codemod.verify.check import Checker, Outcome
from codemod.verify.packages import Package
from codemod.verify.toolchain import GoTool, stop_running

if TYPE_CHECKING:
    from codemod.cache.store import ResultCache

_SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules"})


def workspace_of(module: Path) -> Path:
    """The go.work directory above ``module`` when there is one (GOWORK=off: none), else the module."""
    if os.environ.get("GOWORK") == "off":
        return module
    for candidate in (module, *module.parents):
        if (candidate / "go.work").is_file():
            return candidate
    return module


def tree_stamp(directory: Path) -> str:
    """A digest of the path, size and modification time of every file under ``directory``."""
    digest = hashlib.blake2b(digest_size=20)
    for current, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
        for name in sorted(files):
            path = os.path.join(current, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def replacements_digest(replacements: Mapping[str, bytes]) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for path in sorted(replacements):
        digest.update(path.encode("utf-8", "surrogateescape") + b"\0" + hashlib.blake2b(replacements[path]).digest())
    return digest.hexdigest()


def verdict_key(tool: GoTool, level: str, package: Package, replacements: str, tree: str) -> str:
    """The cache key of ``package``'s verdict at ``level`` with the replacements whose digest is given,
    in the tree ``tree`` names (:func:`tree_stamp` of its workspace, or the commit)."""
    parts = [
        "verify-1",
        engine_fingerprint(),
        level,
        tool.version,
        repr(tool.environment()),
        repr((package.directory, package.config)),
        os.path.relpath(package.module, package.root or "/"),
        replacements,
        tree,
    ]
    return "verify:" + hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogateescape"), digest_size=24).hexdigest()


Trial = tuple[Sequence[Package], Mapping[str, bytes]]


class Trials:
    """Checks trials under one tree (``root``: where ``go`` reads the files), with an optional cache."""

    def __init__(self, checker: Checker, root: Path, revision: str | None, cache: ResultCache | None):
        self.checker = checker
        self.root = root
        self.revision = revision
        self.cache = cache
        self._stamps: dict[str, str] = {}  # module -> what its tree looks like, taken once per verification
        self.invocations = 0  # trials that ran the toolchain
        self.cached = 0  # package verdicts answered from the cache

    def run(self, trials: Sequence[Trial]) -> list[dict[Package, Outcome]]:
        """Each trial's outcome per package, in the order given."""
        answers: list[dict[Package, Outcome]] = [{} for _ in trials]
        keys: list[dict[Package, str]] = []
        todo: list[tuple[int, list[Package]]] = []
        for index, (packages, replacements) in enumerate(trials):
            digest = replacements_digest(replacements)
            trial_keys = {
                p: verdict_key(self.checker.tool, self.checker.level, p, digest, self._tree(p)) for p in packages
            }
            keys.append(trial_keys)
            missing = []
            for package, key in trial_keys.items():
                known = self.cache.get_value(key) if self.cache is not None else None
                if isinstance(known, Outcome):
                    answers[index][package] = known
                    self.cached += 1
                else:
                    missing.append(package)
            if missing:
                todo.append((index, missing))
        if todo:
            self.invocations += len(todo)
            workers = max(1, min(len(todo), self.checker.jobs))
            with ThreadPoolExecutor(workers) as pool:
                try:
                    found = list(
                        pool.map(lambda item: self.checker.check(item[1], trials[item[0]][1], self.root), todo)
                    )
                except BaseException:  # Ctrl-C: the go commands end now (the overlays go with their checks)
                    stop_running()
                    raise
            for (index, _), outcomes in zip(todo, found):
                answers[index].update(outcomes)
                if self.cache is not None:
                    for package, outcome in outcomes.items():
                        self.cache.put_value(keys[index][package], outcome)
        return answers

    def _tree(self, package: Package) -> str:
        """The commit, or a stamp of the package's workspace files (taken once: nothing writes meanwhile)."""
        if self.revision is not None:
            return self.revision
        if package.module not in self._stamps:
            self._stamps[package.module] = tree_stamp(workspace_of(Path(package.module)))
        return self._stamps[package.module]

    def one(self, packages: Sequence[Package], replacements: Mapping[str, bytes]) -> dict[Package, Outcome]:
        return self.run([(packages, replacements)])[0]
