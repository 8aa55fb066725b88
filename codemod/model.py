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


# ``--verify`` levels, lowest first: each includes the ones before it (codemod.verify).
VERIFY_LEVELS = ("build", "vet", "test")


class Verification(str, Enum):
    """What the Go toolchain said about a change (``--verify``)."""

    VERIFIED = "verified"  # its package passed the level with the change
    UNVERIFIED = "unverified"  # its package failed before the change: not verified
    WITHHELD = "withheld"  # its package passed before and failed with it: not written, committed or proposed


@dataclass(frozen=True)
class VerifyNote:
    """A change's verification: its status, the level, and for a failure why (the tool's first lines)."""

    status: Verification
    level: str
    reason: str = ""  # e.g. "breaks go build", "failing before the change, not verified"
    message: tuple[str, ...] = ()  # the first lines of the toolchain's message
    tests: tuple[str, ...] = ()  # failing test names, at the test level


@dataclass(frozen=True)
class VerifySummary:
    """What ``--verify`` did over a whole run."""

    level: str
    packages: int  # packages checked
    passed: int  # of them, passing with the changes kept
    failing_before: int  # of them, failing before any change
    withheld: int  # changes withheld
    seconds: float
    cached: int = 0  # package checks answered from the result cache


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
    verification: VerifyNote | None = None  # with --verify only


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
    withheld: tuple[Change, ...] = ()  # --verify: changes the toolchain refused, not in new_source

    @property
    def changed(self) -> bool:
        return self.status is Status.CHANGED

    def recipe_ids(self) -> list[str]:
        """Recipes that changed this file, in first-applied order."""
        seen: dict[str, None] = {}
        for change in self.changes:
            seen.setdefault(change.recipe_id, None)
        return list(seen)
