"""gofmt for an edited file, run on the top-level sections the edit touched only.

gofmt's cost is mostly its own parse and print of the whole file (a 140 KB
file takes about 17 ms), while a fix changes a declaration or two. A Go file
is a run of top-level *sections* (declarations and comments written without
a blank line between them) separated by *gaps* (blank lines at the top
level, outside every declaration). gofmt formats each section on its own:

* its alignment (``text/tabwriter`` columns: trailing comments, struct
  fields, ``const`` blocks) never crosses a blank line, which ends every
  column block;
* it keeps at most one blank line between top-level declarations, and the
  line breaks inside a section depend only on the section's own lines.

So when the original file was gofmt-clean, gofmt of the whole edited file is
the unchanged pieces around it plus gofmt of the changed sections alone.
:func:`format_edited` formats only those (after a stand-in ``package p``
clause, or from the start of the file when the change reaches the package
clause) and says "unknown" (None) whenever the shape is not the expected one,
so the caller falls back to formatting the whole file. Whether the original
was clean is the caller's question: a result this leaves unchanged is kept
whatever the answer (:meth:`codemod.engine.core._FileRun._finish`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from tree_sitter import Node

from codemod.golang.gofmt import Formatted

_BLANK_LINE = re.compile(rb"(?m)^[ \t\r]*\n")
_STAND_IN = b"package p\n\n"  # before a fragment: what a real file has before a later section

Piece = tuple[bytes, bool]  # (text, is a gap); the pieces of a file, joined, are the file
Formatter = Callable[[bytes], Formatted]  # gofmt of a complete source file (codemod.golang.gofmt.format_source)


def pieces(source: bytes, root: Node) -> list[Piece]:
    """``source`` cut into sections and the gaps between them, in order.

    A gap is a run of blank lines outside every top-level node (a blank line
    in a function body, a raw string or a block comment is inside one).
    """
    children = [(child.start_byte, child.end_byte) for child in root.children if child.end_byte > child.start_byte]
    starts = [start for start, _ in children]
    result: list[Piece] = []
    section_start = 0
    gap_start = gap_end = -1
    for blank in _BLANK_LINE.finditer(source):
        line_start, line_end = blank.start(), blank.end()
        index = bisect.bisect_right(starts, line_start) - 1
        if index >= 0 and children[index][1] > line_start:
            continue  # inside a top-level node
        if line_start == gap_end:
            gap_end = line_end  # the gap goes on
            continue
        _close_gap(source, result, section_start, gap_start, gap_end)
        section_start = gap_end if gap_end >= 0 else 0
        gap_start, gap_end = line_start, line_end
    _close_gap(source, result, section_start, gap_start, gap_end)
    tail_start = gap_end if gap_end >= 0 else 0
    if tail_start < len(source):
        result.append((source[tail_start:], False))
    return result


def _close_gap(source: bytes, result: list[Piece], section_start: int, gap_start: int, gap_end: int) -> None:
    if gap_start < 0:
        return
    if gap_start > section_start:
        result.append((source[section_start:gap_start], False))
    result.append((source[gap_start:gap_end], True))


def format_edited(original: bytes, original_root: Node, new: bytes, new_root: Node, gofmt: Formatter) -> bytes | None:
    """What gofmt makes of ``new`` when ``original`` was gofmt-clean; None when unsure or rejected.

    ``gofmt`` formats a complete source file. Only the sections that differ
    from the original's are formatted; the caller asks gofmt about the whole
    file when this says None (and learns there why gofmt rejects it).
    """
    old_pieces, new_pieces = pieces(original, original_root), pieces(new, new_root)
    if not new_pieces:
        return None
    first = _common_prefix(old_pieces, new_pieces)
    if first == len(new_pieces) == len(old_pieces):
        return new
    after = len(new_pieces) - _common_prefix(old_pieces[first:][::-1], new_pieces[first:][::-1])
    if first == after:  # only a removal: the pieces around it go
        first, after = (first, after + 1) if after < len(new_pieces) else (first - 1, after)
    if new_pieces[first][1]:
        first -= 1  # a changed gap: its section before it goes with it
    if new_pieces[after - 1][1] and after < len(new_pieces):
        after += 1  # ... and its section after it
    first = max(first, 0)
    clause_end = _package_clause_end(new_root)
    if sum(len(text) for text, _ in new_pieces[:first]) < clause_end:
        first = 0  # the change reaches the header: format from the start of the file, through the clause
        while after < len(new_pieces) and sum(len(text) for text, _ in new_pieces[:after]) < clause_end:
            after += 1
        if after < len(new_pieces) and new_pieces[after - 1][1]:
            after += 1
    fragment = b"".join(text for text, _ in new_pieces[first:after])
    if first == 0:
        formatted = gofmt(fragment).text
    else:
        formatted = gofmt(_STAND_IN + fragment).text
        if formatted is None or not formatted.startswith(_STAND_IN):
            return None
        formatted = formatted[len(_STAND_IN) :]
    if formatted is None or (after < len(new_pieces) and not formatted.endswith(b"\n")):
        return None
    head = b"".join(text for text, _ in new_pieces[:first])
    tail = b"".join(text for text, _ in new_pieces[after:])
    return head + formatted + tail


def _common_prefix(left: list[Piece], right: list[Piece]) -> int:
    count = 0
    for a, b in zip(left, right):
        if a != b:
            break
        count += 1
    return count


def _package_clause_end(root: Node) -> int:
    """Where the package clause ends (the end of the file when there is none)."""
    for child in root.children:
        if child.type == "package_clause":
            return child.end_byte
    return root.end_byte + 1
