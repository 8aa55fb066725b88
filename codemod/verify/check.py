"""Running one verification level over packages, with or without the changed text.

``build`` runs ``go build`` (and ``go test -c`` where test files changed),
``vet`` runs ``go vet`` (which compiles the tests too), ``test`` runs ``go
test -json`` (its vet subset included; a package built for another system is
vetted, its tests cannot run here). Packages of one module and one build
configuration share a ``go`` invocation, split into at most ``jobs`` batches
that run in parallel. A failing batch names its failing packages in its
output (``# import/path`` headers, ``go test -json`` events); packages it does
not name are checked again on their own, so a failure is never pinned on the
wrong package. Each package's outcome is cached (:mod:`codemod.verify.trials`).
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from codemod.verify.overlay import overlay
from codemod.verify.packages import Package
from codemod.verify.toolchain import GoTool, stop_running

MESSAGE_LINES = 8
_MODULE_LINE = re.compile(r"^module\s+\"?([^\s\"]+)\"?", re.MULTILINE)
_HEADER = re.compile(r"^# (\S+)(?: \[(\S+)\])?$")


@dataclass(frozen=True)
class Outcome:
    """A package's verdict at a level: passed, or the toolchain's first lines and failing tests."""

    passed: bool
    message: tuple[str, ...] = ()
    tests: tuple[str, ...] = ()


def module_path(module: str) -> str:
    """The module path its go.mod declares ("" when unreadable)."""
    try:
        found = _MODULE_LINE.search((Path(module) / "go.mod").read_text(errors="replace"))
    except OSError:
        return ""
    return found.group(1) if found else ""


def import_path(package: Package) -> str:
    base = module_path(package.module)
    return base if package.relative == "." else f"{base}/{package.relative}"


def _first_lines(lines: list[str]) -> tuple[str, ...]:
    kept = [line.rstrip() for line in lines if line.strip() and not line.startswith("# ")]
    return tuple(kept[:MESSAGE_LINES])


def _by_header(text: str, paths: Mapping[str, Package]) -> dict[Package, list[str]]:
    """Output lines under each ``# import/path`` header, for the packages of ``paths`` (import path -> package)."""
    found: dict[Package, list[str]] = {}
    current: Package | None = None
    for line in text.splitlines():
        header = _HEADER.match(line)
        if header:
            name = header.group(1)
            current = paths.get(name) or paths.get(name.removesuffix("_test")) or paths.get(name.removesuffix(".test"))
            if current is not None:
                found.setdefault(current, [])
            continue
        if current is not None:
            found[current].append(line)
    return found


def _test_events(stdout: str, paths: Mapping[str, Package]) -> dict[Package, Outcome]:
    """Per package of a ``go test -json`` run: passed, or the failing tests and their first output lines."""
    failed_tests: dict[Package, list[str]] = {}
    output: dict[tuple[Package, str], list[str]] = {}
    verdicts: dict[Package, bool] = {}
    for line in stdout.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        package = paths.get(event.get("Package") or event.get("ImportPath", "").split(" ")[0])
        if package is None:
            continue
        test, action = event.get("Test", ""), event.get("Action", "")
        if action in ("output", "build-output"):
            output.setdefault((package, test), []).append(event.get("Output", "").rstrip("\n"))
        elif action == "fail" and test:
            failed_tests.setdefault(package, []).append(test)
        elif action in ("pass", "fail", "skip") and not test:
            verdicts[package] = action != "fail"
    outcomes: dict[Package, Outcome] = {}
    for package, passed in verdicts.items():
        if passed:
            outcomes[package] = Outcome(True)
            continue
        tests = tuple(failed_tests.get(package, ()))
        lines = [line for test in tests for line in output.get((package, test), ())] or output.get((package, ""), [])
        lines = [line for line in lines if not line.startswith(("=== ", "--- FAIL", "FAIL", "ok "))]
        outcomes[package] = Outcome(False, _first_lines(lines), tests)
    return outcomes


def _renamed(outcome: Outcome, names: Mapping[str, str]) -> Outcome:
    """``outcome`` with the overlay's file names in its message replaced by the files they stand for."""
    if outcome.passed or not names:
        return outcome
    message = []
    for line in outcome.message:
        for target, path in names.items():
            line = line.replace(target, path)
        message.append(line)
    return Outcome(False, tuple(message), outcome.tests)


class Checker:
    """Runs ``level`` over packages; ``tests_changed`` says which packages had test files changed."""

    def __init__(self, tool: GoTool, level: str, jobs: int, tests_changed: Callable[[Package], bool]):
        self.tool = tool
        self.level = level
        self.jobs = max(1, jobs)
        self.tests_changed = tests_changed

    def check(self, packages: list[Package], replacements: Mapping[str, bytes], root: Path) -> dict[Package, Outcome]:
        """Each package's outcome with ``replacements`` (tree path -> bytes) in place of the files on disk."""
        groups: dict[tuple[str, object], list[Package]] = {}
        for package in sorted(packages):
            groups.setdefault((package.module, package.config), []).append(package)
        batches: list[list[Package]] = []
        for group in groups.values():
            size = -(-len(group) // max(1, self.jobs // len(groups) or 1))
            batches += [group[start : start + size] for start in range(0, len(group), size)]
        outcomes: dict[Package, Outcome] = {}
        with overlay(root, replacements) as (document, names):
            with ThreadPoolExecutor(min(self.jobs, len(batches) or 1)) as pool:
                try:
                    for found in pool.map(lambda batch: self._batch(batch, document), batches):
                        outcomes.update({package: _renamed(outcome, names) for package, outcome in found.items()})
                except BaseException:  # Ctrl-C: the go commands end now, then the overlay is removed
                    stop_running()
                    raise
        return outcomes

    def _batch(self, batch: list[Package], document: Path | None) -> dict[Package, Outcome]:
        """Every package's outcome: a failing run's unnamed packages are checked again, as a batch while
        the failure named someone (they may have waited on a broken dependency), else one by one."""
        found = self._run(batch, document)
        unnamed = [package for package in batch if package not in found]
        if unnamed and len(batch) > 1:
            if len(unnamed) < len(batch):
                found.update(self._batch(unnamed, document))
            else:
                for package in unnamed:
                    found.update(self._run([package], document))
        return {package: found.get(package, Outcome(True)) for package in batch}

    def _run(self, batch: list[Package], document: Path | None) -> dict[Package, Outcome]:
        """What one ``go`` invocation says of ``batch``: the packages it names (all of them when it passes)."""
        first = batch[0]
        env, flags = first.config.env(), first.config.flags()
        flags += ["-overlay=" + str(document)] if document is not None else []
        paths = {import_path(package): package for package in batch}
        patterns = [package.pattern for package in batch]
        level = "vet" if self.level == "test" and first.config.foreign else self.level
        if level == "test":
            done = self.tool.run(["test", "-json", *flags, *patterns], first.module, env)
            found = _test_events(done.stdout, paths)
            if done.returncode != 0 and len(batch) == 1 and found.get(first, Outcome(False)).passed is not False:
                found[first] = Outcome(False, _first_lines(done.stderr.splitlines() + done.stdout.splitlines()[-3:]))
            return found
        if level == "vet":
            return self._named(batch, self.tool.run(["vet", *flags, *patterns], first.module, env), paths)
        done = self.tool.run(["build", *flags, *patterns], first.module, env)
        found = self._named(batch, done, paths)
        with_tests = [
            package for package in batch if self.tests_changed(package) and found.get(package, Outcome(True)).passed
        ]
        if with_tests and done.returncode == 0:
            with tempfile.TemporaryDirectory(prefix="gocodemod-testbin-") as out:
                compiled = self.tool.run(
                    ["test", "-c", "-o", out + "/", *flags, *(p.pattern for p in with_tests)], first.module, env
                )
            found.update(self._named(with_tests, compiled, paths))
        return found

    @staticmethod
    def _named(
        batch: list[Package], done: subprocess.CompletedProcess[str], paths: Mapping[str, Package]
    ) -> dict[Package, Outcome]:
        """Outcomes of the packages ``done``'s output names (every one when it passed; a lone package
        whatever the output says)."""
        if done.returncode == 0:
            return {package: Outcome(True) for package in batch}
        text = done.stderr + done.stdout
        named = {package: Outcome(False, _first_lines(lines)) for package, lines in _by_header(text, paths).items()}
        if len(batch) == 1 and batch[0] not in named:
            named[batch[0]] = Outcome(False, _first_lines(text.splitlines()))
        return named
