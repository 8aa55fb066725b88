"""Fixtures of the reliability suite (helpers in :mod:`reliability_support`).

``writers_repo`` is the writers' repository at ``tmp_path / "repo"`` with the
result cache pointed into ``tmp_path``; ``since_recipe`` and ``print_recipe``
are the two recipes written to files for ``-r``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reliability_support import PRINT_RECIPE, SINCE_RECIPE, make_writers_repo


@pytest.fixture
def writers_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GOCODEMOD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    return make_writers_repo(tmp_path / "repo")


@pytest.fixture
def since_recipe(tmp_path: Path) -> Path:
    path = tmp_path / "since.yaml"
    path.write_text(SINCE_RECIPE)
    return path


@pytest.fixture
def print_recipe(tmp_path: Path) -> Path:
    path = tmp_path / "print.yaml"
    path.write_text(PRINT_RECIPE)
    return path
