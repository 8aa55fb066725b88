"""The literal prefilter: conservative on every golden case, selective where it can be."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

from codemod.engine.core import run_file
from codemod.pattern.matcher import nodes_of_kinds
from codemod.prefilter.requirements import KIND_KEYWORDS, Prefilter, Token, contains_token
from codemod.recipes.load import load_recipe_text, load_recipes
from codemod.run.recipetests import golden_cases
from codemod.syntax.tree import parse
from tests.helpers import go


def _recipe(yaml_text: str):
    (only,) = load_recipe_text(textwrap.dedent(yaml_text))
    return only


def _admits(recipe, source: str) -> bool:
    return recipe.id in Prefilter.from_recipes([recipe]).may_match(go(source).encode())


def _goroot_src() -> Path:
    root = subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip()
    return Path(root) / "src"


# -- conservative on the built-in recipes ---------------------------------------------------------


def test_every_golden_case_a_recipe_changes_or_reports_is_admitted() -> None:
    checked = 0
    for recipe in load_recipes([]):
        prefilter = Prefilter.from_recipes([recipe])
        for case in golden_cases(recipe.id):
            source = case.input_path.read_bytes()
            if case.expected != source or case.findings:
                assert recipe.id in prefilter.may_match(source), f"{recipe.id}/{case.name} was filtered out"
                checked += 1
        for index, example in enumerate(recipe.examples, 1):
            if example.after is not None and example.after != example.before:
                assert recipe.id in prefilter.may_match(example.before.encode()), f"{recipe.id}/example-{index}"
                checked += 1
    assert checked > 0


@pytest.mark.slow
@pytest.mark.usefixtures("go_toolchain")
def test_engine_results_are_the_same_with_and_without_the_prefilter(monkeypatch) -> None:
    """Differential check over golden inputs and real stdlib files, every built-in recipe at once."""
    recipes = load_recipes([])
    sources = {str(case.input_path): case.input_path.read_bytes() for r in recipes for case in golden_cases(r.id)}
    stdlib = sorted((_goroot_src() / "context").glob("*.go")) + sorted((_goroot_src() / "sync").glob("*.go"))
    sources.update({str(path): path.read_bytes() for path in stdlib[:30]})

    def outcome(path: str, data: bytes) -> tuple:
        result = run_file(path, data, recipes, format_with_gofmt=False)
        return result.new_source, result.changes, result.findings

    filtered = {path: outcome(path, data) for path, data in sources.items()}
    monkeypatch.setattr(
        Prefilter, "may_match", lambda self, data, package_vars=None: {rid for rid, _ in self.requirements}
    )
    unfiltered = {path: outcome(path, data) for path, data in sources.items()}
    assert filtered == unfiltered


# -- derivation on synthetic rules ----------------------------------------------------------------


def test_pattern_tokens_are_required() -> None:
    recipe = _recipe("""
        id: sleepy
        description: d
        rule: {pattern: "time.Sleep($D)"}
    """)
    assert _admits(recipe, "package p\nfunc f() { time.Sleep(1) }\n")
    assert not _admits(recipe, "package p\nfunc f() { time.Now() }\n")
    assert not _admits(recipe, "package p\n// Sleepy is a name, not a call\nfunc Sleepy() {}\n")


def test_any_is_the_or_of_its_alternatives() -> None:
    recipe = _recipe("""
        id: either
        description: d
        rule:
          any:
            - pattern: alpha($X)
            - pattern: beta.gamma($X)
    """)
    assert _admits(recipe, "package p\nvar _ = alpha(1)\n")
    assert _admits(recipe, "package p\nvar _ = beta.gamma(1)\n")
    assert not _admits(recipe, "package p\nvar _ = beta(1)\n")


def test_any_with_an_unconstrained_alternative_admits_everything() -> None:
    recipe = _recipe("""
        id: loose
        description: d
        rule:
          any:
            - pattern: alpha($X)
            - kind: call_expression
    """)
    assert _admits(recipe, "package p\nvar _ = f(1)\n")


def test_not_contributes_nothing() -> None:
    recipe = _recipe("""
        id: negated
        description: d
        rule:
          pattern: $F($$$)
          not: {pattern: "forbidden($$$)"}
    """)
    assert _admits(recipe, "package p\nvar _ = f(1)\n")
    only_not = _recipe("""
        id: only-not
        description: d
        rule: {kind: call_expression, not: {pattern: "forbidden()"}}
    """)
    assert _admits(only_not, "package p\nvar _ = f(1)\n")


def test_regex_literals_are_required_substrings() -> None:
    recipe = _recipe("""
        id: with-something
        description: d
        rule: {kind: identifier, regex: "^With(Cancel|Timeout)(Cause)?$"}
    """)
    assert _admits(recipe, "package p\nvar _ = context.WithTimeout\n")
    assert _admits(recipe, "package p\nvar _ = x.WithCancelCause\n")
    assert not _admits(recipe, "package p\nvar _ = context.WithValue\n")
    assert not _admits(recipe, "package p\nvar _ = Timeout\n")


def test_case_insensitive_or_optional_regexes_require_nothing() -> None:
    insensitive = _recipe("""
        id: ci
        description: d
        rule: {kind: identifier, regex: "(?i)^sleep$"}
    """)
    assert _admits(insensitive, "package p\nvar _ = SLEEP\n")
    optional = _recipe("""
        id: opt
        description: d
        rule: {kind: identifier, regex: "^(Sleep)?x$"}
    """)
    assert _admits(optional, "package p\nvar _ = x\n")


def test_metavariable_only_pattern_admits_everything() -> None:
    recipe = _recipe("""
        id: anything
        description: d
        rule: {pattern: $X}
    """)
    assert _admits(recipe, "package p\n")


def test_relations_and_utils_require_their_inner_tokens() -> None:
    recipe = _recipe("""
        id: related
        description: d
        utils:
          locked: {has: {pattern: mu.Lock(), stopBy: end}}
          spinning: {pattern: spin()}
        rule:
          pattern: counter++
          inside: {matches: locked, stopBy: end}
          follows: {matches: spinning}
    """)
    assert _admits(recipe, "package p\nfunc f() { mu.Lock(); spin(); counter++ }\n")
    assert not _admits(recipe, "package p\nfunc f() { mu.Lock(); counter++ }\n")
    assert not _admits(recipe, "package p\nfunc f() { spin(); counter++ }\n")


def test_a_recursive_util_requires_what_its_base_case_requires() -> None:
    """Every match of a recursive util ends in its non-recursive alternative: that one's tokens are required."""
    recipe = _recipe("""
        id: recursive
        description: d
        utils:
          nested: {any: [{pattern: spin()}, {has: {matches: nested}}]}
        rule: {kind: block, matches: nested}
    """)
    assert _admits(recipe, "package p\nfunc f() { if x { for { spin() } } }\n")
    assert run_file("p.go", go("package p\nfunc f() { if x { for { spin() } } }\n").encode(), [recipe]).findings
    assert not _admits(recipe, "package p\nfunc f() { if x { for { run() } } }\n")


def test_a_util_that_only_reaches_itself_terminates_and_admits_conservatively() -> None:
    recipe = _recipe("""
        id: endless
        description: d
        utils:
          loop: {any: [{has: {matches: loop}}, {inside: {matches: loop}}]}
        rule: {kind: block, matches: loop}
    """)
    assert _admits(recipe, "package p\nvar _ = []int{len(x)}\n")


def test_kinds_map_to_their_keyword() -> None:
    recipe = _recipe("""
        id: deferred
        description: d
        rule: {kind: defer_statement}
    """)
    assert _admits(recipe, "package p\nfunc f() { defer g() }\n")
    assert not _admits(recipe, "package p\n// deferred is not the keyword\nfunc f() { g() }\n")


def test_constraints_count_only_for_single_node_metavariables() -> None:
    single = _recipe("""
        id: single
        description: d
        rule: {pattern: "$P.$WITH($$$A)"}
        constraints: {WITH: {regex: "^WithDeadline$"}}
    """)
    assert _admits(single, "package p\nvar _ = context.WithDeadline(c, d)\n")
    assert not _admits(single, "package p\nvar _ = context.WithValue(c, k, v)\n")
    multi = _recipe("""
        id: multi
        description: d
        rule: {pattern: "f($$$ARGS)"}
        constraints: {ARGS: {regex: "^Zebra$"}}
    """)
    assert _admits(multi, "package p\nvar _ = f()\n")
    sometimes = _recipe("""
        id: sometimes
        description: d
        rule: {any: [{pattern: "$P.$WITH($$$A)"}, {pattern: "other()"}]}
        constraints: {WITH: {regex: "^WithDeadline$"}}
    """)
    assert _admits(sometimes, "package p\nvar _ = other()\n")  # this branch binds no WITH: no constraint applies


def test_word_tokens_need_token_boundaries_but_substrings_do_not() -> None:
    data = b"package p\n// goto golang\nvar cargo = 1\n"
    assert not contains_token(data, Token(b"go", True))
    assert contains_token(data, Token(b"go", False))
    assert contains_token(b"x := go_(1)\ngo f()\n", Token(b"go", True))
    assert contains_token(b"package p\nfunc f() {\n\tgo g()\n}", Token(b"go", True))


@pytest.mark.usefixtures("go_toolchain")
def test_every_kind_keyword_is_a_token_of_every_node_of_that_kind() -> None:
    files = (
        sorted((_goroot_src() / "sync").glob("*.go"))[:20] + sorted((_goroot_src() / "go" / "ast").glob("*.go"))[:10]
    )
    seen: set[str] = set()
    for path in files:
        root = parse(path.read_bytes()).root_node
        for node in nodes_of_kinds(root, frozenset(KIND_KEYWORDS)):
            keyword = KIND_KEYWORDS[node.type].decode()
            tokens = [child.type if not child.is_named else (child.text or b"").decode() for child in node.children]
            assert keyword in tokens or (node.text or b"").decode() == keyword, (path, node.type)
            seen.add(node.type)
    assert len(seen) > 15


# -- engine integration ---------------------------------------------------------------------------


def test_a_file_no_recipe_can_match_is_not_parsed(monkeypatch) -> None:
    recipe = _recipe("""
        id: sleepy
        description: d
        rule: {pattern: "time.Sleep($D)"}
        fix: "pause($D)"
    """)
    from codemod.syntax.tree import parse_count

    before = parse_count()
    result = run_file("a.go", b"package p\n\nfunc f() { g() }\n", [recipe])
    assert result.status.value == "unchanged" and parse_count() == before
    run_file("b.go", b"package p\n\nfunc f() { time.Sleep(1) }\n", [recipe], format_with_gofmt=False)
    assert parse_count() > before


def test_a_recipe_enabled_by_another_recipes_fix_still_runs_in_the_next_pass() -> None:
    first = _recipe("""
        id: first
        description: d
        rule: {pattern: "alpha($X)"}
        fix: "beta($X)"
    """)
    second = _recipe("""
        id: second
        description: d
        rule: {pattern: "beta($X)"}
        fix: "gamma($X)"
    """)
    result = run_file("a.go", b"package p\n\nvar _ = alpha(1)\n", [second, first], format_with_gofmt=False)
    assert result.new_source == b"package p\n\nvar _ = gamma(1)\n"


@pytest.mark.parametrize("report", [True, False])
def test_unused_suppressions_are_still_reported_in_filtered_files(report: bool) -> None:
    recipe = _recipe("""
        id: sleepy
        description: d
        rule: {pattern: "time.Sleep($D)"}
    """)
    source = b"package p\n\nfunc f() {\n\t//gocodemod:ignore\n\tg()\n}\n"
    result = run_file("a.go", source, [recipe], report_unused_ignores=report)
    assert [f.recipe_id for f in result.findings] == (["gocodemod:unused-ignore"] if report else [])


# -- candidate finding ----------------------------------------------------------------------------


def test_a_rule_through_a_util_finds_candidates_with_the_query_engine(monkeypatch) -> None:
    import codemod.rules.core as rule_module

    recipe = _recipe("""
        id: via-util
        description: d
        utils:
          derive: {any: [{pattern: "$C, $F := $P.Open($$$)"}, {pattern: "$C, $F = $P.Open($$$)"}]}
        rule:
          matches: derive
          inside: {kind: statement_list}
    """)

    def no_walk(root):
        raise AssertionError("candidates were found by walking every node in Python")

    monkeypatch.setattr(rule_module, "all_named_nodes", no_walk)
    source = b"package p\n\nfunc f() {\n\tc, g := os.Open(x)\n\tc, g = os.Open(y)\n\t_, _ = c, g\n}\n"
    result = run_file("a.go", source, [recipe])
    assert [finding.start.line for finding in result.findings] == [4, 5]


def _walk(node):
    yield node
    for child in node.children:
        yield from _walk(child)


@pytest.mark.parametrize(
    "kinds",
    [
        {"call_expression"},
        {"expression_statement", "call_expression"},
        {"send_statement", "selector_expression", "block"},
        {"identifier"},  # names and strings are queried where asked, never indexed
        {"identifier", "call_expression"},
        {"interpreted_string_literal", "raw_string_literal", "expression_statement", "field_identifier"},
    ],
)
@pytest.mark.usefixtures("go_toolchain")
def test_shared_kind_index_answers_like_a_walk_for_files_and_subtrees(kinds) -> None:
    """Document order: by start, longer first, and the outer of two same-span nodes first."""
    from codemod.pattern.matcher import nodes_of_kinds

    for path in sorted((_goroot_src() / "sync").glob("*.go"))[:6]:
        root = parse(path.read_bytes()).root_node
        walked = [node for node in _walk(root) if node.type in kinds]
        assert nodes_of_kinds(root, frozenset(kinds)) == walked
        for function in nodes_of_kinds(root, frozenset({"function_declaration"}))[:5]:
            assert nodes_of_kinds(function, frozenset(kinds)) == [n for n in _walk(function) if n.type in kinds]


@pytest.mark.usefixtures("go_toolchain")
def test_same_code_agrees_with_binding_keys() -> None:
    from codemod.pattern.matcher import binding_key, same_code

    root = parse((_goroot_src() / "sync" / "once.go").read_bytes()).root_node
    nodes = [node for node in _walk(root) if node.is_named][:150]
    for first in nodes[::7]:
        for second in nodes:
            assert same_code(first, second) == (binding_key(first) == binding_key(second))
    assert same_code((nodes[3], nodes[4]), (nodes[3], nodes[4])) and not same_code((nodes[3],), (nodes[3], nodes[4]))


def test_same_code_of_nodes_with_the_same_tokens_spelled_differently() -> None:
    """The byte comparisons (same bytes; different bytes without blanks or comments) agree with the tokens."""
    from codemod.pattern.matcher import binding_key, same_code

    source = b'package p\n\nfunc f() {\n\tg(a+b, a + b, a /* c */ +b, "a b", "ab", x.y, x . y, `a\nb`, `ab`)\n}\n'
    root = parse(source).root_node
    arguments = next(node for node in _walk(root) if node.type == "argument_list").named_children
    arguments = [node for node in arguments if node.type != "comment"]
    for first in arguments:
        for second in arguments:
            assert same_code(first, second) == (binding_key(first) == binding_key(second)), (first.text, second.text)
    assert same_code(arguments[0], arguments[2]) and not same_code(arguments[3], arguments[4])


def test_package_facts_parse_only_the_sibling_files_holding_the_name(monkeypatch) -> None:
    import codemod.engine.packageview as packageview
    from codemod.engine.packageview import PackageView
    from codemod.rules.core import MatchContext

    files = {
        "a.go": b"package p\n\nvar Alpha = 1\n",
        "b.go": b"package p\n\nvar Beta = 2\n",
        "c.go": b"package p\n\nvar _ = Alpha\n",
    }
    view = PackageView(dict(files))
    parsed: list[bytes] = []
    real_parse = packageview.parse
    monkeypatch.setattr(packageview, "parse", lambda data: parsed.append(data) or real_parse(data))
    roots = view.roots("c.go", (b"Alpha",))
    assert [root.text for root in roots] == [files["a.go"]] and parsed == [files["a.go"]]
    fallback = MatchContext(files["c.go"], roots[0], package_roots=lambda: view.roots("c.go"))
    assert [root.text for root in fallback.package_roots_containing(b"Beta")] == [files["b.go"]]
    assert view.names("c.go") == {"Alpha", "Beta"}
    assert view.names("c.go", (b"Bet",)) == {"Beta"}  # fresh names starting with a hint: only files holding it


def test_files_holding_a_name_are_remembered_per_view_and_answer_like_a_fresh_view() -> None:
    from codemod.engine.packageview import PackageView

    files = {
        "a.go": b"package p\n\nvar Alpha = 1\n",
        "b.go": b"package p\n\nvar AlphaBeta = 2 // Alpha\n",
        "c.go": b"package p\n\nvar _ = Alpha + Gamma\n",
        "d.go": b"package p\n\nvar Gamma = 3\n",
    }
    view = PackageView(dict(files))
    questions = [
        ("c.go", (b"Alpha",), None),
        ("a.go", (b"Alpha",), None),
        ("a.go", (b"Alpha",), lambda data: b"Gamma" in data),
        ("b.go", (b"Gamma", b"Alpha"), None),
        ("d.go", (b"Beta",), None),
        ("a.go", None, None),
    ]
    for _ in range(2):  # the second round answers from what the first remembered
        for exclude, needles, accept in questions:
            fresh = PackageView(dict(files)).roots(exclude, needles, accept)
            assert [root.text for root in view.roots(exclude, needles, accept)] == [root.text for root in fresh]
    assert [root.text for root in view.roots("c.go", (b"Alpha",))] == [files["a.go"], files["b.go"]]
