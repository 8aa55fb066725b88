"""The mutex-to-rwmutex recipe: its field rule keys, and the rewrite compiled and raced by Go.

Unit tests cover ``field-uses`` / ``field-declarations`` (codemod/rules/extensions/fields.py):
sites across the files of a package, owners told apart by the receiver's type,
unknown owners related to every field of the name, quantifiers, compile
errors and the cycle guard. The end-to-end test applies the recipe to a small
module with ``codemod.engine.core.run_package``, writes the files, then requires
``go build``, ``go vet`` and a concurrent ``go test -race`` to pass.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from codemod.engine.core import run_package
from codemod.golang.lexer import may_declare_field
from codemod.model import Status
from codemod.recipes.load import load_recipe_text, load_recipes
from codemod.rules.compile import compile_rule
from codemod.rules.core import MatchContext, RuleError
from codemod.rules.extensions.fieldsites import file_sites
from codemod.syntax.tree import parse


def _go(text: str) -> bytes:
    return textwrap.dedent(text).lstrip("\n").encode()


def _finder(rule_yaml: str, package: dict[str, bytes]) -> list[str]:
    """Run a report-only recipe over a package; return 'file:line' of every match."""
    rule = textwrap.indent(textwrap.dedent(rule_yaml), "  ")
    recipes = load_recipe_text(f"id: probe\ndescription: probe\nrule:\n{rule}")
    results = run_package(package, recipes, format_with_gofmt=False)
    return [f"{result.path}:{finding.start.line}" for result in results for finding in result.findings]


STORE = _go(
    """
    package p

    import "sync"

    type store struct {
    	mu sync.Mutex
    	n  int
    }

    type other struct {
    	mu *sync.Mutex
    }

    func (s *store) get() int {
    	s.mu.Lock()
    	defer s.mu.Unlock()
    	return s.n
    }
    """
)
USES = _go(
    """
    package p

    func (o *other) lock() { o.mu.Lock() }

    func anyOne(x interface{ unknown() }) {}

    func unknownOwner(s *store) {
    	t := pick(s)
    	t.mu.Lock()
    }

    func literal() store { return store{mu: sync.Mutex{}} }
    """
)


def test_field_uses_reach_other_files_and_skip_other_owners() -> None:
    found = _finder(
        """
        kind: field_declaration
        field-uses: {count: 4}
        """,
        {"a.go": STORE, "b.go": USES},
    )
    # store.mu: s.mu twice (a.go), t.mu (unknown owner) and the literal key (b.go); o.mu is other's.
    assert found == ["a.go:6"]


def test_field_uses_all_any_none_test_each_site_in_its_own_file() -> None:
    rule = """
        kind: field_declaration
        has: {field: name, regex: ^mu$}
        field-uses: {any: {kind: keyed_element}, none: {inside: {kind: unary_expression}}, all: {regex: "mu$|^mu"}}
        """
    assert _finder(rule, {"a.go": STORE, "b.go": USES}) == ["a.go:6"]
    assert _finder(rule, {"a.go": STORE}) == []  # without b.go there is no keyed element


def test_field_declarations_of_a_use_follow_its_owner() -> None:
    rule = """
        kind: selector_expression
        has: {field: field, regex: ^mu$}
        field-declarations: {count: 1, all: {has: {field: type, kind: qualified_type}}}
        """
    # s.mu in a.go is store's (one declaration, a value); o.mu is other's
    # (a pointer); t.mu may be either (two declarations).
    assert _finder(rule, {"a.go": STORE, "b.go": USES}) == ["a.go:15", "a.go:16"]


def test_promoted_field_has_no_known_owner() -> None:
    source = _go(
        """
        package p

        type inner struct{ mu sync.Mutex }
        type outer struct {
        	inner
        	mu2 int
        }
        type alone struct{ mu int }

        func (o *outer) f() { o.mu.Lock() }
        """
    )
    rule = """
        kind: selector_expression
        field-declarations: {count: 2}
        """
    # o is an *outer, but outer does not declare mu itself: the use may be any mu.
    assert _finder(rule, {"a.go": source}) == ["a.go:10"]


def test_owner_from_var_short_declaration_new_and_literal() -> None:
    source = _go(
        """
        package p

        type a struct{ f int }
        type b struct{ f string }

        func g() {
        	var x a
        	y := &b{}
        	z := new(a)
        	w, v := b{}, 1
        	_, _, _, _, _ = x.f, y.f, z.f, w.f, v
        	_ = a{f: 1}
        }
        """
    )
    owned_by_a = """
        any: [{kind: selector_expression}, {kind: keyed_element}]
        field-declarations: {count: 1, all: {has: {field: type, regex: ^int$}}}
        """
    assert _finder(owned_by_a, {"a.go": source}) == ["a.go:11", "a.go:11", "a.go:12"]


def test_several_names_in_one_declaration() -> None:
    source = _go(
        """
        package p

        type t struct{ a, b int }

        func (x *t) f() int { return x.a + x.b }
        """
    )
    assert _finder("kind: field_declaration\nfield-uses: {count: 2}", {"a.go": source}) == ["a.go:3"]


def test_of_names_the_subject_and_bad_keys_are_located_errors() -> None:
    source = _go(
        """
        package p

        type t struct{ a int }

        func (x *t) f() int { return x.a }
        """
    )
    rule = """
        pattern: $R.$F
        field-declarations: {of: $F, count: 1}
        """
    assert _finder(rule, {"a.go": source}) == ["a.go:5"]
    for raw, message in (
        ({"field-uses": {"all": {"kind": "identifier"}, "bogus": 1}}, "unknown key 'bogus'"),
        ({"field-uses": {"of": "R"}}, "needs at least one of"),
        ({"field-uses": {"of": "R", "count": 1}}, "metavariable"),
        ({"field-declarations": {"count": {"least": 1}}}, "count must be"),
    ):
        with pytest.raises(RuleError) as error:
            compile_rule(raw)
        assert message in str(error.value)
        assert error.value.key_path[:2] == ("rule", next(iter(raw)))


def test_a_rule_that_asks_its_own_question_is_a_cycle() -> None:
    recipes = load_recipe_text(
        textwrap.dedent(
            """
            id: loop
            description: loop
            utils:
              again: {field-uses: {any: {matches: again}}}
            rule: {kind: field_declaration, matches: again}
            """
        )
    )
    source = _go("package p\n\ntype t struct{ a int }\n\nfunc (x *t) f() int { return x.a }\n")
    result = run_package({"a.go": source}, recipes)[0]
    assert result.status is Status.FAILED and "depends on itself" in (result.reason or "")


def test_file_sites_are_remembered_by_content_and_contexts_get_their_own_memo() -> None:
    first, second = parse(STORE).root_node, parse(STORE).root_node
    assert file_sites(first, "mu") is file_sites(second, "mu")
    assert file_sites(parse(USES).root_node, "mu") is not file_sites(first, "mu")
    assert file_sites(first, "n") is not file_sites(first, "mu")
    assert MatchContext(b"", first).memo is not MatchContext(b"", first).memo


def test_files_still_original_share_field_facts_with_the_same_results(monkeypatch) -> None:
    """Files still holding their original bytes see the same package, so they share
    one memo: field facts are computed once for the package, not once per file."""
    from codemod.engine.core import PackageView
    from codemod.rules.extensions.fields import FieldSitesRule

    reader = _go(
        """
        package p

        func (s *store) peek() int {
        	s.mu.Lock()
        	defer s.mu.Unlock()
        	return s.n
        }
        """
    )
    package = {
        "a.go": STORE,
        "b.go": reader,
        "c.go": reader.replace(b"peek", b"look"),
        "d.go": reader.replace(b"peek", b"seek"),
    }
    computed = 0
    holds = FieldSitesRule._holds

    def counting(self, sites):
        nonlocal computed
        computed += 1
        return holds(self, sites)

    monkeypatch.setattr(FieldSitesRule, "_holds", counting)
    recipes = load_recipes(["mutex-to-rwmutex"])
    shared = run_package(package, recipes, format_with_gofmt=False)
    shared_count, computed = computed, 0
    monkeypatch.setattr(PackageView, "original_memo", lambda self, recipe_id: {})
    alone = run_package(package, recipes, format_with_gofmt=False)
    assert shared == alone and [r.status for r in shared] == [Status.CHANGED] * 4
    assert 0 < shared_count < computed / 2, (shared_count, computed)


# --- what counts as a read-only critical section -----------------------------------

SECTION = """
package p

import (
\t"strings"
\t"sync"
)

type t struct {
\tmu   sync.Mutex
\tname string
\tm    map[string]int
\tch   chan int
\tlast int
}

func (x *t) write() {
\tx.mu.Lock()
\tx.last++
\tx.mu.Unlock()
}

func (x *t) read(k string) (n int) {
\tx.mu.Lock()
\tdefer x.mu.Unlock()
BODY
\treturn n
}
"""


@pytest.mark.parametrize(
    "body,read_only",
    [
        ("\tn = x.m[k] + len(x.name)", True),
        ("\tfor key, v := range x.m {\n\t\tif strings.HasPrefix(key, k) {\n\t\t\tn += v\n\t\t}\n\t}", True),
        ("\tselect {\n\tcase v := <-x.ch:\n\t\tn = v\n\tdefault:\n\t}", True),
        ("\tx.last = n", False),
        ("\tfor _, x.last = range x.m {\n\t}", False),
        ("\tselect {\n\tcase x.last = <-x.ch:\n\tdefault:\n\t}", False),
        ("\tx.ch <- 1", False),
        ("\tdelete(x.m, k)", False),
        ("\tn = x.count()", False),
        ("\tstrings := x\n\tn = strings.ToUpper()", False),
        ("\tgo func() {}()", False),
        ("\tf := func() { n++ }\n\t_ = f", False),
        ("\tp := &x.last\n\t*p = 0", False),
    ],
)
def test_read_only_sections(body: str, read_only: bool) -> None:
    source = SECTION.replace("BODY", body).lstrip("\n").encode()
    result = run_package({"a.go": source}, load_recipes(["mutex-to-rwmutex"]), format_with_gofmt=False)[0]
    assert result.status is (Status.CHANGED if read_only else Status.UNCHANGED), result.reason
    if read_only:
        assert b"defer x.mu.RUnlock()" in result.new_source and b"x.last++\n\tx.mu.Unlock()" in result.new_source


# --- the recipe end to end ---------------------------------------------------------

MODULE = {
    "go.mod": "module example.com/registry\n\ngo 1.22\n",
    "registry.go": """
        package registry

        import "sync"

        // Registry maps names to addresses.
        type Registry struct {
        	mu    sync.Mutex // guards addrs
        	addrs map[string]string
        }

        func New() *Registry { return &Registry{addrs: map[string]string{}} }

        func (r *Registry) Register(name, addr string) {
        	r.mu.Lock()
        	defer r.mu.Unlock()
        	r.addrs[name] = addr
        }
        """,
    "lookup.go": """
        package registry

        // Lookup only reads: it becomes an RLock section.
        func (r *Registry) Lookup(name string) (string, bool) {
        	r.mu.Lock()
        	defer r.mu.Unlock()
        	addr, ok := r.addrs[name]
        	return addr, ok
        }

        // Len leaves early through an Unlock right before a return.
        func (r *Registry) Len() int {
        	r.mu.Lock()
        	if r.addrs == nil {
        		r.mu.Unlock()
        		return 0
        	}
        	n := len(r.addrs)
        	r.mu.Unlock()
        	return n
        }
        """,
    "registry_test.go": """
        package registry

        import (
        	"fmt"
        	"sync"
        	"testing"
        )

        func TestConcurrentReadersAndWriters(t *testing.T) {
        	r := New()
        	var wg sync.WaitGroup
        	for i := 0; i < 8; i++ {
        		wg.Add(2)
        		go func(i int) {
        			defer wg.Done()
        			for j := 0; j < 200; j++ {
        				r.Register(fmt.Sprint(i, j), "addr")
        			}
        		}(i)
        		go func(i int) {
        			defer wg.Done()
        			for j := 0; j < 200; j++ {
        				r.Lookup(fmt.Sprint(i, j))
        				r.Len()
        			}
        		}(i)
        	}
        	wg.Wait()
        	if got := r.Len(); got != 8*200 {
        		t.Fatalf("Len() = %d, want %d", got, 8*200)
        	}
        }
        """,
}


def _go_tool(module: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GOTOOLCHAIN": "local", "GOPROXY": "off", "GOFLAGS": "-mod=mod"}
    return subprocess.run(["go", *args], cwd=module, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
@pytest.mark.usefixtures("go_toolchain")
@pytest.mark.skipif(shutil.which("go") is None, reason="needs the go toolchain")
def test_rewritten_module_builds_vets_and_passes_the_race_detector(tmp_path) -> None:
    for name, text in MODULE.items():
        (tmp_path / name).write_text(textwrap.dedent(text).lstrip("\n"))
    files = {str(path): path.read_bytes() for path in sorted(tmp_path.glob("*.go"))}
    results = {Path(r.path).name: r for r in run_package(files, load_recipes(["mutex-to-rwmutex"]))}
    assert {name for name, r in results.items() if r.status is Status.CHANGED} == {"registry.go", "lookup.go"}
    for result in results.values():
        assert not result.findings
        if result.new_source is not None:
            Path(result.path).write_bytes(result.new_source)

    registry, lookup = (tmp_path / "registry.go").read_text(), (tmp_path / "lookup.go").read_text()
    assert "mu    sync.RWMutex // guards addrs" in registry
    assert registry.count("r.mu.Lock()") == 1 and "defer r.mu.Unlock()" in registry  # Register writes
    assert lookup.count("r.mu.RLock()") == 2 and lookup.count("r.mu.RUnlock()") == 3
    assert "r.mu.Lock()" not in lookup and "r.mu.Unlock()" not in lookup

    for command in (["build", "./..."], ["vet", "./..."], ["test", "-race", "-count=1", "./..."]):
        done = _go_tool(tmp_path, *command)
        assert done.returncode == 0, f"go {' '.join(command)} failed:\n{done.stdout}{done.stderr}"

    # The test has teeth: a read lock around Register's write is caught.
    racy = registry.replace("r.mu.Lock()", "r.mu.RLock()").replace("r.mu.Unlock()", "r.mu.RUnlock()")
    (tmp_path / "registry.go").write_text(racy)
    assert _go_tool(tmp_path, "test", "-race", "-count=1", "./...").returncode != 0


@pytest.mark.parametrize(
    "source, expected",
    [
        ("func f(s *S) { s.mu.Lock() }", True),
        ("func f(s *S) { s.\n\tmu.Lock() }", True),
        ("type S struct {\n\tmu sync.Mutex\n}", True),
        ("type S struct{ mu sync.Mutex }", True),
        ("type S struct {\n\ta, mu sync.Mutex\n}", True),
        ("var s = S{mu: sync.Mutex{}}", True),
        ("var s = S{\n\tmu : sync.Mutex{},\n}", True),
        ("type S struct {\n\t/* guard */ mu sync.Mutex\n}", True),
        ("// mu guards the map.\nvar m map[string]int", False),
        ('var s = "mu"', False),
        ("func f(mu *sync.Mutex) { g(mu) }", False),
        ("func f() { x := mu; _ = x }", False),
        ("var smu, mux int", False),
    ],
)
def test_only_files_that_may_hold_a_field_site_are_parsed_for_field_facts(source: str, expected: bool) -> None:
    from codemod.golang.lexer import may_hold_field_site

    assert may_hold_field_site(f"package p\n{source}\n".encode(), b"mu") is expected


@pytest.mark.usefixtures("go_toolchain")
def test_sites_found_from_the_name_are_the_sites_a_walk_over_every_node_finds() -> None:
    """Differential check on real files: file_sites (a byte search for the name, each
    hit looked up in the tree) against a walk over every selector, keyed element and
    field declaration of the file, for every name such a site has."""
    from codemod.pattern.matcher import nodes_of_kinds
    from codemod.rules.extensions.fieldsites import declaring_owner, field_names

    goroot = Path(subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip())
    checked = 0
    for path in sorted((goroot / "src" / "sync").glob("*.go")) + sorted(
        (goroot / "src" / "net" / "http").glob("s*.go")
    ):
        root = parse(path.read_bytes()).root_node
        walked: dict[str, list[tuple]] = {}
        for node in nodes_of_kinds(root, frozenset({"selector_expression", "keyed_element", "field_declaration"})):
            for name in field_names(node):
                owner = declaring_owner(node) if node.type == "field_declaration" else None
                walked.setdefault(name, []).append((node.start_byte, node.end_byte, node.type, owner))
        for name, expected in walked.items():
            sites = file_sites(root, name)
            got = [(e.start, e.end, e.node_kind, e.declaring_owner) for e in sites.uses + sites.declarations]
            assert sorted(got) == sorted(expected), (path.name, name)
            assert sites.owners == {owner for *_, owner in expected if owner is not None}
            checked += 1
    assert checked > 500


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("type T struct {\n\tmu sync.Mutex\n}", True),
        ("type T struct { a, mu int }", True),
        ("type T struct { mu, b int }", True),
        ("type T struct { x int; mu [4]int }", True),
        ("type T struct {\n\tmu (int)\n}", True),  # a parenthesised type
        ("type T struct {\n\t/* c */ mu int\n}", True),
        ("func f(t *T) { t.mu.Lock() }", False),  # a use
        ("var t = T{\n\tmu: m,\n}", False),  # a key
        ("func f() {\n\tmu := 1\n\t_ = mu\n}", False),  # `:=` and `=` never follow a field name
        ("type T struct {\n\tsync.Mutex\n\tmu\n}", False),  # embedded: no declared name
    ],
)
def test_only_files_that_may_declare_a_field_are_parsed_for_its_declarations(source: str, expected: bool) -> None:
    assert may_declare_field(f"package p\n{source}\n".encode(), b"mu") is expected


def test_every_field_the_parser_declares_is_admitted_by_the_byte_check(goroot: Path) -> None:
    """The check may admit too much, never too little: every field name the parser
    finds declared in a file passes it (sync, net/http, go/ast, go/types, runtime)."""
    checked = 0
    for package in ("sync", "net/http", "go/ast", "go/types", "runtime"):
        for path in sorted((goroot / "src" / package).glob("*.go")):
            data = path.read_bytes()
            stack = [parse(data).root_node]
            while stack:
                node = stack.pop()
                if node.type == "field_declaration":
                    for name in node.children_by_field_name("name"):
                        checked += 1
                        assert may_declare_field(data, name.text or b""), (path.name, name.text)
                stack.extend(node.children)
    assert checked > 1000
