"""Per-package memory hygiene: drop per-package caches, give freed memory back.

Modules that keep caches useful only within one package (indexes of trees,
facts about a package's files) register a callback with :func:`on_release`;
the engine calls :func:`release` when a package is done. Syntax trees are
allocated by tree-sitter's C code; once freed, glibc keeps their pages, so a
worker's RSS would stay at its largest package for the rest of the run:
``release`` also asks glibc to return them (``malloc_trim``; elsewhere it
does nothing).
"""

from __future__ import annotations

import ctypes
import functools
from collections.abc import Callable

_releasers: list[Callable[[], None]] = []


def on_release(callback: Callable[[], None]) -> Callable[[], None]:
    """Call ``callback`` whenever a package is done."""
    _releasers.append(callback)
    return callback


def release() -> None:
    for callback in _releasers:
        callback()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim`` from the C library already loaded (no ``find_library``: it runs ldconfig)."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):  # not glibc, or no dynamic loading
        return None
