"""A file's Go language version: its ``//go:build`` line (Go's rule since 1.21),
the module's ``go`` line otherwise, and what the engine gates recipes on."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitfixtures import git, write_files

from codemod.cli.main import main
from codemod.engine.core import run_file
from codemod.golang.versions import build_constraint_go_version, file_go_version
from codemod.model import Status
from codemod.recipes.load import load_file
from codemod.run.recipetests import GOLDEN_DIR
from tests.gotoolchain import GoToolchain

CONSTRAINTS = [
    "go1.21",
    "go1.25",
    "go1",
    "go1.9",
    "linux && go1.22",
    "(linux && go1.22) || (windows && go1.20)",
    "linux || (windows && go1.22)",
    "!go1.22",
    "!(linux || !go1.23)",
    "!!go1.24",
    "linux",
    "go1.22x",
    "xgo1.23",
    "go1.",
    "ignore",
    "(go1.22",
    "go1.22 &&",
    "go1.22 linux",
    "((go1.20 || go1.19) && go1.22) || (go1.23 && !go1.25)",
    "! ! go1.22",
    "!(go1.21)",
    "( ! )",
    "go1.21 & linux",
    "go1.22 ||",
    "go1.22\t&&\tlinux",
    "",
]


@pytest.mark.parametrize(
    ("header", "module", "expected"),
    [
        ("//go:build go1.21\n\npackage p\n", "1.27", "1.21"),  # a downgrade
        ("//go:build go1.25\n\npackage p\n", "1.22", "1.25"),  # an upgrade
        ("//go:build go1.18\n\npackage p\n", "1.27", "1.21"),  # never below go1.21
        ("//go:build go1.18\n\npackage p\n", "1.16", "1.21"),
        ("//go:build linux\n\npackage p\n", "1.27", "1.27"),  # no version implied
        ("//go:build go1.21\n\npackage p\n", None, "1.21"),
        ("// Copyright\n\n//go:build go1.22\n\n// Package p.\npackage p\n", "1.27", "1.22"),
        ("/* block */ //go:build go1.22\npackage p\n", "1.27", "1.22"),
        ("package p\n\n//go:build go1.21\n", "1.27", "1.27"),  # after the first token: not a constraint
        ("//go:buildgo1.21\npackage p\n", "1.27", "1.27"),
        ("//go:build (go1.21\npackage p\n", "1.27", "1.27"),  # does not parse: ignored
        ("//go:build go1.22\r\n\r\npackage p\r\n", "1.27", "1.22"),
        ("\ufeff//go:build go1.22\npackage p\n", "1.27", "1.22"),
    ],
)
def test_file_go_version(header: str, module: str | None, expected: str | None) -> None:
    assert file_go_version(header.encode(), module) == expected


WAITGROUP = """{header}package p

import "sync"

func f(items []int) {{
	var wg sync.WaitGroup
	for range items {{
		wg.Add(1)
		go func() {{
			defer wg.Done()
			work()
		}}()
	}}
	wg.Wait()
}}

func work() {{}}
"""


@pytest.mark.parametrize(
    ("header", "module", "changed"),
    [
        ("//go:build go1.21\n\n", "1.27", False),
        ("//go:build go1.24 && linux\n\n", "1.27", False),
        ("//go:build go1.25\n\n", "1.22", True),
        ("//go:build linux\n\n", "1.27", True),
        ("", "1.27", True),
        ("", "1.24", False),
    ],
)
def test_engine_gates_recipes_on_the_file_version(header: str, module: str, changed: bool) -> None:
    (recipe,) = load_file(GOLDEN_DIR.parent / "recipes" / "waitgroup-go.yaml")[0]
    result = run_file("p.go", WAITGROUP.format(header=header).encode(), [recipe], go_version=module)
    assert (result.status is Status.CHANGED) is changed, result.reason


@pytest.mark.slow
def test_constraint_versions_agree_with_go(go_toolchain: GoToolchain, tmp_path: Path) -> None:
    """Each constraint's version as go/build/constraint.GoVersion computes it."""
    (tmp_path / "go.mod").write_text("module probe\n\ngo 1.21\n")
    (tmp_path / "main.go").write_text(
        "package main\n\n"
        'import (\n\t"encoding/json"\n\t"go/build/constraint"\n\t"os"\n)\n\n'
        "func main() {\n\tvar lines []string\n\tjson.NewDecoder(os.Stdin).Decode(&lines)\n"
        "\tout := []string{}\n\tfor _, line := range lines {\n"
        '\t\tx, err := constraint.Parse(line)\n\t\tif err != nil {\n\t\t\tout = append(out, "error")\n'
        "\t\t\tcontinue\n\t\t}\n\t\tout = append(out, constraint.GoVersion(x))\n\t}\n"
        "\tjson.NewEncoder(os.Stdout).Encode(out)\n}\n"
    )
    lines = [f"//go:build {c}" for c in CONSTRAINTS]
    env = {"GOTOOLCHAIN": "local", "GOPROXY": "off"}
    done = subprocess.run(
        [go_toolchain.go, "run", "."],
        cwd=tmp_path,
        input=json.dumps(lines),
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    assert done.returncode == 0, done.stderr
    from_go = json.loads(done.stdout)
    ours = [build_constraint_go_version(f"{line}\npackage p\n".encode()) for line in lines]
    expected = [None if v in ("error", "") else ("1.0" if v == "go1" else v.removeprefix("go")) for v in from_go]
    assert ours == expected


def _git_module(root: Path, files: dict[str, str]) -> Path:
    root.mkdir()
    write_files(root, files)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "init")
    return root


@pytest.mark.usefixtures("cache_dir")
def test_run_respects_build_lines_and_configured_go_versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real run over a git repository: a `//go:build go1.21` file and a directory the
    configuration lowers to Go 1.22 keep their code; the rest of the 1.27 module changes."""
    body = WAITGROUP.format(header="")
    root = _git_module(
        tmp_path / "m",
        {
            "go.mod": "module example.com/m\n\ngo 1.27\n",
            ".gocodemod.yaml": "go_versions:\n  boot/...: '1.22'\n",
            "now.go": body,
            "old.go": WAITGROUP.format(header="//go:build go1.21\n\n").replace("func f(", "func g("),
            "boot/sub/b.go": body,
            "boot/new/n.go": WAITGROUP.format(header="//go:build go1.25\n\n"),
        },
    )
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["run", "-r", "waitgroup-go", "--format", "stat"])
    assert result.exit_code in (0, 1), result.output
    changed = {line.split()[0] for line in result.output.splitlines() if " | " in line}
    assert changed == {"now.go", "boot/new/n.go"}, result.output  # only Go 1.25 builds boot/new/n.go


@pytest.mark.slow
def test_every_standard_library_file_agrees_with_go_parser(go_toolchain: GoToolchain, tmp_path: Path) -> None:
    """go/parser's File.GoVersion for every .go file of $GOROOT/src (testdata aside) is ours."""
    (tmp_path / "go.mod").write_text("module probe\n\ngo 1.21\n")
    (tmp_path / "main.go").write_text(
        "package main\n\n"
        'import (\n\t"fmt"\n\t"go/parser"\n\t"go/token"\n\t"io/fs"\n\t"os"\n\t"path/filepath"\n\t"strings"\n)\n\n'
        "func main() {\n\troot := os.Args[1]\n"
        "\tfilepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {\n"
        '\t\tif err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.Contains(path, "/testdata/") {\n'
        "\t\t\treturn nil\n\t\t}\n"
        "\t\tf, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.PackageClauseOnly)\n"
        '\t\tif err == nil && f.GoVersion != "" {\n'
        '\t\t\tfmt.Printf("%s\\t%s\\n", path, f.GoVersion)\n\t\t}\n\t\treturn nil\n\t})\n}\n'
    )
    done = subprocess.run(
        [go_toolchain.go, "run", ".", str(go_toolchain.src)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "GOTOOLCHAIN": "local", "GOPROXY": "off"},
    )
    assert done.returncode == 0, done.stderr
    from_go = dict(line.split("\t") for line in done.stdout.splitlines())
    ours: dict[str, str] = {}
    for path in go_toolchain.src.rglob("*.go"):
        if "testdata" in path.parts:
            continue
        version = build_constraint_go_version(path.read_bytes())
        if version is not None:
            ours[str(path)] = "go1" if version == "1.0" else f"go{version}"
    assert from_go, "go/parser found no //go:build go1.N file"
    assert ours == from_go
