"""Two writers, a person saving a file, a lock holder killed: no run's changes are lost.

Real git repositories, the real command line (in-process through click, or
as subprocesses for true concurrency), the real ``flock``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from reliability_support import FILES_PER_PACKAGE, PACKAGES, git, go_files, gocodemod, stage_files

from codemod.apply import lock, writer
from codemod.cli.main import main
from codemod.recipes.load import load_recipes
from codemod.run.runner import run


def invoke(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    monkeypatch.chdir(root)
    return CliRunner().invoke(main, ["run", *args])


def changed_by(text: bytes, recipe: str) -> bool:
    """Whether ``text`` carries the change of ``recipe`` (since or print-builtin) and nothing lost."""
    if recipe == "since":
        return b"time.Since(t) // keep this comment" in text and b"time.Now().Sub" not in text
    return b'print("elapsed"' in text and b"println" not in text


def test_two_writers_started_together_lose_nothing(writers_repo: Path, since_recipe: Path, print_recipe: Path) -> None:
    """Either both changes land, or the later writer refuses clearly and writes nothing over the first."""
    for _ in range(2):
        git(writers_repo, "checkout", "-q", "--", ".")
        runs = {
            recipe: gocodemod(writers_repo, "--write", "--allow-dirty", "--no-cache", "-j", "1", "-r", str(path), ".")
            for recipe, path in (("since", since_recipe), ("print-builtin", print_recipe))
        }
        ended = {
            recipe: (process.wait(timeout=300), process.communicate()[1].decode()) for recipe, process in runs.items()
        }
        assert any(code == 0 for code, _ in ended.values()), ended
        files = go_files(writers_repo)
        assert len(files) == PACKAGES * FILES_PER_PACKAGE
        for recipe, (code, stderr) in ended.items():
            assert "Traceback" not in stderr
            if code == 0:
                assert all(changed_by(text, recipe) for text in files.values()), (recipe, stderr)
            else:
                assert code == 2, stderr
                assert "refusing to write: changed on disk during the run" in stderr, stderr
        assert stage_files(writers_repo) == []
        assert {line[:3] for line in git(writers_repo, "status", "--porcelain").splitlines()} == {" M "}


def test_a_writer_waits_for_the_lock_and_says_for_whom(writers_repo: Path, since_recipe: Path) -> None:
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with lock.write_lock(lock.state_dir(writers_repo)):
            holding.set()
            release.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(60)
    heard: list[str] = []

    def waiting(line: str) -> None:
        heard.append(line)
        release.set()  # the writer waits now: let the holder go

    try:
        result = run(writers_repo, load_recipes([str(since_recipe)], include_builtin=False))
        outcome = writer.write_run(result, on_wait=waiting, lock_wait=60)
    finally:
        release.set()
        holder.join()
    assert heard == [f"waiting for another gocodemod run to finish writing (pid {os.getpid()})"]
    assert len(outcome.written) == PACKAGES * FILES_PER_PACKAGE and outcome.moved == []
    assert all(changed_by(text, "since") for text in go_files(writers_repo).values())


def test_a_writer_refuses_after_a_bounded_wait_and_writes_nothing(
    writers_repo: Path, since_recipe: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = go_files(writers_repo)
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.2)
    with lock.write_lock(lock.state_dir(writers_repo)):
        result = invoke(writers_repo, monkeypatch, "--write", "-q", "--no-cache", "-r", str(since_recipe), ".")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert f"waiting for another gocodemod run to finish writing (pid {os.getpid()})" in result.stderr
    [line] = [line for line in result.stderr.splitlines() if line.startswith("gocodemod: ")]
    assert line.startswith(f"gocodemod: another gocodemod run (pid {os.getpid()}) has been writing")
    assert line.endswith("nothing was written (run again when it has finished)")
    assert go_files(writers_repo) == before


def test_a_lock_holder_killed_with_sigkill_frees_the_lock(writers_repo: Path, since_recipe: Path) -> None:
    state = lock.state_dir(writers_repo)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom pathlib import Path\nfrom codemod.apply import lock\n"
         f"with lock.write_lock(Path({str(state)!r})):\n    print('held', flush=True)\n    time.sleep(600)\n"],
        stdout=subprocess.PIPE,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
    holder.kill()
    holder.wait()
    waits: list[str] = []
    result = run(writers_repo, load_recipes([str(since_recipe)], include_builtin=False))
    outcome = writer.write_run(result, on_wait=waits.append, lock_wait=30)
    assert waits == []
    assert len(outcome.written) == PACKAGES * FILES_PER_PACKAGE


def test_a_file_saved_while_the_run_stages_is_kept_and_reported(
    writers_repo: Path, since_recipe: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone saves p0/f1.go after the run read it and after the pre-write check: their bytes stay."""
    saved = b"package p0\n\n// saved by a person while gocodemod was staging\n"
    victim = writers_repo / "p0" / "f1.go"
    real_stage = writer.write_stage_file

    def stage_then_someone_saves(target: Path, stage_path: Path, data: bytes) -> None:
        real_stage(target, stage_path, data)
        if target.name == "f0.go" and target.parent.name == "p0":
            victim.write_bytes(saved)

    monkeypatch.setattr(writer, "write_stage_file", stage_then_someone_saves)
    result = invoke(writers_repo, monkeypatch, "--write", "--no-cache", "-j", "1", "-r", str(since_recipe), ".")
    assert result.exit_code == 3, result.stderr
    assert "gocodemod: left alone, changed on disk while writing: p0/f1.go (run again)" in result.stderr
    assert f"wrote {PACKAGES * FILES_PER_PACKAGE - 1} files" in result.stderr
    assert victim.read_bytes() == saved
    files = go_files(writers_repo)
    assert all(changed_by(text, "since") for name, text in files.items() if name != "p0/f1.go")
    assert stage_files(writers_repo) == []


def test_stage_files_of_a_killed_run_are_invisible_to_git_and_removed_by_the_next_run(
    writers_repo: Path, since_recipe: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What kill -9 between staging and renaming leaves: stage files and the journal naming them."""
    from codemod.apply.staging import Stager, write_stage_file

    state = lock.state_dir(writers_repo)
    stager = Stager(state, lock.git_common_dir(writers_repo))
    targets = [writers_repo / "p0" / "f0.go", writers_repo / "p1" / "f2.go"]
    for target, stage_path in stager.plan(targets).items():
        write_stage_file(target, stage_path, b"package half\n")
    assert len(stage_files(writers_repo)) == 2
    assert git(writers_repo, "status", "--porcelain", "--untracked-files=all") == ""
    git(writers_repo, "add", "-A")
    assert git(writers_repo, "diff", "--cached", "--name-only") == ""
    result = invoke(writers_repo, monkeypatch, "--write", "-q", "--no-cache", "-r", str(since_recipe), ".")
    assert result.exit_code == 0, result.stderr
    assert stage_files(writers_repo) == []
    assert not (state / "stage-journal").exists()
