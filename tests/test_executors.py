"""Executors: -j 1, -j 2, the cache (cold and warm) and a Dask cluster give the same run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import codemod.run.executors as executors
from codemod.apply.session import choose_executor
from codemod.errors import UsageError
from codemod.recipes.load import load_recipe_text, load_recipes
from codemod.run.runner import RunResult, run
from codemod.run.tasks import RunOptions

RENAME = """
id: rename-sleep
description: a synthetic fix so that every run has changes to compare
rule: {pattern: "time.Sleep($D)"}
fix: "pause($D)"
"""
STDLIB_PACKAGES = ("context", "sync", "sort", "container/list", "unicode/utf8")


pytestmark = pytest.mark.usefixtures("cache_dir")


@pytest.fixture(scope="module")
def tree(tmp_path_factory, goroot: Path) -> Path:
    """A few real standard library packages, plus one the synthetic recipe changes."""
    root = tmp_path_factory.mktemp("tree")
    for package in STDLIB_PACKAGES:
        shutil.copytree(goroot / "src" / package, root / package, ignore=shutil.ignore_patterns("testdata"))
    (root / "go.mod").write_text("module example.com/tree\n\ngo 1.25\n")
    (root / "sleepy").mkdir()
    (root / "sleepy" / "a.go").write_text('package sleepy\n\nimport "time"\n\nfunc A() {\n\ttime.Sleep(1)\n}\n')
    return root


@pytest.fixture(scope="module")
def recipes() -> list:
    return load_recipes([]) + load_recipe_text(RENAME)


@pytest.fixture(scope="module")
def baseline(tree: Path, recipes: list) -> RunResult:
    return run(tree, recipes, jobs=1)


def _assert_same(result: RunResult, baseline: RunResult) -> None:
    assert [r.path for r in result.results] == [r.path for r in baseline.results]
    assert result.results == baseline.results
    assert result.originals == baseline.originals


def test_the_baseline_has_something_to_compare(baseline: RunResult) -> None:
    assert len(baseline.results) > 40
    assert "sleepy/a.go" in {r.path for r in baseline.changed}


def test_two_worker_processes_give_the_same_results(tree, recipes, baseline) -> None:
    _assert_same(run(tree, recipes, jobs=2), baseline)


def test_cold_and_warm_cache_give_the_same_results(tree, recipes, baseline) -> None:
    _assert_same(run(tree, recipes, jobs=2, options=RunOptions(cache=True)), baseline)
    _assert_same(run(tree, recipes, jobs=1, options=RunOptions(cache=True)), baseline)


def test_a_local_dask_cluster_gives_the_same_results(tree, recipes, baseline) -> None:
    pytest.importorskip("distributed")
    result = run(tree, recipes, jobs=2, options=RunOptions(executor="dask"))
    _assert_same(result, baseline)


def test_an_unreachable_scheduler_is_a_usage_error(tree, recipes, monkeypatch) -> None:
    pytest.importorskip("distributed")
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(UsageError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        run(tree, recipes, jobs=2, options=RunOptions(executor="dask", scheduler="tcp://127.0.0.1:9"))


def test_workers_with_another_engine_are_refused() -> None:
    class Client:
        def run(self, function):
            return {"tcp://10.0.0.2:4000": "0123456789abcdef-other"}

    with pytest.raises(UsageError, match="tcp://10.0.0.2:4000 runs a different gocodemod engine"):
        executors._check_workers(Client())


def test_executor_choice(tree, recipes) -> None:
    assert choose_executor(None, None) == "local"
    assert choose_executor(None, "tcp://h:8786") == "dask"
    assert choose_executor("dask", None) == "dask"
    with pytest.raises(UsageError, match="--scheduler needs --executor dask"):
        choose_executor("local", "tcp://h:8786")
    with pytest.raises(UsageError, match="unknown executor"):
        run(tree, recipes, options=RunOptions(executor="spark"))


def test_packages_no_recipe_can_match_are_answered_without_the_executor(tree, recipes, baseline) -> None:
    from codemod.run.tasks import InProcessExecutor

    sent: list[str] = []

    class Recording(InProcessExecutor):
        def map_tasks(self, tasks):
            for task in tasks:
                sent.append(task.directory)
                yield from super().map_tasks([task])

    rename = [recipe for recipe in recipes if recipe.id == "rename-sleep"]
    inner = Recording(rename, RunOptions().engine_options())
    result = run(tree, rename, executor=executors.Triage(inner, rename, RunOptions().engine_options()))
    assert "sleepy" in sent and "context" not in sent  # context/ never says Sleep
    assert [r.path for r in result.changed] == [r.path for r in baseline.changed if "rename-sleep" in r.recipe_ids()]


def test_tasks_carry_the_prefilter_verdict_the_engine_then_trusts(tree, recipes) -> None:
    from codemod.prefilter.requirements import prefilter_for
    from codemod.run.tasks import InProcessExecutor

    seen = []

    class Recording(InProcessExecutor):
        def map_tasks(self, tasks):
            for task in tasks:
                seen.append(task)
                yield from super().map_tasks([task])

    inner = Recording(recipes, RunOptions().engine_options())
    run(tree, recipes, executor=executors.Triage(inner, recipes, RunOptions().engine_options()))
    sleepy = next(task for task in seen if task.directory == "sleepy")
    assert sleepy.admitted == {
        "sleepy/a.go": frozenset(prefilter_for(tuple(recipes)).may_match(sleepy.files["sleepy/a.go"]))
    }
    assert "rename-sleep" in sleepy.admitted["sleepy/a.go"]
