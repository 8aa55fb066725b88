"""The unified diff of one file's change, made once: stored with cached results, printed by the output layer.

Lines are split as git splits them, bytes that are not UTF-8 survive as
surrogate escapes (so the patch applies byte for byte), and a last line
without a newline is marked the way git marks it. Each hunk header is
followed by the recipes whose edits the hunk shows (:func:`name_hunks`),
where git puts a function name and ``git apply`` ignores the text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from codemod.model import FileResult

NO_NEWLINE = "\\ No newline at end of file\n"


def _lines(data: bytes) -> list[str]:
    """Lines as git sees them, ended by ``\n`` only (not a form feed or U+2028);
    bytes that are not UTF-8 are kept as surrogate escapes."""
    lines = data.decode("utf-8", errors="surrogateescape").split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def unified_diff(path: str, before: bytes, after: bytes, *, context: int = 3) -> str:
    """A unified diff of one file, ``a/path`` to ``b/path``; empty when equal.

    Exact: a byte that is not UTF-8 is a surrogate escape, so the patch
    encoded with ``surrogateescape`` applies; pass it through
    :func:`codemod.output.diff.displayable` before printing it as text.
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


def moved_diff(text: str, path: str, new_path: str) -> str:
    """A diff of ``path`` (as :func:`unified_diff` writes it) naming the file ``new_path`` instead."""
    head = f"--- a/{path}\n+++ b/{path}\n"
    if not text:
        return text  # no change, no header
    if not text.startswith(head):
        raise ValueError(f"not a diff of {path}")
    return f"--- a/{new_path}\n+++ b/{new_path}\n" + text[len(head) :]


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


def change_diff(result: FileResult, original: bytes, *, context: int = 3) -> str:
    """The diff of a changed file as the report prints it: ``original`` to ``result.new_source``, hunks named."""
    text = unified_diff(result.path, original, result.new_source or b"", context=context)
    return name_hunks(text, result, original)


HUNK_RE = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)


def name_hunks(text: str, result: FileResult, original: bytes) -> str:
    """``text`` with each hunk header followed by the recipes whose edits it shows.

    First-pass edits are placed exactly (their offsets are in the original, as
    the hunk's old lines are). A later pass's change has lines of the file as
    that pass saw it, between the old and the new text: it is named in the
    hunks whose old or new lines it meets. A hunk nothing explains (an import
    block) names the later passes' recipes, or else every recipe of the file.
    Recipes are named in the order their changes were made."""
    line_at = _lines_at(
        original,
        (offset for change in result.changes if change.pass_index == 0 for e in change.edits
         for offset in (e.start, max(e.start, e.end - 1))),
    )  # fmt: skip
    first: list[tuple[int, int, int]] = []  # (first line, last line, order) of each first-pass edit
    later: list[tuple[int, int, int]] = []  # the same of each later pass's change
    order: list[str] = []  # recipe id by order
    for change in result.changes:
        if change.pass_index == 0:
            for edit in change.edits:
                first.append((line_at[edit.start], line_at[max(edit.start, edit.end - 1)], len(order)))
                order.append(change.recipe_id)
        else:
            later.append((change.start.line, change.end.line, len(order)))
            order.append(change.recipe_id)
    later_ids = list(dict.fromkeys(order[index] for _, _, index in later))
    first.sort()
    first_starts = [start for start, _, _ in first]
    active: list[tuple[int, int, int]] = []  # first-pass edits that may still meet a hunk
    taken = 0  # first-pass edits moved to ``active`` so far (hunks come in line order)

    def meets(start: int, end: int, low: int, high: int) -> bool:
        return start <= high + 1 and end >= low

    def span(line: str, count: str | None) -> tuple[int, int]:
        low = int(line)
        return low, low + max(int(count or "1"), 1) - 1  # a pure insertion sits after its line

    def named(found: re.Match[str]) -> str:
        nonlocal active, taken
        old_low, old_high = span(found.group(1), found.group(2))
        new_low, new_high = span(found.group(3), found.group(4))
        reach = bisect_right(first_starts, old_high + 1)
        active = [edit for edit in active if edit[1] >= old_low] + [
            edit for edit in first[taken:reach] if edit[1] >= old_low
        ]
        taken = max(taken, reach)
        hits = [index for _, _, index in active]
        hits += [
            index
            for start, end, index in later
            if meets(start, end, old_low, old_high) or meets(start, end, new_low, new_high)
        ]
        ids = [order[index] for index in sorted(hits)]
        return f"{found.group(0)} {', '.join(dict.fromkeys(ids or later_ids or result.recipe_ids()))}"

    return HUNK_RE.sub(named, text)


def _lines_at(data: bytes, offsets: Iterable[int]) -> dict[int, int]:
    """The 1-based line of each offset in ``data``: one count of line breaks between sorted offsets."""
    lines: dict[int, int] = {}
    line, position = 1, 0
    for offset in sorted(set(offsets)):
        line += data.count(b"\n", position, offset)
        lines[offset] = line
        position = offset
    return lines
