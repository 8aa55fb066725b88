"""Small helpers shared by the engine's unit tests."""

from __future__ import annotations

import textwrap

from codemod.api import apply
from codemod.model import FileResult
from codemod.recipes.load import load_recipe_text


def recipe(yaml_text: str):
    return load_recipe_text(textwrap.dedent(yaml_text))


def go(text: str) -> str:
    """Dedent a Go snippet written with 4-space indentation in a test, using tabs."""
    lines = textwrap.dedent(text).lstrip("\n").split("\n")
    out = []
    for line in lines:
        stripped = line.lstrip(" ")
        out.append("\t" * ((len(line) - len(stripped)) // 4) + stripped)
    return "\n".join(out)


def run(yaml_text: str, source: str, **kwargs) -> FileResult:
    return apply(go(source).encode(), recipe(yaml_text), **kwargs)


def output(yaml_text: str, source: str, **kwargs) -> str:
    result = run(yaml_text, source, **kwargs)
    assert result.status.value in ("changed", "unchanged"), result.reason
    return (result.new_source or go(source).encode()).decode()
