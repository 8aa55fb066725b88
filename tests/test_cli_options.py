"""``gocodemod run`` and ``gocodemod bot`` agree on the options they share (one definition each)."""

from __future__ import annotations

import click

from codemod.cli.bot import bot_command
from codemod.cli.run import run_command
from codemod.run.executors import EXECUTORS


def options(command: click.Command) -> dict[str, click.Option]:
    return {param.name: param for param in command.params if isinstance(param, click.Option) and param.name}


def test_shared_options_have_the_same_spelling_and_metavariable() -> None:
    run, bot = options(run_command), options(bot_command)
    shared = set(run) & set(bot)
    assert {"selectors", "executor", "branch_prefix", "author"} <= shared
    for name in shared:
        assert run[name].opts == bot[name].opts, name
        assert run[name].metavar == bot[name].metavar, name
        assert run[name].multiple == bot[name].multiple, name


def test_executor_words_mean_the_same_in_both() -> None:
    run_choices = options(run_command)["executor"].type
    bot_choices = options(bot_command)["executor"].type
    assert isinstance(run_choices, click.Choice) and isinstance(bot_choices, click.Choice)
    assert list(run_choices.choices) == list(EXECUTORS) == ["local", "dask"]
    assert list(bot_choices.choices)[: len(EXECUTORS)] == list(EXECUTORS)
    assert options(bot_command)["executor"].default == "local"
