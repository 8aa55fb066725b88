"""``--interactive``: review change by change on a terminal, keep what is accepted.

For each change (one fix: every edit it makes, also when a recipe's fix
spans several matches, as mutex-to-rwmutex's field and its Lock/Unlock
calls; see :mod:`codemod.engine.decisions`) the hunk is shown with context,
also for changes that appear only after earlier fixes in the file, and one
key decides (the prompt lists them): ``y`` apply it, ``n`` leave it, ``a`` apply it and every
later change of the same recipe, ``s`` leave the rest of this file, ``q``
stop (changes accepted so far are kept, nothing else is touched). The
engine asks before it applies each change (its ``decide`` hook), so what is
written is exactly the accepted set, re-checked and gofmt-formatted like
any other run; a declined change is not offered again in a later pass. A
recipe whose fix spans several matches may find its pieces in several files
of a package (a field in one, its Lock calls in another): the first answer
about it in a package is its answer for every file of that package, so the
pieces are all applied or none. Files run in-process, one at a time, with their package as
context.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.syntax import Syntax
from rich.text import Text

from codemod.apply.writer import uncommitted_paths
from codemod.engine.decisions import spans_matches
from codemod.errors import UsageError
from codemod.fix.edits import apply_edits
from codemod.model import Change, FileResult, Status
from codemod.output.diff import displayable
from codemod.run.runner import RunResult, run
from codemod.run.tasks import PackageTask, RunOptions
from codemod.run.textdiff import unified_diff

if TYPE_CHECKING:
    from codemod.recipes.load import Recipe

KEYS = {
    "y": "apply this change",
    "n": "leave this change",
    "a": "apply this and every later change of this recipe",
    "s": "leave the rest of this file",
    "q": "quit: keep what was accepted, leave everything else",
}
PROMPT = "Apply this change? [y]es [n]o [a]ll of this recipe [s]kip file [q]uit [?]help "


def read_key() -> str:
    """One key press from the terminal; Ctrl-C and Ctrl-D count as quit."""
    try:
        key = click.getchar()
    except (KeyboardInterrupt, EOFError):
        return "q"
    return "q" if key in ("\x03", "\x04") else key.lower()


@dataclass
class Reviewer:
    """Holds the review state and answers the engine's ``decide`` calls."""

    console: Console
    recipes: dict[str, Recipe]
    read: Callable[[], str] = read_key
    accept_all: set[str] = field(default_factory=set)
    quit: bool = False
    accepted: int = 0
    asked: int = 0
    _path: str = ""
    _source: bytes = b""  # the file as the current pass sees it
    _skip_file: bool = False
    _package_answers: dict[tuple[str, str], bool] = field(default_factory=dict)  # (directory, recipe id)
    # path -> each accepted change (codemod.verify.replay.change_key): what --verify may make again
    accepted_keys: dict[str, set[tuple[str, str, str, int, int, int]]] = field(default_factory=dict)

    def start_file(self, path: str, source: bytes) -> None:
        self._path, self._source, self._skip_file = path, source, False

    def start_pass(self, source: bytes) -> None:
        """The engine's ``on_pass`` hook: later changes are edits of this source."""
        self._source = source

    def decide(self, change: Change) -> bool:
        if self.quit or self._skip_file:
            return False
        if change.recipe_id in self.accept_all:
            self.accepted += 1
            return True
        package = (self._path.rpartition("/")[0], change.recipe_id)
        if package in self._package_answers:  # another piece of a fix already answered in this package
            self.accepted += self._package_answers[package]
            return self._package_answers[package]
        self.asked += 1
        self.show(change)
        answer = self._ask()
        if answer == "q":
            self.quit = True
        elif answer == "s":
            self._skip_file = True
        elif answer == "a":
            self.accept_all.add(change.recipe_id)
        accepted = answer in ("y", "a")
        recipe = self.recipes.get(change.recipe_id)
        if answer in ("y", "n", "s") and recipe is not None and spans_matches(recipe.fix):
            self._package_answers[package] = accepted
        self.accepted += accepted
        return accepted

    def decide_and_record(self, change: Change) -> bool:
        """:meth:`decide`, remembering each accepted change for a later replay (``--verify``)."""
        accepted = self.decide(change)
        if accepted:
            key = (
                change.recipe_id,
                change.before,
                change.after,
                change.pass_index,
                change.start.line,
                change.start.column,
            )
            self.accepted_keys.setdefault(self._path, set()).add(key)
        return accepted

    def _ask(self) -> str:
        while True:
            self.console.print(PROMPT, end="", highlight=False, markup=False)
            key = self.read()
            self.console.print(key if key.isprintable() else "")
            if key in KEYS:
                return key
            for letter, meaning in KEYS.items():
                self.console.print(f"  {letter}  {meaning}", highlight=False)

    def show(self, change: Change) -> None:
        recipe = self.recipes.get(change.recipe_id)
        safety = recipe.safety.value if recipe else "unknown"
        header = Text(f"{self._path}:{change.start.line}:{change.start.column}  ", style="bold")
        header.append(change.recipe_id, style="cyan")
        header.append(f" ({safety})", style="red" if safety == "unsafe" else "green")
        self.console.rule(header, align="left")
        if change.message:
            self.console.print(change.message, highlight=False, markup=False)
        self.console.print(
            Syntax(displayable(self.hunk(change)), "diff", theme="ansi_dark", background_color="default")
        )

    def hunk(self, change: Change) -> str:
        """The change as a diff with context, against the file as its pass sees it
        (after the fixes of earlier passes, which the hunk header says)."""
        changed = apply_edits(self._source, sorted(change.edits, key=lambda e: (e.start, e.end)))
        text = unified_diff(self._path, self._source, changed)
        body = text.split("\n", 2)[2] if text.count("\n") >= 2 else text
        if change.pass_index > 0:
            body = "\n".join(
                f"{line} (after earlier fixes in this file)" if line.startswith("@@ ") else line
                for line in body.split("\n")
            )
        return body.rstrip("\n")


class InteractiveExecutor:
    """Runs one file at a time in this process, asking the reviewer about each change."""

    def __init__(self, recipes: list[Recipe], engine_options: dict[str, Any], reviewer: Reviewer, skip: dict[str, str]):
        self.recipes = recipes
        self.engine_options = engine_options
        self.reviewer = reviewer
        self.skip = skip  # path -> reason, files that must not be offered

    def map_tasks(self, tasks: Iterable[PackageTask]) -> Iterator[tuple[PackageTask, list[FileResult]]]:
        from codemod.engine.core import run_file

        for task in tasks:
            results: list[FileResult] = []
            for path in sorted(task.files):
                if self.reviewer.quit:
                    results.append(FileResult(path=path, status=Status.UNCHANGED))
                elif path in self.skip:
                    results.append(FileResult(path=path, status=Status.SKIPPED, reason=self.skip[path]))
                else:
                    self.reviewer.start_file(path, task.files[path])
                    options = {
                        **self.engine_options,
                        "go_version": task.go_version,
                        "decide": self.reviewer.decide_and_record,
                        "on_pass": self.reviewer.start_pass,
                    }
                    results.append(
                        run_file(path, task.files[path], self.recipes, package_sources=task.files, **options)
                    )
            yield task, results


def review(
    root: Path,
    recipes: list[Recipe],
    *,
    paths: Sequence[Path] = (),
    options: RunOptions = RunOptions(),
    console: Console,
    allow_dirty: bool = False,
    read: Callable[[], str] = read_key,
) -> tuple[RunResult, Reviewer]:
    """Run interactively; the result holds only the accepted changes.

    Files with uncommitted changes are not offered unless ``allow_dirty``
    (they could not be written), so no review is wasted."""
    if read is read_key and not sys.stdin.isatty():
        raise UsageError("--interactive needs a terminal on standard input")
    reviewer = Reviewer(console, {recipe.id: recipe for recipe in recipes}, read)
    dirty = [] if allow_dirty else uncommitted_paths(root)
    skip = {path: "uncommitted changes (use --allow-dirty)" for path in dirty}
    executor = InteractiveExecutor(recipes, options.engine_options(), reviewer, skip)
    result = run(root, recipes, paths=paths, options=options, executor=executor)
    return result, reviewer
