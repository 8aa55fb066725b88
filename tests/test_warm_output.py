"""The warm path's cheaper output and start-up: the same bytes as rich, fewer imports, same answers."""

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
from codemod.output.summary import Summary, console_width, print_rich, render_plain
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


@pytest.mark.parametrize("width", [46, 60, 61, 80, 200])
@pytest.mark.parametrize(
    "rows", [(), ROWS[:1], ROWS, (("a", "report", "1", "0", "0"),), (("r" * 40, "safe", "1", "2", "3"),)]
)
def test_the_plain_summary_is_what_rich_prints(rows, width) -> None:
    summary = Summary(
        rows=rows,
        totals="5787 files scanned: 113 changed, 5183 unchanged, 491 skipped, 0 failed; 81 findings",
        skipped=("skipped 2 (syntax error at 1:1: unexpected '// Copyright'): a.go, b.go",),
        failures=(("c/d.go", "recipe x produced code that does not parse"),),
        findings=LINES,
    )
    plain = render_plain(summary, width, "utf-8")
    if plain is None:  # wider than the console: rich shrinks the table, so the plain renderer declines
        assert sum(max(len(c) for c in column) + 3 for column in zip(*rows, summary_module.COLUMNS)) - 1 > width
    else:
        assert plain == _rich(summary, width)


@pytest.mark.parametrize(
    "change",
    [
        {"findings": ("a.go:1:1: warning: a\ttab [r]",)},
        {"findings": ("a.go:1:1: warning: a\rcarriage return [r]",)},
        {"failures": (("a[b].go", "bad"),)},
        {"failures": (("a\\.go", "bad"),)},
    ],
)
def test_text_rich_would_alter_is_left_to_rich(change) -> None:
    summary = Summary(**{"rows": ROWS, "totals": "t", "skipped": (), "failures": (), "findings": (), **change})
    assert render_plain(summary, 80, "utf-8") is None
    assert render_plain(Summary(ROWS, "t", (), (), ()), 80, "ascii") is None  # rich draws ASCII boxes there


def test_a_finding_on_line_100_is_not_an_emoji(tmp_path: Path) -> None:
    summary = Summary((), "t", (), (("p:1234:", "r"),), ("x.go:100:2: warning: m [r]",))
    printed = _rich(summary, 80)
    assert "x.go:100:2:" in printed and "failed p:1234:: r" in printed and "💯" not in printed


def test_console_width_follows_rich(monkeypatch) -> None:
    assert console_width({"COLUMNS": "120"}) == 120
    assert console_width({"COLUMNS": "0"}) is None
    expected = Console(file=io.StringIO()).width
    monkeypatch.delenv("COLUMNS", raising=False)
    assert console_width({}) == expected


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
