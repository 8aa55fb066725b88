"""Plain, pickleable values that flow out of the engine.

The engine works on tree-sitter nodes internally, but everything it returns
(what worker processes send back, what renderers and writers consume, what
the cache stores) is one of these small frozen dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Status(str, Enum):
    """What happened to one file."""

    CHANGED = "changed"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    FAILED = "failed"


# A recipe's severity, from the lowest to the highest (``--fail-on`` compares by this order).
SEVERITIES = ("info", "warning", "error")


class Safety(str, Enum):
    """How a recipe's fix relates to the program's behaviour."""

    SAFE = "safe"  # keeps behaviour
    UNSAFE = "unsafe"  # intentionally changes behaviour; review carefully
    REPORT = "report"  # no fix, findings only


@dataclass(frozen=True)
class Edit:
    """Replace bytes ``[start, end)`` with ``text``; an insertion when start == end."""

    start: int
    end: int
    text: bytes

    def overlaps(self, other: Edit) -> bool:
        if self.start == self.end and other.start == other.end:
            return False  # two insertions never overlap (order is kept)
        if self.start == self.end:
            return other.start < self.start < other.end
        if other.start == other.end:
            return self.start < other.start < self.end
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Position:
    """1-based line and column of a place in a file (column in characters)."""

    line: int
    column: int


@dataclass(frozen=True)
class Change:
    """One applied fix: a recipe match and the edits it produced.

    ``edits`` are in the coordinates of the source as it was at the start of
    pass ``pass_index`` (pass 0 is the original file).
    """

    recipe_id: str
    start: Position
    end: Position
    before: str
    after: str
    edits: tuple[Edit, ...]
    pass_index: int = 0
    message: str = ""


@dataclass(frozen=True)
class Finding:
    """Something a recipe reports without changing code (or a fix it refused)."""

    recipe_id: str
    start: Position
    end: Position
    message: str
    severity: str = "warning"
    snippet: str = ""


@dataclass
class FileResult:
    """The outcome of running recipes over one file."""

    path: str
    status: Status
    new_source: bytes | None = None
    changes: list[Change] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    reason: str = ""
    warnings: list[str] = field(default_factory=list)
    passes: int = 0

    @property
    def changed(self) -> bool:
        return self.status is Status.CHANGED

    def recipe_ids(self) -> list[str]:
        """Recipes that changed this file, in first-applied order."""
        seen: dict[str, None] = {}
        for change in self.changes:
            seen.setdefault(change.recipe_id, None)
        return list(seen)
