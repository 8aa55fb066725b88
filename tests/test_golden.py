"""The golden harness: every built-in recipe's golden cases and inline examples.

Each case must give the exact expected output, be idempotent, parse, and be
gofmt-clean (see codemod/run/recipetests.py). Every recipe must have at least three
changing and three non-changing cases.
"""

from __future__ import annotations

import pytest

from codemod.recipes.load import load_recipes
from codemod.run.recipetests import GOLDEN_DIR, check_output, golden_cases

RECIPES = load_recipes([])
CASES = [(recipe, case) for recipe in RECIPES for case in golden_cases(recipe.id)]
EXAMPLES = [(recipe, index, example) for recipe in RECIPES for index, example in enumerate(recipe.examples, 1)]


@pytest.mark.parametrize("recipe,case", CASES, ids=[f"{r.id}/{c.name}" for r, c in CASES])
def test_golden_case(recipe, case) -> None:
    outcome = check_output(
        recipe,
        case.name,
        case.input_path.read_bytes(),
        case.expected,
        path=str(case.input_path),
        go_version=case.go_version,
        package=case.package,
        findings=case.findings,
    )
    assert outcome.ok, outcome.message


@pytest.mark.parametrize("recipe,index,example", EXAMPLES, ids=[f"{r.id}/example-{i}" for r, i, _ in EXAMPLES])
def test_inline_example(recipe, index, example) -> None:
    before = example.before.encode()
    after = (example.after if example.after is not None else example.before).encode()
    outcome = check_output(recipe, f"example-{index}", before, after)
    assert outcome.ok, outcome.message


@pytest.mark.parametrize("recipe", RECIPES, ids=[r.id for r in RECIPES])
def test_recipe_has_enough_golden_cases(recipe) -> None:
    cases = golden_cases(recipe.id)
    changing = [c for c in cases if c.expected != c.input_path.read_bytes()]
    unchanged = [c for c in cases if c.expected == c.input_path.read_bytes()]
    assert len(changing) >= 3 or recipe.fix is None, (
        f"{recipe.id}: needs at least 3 changing golden cases in {GOLDEN_DIR / recipe.id}"
    )
    assert len(unchanged) >= 3, f"{recipe.id}: needs at least 3 golden cases that must not change"
