"""Nothing hangs: hostile regexes, signals to a run with workers, files with thousands of matches.

Property tests (hypothesis) keep the linear-time pieces equal to what they
replaced: RE2 with Unicode classes finds what Python's engine found, the
bisecting EditSet accepts what the pairwise check accepted, the line index
answers as ``line_col`` does.

Recipe regexes run on RE2, so a regex built to backtrack (``(a+)+$``) over
a long comment finishes; each run here has a subprocess time limit, a bound
on a hang, not a measure of speed. SIGTERM or SIGKILL to ``gocodemod`` takes
its workers down too, so a reader of its output sees the end of the pipe.
The work per match does not grow with the number of matches in the file:
counted in calls, not seconds.
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codemod import model
from codemod.api import apply
from codemod.fix.edits import EditSet
from codemod.golang import scope
from codemod.recipes.load import load_recipe_text
from codemod.rules.regexes import TextRegex
from codemod.syntax.tree import LineIndex, line_col

LIMIT = 120  # seconds: far above what any of these runs needs; reaching it means a hang
BACKTRACKER = "a" * 50_000 + "!"  # no match for (a+)+$, after trying every split of the a's


def gocodemod(root: Path, *args: str, **popen: object) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", "from codemod.cli.main import entry; entry()", "run", *args]
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **popen}
    return subprocess.Popen(command, cwd=root, **streams)  # type: ignore[call-overload]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "go.mod").write_text("module example.com/p\n\ngo 1.22\n")
    monkeypatch.setenv("GOCODEMOD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    return root


@pytest.mark.parametrize(
    "rule",
    [
        "rule: {kind: comment, regex: '(a+)+$'}",
        "rule: {kind: comment, regex: '^//\\s*(a|aa)*$'}",
        "rule: {pattern: 'var $X = $V'}\nconstraints: {V: {regex: '(a+)+$'}}",
    ],
)
def test_a_backtracking_regex_finishes(project: Path, rule: str) -> None:
    (project / "p.go").write_text(f'package p\n\n// {BACKTRACKER}\nvar x = "{BACKTRACKER}"\n')
    recipe = project.parent / "hostile.yaml"
    recipe.write_text(f"id: hostile\nsafety: report\nmessage: found\n{rule}\n")
    process = gocodemod(project, "-r", str(recipe), "-j", "1", ".")
    out, err = process.communicate(timeout=LIMIT)
    assert process.returncode == 0, err.decode()
    assert b"0 findings" in err or b"0 findings" in out


def test_regexes_keep_their_unicode_classes() -> None:
    """RE2's \\w, \\d and \\s are ASCII; recipe regexes keep Python's (and ast-grep's) Unicode ones."""
    recipes = load_recipe_text(
        "id: word\nsafety: report\nmessage: $N\nrule: {pattern: 'var $N = $V'}\n"
        "constraints: {N: {regex: '^\\w+\\d$'}, V: {regex: '^\\s*1$'}}\n"
    )
    findings = apply("package p\n\nvar ключ١ = 1\nvar plain = 1\nvar other٢ = 2\n", recipes).findings
    assert [finding.message for finding in findings] == ["ключ١"]


def test_a_posix_class_is_not_misread_by_the_prefilter() -> None:
    """Python would read ``[[:digit:]]`` as a set and a literal ``]``: the prefilter must not ask for one,
    and a Unicode class next to a POSIX one stays inside the same brackets."""
    recipes = load_recipe_text(
        "id: posix\nsafety: report\nmessage: $N\nrule: {pattern: 'var $N = 1'}\n"
        "constraints: {N: {regex: '^x[[:digit:]\\w]$'}}\n"
    )
    findings = apply("package p\n\nvar x1 = 1\nvar xé = 1\nvar x_ = 1\nvar y1 = 1\n", recipes).findings
    assert [finding.message for finding in findings] == ["x1", "xé", "x_"]


def children_of(pid: int) -> list[int]:
    """The live child processes of ``pid`` (from /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found += [int(child) for child in text.split()]
    return found


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def busy_tree(root: Path) -> None:
    """Enough packages, each dense with matches, that two workers are busy for a while."""
    body = "".join(f"func f{index}(a interface{{}}) interface{{}} {{ return a }}\n" for index in range(1500))
    for package in range(24):
        directory = root / f"p{package}"
        directory.mkdir()
        (directory / "p.go").write_text(f"package p{package}\n\n{body}")


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads the process tree from /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_workers_die_with_the_run_and_release_the_pipe(project: Path, signum: int) -> None:
    busy_tree(project)
    process = gocodemod(project, "--no-cache", "-j", "2", "-r", "interface-any", ".", stderr=subprocess.DEVNULL)
    workers: list[int] = []
    deadline = time.monotonic() + LIMIT
    while not workers and process.poll() is None and time.monotonic() < deadline:
        workers = children_of(process.pid)
        time.sleep(0.05)
    assert workers, "the run started no workers"
    os.kill(process.pid, signum)
    assert process.stdout is not None
    end_of_pipe = False
    while not end_of_pipe:  # read until every writer (the run and its workers) is gone
        ready, _, _ = select.select([process.stdout], [], [], LIMIT)
        assert ready, "the output pipe stayed open after the run was killed"
        end_of_pipe = not os.read(process.stdout.fileno(), 1 << 16)
    assert process.wait(LIMIT) == -signum  # killed by the signal, not finished meanwhile
    for worker in workers:
        for _ in range(200):  # the kernel reaps a killed worker shortly after
            if not alive(worker):
                break
            time.sleep(0.05)
        assert not alive(worker), f"worker {worker} outlived the run"


class Counted:
    """Counts the calls of a function it wraps."""

    def __init__(self, function):
        self.function, self.calls = function, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.function(*args, **kwargs)


def work_for(functions: int, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """(declarations read, edit comparisons) to turn every ``interface{}`` of a file of ``functions`` functions into ``any``."""
    from codemod.api import load_recipes

    source = "package p\n\n" + "".join(
        f"func f{i}(a interface{{}}) interface{{}} {{ return a }}\n" for i in range(functions)
    )
    declarations, comparisons = Counted(scope.binding_of), Counted(model.Edit.overlaps)
    monkeypatch.setattr(scope, "binding_of", declarations)
    monkeypatch.setattr(model.Edit, "overlaps", lambda self, other: comparisons(self, other))
    result = apply(source, load_recipes(["interface-any"]))
    assert result.new_source is not None and result.new_source.count(b"interface{}") == 0
    assert result.new_source.count(b"(a any) any {") == functions
    monkeypatch.undo()
    return declarations.calls, comparisons.calls


def test_work_per_match_does_not_grow_with_the_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    small_declarations, small_comparisons = work_for(300, monkeypatch)
    large_declarations, large_comparisons = work_for(1200, monkeypatch)  # four times the matches
    assert large_declarations <= 4 * small_declarations + 10, (small_declarations, large_declarations)
    assert large_comparisons <= 4 * small_comparisons + 10, (small_comparisons, large_comparisons)


@pytest.mark.slow
def test_a_file_with_eight_thousand_matches_finishes(project: Path) -> None:
    body = "".join(f"func f{index}(a interface{{}}) interface{{}} {{ return a }}\n" for index in range(4000))
    (project / "big.go").write_text(f"package p\n\n{body}")
    process = gocodemod(project, "--no-cache", "-j", "1", "-r", "interface-any", "--write", ".")
    _, err = process.communicate(timeout=LIMIT)
    assert process.returncode == 0, err.decode()
    written = (project / "big.go").read_text()
    assert written.count("(a any) any {") == 4000 and "interface{}" not in written


edits = st.builds(
    lambda start, length, text: model.Edit(start, start + length, text),
    st.integers(0, 40),
    st.sampled_from([0, 0, 1, 2, 3, 7]),
    st.sampled_from([b"", b"x"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(edits, min_size=1, max_size=3), max_size=25))
def test_edit_set_accepts_what_the_pairwise_check_accepts(groups: list[list[model.Edit]]) -> None:
    """The bisecting EditSet agrees with the definition: no new edit overlaps an accepted one or its group's."""
    edit_set, accepted = EditSet(), []
    for group in groups:
        fresh = [edit for edit in dict.fromkeys(group) if edit not in accepted]
        expected = not any(
            edit.overlaps(other) for index, edit in enumerate(fresh) for other in accepted + fresh[index + 1 :]
        )
        assert edit_set.try_add(group) == expected
        if expected:
            accepted += fresh
    assert edit_set.edits == accepted


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab\né\r\t", max_size=60))
def test_line_index_agrees_with_line_col(text: str) -> None:
    source = text.encode()
    lines = LineIndex(source)
    assert all(lines.line_col(offset) == line_col(source, offset) for offset in range(len(source) + 1))


REGEX_PIECES = ["a", "é", "1", "٣", " ", r"\w", r"\d", r"\s", r"\W", r"\D", r"\S", r"[\w]", r"[^\d ]", r"[a\s]", "."]


@st.composite
def regexes(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(st.sampled_from(REGEX_PIECES), min_size=1, max_size=4))
    quantified = [piece + draw(st.sampled_from(["", "", "*", "+", "?", "{1,2}"])) for piece in pieces]
    body = "".join(quantified)
    return draw(st.sampled_from([body, "^" + body, f"({body})|x", f"(?:{body})+"]))


@settings(max_examples=300, deadline=None)
@given(regexes(), st.text(alphabet="aé1٣ \t\nxЖ_", max_size=12))
def test_recipe_regexes_find_what_python_finds(regex: str, text: str) -> None:
    """RE2 with the Unicode classes finds a match exactly where Python's engine (the one before) did."""
    assert TextRegex(regex).found_in(text.encode()) == (re.search(regex, text) is not None)
