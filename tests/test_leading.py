"""Leading words: what a rule says is written right before and at the start of its matches."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

from codemod.pattern.matcher import nodes_of_kinds
from codemod.prefilter.leading import CHILD_AFTER_LEADING_WORDS, STARTS_WITH, leading_words
from codemod.prefilter.requirements import Prefilter
from codemod.recipes.load import load_recipe_text, load_recipes
from codemod.rules.compile import compile_rule
from codemod.syntax.tree import COMMENT_KIND, parse

DEFERRED_GO = """
id: deferred-go
description: a go statement in a deferred function literal
utils:
  deferred-literal:
    kind: func_literal
    inside: {kind: call_expression, field: function, inside: {kind: defer_statement}}
rule:
  pattern: go $CALL
  inside: {stopBy: {kind: func_literal}, matches: deferred-literal}
"""


def _goroot_src() -> Path:
    root = subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip()
    return Path(root) / "src"


def test_an_inside_chain_gives_the_words_before_the_node() -> None:
    (recipe,) = load_recipe_text(DEFERRED_GO)
    assert leading_words(recipe.utils["deferred-literal"], recipe.utils) == (b"defer", b"func")
    assert leading_words(compile_rule({"kind": "go_statement"}), {}) == (b"go",)
    # not the direct parent, or not the child right after the keyword: nothing before
    far = compile_rule({"kind": "func_literal", "inside": {"kind": "defer_statement", "stopBy": "end"}})
    assert leading_words(far, {}) == (b"func",)
    argument = compile_rule({"kind": "func_literal", "inside": {"kind": "call_expression", "field": "arguments"}})
    assert leading_words(argument, {}) == (b"func",)
    mixed = compile_rule({"any": [{"kind": "func_literal"}, {"kind": "go_statement"}]})
    assert leading_words(mixed, {}) == ()


def test_the_prefilter_asks_for_the_words_in_sequence() -> None:
    (recipe,) = load_recipe_text(DEFERRED_GO)
    prefilter = Prefilter.from_recipes([recipe])

    def admits(body: str) -> bool:
        return bool(prefilter.may_match(textwrap.dedent("package p\n\nfunc f() {\n" + body + "\n}\n").encode()))

    assert admits("\tdefer func() {\n\t\tgo g()\n\t}()")
    assert admits("\tdefer /* why */ func() {\n\t\tgo g()\n\t}()")  # comments may sit between
    assert admits("\tdefer\n\tfunc() {\n\t\tgo g()\n\t}()")
    assert not admits("\tdefer g()\n\tx := func() {}\n\tgo x()")  # both words, never in sequence
    assert not admits("\t// defer func\n\tgo g()")  # in a comment, not at a statement's start


@pytest.mark.usefixtures("go_toolchain")
def test_every_kind_starts_with_its_word_and_every_such_child_follows_its_parents_words() -> None:
    """The two grammar tables, checked against the trees of real files."""
    files = sorted((_goroot_src() / "sync").glob("*.go")) + sorted((_goroot_src() / "net" / "http").glob("s*.go"))
    starts: set[str] = set()
    children: set[tuple] = set()
    for path in files:
        root = parse(path.read_bytes()).root_node
        for node in nodes_of_kinds(root, frozenset(STARTS_WITH)):
            assert (node.text or b"").startswith(STARTS_WITH[node.type]), (path.name, node.type)
            starts.add(node.type)
        parents = frozenset(kind for kind, _ in CHILD_AFTER_LEADING_WORDS)
        for parent in nodes_of_kinds(root, parents):
            lead = STARTS_WITH.get(parent.type, b"")
            for field in {name for kind, name in CHILD_AFTER_LEADING_WORDS if kind == parent.type}:
                kids = (
                    [parent.child_by_field_name(field)]
                    if field
                    else [c for c in parent.named_children if c.type != COMMENT_KIND]
                )
                for kid in kids:
                    between = (parent.text or b"")[len(lead) : kid.start_byte - parent.start_byte]
                    assert between.strip() == b"", (path.name, parent.type, between)
                    children.add((parent.type, field))
    assert len(starts) >= 12 and len(children) == len(CHILD_AFTER_LEADING_WORDS)


def test_the_built_in_deferred_go_recipe_asks_for_defer_func() -> None:
    recipe = next(r for r in load_recipes([]) if r.id == "defer-go-explicit")
    described = Prefilter.from_recipes([recipe]).describe()["defer-go-explicit"]
    assert ["<defer func>"] in described
