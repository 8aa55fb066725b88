"""One bot run per workspace at a time.

Two bot runs sharing a workspace would fetch into, build in and push from the
same repository mirrors, and each would decide from what it saw before the
other wrote. :func:`workspace_lock` holds an ``fcntl`` lock on
``<workspace>/.lock`` for the whole run: a second run says it is waiting (and
for whom: the holder writes its process id into the file), waits a bounded
time, then refuses with a one-line error; a workspace that cannot be created
or opened is a one-line error too. The kernel drops the lock when the holder
exits, even after ``kill -9``, so a stale lock file never blocks; forked
worker processes close their copy of the descriptor at once, so a worker that
outlives a killed run does not keep the lock. All waiting goes through a
:class:`~codemod.bot.forge.client.Clock`.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from codemod.bot.forge.client import Clock, SystemClock
from codemod.errors import EXIT_FAILED, GocodemodError

LOCK_NAME = ".lock"
DEFAULT_WAIT = 600.0
POLL = 0.5


class WorkspaceError(GocodemodError):
    """The workspace cannot be used: not creatable or writable, or busy with another run."""

    exit_code = EXIT_FAILED


class WorkspaceBusyError(WorkspaceError):
    """Another bot run kept the workspace locked for longer than this run may wait."""


_HELD: set[int] = set()  # the lock descriptors this process holds


def _close_in_child() -> None:
    """A forked worker drops its copies, so the lock ends with the run even if workers outlive it."""
    for fd in _HELD:
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


os.register_at_fork(after_in_child=_close_in_child)


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(path: Path) -> str:
    try:
        text = path.read_text().strip()
    except OSError:
        text = ""
    return text or "a process that did not say its id"


def _open(workspace: Path) -> int:
    try:
        workspace.mkdir(parents=True, exist_ok=True)
        return os.open(workspace / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise WorkspaceError(
            f"{workspace}: cannot use it as the bot's workspace ({error.strerror or error}); "
            "choose another with --workspace"
        ) from None


@contextmanager
def workspace_lock(
    workspace: Path,
    *,
    wait: float = DEFAULT_WAIT,
    echo: Callable[[str], None] = print,
    clock: Clock | None = None,
) -> Iterator[None]:
    """Hold ``workspace``'s lock for the ``with`` block; wait at most ``wait`` seconds for it."""
    clock = clock or SystemClock()
    path = workspace / LOCK_NAME
    fd = _open(workspace)
    try:
        if not _try_lock(fd):
            holder = _holder(path)
            echo(f"waiting for another bot run using the workspace {workspace} ({holder}), up to {wait:.0f}s")
            deadline = clock.time() + wait
            while not _try_lock(fd):
                if clock.time() >= deadline:
                    raise WorkspaceBusyError(
                        f"{workspace}: another bot run ({holder}) still uses this workspace after {wait:.0f}s; "
                        "run again when it is done, or give this run its own --workspace"
                    )
                clock.sleep(POLL)
        _HELD.add(fd)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}\n".encode(), 0)
        yield
    finally:
        if fd in _HELD:
            _HELD.discard(fd)
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
