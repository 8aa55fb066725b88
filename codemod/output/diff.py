"""Unified diffs of changed files: plain (``git apply``-able) and rich on a terminal.

Each file's diff is preceded by a comment line naming the recipe(s) that
changed it and their safety (``# gocodemod: recipe-a (safe)``); ``git
apply`` and ``patch`` skip such lines. Paths carry ``a/`` and ``b/``
prefixes relative to the run's root, and a last line without a newline is
marked the way git marks it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from codemod.model import FileResult

if TYPE_CHECKING:
    from rich.console import Console

    from codemod.run.runner import RunResult

NO_NEWLINE = "\\ No newline at end of file\n"


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


def _lines(data: bytes) -> list[str]:
    """Lines as git sees them, ended by ``\n`` only (not a form feed or U+2028);
    bytes that are not UTF-8 are kept as surrogate escapes."""
    lines = data.decode("utf-8", errors="surrogateescape").split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def displayable(text: str) -> str:
    """``text`` with the surrogate escapes of non-UTF-8 bytes shown as U+FFFD."""
    return text.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")


def unified_diff(path: str, before: bytes, after: bytes, *, context: int = 3) -> str:
    """A unified diff of one file, ``a/path`` to ``b/path``; empty when equal.

    Exact: a byte that is not UTF-8 is a surrogate escape, so the patch
    encoded with ``surrogateescape`` applies; pass it through
    :func:`displayable` before printing it as text.
    """
    import difflib  # a warm run prints stored diffs and never needs it

    old_lines = _lines(before)
    new_lines = _lines(after)
    head, tail = _common_ends(old_lines, new_lines, context)
    out: list[str] = []
    hunks = difflib.unified_diff(
        old_lines[head : len(old_lines) - tail],
        new_lines[head : len(new_lines) - tail],
        f"a/{path}",
        f"b/{path}",
        n=context,
    )
    for line in hunks:
        if head and line.startswith("@@ "):
            line = _HUNK_RANGE.sub(lambda found: f"{found.group(1)}{int(found.group(2)) + head}", line)
        out.append(line if line.endswith("\n") else line + "\n" + NO_NEWLINE)
    return "".join(out)


_HUNK_RANGE = re.compile(r"([-+])(\d+)")


def _common_ends(old: list[str], new: list[str], context: int) -> tuple[int, int]:
    """How many leading and trailing lines, equal in both, can be left out of the comparison.

    As git's xdiff does: the lines around the first and last change are
    the same whatever the middle holds. ``context`` of them stay, so the
    hunks keep their context; a hunk's line numbers are then shifted back.
    """
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return max(0, prefix - context), max(0, suffix - context)


def safety_of(run: RunResult, recipe_id: str) -> str:
    recipe = run.recipe(recipe_id)
    return recipe.safety.value if recipe else "unknown"


def file_diff(run: RunResult, result: FileResult, *, context: int = 3) -> FileDiff:
    """The diff of one changed file of ``run`` (the one the run already knows, with the default context)."""
    known = run.diffs.get(result.path) if context == 3 else None
    if known is not None:
        text = known
    else:
        text = unified_diff(result.path, run.originals.get(result.path, b""), result.new_source or b"", context=context)
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
        console.rule(header, align="left")
        console.print(
            Syntax(displayable(diff.text).rstrip("\n"), "diff", theme="ansi_dark", background_color="default")
        )
