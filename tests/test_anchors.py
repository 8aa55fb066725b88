"""Candidates found around a pattern's rarest token are the ones listing by kind finds.

codemod/pattern/anchors.py walks up from the occurrences of a name, literal or
keyword every match must hold; these differential checks run real standard
library files through both ways of finding candidates and through the
matcher, and require the same nodes in the same (document) order.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gotoolchain import require_go

import codemod.pattern.anchors as anchors
from codemod.engine.core import run_file
from codemod.pattern.compile import compile_pattern
from codemod.pattern.matcher import find_pattern
from codemod.prefilter.requirements import constraint_hints
from codemod.recipes.load import load_recipe_text
from codemod.rules.compile import compile_rule
from codemod.rules.core import MatchContext
from codemod.syntax import nodeindex
from codemod.syntax.tree import parse

PATTERNS = [
    "$L.Lock()", "go $CALL", "defer $F()", "time.Sleep($D)", "$X.Add(1)", "for range $CH { $$$BODY }", "errors.New($S)",
    "$L.Lock()\ndefer $L.Unlock()\n",  # a statement sequence: the lists holding it are found around an anchor too
]  # fmt: skip


def _files() -> list[Path]:
    src = require_go().src
    return (
        sorted((src / "sync").glob("*.go"))
        + sorted((src / "net" / "http").glob("t*.go"))
        + sorted((src / "context").glob("*.go"))
    )


def _fresh(data: bytes):
    nodeindex._indexes.clear()  # neither way may lean on an index the other built
    return parse(data).root_node


def test_pattern_anchors_are_names_literals_and_keywords() -> None:
    assert anchors.pattern_anchors(compile_pattern("$L.Lock()")) == ((b"Lock", False),)
    assert anchors.pattern_anchors(compile_pattern("go $CALL")) == ((b"go", True),)
    assert set(anchors.pattern_anchors(compile_pattern('defer fmt.Println("x")'))) == {
        (b"defer", True),
        (b"fmt", False),
        (b"Println", False),
        (b'"x"', False),
    }


@pytest.mark.parametrize("source", PATTERNS)
def test_matches_are_the_same_found_around_anchors_or_by_kind(source: str, monkeypatch) -> None:
    pattern = compile_pattern(source)
    checked = 0
    for path in _files():
        data = path.read_bytes()
        root = _fresh(data)
        around = [(t.start_byte, t.end_byte, t.type) for t, _ in find_pattern(pattern, root, {})]
        with monkeypatch.context() as patched:
            patched.setattr(anchors, "RARE_HITS", -1)  # never rare: always list by kind
            root = _fresh(data)
            by_kind = [(t.start_byte, t.end_byte, t.type) for t, _ in find_pattern(pattern, root, {})]
        assert around == by_kind, path.name
        checked += len(around)
    assert checked > 0


@pytest.mark.parametrize(
    "kind", ["go_statement", "defer_statement", "func_literal", "select_statement", "interface_type"]
)
def test_a_kind_with_a_keyword_is_found_around_the_keyword(kind: str, monkeypatch) -> None:
    rule = compile_rule({"kind": kind})
    total = 0
    for path in _files():
        data = path.read_bytes()
        root = _fresh(data)
        around = [t for t, _ in rule.find(root, MatchContext(data, root), {})]
        expected = nodeindex.nodes_of_kinds(root, frozenset({kind}))
        assert around == expected, path.name
        total += len(around)
    assert total > 0


def test_an_indexed_tree_or_a_frequent_token_is_listed_by_kind() -> None:
    data = b"package p\n\nfunc f() {\n" + b"\tgo g()\n" * (anchors.RARE_HITS + 1) + b"}\n"
    root = _fresh(data)
    kinds = frozenset({"go_statement"})
    assert anchors.candidates_around(root, data, ((b"go", True),), kinds) is None  # too frequent
    few = _fresh(b"package p\n\nfunc f() {\n\tgo g() // go\n\tgogo()\n}\n")
    found = anchors.candidates_around(few, few.text, ((b"go", True),), kinds)
    assert [node.text for node in found] == [b"go g()"]
    asked: list[None] = []

    def around() -> list | None:
        asked.append(None)
        return found

    assert nodeindex.nodes_of_kinds(few, kinds, around) is found and len(asked) == 1  # not indexed: found around
    nodeindex.nodes_of_kinds(few, kinds)
    assert nodeindex.nodes_of_kinds(few, kinds, around) == found and len(asked) == 1  # indexed: listing is free


def test_struct_fields_are_found_from_the_struct_keyword() -> None:
    rule = compile_rule({"kind": "field_declaration"})
    total = 0
    for path in _files():
        data = path.read_bytes()
        root = _fresh(data)
        assert (
            anchors.candidates_within(root, "field_declaration") is not None
            or data.count(b"struct") > anchors.RARE_HITS
        )
        found = [(t.start_byte, t.end_byte) for t, _ in rule.find(root, MatchContext(data, root), {})]
        listed = nodeindex.nodes_of_kinds(_fresh(data), frozenset({"field_declaration"}))
        assert found == [(n.start_byte, n.end_byte) for n in listed], path.name
        total += len(found)
    assert total > 50


def test_longer_operators_anchor_a_pattern_without_names() -> None:
    assert anchors.pattern_anchors(compile_pattern("$A, $B := $F($$$X)")) == ((b":=", False),)


CONSTRAINED = """
id: derive
description: d
safety: report
rule:
  any:
    - pattern: $CTX, $CANCEL := $P.$WITH($$$ARGS)
    - pattern: $CTX, $CANCEL = $P.$WITH($$$ARGS)
  not: {has: {stopBy: end, pattern: $X.$WITH()}}
constraints:
  WITH: {regex: "^With(Cancel|Timeout)$"}
"""


def test_a_regex_constraint_gives_the_texts_its_binding_must_hold() -> None:
    def hints(raw: dict) -> dict:
        return constraint_hints({name: compile_rule(rule) for name, rule in raw.items()})

    assert hints({"W": {"regex": "^With(Cancel|Timeout)$"}}) == {"W": (b"With",)}
    assert hints({"W": {"all": [{"regex": "Close$"}, {"regex": "^Must"}]}}) == {"W": (b"Close", b"Must")}
    assert hints({"W": {"regex": "(?i)^with"}, "X": {"regex": "^(a|b)$"}, "Y": {"any": [{"regex": "^z"}]}}) == {}
    assert hints({"W": {"regex": "^new line$"}}) == {}  # spacing may differ in code the matcher deems the same


def test_hinted_candidates_are_the_matches_that_hold_the_constraint() -> None:
    (recipe,) = load_recipe_text(CONSTRAINED)
    assert recipe.search_hints == {"WITH": (b"With",)}
    hinted_found: list = []
    plain_found: list = []
    for path in _files():
        data = path.read_bytes()
        root = _fresh(data)
        ctx = MatchContext(data, root, recipe.utils)

        def kept(hints: dict, root=root, data=data, ctx=ctx) -> list[tuple[int, int]]:
            found = recipe.rule.search(root, MatchContext(data, root, recipe.utils), {}, hints)
            return [
                (t.start_byte, t.end_byte)
                for t, env in found
                if recipe.constraints["WITH"].match(env["WITH"], ctx, env)
            ]

        hinted, plain = kept(recipe.search_hints), kept({})
        assert hinted == plain, path.name
        for hints, count in ((recipe.search_hints, hinted_found), ({}, plain_found)):
            count.extend(recipe.rule.search(root, MatchContext(data, root, recipe.utils), {}, hints))
        findings = [f.start.line for f in run_file(path.name, data, [recipe]).findings]
        assert len(findings) == len(plain)
    assert any(b"WithCancel(" in path.read_bytes() for path in _files())
    assert len(hinted_found) < len(plain_found)  # `a, b := x.F()` without `With` was not even a candidate


def _by_span_then_depth(nodes: list) -> list:
    """Document order spelled out: by start, longer first, and of nodes with one span the outer first."""

    def depth(node) -> int:
        count, parent = 0, node.parent
        while parent is not None:
            count, parent = count + 1, parent.parent
        return count

    return sorted(nodes, key=lambda node: (node.start_byte, -node.end_byte, depth(node)))


def test_document_order_sorts_by_span_and_puts_the_outer_of_one_span_first() -> None:
    kinds = ["call_expression", "expression_statement", "identifier", "selector_expression", "parenthesized_expression"]
    kinds += [
        "block",
        "statement_list",
        "unary_expression",
        "field_identifier",
        "type_identifier",
        "interpreted_string_literal",
    ]
    for path in _files()[:12]:
        root = _fresh(path.read_bytes())
        nodes = [node for kind in kinds for node in nodeindex.nodes_of_kinds(root, frozenset({kind}))]
        ordered = _by_span_then_depth(nodes)
        assert any(a.start_byte == b.start_byte and a.end_byte == b.end_byte for a, b in zip(ordered, ordered[1:]))
        for shuffled in (list(reversed(nodes)), nodes[1::2] + nodes[::2]):
            expected = [(node.id, node.start_byte) for node in _by_span_then_depth(shuffled)]
            assert [(node.id, node.start_byte) for node in nodeindex.document_order(shuffled)] == expected
