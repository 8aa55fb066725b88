"""The ``decide`` hook (interactive review): one question per fix, and answers remembered.

A fix is what one reviewer decision covers. Usually that is one match's
change; but a recipe whose fix is spread over several matches (each match
binds only some of the metavariables its edits are anchored on, as
mutex-to-rwmutex's field type, Lock and Unlock calls) makes one fix of all
the pieces it finds in a file in one pass: accepting some pieces and not
others could leave code that does not compile. The engine asks once about
the pieces together, as one :class:`~codemod.model.Change` whose edits are
all of theirs, and applies all or none.

A rejected change is never offered again in a later pass. It is remembered
by its offset, shifted through each pass's edits, and by its text, since a
fix accepted around it may have rewritten the region that holds it (so its
offset cannot be followed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from codemod.fix.spec import FixSpec
from codemod.model import Change, Edit

# The edit actions anchored on a metavariable of the match (the others place text elsewhere).
_MATCH_ANCHORED = frozenset({"replace", "delete", "insert-before", "insert-after"})


def spans_matches(fix: FixSpec | None) -> bool:
    """Whether ``fix`` may be spread over several matches: two or more of its edits
    are anchored on metavariables, which one match need not all bind."""
    return fix is not None and len(_anchors(fix)) > 1


def _anchors(fix: FixSpec) -> list[str]:
    return [edit.anchor for edit in fix.edits if edit.action in _MATCH_ANCHORED and edit.anchor is not None]


def is_piece(fix: FixSpec, env: Mapping[str, Any]) -> bool:
    """Whether a match realises only part of ``fix``: of two or more edits anchored
    on metavariables, some name one this match did not bind."""
    anchors = _anchors(fix)
    return len(anchors) > 1 and any(anchor not in env for anchor in anchors)


def _text_key(recipe_id: str, before: str) -> tuple[str, str]:
    return recipe_id, " ".join(before.split())  # re-indented by an earlier fix: the same change


class Decisions:
    """Asks ``decide`` about each fix and remembers what it declined."""

    def __init__(self, decide: Callable[[Change], bool] | None):
        self.decide = decide
        self._offsets: set[tuple[str, int]] = set()  # (recipe id, offset in the current pass's source)
        self._texts: dict[tuple[str, str], int] = {}  # (recipe id, matched text) -> pass it was declined in

    @property
    def asks(self) -> bool:
        return self.decide is not None

    def was_declined(self, recipe_id: str, offset: int, before: str, pass_index: int) -> bool:
        """Whether this match is a change the reviewer already declined."""
        if (recipe_id, offset) in self._offsets:
            return True
        declined_in = self._texts.get(_text_key(recipe_id, before))
        return declined_in is not None and declined_in < pass_index

    def accepts(self, pieces: Sequence[tuple[Change, int]]) -> bool:
        """Ask once about ``pieces`` ((change, offset of its match)), one fix; remember a refusal."""
        if self.decide is None:
            return True
        if self.decide(merged([change for change, _ in pieces])):
            return True
        for change, offset in pieces:
            self._offsets.add((change.recipe_id, offset))
            self._texts.setdefault(_text_key(change.recipe_id, change.before), change.pass_index)
        return False

    def shift(self, edits: Sequence[Edit]) -> None:
        """Follow the declined offsets through a pass's ``edits``."""
        self._offsets = {(recipe_id, _shift(offset, edits)) for recipe_id, offset in self._offsets}


def merged(changes: Sequence[Change]) -> Change:
    """One change standing for several pieces of one fix (the first one's position and message)."""
    if len(changes) == 1:
        return changes[0]
    first, last = changes[0], changes[-1]
    edits = tuple(dict.fromkeys(edit for change in changes for edit in change.edits))
    return Change(
        first.recipe_id,
        first.start,
        max((change.end for change in changes), key=lambda p: (p.line, p.column)),
        "\n".join(change.before for change in changes),
        "\n".join(change.after for change in changes),
        tuple(sorted(edits, key=lambda e: (e.start, e.end))),
        first.pass_index,
        first.message or last.message,
    )


def _shift(offset: int, edits: Sequence[Edit]) -> int:
    """Where ``offset`` lands after ``edits`` are applied."""
    delta = sum(len(e.text) - (e.end - e.start) for e in edits if e.end <= offset)
    return offset + delta
