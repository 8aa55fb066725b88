"""Unified diffs of changed files: plain (``git apply``-able) and rich on a terminal.

The diff text itself is made by :mod:`codemod.run.textdiff` (a run stores it
with its cached results). Each file's diff is preceded by a comment line naming the recipe(s) that
changed it and their safety (``# gocodemod: recipe-a (safe)``); ``git
apply`` and ``patch`` skip such lines. Each hunk names the recipe(s) whose
edits it shows after its second ``@@`` (``@@ -3,7 +3,7 @@ waitgroup-go``),
where git puts a function name and ``git apply`` ignores the text. Paths
carry ``a/`` and ``b/`` prefixes relative to the run's root, and a last line
without a newline is marked the way git marks it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from codemod.model import FileResult
from codemod.run.textdiff import change_diff

if TYPE_CHECKING:
    from rich.console import Console

    from codemod.run.runner import RunResult


@dataclass(frozen=True)
class FileDiff:
    """The diff of one changed file and what produced it."""

    path: str
    text: str
    recipes: tuple[tuple[str, str], ...]  # (recipe id, safety) in first-applied order

    @property
    def header(self) -> str:
        return "# gocodemod: " + ", ".join(f"{rid} ({safety})" for rid, safety in self.recipes)

    def line_counts(self) -> tuple[int, int]:
        """(inserted, deleted) lines."""
        inserted = deleted = 0
        for line in self.text.splitlines():
            if line.startswith("+") and not line.startswith("+++ "):
                inserted += 1
            elif line.startswith("-") and not line.startswith("--- "):
                deleted += 1
        return inserted, deleted


def displayable(text: str) -> str:
    """``text`` with the surrogate escapes of non-UTF-8 bytes shown as U+FFFD."""
    return text.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")


def safety_of(run: RunResult, recipe_id: str) -> str:
    recipe = run.recipe(recipe_id)
    return recipe.safety.value if recipe else "unknown"


def file_diff(run: RunResult, result: FileResult, *, context: int = 3) -> FileDiff:
    """The diff of one changed file of ``run`` (the one the run already knows, with the default context)."""
    text = run.diffs.get(result.path) if context == 3 else None
    if text is None:
        text = change_diff(result, run.original(result.path), context=context)
    recipes = tuple((rid, safety_of(run, rid)) for rid in result.recipe_ids())
    return FileDiff(result.path, text, recipes)


def file_diffs(run: RunResult, *, context: int = 3) -> list[FileDiff]:
    """Diffs of every changed file, in path order."""
    return [file_diff(run, result, context=context) for result in run.changed]


def render_plain(diffs: Iterable[FileDiff]) -> str:
    """All diffs as one patch that ``git apply`` accepts from the run's root."""
    return "".join(f"{diff.header}\n{diff.text}" for diff in diffs if diff.text)


def render_rich(console: Console, diffs: Iterable[FileDiff]) -> None:
    """Print diffs with a header per file and diff syntax highlighting."""
    from rich.syntax import Syntax
    from rich.text import Text

    for diff in diffs:
        if not diff.text:
            continue
        header = Text(diff.path, style="bold")
        for rid, safety in diff.recipes:
            header.append("  ")
            header.append(rid, style="cyan")
            header.append(f" ({safety})", style="red" if safety == "unsafe" else "green")
        if header.cell_len + 6 <= console.width:
            console.rule(header, align="left")
        else:  # a rule would cut the title: print it whole (wrapped), every recipe named, then the rule
            console.print(header, overflow="fold")
            console.rule()
        console.print(
            Syntax(displayable(diff.text).rstrip("\n"), "diff", theme="ansi_dark", background_color="default")
        )
