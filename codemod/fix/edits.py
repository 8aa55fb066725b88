"""Apply byte edits: all-or-nothing groups, deduplication and overlap deferral.

Each fix produces a group of edits. Groups are accepted in order; a group
whose edits overlap an already accepted edit waits for the next pass (the
engine re-parses and matches again), except that an edit identical to one
already accepted counts as already done. Bytes outside the edits are never
touched.
"""

from __future__ import annotations

from collections.abc import Sequence

from codemod.model import Edit


class EditSet:
    """Accepted edits of one pass, with overlap checks."""

    def __init__(self) -> None:
        self._edits: list[Edit] = []
        self._seen: set[Edit] = set()

    def _new(self, group: Sequence[Edit]) -> list[Edit]:
        return [edit for edit in dict.fromkeys(group) if edit not in self._seen]

    def fits(self, group: Sequence[Edit]) -> bool:
        """Would ``group`` be accepted: none of its new edits overlaps another?"""
        fresh = self._new(group)
        for index, edit in enumerate(fresh):
            if any(edit.overlaps(other) for other in self._edits):
                return False
            if any(edit.overlaps(other) for other in fresh[index + 1 :]):
                return False
        return True

    def try_add(self, group: Sequence[Edit]) -> bool:
        """Accept ``group`` if it fits; return whether accepted."""
        if not self.fits(group):
            return False
        for edit in self._new(group):
            self._edits.append(edit)
            self._seen.add(edit)
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
