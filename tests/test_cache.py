"""The result cache: hits, misses, invalidation, damage, sharing between runs."""

from __future__ import annotations

import json
import logging
import os
import pickle
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitfixtures import RECIPES_YAML

import codemod.engine.core as engine
from codemod.cache import keys as cachekeys
from codemod.cache.store import DB_NAME, ResultCache, cacheable
from codemod.cli.main import main
from codemod.model import FileResult, Status
from codemod.recipes.load import load_recipes
from codemod.run.runner import RunResult, run
from codemod.run.tasks import RunOptions

CACHED = RunOptions(cache=True)
PACKAGES = 4  # ".", "gen", "pkg/nonl", "pkg/util" in the fixture repository

pytestmark = pytest.mark.usefixtures("cache_dir")


@pytest.fixture
def engine_calls(monkeypatch) -> list[list[str]]:
    """The packages the engine really ran (a cache hit never gets here)."""
    calls: list[list[str]] = []
    real = engine.run_package

    def counting(files, recipes, **options):
        calls.append(sorted(files))
        return real(files, recipes, **options)

    monkeypatch.setattr(engine, "run_package", counting)
    return calls


def _recipes_from_text(text: str, directory: Path) -> list:
    path = directory / "edited-recipes.yaml"
    path.write_text(text)
    return load_recipes([str(path)], include_builtin=False)


def _same(first: RunResult, second: RunResult) -> None:
    assert first.results == second.results
    assert first.originals == second.originals


def test_a_rerun_over_unchanged_files_reads_results(repo, recipes, engine_calls) -> None:
    cold = run(repo, recipes, options=CACHED)
    assert len(engine_calls) == PACKAGES
    warm = run(repo, recipes, options=CACHED)
    assert len(engine_calls) == PACKAGES  # nothing ran again
    _same(cold, warm)
    assert cold.changed and warm.changed[0].new_source == cold.changed[0].new_source


def test_without_the_cache_every_package_runs(repo, recipes, engine_calls, cache_dir) -> None:
    run(repo, recipes)
    run(repo, recipes)
    assert len(engine_calls) == 2 * PACKAGES
    assert not (cache_dir / DB_NAME).exists()


def test_a_changed_file_invalidates_only_its_package(repo, recipes, engine_calls) -> None:
    run(repo, recipes, options=CACHED)
    (repo / "pkg" / "util" / "clean.go").write_text("package util\n\nfunc Clean() int { return 2 }\n")
    result = run(repo, recipes, options=CACHED)
    assert engine_calls[PACKAGES:] == [["pkg/util/clean.go", "pkg/util/util.go"]]
    assert result.changed


def test_recipe_severity_options_version_and_go_line_changes_invalidate(
    repo, recipes, engine_calls, monkeypatch
) -> None:
    run(repo, recipes, options=CACHED)
    edited = _recipes_from_text(RECIPES_YAML.replace("time.Since($T)", "time.Since( $T )"), repo.parent)
    run(repo, edited, options=CACHED)
    assert len(engine_calls) == 2 * PACKAGES
    run(repo, [recipes[0].with_severity("error"), recipes[1]], options=CACHED)
    assert len(engine_calls) == 3 * PACKAGES
    run(repo, recipes, options=RunOptions(cache=True, include_generated=True))
    assert len(engine_calls) == 4 * PACKAGES
    monkeypatch.setattr(cachekeys, "engine_fingerprint", lambda: "another engine")
    run(repo, recipes, options=CACHED)
    assert len(engine_calls) == 5 * PACKAGES
    (repo / "go.mod").write_text("module example.com/demo\n\ngo 1.23\n")
    run(repo, recipes, options=CACHED)
    assert len(engine_calls) == 6 * PACKAGES


def test_a_corrupt_cache_file_is_rebuilt_with_a_warning(repo, recipes, cache_dir, caplog) -> None:
    expected = run(repo, recipes, options=CACHED)
    for suffix in ("-wal", "-shm"):
        Path(f"{cache_dir / DB_NAME}{suffix}").unlink(missing_ok=True)
    (cache_dir / DB_NAME).write_bytes(b"this is not a database" * 300)
    with caplog.at_level(logging.WARNING, logger="gocodemod.cache"):
        again = run(repo, recipes, options=CACHED)
    assert "was unreadable" in caplog.text and "rebuilt" in caplog.text
    _same(expected, again)
    with sqlite3.connect(cache_dir / DB_NAME) as db:
        assert db.execute("SELECT count(*) FROM results").fetchone()[0] == PACKAGES


def test_a_damaged_or_foreign_row_is_a_miss_never_a_wrong_result(repo, recipes, cache_dir, engine_calls) -> None:
    expected = run(repo, recipes, options=CACHED)
    with sqlite3.connect(cache_dir / DB_NAME) as db:
        rows = db.execute("SELECT key, payload FROM results").fetchall()
        forged = FileResult("main.go", Status.UNCHANGED)
        for key, payload in rows:
            db.execute("UPDATE results SET payload = ? WHERE key = ?", (payload[:-3] + b"zzz", key))
        db.execute("UPDATE results SET payload = ? WHERE key = ?", (pickle.dumps([forged]), rows[0][0]))
    again = run(repo, recipes, options=CACHED)
    assert len(engine_calls) == 2 * PACKAGES
    _same(expected, again)


def test_crashed_results_are_not_kept(tmp_path) -> None:
    crashed = [FileResult("a.go", Status.FAILED, reason="internal error: MemoryError: ")]
    assert not cacheable(crashed)
    assert cacheable([FileResult("a.go", Status.FAILED, reason="recipe x produced code that does not parse")])
    store = ResultCache(tmp_path / "c" / DB_NAME)
    store.put("k", crashed)
    store.flush()
    assert store.get("k") is None


def test_two_concurrent_runs_share_the_cache(repo, recipes, tmp_path, engine_calls) -> None:
    script = (
        "import hashlib, pickle, sys\n"
        "from pathlib import Path\n"
        "from codemod.recipes.load import load_recipes\n"
        "from codemod.run.runner import RunOptions, run\n"
        "recipes = load_recipes([sys.argv[2]], include_builtin=False)\n"
        "for _ in range(3):\n"
        "    result = run(Path(sys.argv[1]), recipes, jobs=2, options=RunOptions(cache=True))\n"
        "print(hashlib.sha256(pickle.dumps([result.results, result.originals])).hexdigest())\n"
    )
    recipe_file = tmp_path / "recipes.yaml"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(repo), str(recipe_file)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=300) for process in runs]
    assert all(process.returncode == 0 for process in runs), [err for _, err in outputs]
    assert outputs[0][0] == outputs[1][0] and outputs[0][0].strip()
    assert "Traceback" not in outputs[0][1] + outputs[1][1]
    run(repo, recipes, options=CACHED)
    assert engine_calls == []  # everything was already there


def test_cli_caches_by_default_and_no_cache_skips_it(repo, cache_dir) -> None:
    runner = CliRunner()
    previous = os.getcwd()
    os.chdir(repo)
    try:
        plain = runner.invoke(
            main, ["run", "-q", "-j", "1", "--no-cache", "-r", "time-since-none"], catch_exceptions=False
        )
        assert plain.exit_code == 2  # unknown recipe: a usage error, and nothing was cached
        assert not (cache_dir / DB_NAME).exists()
        first = runner.invoke(main, ["run", "-q", "-j", "1", "--format", "json"], catch_exceptions=False)
        assert (cache_dir / DB_NAME).exists()
        second = runner.invoke(main, ["run", "-q", "-j", "1", "--format", "json"], catch_exceptions=False)
        uncached = runner.invoke(
            main, ["run", "-q", "-j", "1", "--no-cache", "--format", "json"], catch_exceptions=False
        )
    finally:
        os.chdir(previous)
    assert first.exit_code == second.exit_code == uncached.exit_code
    assert json.loads(first.stdout) == json.loads(second.stdout) == json.loads(uncached.stdout)


def test_the_cache_lives_in_the_repository_only_when_asked(repo, recipes, monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("GOCODEMOD_CACHE_DIR")
    run(repo, recipes, options=CACHED)
    assert not (repo / ".gocodemod").exists()
    assert (tmp_path / "user-cache" / "gocodemod" / DB_NAME).exists()
    (repo / ".gocodemod").mkdir()
    run(repo, recipes, options=CACHED)
    assert (repo / ".gocodemod" / DB_NAME).exists()
    assert (
        subprocess.run(["git", "status", "--porcelain", ".gocodemod"], cwd=repo, capture_output=True, text=True).stdout
        == ""
    )
