"""``--interactive`` through a real pseudo-terminal: keys y/n/a/s/q and what gets written."""

from __future__ import annotations

import os
import re
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


# ---- whole changes: built-in recipes over a module of their own ---------------------------

MUTEX = """package flags

import "sync"

type set struct {
	mu sync.Mutex
	on map[string]bool
}

func (s *set) enabled(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.on[name]
}

func (s *set) enable(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.on[name] = true
}
"""

# waitgroup-go rewrites the region that holds defer-go-explicit's match.
NESTED = """package p

import "sync"

func run() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer func() {
			go flush("x")
		}()
		work()
	}()
	wg.Wait()
}

func flush(string) {}
func work()        {}
"""

# waitgroup-go only applies after sleep-to-waitgroup's fix (a later pass).
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
def module(tmp_path: Path) -> Path:
    from gitfixtures import git, write_files

    root = tmp_path / "m"
    root.mkdir()
    write_files(root, {"go.mod": "module example.com/m\n\ngo 1.27\n", "flags/f.go": MUTEX, "p/p.go": NESTED})
    write_files(root, {"workers/w.go": SLEEPING})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "init")
    return root


def plain(shown: str) -> str:
    """Terminal output without colour codes and carriage returns."""
    return re.sub(r"\x1b\[[0-9;]*m", "", shown).replace("\r", "")


def spawn_builtin(root: Path, *args: str) -> pexpect.spawn:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent), "COLUMNS": "160"}
    return pexpect.spawn(
        sys.executable,
        ["-m", "codemod.cli.main", "run", "--interactive", *args],
        cwd=str(root), env=env, encoding="utf-8", timeout=60, dimensions=(60, 160),
    )  # fmt: skip


def test_the_prompt_lists_its_keys(module: Path) -> None:
    child = spawn_builtin(module, "-r", "mutex-to-rwmutex", "flags")
    child.expect_exact("[y]es [n]o [a]ll of this recipe [s]kip file [q]uit [?]help")
    child.send("q")
    finish(child)


@pytest.mark.parametrize("key", ["n", "y"])
def test_every_edit_of_one_fix_is_one_prompt(module: Path, key: str) -> None:
    """mutex-to-rwmutex's field type and its RLock/RUnlock edits are one change."""
    child = spawn_builtin(module, "-r", "mutex-to-rwmutex", "flags")
    child.expect_exact("flags/f.go:6:2")
    child.expect_exact(PROMPT)
    shown = plain(child.before)
    for added in (r"mu sync\.RWMutex", r"s\.mu\.RLock\(\)", r"defer s\.mu\.RUnlock\(\)"):
        assert len(re.findall(r"(?m)^\+\s*" + added + r"\s*$", shown)) == 1, shown
    child.send(key)
    output = finish(child)
    assert output.count(PROMPT) == 0  # the one question was the only one
    text = (module / "flags/f.go").read_text()
    if key == "n":
        assert text == MUTEX
    else:
        assert "mu sync.RWMutex" in text and text.count("s.mu.RLock()") == 1 and text.count("s.mu.Lock()") == 1


def test_a_declined_change_is_not_offered_again_in_a_later_pass(module: Path) -> None:
    child = spawn_builtin(module, "-r", "defer-go-explicit", "-r", "waitgroup-go", "p")
    child.expect_exact("p/p.go:11:4")  # defer-go-explicit, inside the goroutine waitgroup-go rewrites
    child.expect_exact(PROMPT)
    child.send("n")
    child.expect_exact("p/p.go:7:2")  # waitgroup-go
    child.expect_exact(PROMPT)
    child.send("y")
    output = finish(child)
    assert output.count(PROMPT) == 0, output
    text = (module / "p/p.go").read_text()
    assert "wg.Go(func() {" in text and 'go flush("x")' in text


def test_a_later_pass_hunk_has_context_lines(module: Path) -> None:
    child = spawn_builtin(module, "-r", "sleep-to-waitgroup", "-r", "waitgroup-go", "--unsafe", "workers")
    child.expect_exact("sleep-to-waitgroup")
    child.expect_exact(PROMPT)
    child.send("y")
    child.expect_exact("waitgroup-go")
    child.expect_exact(PROMPT)
    shown = plain(child.before)
    assert "(after earlier fixes in this file)" in shown
    assert re.search(r"(?m)^\s+for i := 0; i < n; i\+\+ \{\s*$", shown), shown  # context around the change
    assert re.search(r"(?m)^\+\s*wg\.Go\(func\(\) \{\s*$", shown), shown
    child.send("y")
    finish(child)
    assert "wg.Go(func() {" in (module / "workers/w.go").read_text()


FIELD_FILE = """package cache

import "sync"

type store struct {
	mu      sync.Mutex
	entries map[string][]byte
}

func (s *store) put(key string, value []byte) {
	s.mu.Lock()
	s.entries[key] = value
	s.mu.Unlock()
}
"""

LOOKUP_FILE = """package cache

func (s *store) get(key string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.entries[key]
}
"""


@pytest.mark.parametrize("key", ["n", "y"])
def test_pieces_in_several_files_of_a_package_get_one_answer(module: Path, key: str) -> None:
    """The field (cache/a.go) and its read-only section (cache/b.go): one question for both."""
    from gitfixtures import git, write_files

    write_files(module, {"cache/a.go": FIELD_FILE, "cache/b.go": LOOKUP_FILE})
    git(module, "add", ".")
    git(module, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "cache")
    child = spawn_builtin(module, "-r", "mutex-to-rwmutex", "cache")
    child.expect_exact("cache/a.go:6:2")
    child.expect_exact(PROMPT)
    child.send(key)
    output = finish(child)
    assert output.count(PROMPT) == 0, output  # cache/b.go's RLock/RUnlock: not asked again
    field, lookup = (module / "cache/a.go").read_text(), (module / "cache/b.go").read_text()
    if key == "n":
        assert (field, lookup) == (FIELD_FILE, LOOKUP_FILE)
    else:
        assert "mu      sync.RWMutex" in field and "s.mu.RLock()" in lookup and "defer s.mu.RUnlock()" in lookup
