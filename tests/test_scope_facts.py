"""Tests for the scope-fact rule keys of codemod/rules/extensions/scope_facts.py:
``declared``, ``references`` and ``captured``, on real Go parsed by tree-sitter."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from codemod.recipes.load import load_recipe_text
from codemod.rules.compile import compile_rule
from codemod.rules.core import MatchContext, RuleError
from codemod.syntax.tree import parse


def found(rule_yaml: str, source: str, *others: str) -> list[str]:
    """Texts of every target the rule matches in ``source``; ``others`` are more files of the package."""
    rule = compile_rule(yaml.safe_load(textwrap.dedent(rule_yaml)))
    data = textwrap.dedent(source).encode()
    tree = parse(data)
    other_trees = [parse(textwrap.dedent(text).encode()) for text in others]
    ctx = MatchContext(data, tree.root_node, {}, lambda: [t.root_node for t in other_trees])
    return [data[t.start_byte : t.end_byte].decode() for t, _ in rule.search(tree.root_node, ctx, {})]


SCOPES = """
    package p

    import (
        ctxpkg "context"
        "sync/atomic"
    )

    var flag int32
    var a, b int

    func (r *T) M(x int) (out int) {
        y := x
        use(r, x, out, y, flag, a, ctxpkg.Background, atomic.AddInt32)
        return
    }
"""


@pytest.mark.parametrize(
    "condition,expected",
    [
        ("scope: package", ["flag", "a"]),
        ("scope: local", ["y"]),
        ("scope: parameter", ["x"]),
        ("scope: result", ["out"]),
        ("scope: receiver", ["r"]),
        ("{scope: [receiver, result]}", ["r", "out"]),
        ("kind: import", ["ctxpkg", "atomic"]),
        ("scope: file", ["ctxpkg", "atomic"]),
        ("import: context", ["ctxpkg"]),
        ("import: sync/atomic", ["atomic"]),
        ("{scope: package, single: true}", ["flag"]),
        ("{scope: package, single: false}", ["a"]),
    ],
)
def test_declared_scope_kind_import_single(condition: str, expected: list[str]) -> None:
    rule = f"""
        kind: identifier
        inside: {{kind: argument_list, stopBy: end}}
        declared: {{{condition.strip("{}")}}}
    """
    assert found(rule, SCOPES) == expected


def test_declared_finds_package_level_names_of_other_files() -> None:
    rule = """
        kind: identifier
        inside: {kind: argument_list}
        declared: {scope: package, file: other, kind: var}
    """
    other = """
        package p

        var shared int32
        var local int
    """
    source = """
        package p

        func f(local int) { use(shared, local, missing) }
    """
    assert found(rule, source, other) == ["shared"]


def test_declared_spec_rule_is_evaluated_in_the_declaring_file() -> None:
    rule = """
        kind: identifier
        inside: {kind: argument_list}
        declared:
          spec:
            not: {has: {field: value, kind: expression_list}}
            has: {field: type, kind: qualified_type, has: {field: package, declared: {import: sync/atomic}}}
    """
    other = """
        package p

        import "sync/atomic"

        var ready atomic.Bool
        var count atomic.Int32 = atomic.Int32{}
    """
    source = """
        package p

        import atomic "example.com/notatomic"

        var mine atomic.Bool

        func f() { use(ready, count, mine) }
    """
    assert found(rule, source, other) == ["ready"]


def test_declared_of_and_bind() -> None:
    recipe = load_recipe_text(
        textwrap.dedent(
            """
            id: drop-declaration
            description: test
            rule:
              pattern: use($X)
              declared: {of: $X, scope: package, bind: $DECL}
            fix:
              edits:
                - {replace: $DECL, with: "${X}2 int"}
            """
        )
    )[0]
    from codemod.api import apply

    source = "package p\n\nvar (\n\tn int\n\n\tm int\n)\n\nfunc f(m int) {\n\tuse(n)\n\tuse(m)\n}\n"
    result = apply(source, [recipe])
    assert result.new_source.decode() == source.replace("\tn int", "\tn2 int")


REFS = """
    package p

    func f() {
        cancel := stop
        cancel()
        if x {
            cancel()
        }
        defer func() { cancel() }()
        g(cancel)
    }
"""


@pytest.mark.parametrize(
    "condition,matched",
    [
        ("count: 4", True),
        ("count: {min: 5}", False),
        ("count: {max: 4, min: 4}", True),
        ("any: {inside: {kind: argument_list}}", True),
        ("all: {inside: {kind: call_expression, field: function}}", False),
        ("none: {inside: {kind: defer_statement, stopBy: end}}", False),
        ("none: {inside: {kind: go_statement, stopBy: end}}", True),
    ],
)
def test_references_quantifiers(condition: str, matched: bool) -> None:
    rule = f"""
        pattern: $C := stop
        references: {{of: $C, in: function, {condition}}}
    """
    assert found(rule, REFS) == (["cancel := stop"] if matched else [])


def test_references_skip_the_match_and_exclude() -> None:
    source = """
        package p

        var flag int32

        func f() {
            if cas(&flag) {
                use(flag)
            }
        }
    """
    rule = """
        all:
          - pattern: if $C { $$$B }
          - has: {field: condition, pattern: cas(&$F)}
          - references: {of: $F, in: package, exclude: $C, count: 1}
    """
    assert len(found(rule, source)) == 1
    inside_match = rule.replace("exclude: $C, count: 1", "count: 0")
    assert len(found(inside_match, source)) == 1


def test_references_across_the_package_respect_shadowing() -> None:
    source = """
        package p

        var flag int32

        func f() { use(flag) }
    """
    other_reads = """
        package p

        func g() { read(flag) }
    """
    other_shadows = """
        package p

        func g(flag int) { read(flag) }
    """
    rule = """
        pattern: use($F)
        references: {of: $F, in: package, count: 0}
    """
    assert found(rule, source, other_reads) == []
    assert found(rule, source, other_shadows) == ["use(flag)"]
    in_other_file = """
        pattern: use($F)
        references: {of: $F, in: package, all: {inside: {kind: argument_list, inside: {pattern: read($F)}}}}
    """
    assert found(in_other_file, source, other_reads) == ["use(flag)"]


def test_references_remembered_per_span_answer_as_fresh_ones() -> None:
    """The references of a declaration are kept per pass by the span searched (a function, the file)
    and the declaration: asking from several matches, functions and spans answers as a fresh context."""
    source = """
        package p

        var flag int32

        func f() { use(flag); use(flag) }

        func g() { use(flag); flag := 1; use(flag) }
    """
    data = textwrap.dedent(source).encode()
    root = parse(data).root_node
    shared = MatchContext(data, root)  # one memo for every span and match, as in a pass
    candidates = _calls_named(root, b"use")
    for span in ("function", "file", "package", "function"):
        rule = compile_rule(yaml.safe_load(f"{{pattern: use($F), references: {{of: $F, in: {span}, count: 1}}}}"))
        for node in candidates + candidates[::-1]:
            fresh = rule.match(node, MatchContext(data, root), {})
            assert (rule.match(node, shared, {}) is None) == (fresh is None), (span, node.start_point)
    function_rule = "{pattern: use($F), references: {of: $F, in: function, count: 1}}"
    assert found(function_rule, source) == ["use(flag)", "use(flag)"]  # f's: in g, the second one is a local's


def _calls_named(root, name: bytes) -> list:
    stack, calls = [root], []
    while stack:
        node = stack.pop()
        if node.type == "call_expression" and (node.text or b"").startswith(name + b"("):
            calls.append(node)
        stack.extend(node.children)
    return sorted(calls, key=lambda n: n.start_byte)


def test_references_of_a_blank_or_unknown_name_are_empty() -> None:
    source = """
        package p

        func f() { _, x := g(); use(x) }
    """
    rule = """
        pattern: $A, $B := g()
        references: {of: $A, in: function, count: 0}
    """
    assert found(rule, source) == ["_, x := g()"]


def test_captured() -> None:
    source = """
        package p

        var global int

        func f() {
            local := 1
            func() {
                inner := 2
                use(local, inner, global)
            }()
            use(local)
        }
    """
    rule = "kind: identifier\ninside: {kind: argument_list}\ncaptured: true"
    assert found(rule, source) == ["local"]
    not_captured = "kind: identifier\ninside: {kind: argument_list}\ncaptured: {is: false}"
    assert found(not_captured, source) == ["inner", "global", "local"]


@pytest.mark.parametrize(
    "raw,message",
    [
        ({"declared": {"scope": "global"}}, "expected one or a list of"),
        ({"declared": {"bogus": 1}}, "unknown key 'bogus'"),
        ({"declared": {"of": "X"}}, "expected a metavariable"),
        ({"declared": {"file": "mine"}}, "file must be"),
        ({"references": {"of": "$X"}}, "needs at least one of"),
        ({"references": {"of": "$X", "in": "module", "count": 1}}, "in must be one of"),
        ({"references": {"of": "$X", "count": -1}}, "count must be"),
        ({"captured": {"is": "yes"}}, "is must be true or false"),
    ],
)
def test_invalid_keys_are_reported(raw: dict, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        compile_rule(raw)


SHADOWED = """
    package p

    func f(items []string) string {
        s := "outer"
        for _, item := range items {
            s := item
            use(s)
        }
        use(s)
        g := func() { use(s) }
        return s
    }
"""


def test_declared_same_as_follows_the_declaration_not_the_name() -> None:
    """``same-as: $S`` holds on the references of the declaration bound to ``$S``, not of another ``s``."""
    rule = """
        all:
          - pattern: $S := "outer"
          - inside:
              kind: source_file
              stopBy: end
              has:
                stopBy: end
                kind: return_statement
                has: {stopBy: end, kind: identifier, declared: {same-as: $S}}
    """
    assert found(rule, SHADOWED) == ['s := "outer"']
    compiled = compile_rule(yaml.safe_load('{kind: identifier, regex: "^s$", declared: {same-as: $S}}'))
    data = textwrap.dedent(SHADOWED).encode()
    tree = parse(data)
    ctx = MatchContext(data, tree.root_node, {}, lambda: [])
    outer = next(n for n, _ in compile_rule({"pattern": "s"}).search(tree.root_node, ctx, {}))
    rows = [t.start_point[0] for t, _ in compiled.search(tree.root_node, ctx, {"S": outer})]
    # line 4 declares the outer s (itself), 9, 10 and 11 use it; line 7 is the inner s
    assert rows == [4, 9, 10, 11]


def test_declared_same_as_needs_a_metavariable() -> None:
    with pytest.raises(RuleError):
        compile_rule({"kind": "identifier", "declared": {"same-as": "S"}})
