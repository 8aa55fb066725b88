"""Options ``gocodemod run`` and ``gocodemod bot`` share: one definition each, so their names,
metavariables and choices agree (``-r``, ``--executor``, ``--branch-prefix``, ``--author``).

``--executor`` names where the work runs with one vocabulary
(:data:`codemod.run.executors.EXECUTORS`: ``local`` processes on this
machine, or ``dask``); the bot adds ``thread`` and ``inline`` for its
per-repository work (:data:`codemod.bot.launch.EXECUTORS`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import click

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def recipe_option(help_text: str) -> Decorator:
    return click.option("-r", "--recipe", "selectors", multiple=True, metavar="ID|FILE|DIR", help=help_text)


def executor_option(choices: Sequence[str], default: str | None, help_text: str) -> Decorator:
    return click.option(
        "--executor",
        type=click.Choice(list(choices)),
        default=default,
        show_default=default is not None,
        help=help_text,
    )


def branch_prefix_option(help_text: str) -> Decorator:
    return click.option("--branch-prefix", default="gocodemod/", show_default=True, help=help_text)


def author_option(help_text: str) -> Decorator:
    return click.option("--author", default=None, metavar="'NAME <EMAIL>'", help=help_text)
