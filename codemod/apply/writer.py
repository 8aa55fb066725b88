"""Writing changed files back: serialised, atomic, mode-preserving, never over unsaved work.

Writers of one repository take turns (:mod:`codemod.apply.lock`). Holding
the lock, a run first removes stage files an interrupted run left, then
checks every target: a file with uncommitted changes in git (modified,
staged or untracked) is refused unless ``allow_dirty``, and a file whose
bytes changed on disk since the run read it is refused; if any check fails
nothing is written. Each file's new bytes are then staged next to it
(:mod:`codemod.apply.staging`: fsynced, its permission bits kept); only when
every file is staged are they renamed over the originals (with Ctrl-C held
back), so a reader never sees half a file and a failed or interrupted write
leaves every file as it was. Right before its rename each file's bytes are
compared again with what the run read: a file someone saved meanwhile is
left alone and reported (:attr:`WriteOutcome.moved`).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import git

from codemod.apply import lock
from codemod.apply.staging import Stager, write_stage_file
from codemod.errors import EXIT_FAILED, GocodemodError, UsageError
from codemod.run.files import find_repo_root

if TYPE_CHECKING:
    from codemod.run.runner import RunResult


class RefusedWrite(UsageError):
    """Files that must not be overwritten; nothing was written."""

    def __init__(self, reason: str, paths: list[str], hint: str = ""):
        self.paths = paths
        listed = ", ".join(paths[:5]) + (f" and {len(paths) - 5} more" if len(paths) > 5 else "")
        super().__init__(f"refusing to write: {reason}: {listed}" + (f" ({hint})" if hint else ""))


class WriteError(GocodemodError):
    """A changed file could not be written (a read-only directory, a full disk)."""

    exit_code = EXIT_FAILED


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Delay SIGINT and SIGTERM until the block is done (main thread, POSIX only)."""
    held = {signal.SIGINT, signal.SIGTERM}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def uncommitted_paths(root: Path, rel_paths: Iterable[str] | None = None) -> list[str]:
    """Which of ``rel_paths`` (default: every file under ``root``; paths relative
    to ``root``) differ from HEAD or are untracked."""
    repo_root = find_repo_root(root)
    wanted = None if rel_paths is None else sorted(rel_paths)
    if repo_root is None or wanted == []:
        return []
    prefix = root.resolve().relative_to(repo_root).as_posix()
    inside = "" if prefix == "." else prefix + "/"
    pathspec = [inside + p for p in wanted] if wanted is not None else [inside or "."]
    output = git.Repo(repo_root).git.status(
        "--porcelain=v1", "-z", "--untracked-files=all", "--ignored=no", "--", *pathspec
    )
    dirty: set[str] = set()
    fields = iter(output.split("\0"))
    for entry in fields:
        if len(entry) < 4:
            continue
        if entry[3:].startswith(inside):
            dirty.add(entry[3 + len(inside) :])
        if entry[0] in "RC":
            next(fields, None)  # the rename's source path follows
    return sorted(dirty if wanted is None else dirty & set(wanted))


@dataclass(frozen=True)
class WriteOutcome:
    """What :func:`write_run` did: the files written, and those left alone because
    they changed on disk while the run was staging (someone saved them)."""

    written: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)

    def moved_message(self) -> str:
        listed = ", ".join(self.moved[:5]) + (f" and {len(self.moved) - 5} more" if len(self.moved) > 5 else "")
        return f"left alone, changed on disk while writing: {listed} (run again)"


def write_run(
    run: RunResult,
    *,
    allow_dirty: bool = False,
    on_wait: Callable[[str], None] | None = None,
    lock_wait: float | None = None,
) -> WriteOutcome:
    """Write every changed file of ``run`` under the repository's write lock.

    ``on_wait`` hears once that another run holds the lock (waited for at
    most ``lock_wait`` seconds, default :data:`codemod.apply.lock.WAIT_SECONDS`).
    """
    if run.revision is not None:
        raise UsageError("results computed from a git revision cannot be written to the working tree")
    targets = run.changed
    if not targets:
        return WriteOutcome()
    state, git_dir = lock.repo_state(run.root)
    with lock.write_lock(state, on_wait=on_wait, wait=lock_wait):
        stager = Stager(state, git_dir)
        stager.clean_stale()
        if not allow_dirty:
            dirty = uncommitted_paths(run.root, (result.path for result in targets))
            if dirty:
                raise RefusedWrite("uncommitted changes in", dirty, "commit or stash them, or pass --allow-dirty")
        moved = [r.path for r in targets if _read(run.root / r.path) != run.originals.get(r.path)]
        if moved:
            raise RefusedWrite("changed on disk during the run", moved, "run again")
        try:
            return _stage_and_rename(run, stager)
        finally:
            stager.finish()


def _stage_and_rename(run: RunResult, stager: Stager) -> WriteOutcome:
    """Stage every file, then rename each over its original unless its bytes changed since the run read them."""
    targets = run.changed
    try:
        planned = stager.plan(run.root / result.path for result in targets)
    except OSError as error:
        raise WriteError(
            f"{stager.journal}: cannot record the stage files: {error.strerror or error}; nothing was written"
        ) from None
    staged: dict[str, Path] = {}
    try:
        for result in targets:
            target = run.root / result.path
            try:
                with _interrupts_held():  # so Ctrl-C never lands between staging and bookkeeping
                    write_stage_file(target, planned[target], result.new_source or b"")
                    staged[result.path] = planned[target]
            except OSError as error:
                raise WriteError(
                    f"{result.path}: cannot write: {error.strerror or error}; nothing was written"
                ) from None
        outcome = WriteOutcome()
        with _interrupts_held():
            for rel_path, temporary in staged.items():
                target = run.root / rel_path
                if _read(target) != run.originals.get(rel_path):  # saved by someone while we staged
                    outcome.moved.append(rel_path)
                    continue
                try:
                    os.replace(temporary, target)
                except OSError as error:
                    done = outcome.written
                    written = f"; written before it: {', '.join(done)}" if done else "; nothing was written"
                    raise WriteError(f"{rel_path}: cannot write: {error.strerror or error}{written}") from None
                outcome.written.append(rel_path)
        return outcome
    finally:
        for temporary in staged.values():
            temporary.unlink(missing_ok=True)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
