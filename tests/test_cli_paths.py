"""``gocodemod run`` on paths anywhere on disk: each path with its own repository and ``.gocodemod.yaml``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from gitfixtures import RECIPES_YAML, git, snapshot, write_files

from codemod.cli.main import main

SINCE = """\
package {package}

import "time"

func Elapsed(t time.Time) time.Duration {{
	return time.Now().Sub(t)
}}
"""
FIXED = SINCE.replace("time.Now().Sub(t)", "time.Since(t)")


def make_repo(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Repo Owner")
    git(root, "config", "user.email", "owner@example.com")
    git(root, "config", "commit.gpgsign", "false")
    write_files(root, {"go.mod": f"module example.com/{root.name}\n\ngo 1.22\n", **files})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    return root


@pytest.fixture
def two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Two repositories side by side, ``alpha`` (the current directory) and ``beta``; each excludes
    a different file in its own ``.gocodemod.yaml``; the recipes file is beside them."""
    (tmp_path / "recipes.yaml").write_text(RECIPES_YAML)
    alpha = make_repo(
        tmp_path / "alpha",
        {
            ".gocodemod.yaml": "exclude: [skip_alpha.go]\n",
            "a.go": SINCE.format(package="alpha"),
            "skip_alpha.go": SINCE.format(package="alpha"),
            "skip_beta.go": SINCE.format(package="alpha"),
        },
    )
    beta = make_repo(
        tmp_path / "beta",
        {
            ".gocodemod.yaml": "exclude: [skip_beta.go]\n",
            "pkg/b.go": SINCE.format(package="pkg"),
            "pkg/skip_alpha.go": SINCE.format(package="pkg"),
            "pkg/skip_beta.go": SINCE.format(package="pkg"),
        },
    )
    monkeypatch.chdir(alpha)
    return alpha, beta


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def recipes(alpha: Path) -> str:
    return str(alpha.parent / "recipes.yaml")


def test_a_path_in_another_repository_runs_there_with_its_config(two: tuple[Path, Path]) -> None:
    alpha, beta = two
    result = invoke("run", "-q", "-r", recipes(alpha), "--format", "stat", "../beta/pkg/...")
    assert result.exit_code == 0, result.output
    assert "pkg/b.go" in result.stdout and "pkg/skip_alpha.go" in result.stdout
    assert "skip_beta.go" not in result.stdout  # beta's own exclude, not alpha's


def test_paths_of_two_repositories_in_one_run(two: tuple[Path, Path]) -> None:
    alpha, beta = two
    before = snapshot(alpha), snapshot(beta)
    result = invoke("run", "-r", recipes(alpha), "--format", "stat", "./...", str(beta / "pkg"))
    assert result.exit_code == 0, result.output
    listed = sorted(line.split("|")[0].strip() for line in result.stdout.splitlines() if "|" in line)
    assert listed == ["alpha/a.go", "alpha/skip_beta.go", "beta/pkg/b.go", "beta/pkg/skip_alpha.go"]
    assert "4 files scanned: 4 changed" in result.stderr
    assert (snapshot(alpha), snapshot(beta)) == before


def test_the_diff_of_two_repositories_names_each_file_from_their_common_directory(two: tuple[Path, Path]) -> None:
    alpha, beta = two
    result = invoke("run", "-q", "-r", recipes(alpha), "--format", "diff", "./...", str(beta / "pkg"))
    assert result.exit_code == 0, result.output
    headers = [line for line in result.stdout.splitlines() if line.startswith(("--- ", "+++ "))]
    assert headers == [
        f"{side}/{path}"
        for path in ("alpha/a.go", "alpha/skip_beta.go", "beta/pkg/b.go", "beta/pkg/skip_alpha.go")
        for side in ("--- a", "+++ b")
    ]
    patch = alpha.parent / "all.patch"
    patch.write_text(result.stdout)
    done = subprocess.run(["git", "apply", "--check", "-v", str(patch)], cwd=alpha.parent, capture_output=True)
    assert done.returncode == 0, done.stderr


def test_write_acts_in_each_repository(two: tuple[Path, Path]) -> None:
    alpha, beta = two
    result = invoke("run", "-r", recipes(alpha), "--write", ".", "../beta")
    assert result.exit_code == 0, result.output
    assert "wrote 4 files" in result.stderr
    assert (alpha / "a.go").read_text() == FIXED.format(package="alpha")
    assert (beta / "pkg" / "b.go").read_text() == FIXED.format(package="pkg")
    assert (beta / "pkg" / "skip_beta.go").read_text() == SINCE.format(package="pkg")
    assert (alpha / "skip_alpha.go").read_text() == SINCE.format(package="alpha")


def test_write_refuses_every_repository_when_one_is_dirty(two: tuple[Path, Path]) -> None:
    alpha, beta = two
    (beta / "pkg" / "b.go").write_text(SINCE.format(package="pkg") + "\n// unsaved\n")
    before = snapshot(alpha), snapshot(beta)
    result = invoke("run", "-r", recipes(alpha), "--write", ".", "../beta")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"gocodemod: refusing to write: uncommitted changes in {beta.resolve()}: pkg/b.go")
    assert (snapshot(alpha), snapshot(beta)) == before


def test_commit_makes_one_branch_per_recipe_in_each_repository(two: tuple[Path, Path]) -> None:
    alpha, beta = two
    result = invoke("run", "-r", recipes(alpha), "--commit", ".", "../beta")
    assert result.exit_code == 0, result.output
    assert f"{alpha.resolve()}: gocodemod/time-since: created at" in result.stdout
    assert f"{beta.resolve()}: gocodemod/time-since: created at" in result.stdout
    for root, changed in ((alpha, "a.go"), (beta, "pkg/b.go")):
        files = git(root, "diff", "--name-only", "main", "gocodemod/time-since").split()
        assert changed in files and not any("skip_" + root.name in name for name in files)


def test_interactive_across_repositories_is_refused(two: tuple[Path, Path]) -> None:
    alpha, _ = two
    result = invoke("run", "-r", recipes(alpha), "--interactive", ".", "../beta")
    assert result.exit_code == 2
    assert result.stderr.startswith("gocodemod: --interactive reviews one repository at a time")


def test_a_path_outside_any_repository_is_its_own_tree(two: tuple[Path, Path], tmp_path: Path) -> None:
    alpha, _ = two
    loose = tmp_path / "loose"
    write_files(loose, {"l.go": SINCE.format(package="loose")})
    result = invoke("run", "-q", "-r", recipes(alpha), "--format", "stat", str(loose))
    assert result.exit_code == 0, result.output
    assert "l.go" in result.stdout


def test_a_missing_path_is_still_a_one_line_error(two: tuple[Path, Path]) -> None:
    alpha, _ = two
    result = invoke("run", "-r", recipes(alpha), ".", "../beta", "../nowhere")
    assert result.exit_code == 2
    assert result.stderr == "gocodemod: ../nowhere: no such file or directory\n"


def test_below_a_plain_directory_a_path_keeps_the_current_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No repository and no configuration around: paths below the current directory are its tree, as before."""
    (tmp_path / "recipes.yaml").write_text(RECIPES_YAML)
    write_files(tmp_path, {"sub/a.go": SINCE.format(package="sub"), "sub/testdata/t.go": SINCE.format(package="t")})
    monkeypatch.chdir(tmp_path)
    result = invoke("run", "-q", "-r", "recipes.yaml", "--format", "stat", "sub", "sub/testdata")
    assert result.exit_code == 0, result.output
    assert [line.split("|")[0].strip() for line in result.stdout.splitlines() if "|" in line] == ["sub/a.go"]
