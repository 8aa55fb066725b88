"""Go versions: compare them, and read the ``go`` line of the nearest go.mod.

Recipes name the minimum Go version their fix needs (``go: "1.22"``); the
engine compares it with the version declared by the module a file belongs to.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

GO_LINE_RE = re.compile(r"(?m)^go\s+(\d+\.\d+(?:\.\d+)?)(?:(?:rc|beta)\d+)?\s*(?://.*)?$")
GO_MOD_DEFAULT = "1.16"  # what the go command assumes for a go.mod without a go line


def parse_version(text: str) -> tuple[int, ...]:
    """``"1.22"`` -> (1, 22); ``"1.21.3"`` -> (1, 21, 3); junk -> (0,)."""
    numbers = re.findall(r"\d+", text)
    return tuple(int(n) for n in numbers[:3]) or (0,)


def version_at_least(have: str, need: str) -> bool:
    """True when Go version ``have`` is ``need`` or newer (language versions)."""
    return parse_version(have)[:2] >= parse_version(need)[:2]


def go_version_of_mod(text: str) -> str | None:
    """The version on the ``go`` directive of a go.mod text; without one (or with
    one that is not a version) 1.16, as the go command assumes, so recipes that
    need a newer Go leave the module alone."""
    found = GO_LINE_RE.search(text)
    return found.group(1) if found else GO_MOD_DEFAULT


@lru_cache(maxsize=4096)
def nearest_go_version(directory: Path) -> str | None:
    """The ``go`` version of the nearest go.mod at or above ``directory``."""
    for folder in (directory, *directory.parents):
        mod = folder / "go.mod"
        if mod.is_file():
            try:
                return go_version_of_mod(mod.read_text(encoding="utf-8", errors="replace"))
            except OSError:
                return None
    return None
