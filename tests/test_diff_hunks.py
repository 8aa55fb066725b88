"""Diff output names each hunk's recipe after the second ``@@``, and ``git apply`` still takes it."""

from __future__ import annotations

import random
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitfixtures import git, write_files

from codemod.cli.main import main
from codemod.fix.edits import apply_edits
from codemod.model import Change, Edit, FileResult, Position, Status
from codemod.run.textdiff import HUNK_RE, name_hunks, unified_diff

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


def _named_by_definition(text: str, result: FileResult, original: bytes) -> list[str]:
    """What each hunk names, straight from the rule: every first-pass edit whose lines meet the
    hunk's old lines, every later change meeting its old or new lines, in the order the changes
    were made; else the later passes' recipes; else every recipe of the file."""
    spans = []  # (first line, last line, recipe, first pass)
    for change in result.changes:
        if change.pass_index == 0:
            for edit in change.edits:
                start = original[: edit.start].count(b"\n") + 1
                end = original[: max(edit.start, edit.end - 1)].count(b"\n") + 1
                spans.append((start, end, change.recipe_id, True))
        else:
            spans.append((change.start.line, change.end.line, change.recipe_id, False))
    later = list(dict.fromkeys(rid for *_, rid, first in spans if not first))
    names = []
    for old, old_count, new, new_count in HUNK_RE.findall(text):

        def meets(start: int, end: int, line: str, count: str) -> bool:
            low = int(line)
            return start <= low + max(int(count or "1"), 1) and end >= low

        ids = [
            rid
            for start, end, rid, first in spans
            if meets(start, end, old, old_count) or (not first and meets(start, end, new, new_count))
        ]
        names.append(", ".join(dict.fromkeys(ids or later or result.recipe_ids())))
    return names


@pytest.mark.parametrize("seed", range(60))
def test_hunk_names_follow_their_definition_on_random_changes(seed: int) -> None:
    """Many edits of several recipes over many hunks, insertions and deletions among them, and
    changes of a later pass: naming sweeps the edits once, and must name what the rule says."""
    rng = random.Random(seed)
    lines = [f"line {i}\n".encode() for i in range(rng.randint(5, 200))]
    original = b"".join(lines)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    recipes = ["alpha", "beta", "gamma"]
    changes, edits_so_far = [], []
    for _ in range(rng.randint(1, 8)):
        edits = []
        for _ in range(rng.randint(1, 5)):
            first = rng.randrange(len(lines))
            last = min(len(lines), first + rng.choice([0, 0, 1, 2]))
            edit = Edit(offsets[first], offsets[last], rng.choice([b"", b"new\n", b"two\nnew\n"]))
            if not any(edit.overlaps(other) or edit.start == other.start for other in edits_so_far):
                edits.append(edit)
                edits_so_far.append(edit)
        if edits:
            changes.append(Change(rng.choice(recipes), Position(1, 1), Position(1, 1), "", "", tuple(edits)))
    for _ in range(rng.randint(0, 2)):
        start = rng.randint(1, len(lines))
        end = start + rng.randint(0, 3)
        changes.append(Change(rng.choice(recipes), Position(start, 1), Position(end, 1), "", "", (), pass_index=1))
    new_source = apply_edits(original, sorted(edits_so_far, key=lambda edit: edit.start))
    result = FileResult("x.go", Status.CHANGED, new_source, changes)
    for context in (0, 1, 3):
        text = unified_diff("x.go", original, new_source, context=context)
        named = name_hunks(text, result, original)
        shown = [header.split("@@ ", 2)[2] for header in named.splitlines() if header.startswith("@@ ")]
        assert shown == _named_by_definition(text, result, original)
