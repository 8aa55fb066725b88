"""``--verify`` over a run's result: baseline, check, bisect, withhold; the result says what was verified.

:func:`verify_result` checks every package a run changed at the level asked
(a level includes the ones before it), first on the original text (the
baseline), then with the changes in an overlay. A package failing before is
"failing before the change, not verified": its files' changes are withheld,
or kept with ``keep_unverified`` (so are files no build configuration can be
chosen for). A package that passed before and fails after is bisected
(:mod:`codemod.verify.bisect`); the responsible recipes' changes in the
responsible files are withheld and the rest is checked again, until what
remains passes. The result is changed in place: each kept change carries a
:class:`~codemod.model.VerifyNote`, each withheld one is moved to
:attr:`~codemod.model.FileResult.withheld` (so nothing writes, commits or
proposes it), and :attr:`~codemod.run.runner.RunResult.verification` sums up.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from codemod.model import VERIFY_LEVELS, Change, FileResult, Status, Verification, VerifyNote, VerifySummary
from codemod.run.runner import RunResult
from codemod.run.tasks import RunOptions
from codemod.verify.bisect import Culprit, find_culprits
from codemod.verify.check import Checker, Outcome
from codemod.verify.overlay import checkout
from codemod.verify.packages import BuildConfig, Package, map_packages
from codemod.verify.replay import ChangeKey, Replayer
from codemod.verify.toolchain import GoTool, require_go, resume
from codemod.verify.trials import Trials

if TYPE_CHECKING:
    from codemod.cache.store import ResultCache

FAILING_BEFORE = "failing before the change, not verified"


def reason_for(level: str, together: bool = False, config: BuildConfig | None = None) -> str:
    """``breaks go build``, ``fails go vet with GOOS=windows``, ...: what the change did, and where."""
    config = config or BuildConfig()
    foreign_test = level == "test" and config.foreign  # tests of another system cannot run here: vetted
    verb = {"build": "breaks go build", "vet": "fails go vet", "test": "fails go test"}[
        "vet" if foreign_test else level
    ]
    where = f" with {config.describe()}" if config != BuildConfig() else ""
    return verb + where + (" together with other recipes' changes in its package" if together else "")


def _relevant(failure: Outcome, path: str, starts: Collection[tuple[int, int]]) -> tuple[str, ...]:
    """The failure's lines about ``path`` where the recipe's changes start (line and column), else on
    their lines, else about ``path``, else all of them: a package's failure may come from several changes."""
    name = path.rpartition("/")[2]
    about = tuple(line for line in failure.message if name + ":" in line)
    exact = tuple(line for line in about if any(f"{name}:{row}:{column}:" in line for row, column in starts))
    on_line = tuple(line for line in about if any(f"{name}:{row}:" in line for row, _ in starts))
    return exact or on_line or about or failure.message


class _Run:
    """The state of one verification: which recipes are withheld in which file, and why."""

    def __init__(self, result: RunResult, replayer: Replayer, level: str):
        self.level = level
        self.originals = {r.path: r for r in result.changed}
        self.replayer = replayer
        self.excluded: dict[str, frozenset[str]] = {path: frozenset() for path in self.originals}
        self.notes: dict[tuple[str, str], VerifyNote] = {}  # (path, recipe) -> why it is withheld
        self.unverified: dict[str, VerifyNote] = {}  # path -> why its changes are not verified

    def current(self, path: str, more: frozenset[str] = frozenset()) -> FileResult:
        excluded = self.excluded[path] | more
        return self.replayer.without(path, excluded) if excluded else self.originals[path]

    def replacements(
        self, more: Mapping[str, frozenset[str]] | None = None, skip: Collection[str] = ()
    ) -> dict[str, bytes]:
        replaced: dict[str, bytes] = {}
        for path in self.originals:
            if path in skip:
                continue
            result = self.current(path, (more or {}).get(path, frozenset()))
            if result.changed and result.new_source is not None:
                replaced[path] = result.new_source
        return replaced

    def withhold(self, path: str, recipe_ids: Collection[str], note: VerifyNote) -> None:
        for recipe_id in recipe_ids:
            self.notes.setdefault((path, recipe_id), note)
        self.excluded[path] = self.excluded[path] | frozenset(recipe_ids)

    def starts_of(self, path: str, recipe_id: str) -> set[tuple[int, int]]:
        """Where ``recipe_id``'s changes of ``path`` start (line, column)."""
        return {(c.start.line, c.start.column) for c in self.current(path).changes if c.recipe_id == recipe_id}

    def recipes_in(self, path: str) -> list[str]:
        return self.current(path).recipe_ids() if self.current(path).changed else []


def verify_result(
    result: RunResult,
    level: str,
    *,
    options: RunOptions = RunOptions(),
    jobs: int = 1,
    keep_unverified: bool = False,
    cache: bool = True,
    accepted: Mapping[str, Collection[ChangeKey]] | None = None,
) -> RunResult:
    """Verify ``result``'s changes at ``level`` and keep only what passes (see the module docstring)."""
    if level not in VERIFY_LEVELS:
        raise ValueError(f"unknown verify level {level!r}")
    tool = require_go()
    resume()  # a verification stopped before (Ctrl-C in a long-lived process) does not stop this one
    started = time.monotonic()
    scanned = [r.path for r in result.results]
    originals = {path: result.originals[path] for path in result.originals}
    replayer = Replayer(result.root, result.revision, result.recipes, options, originals, scanned, accepted)
    state = _Run(result, replayer, level)
    store = _open_cache(result.root) if cache else None
    try:
        with checkout(result.root, result.revision) as tree:
            packages, trials = _verify(state, tool, tree, result, level, jobs, keep_unverified, store)
    finally:
        if store is not None:
            store.close()
    _apply(state, result, level, keep_unverified)
    withheld = sum(len(r.withheld) for r in result.results)
    result.verification = VerifySummary(
        level,
        len(packages),
        passed=len([p for p in packages if packages[p]]),
        failing_before=len([p for p in packages if packages[p] is None]),
        withheld=withheld,
        seconds=round(time.monotonic() - started, 2),
        cached=trials.cached if trials is not None else 0,
    )
    return result


def _open_cache(root: Path) -> ResultCache:
    from codemod.cache.store import ResultCache, default_cache_path
    from codemod.run.files import find_repo_root

    return ResultCache(default_cache_path(find_repo_root(root)))


def _verify(
    state: _Run,
    tool: GoTool,
    tree: Path,
    result: RunResult,
    level: str,
    jobs: int,
    keep: bool,
    store: ResultCache | None,
) -> tuple[dict[Package, bool | None], Trials | None]:
    """Baseline, then check and bisect until what is kept passes; package -> passed (None: failing before)."""
    sources = {path: r.new_source or b"" for path, r in state.originals.items()}
    if not sources:
        return {}, None
    mapped = map_packages(tool, tree, sources)
    for path, why in mapped.unverifiable.items():
        state.unverified[path] = VerifyNote(Verification.UNVERIFIED, level, f"not verified: {why}")
    files_of: dict[Package, list[str]] = {}
    for path, packages in mapped.packages.items():
        for package in packages:
            files_of.setdefault(package, []).append(path)
    checker = Checker(tool, level, jobs, lambda p: any(f.endswith("_test.go") for f in files_of.get(p, ())))
    trials = Trials(checker, tree, result.revision, store)
    everything = sorted(files_of)
    # With the changes first: a package is checked on its original text (the baseline) only when it
    # fails with them, so a failure that was there before is never pinned on a recipe.
    first = trials.one(everything, state.replacements())
    failing_first = [package for package in everything if not first.get(package, Outcome(True)).passed]
    baseline = trials.one(failing_first, {}) if failing_first else {}
    verdicts: dict[Package, bool | None] = {}
    for package in failing_first:
        outcome = baseline.get(package, Outcome(True))
        if not outcome.passed:
            verdicts[package] = None
            note = VerifyNote(Verification.UNVERIFIED, level, FAILING_BEFORE, outcome.message, outcome.tests)
            for path in files_of[package]:
                state.unverified.setdefault(path, note)
    skip = () if keep else set(state.unverified)
    to_check = [p for p in everything if verdicts.get(p, True) is not None]
    outcomes = first if not skip else trials.one(to_check, state.replacements(skip=skip))
    for _ in range(1 + sum(len(state.recipes_in(path)) for path in state.originals)):
        failing = {p: o for p in to_check if not (o := outcomes.get(p, Outcome(True))).passed}
        for package in to_check:
            verdicts[package] = package not in failing
        if not failing:
            break
        own = {
            p: {path: state.recipes_in(path) for path in files_of[p] if path not in skip and state.recipes_in(path)}
            for p in failing
        }
        culprits = find_culprits(failing, own, lambda more: state.replacements(more, skip), trials)
        if not culprits:  # nothing narrows it down: the failing packages' own changes go
            culprits = [
                Culprit(path, rid, p, failing[p], True)
                for p, files in own.items()
                for path, ids in files.items()
                for rid in ids
            ]
        if not culprits:
            break
        for culprit in culprits:
            note = VerifyNote(
                Verification.WITHHELD,
                level,
                reason_for(level, culprit.together, culprit.package.config),
                _relevant(culprit.failure, culprit.path, state.starts_of(culprit.path, culprit.recipe_id)),
                culprit.failure.tests,
            )
            state.withhold(culprit.path, [culprit.recipe_id], note)
        outcomes = trials.one(to_check, state.replacements(skip=skip))  # what remains, again
    return verdicts, trials


def _note(change: Change, note: VerifyNote) -> Change:
    return dataclasses.replace(change, verification=note)


def _apply(state: _Run, result: RunResult, level: str, keep: bool) -> None:
    verified = VerifyNote(Verification.VERIFIED, level)
    updated: list[FileResult] = []
    for original in result.results:
        path = original.path
        if path not in state.originals:
            updated.append(original)
            continue
        unverified = state.unverified.get(path)
        if unverified is not None and not keep:
            withheld = tuple(_note(c, unverified) for c in original.changes)
            updated.append(
                dataclasses.replace(original, status=Status.UNCHANGED, new_source=None, changes=[], withheld=withheld)
            )
            result.diffs.pop(path, None)
            continue
        current = state.current(path)
        kept_note = unverified or verified
        kept = [_note(c, kept_note) for c in current.changes] if current.changed else []
        withheld_ids = {rid for (p, rid) in state.notes if p == path}
        withheld = tuple(
            _note(c, state.notes[(path, c.recipe_id)]) for c in original.changes if c.recipe_id in withheld_ids
        )
        if current is not original:
            result.diffs.pop(path, None)
        if kept:
            updated.append(dataclasses.replace(current, changes=kept, withheld=withheld))
        else:
            updated.append(
                dataclasses.replace(original, status=Status.UNCHANGED, new_source=None, changes=[], withheld=withheld)
            )
    result.results[:] = updated


@dataclass(frozen=True)
class VerifyRequest:
    """What a run asked of ``--verify``, handed to the modes that act on a result (write, commit, review,
    the bot): the level, the run's options and jobs, and what to do with unverified changes."""

    level: str
    options: RunOptions
    jobs: int = 1
    keep_unverified: bool = False
    cache: bool = True

    def apply(self, result: RunResult, accepted: Mapping[str, Collection[ChangeKey]] | None = None) -> RunResult:
        """Verify ``result`` in place (:func:`verify_result`)."""
        return verify_result(
            result,
            self.level,
            options=self.options,
            jobs=self.jobs,
            keep_unverified=self.keep_unverified,
            cache=self.cache,
            accepted=accepted,
        )
