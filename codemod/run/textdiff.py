"""The unified diff of one file's change, made once: stored with cached results, printed by the output layer.

Lines are split as git splits them, bytes that are not UTF-8 survive as
surrogate escapes (so the patch applies byte for byte), and a last line
without a newline is marked the way git marks it.
"""

from __future__ import annotations

import re

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
