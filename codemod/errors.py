"""Error types for user mistakes; the CLI maps each to an exit code and one line.

A user mistake (bad YAML, a pattern that does not parse, an unknown recipe id,
a bad flag combination) is never shown as a traceback: it is raised as one of
these and printed as ``file:line:column: message``.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_CHANGES = 1
EXIT_USAGE = 2
EXIT_FAILED = 3
EXIT_INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, as shells report it


@dataclass(frozen=True)
class Location:
    """A place in a user's file, 1-based."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class GocodemodError(Exception):
    """Base class: anything the CLI reports as a one-line error."""

    exit_code = EXIT_USAGE


class UsageError(GocodemodError):
    """A bad command-line call or configuration."""


@dataclass(frozen=True)
class LocatedMessage:
    location: Location | None
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class RecipeError(GocodemodError):
    """One or more problems in recipe files, all collected before raising."""

    def __init__(self, problems: list[LocatedMessage]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class PatternError(GocodemodError):
    """A pattern that does not parse; ``offset`` is a character index into it."""

    def __init__(self, message: str, offset: int = 0):
        self.offset = offset
        super().__init__(message)
