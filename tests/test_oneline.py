"""A block body written on one line stays on one line (codemod/fix/oneline.py), as go fix keeps it."""

from __future__ import annotations

from codemod.fix.oneline import keep_on_one_line
from tests.helpers import output

WRAP = """
id: wrap
description: run a goroutine's body through run()
rule: {pattern: "go func() { $$$B }()"}
fix: |
  run(func() {
  	$$$B
  })
"""


def test_a_one_line_body_stays_on_one_line_as_written() -> None:
    source = "package p\n\nfunc f() {\n\tgo func() { a(); <-ch;   b() }()\n}\n"
    assert output(WRAP, source) == "package p\n\nfunc f() {\n\trun(func() { a(); <-ch;   b() })\n}\n"


def test_a_body_on_lines_of_its_own_keeps_them() -> None:
    source = "package p\n\nfunc f() {\n\tgo func() {\n\t\ta(); b()\n\t}()\n}\n"
    assert output(WRAP, source) == "package p\n\nfunc f() {\n\trun(func() {\n\t\ta()\n\t\tb()\n\t})\n}\n"


def test_a_one_line_body_with_a_comment_is_not_joined_and_keeps_it() -> None:
    source = "package p\n\nfunc f() {\n\tgo func() { a() /* why */ }()\n}\n"
    result = output(WRAP, source)
    assert "/* why */" in result and "run(func() {\n" in result


def test_lines_after_a_join_move_up_in_the_positions() -> None:
    entries = ["x := 1", "go(func() {", "\ta(); b()", "})", "y()\nz()", "$tail"]
    where = {"B": (2, 2), "T": (5, 6)}
    out = keep_on_one_line(entries, {2: ("a(); b()", "B")}, where)
    assert out == ["x := 1", "go(func() { a(); b() })", "y()\nz()", "$tail"]
    assert where == {"B": (1, 1), "T": (3, 4)}
