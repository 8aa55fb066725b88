"""Warm runs end to end: what they read, what they skip, and that they never say something stale."""

from __future__ import annotations

import difflib
import os
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitfixtures import RECIPES_YAML, SINCE, write_files

from codemod.cache import statmemo
from codemod.cache.store import DB_NAME, REFRESH_AFTER, ResultCache, default_cache_path
from codemod.cli.main import main
from codemod.model import FileResult, Status
from codemod.run import cached as cachedrun
from codemod.run.files import WorkingTree
from codemod.run.runner import run
from codemod.run.tasks import PackageReader, RunOptions, packages_of

CACHED = RunOptions(cache=True)
TREE = {
    "go.mod": "module example.com/tree\n\ngo 1.22\n",
    "a/a.go": SINCE.format(package="a", name="A"),
    "a/plain.go": "package a\n\nfunc Plain() int { return 1 }\n",
    "b/b.go": 'package b\n\nfunc B() {\n\tprintln("b")\n}\n',
    "c/deep/c.go": SINCE.format(package="deep", name="C"),
    "c/deep/other.go": "package deep\n\nfunc Other() {}\n",
}


pytestmark = pytest.mark.usefixtures("cache_dir")


@pytest.fixture
def no_racy_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test a moment ago count as settled (the window itself is tested apart)."""
    monkeypatch.setattr(statmemo, "RACY_WINDOW_NS", 0)
    monkeypatch.setattr(statmemo, "COARSE_RACY_WINDOW_NS", 0)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    write_files(root, TREE)
    return root


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file a working tree reads (the real read still happens)."""
    seen: list[str] = []
    real = WorkingTree.read

    def counting(self: WorkingTree, rel_path: str) -> bytes | None:
        if rel_path.endswith(".go"):  # go.mod files are read to learn the packages' Go versions
            seen.append(rel_path)
        return real(self, rel_path)

    monkeypatch.setattr(WorkingTree, "read", counting)
    return seen


@pytest.fixture
def diff_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = difflib.unified_diff

    def counting(*args, **kwargs):
        calls.append(args[2])
        return real(*args, **kwargs)

    monkeypatch.setattr(difflib, "unified_diff", counting)
    return calls


def _memo(tree: Path) -> statmemo.StatMemo:
    cache = ResultCache(default_cache_path(None))
    try:
        return statmemo.StatMemo.from_payload(cache.get_value(f"stat:{tree.resolve()}"))
    finally:
        cache.close()


def test_a_warm_run_reads_only_the_files_it_changed_and_runs_no_difflib(
    tree, recipes, reads, diff_calls, no_racy_window
) -> None:
    cold = run(tree, recipes, options=CACHED)
    assert sorted(set(reads)) == ["a/a.go", "a/plain.go", "b/b.go", "c/deep/c.go", "c/deep/other.go"]
    assert sorted(diff_calls) == ["a/a/a.go", "a/c/deep/c.go"]  # computed once, stored with the results
    reads.clear(), diff_calls.clear()
    warm = run(tree, recipes, options=CACHED)
    assert sorted(reads) == ["a/a.go", "c/deep/c.go"]  # the originals of the changed files, for the report and --write
    assert diff_calls == []
    assert warm.results == cold.results and warm.originals == cold.originals
    assert set(warm.diffs) == {"a/a.go", "c/deep/c.go"} and warm.diffs == cold.diffs


def test_outputs_are_the_same_bytes_cold_warm_uncached_and_in_one_process(
    tree, tmp_path, monkeypatch, no_racy_window
) -> None:
    recipe_file = tmp_path / "recipes.yaml"
    recipe_file.write_text(RECIPES_YAML)
    monkeypatch.chdir(tree)

    def invoke(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(main, ["run", "-r", str(recipe_file), *args], catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    for fmt in ("diff", "stat", "json", "sarif"):
        uncached = invoke("--format", fmt, "--no-cache", "-j", "1")
        assert uncached[1] and "files scanned" in uncached[2]
        assert invoke("--format", fmt) == uncached  # cold (for this format's first run) or warm
        assert invoke("--format", fmt, "-j", "1") == uncached  # warm
        errors = "".join(line + "\n" for line in uncached[2].splitlines() if ": error: " in line)
        assert invoke("--format", fmt, "-j", "2", "-q") == (uncached[0], uncached[1], errors)  # -q keeps errors only


def test_a_same_size_rewrite_that_keeps_mtime_is_not_answered_from_the_cache(tree, recipes, no_racy_window) -> None:
    run(tree, recipes, options=CACHED)
    target = tree / "a" / "plain.go"
    before = os.stat(target)
    body = "package a\n\nfunc Plain() { println() }\n"
    rewritten = body + "//" + "x" * (before.st_size - len(body) - 3) + "\n"
    assert len(rewritten) == before.st_size
    time.sleep(0.02)  # a later kernel tick, so that ctime moves
    target.write_text(rewritten)
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # size and mtime as they were
    after = run(tree, recipes, options=CACHED)
    assert [r.findings[0].message for r in after.results if r.path == "a/plain.go"] == ["println left in code"]
    assert after.results == run(tree, recipes).results


def test_files_are_remembered_only_once_they_are_out_of_the_racy_window(tree, recipes) -> None:
    run(tree, recipes, options=CACHED)
    assert len(_memo(tree)) == 0  # just written: any of them could still change unseen
    time.sleep(statmemo.RACY_WINDOW_NS / 1e9 + 0.1)
    run(tree, recipes, options=CACHED)
    assert len(_memo(tree)) == 5


def test_the_memo_forgets_deleted_files_but_a_narrowed_run_keeps_the_others(tree, recipes, no_racy_window) -> None:
    run(tree, recipes, options=CACHED)
    assert len(_memo(tree)) == 5
    run(tree, recipes, paths=[tree / "a"], options=CACHED)
    assert len(_memo(tree)) == 5
    (tree / "b" / "b.go").unlink()
    run(tree, recipes, options=CACHED)
    assert len(_memo(tree)) == 4


def test_a_hit_whose_changed_file_was_rewritten_after_its_stat_is_a_miss(tree, recipes, no_racy_window) -> None:
    run(tree, recipes, options=CACHED)
    working = WorkingTree(tree)
    memo = _memo(tree)
    keys = cachedrun.PackageKeys(PackageReader(working), lambda: b"shared", memo)
    [probe] = [
        keys.probe(directory, paths) for directory, paths in packages_of(working.list_files()) if directory == "a"
    ]
    assert probe.data == {}  # both files vouched for by the memo
    stored = ([FileResult("a/a.go", Status.CHANGED, b"new"), FileResult("a/plain.go", Status.UNCHANGED)], {})
    assert keys.answer(probe, stored) is not None
    (tree / "a" / "a.go").write_text("package a\n// rewritten between the stat and the read\n")
    assert keys.answer(probe, stored) is None
    assert memo.vouch(f"{tree.resolve()}/", ["a/a.go"])[0] == {}  # and the memo no longer trusts it


def test_results_of_a_git_revision_are_cached_without_a_stat_memo(repo, recipes, reads) -> None:
    options = RunOptions(cache=True, revision="HEAD")
    first = run(repo, recipes, options=options)
    second = run(repo, recipes, options=options)
    assert first.results == second.results and first.originals == second.originals and first.changed
    assert reads == []  # a revision is read from git objects, never from the working tree


def test_many_keys_are_fetched_in_a_few_queries_and_damaged_rows_are_misses(tmp_path) -> None:
    cache = ResultCache(tmp_path / "c" / DB_NAME)
    keys = [f"k{index}" for index in range(1200)]
    for key in keys:
        cache.put(key, [FileResult(f"{key}.go", Status.UNCHANGED, passes=1)], {})
    cache.put_value("memo-row", b"anything")
    cache.close()
    with sqlite3.connect(tmp_path / "c" / DB_NAME) as db:
        db.execute("UPDATE results SET payload = payload || x'00' WHERE key = 'k7'")
    cache = ResultCache(tmp_path / "c" / DB_NAME)
    statements: list[str] = []
    cache._db.set_trace_callback(statements.append)  # type: ignore[union-attr]
    found = cache.get_many(keys)
    assert len([s for s in statements if s.startswith("SELECT")]) == 3
    assert len(found) == 1199 and "k7" not in found
    assert found["k8"] == ([FileResult("k8.go", Status.UNCHANGED, passes=1)], {})
    assert cache.get_value("memo-row") == b"anything" and cache.get_value("k8") is None
    cache.close()


def test_used_rows_are_rewritten_only_when_their_timestamp_is_old(tmp_path) -> None:
    path = tmp_path / "c" / DB_NAME
    cache = ResultCache(path)
    cache.put("old", [], {})
    cache.put("recent", [], {})
    cache.close()
    long_ago, a_while_ago = int(time.time()) - REFRESH_AFTER - 10, int(time.time()) - 10
    with sqlite3.connect(path) as db:
        db.execute("UPDATE results SET used = ? WHERE key = 'old'", (long_ago,))
        db.execute("UPDATE results SET used = ? WHERE key = 'recent'", (a_while_ago,))
    cache = ResultCache(path)
    assert set(cache.get_many(["old", "recent"])) == {"old", "recent"}
    cache.close()
    with sqlite3.connect(path) as db:
        used = dict(db.execute("SELECT key, used FROM results").fetchall())
    assert used["recent"] == a_while_ago and used["old"] >= int(time.time()) - 5


def test_a_run_answered_entirely_from_the_cache_starts_no_cluster(tree, recipes, no_racy_window) -> None:
    pytest.importorskip("distributed")
    cold = run(tree, recipes, options=CACHED)
    unreachable = RunOptions(cache=True, executor="dask", scheduler="tcp://127.0.0.1:9")  # would fail to connect
    assert run(tree, recipes, jobs=2, options=unreachable).results == cold.results
