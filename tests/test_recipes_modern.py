"""Modern-idiom recipes (waitgroup-go, interface-any, forvar), goroutine-leak-select, bundles.

Golden cases live in golden/<recipe-id>/ and run in tests/test_golden.py; this
file covers what they cannot: the engine capabilities these recipes rely on,
version gating, bundle loading and its errors.
"""

from __future__ import annotations

import textwrap

from codemod.api import apply
from codemod.recipes.load import load_recipe_text


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
    from codemod.engine.core import run_file

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
    imports = {"b.go": b'package p\n\nimport any "fmt"\n\nvar _ = any.Sprint\n'}
    assert _in_scope_lines(source, declares) == [3]
    assert _in_scope_lines(source, imports) == []


def test_in_scope_parses_only_the_other_files_that_may_declare_the_name() -> None:
    from codemod.syntax.tree import parse_count

    source = _go("""
        package p

        var x interface{}
    """)
    uses = {f"u{i}.go": b"package p\n\nfunc f%d(v any) any { return v }\n" % i for i in range(5)}
    before = parse_count()
    assert _in_scope_lines(source, {**uses, "b.go": b"package p\n\ntype any = interface{}\n"}) == [3]
    assert parse_count() - before == 2  # a.go and b.go; the files that only use `any` are not parsed


def test_in_scope_answers_from_other_files_once_per_file_and_name() -> None:
    """What the other files declare is kept in the pass memo, shared by the files of the package:
    asked from each file, in either order, with one memo, the answers are those of fresh contexts."""
    from codemod.rules.compile import compile_rule
    from codemod.rules.core import MatchContext
    from codemod.syntax.tree import parse

    texts = {
        "a.go": b"package p\n\nvar x interface{}\nvar y interface{}\n",
        "b.go": b"package p\n\ntype any = interface{}\n\nvar z interface{}\n",
        "c.go": b'package p\n\nimport any "fmt"\n\nvar w interface{}\n',
    }
    rule = compile_rule({"kind": "interface_type", "in-scope": "any"})
    for package in (["a.go", "c.go"], ["a.go", "b.go", "c.go"]):
        roots = {path: parse(texts[path]).root_node for path in package}

        def answers(path: str, memo: dict, roots: dict = roots) -> list[bool]:
            others = [root for other, root in roots.items() if other != path]
            ctx = MatchContext(texts[path], roots[path], {}, lambda: others, memo)
            return [rule.match(node, ctx, {}) is not None for node in _interface_types(roots[path])]

        fresh = {path: answers(path, {}) for path in package}
        assert fresh["a.go"] == [len(package) == 3] * 2  # c.go's import of the name is its own
        for order in (package, package[::-1]):
            memo: dict = {}
            assert {path: answers(path, memo) for path in order} == fresh


def _interface_types(root) -> list:
    stack, found = [root], []
    while stack:
        node = stack.pop()
        found += [node] if node.type == "interface_type" else []
        stack.extend(node.children)
    return sorted(found, key=lambda n: n.start_byte)


def test_in_scope_rejects_a_value_that_is_not_a_name() -> None:
    import pytest

    from codemod.errors import RecipeError

    with pytest.raises(RecipeError, match="in-scope takes a name"):
        _recipe(IN_SCOPE.replace("in-scope: any", "in-scope: {name: any}"))


# --- bundles ------------------------------------------------------------------------


def test_go_modernize_bundle_lists_its_recipes_in_order() -> None:
    from codemod.recipes.load import load_recipes

    assert [recipe.id for recipe in load_recipes(["go-modernize"])] == ["waitgroup-go", "interface-any", "forvar"]


def test_go_concurrency_bundle_names_only_existing_recipes() -> None:
    from codemod.recipes.load import load_recipes

    ids = [recipe.id for recipe in load_recipes(["go-concurrency"])]
    assert ids.index("goroutine-leak-select") < ids.index("time-after-in-loop")
    # go-leaks joins go-concurrency
    assert {recipe.id for recipe in load_recipes(["go-leaks"])} <= set(ids)
    assert {
        "defer-go-explicit",
        "sleep-to-waitgroup",
        "once-lazy-init",
        "once-atomic-flag",
        "context-defer-cancel",
        "mutex-to-rwmutex",
    } <= set(ids)


def test_bundle_naming_an_unknown_recipe_is_a_located_load_error(tmp_path) -> None:
    import pytest

    from codemod.errors import RecipeError
    from codemod.recipes.load import load_recipes

    bundle = tmp_path / "team.yaml"
    bundle.write_text("bundle: team\ndescription: ours\nrecipes:\n  - forvar\n  - no-such-recipe\n")
    with pytest.raises(RecipeError) as raised:
        load_recipes(["team"], extra_dirs=[str(tmp_path)])
    assert str(raised.value).splitlines() == [f"{bundle}:5:5: bundle 'team' names unknown recipe 'no-such-recipe'"]


def test_bundle_entry_overrides_severity(tmp_path) -> None:
    from codemod.recipes.load import load_recipes

    (tmp_path / "strict.yaml").write_text(
        "bundle: strict\nrecipes:\n  - {id: forvar, severity: error}\n  - interface-any\n"
    )
    forvar, interface_any = load_recipes(["strict"], extra_dirs=[str(tmp_path)])
    assert (forvar.id, forvar.severity) == ("forvar", "error")
    assert (interface_any.id, interface_any.severity) == ("interface-any", "info")


def test_go_modernize_applies_each_recipe_from_its_own_go_version() -> None:
    from codemod.engine.core import run_file
    from codemod.recipes.load import load_recipes

    source = _go("""
        package p

        import "sync"

        func f(xs []interface{}) {
        	var wg sync.WaitGroup
        	for _, x := range xs {
        		x := x
        		wg.Add(1)
        		go func() {
        			defer wg.Done()
        			println(x)
        		}()
        	}
        	wg.Wait()
        }
    """)
    recipes = load_recipes(["go-modernize"])

    def changed_by(version: str) -> list[str]:
        result = run_file("p.go", source, recipes, go_version=version)
        return sorted({change.recipe_id for change in result.changes})

    assert changed_by("1.17") == []
    assert changed_by("1.21") == ["interface-any"]
    assert changed_by("1.24") == ["forvar", "interface-any"]
    assert changed_by("1.25") == ["forvar", "interface-any", "waitgroup-go"]


def test_interface_any_leaves_underscore_directories_alone() -> None:
    from codemod.engine.core import run_file
    from codemod.recipes.load import BUILTIN_DIR, load_file

    recipes, _ = load_file(BUILTIN_DIR / "interface-any.yaml")
    source = b"package p\n\nfunc gopanic(interface{})\n"
    assert run_file("typecheck/_builtin/runtime.go", source, recipes).new_source is None
    assert run_file("_gen/main.go", source, recipes).new_source is None
    assert run_file("typecheck/builtin/runtime.go", source, recipes).new_source == b"package p\n\nfunc gopanic(any)\n"


def test_statements_sharing_a_line_get_a_line_each_when_the_template_gives_them_one() -> None:
    source = _go("""
        package p

        func f() {
        	start()
        	go func() {
        		a(); b()
        	}()
        }
    """)
    assert apply(source, _recipe(KEEP_BODY)).new_source == _go("""
        package p

        func f() {
        	run(func() {
        		a()
        		b()
        	})
        }
    """)


def test_a_body_written_on_one_line_stays_on_one_line_as_go_fix_keeps_it() -> None:
    source = _go("""
        package p

        func f() {
        	start()
        	go func() { a(); b() }()
        }
    """)
    inline = _recipe(KEEP_BODY.replace("run(func() {\n  \t$$$BODY\n  })", "run(func() { $$$BODY })"))
    for recipe in (_recipe(KEEP_BODY), inline):
        assert b"\trun(func() { a(); b() })\n" in apply(source, recipe).new_source


def test_a_label_in_a_moved_body_stays_one_tab_left_of_its_statements() -> None:
    source = _go("""
        package p

        func f() {
        	if ok {
        		start()
        		go func() {
        			n := 0
        		loop:
        			for {
        				break loop
        			}
        		}()
        	}
        }
    """)
    assert apply(source, _recipe(KEEP_BODY)).new_source == _go("""
        package p

        func f() {
        	if ok {
        		run(func() {
        			n := 0
        		loop:
        			for {
        				break loop
        			}
        		})
        	}
        }
    """)
