"""The Go toolchain ``--verify`` runs: found where gofmt is (:func:`codemod.golang.gofmt.find_go`).

Commands run with the user's environment as it is (go.mod, go.work, vendor
mode, GOFLAGS, GOPROXY, the module cache): nothing is downloaded unless that
environment allows it. Without a toolchain ``--verify`` is a usage error that
says how to get one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from dataclasses import dataclass
from functools import cache

from codemod.errors import UsageError
from codemod.golang.gofmt import find_go

MISSING_GO = "--verify needs the Go toolchain: put go on PATH (https://go.dev/dl/) or run: pip install 'gocodemod[go]'"
# What the toolchain's answer depends on besides the files (part of every verification cache key).
ENV_KEYS = ("GOFLAGS", "GOOS", "GOARCH", "GOAMD64", "GOARM", "CGO_ENABLED", "GOEXPERIMENT", "GOWORK", "GOTOOLCHAIN")


@dataclass(frozen=True)
class GoTool:
    """The ``go`` binary and its version (``go env GOVERSION``)."""

    binary: str
    version: str

    def run(
        self, args: list[str], cwd: str, env: dict[str, str] | None = None, timeout: float = 3600
    ) -> subprocess.CompletedProcess[str]:
        """``go ARGS`` in ``cwd`` with the user's environment plus ``env``; never raises for a failing command.

        ``go`` runs in a process group of its own (with the compilers and test binaries it starts), which
        :func:`stop_running` ends: a Ctrl-C stops the checks at once rather than waiting for them."""
        if _stopping.is_set():
            return subprocess.CompletedProcess(args, 1, "", f"go {args[0]}: stopped")
        try:
            process = subprocess.Popen(
                [self.binary, *args],
                cwd=cwd,
                env={**os.environ, **(env or {})},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                errors="replace",
                start_new_session=True,
            )
        except OSError as error:
            return subprocess.CompletedProcess(args, 1, "", f"go {args[0]}: {error}")
        with _lock:
            _running.add(process)
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(process)
            process.communicate()
            return subprocess.CompletedProcess(args, 1, "", f"go {args[0]}: timed out after {timeout:.0f}s")
        finally:
            with _lock:
                _running.discard(process)
        return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)

    def environment(self) -> tuple[tuple[str, str], ...]:
        """The variables of :data:`ENV_KEYS` as this process has them (for cache keys)."""
        return tuple((key, os.environ.get(key, "")) for key in ENV_KEYS)


_running: set[subprocess.Popen[str]] = set()  # go commands this process started and waits for
_lock = threading.Lock()
_stopping = threading.Event()  # set by stop_running: no new go command starts until resume()


def _stop(process: subprocess.Popen[str]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)  # its own group (start_new_session): go and its children
    except OSError:
        pass


def stop_running() -> None:
    """End every ``go`` command started here that is still running, and start no new one (on Ctrl-C
    or an error, while the threads that wait for them wind down)."""
    _stopping.set()
    with _lock:
        running = list(_running)
    for process in running:
        _stop(process)


def resume() -> None:
    """Let go commands start again (a new verification)."""
    _stopping.clear()


@cache
def _version(binary: str) -> str | None:
    try:
        done = subprocess.run([binary, "env", "GOVERSION"], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


def go_tool() -> GoTool | None:
    """The toolchain, or None when there is no ``go`` or it does not answer."""
    binary = find_go()
    version = _version(binary) if binary else None
    return GoTool(binary, version) if binary and version else None


def require_go() -> GoTool:
    """The toolchain; a :class:`~codemod.errors.UsageError` (exit 2) saying how to get one otherwise."""
    tool = go_tool()
    if tool is None:
        raise UsageError(MISSING_GO)
    return tool
