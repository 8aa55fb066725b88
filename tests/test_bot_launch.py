"""The bot's per-repository worker processes die with the bot, as the run's workers do."""

from __future__ import annotations

import os
import signal
import time

import pytest

from codemod.bot.launch import make_executor
from codemod.run.lifeline import stopping_workers


def _bound_to_parent() -> tuple[bool, int]:
    return signal.getsignal(signal.SIGINT) == signal.SIG_IGN, os.getppid()


def test_process_workers_are_bound_to_the_bot() -> None:
    pool = make_executor("process", 2)
    try:
        ignores_ctrl_c, parent = pool.submit(_bound_to_parent).result(timeout=60)
    finally:
        pool.shutdown()
    assert ignores_ctrl_c  # the parent stops its workers; they do not die of their own Ctrl-C
    assert parent == os.getpid()


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads process states from /proc")
def test_an_error_in_the_bot_kills_its_workers_instead_of_waiting() -> None:
    pool = make_executor("process", 1)
    pool.submit(time.sleep, 0).result(timeout=60)  # the worker is up
    workers = list(pool._processes.values())  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError), stopping_workers(pool):
        pool.submit(time.sleep, 300)
        raise RuntimeError("the bot failed")
    assert workers
    for process in workers:  # the pool's own thread may reap it first, so ask the system, not the handle
        assert _gone(process.pid), process.pid


def _gone(pid: int) -> bool:
    """Whether process ``pid`` no longer runs (exited, or a zombie nobody waited for yet), within 10 s."""
    for _ in range(100):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.1)
    return False
