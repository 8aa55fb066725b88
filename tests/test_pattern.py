"""Pattern compilation and structural matching."""

from __future__ import annotations

import pytest

from codemod.errors import PatternError
from codemod.pattern.compile import compile_pattern
from codemod.pattern.matcher import Run, find_pattern
from codemod.syntax.tree import parse

SOURCE = b"""package p

import "time"

type Foo int

func f(a int, xs []int) {
	go g(1)
	x := 2
	go func() { h() }()
	time.Sleep(time.Second)
	fun(x...)
	fun(a, b)
	var i interface{}
	y := int(3)
	var m sync.Mutex
	p := (*Foo)(nil)
	_ = a + a
	_ = a + /* c */ a
	_ = a + b
}
"""


def matches(pattern: str, **kw) -> list[str]:
    tree = parse(SOURCE)
    out = []
    for target, _env in find_pattern(compile_pattern(pattern, **kw), tree.root_node, {}):
        nodes = target.nodes if isinstance(target, Run) else (target,)
        out.append(SOURCE[nodes[0].start_byte : nodes[-1].end_byte].decode())
    return out


@pytest.mark.parametrize(
    "text,context",
    [
        ("fun($X)", "expression"),
        ("go $F()", "statement"),
        ("x := 1\ny := 2", "sequence"),
        ("interface{}", "type"),
        ("map[string]int", "type"),
        ("func $F() {}", "declaration"),
        ("type $T struct{}", "declaration"),
    ],
)
def test_contexts_are_detected(text: str, context: str) -> None:
    assert compile_pattern(text).context == context


def test_explicit_context_and_selector() -> None:
    pattern = compile_pattern("var _ = $X + 1", context="declaration", selector="binary_expression")
    assert pattern.root.type == "binary_expression"


def test_single_and_multi_metavariables() -> None:
    assert matches("fun($X)") == []
    assert matches("fun($$$X)") == ["fun(x...)", "fun(a, b)"]
    assert matches("fun($X...)") == ["fun(x...)"]


def test_call_pattern_matches_type_conversion() -> None:
    assert matches("int($X)") == ["int(3)"]
    assert matches("$F(nil)") == ["(*Foo)(nil)"]


def test_identifier_matches_everywhere_a_name_stands() -> None:
    found = matches("Foo")
    assert len(found) == 2  # the type declaration and the conversion


def test_selector_pattern_matches_qualified_type() -> None:
    assert matches("sync.Mutex") == ["sync.Mutex"]
    assert matches("time.Second") == ["time.Second"]


def test_repeated_metavariable_requires_equal_code_ignoring_comments() -> None:
    assert matches("$A + $A") == ["a + a", "a + /* c */ a"]


def test_sequence_with_gap() -> None:
    found = matches("go $$$G\n$$$MID\ntime.Sleep($D)")
    assert found[0].startswith("go g(1)") and found[0].endswith("time.Sleep(time.Second)")
    assert len(found) == 2  # each go statement starts a run


def test_pattern_errors_name_the_offset() -> None:
    with pytest.raises(PatternError) as raised:
        compile_pattern("fun($X")
    assert raised.value.offset >= 3
    with pytest.raises(PatternError):
        compile_pattern("   ")


ARITY_SOURCE = b"""package p

func f() {
	g()
	g(1)
	g(1, 2)
	g(1, 2, 3)
	h(g(1), 2)
	x, y := 1, 2
	z := 3
}
"""


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("g($A)", ["g(1)", "g(1)"]),
        ("g($A, $B)", ["g(1, 2)"]),
        ("g($$$)", ["g()", "g(1)", "g(1, 2)", "g(1, 2, 3)", "g(1)"]),
        ("g($A, $$$REST)", ["g(1)", "g(1, 2)", "g(1, 2, 3)", "g(1)"]),
        ("g($$$FIRST, 3)", ["g(1, 2, 3)"]),
        ("h($$$, 2)", ["h(g(1), 2)"]),
        ("$A := $B", ["x, y := 1, 2", "z := 3"]),  # $A and $B stand for the lists
        ("$A, $B := $C, $D", ["x, y := 1, 2"]),
    ],
)
def test_a_match_has_as_many_children_as_the_pattern_unless_one_is_a_multi_metavariable(pattern, expected) -> None:
    root = parse(ARITY_SOURCE).root_node
    found = [target.text.decode() for target, _env in find_pattern(compile_pattern(pattern), root, {})]
    assert found == expected
