"""A rich :class:`~rich.console.Console` that is only built (and rich only imported) when used.

``gocodemod run`` writes most of its output as exact text: a patch or a JSON
document on a pipe needs no styling, so importing rich (tens of milliseconds)
would be wasted on a warm run. :class:`LazyConsole` answers the two questions
the plain path asks, ``is_terminal`` and ``file``, the way rich would, and
builds the real console on the first call that needs styling (``print``,
``rule``, a progress bar, ...).
"""

from __future__ import annotations

import os
import sys
from typing import IO, Any

# Environment variables with which rich may call a stream a terminal although it is not a tty.
_TERMINAL_OVERRIDES = ("TTY_COMPATIBLE", "FORCE_COLOR")


class LazyConsole:
    """Stands in for ``rich.console.Console()`` (``stderr=True`` for the error stream)."""

    def __init__(self, stderr: bool = False):
        self.stderr = stderr
        self._console: Any = None

    @property
    def file(self) -> IO[str]:
        """The stream written to, looked up at each use as rich does (tests swap ``sys.stdout``)."""
        stream = sys.stderr if self.stderr else sys.stdout
        if self._console is not None or stream is None:
            return self.real.file
        return getattr(stream, "rich_proxied_file", stream)

    @property
    def is_terminal(self) -> bool:
        """rich's answer; without rich when the stream is plainly not a tty and nothing forces one."""
        if self._console is None and not any(name in os.environ for name in _TERMINAL_OVERRIDES):
            isatty = getattr(self.file, "isatty", None)
            try:
                if isatty is None or not isatty():
                    return False
            except ValueError:  # a closed stream
                return False
        return self.real.is_terminal

    @property
    def built(self) -> bool:
        """Whether the rich console exists (anything printed through it so far)."""
        return self._console is not None

    @property
    def real(self) -> Any:
        """The rich console, built on first use."""
        if self._console is None:
            from rich.console import Console  # here, not above: the point of this class (tens of milliseconds)

            self._console = Console(stderr=self.stderr)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)
