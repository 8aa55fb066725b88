"""``written-after`` and method receivers: calls, slicing and dereferences that may change a variable.

Unit tests for codemod/rules/extensions/flow.py's treatment of a variable used as the
receiver of a method call (``t.bump()`` may have a pointer receiver), sliced
(``arr[:]`` aliases an array) or written through ``*p``, and for the
``method-calls`` option; then the ``sleep-to-waitgroup`` recipe on a receiver
that changes after ``go t.show()`` and on one that does not.
"""

from __future__ import annotations

import textwrap

import pytest
from tree_sitter import Node

from codemod.api import apply
from codemod.model import Status
from codemod.recipes.load import load_recipes
from codemod.rules.compile import compile_rule
from codemod.rules.core import MatchContext, RuleError
from codemod.rules.extensions.flow import write_kind
from codemod.syntax.tree import parse

PRELUDE = """package p

type counter struct{ n int }

func (c counter) show()  {}
func (c *counter) bump() { c.n++ }

type box struct{ inner counter }

func use(any) {}
"""


def _source(body: str) -> bytes:
    indented = textwrap.indent(textwrap.dedent(body).strip("\n"), "\t")
    return (PRELUDE + "\nfunc g(p *counter, fn func()) {\n" + indented + "\n}\n").encode()


def _identifiers(root: Node, name: str) -> list[Node]:
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        if node.type == "identifier" and node.text == name.encode():
            found.append(node)
        stack.extend(node.children)
    return sorted(found, key=lambda n: n.start_byte)


def _go_statement(root: Node) -> Node:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "go_statement":
            return node
        stack.extend(node.children)
    raise AssertionError("no go statement")


def written_after(body: str, name: str, method_calls: str = "write") -> bool:
    """Is ``name``, as used in the function's ``go`` statement, written after it?"""
    source = _source(body)
    tree = parse(source)
    statement = _go_statement(tree.root_node)
    subject = _identifiers(statement, name)[0]
    rule = compile_rule({"written-after": {"after": "$GO", "of": "$V", "method-calls": method_calls}})
    ctx = MatchContext(source, tree.root_node)
    return rule.match(statement, ctx, {"GO": statement, "V": subject}) is not None


@pytest.mark.parametrize(
    "body,name,expected",
    [
        ("t := counter{}\ngo t.show()\nt.bump()", "t", True),
        ("b := box{}\ngo b.inner.show()\nb.inner.bump()", "b", True),
        ("t := counter{}\ngo use(t)\nt.bump()", "t", True),
        ("t := counter{}\nlater := func() { t.bump() }\ngo t.show()\nlater()", "t", True),
        ("t := counter{}\nfor range 3 {\n\tt.bump()\n\tgo t.show()\n}", "t", True),
        ("t := counter{}\nt.bump()\ngo t.show()", "t", False),
        ("t := counter{}\ngo t.show()", "t", False),
        ("t := counter{}\ngo t.show()\nuse(t.n)", "t", False),
        ("go p.show()\n*p = counter{n: 2}", "p", True),
        ("go p.show()\n(*p).n++", "p", True),
        ("arr := [2]int{}\ngo use(arr)\ns := arr[:]\ns[0] = 1", "arr", True),
        ("go use(fn)\nfn()", "fn", False),
    ],
)
def test_method_calls_slices_and_dereferences_are_writes(body: str, name: str, expected: bool) -> None:
    assert written_after(body, name) is expected


def test_method_calls_can_be_read_only() -> None:
    assert not written_after("t := counter{}\ngo t.show()\nt.bump()", "t", method_calls="read")
    assert written_after("t := counter{}\ngo t.show()\nt.n = 3", "t", method_calls="read")


def test_the_call_at_the_point_itself_is_not_a_write() -> None:
    assert not written_after("t := counter{}\nfor range 3 {\n\tgo t.show()\n}", "t")
    assert written_after("t := counter{}\ngo use(func() { t.bump() })", "t")


@pytest.mark.parametrize(
    "snippet,kind",
    [
        ("t.bump()", "method"),
        ("t.inner.bump()", "method"),
        ("t.items[0].bump()", "method"),
        ("t.n = 1", "write"),
        ("*t = x", "write"),
        ("&t", "address"),
        ("t[1:]", "address"),
        ("t()", None),
        ("use(t.n)", None),
        ("t.m[x]()", None),
    ],
)
def test_write_kind(snippet: str, kind: str | None) -> None:
    tree = parse(f"package p\n\nfunc f() {{\n\t_ = func() {{ {snippet} }}\n}}\n".encode())
    reference = _identifiers(tree.root_node, "t")[0]
    assert write_kind(reference) == kind


def test_bad_method_calls_value_is_a_rule_error() -> None:
    with pytest.raises(RuleError) as problem:
        compile_rule({"written-after": {"after": "$X", "method-calls": "maybe"}})
    assert "method-calls must be one of: write, read" in str(problem.value)


RECIPE_INPUT = PRELUDE.replace("package p\n", 'package p\n\nimport "time"\n') + (
    "\nfunc run() {\n\tt := counter{}\n\tgo t.show()\n\t{CHANGE}\n\ttime.Sleep(time.Second)\n}\n"
)


def test_sleep_to_waitgroup_refuses_a_receiver_changed_after_the_go_statement() -> None:
    recipes = load_recipes(["sleep-to-waitgroup"])
    changed = apply(RECIPE_INPUT.replace("{CHANGE}", "t.bump()"), recipes, go_version="1.22")
    kept = apply(RECIPE_INPUT.replace("{CHANGE}", "use(t.n)"), recipes, go_version="1.22")
    assert changed.status is Status.UNCHANGED
    assert [finding.start.line for finding in changed.findings if "receiver may change" in finding.message] == [16]
    assert kept.status is Status.CHANGED and kept.new_source is not None
    assert "go func() { defer wg.Done(); t.show() }()" in kept.new_source.decode()
