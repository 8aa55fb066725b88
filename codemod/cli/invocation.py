"""How a ``gocodemod`` command was invoked, and how it ends.

An :class:`Invocation` travels in click's context (``obj``): the program's
entry point (:func:`codemod.cli.main.entry`) says ``as_process``, for it runs
one command and the process ends with it; a caller that runs a command in its
own process (click's ``CliRunner`` in tests, ``main([...])``) gets none, and
the command ends as click commands do, with ``SystemExit``.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import NoReturn

import click

from codemod.errors import GocodemodError


@dataclass(frozen=True)
class Invocation:
    """``as_process``: the program's own process, which ends when the command does."""

    as_process: bool = False


def as_process(ctx: click.Context) -> bool:
    """Whether the command of ``ctx`` runs as the program's own process."""
    invocation = ctx.find_object(Invocation)
    return invocation is not None and invocation.as_process


def fail(error: GocodemodError) -> NoReturn:
    """A user mistake: one line per problem, never a traceback, and the error's exit code."""
    for line in str(error).splitlines() or ["error"]:
        click.echo(f"gocodemod: {line}", err=True)
    sys.exit(error.exit_code)


def exit_now(code: int) -> NoReturn:
    """End a run that only printed: flush and exit without the interpreter's teardown.

    Freeing a run's objects one by one and the modules' teardown take tens of
    milliseconds, a tenth of a run the cache answers. Nothing is left to do:
    output is flushed here, the result cache is closed and the worker
    processes are gone by now.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # a reader that went away, or a stream closed already
            pass
    if "logging" in sys.modules:
        sys.modules["logging"].shutdown()
    os._exit(code)
