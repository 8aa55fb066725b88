"""kill -9 during ``--write``: every file is its old or its new bytes, and nothing reaches ``git add -A``.

The real command in a subprocess over a real repository, killed (with its
whole process group) at several moments after it began staging; a last run
that is not killed removes what the killed ones left.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from reliability_support import git, go_files, gocodemod, stage_files

from codemod.apply import lock
from codemod.apply.staging import JOURNAL_NAME
from codemod.recipes.load import load_recipes
from codemod.run.runner import run

# When to kill, after the run wrote its stage journal: seconds later (staging 48 files, each fsynced,
# takes longer than the last one), or None: as soon as the first file holds its new bytes (renaming).
KILL_POINTS = (0.0, 0.02, 0.1, None)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""


def _kill_group(process_id: int) -> None:
    try:
        os.killpg(process_id, signal.SIGKILL)
    except ProcessLookupError:
        pass  # it finished first


@pytest.mark.slow
def test_kill_9_during_write_leaves_old_or_new_bytes_and_nothing_for_git(
    writers_repo: Path, since_recipe: Path
) -> None:
    old = go_files(writers_repo)
    dry = run(writers_repo, load_recipes([str(since_recipe)], include_builtin=False))
    new = {result.path: result.new_source for result in dry.changed}
    assert set(new) == set(old)
    journal = lock.state_dir(writers_repo) / JOURNAL_NAME
    first = writers_repo / "p0" / "f0.go"
    for delay in KILL_POINTS:
        git(writers_repo, "checkout", "-q", "--", ".")
        earlier = _read(journal)  # a killed run's journal stays until the next run cleans up
        process = gocodemod(writers_repo, "--write", "-q", "--no-cache", "-j", "1", "-r", str(since_recipe), ".")
        while process.poll() is None and _read(journal) in (b"", earlier):
            time.sleep(0.0005)
        if delay is None:
            while process.poll() is None and first.read_bytes() == old["p0/f0.go"]:
                pass
        else:
            time.sleep(delay)
        _kill_group(process.pid)
        process.communicate()
        for name, data in go_files(writers_repo).items():
            assert data in (old[name], new[name]), name
        status = git(writers_repo, "status", "--porcelain", "--untracked-files=all").splitlines()
        assert all(line.startswith(" M ") and line.endswith(".go") for line in status), status
        left = stage_files(writers_repo)
        if left:  # what a later run removes: each one is in the journal
            listed = journal.read_bytes().split(b"\0")
            assert all(os.fsencode(path) in listed for path in left), left
    process = gocodemod(writers_repo, "--write", "-q", "--no-cache", "--allow-dirty", "-r", str(since_recipe), ".")
    assert process.wait(timeout=300) == 0, process.communicate()[1]
    assert go_files(writers_repo) == new
    assert stage_files(writers_repo) == []
    assert not journal.exists()
