"""``gocodemod explain``: pattern contexts and trees, and why the nodes on a line match or not."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from gitfixtures import write_files

from codemod.cli.main import main
from codemod.run.whyrule import key_path

CODE = """\
package a

import (
	"errors"
	"fmt"
)

func Wrapped(x int) error {
	return errors.New(fmt.Sprintf("bad %d", x))
}

func Loop(xs []int) {
	for i := 0; i < 3; i++ {
		i := i
		i++
		_ = i
	}
	for _, x := range xs {
		x := x
		go func() { println(x) }()
	}
}
"""

RECIPES = """\
id: spawn-in-loop
description: a go statement directly in a loop body
severity: warning
message: goroutine started in a loop
rule:
  kind: go_statement
  inside:
    kind: statement_list
    inside: {kind: block, inside: {kind: for_statement, field: body}}
---
id: sprintf-error
description: errors.New of a Sprintf
rule:
  pattern: errors.New(fmt.Sprintf($$$A))
constraints:
  A: {has: {kind: interpreted_string_literal, regex: '%w'}}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_files(tmp_path, {"go.mod": "module example.com/a\n\ngo 1.22\n", "a.go": CODE, "recipes.yaml": RECIPES})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, ["explain", *args])


def test_a_pattern_shows_its_context_metavariables_and_tree(project: Path) -> None:
    result = invoke("errors.New(fmt.Sprintf($FMT, $$$ARGS))")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "  context: expression" in lines
    assert "  metavariables: $$$ARGS, $FMT" in lines
    assert "    function: selector_expression" in lines
    assert "      operand: identifier 'errors'" in lines
    assert "          $FMT  (metavariable, one node)" in lines
    assert "          $$$ARGS  (metavariable, zero or more nodes)" in lines


@pytest.mark.parametrize(
    ("pattern", "context"),
    [("x := $X", "statement"), ("func $F() {}", "declaration"), ("$A; $B", "sequence"), ("map[$K]$V", "type")],
)
def test_every_context_is_named(project: Path, pattern: str, context: str) -> None:
    result = invoke(pattern)
    assert result.exit_code == 0, result.output
    assert f"  context: {context}" in result.stdout.splitlines()


def test_the_nodes_of_a_line_say_whether_they_match(project: Path) -> None:
    result = invoke("errors.New(fmt.Sprintf($$$A))", "--file", "a.go", "--line", "9")
    assert result.exit_code == 0, result.output
    assert "a.go:9:9: call_expression 'errors.New(fmt.Sprintf(\"bad %d\", x))': matches" in result.stdout
    assert (
        "a.go:9:20: call_expression 'fmt.Sprintf(\"bad %d\", x)': no: rule.pattern: the pattern does not "
        "match this call_expression: the pattern has 'errors' where the code has 'fmt'"
    ) in result.stdout


def test_a_line_without_candidates_says_so(project: Path) -> None:
    result = invoke("errors.New($A)", "--file", "a.go", "--line", "8")
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith(
        "a.go:8: no call_expression or type_conversion_expression starts on this line: nothing there can match"
    )


def test_the_first_failing_rule_part_is_named_by_its_yaml_path(project: Path) -> None:
    ok = invoke("--recipe", "recipes.yaml", "--id", "spawn-in-loop", "--file", "a.go", "--line", "20")
    assert ok.exit_code == 0, ok.output
    assert "a.go:20:3: go_statement 'go func() { println(x) }()': matches" in ok.stdout
    moved = CODE.replace("\t\tgo func() { println(x) }()\n\t}\n}\n", "\t}\n\tgo func() {}()\n}\n")
    (project / "b.go").write_text(moved)
    no = invoke("--recipe", "recipes.yaml", "--id", "spawn-in-loop", "--file", "b.go", "--line", "21")
    assert no.exit_code == 0, no.output
    assert (
        "b.go:21:2: go_statement 'go func() {}()': no: rule.inside.inside.inside.kind: the node is "
        "function_declaration, not for_statement"
    ) in no.stdout


def test_a_failing_constraint_is_named(project: Path) -> None:
    result = invoke("--recipe", "recipes.yaml", "--id", "sprintf-error", "--file", "a.go", "--line", "9")
    assert result.exit_code == 0, result.output
    assert (
        "call_expression 'errors.New(fmt.Sprintf(\"bad %d\", x))': no: constraints.A.has.kind: "
        "the node is interpreted_string_literal_content, not interpreted_string_literal"
    ) in result.stdout


def test_a_built_in_recipe_by_id_and_its_go_version(project: Path) -> None:
    result = invoke("--recipe", "forvar", "--file", "a.go", "--line", "14")
    assert result.exit_code == 0, result.output
    assert "pattern in rule: $A := $A" in result.stdout
    assert "a.go:14:3: short_var_declaration 'i := i': no: rule.any: no alternative matched (" in result.stdout
    (project / "go.mod").write_text("module example.com/a\n\ngo 1.21\n")
    older = invoke("--recipe", "forvar", "--file", "a.go", "--line", "19")
    assert "note: a run leaves a.go out: the recipe needs Go 1.22, the file's Go version is 1.21" in older.stdout
    assert "a.go:19:3: short_var_declaration 'x := x': matches" in older.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "gocodemod: give a PATTERN or --recipe FILE|ID (one of them)"),
        (["f()", "--recipe", "forvar"], "gocodemod: give a PATTERN or --recipe FILE|ID (one of them)"),
        (["f()", "--file", "a.go"], "gocodemod: --file and --line go together"),
        (["f(", "--file", "a.go", "--line", "1"], "gocodemod: -p: 1:"),
        (["f()", "--file", "a.go", "--line", "99"], "gocodemod: a.go: no line 99 (the file has 22 lines)"),
        (["f()", "--file", "nope.go", "--line", "1"], "gocodemod: nope.go: No such file or directory"),
        (["--recipe", "recipes.yaml"], "gocodemod: recipes.yaml defines 2 recipes: choose one with --id"),
        (["--recipe", "recipes.yaml", "--id", "x"], "gocodemod: recipes.yaml defines no recipe 'x'"),
        (["--recipe", "go-modernize"], "gocodemod: go-modernize is a bundle of"),
    ],
)
def test_mistakes_are_one_line_errors(project: Path, args: list[str], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(message), result.stderr
    assert "Traceback" not in result.output


def test_key_paths_read_like_yaml() -> None:
    assert key_path(("rule", "all", 1, "has", "inside")) == "rule.all[1].has.inside"
    assert key_path(("utils", "loop-of-A", "any", 0)) == "utils.loop-of-A.any[0]"


def test_a_sequence_pattern_matches_from_its_first_statement(project: Path) -> None:
    (project / "seq.go").write_text(
        'package a\n\nimport "sync"\n\nfunc F(mu *sync.Mutex, n int) int {\n\tmu.Lock()\n\tn++\n\tmu.Unlock()\n\treturn n\n}\n'
    )
    result = invoke("$M.Lock(); $$$B; $M.Unlock()", "--file", "seq.go", "--line", "6")
    assert result.exit_code == 0, result.output
    assert "  context: sequence" in result.stdout
    assert "seq.go:6:2: expression_statement 'mu.Lock()': matches (the first of a run of 3 statements)" in result.stdout
