"""The warm path's cheaper output and start-up: a plain summary without rich, fewer imports, same answers."""

from __future__ import annotations

import importlib.metadata
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitfixtures import RECIPES_YAML, git, write_files
from rich.console import Console

from codemod.cache.keys import _dist_version
from codemod.cli.main import main
from codemod.output import summary as summary_module
from codemod.output.console import LazyConsole
from codemod.output.summary import Summary, print_rich, render_plain
from codemod.run.files import _repo_root_by_gitpython, find_repo_root

ROWS = (
    ("context-defer-cancel", "unsafe", "0", "0", "48"),
    ("forvar", "safe", "9", "13", "0"),
    ("waitgroup-go", "safe", "69", "117", "123456"),
)
LINES = (
    "x/y.go:100:2: warning: cancel escapes: whoever receives it must call it [context-defer-cancel]",
    "üñí/çödé.go:1234:1: info: wide 漢字 text and :smile: [r]",
    "trailing spaces stay   ",
)


def _rich(summary: Summary, width: int) -> str:
    buffer = io.StringIO()
    print_rich(Console(file=buffer, width=width), summary)
    return buffer.getvalue()


SUMMARY = Summary(
    rows=ROWS,
    totals="5787 files scanned: 113 changed, 5183 unchanged, 491 skipped, 0 failed; 81 findings",
    skipped=("skipped 2 (syntax error at 1:1: unexpected '// Copyright'): a.go, b.go",),
    failures=(("c/d.go", "recipe x produced code that does not parse"),),
    findings=LINES,
)
PLAIN = (
    "gocodemod summary                                           \n"  # padded to the table's width
    " recipe               ┃ safety ┃ files ┃ changes ┃ findings \n"
    "━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━\n"
    " context-defer-cancel │ unsafe │     0 │       0 │       48 \n"
    " forvar               │ safe   │     9 │      13 │        0 \n"
    " waitgroup-go         │ safe   │    69 │     117 │   123456 \n"
    "5787 files scanned: 113 changed, 5183 unchanged, 491 skipped, 0 failed; 81 findings\n"
    "skipped 2 (syntax error at 1:1: unexpected '// Copyright'): a.go, b.go\n"
    "failed c/d.go: recipe x produced code that does not parse\n"
    "x/y.go:100:2: warning: cancel escapes: whoever receives it must call it [context-defer-cancel]\n"
    "üñí/çödé.go:1234:1: info: wide 漢字 text and :smile: [r]\n"
    "trailing spaces stay   \n"
)


def test_the_plain_summary_layout_is_pinned() -> None:
    assert render_plain(SUMMARY, "utf-8") == PLAIN
    assert render_plain(Summary((), "t", (), (), ()), "utf-8") == "t\n"  # no rows: no table


def test_a_stream_without_box_drawing_characters_gets_ascii_lines() -> None:
    lines = render_plain(Summary(ROWS[1:2], "t", (), (), ()), "ascii").splitlines()
    assert lines[1:] == [" recipe | safety | files | changes | findings ", "--------+--------+-------+---------+----------",
                         " forvar | safe   |     9 |      13 |        0 ", "t"]  # fmt: skip


@pytest.mark.parametrize("text", ["a.go:1:1: warning: a\ttab [r]", "a[b].go [red]x[/red] \\ :smile:"])
def test_plain_text_is_written_as_it_is(text: str) -> None:
    summary = Summary((), "t", (text,), (("p", text),), (text,))
    assert render_plain(summary, "utf-8") == f"t\n{text}\nfailed p: {text}\n{text}\n"


@pytest.mark.parametrize("width", [60, 80, 200])
@pytest.mark.parametrize("rows", [(), ROWS[:1], ROWS, (("a", "report", "1", "0", "0"),)])
def test_rich_and_the_plain_layout_say_the_same(rows, width) -> None:
    """The two layouts differ in their bytes when they like, never in what they say."""
    summary = Summary(rows, SUMMARY.totals, SUMMARY.skipped, SUMMARY.failures, SUMMARY.findings)
    words = str.maketrans({character: " " for character in "".join(summary_module.BOX_LINES)})
    assert _rich(summary, width).translate(words).split() == render_plain(summary, "utf-8").translate(words).split()


def test_lazy_console_knows_a_pipe_is_no_terminal_without_rich(monkeypatch) -> None:
    for name in ("TTY_COMPATIBLE", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    console = LazyConsole(stderr=True)
    assert not console.is_terminal and not console.built and console.file is sys.stderr
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert console.is_terminal and console.built  # rich decides when something forces a terminal


def test_a_warm_run_imports_neither_rich_nor_git_nor_the_engine(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    write_files(tree, {"go.mod": "module m\n\ngo 1.22\n", "a/a.go": "package a\n\nfunc A() {\n\tprintln(1)\n}\n"})
    (tmp_path / "recipes.yaml").write_text(RECIPES_YAML)
    probe = (
        "import sys\n"
        "from codemod.cli.main import main\n"
        "try:\n"
        "    main(['run', '-r', sys.argv[1], '.'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('rich', 'git', 'httpx', 'yaml', 'tree_sitter', 'distributed', 'codemod.bot.reconcile', 'codemod.engine.core', 'concurrent.futures.process')\n"
        "print(sorted(name for name in heavy if name in sys.modules), file=sys.__stderr__)\n"
    )
    env = {**os.environ, "GOCODEMOD_CACHE_DIR": str(tmp_path / "cache"), "XDG_CACHE_HOME": str(tmp_path / "user")}
    env.pop("FORCE_COLOR", None), env.pop("TTY_COMPATIBLE", None)
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe, str(tmp_path / "recipes.yaml")],
            cwd=tree,
            env=env,
            capture_output=True,
            text=True,
        )
        for _ in range(2)
    ]
    cold_imports, warm_imports = (run.stderr.strip().splitlines()[-1] for run in runs)
    assert "codemod.engine.core" in cold_imports
    assert warm_imports == "[]", runs[1].stderr
    assert (
        runs[1].stderr.splitlines()[:-1] == runs[0].stderr.splitlines()[:-1]
    )  # the same summary, printed without rich


@pytest.mark.parametrize("layout", ["repo", "subdir", "none", "bare", "worktree", "gitfile-broken"])
def test_the_repository_root_is_gitpython_s_answer(tmp_path: Path, repo_factory, layout: str) -> None:
    start = tmp_path / "outside"
    start.mkdir()
    if layout in ("repo", "subdir", "worktree"):
        repo = repo_factory(dirty=False, extras=False)
        start = repo / "pkg" / "util" if layout == "subdir" else repo
        if layout == "worktree":
            git(repo, "worktree", "add", "-q", str(tmp_path / "linked"))
            start = tmp_path / "linked" / "pkg"
    elif layout == "bare":
        git(tmp_path, "init", "-q", "--bare", "bare.git")
        start = tmp_path / "bare.git" / "refs"
    elif layout == "gitfile-broken":
        (start / ".git").write_text("gitdir: /nowhere\n")
    assert find_repo_root(start) == _repo_root_by_gitpython(start)


def test_installed_versions_are_read_without_importlib_metadata() -> None:
    for name in ("tree-sitter", "tree-sitter-go", "click"):
        assert _dist_version(name) == importlib.metadata.version(name)


def test_the_bot_command_is_listed_and_loaded_on_demand() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0 and "bot" in result.stdout
    assert CliRunner().invoke(main, ["bot", "--help"]).exit_code == 0
    listing = CliRunner().invoke(main, ["run", "--help"])
    assert listing.exit_code == 0 and "--no-cache" in listing.stdout
