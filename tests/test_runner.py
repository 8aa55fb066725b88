"""The runner over a real repository: grouping, ordering, versions, executors."""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from gitfixtures import git, write_files

from codemod.model import FileResult, Status
from codemod.output.diff import file_diff
from codemod.recipes.load import load_recipe_text
from codemod.run.files import FileFilter
from codemod.run.runner import run
from codemod.run.tasks import PackageTask, RunOptions, run_task

VERSIONED = """\
id: since-new-go
description: Only for modules on a future Go
go: "1.99"
rule:
  pattern: time.Now().Sub($T)
fix: time.Since($T)
"""


def test_statuses_order_and_originals(repo: Path, recipes: list) -> None:
    result = run(repo, recipes)
    assert [r.path for r in result.results] == sorted(r.path for r in result.results)
    statuses = {r.path: r.status for r in result.results}
    assert statuses == {
        "dirty.go": Status.CHANGED,
        "gen/gen.go": Status.SKIPPED,
        "main.go": Status.CHANGED,
        "pkg/nonl/nonl.go": Status.CHANGED,
        "pkg/util/clean.go": Status.UNCHANGED,
        "pkg/util/util.go": Status.CHANGED,
        "untracked.go": Status.CHANGED,
    }
    assert set(result.originals) == {r.path for r in result.changed}
    assert result.originals["dirty.go"] == (repo / "dirty.go").read_bytes()
    assert result.changes_by_recipe() == {"time-since": 6}
    assert result.files_by_recipe() == {"time-since": 5}
    assert result.finding_count() == 1
    assert result.status_counts() == {"changed": 5, "unchanged": 1, "skipped": 1, "failed": 0}


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("cache", [False, True])
def test_a_run_that_only_reports_keeps_the_diffs_not_the_sources(
    repo: Path, recipes: list, jobs: int, cache: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOCODEMOD_CACHE_DIR", str(tmp_path / "cache"))
    options = RunOptions(cache=cache)
    kept = run(repo, recipes, jobs=jobs, options=options)
    for _ in range(2 if cache else 1):  # with the cache: cold, then answered from it
        reported = run(repo, recipes, jobs=jobs, options=options, keep_sources=False)
        assert not reported.sources_kept and reported.originals == {}
        assert all(result.new_source is None for result in reported.results)
        assert [(r.path, r.status, r.changes) for r in reported.results] == [
            (r.path, r.status, r.changes) for r in kept.results
        ]
        assert set(reported.diffs) == {r.path for r in kept.changed}
        assert reported.diffs == {r.path: file_diff(kept, r).text for r in kept.changed}
        assert "time-since" in reported.diffs["dirty.go"].split("\n")[2]  # the hunk names its recipe
        with pytest.raises(RuntimeError, match="kept only the diffs"):
            reported.original("dirty.go")


def test_suppression_comment_keeps_one_match(repo: Path, recipes: list) -> None:
    util = next(r for r in run(repo, recipes).results if r.path == "pkg/util/util.go")
    assert len(util.changes) == 1
    assert b"//gocodemod:ignore time-since\n\treturn time.Now().Sub(t)" in (util.new_source or b"")


def test_generated_files_are_included_on_request(repo: Path, recipes: list) -> None:
    result = run(repo, recipes, options=RunOptions(include_generated=True))
    assert {r.path: r.status for r in result.results}["gen/gen.go"] is Status.CHANGED


def test_file_filter_and_paths_narrow(repo: Path, recipes: list) -> None:
    result = run(repo, recipes, paths=[repo / "pkg"], options=RunOptions(file_filter=FileFilter(include_vendor=True)))
    assert [r.path for r in result.results] == ["pkg/nonl/nonl.go", "pkg/util/clean.go", "pkg/util/util.go"]
    vendored = run(
        repo, recipes, paths=[repo / "vendor"], options=RunOptions(file_filter=FileFilter(include_vendor=True))
    )
    assert [r.status for r in vendored.results] == [Status.CHANGED]


def test_process_pool_gives_the_same_results(repo: Path, recipes: list) -> None:
    one = run(repo, recipes, jobs=1)
    two = run(repo, recipes, jobs=2)
    assert [(r.path, r.status, r.new_source, r.changes, r.findings) for r in one.results] == [
        (r.path, r.status, r.new_source, r.changes, r.findings) for r in two.results
    ]


def test_go_version_of_the_nearest_module_gates_recipes(repo: Path) -> None:
    recipe = load_recipe_text(VERSIONED, "versioned.yaml")
    assert run(repo, recipe).changed == []
    write_files(repo, {"pkg/nonl/go.mod": "module example.com/nonl\n\ngo 1.99\n"})
    assert [r.path for r in run(repo, recipe).changed] == ["pkg/nonl/nonl.go"]


def test_revision_mode_reads_head(repo: Path, recipes: list) -> None:
    head = git(repo, "rev-parse", "HEAD").strip()
    result = run(repo, recipes, options=RunOptions(revision=head))
    assert "untracked.go" not in [r.path for r in result.results]
    dirty = next(r for r in result.results if r.path == "dirty.go")
    assert b"unsaved edit" not in (dirty.new_source or b"")
    assert result.revision == head


def test_progress_reports_every_file(repo: Path, recipes: list) -> None:
    seen: list[tuple[int, int]] = []
    run(repo, recipes, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (7, 7)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


class RecordingExecutor:
    """A custom executor through the seam: runs tasks in reverse order."""

    def __init__(self, recipes: list):
        self.recipes = recipes
        self.tasks: list[PackageTask] = []

    def map_tasks(self, tasks: Iterable[PackageTask]) -> Iterator[tuple[PackageTask, list[FileResult]]]:
        self.tasks = list(tasks)
        for task in reversed(self.tasks):
            yield task, run_task(task, self.recipes, RunOptions().engine_options())


def test_executor_seam_gets_one_task_per_package(repo: Path, recipes: list) -> None:
    executor = RecordingExecutor(recipes)
    result = run(repo, recipes, executor=executor)
    assert [(t.directory, sorted(t.files), t.go_version) for t in executor.tasks] == [
        (".", ["dirty.go", "main.go", "untracked.go"], "1.22"),
        ("gen", ["gen/gen.go"], "1.22"),
        ("pkg/nonl", ["pkg/nonl/nonl.go"], "1.22"),
        ("pkg/util", ["pkg/util/clean.go", "pkg/util/util.go"], "1.22"),
    ]
    assert [r.path for r in result.results] == sorted(r.path for r in result.results)
    pickle.loads(pickle.dumps(executor.tasks[0]))  # tasks travel to worker processes


def test_the_pool_runs_ahead_of_its_workers_within_bounds(recipes: list, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tasks are sent ahead (a slow stretch of triage leaves no worker idle), at most so many, and so many bytes."""
    import codemod.run.tasks as runner

    def ahead(sizes: list[int]) -> int:
        sent, taken = 0, 0
        most = 0

        def tasks() -> Iterator[PackageTask]:
            nonlocal sent, most
            for index, size in enumerate(sizes):
                sent += 1
                most = max(most, sent - taken)  # in flight once this one is sent
                yield PackageTask(f"p{index}", {f"p{index}/a.txt": b"x" * size}, None)

        for _ in runner.ProcessPoolRunner(recipes, {}, 2).map_tasks(tasks()):
            taken += 1
        assert taken == len(sizes)
        return most

    assert ahead([10] * 100) == 2 * runner.TASKS_AHEAD  # small packages: many in flight
    monkeypatch.setattr(runner, "BYTES_AHEAD", 1000)
    assert ahead([600] * 20) <= 3  # large ones: a few
