"""A run with no ``-r`` takes only safe and report recipes; unsafe ones when named
or with ``--unsafe``, and the summary says what was left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitfixtures import git, write_files

from codemod.cli.main import main

pytestmark = pytest.mark.usefixtures("cache_dir")

# once-lazy-init (unsafe) and interface-any (safe) both change this file.
SOURCE = """package m

var cache map[string]int

func get(key string) int {
	if cache == nil {
		cache = load()
	}
	return cache[key]
}

func load() map[string]int { return map[string]int{} }

func show(v interface{}) {}
"""


@pytest.fixture
def module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "m"
    root.mkdir()
    write_files(root, {"go.mod": "module example.com/m\n\ngo 1.27\n", "m.go": SOURCE})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "init")
    monkeypatch.chdir(root)
    return root


def _run(*args: str):
    result = CliRunner().invoke(main, ["run", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return result


def _recipes_that_changed(stdout: str) -> set[str]:
    return {change["recipe_id"] for file in json.loads(stdout)["files"] for change in file["changes"]}


def test_default_run_leaves_unsafe_recipes_out_and_says_so(module: Path) -> None:
    result = _run()
    assert _recipes_that_changed(result.stdout) == {"interface-any"}
    note = [line for line in result.stderr.splitlines() if "unsafe recipe" in line]
    assert note == [
        "7 unsafe recipes not run (context-defer-cancel, defer-go-explicit, lock-not-released, mutex-to-rwmutex, "
        "once-atomic-flag, once-lazy-init, sleep-to-waitgroup): name one with -r ID, or add --unsafe"
    ]


def test_unsafe_flag_and_naming_include_them(module: Path) -> None:
    everything = _run("--unsafe")
    assert _recipes_that_changed(everything.stdout) == {"interface-any", "once-lazy-init"}
    assert "unsafe recipe" not in everything.stderr
    named = _run("-r", "once-lazy-init")
    assert _recipes_that_changed(named.stdout) == {"once-lazy-init"}
    assert "unsafe recipe" not in named.stderr
