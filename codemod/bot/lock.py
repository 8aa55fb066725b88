"""One bot run per workspace at a time.

Two bot runs sharing a workspace would fetch into, build in and push from the
same repository mirrors, and each would decide from what it saw before the
other wrote. :func:`workspace_lock` holds an ``fcntl`` lock on
``<workspace>/.lock`` for the whole run: a second run says it is waiting (and
for whom: the holder writes its process id into the file), waits a bounded
time, then refuses with a one-line error. The kernel drops the lock when the
holder exits, even after ``kill -9``, so a stale lock file never blocks.
All waiting goes through a :class:`~codemod.bot.forge.client.Clock`.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from codemod.bot.forge.client import Clock, SystemClock
from codemod.errors import EXIT_FAILED, GocodemodError

LOCK_NAME = ".lock"
DEFAULT_WAIT = 600.0
POLL = 0.5


class WorkspaceBusyError(GocodemodError):
    """Another bot run kept the workspace locked for longer than this run may wait."""

    exit_code = EXIT_FAILED


def _try_lock(handle: IO[str]) -> bool:
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(path: Path) -> str:
    try:
        text = path.read_text().strip()
    except OSError:
        text = ""
    return text or "a process that did not say its id"


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
    workspace.mkdir(parents=True, exist_ok=True)
    path = workspace / LOCK_NAME
    with open(path, "a+") as handle:
        if not _try_lock(handle):
            holder = _holder(path)
            echo(f"waiting for another bot run using the workspace {workspace} ({holder}), up to {wait:.0f}s")
            deadline = clock.time() + wait
            while not _try_lock(handle):
                if clock.time() >= deadline:
                    raise WorkspaceBusyError(
                        f"{workspace}: another bot run ({holder}) still uses this workspace after {wait:.0f}s; "
                        "run again when it is done, or give this run its own --workspace"
                    )
                clock.sleep(POLL)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}\n")
            handle.flush()
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
