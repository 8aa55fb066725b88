"""Tests for codemod.golang.scope and codemod.golang.resolution: declarations, resolution, visibility, shadowing and fresh names."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from gotoolchain import require_go
from tree_sitter import Node, Tree

from codemod.golang import scope as go_scope
from codemod.golang.resolution import (
    Resolver,
    declared_in_function,
    fresh_name,
    is_package_level,
    references,
    resolve,
    visible_names,
)
from codemod.golang.scope import Declaration, package_declarations, package_level_names, walk
from codemod.rules.core import MatchContext
from codemod.syntax import memory
from codemod.syntax.tree import parse


def at(tree: Tree, word: str, nth: int = 0) -> Node:
    """The node spanning the ``nth`` whole-word occurrence of ``word``."""
    source = tree.root_node.text or b""
    match = list(re.finditer(rb"\b" + re.escape(word.encode()) + rb"\b", source))[nth]
    node = tree.root_node.named_descendant_for_byte_range(match.start(), match.end())
    assert node is not None and node.text == word.encode()
    return node


def declared_at(tree: Tree, word: str, nth: int) -> int:
    """Byte offset of the ``nth`` occurrence of ``word`` (the declaring one)."""
    return at(tree, word, nth).start_byte


def resolves_to(tree: Tree, word: str, use: int, declaration: int | None) -> bool:
    decl = resolve(at(tree, word, use))
    if declaration is None:
        return decl is None
    return decl is not None and decl.start == declared_at(tree, word, declaration)


SHADOWING = b"""package p

var x = 0

func f() {
	use(x)
	x := 1
	{
		use(x)
		x := 2
		use(x)
	}
	use(x)
}
"""


def test_nested_blocks_shadow_in_order() -> None:
    tree = parse(SHADOWING)
    assert resolves_to(tree, "x", 1, declaration=0)  # before the local: package var
    assert resolves_to(tree, "x", 3, declaration=2)  # inner block, before its own x
    assert resolves_to(tree, "x", 5, declaration=4)
    assert resolves_to(tree, "x", 6, declaration=2)  # the inner x's scope ended
    assert is_package_level(at(tree, "x", 1))
    assert not is_package_level(at(tree, "x", 6))
    package_x = resolve(at(tree, "x", 0))
    assert package_x == Declaration("x", "var", package_x.start, package_x.end, True)  # type: ignore[union-attr]


def test_short_declaration_right_side_refers_to_outer() -> None:
    tree = parse(b"package p\n\nfunc f(x int) {\n\tif true {\n\t\tx := x + 1\n\t\tuse(x)\n\t}\n}\n")
    assert resolves_to(tree, "x", 1, declaration=1)  # the declaring x is itself
    assert resolves_to(tree, "x", 2, declaration=0)  # right-hand x: the parameter
    assert resolves_to(tree, "x", 3, declaration=1)
    assert resolve(at(tree, "x", 0)).kind == "param"  # type: ignore[union-attr]


def test_redeclaration_with_short_var_reuses_the_variable() -> None:
    source = b"""package p

func f() (err error) {
	a, err := g()
	b, err := g()
	use(a, b)
	return err
}
"""
    tree = parse(source)
    for use in (1, 2, 3):
        assert resolves_to(tree, "err", use, declaration=0)  # the named result
    assert resolve(at(tree, "b")).kind == "var"  # type: ignore[union-attr]


def test_if_and_for_init_variables_are_scoped_to_the_statement() -> None:
    source = b"""package p

func f() {
	if v := g(); v > 0 {
		use(v)
	} else if w := v; w > 1 {
		use(v, w)
	}
	use(v)
	for i := 0; i < 3; i++ {
		use(i)
	}
	use(i)
	switch s := g(); s {
	case 1:
		use(s)
	}
}
"""
    tree = parse(source)
    for use in (1, 2, 3, 4):
        assert resolves_to(tree, "v", use, declaration=0)
    assert resolves_to(tree, "w", 2, declaration=0)
    assert resolves_to(tree, "v", 5, declaration=None)
    for use in (1, 2, 3):
        assert resolves_to(tree, "i", use, declaration=0)
    assert resolves_to(tree, "i", 4, declaration=None)
    assert resolves_to(tree, "s", 2, declaration=0)


def test_params_results_and_receiver() -> None:
    source = b"""package p

type T struct{}

var name, n = 1, 2

func (t *T) M(name string, rest ...int) (n int) {
	use(t, name, rest)
	return n
}

func (T) N(context context.Context, url *url.URL) {}
"""
    tree = parse(source)
    assert resolves_to(tree, "name", 2, declaration=1)
    assert resolve(at(tree, "rest", 1)).kind == "param"  # type: ignore[union-attr]
    assert resolves_to(tree, "n", 2, declaration=1)
    assert resolves_to(tree, "t", 1, declaration=0)
    assert resolves_to(tree, "T", 1, declaration=0)  # receiver type: the package type
    # A parameter's scope is the body: in its own type the name is the package.
    assert resolve(at(tree, "context", 1)) is None
    assert resolves_to(tree, "url", 1, declaration=None)


def test_closures_see_outer_names_but_not_their_own_declaration() -> None:
    source = b"""package p

func f(x int) {
	g := func(y int) {
		use(x, y)
		g()
	}
	use(y, g)
}
"""
    tree = parse(source)
    assert resolves_to(tree, "x", 1, declaration=0)
    assert resolves_to(tree, "y", 1, declaration=0)
    assert resolves_to(tree, "g", 1, declaration=None)  # g is in scope after its statement
    assert resolves_to(tree, "y", 2, declaration=None)
    assert resolves_to(tree, "g", 2, declaration=0)


def test_range_variables() -> None:
    source = b"""package p

func f(v []int, m map[int]int) {
	for k, v := range v {
		use(k, v)
	}
	var k int
	for k = range m {
	}
	use(k)
}
"""
    tree = parse(source)
    assert resolves_to(tree, "v", 2, declaration=0)  # the range expression: outer v
    assert resolves_to(tree, "v", 3, declaration=1)
    assert resolves_to(tree, "k", 1, declaration=0)
    assert resolves_to(tree, "k", 3, declaration=2)  # `for k = range` assigns, declares nothing
    assert resolves_to(tree, "k", 4, declaration=2)


def test_type_switch_binding_and_select_case() -> None:
    source = b"""package p

func f(v any, ch chan int) {
	switch v := v.(type) {
	case int:
		use(v)
	default:
		use(v)
	}
	select {
	case got, ok := <-ch:
		use(got, ok)
	case ch <- 1:
		use(got)
	}
}
"""
    tree = parse(source)
    assert resolves_to(tree, "v", 2, declaration=0)  # switched-on value: the parameter
    assert resolves_to(tree, "v", 3, declaration=1)
    assert resolves_to(tree, "v", 4, declaration=1)
    assert resolves_to(tree, "got", 1, declaration=0)
    assert resolves_to(tree, "ok", 1, declaration=0)
    assert resolves_to(tree, "got", 2, declaration=None)


def test_labels_are_function_scoped() -> None:
    source = b"""package p

func f() {
	goto done
outer:
	for {
		for {
			continue outer
		}
		func() {
			goto outer
		}()
		break outer
	}
done:
}
"""
    tree = parse(source)
    label = resolve(at(tree, "outer", 0))
    assert label is not None and label.kind == "label"
    assert resolves_to(tree, "outer", 1, declaration=0)
    assert resolves_to(tree, "outer", 2, declaration=None)  # another function
    assert resolves_to(tree, "outer", 3, declaration=0)
    assert resolves_to(tree, "done", 0, declaration=1)  # labels are visible before them
    assert [n.start_byte for n in references(tree, label)] == [at(tree, "outer", i).start_byte for i in (0, 1, 3)]


def test_types_and_type_parameters() -> None:
    source = b"""package p

type List[T any] struct {
	next *List[T]
	val  T
}

func Map[S, D any](xs []S, f func(S) D) []D { return nil }

func (l *List[E]) Each(f func(E)) {}

func g() {
	type local int
	var v local
	use(v)
}
"""
    tree = parse(source)
    assert resolves_to(tree, "List", 1, declaration=0)
    assert resolves_to(tree, "T", 1, declaration=0)
    assert resolve(at(tree, "T", 0)).kind == "typeparam"  # type: ignore[union-attr]
    assert resolves_to(tree, "S", 1, declaration=0)
    assert resolves_to(tree, "D", 2, declaration=0)
    assert resolves_to(tree, "E", 1, declaration=0)  # receiver type parameter
    assert resolves_to(tree, "local", 1, declaration=0)
    assert resolve(at(tree, "any")) is None  # predeclared


def test_selectors_fields_and_function_type_parameters_do_not_resolve() -> None:
    source = b"""package p

import "time"

var x, Duration int

type S struct{ x int }

var h func(x int)

func f(s S) time.Duration { return s.x }
"""
    tree = parse(source)
    assert resolve(at(tree, "x", 1)) is None  # struct field
    assert resolve(at(tree, "x", 2)) is None  # parameter name of a function type
    assert resolve(at(tree, "x", 3)) is None  # selector
    assert resolve(at(tree, "Duration", 1)) is None  # after the dot of time.Duration
    time_import = resolve(at(tree, "time", 1))
    assert time_import is not None and time_import.kind == "import" and time_import.package_level


def test_package_level_names() -> None:
    source = b"""package p

import (
	"fmt"
	str "strings"
	. "math"
	_ "embed"
	yaml "gopkg.in/yaml.v3"
	"github.com/x/go-thing/v2"
)

func F() {}
func (T) Method() {}

type (
	T struct{}
	A = int
)

var a, b = 1, 2
var (
	c int
	d = 3
)

const (
	e = iota
	g
)
"""
    names = package_level_names(parse(source))
    assert names == {"fmt", "str", "yaml", "thing", "F", "T", "A", "a", "b", "c", "d", "e", "g"}


FILE_LEVEL = b"""package p

import (
	"fmt"
	x "strings"
)

func x() {}
func (T) F() {}
func F() { var a int; _ = a }

type T struct{ a int }

var a, \xff = 1, 2
const (
	T2 = iota
	a2
)
var fmt = 3
"""


def test_file_level_declarations_are_package_declarations_by_name() -> None:
    """The resolver's file table answers as the list of file-level declarations filtered by name, in order
    (imports, funcs, types, vars and consts; methods and locals are not file level; a name that is not UTF-8)."""
    root = parse(FILE_LEVEL).root_node
    resolver = Resolver()
    declarations = package_declarations(root)
    for name in sorted({d.name for d in declarations} | {"a", "F", "missing", "\ufffd"}):
        assert resolver.file_level(root, name) == [d for d in declarations if d.name == name], name
    assert [d.kind for d in resolver.file_level(root, "fmt")] == ["import", "var"]
    assert [d.kind for d in resolver.file_level(root, "x")] == ["import", "func"]


VISIBILITY = b"""package p

var top int

func f(param int) (result int) {
	early := 1
	{
		hidden := 2
		use(hidden)
	}
	go func(inner int) {
		lit := inner
		use(lit)
	}(early)
	marker()
	late := 3
lbl:
	for i := range late {
		switch t := any(i).(type) {
		default:
			use(t)
		}
	}
	select {
	case got := <-ch:
		use(got)
	}
	goto lbl
}
"""


def test_visible_names_at_a_statement() -> None:
    tree = parse(VISIBILITY)
    statement = at(tree, "marker").parent.parent  # type: ignore[union-attr]
    assert statement is not None and statement.type == "expression_statement"
    names = visible_names(statement)
    assert {"top", "f", "param", "result", "early"} <= names
    assert not names & {"hidden", "inner", "lit", "late", "i", "t", "got", "lbl"}


def test_declared_in_function_covers_every_nested_declaration() -> None:
    tree = parse(VISIBILITY)
    names = declared_in_function(at(tree, "marker"))
    assert names == {
        "param",
        "result",
        "early",
        "hidden",
        "inner",
        "lit",
        "late",
        "lbl",
        "i",
        "t",
        "got",
    }
    assert declared_in_function(at(tree, "top")) == set()


def test_fresh_name_avoids_every_possible_clash() -> None:
    tree = parse(VISIBILITY)
    marker = at(tree, "marker")
    assert fresh_name("wg", marker) == "wg"
    assert fresh_name("late", marker) == "late2"  # declared later in the function
    assert fresh_name("lit", marker) == "lit2"  # declared in a nested literal
    assert fresh_name("top", marker) == "top2"  # package level
    assert fresh_name("ch", marker) == "ch2"  # used (declared in another file)
    assert fresh_name("wg", marker, taken={"wg", "wg2"}) == "wg3"
    assert fresh_name("len", marker) == "len2"
    assert fresh_name("type", marker) == "type2"
    # At package level only package-level names and `taken` count.
    assert fresh_name("late", at(tree, "top")) == "late"
    assert fresh_name("f", at(tree, "top"), taken={"f2"}) == "f3"


def test_references_follow_shadowing() -> None:
    tree = parse(SHADOWING)
    outer = resolve(at(tree, "x", 2))
    assert outer is not None and not outer.package_level
    found = references(tree, outer)
    assert [n.start_byte for n in found] == [at(tree, "x", i).start_byte for i in (2, 3, 6)]
    body = at(tree, "f").parent.child_by_field_name("body")  # type: ignore[union-attr]
    package_x = resolve(at(tree, "x", 0))
    assert package_x is not None
    assert [n.start_byte for n in references(body, package_x)] == [at(tree, "x", 1).start_byte]


def test_shadowed_predeclared_names() -> None:
    tree = parse(b"package p\n\nfunc f() {\n\tnil := 1\n\tuse(nil)\n}\n\nvar z = nil\n")
    assert resolves_to(tree, "nil", 1, declaration=0)
    assert resolves_to(tree, "nil", 2, declaration=None)


def test_deeply_nested_code_needs_no_recursion() -> None:
    depth = 1100  # deeper than Python's default recursion limit
    body = "{\n" * depth + "use(v)\n" + "}\n" * depth
    tree = parse(f"package p\n\nfunc f(v int) {{\n{body}}}\n".encode())
    assert resolves_to(tree, "v", 1, declaration=0)
    assert fresh_name("v", at(tree, "v", 1)) == "v2"
    assert sum(1 for _ in walk(tree.root_node)) > depth


# --- cross-check against go/parser's own in-file resolution -------------------

RESOLVER_GO = """package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
)

// For every identifier: "path<TAB>offset<TAB>declaring offset or -1".
func main() {
	for _, path := range os.Args[1:] {
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			continue
		}
		var idents []*ast.Ident
		ast.Inspect(file, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				idents = append(idents, id)
			}
			return true
		})
		first := map[*ast.Object]int{}
		for _, id := range idents {
			if id.Obj == nil {
				continue
			}
			if _, seen := first[id.Obj]; seen {
				continue
			}
			if d, ok := id.Obj.Decl.(ast.Node); ok && (id.Pos() < d.Pos() || id.Pos() >= d.End()) {
				continue
			}
			first[id.Obj] = fset.Position(id.Pos()).Offset
		}
		for _, id := range idents {
			decl := -1
			if off, ok := first[id.Obj]; ok && id.Obj != nil {
				decl = off
			}
			fmt.Printf("%s\\t%d\\t%d\\n", path, fset.Position(id.Pos()).Offset, decl)
		}
	}
}
"""

SAMPLE_PACKAGES = ("sort", "bufio", "strings", "text/template", "encoding/json", "net/url", "sync")


def _agrees(tree: Tree, resolver: Resolver, use: int, theirs: int) -> bool:
    source = tree.root_node.text or b""
    match = re.compile(rb"[\w\x80-\xff]+").match(source, use)
    node = tree.root_node.named_descendant_for_byte_range(use, match.end()) if match else None
    if node is None:
        return True
    decl = resolver.resolve(node)
    ours = decl.start if decl else -1
    if ours == theirs:
        return True
    if theirs == -1 and decl is not None:
        # go/parser leaves imports, init, receiver type parameters and
        # composite-literal keys unresolved.
        return decl.kind in ("import", "typeparam") or decl.name == "init" or node.parent.type == "literal_element"
    # go/parser declares fields, `_` and parameters of function types; we do not.
    return theirs == use and decl is None


@pytest.mark.slow
def test_resolution_agrees_with_go_parser_on_the_standard_library(tmp_path: Path) -> None:
    goroot = require_go().goroot
    files = sorted(str(path) for package in SAMPLE_PACKAGES for path in (goroot / "src" / package).glob("*.go"))
    (tmp_path / "main.go").write_text(RESOLVER_GO)
    env = {**os.environ, "GOTOOLCHAIN": "local", "GOPROXY": "off", "GOFLAGS": "-mod=mod"}
    binary = tmp_path / "resolver"
    subprocess.run([require_go().go, "build", "-o", str(binary), "main.go"], cwd=tmp_path, env=env, check=True)
    output = subprocess.run([str(binary), *files], capture_output=True, text=True, check=True).stdout
    expected: dict[str, list[tuple[int, int]]] = {}
    for line in output.splitlines():
        path, use, decl = line.split("\t")
        expected.setdefault(path, []).append((int(use), int(decl)))
    checked, disagreements = 0, []
    for path, pairs in expected.items():
        tree = parse(Path(path).read_bytes())
        resolver = Resolver()
        for use, theirs in pairs:
            checked += 1
            if not _agrees(tree, resolver, use, theirs):
                disagreements.append(f"{path}@{use}: go/parser says {theirs}")
    assert checked > 20000
    assert disagreements == []


@pytest.mark.parametrize("word", ["x", "y"])
def test_resolve_is_stable_across_resolvers(word: str) -> None:
    tree = parse(b"package p\n\nfunc f(x int) {\n\ty := x\n\tuse(x, y)\n}\n")
    shared = Resolver()
    for node in walk(tree.root_node):
        if node.type == "identifier" and node.text == word.encode():
            assert shared.resolve(node) == resolve(node)


def test_one_resolver_per_tree_is_shared_by_every_context_until_the_package_is_released() -> None:
    tree = parse(b"package p\n\nvar x int\n\nfunc f() int { return x }\n")
    first, second = MatchContext(b"", tree.root_node), MatchContext(b"", tree.root_node)
    ident = tree.root_node.named_children[-1]
    assert first.memo is not second.memo and first.resolver_for(ident) is second.resolver_for(tree.root_node)
    other = parse(b"package p\n")
    assert first.resolver_for(other.root_node) is not first.resolver_for(ident)
    shared = first.resolver_for(ident)
    memory.release()
    assert first.resolver_for(ident) is not shared


def test_statement_lists_skip_only_statements_that_declare_nothing(goroot: Path) -> None:
    """A block's declarations are read from the statements that can declare (``_DECLARING_STATEMENTS``),
    and a body's parameter names from the signature's parameter lists: the same as asking every
    statement and every signature binding, on standard library files."""
    every_kind = b"package p\nfunc f(a int) (r int) {\n\tx := 1\n\tvar v int\n\tconst c = 2\n\ttype t int\nl:\n\ty := 3\n\t{ z := 4 }\n}\n"
    sources = [("every kind", every_kind)]
    for package in ("sync", "net/http", "go/types", "cmd/compile/internal/ssa"):
        sources += [(path, path.read_bytes()) for path in sorted((goroot / "src" / package).glob("*.go"))[:30]]
    checked, declaring = 0, set()
    for path, data in sources:
        for node in walk(parse(data).root_node):
            if node.type == "statement_list":
                for statement in node.named_children:
                    if statement.type not in go_scope._DECLARING_STATEMENTS:
                        assert list(go_scope._statement_bindings(statement)) == [], (path, statement.type)
                        checked += 1
                    elif list(go_scope._statement_bindings(statement)):
                        declaring.add(statement.type)
            elif node.type in ("function_declaration", "method_declaration", "func_literal"):
                names = {
                    name.text.decode() if name.text else ""
                    for field in ("receiver", "parameters", "result")
                    for name in go_scope._parameter_names(node.child_by_field_name(field))
                }
                params = {b.decl.name for b in go_scope._signature_bindings(node) if b.decl.kind == "param"}
                assert names == params, path
    assert declaring == go_scope._DECLARING_STATEMENTS  # each kind kept does declare, in the sample at least
    assert checked > 1000
