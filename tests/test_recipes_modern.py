"""Modern-idiom recipes (waitgroup-go, interface-any, forvar), goroutine-leak-select, bundles.

Golden cases live in golden/<recipe-id>/ and run in tests/test_golden.py; this
file covers what they cannot: the engine capabilities these recipes rely on,
version gating, bundle loading and its errors.
"""

from __future__ import annotations

import textwrap

from codemod.api import apply
from codemod.recipe import load_recipe_text


def _recipe(yaml_text: str):
    return load_recipe_text(textwrap.dedent(yaml_text))


def _go(text: str) -> bytes:
    return textwrap.dedent(text).lstrip("\n").encode()


KEEP_BODY = """
id: keep-body
description: unwrap a func literal run in a goroutine after a call
rule:
  pattern: |
    start()
    go func() {
    	$$$BODY
    }()
fix: |
  run(func() {
  	$$$BODY
  })
"""


def test_statement_capture_keeps_comments_of_its_block() -> None:
    source = _go("""
        package p

        func f() {
        	start()
        	go func() {
        		// first
        		a()
        		b() // b
        		// last
        	}()
        }
    """)
    result = apply(source, _recipe(KEEP_BODY))
    assert result.new_source == _go("""
        package p

        func f() {
        	run(func() {
        		// first
        		a()
        		b() // b
        		// last
        	})
        }
    """)


def test_own_line_comment_between_replaced_statements_is_kept_before_the_replacement() -> None:
    source = _go("""
        package p

        func f() {
        	start() // gone with its statement
        	// launch
        	go func() {
        		a()
        	}()
        }
    """)
    result = apply(source, _recipe(KEEP_BODY))
    assert result.new_source == _go("""
        package p

        func f() {
        	// launch
        	run(func() {
        		a()
        	})
        }
    """)


def test_comments_outside_the_match_are_not_duplicated() -> None:
    recipe = _recipe("""
        id: wrap-rest
        description: wrap statements after a marker
        rule:
          pattern: |
            marker()
            $$$REST
            end()
        fix: |
          wrapped(func() {
          	$$$REST
          })
    """)
    source = _go("""
        package p

        func f() {
        	// before
        	marker()
        	a()
        	end() // end
        	// after
        }
    """)
    result = apply(source, recipe)
    assert result.new_source == _go("""
        package p

        func f() {
        	// before
        	wrapped(func() {
        		a()
        	}) // end
        	// after
        }
    """)


def test_deleting_a_statement_that_shares_its_line_takes_its_separator() -> None:
    recipe = _recipe("""
        id: drop-copy
        description: drop a self-copy
        rule:
          pattern: $A := $A
        fix:
          edits:
            - delete: $MATCH
    """)
    source = _go("""
        package p

        func f(x int) {
        	g := func() { x := x; use(x) }
        	h := func() { use(x); x := x }
        	_, _ = g, h
        }
    """)
    result = apply(source, recipe)
    assert result.new_source == _go("""
        package p

        func f(x int) {
        	g := func() { use(x) }
        	h := func() { use(x) }
        	_, _ = g, h
        }
    """)


IN_SCOPE = """
id: mark-in-scope
description: report where the name any is declared
rule:
  kind: interface_type
  in-scope: any
"""


def _in_scope_lines(source: bytes, package: dict[str, bytes] | None = None) -> list[int]:
    from codemod.engine import run_file

    result = run_file("a.go", source, _recipe(IN_SCOPE), package_sources=package)
    return [finding.start.line for finding in result.findings]


def test_in_scope_follows_go_scoping() -> None:
    source = _go("""
        package p

        func params(any int, x interface{}) {
        	var y interface{}
        }

        func locals() {
        	var before interface{}
        	any := 1
        	var after interface{}
        	_ = any
        }

        func generic[any interface{}](x interface{}) {}

        func plain(x interface{}) {}
    """)
    # line 3: parameters are not in scope in their own signature; 4: in the body;
    # 8: before the local declaration; 10: after it; 14: type parameters are.
    assert _in_scope_lines(source) == [4, 10, 14, 14]


def test_in_scope_sees_package_level_names_of_other_files_but_not_their_imports() -> None:
    source = _go("""
        package p

        var x interface{}
    """)
    declares = {"b.go": b"package p\n\ntype any = interface{}\n"}
    imports = {"b.go": b"package p\n\nimport any \"fmt\"\n\nvar _ = any.Sprint\n"}
    assert _in_scope_lines(source, declares) == [3]
    assert _in_scope_lines(source, imports) == []


def test_in_scope_rejects_a_value_that_is_not_a_name() -> None:
    import pytest

    from codemod.errors import RecipeError

    with pytest.raises(RecipeError, match="in-scope takes a name"):
        _recipe(IN_SCOPE.replace("in-scope: any", "in-scope: {name: any}"))
