"""Worker processes die with the process that started them.

A worker inherits the run's standard output. Left running after its parent
is gone (SIGTERM or SIGKILL to ``gocodemod``), it holds that pipe open for
good, and a reader such as ``gocodemod run | less`` waits forever. Two
sides make sure it cannot outlive the run:

* in the worker, :func:`bind_to_parent` (called first by the pool's
  initializer): on Linux the kernel sends it SIGKILL when the parent dies
  (``prctl(PR_SET_PDEATHSIG)``); elsewhere a daemon thread polls the parent
  id and exits when it changes. Ctrl-C reaches the whole process group, so
  a worker ignores SIGINT and lets the parent stop it.
* in the parent, :func:`stopping_workers` around the pool's use: on SIGTERM
  it kills the workers before it dies as it would have; on any early exit
  (Ctrl-C, an error, a consumer that stops reading) it kills them rather
  than waiting for the packages they hold.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from types import FrameType
from typing import Any

_PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.5  # the portable fallback's period


def bind_to_parent(parent: int) -> None:
    """In a worker: die when process ``parent`` does; ignore Ctrl-C (the parent stops the workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not _death_signal():
        threading.Thread(target=_watch_parent, args=(parent,), name="gocodemod-lifeline", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the binding: nobody waits for this worker
        os._exit(1)


def _death_signal() -> bool:
    """Ask Linux for SIGKILL when the parent dies; whether that was possible."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # here, in a worker: a run that starts none does not load it
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(1)


@contextlib.contextmanager
def stopping_workers(pool: Any) -> Iterator[None]:
    """Use ``pool`` (a ``ProcessPoolExecutor``) so that no worker outlives this process.

    Leaving the block normally shuts the pool down and waits for it; leaving
    it any other way, or SIGTERM meanwhile, kills the workers first.
    """
    installed, previous = _on_sigterm(pool)
    try:
        yield
    except BaseException:
        kill_workers(pool)
        raise
    finally:
        if installed:
            signal.signal(signal.SIGTERM, previous)
    pool.shutdown(wait=True)


def _on_sigterm(pool: Any) -> tuple[bool, Any]:
    """Install the SIGTERM handler that kills ``pool``'s workers: whether it could, and the handler it replaces."""
    if threading.current_thread() is not threading.main_thread():
        return False, None  # only the main thread may set handlers: the workers' own binding still holds
    previous = signal.getsignal(signal.SIGTERM)
    if previous is None:  # a handler not set from Python: the default is the nearest we can restore
        previous = signal.SIG_DFL

    def terminated(signum: int, frame: FrameType | None) -> None:
        kill_workers(pool)
        signal.signal(signal.SIGTERM, previous)
        if callable(previous):
            previous(signum, frame)
        else:
            os.kill(os.getpid(), signum)  # die of the signal, as without this handler

    signal.signal(signal.SIGTERM, terminated)
    return True, previous


def kill_workers(pool: Any) -> None:
    """Kill ``pool``'s worker processes now and drop the work it still holds."""
    processes = dict(getattr(pool, "_processes", None) or {})  # the executor's own table of workers
    for process in processes.values():
        with contextlib.suppress(OSError, ValueError):
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes.values():
        with contextlib.suppress(OSError, ValueError, AssertionError):
            process.join(5)
