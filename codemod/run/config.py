"""The values of a ``.gocodemod.yaml``: a repository's defaults for runs.

    recipe_dirs: [tools/recipes]        # extra recipe directories (relative to this file)
    enable: [defer-go-explicit]         # what runs when no -r is given (ids, bundles, files, dirs)
    disable: [interface-any]            # taken out of that default set
    exclude: ["internal/legacy", "*_mock.go"]
    severity: {unchecked-close: error}  # error | warning | info
    go_versions: {"cmd/compile/...": "1.22"}  # paths that must build with an older Go
    verify: build                       # --verify's default: build | vet | test | none

The file is found and read by :mod:`codemod.run.workspace` and parsed by
:mod:`codemod.run.configfile`. Command-line flags win: recipes named with
``-r`` run even when disabled. Every problem is reported as
``file:line:column: message``.

``go_versions`` lowers the Go version recipes see below a directory
(``dir/...``: the directory and everything under it; ``dir``: that directory
only; paths relative to the run's root): a recipe that needs a newer Go leaves
those files alone, whatever their go.mod says. A file's own ``//go:build
go1.N`` line still raises it (only Go 1.N or later builds that file).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from codemod.errors import LocatedMessage, Location, UsageError

CONFIG_NAME = ".gocodemod.yaml"


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
    go_versions: tuple[tuple[str, str], ...] = ()  # (path pattern, highest Go version), as written
    verify: str | None = None  # build | vet | test | none: what --verify does when not given
