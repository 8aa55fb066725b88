"""A package's memory is given back when the engine is done with it, cycles included."""

from __future__ import annotations

import gc

import pytest

from codemod.engine.core import run_file, run_package
from codemod.recipes.builtin import GOLDEN_DIR
from codemod.recipes.load import load_recipes
from codemod.syntax.tree import parse_count


def run_each_file(files: dict[str, bytes], recipes: list) -> list:
    """The editor's way: one file at a time, the others given as its package."""
    return [run_file(path, data, recipes, package_sources=files, go_version="1.25") for path, data in files.items()]


@pytest.mark.parametrize("case", ["lock-taken-twice", "mutex-to-rwmutex", "once-lazy-init", "abandoned-send"])
@pytest.mark.parametrize("entry", ["package", "file"])
def test_nothing_of_a_package_waits_for_the_cycle_collector(case: str, entry: str) -> None:
    """Match contexts sit in the memos of the package view their closures reach back to: cycles
    holding every tree of the package. The engine collects them when the package is done, so
    none is left for a later collection (and the pages given back include the trees')."""
    files = {path.name: path.read_bytes() for path in sorted((GOLDEN_DIR / case).glob("*.input.go"))}
    recipes = load_recipes()  # every built-in recipe
    parsed = parse_count()
    enabled = gc.isenabled()
    gc.collect()  # what the test harness left behind is not the engine's
    gc.disable()  # and an automatic collection must not do the engine's work for it
    try:
        if entry == "package":
            results = run_package(files, recipes, go_version="1.25")
        else:
            results = run_each_file(files, recipes)
        left = gc.collect()
    finally:
        if enabled:
            gc.enable()
    assert parse_count() > parsed and any(result.changes or result.findings for result in results)
    assert left == 0
