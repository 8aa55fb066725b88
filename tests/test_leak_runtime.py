"""The go-leaks fixes checked by the Go runtime: programs that leak before the fix and not after.

Every directory ``tests/data/leaks/<case>/`` is a small Go module whose
``go test`` fails while goroutines leak (``runtime.NumGoroutine()`` after the
work settled, or a call blocked for ever) and passes once they do not. Its
``case.yaml`` says which recipe should fix it (``recipe: <id>``) and which
files change (``changes: [file.go]``); each changed file has the expected
result next to it as ``<file>.golden``. The case is copied into a temporary
git repository, then:

1. ``go test`` must fail (the leak is real);
2. ``gocodemod run --write -r go-leaks`` (the command, in its own process)
   must change exactly the listed files, each into its golden, with changes
   of the named recipe only;
3. ``go test`` must pass (the fix removed the leak).

See ``tests/data/leaks/README.md`` for adding a case. Slow (two ``go test``
runs per case); skipped without the Go toolchain.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from gitfixtures import git
from gotoolchain import GoToolchain

CASES_DIR = Path(__file__).parent / "data" / "leaks"
CASES = sorted(path for path in CASES_DIR.iterdir() if (path / "case.yaml").is_file())
PROJECT = Path(__file__).parent.parent

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("cache_dir")]


def _go_test(go: GoToolchain, module: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GOTOOLCHAIN": "local", "GOPROXY": "off"}
    return subprocess.run(
        [go.go, "test", "-count=1", "./..."], cwd=module, env=env, capture_output=True, text=True, timeout=600
    )


def _gocodemod(module: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    command = [sys.executable, "-m", "codemod.cli.main", *args]
    return subprocess.run(command, cwd=module, env=env, capture_output=True, text=True, timeout=600)


def _sources(module: Path) -> dict[str, bytes]:
    """The files gocodemod may touch: every ``.go`` file of the module."""
    return {str(path.relative_to(module)): path.read_bytes() for path in sorted(module.rglob("*.go"))}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_fix_stops_the_leak(case: Path, tmp_path: Path, go_toolchain: GoToolchain) -> None:
    spec = yaml.safe_load((case / "case.yaml").read_text())
    recipe, changes = spec["recipe"], set(spec["changes"])
    goldens = {name: (case / f"{name}.golden").read_bytes() for name in changes}
    module = tmp_path / case.name
    shutil.copytree(case, module, ignore=shutil.ignore_patterns("*.golden", "case.yaml"))
    git(module, "init", "-q")
    git(module, "add", ".")
    git(module, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "case")

    before = _go_test(go_toolchain, module)
    assert before.returncode != 0, f"{case.name}: go test passes before the fix, so it shows no leak:\n{before.stdout}"

    original = _sources(module)
    run = _gocodemod(module, "run", "--write", "-r", "go-leaks", "--no-cache", "--format", "json", ".")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    fixed_by = {change["recipe_id"] for file in report["files"] for change in file["changes"]}
    assert fixed_by == {recipe}, f"{case.name}: changes by {sorted(fixed_by)}, expected {recipe} only"
    after = _sources(module)
    changed = {name for name in original if after[name] != original[name]}
    assert changed == changes, f"{case.name}: changed {sorted(changed)}, expected {sorted(changes)}"
    for name in sorted(changes):
        assert after[name] == goldens[name], f"{case.name}: {name} differs from {name}.golden"

    fixed = _go_test(go_toolchain, module)
    assert fixed.returncode == 0, f"{case.name}: go test still fails after the fix:\n{fixed.stdout}\n{fixed.stderr}"
