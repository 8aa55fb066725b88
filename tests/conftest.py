"""Fixtures shared by the test modules.

``repo`` is the real temporary git repository of :mod:`gitfixtures` (built
under ``tmp_path / "repo"``) and ``repo_factory`` builds it with other options;
a module that needs more in its repository extends ``repo`` with a fixture of
the same name that asks for ``repo``. ``recipes`` are that repository's two
recipes (written to ``tmp_path / "recipes.yaml"``, ``recipes_file``, and loaded,
no built-in ones). ``make_bare`` builds the bare repository behind a fake
forge. ``cache_dir`` points the result cache and the user cache into
``tmp_path`` (modules that want it everywhere say
``pytestmark = pytest.mark.usefixtures("cache_dir")``). ``go_toolchain`` and
``goroot`` skip a test when the Go toolchain is missing (:mod:`gotoolchain`
decides, once).

``slow`` (registered in pyproject.toml) marks the tests that run the Go
toolchain heavily (``go build``, ``go vet``, ``go test -race``) or sweep
standard-library packages: ``python3 -m pytest -m "not slow"`` is the quick loop.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from gitfixtures import fixture_recipes, make_bare_repo, make_repo, write_recipes
from gotoolchain import GoToolchain, require_go


@pytest.fixture
def repo_factory(tmp_path: Path) -> Callable[..., Path]:
    """``build(name="repo", *, dirty=True, extras=True)``: the fixture repository at ``tmp_path / name``."""

    def build(name: str = "repo", *, dirty: bool = True, extras: bool = True) -> Path:
        return make_repo(tmp_path / name, dirty=dirty, extras=extras)

    return build


@pytest.fixture
def repo(repo_factory: Callable[..., Path]) -> Path:
    """The fixture repository with its uncommitted edit and its untracked and ignored files."""
    return repo_factory()


@pytest.fixture
def make_bare(tmp_path: Path) -> Callable[[str], Path]:
    """``make_bare(branch)``: a bare repository ``tmp_path / "widgets.git"`` with ``main`` and ``branch``."""
    return lambda branch: make_bare_repo(tmp_path, branch)


@pytest.fixture
def recipes_file(tmp_path: Path) -> Path:
    """The fixture repository's recipes, written to ``tmp_path / "recipes.yaml"`` (next to ``repo``)."""
    return write_recipes(tmp_path)


@pytest.fixture
def recipes(tmp_path: Path) -> list:
    """The fixture repository's recipes (``time-since``, ``no-println``), from ``tmp_path / "recipes.yaml"``."""
    return fixture_recipes(tmp_path)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The result cache in ``tmp_path / "cache"``, the user cache in ``tmp_path / "user-cache"``."""
    monkeypatch.setenv("GOCODEMOD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    return tmp_path / "cache"


@pytest.fixture(scope="session")
def go_toolchain() -> GoToolchain:
    """The Go toolchain (go, GOROOT, gofmt); the test is skipped without one."""
    return require_go()


@pytest.fixture(scope="session")
def goroot(go_toolchain: GoToolchain) -> Path:
    return go_toolchain.goroot
