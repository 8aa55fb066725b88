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
