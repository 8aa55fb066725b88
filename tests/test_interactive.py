"""``--interactive`` through a real pseudo-terminal: keys y/n/a/s/q and what gets written."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest
from click.testing import CliRunner

from codemod.cli.main import main

PROMPT = "Apply this change?"
ORIGINAL = "time.Now().Sub("


@pytest.fixture
def repo(repo: Path, recipes_file: Path) -> Path:
    """The shared fixture repository with ``recipes.yaml`` beside it."""
    return repo


def spawn(repo: Path, *extra: str) -> pexpect.spawn:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent), "COLUMNS": "120"}
    args = ["-m", "codemod.cli.main", "run", "--interactive", "-r", str(repo.parent / "recipes.yaml"), *extra]
    return pexpect.spawn(
        sys.executable, args, cwd=str(repo), env=env, encoding="utf-8", timeout=30, dimensions=(50, 120)
    )


def answer(child: pexpect.spawn, where: str, key: str) -> None:
    """Wait for the change at ``where`` (path:line:col) to be shown, then press ``key``."""
    child.expect_exact(where)
    child.expect_exact(PROMPT)
    child.send(key)


def finish(child: pexpect.spawn) -> str:
    child.expect(pexpect.EOF)
    output = child.before
    child.close()
    assert child.exitstatus == 0, output
    return output


def test_yes_no_then_quit_keeps_only_what_was_accepted(repo: Path) -> None:
    child = spawn(repo)
    answer(child, "main.go:6:9", "y")
    answer(child, "main.go:11:6", "n")
    answer(child, "pkg/nonl/nonl.go:6:9", "q")
    output = finish(child)
    main_go = (repo / "main.go").read_text()
    assert "return time.Since(t)" in main_go and "_ = time.Now().Sub(time.Time{})" in main_go
    assert ORIGINAL in (repo / "pkg/nonl/nonl.go").read_text()
    assert ORIGINAL in (repo / "pkg/util/util.go").read_text()
    assert ORIGINAL in (repo / "dirty.go").read_text()  # uncommitted: never offered
    assert "wrote 1 file" in output


def test_hunk_is_shown_with_context(repo: Path) -> None:
    child = spawn(repo)
    child.expect_exact("main.go:6:9")
    child.expect_exact(PROMPT)
    shown = child.before
    for line in (
        "@@ -3,7 +3,7 @@",
        "func elapsed(t time.Time) time.Duration {",
        "return time.Now().Sub(t)",
        "return time.Since(t)",
    ):
        assert line in shown
    child.send("q")
    finish(child)


def test_all_for_this_recipe_applies_the_rest_without_asking(repo: Path) -> None:
    child = spawn(repo, "--allow-dirty")
    answer(child, "dirty.go:6:9", "a")
    output = finish(child)
    assert output.count(PROMPT) == 0  # no further question after 'a'
    for name in ("dirty.go", "main.go", "untracked.go", "pkg/nonl/nonl.go", "pkg/util/util.go"):
        assert "time.Since(" in (repo / name).read_text(), name
    assert "wrote 5 files" in output


def test_skip_file_leaves_the_rest_of_that_file_and_unknown_keys_show_help(repo: Path) -> None:
    child = spawn(repo)
    answer(child, "main.go:6:9", "s")
    answer(child, "pkg/nonl/nonl.go:6:9", "?")
    child.expect_exact("leave the rest of this file")
    child.expect_exact(PROMPT)
    child.send("y")
    answer(child, "pkg/util/util.go:6:9", "n")
    finish(child)
    assert ORIGINAL in (repo / "main.go").read_text()
    assert "time.Since(t)" in (repo / "pkg/nonl/nonl.go").read_text()
    assert ORIGINAL in (repo / "pkg/util/util.go").read_text()


def test_ctrl_c_quits_keeping_accepted_changes(repo: Path) -> None:
    child = spawn(repo)
    answer(child, "main.go:6:9", "y")
    answer(child, "main.go:11:6", "\x03")
    finish(child)
    main_go = (repo / "main.go").read_text()
    assert "return time.Since(t)" in main_go and "_ = time.Now().Sub(time.Time{})" in main_go


def test_needs_a_terminal(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(main, ["run", "--interactive", "-r", str(repo.parent / "recipes.yaml")])
    assert result.exit_code == 2
    assert result.stderr == "gocodemod: --interactive needs a terminal on standard input\n"
