"""One writer per repository: the lock that serialises ``gocodemod`` runs writing files.

Two ``--write`` runs started together would otherwise each read the files,
and the later writer would put its version over the earlier one's. The lock
is a file in the tool's state directory (:func:`state_dir`: inside the git
directory, so it is never committed), taken with ``fcntl.flock``, which the
operating system releases when its holder exits, even by ``kill -9``: a
stale lock cannot exist. The lock file itself is never removed (removing a
flock file while another process waits on it would let two holders in).

A run that finds the lock taken says so once ("waiting for another gocodemod
run to finish writing (pid N)"), waits a bounded time, and then refuses with
a clear error; nothing is written in that case.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import stat
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from codemod.errors import GocodemodError, UsageError
from codemod.run.files import find_repo_root

WAIT_SECONDS = 120.0  # how long a writer waits for another one before refusing
_POLL_SECONDS = 0.05
LOCK_NAME = "write.lock"


class LockTimeout(GocodemodError):
    """Another run held the write lock for longer than the bounded wait; nothing was written."""


def state_dir(root: Path) -> Path:
    """Where the lock and the stage journal of the repository holding ``root`` live (created)."""
    return repo_state(root)[0]


def repo_state(root: Path) -> tuple[Path, Path | None]:
    """The state directory of the repository holding ``root`` (created), and its common git directory.

    In a git repository: ``<git common dir>/gocodemod`` (shared by all linked
    work trees, never committed). Outside git (no git directory): a per-user
    directory under the system temporary directory, one per resolved ``root``.
    """
    repo_root = find_repo_root(root)
    common = git_common_dir(repo_root) if repo_root is not None else None
    if common is not None:
        directory = common / "gocodemod"
    else:
        key = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:24]
        directory = Path(tempfile.gettempdir()) / f"gocodemod-{os.getuid()}" / key
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        owner = directory.parent.lstat() if common is None else None
    except OSError as error:
        raise UsageError(f"{directory}: cannot create the write-lock directory: {error.strerror or error}") from None
    if owner is not None and (owner.st_uid != os.getuid() or not stat.S_ISDIR(owner.st_mode) or owner.st_mode & 0o022):
        raise UsageError(f"{directory.parent}: not a private directory of this user; remove it and run again")
    return directory, common


def git_common_dir(repo_root: Path) -> Path | None:
    """The repository's common git directory (the main ``.git`` also for linked work trees)."""
    try:
        done = subprocess.run(["git", "rev-parse", "--git-common-dir"], cwd=repo_root, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    text = os.fsdecode(done.stdout.rstrip(b"\n"))
    return (repo_root / text).resolve() if text else None


@contextmanager
def write_lock(
    directory: Path, *, on_wait: Callable[[str], None] | None = None, wait: float | None = None
) -> Iterator[None]:
    """Hold the write lock in ``directory`` for the block; wait (bounded) while another run holds it."""
    limit = WAIT_SECONDS if wait is None else wait
    path = directory / LOCK_NAME
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise UsageError(f"{path}: cannot open the write lock: {error.strerror or error}") from None
    try:
        if not _try_lock(descriptor):
            holder = _holder(descriptor)
            if on_wait is not None:
                on_wait(f"waiting for another gocodemod run to finish writing (pid {holder})")
            deadline = time.monotonic() + limit
            while not _try_lock(descriptor):
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"another gocodemod run (pid {_holder(descriptor) or holder}) has been writing to this "
                        f"repository for over {limit:g} s; nothing was written (run again when it has finished)"
                    )
                time.sleep(_POLL_SECONDS)
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


def _try_lock(descriptor: int) -> bool:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(descriptor: int) -> str:
    """The pid the holder wrote into the lock file ("unknown" while it has not yet)."""
    text = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
    return text if text.isdigit() else "unknown"
