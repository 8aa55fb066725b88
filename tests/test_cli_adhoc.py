"""``gocodemod run -p PATTERN [--rewrite TEMPLATE]``: ad-hoc searches and rewrites, through the command line."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from gitfixtures import git, snapshot, write_files

from codemod.cli.main import main
from codemod.recipes.adhoc import AdhocRequest, adhoc_recipe, import_changes, qualifiers

ERRORS_GO = """\
package a

import (
	"errors"
	"fmt"
)

func Wrapped(x int) error {
	return errors.New(fmt.Sprintf("bad %d", x))
}
"""

KEPT_ERRORS_GO = (
    ERRORS_GO
    + """
var ErrPlain = errors.New("plain")
"""
)

ADD_GO = """\
package a

type N int

func (n N) Add(m N) N { return n + m }

func Scaled(z, a, b N) N {
	return z * a.Add(b)
}
"""


@pytest.fixture
def module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository with a go.mod, as the current directory."""
    root = tmp_path / "mod"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write_files(root, {"go.mod": "module example.com/a\n\ngo 1.22\n"})
    monkeypatch.chdir(root)
    return root


def commit(root: Path, files: dict[str, str]) -> None:
    write_files(root, files)
    git(root, "add", "-A")
    git(root, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "files")


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_rewrite_replaces_matches_and_drops_the_import_left_unused(module: Path) -> None:
    commit(module, {"a.go": ERRORS_GO})
    result = invoke("run", "-q", "-p", "errors.New(fmt.Sprintf($$$A))", "--rewrite", "fmt.Errorf($$$A)", "--write")
    assert result.exit_code == 0, result.output
    assert (module / "a.go").read_text() == (
        'package a\n\nimport (\n\t"fmt"\n)\n\nfunc Wrapped(x int) error {\n\treturn fmt.Errorf("bad %d", x)\n}\n'
    )


def test_rewrite_keeps_an_import_still_in_use(module: Path) -> None:
    commit(module, {"a.go": KEPT_ERRORS_GO})
    result = invoke("run", "-q", "-p", "errors.New(fmt.Sprintf($$$A))", "--rewrite", "fmt.Errorf($$$A)", "--write")
    assert result.exit_code == 0, result.output
    text = (module / "a.go").read_text()
    assert '\t"errors"\n' in text and 'return fmt.Errorf("bad %d", x)' in text


def test_rewrite_adds_the_import_it_needs(module: Path) -> None:
    commit(module, {"a.go": 'package a\n\nimport "fmt"\n\nfunc S(n int) string {\n\treturn fmt.Sprint(n)\n}\n'})
    result = invoke("run", "-q", "-p", "fmt.Sprint($X)", "--rewrite", "strconv.Itoa($X)", "--write")
    assert result.exit_code == 0, result.output
    assert (module / "a.go").read_text() == (
        'package a\n\nimport "strconv"\n\nfunc S(n int) string {\n\treturn strconv.Itoa(n)\n}\n'
    )


def test_rewrite_parenthesises_by_precedence_and_the_dry_run_writes_nothing(module: Path) -> None:
    commit(module, {"a.go": ADD_GO})
    result = invoke("run", "-q", "-p", "$X.Add($Y)", "--rewrite", "$X + $Y", "./...")
    assert result.exit_code == 0, result.output
    assert "+\treturn z * (a + b)\n" in result.stdout
    assert (module / "a.go").read_text() == ADD_GO


def test_rewrite_output_is_gofmt_clean(module: Path, go_toolchain) -> None:
    commit(module, {"a.go": ADD_GO})
    assert invoke("run", "-q", "-p", "$X.Add($Y)", "--rewrite", "$X+$Y", "--write").exit_code == 0
    gofmt = subprocess.run([str(go_toolchain.gofmt), "-l", "a.go"], cwd=module, capture_output=True, text=True)
    assert gofmt.stdout == ""
    assert "return z * (a + b)" in (module / "a.go").read_text()


def test_pattern_alone_reports_findings_at_severity_info(module: Path) -> None:
    commit(module, {"a.go": ERRORS_GO})
    before = snapshot(module)
    found = invoke("run", "-p", "errors.New($A)", "--format", "json")
    assert found.exit_code == 0, found.output
    findings = [f for file in json.loads(found.stdout)["files"] for f in file["findings"]]
    assert [(f["recipe_id"], f["severity"], f["start"]["line"]) for f in findings] == [("ad-hoc", "info", 9)]
    assert invoke("run", "-q", "-p", "errors.New($A)", "--check").exit_code == 0
    assert invoke("run", "-q", "-p", "errors.New($A)", "--check", "--fail-on", "info").exit_code == 1
    assert invoke("run", "-q", "-p", "errors.Is($A, $B)", "--check", "--fail-on", "info").exit_code == 0
    assert snapshot(module) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-p", "errors.New($A"], "gocodemod: -p: 1:"),
        (["-p", "f($A)", "--rewrite", "g($B)"], "gocodemod: --rewrite: $B is not bound"),
        (["--rewrite", "g()"], "gocodemod: --rewrite needs -p PATTERN"),
        (["-p", "f()", "--import", "math/rand"], "gocodemod: --import needs --rewrite"),
        (["-p", "f()", "-r", "forvar"], "gocodemod: -p runs its pattern alone: drop -r"),
        (["-p", "   "], "gocodemod: -p: empty"),
    ],
)
def test_bad_patterns_are_one_line_errors(module: Path, args: list[str], message: str) -> None:
    commit(module, {"a.go": ERRORS_GO})
    result = invoke("run", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message), result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output


def test_a_problem_inside_a_multi_line_pattern_names_its_own_line() -> None:
    with pytest.raises(Exception, match=r"^-p: 2:\d+: pattern does not parse as Go"):
        adhoc_recipe(AdhocRequest("f(\n  $A +,\n)"))


def test_imports_follow_package_qualifiers_and_import_paths() -> None:
    assert qualifiers('rand.Intn($N) + x.y.z + $X.Y + "fmt.Sprint" // os.Exit') == {"rand", "x"}
    assert import_changes(AdhocRequest("rand.Intn($N)", "rand.IntN($N)")) == ([], [])
    assert import_changes(AdhocRequest("rand.Intn($N)", "xrand.IntN($N)", ("math/rand", "example.com/xrand"))) == (
        ["example.com/xrand"],
        ["math/rand"],
    )
    assert import_changes(AdhocRequest("mu.Lock()", "mu.TryLock()")) == ([], [])
    pkg_errors = AdhocRequest("errors.Wrap($E, $M)", 'fmt.Errorf($M + ": %w", $E)', ("github.com/pkg/errors",))
    assert import_changes(pkg_errors) == (["fmt"], ["errors", "github.com/pkg/errors"])
    assert import_changes(AdhocRequest("$X.New()", "errors.New()", ("example.com/errors",))) == (
        ["example.com/errors"],
        [],
    )
    assert import_changes(AdhocRequest("errors.New($A)")) == ([], [])


IOUTIL_GO = """\
package a

import (
	"io/ioutil"
	"os"
)

func Read(f *os.File) ([]byte, error) {
	return ioutil.ReadAll(f)
}
"""


@pytest.mark.slow
def test_an_import_path_given_with_import_is_swapped_and_the_result_vets(module: Path, go_toolchain) -> None:
    commit(module, {"a.go": IOUTIL_GO})
    args = ["run", "-q", "-p", "ioutil.ReadAll($R)", "--rewrite", "io.ReadAll($R)", "--import", "io/ioutil", "--write"]
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert (module / "a.go").read_text() == IOUTIL_GO.replace('"io/ioutil"', '"io"').replace(
        "ioutil.ReadAll", "io.ReadAll"
    )
    env = {**os.environ, "GOTOOLCHAIN": "local", "GOPROXY": "off", "GOFLAGS": "-mod=mod"}
    vet = subprocess.run([go_toolchain.go, "vet", "./..."], cwd=module, env=env, capture_output=True, text=True)
    assert vet.returncode == 0, vet.stderr
