"""Apply byte edits: all-or-nothing groups, deduplication and overlap deferral.

Each fix produces a group of edits. Groups are accepted in order; a group
whose edits overlap an already accepted edit waits for the next pass (the
engine re-parses and matches again), except that an edit identical to one
already accepted counts as already done. Bytes outside the edits are never
touched.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from codemod.model import Edit


class EditSet:
    """Accepted edits of one pass, with overlap checks.

    Accepted edits never overlap, so the replacements, sorted by start, are
    sorted by end too: an edit is checked against its neighbours only
    (bisection), and a pass with n fixes costs n log n, not n squared.
    """

    def __init__(self) -> None:
        self._edits: list[Edit] = []
        self._seen: set[Edit] = set()
        self._starts: list[int] = []  # accepted replacements (start < end), by start
        self._ends: list[int] = []  # their ends, in the same order (so sorted too)
        self._insertions: list[int] = []  # accepted insertions' offsets, sorted

    def _new(self, group: Sequence[Edit]) -> list[Edit]:
        return [edit for edit in dict.fromkeys(group) if edit not in self._seen]

    def fits(self, group: Sequence[Edit]) -> bool:
        """Would ``group`` be accepted: none of its new edits overlaps another?"""
        fresh = self._new(group)
        for index, edit in enumerate(fresh):
            if self._overlaps_accepted(edit):
                return False
            if any(edit.overlaps(other) for other in fresh[index + 1 :]):
                return False
        return True

    def _overlaps_accepted(self, edit: Edit) -> bool:
        """Whether ``edit`` overlaps an accepted edit (see :meth:`Edit.overlaps`)."""
        # the last replacement starting before the edit ends is the only one that may reach into it
        before = bisect.bisect_left(self._starts, edit.end if edit.start < edit.end else edit.start)
        if before and self._ends[before - 1] > edit.start:
            return True
        if edit.start == edit.end:
            return False  # two insertions never overlap
        inside = bisect.bisect_right(self._insertions, edit.start)
        return inside < len(self._insertions) and self._insertions[inside] < edit.end

    def try_add(self, group: Sequence[Edit]) -> bool:
        """Accept ``group`` if it fits; return whether accepted."""
        if not self.fits(group):
            return False
        for edit in self._new(group):
            self._edits.append(edit)
            self._seen.add(edit)
            if edit.start == edit.end:
                bisect.insort(self._insertions, edit.start)
            else:
                index = bisect.bisect_left(self._starts, edit.start)
                self._starts.insert(index, edit.start)
                self._ends.insert(index, edit.end)
        return True

    @property
    def edits(self) -> list[Edit]:
        return list(self._edits)

    def __bool__(self) -> bool:
        return bool(self._edits)


def apply_edits(source: bytes, edits: Sequence[Edit]) -> bytes:
    """Apply non-overlapping edits; insertions at one offset keep their order."""
    ordered = sorted(enumerate(edits), key=lambda item: (item[1].start, item[1].end, item[0]))
    out: list[bytes] = []
    cursor = 0
    for _, edit in ordered:
        if edit.start < cursor:
            raise ValueError(f"overlapping edits at byte {edit.start}")
        out.append(source[cursor : edit.start])
        out.append(edit.text)
        cursor = edit.end
    out.append(source[cursor:])
    return b"".join(out)


def to_line_endings(text: bytes, crlf: bool) -> bytes:
    """Normalise inserted text to the file's line endings."""
    text = text.replace(b"\r\n", b"\n")
    return text.replace(b"\n", b"\r\n") if crlf else text


def uses_crlf(source: bytes) -> bool:
    """True when the file's first line ends with CRLF."""
    first = source.find(b"\n")
    return first > 0 and source[first - 1 : first] == b"\r"
