"""The values of a ``.gocodemod.yaml``: a repository's defaults for runs.

    recipe_dirs: [tools/recipes]        # extra recipe directories (relative to this file)
    enable: [defer-go-explicit]         # what runs when no -r is given (ids, bundles, files, dirs)
    disable: [interface-any]            # taken out of that default set
    exclude: ["internal/legacy", "*_mock.go"]
    severity: {unchecked-close: error}  # error | warning | info

The file is found and read by :mod:`codemod.run.workspace` and parsed by
:mod:`codemod.run.configfile`. Command-line flags win: recipes named with
``-r`` run even when disabled. Every problem is reported as
``file:line:column: message``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from codemod.errors import LocatedMessage, Location, UsageError

CONFIG_NAME = ".gocodemod.yaml"
SEVERITIES = ("error", "warning", "info")


class ConfigError(UsageError):
    """One or more problems in a ``.gocodemod.yaml``, one line each."""

    def __init__(self, problems: list[LocatedMessage]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class Located:
    """A configured string and where it was written."""

    value: str
    location: Location


@dataclass(frozen=True)
class Config:
    """Parsed configuration; the empty default when there is no file."""

    path: Path | None = None
    recipe_dirs: tuple[Path, ...] = ()
    enable: tuple[Located, ...] = ()
    disable: tuple[Located, ...] = ()
    exclude: tuple[str, ...] = ()
    severity: dict[str, Located] = field(default_factory=dict)
