"""Writing changed files back: atomic, mode-preserving, never over unsaved work.

Before anything is written every target is checked: a file with uncommitted
changes in git (modified, staged or untracked) is refused unless
``allow_dirty``, and a file whose bytes changed on disk since the run read
it is always refused. If any check fails nothing is written. Each file is
then written to a temporary file in its own directory, keeping its
permission bits; only when every file is staged are they renamed over the
originals (with Ctrl-C held back), so a reader never sees half a file and a
failed or interrupted write leaves every file as it was.
"""

from __future__ import annotations

import os
import signal
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import git

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


def stage(path: Path, data: bytes) -> Path:
    """A temporary file next to ``path`` holding ``data`` with ``path``'s permission bits."""
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".gocodemod")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


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


def write_run(run: RunResult, *, allow_dirty: bool = False) -> list[str]:
    """Write every changed file of ``run``; returns the written paths."""
    if run.revision is not None:
        raise UsageError("results computed from a git revision cannot be written to the working tree")
    targets = run.changed
    if not allow_dirty:
        dirty = uncommitted_paths(run.root, (result.path for result in targets))
        if dirty:
            raise RefusedWrite("uncommitted changes in", dirty, "commit or stash them, or pass --allow-dirty")
    moved = [result.path for result in targets if _read(run.root / result.path) != run.originals.get(result.path)]
    if moved:
        raise RefusedWrite("changed on disk during the run", moved, "run again")
    staged: dict[str, Path] = {}
    try:
        for result in targets:
            try:
                with _interrupts_held():  # so Ctrl-C never lands between staging and bookkeeping
                    staged[result.path] = stage(run.root / result.path, result.new_source or b"")
            except OSError as error:
                raise WriteError(
                    f"{result.path}: cannot write: {error.strerror or error}; nothing was written"
                ) from None
        with _interrupts_held():
            for done, (rel_path, temporary) in enumerate(staged.items()):
                try:
                    os.replace(temporary, run.root / rel_path)
                except OSError as error:
                    written = (
                        f"; written before it: {', '.join(list(staged)[:done])}" if done else "; nothing was written"
                    )
                    raise WriteError(f"{rel_path}: cannot write: {error.strerror or error}{written}") from None
    finally:
        for temporary in staged.values():
            temporary.unlink(missing_ok=True)
    return [result.path for result in targets]


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
