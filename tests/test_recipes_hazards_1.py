"""defer-go-explicit, sleep-to-waitgroup and once-lazy-init: engine pieces and a real Go module.

Unit tests for what these recipes added to the engine: the ``same-function``
and ``written-after`` rule keys (codemod/rules/extensions/flow.py) and the re-basing of a
multi-line capture on a template's first line. Then end to end: a small module
(stdlib only) with several instances of each hazard goes through the three
recipes with ``run_file``; the written result must pass ``go build`` and
``go vet`` with the real toolchain, and a second run must change nothing.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

import pytest
from gotoolchain import require_go
from tree_sitter import Node

from codemod.engine.core import run_file
from codemod.fix.template import Capture, compile_template, render
from codemod.model import Status
from codemod.recipes.load import BUILTIN_DIR, load_recipes
from codemod.rules.compile import compile_rule
from codemod.rules.core import MatchContext, RuleError
from codemod.syntax.tree import parse
from tests.helpers import go, output

RECIPE_IDS = ("defer-go-explicit", "sleep-to-waitgroup", "once-lazy-init")


# --- flow facts ------------------------------------------------------------------


def _nodes(root: Node, kind: str, text: str | None = None) -> list[Node]:
    """Nodes of ``kind`` (with exactly ``text``, when given) under ``root``, in order."""
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        if node.type == kind and (text is None or node.text == text.encode()):
            found.append(node)
        stack.extend(node.children)
    return sorted(found, key=lambda n: n.start_byte)


def written_after(source: str, name: str, loop_vars: str = "shared") -> bool:
    """Is the argument ``name`` of the (first) ``go`` statement written after it?"""
    tree = parse(go(source).encode())
    statement = _nodes(tree.root_node, "go_statement")[0]
    argument = _nodes(statement, "identifier", name)[-1]
    rule = compile_rule({"written-after": {"after": "$GO", "of": "$ARG", "loop-vars": loop_vars}})
    ctx = MatchContext(tree.root_node.text or b"", tree.root_node)
    return rule.match(statement, ctx, {"GO": statement, "ARG": argument}) is not None


def _function(body: str) -> str:
    return (
        "package p\n\nconst limit = 3\n\nvar shared int\n\nfunc f(int) {}\n\nfunc g(p int) {\n"
        + textwrap.indent(textwrap.dedent(body).strip("\n"), "    ")
        + "\n}\n"
    )


@pytest.mark.parametrize(
    "body,name,expected",
    [
        ("x := 1\ngo f(x)\nx = 2", "x", True),
        ("x := 1\nx = 2\ngo f(x)", "x", False),
        ("x := 1\ngo f(x)\nx++", "x", True),
        ("x := 1\ngo f(x)\nx, err := 2, error(nil)\n_ = err", "x", True),
        ("var s struct{ n int }\ngo f(s.n)\ns.n = 2", "s", True),
        ("x := 1\np := &x\ngo f(x)\n_ = p", "x", True),
        ("x := 1\nbump := func() { x++ }\ngo f(x)\nbump()", "x", True),
        ("go f(p)", "p", False),
        ("go f(p)\np = 4", "p", True),
        ("go f(limit)", "limit", False),
        ("go f(shared)", "shared", True),
        ("x := 0\nfor i := 0; i < 3; i++ {\n    x = i\n    go f(x)\n}", "x", True),
        ("for i := 0; i < 3; i++ {\n    x := i * 2\n    x++\n    go f(x)\n}", "x", False),
        ("x := 1\ngo f(x)\nfor range 3 {\n    println(x)\n}", "x", False),
        ("x := 1\ngoto end\nend:\ngo f(x)\nx = 3", "x", True),
        # a goto may run a write before the go statement again; the word alone (a comment) is no goto
        ("x := 1\nstart:\nx = 2\ngo f(x)\ngoto start", "x", True),
        ("x := 1\nx = 2 // goto start\ngo f(x)", "x", False),
    ],
)
def test_written_after(body: str, name: str, expected: bool) -> None:
    assert written_after(_function(body), name) is expected


def test_loop_variables_are_per_iteration_only_when_asked() -> None:
    clause = _function("for i := 0; i < 3; i++ {\n    go f(i)\n}")
    ranged = _function("for _, v := range []int{1, 2} {\n    go f(v)\n}")
    later = _function("for i := 0; i < 3; i++ {\n    go f(i)\n    i++\n}")
    assert written_after(clause, "i") and written_after(ranged, "v")
    assert not written_after(clause, "i", "per-iteration")
    assert not written_after(ranged, "v", "per-iteration")
    assert written_after(later, "i", "per-iteration")


def test_same_function_tells_nested_literals_apart() -> None:
    source = go(
        """
        package p

        func f() {
            go a()
            run := func() { go b() }
            run()
            go func() { go c() }()
            d()
        }

        func a() {}
        func b() {}
        func c() {}
        func d() {}
        """
    ).encode()
    tree = parse(source)
    anchor = _nodes(tree.root_node, "identifier", "d")[0]
    rule = compile_rule({"kind": "go_statement", "same-function": "$D"})
    ctx = MatchContext(source, tree.root_node)
    matched = [target.text.decode() for target, _ in rule.search(tree.root_node, ctx, {"D": anchor})]
    assert matched == ["go a()", "go func() { go c() }()"]


@pytest.mark.parametrize(
    "raw,message",
    [
        ({"same-function": "X"}, "metavariable"),
        ({"written-after": {"of": "$X"}}, "'after'"),
        ({"written-after": {"after": "$X", "loop-vars": "fresh"}}, "loop-vars"),
        ({"written-after": {"after": "$X", "when": 1}}, "unknown key 'when'"),
    ],
)
def test_flow_keys_reject_bad_values(raw: dict, message: str) -> None:
    with pytest.raises(RuleError) as problem:
        compile_rule(raw)
    assert message in str(problem.value)


# --- template rendering --------------------------------------------------------------


def test_multiline_capture_on_the_first_template_line_keeps_its_depth() -> None:
    literal = "func() {\n\t\t\tf()\n\t\t}()"
    rendered = render(compile_template("$CALL"), {"CALL": Capture(literal, "\t\t")}, "\t\t\t")
    assert rendered == "func() {\n\t\t\t\tf()\n\t\t\t}()"


def test_replacing_a_nested_go_statement_with_its_call_keeps_the_layout() -> None:
    recipe = """
        id: unwrap-go
        description: run goroutines synchronously
        rule: {pattern: go $CALL}
        fix: $CALL
    """
    source = """
        package p

        func f() {
            if true {
                go func() {
                    // work
                    g()
                }()
            }
        }

        func g() {}
    """
    assert output(recipe, source) == go(source).replace("go func", "func")


# --- fresh names ---------------------------------------------------------------------

FRESH_SOURCE = """
    package p

    var bad = 0

    func use(int) {}

    func a() {
        use(bad)
        use(1)
    }

    func b() {
        use(2)
    }
"""


@pytest.mark.usefixtures("go_toolchain")  # the result is gofmt'ed
def test_local_fresh_names_clash_only_within_their_function_and_refusals_free_them() -> None:
    recipe = """
        id: local-names
        description: name the argument
        rule: {pattern: use($X)}
        constraints: {X: {any: [{kind: int_literal}, {regex: ^bad$}]}}
        fix:
          fresh: {N: tmp}
          rewrite:
            - in: $X
              rule: {regex: ^bad$}
              fix: {refuse: [{when: {regex: bad}, because: bad argument}], replace: bad}
          replace: "$N := $X; use($N)"
    """
    result = output(recipe, FRESH_SOURCE)
    assert "use(bad)\n\ttmp := 1\n\tuse(tmp)" in result
    assert "func b() {\n\ttmp := 2\n" in result


def test_package_level_fresh_names_clash_across_functions() -> None:
    recipe = """
        id: package-names
        description: hoist the argument
        rule: {pattern: use($X)}
        constraints: {X: {kind: int_literal}}
        fix:
          fresh: {N: shared}
          replace: use($N)
          edits:
            - package-decl: var $N = $X
    """
    result = output(recipe, FRESH_SOURCE)
    assert "var shared = 1\n\nfunc a()" in result and "var shared2 = 2\n\nfunc b()" in result


def test_sleep_after_goroutines_of_an_errgroup_is_left_alone() -> None:
    source = go(
        """
        package p

        import (
            "context"
            "time"

            "golang.org/x/sync/errgroup"
        )

        func work() {}

        func Run(ctx context.Context) context.Context {
            _, ctx = errgroup.WithContext(ctx)
            go work()
            time.Sleep(time.Second)
            return ctx
        }
        """
    ).encode()
    recipes = load_recipes([str(BUILTIN_DIR / "sleep-to-waitgroup.yaml")], include_builtin=False)
    result = run_file("p.go", source, recipes, go_version="1.22")
    assert result.status is Status.UNCHANGED and not result.findings


# --- end to end on a real module --------------------------------------------------------

MODULE_FILES = {
    "go.mod": "module example.com/hazards\n\ngo 1.22\n",
    "deferred.go": """
        package hazards

        import (
            "fmt"
            "log"
        )

        func flush(name string) { fmt.Println("flush", name) }

        func Save(name string) (err error) {
            defer func() {
                go flush(name)
                if err != nil {
                    go func() {
                        log.Printf("save %s: %v", name, err)
                    }()
                }
            }()
            return nil
        }

        func Close(names []string) {
            defer func(n int) {
                for _, name := range names {
                    go flush(name) // one per name
                }
                func() { go flush(fmt.Sprint(n)) }()
            }(len(names))
        }

        func Worker() {
            defer func() {
                if r := recover(); r != nil {
                    go Worker()
                }
            }()
        }
    """,
    "sleep.go": """
        package hazards

        import (
            "fmt"
            "time"
        )

        func work(id int, label string) { fmt.Println(id, label) }

        func Fan(n int) {
            for i := 0; i < n; i++ {
                go func() {
                    work(i, "fan")
                }()
            }
            time.Sleep(time.Second)
        }

        func Mixed(ids []int) {
            label := "mixed"
            for _, id := range ids {
                go work(id, label)
            }
            go func(x int) { work(x, "extra") }(len(ids))
            time.Sleep(100 * time.Millisecond)
            fmt.Println("done")
        }

        func Later() {
            id := 1
            go work(id, "later")
            id = 2
            time.Sleep(time.Millisecond)
            fmt.Println(id, time.Now().IsZero())
        }
    """,
    "lazy.go": """
        package hazards

        import "os"

        type Config struct{ Home string }

        var config *Config

        var (
            names map[string]int
            home  *string
        )

        func GetConfig() *Config {
            if config == nil {
                // first use
                config = &Config{Home: os.Getenv("HOME")}
            }
            return config
        }

        func Names() map[string]int {
            if nil == names {
                names = map[string]int{}
                for i, arg := range os.Args {
                    if arg == "" {
                        break
                    }
                    names[arg] = i
                }
            }
            if home == nil {
                h := os.Getenv("HOME")
                home = &h
            }
            return names
        }
    """,
    "reset.go": """
        package hazards

        var cache []string

        func Cache() []string {
            if cache == nil {
                cache = []string{"a"}
            }
            return cache
        }

        func ResetCache() { cache = nil }
    """,
}


def _go(module: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GOTOOLCHAIN": "local", "GOPROXY": "off", "GOFLAGS": "-mod=mod"}
    return subprocess.run([require_go().go, *args], cwd=module, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
@pytest.mark.usefixtures("go_toolchain")
def test_recipes_fix_a_module_that_still_builds_and_vets(tmp_path: Path) -> None:
    module = tmp_path / "hazards"
    module.mkdir()
    for name, text in MODULE_FILES.items():
        (module / name).write_text(go(text) if name.endswith(".go") else text)
    assert _go(module, "build", "./...").returncode == 0
    recipes = load_recipes([str(BUILTIN_DIR / f"{rid}.yaml") for rid in RECIPE_IDS], include_builtin=False)
    sources = {str(p): p.read_bytes() for p in sorted(module.glob("*.go"))}
    changes: dict[str, int] = {}
    findings: list[str] = []
    for path, data in sources.items():
        result = run_file(path, data, recipes, package_sources=sources, go_version="1.22", format_with_gofmt=False)
        assert result.status is not Status.FAILED, result.reason
        for change in result.changes:
            changes[change.recipe_id] = changes.get(change.recipe_id, 0) + 1
        findings += [f"{Path(path).name}:{f.start.line}: {f.message}" for f in result.findings]
        if result.changed:
            Path(path).write_bytes(result.new_source)
    assert changes == {"defer-go-explicit": 4, "sleep-to-waitgroup": 2, "once-lazy-init": 3}
    assert len(findings) == 3, findings
    assert any("deferred.go" in f and "restarts the function" in f for f in findings)
    assert any("sleep.go" in f and 'go work(id, "later")' in f for f in findings)
    assert any("reset.go" in f and "cache is also assigned" in f for f in findings)
    built, vetted = _go(module, "build", "./..."), _go(module, "vet", "./...")
    assert built.returncode == 0, built.stderr
    assert vetted.returncode == 0, vetted.stderr
    lazy = (module / "lazy.go").read_text()
    assert "var configOnce sync.Once" in lazy and "homeOnce.Do(func() {" in lazy
    sleep = (module / "sleep.go").read_text()
    assert sleep.count("wg.Wait()") == 2 and "time.Sleep(time.Millisecond)" in sleep
    rewritten = {str(p): p.read_bytes() for p in sorted(module.glob("*.go"))}
    for path, data in rewritten.items():
        again = run_file(path, data, recipes, package_sources=rewritten, go_version="1.22", format_with_gofmt=False)
        assert not again.changed, f"{path} changes on a second run"
