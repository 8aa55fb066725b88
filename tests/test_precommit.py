"""The pre-commit hooks of .pre-commit-hooks.yaml, tried as a user would: ``pre-commit try-repo``
against a temporary repository with a staged Go file (pre-commit installs this checkout in a venv)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from gitfixtures import git, write_files

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_try_repo_check_fails_with_the_diff_and_fix_writes(tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit")
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (it is in the test extra)")
    repo = tmp_path / "repo"
    write_files(
        repo,
        {
            "go.mod": "module example.com/m\n\ngo 1.22\n",
            "main.go": "package main\n\n// x holds anything.\nvar x interface{}\n\nfunc main() { _ = x }\n",
            "clean.go": "package main\n\nfunc clean() {}\n",
            "notes.txt": "var y interface{}\n",
        },
    )
    git(repo, "init", "-q")
    git(repo, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    done = subprocess.run(
        [pre_commit, "try-repo", str(ROOT), "--verbose"], cwd=repo, env=env, capture_output=True, text=True, timeout=900
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    check = output[output.index("gocodemod (check)") : output.index("gocodemod (fix)")]
    assert "Failed" in check and "- exit code: 1" in check
    assert "-var x interface{}\n+var x any\n" in check  # the diff, on the staged file
    fix = output[output.index("gocodemod (fix)") :]
    assert "Failed" in fix and "files were modified by this hook" in fix
    assert (
        repo / "main.go"
    ).read_text() == "package main\n\n// x holds anything.\nvar x any\n\nfunc main() { _ = x }\n"
    assert (repo / "notes.txt").read_text() == "var y interface{}\n"  # Go files only
