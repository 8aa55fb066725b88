"""Recipe YAML: validation, every error with file:line:column, pickling, bundles."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from codemod.errors import RecipeError
from codemod.recipes.load import load_recipe_text, load_recipes

GOOD = """\
id: rename-fun
description: rename
rule: {pattern: "fun($X)"}
fix: "Fun($X)"
"""


def errors_of(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "r.yaml"
    path.write_text(text)
    with pytest.raises(RecipeError) as raised:
        load_recipes([str(path)], include_builtin=False)
    return [str(problem) for problem in raised.value.problems]


def test_all_errors_are_collected_with_positions(tmp_path: Path) -> None:
    text = """\
id: Bad_Id
description: x
colour: blue
rule:
  pattern: foo(
  bogus: 1
fix: bar
---
id: second
description: y
rule:
  all:
    - pattern: |
        go func() {
          $$$B
        }(
    - kind: not_a_kind
fix: "x"
"""
    problems = errors_of(text, tmp_path)
    where = [p.split(": ", 1)[0].rsplit(":", 2)[1:] for p in problems]
    assert ["1", "1"] in where  # bad id
    assert ["3", "1"] in where  # unknown key colour
    assert ["6", "3"] in where  # unknown rule key bogus
    assert ["16", "10"] in where  # pattern error inside a block scalar
    assert ["17", "7"] in where  # unknown kind
    assert all(p.startswith(str(tmp_path / "r.yaml")) for p in problems)


def test_invalid_yaml_has_a_position(tmp_path: Path) -> None:
    problems = errors_of("id: x\nrule: [unclosed\n", tmp_path)
    assert len(problems) == 1 and "invalid YAML" in problems[0] and ":3:" in problems[0] or ":2:" in problems[0]


def test_semantic_checks(tmp_path: Path) -> None:
    problems = errors_of(GOOD + 'safety: sometimes\nseverity: loud\ngo: "latest"\n', tmp_path)
    text = "\n".join(problems)
    assert "safety must be" in text and "severity must be" in text and "go must be a version" in text


def test_recipes_pickle_and_recompile() -> None:
    (recipe,) = load_recipe_text(GOOD)
    clone = pickle.loads(pickle.dumps(recipe))
    assert clone.id == recipe.id and clone.content_hash == recipe.content_hash
    assert clone.rule is not None and clone.fix is not None


def test_bundles_expand_in_order_with_overrides(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD + "---\n" + GOOD.replace("rename-fun", "second-one"))
    (tmp_path / "b.yaml").write_text(
        "bundle: my-bundle\ndescription: both\nrecipes:\n  - second-one\n  - {id: rename-fun, severity: error}\n"
    )
    recipes = load_recipes(["my-bundle"], include_builtin=False, extra_dirs=[str(tmp_path)])
    assert [r.id for r in recipes] == ["second-one", "rename-fun"]
    assert recipes[1].severity == "error"


def test_bundle_with_unknown_recipe_names_the_entry(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text("bundle: broken\ndescription: x\nrecipes:\n  - nope-nope\n")
    with pytest.raises(RecipeError) as raised:
        load_recipes(["broken"], include_builtin=False, extra_dirs=[str(tmp_path)])
    assert str(raised.value).startswith(f"{tmp_path / 'b.yaml'}:4:5: bundle 'broken' names unknown recipe")


def test_unknown_selector() -> None:
    with pytest.raises(RecipeError) as raised:
        load_recipes(["no-such-recipe"], include_builtin=False)
    assert "unknown recipe or bundle 'no-such-recipe'" in str(raised.value)


def test_template_using_an_unbound_metavariable_is_a_load_error(tmp_path: Path) -> None:
    problems = errors_of(GOOD.replace('fix: "Fun($X)"', 'fix: "Fun($Y)"'), tmp_path)
    assert problems == [f"{tmp_path / 'r.yaml'}:4:1: $Y is not bound by any pattern or fresh name"]
