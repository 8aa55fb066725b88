"""Diff output names each hunk's recipe after the second ``@@``, and ``git apply`` still takes it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitfixtures import git, write_files

from codemod.cli.main import main

pytestmark = pytest.mark.usefixtures("cache_dir")

FILLER = "".join(f"func filler{i}() {{}}\n\n" for i in range(8))
SOURCE = f"""package m

func show(v interface{{}}) {{}}

{FILLER}func loop(items []int) []func() int {{
	var out []func() int
	for _, item := range items {{
		item := item
		out = append(out, func() int {{ return item }})
	}}
	return out
}}
"""

# sleep-to-waitgroup's fix makes waitgroup-go apply in a later pass.
SLEEPING = """package workers

import (
	"fmt"
	"time"
)

func Run(n int) {
	for i := 0; i < n; i++ {
		go func() {
			fmt.Println("worker", i)
		}()
	}
	time.Sleep(time.Second)
}
"""


@pytest.fixture
def module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "m"
    root.mkdir()
    write_files(root, {"go.mod": "module example.com/m\n\ngo 1.27\n", "m.go": SOURCE, "workers/w.go": SLEEPING})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "init")
    monkeypatch.chdir(root)
    return root


def _patch(*args: str) -> str:
    result = CliRunner().invoke(main, ["run", "--format", "diff", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_each_hunk_names_its_recipe(module: Path) -> None:
    patch = _patch("-r", "interface-any", "-r", "forvar", "m.go")
    headers = re.findall(r"(?m)^@@ .*$", patch)
    assert len(headers) == 2, patch
    assert headers[0].endswith("@@ interface-any") and headers[1].endswith("@@ forvar"), headers
    assert _patch("-r", "interface-any", "-r", "forvar", "m.go") == patch  # the same from the result cache


def test_a_later_pass_hunk_names_both_recipes(module: Path) -> None:
    patch = _patch("-r", "sleep-to-waitgroup", "-r", "waitgroup-go", "workers")
    (header,) = re.findall(r"(?m)^@@ .*$", patch)
    assert header.endswith("@@ sleep-to-waitgroup, waitgroup-go") or header.endswith(
        "@@ waitgroup-go, sleep-to-waitgroup"
    )


def test_git_apply_takes_the_named_hunks(module: Path, tmp_path: Path) -> None:
    patch = _patch("--unsafe")
    assert re.search(r"(?m)^@@ -\d+,\d+ \+\d+,\d+ @@ \S", patch)
    subprocess.run(["git", "apply", "--check", "-"], cwd=module, input=patch, text=True, check=True)
    subprocess.run(["git", "apply", "-"], cwd=module, input=patch, text=True, check=True)
    applied = {name: (module / name).read_text() for name in ("m.go", "workers/w.go")}
    git(module, "checkout", "--", ".")
    result = CliRunner().invoke(main, ["run", "--unsafe", "--write"])
    assert result.exit_code == 0, result.output
    assert applied == {name: (module / name).read_text() for name in applied}
