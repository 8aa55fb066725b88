"""Package-level variable names read without parsing, and the prefilter that asks the package about them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from gotoolchain import require_go

from codemod.engine.core import run_file, run_package
from codemod.golang import scope
from codemod.golang.lexer import PackageVarOracle, package_groups, package_level_names, package_var_names
from codemod.prefilter.requirements import Prefilter
from codemod.recipes.load import load_recipe_text, load_recipes
from codemod.syntax.tree import parse


@pytest.mark.parametrize(
    "source, declared",
    [
        ("var x int\nvar (\n\ta, b = 1, 2\n\tc map[string]int\n\t/* c */ d int\n)", {"x", "a", "b", "c", "d"}),
        ("var /* c */ x, /* d */ y int", {"x", "y"}),
        ("var\nx int", {"x"}),
        ("var (x int)", {"x"}),
        ("var a,\n\tb int", {"a", "b"}),
        ('var s = "var z"\nvar r = `\nvar q`', {"s", "r"}),
        ("var (\n\tx = f(\n\t\ty,\n\t)\n\tz = []int{\n\t\tw,\n\t}\n\tv struct{ a int }\n)", {"x", "z", "v"}),
        ("/* c */ var x int", {"x"}),
        ('func f() { s := "{" }\nvar y int', {"y"}),
        ("func f() { var (inner = 1); x := 2 }", set()),
        ("func f() {\n\tvar local int\n\tif local == 0 { var deeper int }\n}", set()),
    ],
)
def test_top_level_var_names_are_found_and_local_ones_are_not(source: str, declared: set[str]) -> None:
    found = package_var_names(f"package p\n{source}\n".encode())
    assert found is not None
    assert {name.encode() for name in declared} <= found
    assert not found & {b"inner", b"local", b"deeper", b"q", b"z"} - {name.encode() for name in declared}


@pytest.mark.parametrize(
    "source", ['var x = "never closed\n', "var x = `never closed\n", "/* never closed\nvar x int\n"]
)
def test_text_the_lexer_cannot_follow_means_any_name(source: str) -> None:
    assert package_var_names(f"package p\n{source}".encode()) is None


def _goroot_src() -> Path:
    return require_go().src


LEXERS = {  # what each lexer reads: the declarations tree-sitter sees of these kinds must be among its names
    "var": (package_var_names, {"var"}),
    "all": (package_level_names, {"var", "const", "type", "func"}),
}


@pytest.mark.slow
@pytest.mark.parametrize("lexer", sorted(LEXERS))
@pytest.mark.parametrize("package", ["net/http", "runtime", "go/types", "cmd/compile/internal/ssa"])
def test_every_package_level_declaration_tree_sitter_sees_is_among_the_names(package: str, lexer: str) -> None:
    names_of, kinds = LEXERS[lexer]
    checked = 0
    for path in sorted((_goroot_src() / package).glob("*.go")):
        data = path.read_bytes()
        found = names_of(data)
        if found is None:
            continue
        declared = {d.name.encode() for d in scope.package_declarations(parse(data).root_node) if d.kind in kinds}
        assert declared <= found, f"{path.name}: {sorted(declared - found)[:5]}"
        checked += len(declared)
    assert checked > 0


def test_a_method_or_a_nested_declaration_declares_no_package_level_name() -> None:
    source = b"package p\n\nfunc (r *T) M() {\n\tconst local = 1\n\ttype inner int\n}\n\ntype (\n\tA struct{ f int }\n\tB = A\n)\n\nfunc F[T any]() {}\n"
    assert package_level_names(source) == {b"A", b"B", b"F"}
    assert package_level_names(source, (b"var",)) == frozenset()


LAZY = textwrap.dedent(
    """
    id: lazy
    description: d
    rule:
      pattern: "if $V == nil { $$$BODY }"
      declared: {of: $V, scope: package, kind: var}
    """
)


def test_a_file_whose_candidates_no_file_declares_as_package_vars_is_not_admitted() -> None:
    (recipe,) = load_recipe_text(LAZY)
    prefilter = Prefilter.from_recipes([recipe])
    user = b"package p\n\nfunc f() {\n\tif cache == nil {\n\t\tcache = load()\n\t}\n}\n"
    local = {"a.go": user, "b.go": b"package p\n\nfunc g() {\n\tvar cache map[string]int\n\t_ = cache\n}\n"}
    elsewhere = {"a.go": user, "b.go": b"package p\n\nvar cache map[string]int\n"}
    assert not prefilter.may_match(user, PackageVarOracle(local))
    assert prefilter.may_match(user, PackageVarOracle(elsewhere))
    assert prefilter.may_match(user)  # without the package at hand: the shape alone decides
    assert run_package(elsewhere, [recipe])[0].findings
    assert not run_package(local, [recipe])[0].findings


def test_files_are_grouped_by_their_package_clause() -> None:
    files = {
        "a.go": b"// Package p.\n/* build */\npackage p\n",
        "a_test.go": b"package p\n",
        "x_test.go": b"//go:build linux\n\npackage p_test\n",
        "gen.go": b"//go:build ignore\n\npackage main\n",
        "broken.go": b"func f() {}\n",
    }
    groups = [sorted(group) for group in package_groups(files)]
    assert sorted(groups) == [["a.go", "a_test.go"], ["broken.go"], ["gen.go"], ["x_test.go"]]


def test_a_name_another_package_of_the_directory_declares_is_not_in_scope() -> None:
    """``p`` and its external tests ``p_test`` share a directory, not their names."""
    (recipe,) = load_recipe_text(LAZY)
    user = b"package p\n\nfunc f() {\n\tif cache == nil {\n\t\tcache = load()\n\t}\n}\n"
    external = {"a.go": user, "a_test.go": b"package p_test\n\nvar cache map[string]int\n"}
    internal = {"a.go": user, "a_test.go": b"package p\n\nvar cache map[string]int\n"}
    assert not run_package(external, [recipe])[0].findings
    assert run_package(internal, [recipe])[0].findings
    assert not run_file("a.go", user, [recipe], package_sources=external).findings  # the same for one file
    assert run_file("a.go", user, [recipe], package_sources=internal).findings
    any_recipe = next(r for r in load_recipes([]) if r.id == "interface-any")
    uses = {"a.go": b"package p\n\nvar x interface{}\n", "b_test.go": b"package p_test\n\ntype any = int\n"}
    assert run_package(uses, [any_recipe], format_with_gofmt=False)[0].changes  # p_test's `any` is not p's


def test_the_triage_lexes_each_package_apart_and_leaves_the_others_unsure() -> None:
    from codemod.prefilter.requirements import prefilter_for
    from codemod.run.executors import _triaged

    (recipe,) = load_recipe_text(LAZY)
    files = {
        "a.go": b"package p\n\nfunc f() {\n\tif cache == nil {\n\t\tcache = 1\n\t}\n}\n",
        "b.go": b"package p\n\nvar cache int\n",
        "c_test.go": b"package p_test\n\nvar other int\n",
    }
    admitted, (declaring, unsure) = _triaged(prefilter_for((recipe,)), files)
    assert admitted == {"a.go": frozenset({"lazy"}), "b.go": frozenset(), "c_test.go": frozenset()}
    assert declaring == {b"cache": {"b.go"}} and unsure == {"c_test.go"}  # p_test was never asked about


@pytest.mark.slow
def test_once_lazy_init_results_are_the_same_with_the_package_aware_prefilter() -> None:
    """Differential check on real packages: every file the recipe reports or changes is admitted."""
    recipe = next(r for r in load_recipes([]) if r.id == "once-lazy-init")
    checked = 0
    for package in ("cmd/asm/internal/arch", "net/http", "testing"):
        sources = {p.name: p.read_bytes() for p in sorted((_goroot_src() / package).glob("*.go"))}
        oracle = PackageVarOracle(sources)
        prefilter = Prefilter.from_recipes([recipe])
        results = run_package(sources, [recipe], format_with_gofmt=False)
        for result in results:
            if result.changes or result.findings:
                assert prefilter.may_match(sources[result.path], oracle), f"{package}/{result.path}"
                checked += 1
    assert checked >= 2  # cmd/asm's lazy initialisations, testing's cpuList


def test_an_oracle_given_what_lexing_found_does_not_lex_again(monkeypatch) -> None:
    """The run's triage lexes a package once; the engine, handed what it found
    (PackageTask.var_declarers), answers later passes without lexing again."""
    import codemod.golang.lexer as pkgnames

    sources = {"a.go": b"package p\n\nvar cache map[string]int\n", "b.go": b"package p\n\nfunc f() { _ = cache }\n"}
    triage = PackageVarOracle(sources)
    assert triage.known() is None and triage(b"cache")
    monkeypatch.setattr(pkgnames, "package_var_names", lambda data: pytest.fail("lexed again"))
    engine = PackageVarOracle(sources, triage.known())
    assert engine(b"cache") and not engine(b"cache", exclude="a.go") and not engine(b"other")
