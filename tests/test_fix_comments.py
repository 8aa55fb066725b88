"""The engine's comment rule for fixes that rewrite a region (codemod/fix/comments.py), one case per placement."""

from __future__ import annotations

import textwrap

from codemod.api import apply
from tests.helpers import load_recipe_text

GO_STATEMENT = """
id: unwrap-go
description: test
rule:
  pattern: |
    prepare()
    go func() {
    	setup()
    	$$$BODY
    }()
fix: |
  launch(func() {
  	$$$BODY
  })
"""


def rewrite(source: str, recipe_yaml: str = GO_STATEMENT) -> str:
    recipe = load_recipe_text(textwrap.dedent(recipe_yaml))[0]
    result = apply(textwrap.dedent(source).lstrip(), [recipe])
    assert result.changed, result.reason
    return result.new_source.decode()


def test_an_own_line_comment_before_deleted_code_stays_before_the_code_after_it() -> None:
    out = rewrite(
        """
        package p

        func f() {
        	prepare()
        	go func() {
        		// why the work runs apart
        		setup()
        		work()
        	}()
        }
        """
    )
    assert "launch(func() {\n\t\t// why the work runs apart\n\t\twork()\n\t})" in out


def test_an_own_line_comment_between_the_replaced_statements_goes_above_the_new_text() -> None:
    out = rewrite(
        "package p\n\nfunc f() {\n\tprepare()\n\t// start it\n\tgo func() {\n\t\tsetup()\n\t\twork()\n\t}()\n}\n"
    )
    assert "\t// start it\n\tlaunch(func() {\n\t\twork()\n\t})" in out


def test_comments_trailing_surviving_lines_stay_and_those_of_deleted_statements_go() -> None:
    out = rewrite(
        "package p\n\nfunc f() {\n\tprepare() // gone\n\tgo func() { // kept\n\t\tsetup() // gone too\n"
        "\t\twork() // kept with work\n\t}() // kept at the end\n}\n"
    )
    assert "launch(func() { // kept\n\t\twork() // kept with work\n\t}) // kept at the end" in out
    assert "gone" not in out


def test_an_inline_comment_inside_rewritten_code_goes_with_it() -> None:
    recipe = "id: double\ndescription: test\nrule: {pattern: $X + $X}\nfix: 2 * $X\n"
    out = rewrite("package p\n\nfunc f(x int) int {\n\treturn x /* gone */ + x // kept\n}\n", recipe)
    assert "\treturn 2 * x // kept\n" in out


def test_a_recipe_can_drop_the_comments_of_the_region_it_replaces() -> None:
    dropping = GO_STATEMENT.replace(
        "fix: |\n  launch(func() {\n  \t$$$BODY\n  })\n",
        "fix:\n  comments: drop\n  replace: |\n    launch(func() {\n    \t$$$BODY\n    })\n",
    )
    assert "comments: drop" in dropping
    source = "package p\n\nfunc f() {\n\tprepare()\n\tgo func() {\n\t\t// old note\n\t\tsetup()\n\t\twork()\n\t}()\n}\n"
    assert "// old note" in rewrite(source)
    out = rewrite(source, dropping)
    assert "old note" not in out
    assert "launch(func() {\n\t\twork()\n\t})" in out
