"""gofmt's own rewrite conformance cases, each expressed as a gocodemod recipe.

Every ``$(go env GOROOT)/src/cmd/gofmt/testdata/rewrite*.input`` starts with
``//gofmt -r=pattern->replacement``; single lowercase letters are wildcards.
We turn that rule into a recipe (letters become metavariables), apply it, and
compare with the case's ``.golden`` after gofmt'ing both.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from gotoolchain import NEEDS_GO, GoToolchain, find_go, require_go

from codemod.api import apply
from codemod.recipes.load import load_recipe_text


def _cases(toolchain: GoToolchain) -> list[Path]:
    return sorted((toolchain.src / "cmd" / "gofmt" / "testdata").glob("rewrite*.input"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One test per rewrite case, listed when collected (not at import); one skipped without Go."""
    if "case" in metafunc.fixturenames:
        toolchain = find_go()
        if toolchain is None:
            metafunc.parametrize("case", [pytest.param(None, id="no-go", marks=pytest.mark.skip(reason=NEEDS_GO))])
        else:
            metafunc.parametrize("case", _cases(toolchain), ids=lambda p: p.stem)


def rule_of(path: Path) -> tuple[str, str]:
    first = path.read_text().splitlines()[0]
    found = re.match(r"//gofmt -r=(.*)->(.*)$", first)
    assert found, f"{path}: no rewrite rule on the first line"
    return found.group(1).strip(), found.group(2).strip()


def as_metavars(expression: str) -> str:
    return re.sub(r"(?<![\w.$])([a-z])(?!\w)", r"$\1", expression)


def recipe_yaml(pattern: str, replacement: str) -> str:
    return (
        "id: gofmt-rewrite\n"
        "description: gofmt -r conformance\n"
        f"rule:\n  pattern: {as_metavars(pattern)!r}\n"
        f"fix: {as_metavars(replacement)!r}\n"
    ).replace("'", "'")


def run_gofmt(source: bytes) -> bytes:
    return subprocess.run([require_go().gofmt], input=source, capture_output=True, check=True).stdout


def test_gofmt_rewrite_case(case: Path) -> None:
    pattern, replacement = rule_of(case)
    recipes = load_recipe_text(recipe_yaml(pattern, replacement))
    result = apply(case.read_bytes(), recipes, path=str(case))
    assert result.status.value in ("changed", "unchanged"), result.reason
    output = result.new_source if result.changed else case.read_bytes()
    golden = case.with_suffix(".golden").read_bytes()
    assert run_gofmt(output) == run_gofmt(golden)


def test_conformance_cases_exist(go_toolchain: GoToolchain) -> None:
    assert len(_cases(go_toolchain)) >= 10
