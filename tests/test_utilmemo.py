"""Util answers are remembered per node and bindings, and remembering changes no answer."""

from __future__ import annotations

import pytest

from codemod.engine.core import run_package
from codemod.recipes.load import load_recipe_text, load_recipes
from codemod.rules.core import MatchContext
from codemod.rules.memokeys import util_metavars
from codemod.syntax.tree import parse


def test_a_utils_metavariables_include_those_of_the_utils_it_mentions() -> None:
    raw = {
        "lock": {"pattern": "$L.Lock()"},
        "section": {"all": [{"matches": "lock"}, {"precedes": {"pattern": "$L.Unlock()"}}]},
        "outer": {"any": [{"matches": "section"}, {"pattern": "${NAME}Once.Do($$$ARGS)"}]},
        "alone": {"kind": "go_statement"},
    }
    assert util_metavars(raw) == {"lock": ("L",), "section": ("L",), "outer": ("ARGS", "L", "NAME"), "alone": ()}


COUNTING = """
id: counting
description: a util asked twice of every call
utils:
  call-of-x:
    pattern: x.Run()
    inside: {kind: expression_statement}
rule:
  all:
    - kind: expression_statement
    - has: {matches: call-of-x}
    - has: {matches: call-of-x}
"""


def test_only_utils_with_relations_or_facts_are_remembered() -> None:
    (recipe,) = load_recipe_text(COUNTING)
    (plain,) = load_recipe_text(COUNTING.replace("    inside: {kind: expression_statement}\n", ""))
    assert recipe.utils["call-of-x"].memo_metavars == ()
    assert not hasattr(plain.utils["call-of-x"], "memo_metavars")  # a pattern alone: cheaper to ask again


def test_a_util_asked_again_of_the_same_node_and_bindings_answers_from_memory(monkeypatch) -> None:
    (recipe,) = load_recipe_text(COUNTING)
    util = recipe.utils["call-of-x"]
    asked: list[int] = []
    original = type(util).match

    def counting(self, target, ctx, env):
        if self is util:
            asked.append(target.start_byte)
        return original(self, target, ctx, env)

    monkeypatch.setattr(type(util), "match", counting)
    source = b"package p\n\nfunc f() {\n\tx.Run()\n\tx.Stop()\n\ty.Run()\n}\n"
    root = parse(source).root_node
    ctx = MatchContext(source, root, recipe.utils)
    found = [target.text for target, env in recipe.rule.search(root, ctx, {})]
    assert found == [b"x.Run()"]
    assert len(asked) == len(set(asked)) == 3  # each call once, though `has` asks twice of x.Run()


@pytest.mark.usefixtures("go_toolchain")
def test_remembered_answers_keep_every_built_in_recipe_result_the_same(monkeypatch) -> None:
    """The recipes over a real package: the same results with the memo and without it."""
    import subprocess
    from pathlib import Path

    import codemod.rules.core as rule
    import codemod.rules.relation as relation

    goroot = Path(subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip())
    package = {p.name: p.read_bytes() for p in sorted((goroot / "src" / "net" / "http" / "httptest").glob("*.go"))}
    recipes = load_recipes([])
    remembered = run_package(package, recipes, format_with_gofmt=False)
    monkeypatch.setattr(rule, "memoized_match", lambda util, target, ctx, env: util.match(target, ctx, env))
    monkeypatch.setattr(
        relation, "remembered", lambda tag, rule, names, target, ctx, env, compute: compute(target, ctx, env)
    )
    assert run_package(package, recipes, format_with_gofmt=False) == remembered
    assert any(result.changes or result.findings for result in remembered)


DEEP_HAS = """
id: deep-has
description: statements of a function that starts a goroutine somewhere
rule:
  kind: expression_statement
  inside:
    stopBy: end
    kind: function_declaration
    has: {stopBy: end, kind: go_statement, has: {pattern: $CALL}}
"""


def test_a_deep_has_searches_a_subtree_once_per_node_and_bindings(monkeypatch) -> None:
    from codemod.rules.relation import Relation
    from codemod.rules.visit import every_rule

    (recipe,) = load_recipe_text(DEEP_HAS)
    marked = [
        rule.memo_metavars
        for rule in every_rule([recipe.rule])
        if isinstance(rule, Relation) and rule.memo_metavars is not None
    ]
    assert marked == [("CALL",)]  # the deep `has` only, keyed by what it binds
    searched: list[int] = []
    original = Relation._has_deep

    def counting(self, root, ctx, env):
        searched.append(root.start_byte)
        return original(self, root, ctx, env)

    monkeypatch.setattr(Relation, "_has_deep", counting)
    body = "".join(f"\tf{i}()\n" for i in range(20))
    source = f"package p\n\nfunc f() {{\n{body}\tgo g()\n}}\n\nfunc h() {{\n\ta()\n}}\n".encode()
    root = parse(source).root_node
    found = [target.text for target, _ in recipe.rule.search(root, MatchContext(source, root, recipe.utils), {})]
    assert len(found) == 20 and b"a()" not in found
    assert sorted(searched) == sorted(set(searched))  # each function's body searched once, not once per statement
