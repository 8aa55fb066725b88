"""Trials: packages checked with one set of replacement files, many trials at a time.

A trial is ``(packages, replacements)``. :class:`Trials` answers each
package of each trial from the result cache when it can (keys from
:mod:`codemod.verify.keys`), runs the rest through the
:class:`~codemod.verify.check.Checker` (trials in parallel up to ``jobs``)
and stores the new verdicts. The cache is only touched from the calling
thread (SQLite connections stay on theirs).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from codemod.verify.check import Checker, Outcome
from codemod.verify.keys import replacements_digest, tree_stamp, verdict_key, workspace_of
from codemod.verify.packages import Package
from codemod.verify.toolchain import stop_running

if TYPE_CHECKING:
    from codemod.cache.store import ResultCache

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
