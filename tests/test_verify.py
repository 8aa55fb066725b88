"""``gocodemod run --verify``: real modules in temporary git repositories, checked by the real ``go``.

One module holds a package a recipe breaks (a) and one it does not (b), a
package whose tests a recipe breaks (c), a package that fails before any
change (d), a package a recipe changes correctly (e) and a package with a
file only built on windows (w). Other tests build a module with a vendor
directory, a go.work workspace, and check ``--commit``. Assertions are on the
files and branches afterwards and on the JSON report. Offline throughout
(``GOPROXY=off``).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from codemod.cli.main import main

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("go_toolchain", "go_build_cache", "cache_dir", "offline")]

RECIPES = """\
id: compute-fast
description: Call ComputeFast instead of ComputeSlow
safety: safe
rule:
  pattern: ComputeSlow($A)
fix: ComputeFast($A)
---
id: double-to-triple
description: Call Triple instead of Double (compiles, changes what the tests see)
safety: unsafe
rule:
  pattern: Double($A)
fix: Triple($A)
---
id: time-since
description: Use time.Since(t) instead of time.Now().Sub(t)
safety: safe
rule:
  pattern: time.Now().Sub($T)
fix: time.Since($T)
---
id: only-broken
description: Call Missing, which exists nowhere
safety: safe
rule:
  pattern: OnlyInA($A)
fix: Missing($A)
"""

MODULE = {
    "go.mod": "module example.com/m\n\ngo 1.22\n",
    "a/a.go": "package a\n\nfunc ComputeSlow(x int) int { return x * 2 }\n\nfunc OnlyInA(x int) int { return x }\n\n"
    "func Use() int { return ComputeSlow(1) + OnlyInA(2) }\n",
    "b/b.go": "package b\n\nfunc ComputeSlow(x int) int { return x * 2 }\n\nfunc ComputeFast(x int) int { return x + x }\n\n"
    "func Use() int { return ComputeSlow(1) }\n",
    "c/c.go": "package c\n\nfunc Double(x int) int { return 2 * x }\n\nfunc Triple(x int) int { return 3 * x }\n\n"
    "func Use() int { return Double(2) }\n",
    "c/c_test.go": 'package c\n\nimport "testing"\n\nfunc TestUse(t *testing.T) {\n\tif Use() != 4 {\n'
    '\t\tt.Fatalf("Use() = %d, want 4", Use())\n\t}\n}\n',
    "d/d.go": 'package d\n\nimport "time"\n\nfunc Age(t time.Time) time.Duration { return time.Now().Sub(t) }\n\n'
    "func Broken() int { return notDefinedAnywhere }\n",
    "e/e.go": 'package e\n\nimport "time"\n\nfunc Age(t time.Time) time.Duration { return time.Now().Sub(t) }\n',
    "e/gen.go": '//go:build ignore\n\npackage main\n\nimport "time"\n\nvar age = time.Now().Sub(time.Time{})\n',
    "w/w.go": "package w\n\nfunc ComputeSlow(x int) int { return x * 2 }\n",
    "w/x_windows.go": 'package w\n\nimport "time"\n\nfunc slow() int { return ComputeSlow(1) }\n\n'
    "func age(t time.Time) time.Duration { return time.Now().Sub(t) }\n",
}


@pytest.fixture(scope="session")
def go_build_cache(go_toolchain) -> str:
    """The user's Go build cache, asked before ``cache_dir`` moves XDG_CACHE_HOME (which would move it too)."""
    done = subprocess.run([go_toolchain.go, "env", "GOCACHE"], capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, go_build_cache: str) -> None:
    """No downloads, the local toolchain, no GOFLAGS or GOWORK from outside, and a warm build cache."""
    monkeypatch.setenv("GOCACHE", go_build_cache)
    monkeypatch.setenv("GOPROXY", "off")
    monkeypatch.setenv("GOTOOLCHAIN", "local")
    monkeypatch.delenv("GOFLAGS", raising=False)
    monkeypatch.delenv("GOWORK", raising=False)


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def make_repo(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "dev@example.com")
    git(root, "config", "user.name", "Dev")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    return root


@pytest.fixture
def module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "recipes.yaml").write_text(RECIPES)
    repo = make_repo(tmp_path / "repo", MODULE)
    monkeypatch.chdir(repo)
    return repo


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def report(result: Result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def by_path(document: dict) -> dict[str, dict]:
    return {file["path"]: file for file in document["files"]}


def statuses(file: dict) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """((recipe, status) of kept changes, (recipe, status) of withheld ones)."""
    kept = [(c["recipe_id"], c["verification"]["status"]) for c in file["changes"]]
    withheld = [(c["recipe_id"], c["verification"]["status"]) for c in file.get("withheld", [])]
    return kept, withheld


def test_build_withholds_what_breaks_a_package_and_writes_the_rest(module: Path, tmp_path: Path) -> None:
    recipes = str(tmp_path / "recipes.yaml")
    document = report(invoke("run", "-r", recipes, "--verify", "build", "--format", "json", "-q"))
    files = by_path(document)
    assert statuses(files["a/a.go"]) == ([], [("compute-fast", "withheld"), ("only-broken", "withheld")])
    assert files["a/a.go"]["status"] == "unchanged"
    assert "undefined: ComputeFast" in " ".join(files["a/a.go"]["withheld"][0]["verification"]["message"])
    assert statuses(files["b/b.go"]) == ([("compute-fast", "verified")], [])
    assert statuses(files["c/c.go"]) == ([("double-to-triple", "verified")], [])  # go build cannot see the test fail
    assert statuses(files["e/e.go"]) == ([("time-since", "verified")], [])
    ignored = files["e/gen.go"]["withheld"][0]["verification"]  # no configuration builds it: not verified
    assert (ignored["status"], ignored["reason"]) == (
        "unverified",
        "not verified: no build configuration gocodemod can check builds it (//go:build ignore)",
    )
    failing_before = files["d/d.go"]["withheld"][0]["verification"]
    assert (failing_before["status"], failing_before["reason"]) == (
        "unverified",
        "failing before the change, not verified",
    )
    assert "notDefinedAnywhere" in " ".join(failing_before["message"])
    windows = files["w/x_windows.go"]  # excluded from the default build: checked with GOOS=windows
    assert statuses(windows) == ([("time-since", "verified")], [("compute-fast", "withheld")])
    assert windows["withheld"][0]["verification"]["reason"] == "breaks go build with GOOS=windows"
    assert "x_windows.go" in windows["withheld"][0]["verification"]["message"][0]
    assert document["verification"]["level"] == "build"
    assert document["verification"]["failing_before"] == 1

    written = invoke("run", "-r", recipes, "--verify", "build", "--write")
    assert written.exit_code == 0, written.output
    assert "ComputeSlow(1) + OnlyInA(2)" in (module / "a/a.go").read_text()
    assert "return ComputeFast(1)" in (module / "b/b.go").read_text()
    assert "time.Now().Sub(t)" in (module / "d/d.go").read_text()  # failing before: withheld by default
    assert "time.Since(t)" in (module / "e/e.go").read_text()
    windows_text = (module / "w/x_windows.go").read_text()
    assert "ComputeSlow(1)" in windows_text and "time.Since(t)" in windows_text
    assert (
        "withheld a/a.go:7:25 compute-fast: breaks go build\n    a/a.go:7:25: undefined: ComputeFast" in written.stderr
    )
    assert "(--keep-unverified keeps it)" in written.stderr
    build = subprocess.run(["go", "build", "./..."], cwd=module, capture_output=True, text=True)
    assert "d/d.go" in build.stderr and "a/a.go" not in build.stderr  # only the failure that was there before


def test_test_level_withholds_a_change_that_fails_a_test(module: Path, tmp_path: Path) -> None:
    recipes = str(tmp_path / "recipes.yaml")
    document = report(invoke("run", "-r", recipes, "--verify", "test", "--format", "json", "-q", "c", "e"))
    files = by_path(document)
    withheld = files["c/c.go"]["withheld"][0]["verification"]
    assert (withheld["status"], withheld["reason"], withheld["tests"]) == ("withheld", "fails go test", ["TestUse"])
    assert any("want 4" in line for line in withheld["message"])
    assert statuses(files["e/e.go"]) == ([("time-since", "verified")], [])


def test_keep_unverified_writes_the_changes_of_a_package_failing_before(module: Path, tmp_path: Path) -> None:
    recipes = str(tmp_path / "recipes.yaml")
    result = invoke("run", "-r", recipes, "--verify", "vet", "--keep-unverified", "--write", "d")
    assert result.exit_code == 0, result.output
    assert "time.Since(t)" in (module / "d/d.go").read_text()
    assert "kept unverified d/d.go:5:46 time-since: failing before the change, not verified" in result.stderr
    (module / "d/d.go").write_text(MODULE["d/d.go"])
    sarif = json.loads(invoke("run", "-r", recipes, "--verify", "vet", "--format", "sarif", "-q", "d").stdout)
    [withheld] = sarif["runs"][0]["results"]
    assert (withheld["level"], "fixes" in withheld) == ("note", False)
    assert withheld["properties"]["verification"] == "unverified"
    assert withheld["properties"]["verificationReason"] == "failing before the change, not verified"


def test_a_rerun_answers_from_the_cache(module: Path, tmp_path: Path) -> None:
    recipes = str(tmp_path / "recipes.yaml")
    first = report(invoke("run", "-r", recipes, "--verify", "vet", "--format", "json", "-q", "a", "b", "e"))
    again = report(invoke("run", "-r", recipes, "--verify", "vet", "--format", "json", "-q", "a", "b", "e"))
    assert again["files"] == first["files"]
    assert again["verification"]["cached"] >= again["verification"]["packages"]
    (module / "a/fast.go").write_text("package a\n\nfunc ComputeFast(x int) int { return x + x }\n")
    fixed = report(invoke("run", "-r", recipes, "--verify", "vet", "--format", "json", "-q", "a"))
    assert statuses(by_path(fixed)["a/a.go"]) == ([("compute-fast", "verified")], [("only-broken", "withheld")])


def test_commit_branches_hold_only_verified_changes(module: Path, tmp_path: Path) -> None:
    recipes = str(tmp_path / "recipes.yaml")
    result = invoke("run", "-r", recipes, "--verify", "build", "--commit", "a", "b")
    assert result.exit_code == 0, result.output
    changed = git(module, "diff", "--name-only", "main", "gocodemod/compute-fast").splitlines()
    assert changed == ["b/b.go"]
    assert "gocodemod/only-broken: no branch: 1 file, 1 change withheld by --verify (breaks go build)" in result.stdout
    assert git(module, "branch", "--list", "gocodemod/only-broken") == ""
    assert git(module, "status", "--porcelain") == ""


def test_a_vendored_module_verifies_offline_against_its_vendor_directory(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "recipes.yaml").write_text(
        "id: dep-fast\ndescription: d\nsafety: safe\nrule:\n  pattern: dep.Slow()\nfix: dep.Fast()\n---\n"
        "id: dep-newer\ndescription: d\nsafety: safe\nrule:\n  pattern: dep.Old()\nfix: dep.Newer()\n"
    )
    repo = make_repo(
        tmp_path / "vendored",
        {
            "go.mod": "module example.com/v\n\ngo 1.22\n\nrequire example.org/dep v1.0.0\n",
            "vendor/modules.txt": "# example.org/dep v1.0.0\n## explicit\nexample.org/dep\n",
            "vendor/example.org/dep/dep.go": "package dep\n\nfunc Slow() int { return 1 }\n\nfunc Fast() int { return 1 }\n\n"
            "func Old() int { return 2 }\n",
            "app/app.go": 'package app\n\nimport "example.org/dep"\n\nfunc A() int { return dep.Slow() }\n\n'
            "func B() int { return dep.Old() }\n",
        },
    )
    monkeypatch.chdir(repo)
    document = report(invoke("run", "-r", str(tmp_path / "recipes.yaml"), "--verify", "vet", "--format", "json", "-q"))
    assert statuses(by_path(document)["app/app.go"]) == ([("dep-fast", "verified")], [("dep-newer", "withheld")])


def test_a_go_work_workspace_resolves_its_modules(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "recipes.yaml").write_text(
        "id: lib-fast\ndescription: d\nsafety: safe\nrule:\n  pattern: lib.Slow()\nfix: lib.Fast()\n---\n"
        "id: lib-newer\ndescription: d\nsafety: safe\nrule:\n  pattern: lib.Old()\nfix: lib.Newer()\n"
    )
    repo = make_repo(
        tmp_path / "ws",
        {
            "go.work": "go 1.22\n\nuse (\n\t./lib\n\t./app\n)\n",
            "lib/go.mod": "module example.com/lib\n\ngo 1.22\n",
            "lib/lib.go": "package lib\n\nfunc Slow() int { return 1 }\n\nfunc Fast() int { return 1 }\n\n"
            "func Old() int { return 2 }\n",
            "app/go.mod": "module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v0.0.0\n",
            "app/app.go": 'package app\n\nimport "example.com/lib"\n\nfunc A() int { return lib.Slow() }\n\n'
            "func B() int { return lib.Old() }\n",
        },
    )
    monkeypatch.chdir(repo)
    document = report(
        invoke("run", "-r", str(tmp_path / "recipes.yaml"), "--verify", "build", "--format", "json", "-q")
    )
    # example.com/lib resolves only through go.work (no version of it exists anywhere else)
    assert statuses(by_path(document)["app/app.go"]) == ([("lib-fast", "verified")], [("lib-newer", "withheld")])
    assert "lib.Fast()" in json.dumps(by_path(document)["app/app.go"]["diff"])


def test_ctrl_c_ends_the_checks_and_leaves_no_temporary_files(module: Path, tmp_path: Path) -> None:
    (module / "c/slow_test.go").write_text(
        'package c\n\nimport (\n\t"testing"\n\t"time"\n)\n\nfunc TestSlow(t *testing.T) { time.Sleep(time.Minute) }\n'
    )
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    command = [sys.executable, "-m", "codemod.cli", "run", "-r", str(tmp_path / "recipes.yaml"), "--verify", "test"]
    process = subprocess.Popen(
        [*command, "-q", "c"], cwd=module, env={**os.environ, "TMPDIR": str(scratch)}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    for _ in range(600):  # until the overlay exists (the tests are running on it)
        if any(path.name.startswith("gocodemod-overlay-") for path in scratch.iterdir()) or process.poll() is not None:
            break
        time.sleep(0.1)
    assert process.poll() is None, process.communicate()
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=30)  # well before the test's minute is up
    assert process.returncode != 0
    assert [path.name for path in scratch.iterdir() if path.name.startswith("gocodemod-")] == []
    assert "Triple(2)" not in (module / "c/c.go").read_text()


def test_per_file_only_the_file_that_breaks_is_withheld(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "recipes.yaml").write_text(
        "id: fast-method\ndescription: d\nsafety: safe\nrule:\n  pattern: $X.Slow()\nfix: $X.Fast()\n"
    )
    repo = make_repo(
        tmp_path / "q",
        {
            "go.mod": "module example.com/q\n\ngo 1.22\n",
            "types.go": "package q\n\ntype A struct{}\n\nfunc (A) Slow() int { return 1 }\n\nfunc (A) Fast() int { return 1 }\n\n"
            "type B struct{}\n\nfunc (B) Slow() int { return 2 }\n",
            "one.go": "package q\n\nfunc useA(a A) int { return a.Slow() }\n",
            "two.go": "package q\n\nfunc useB(b B) int { return b.Slow() }\n",
        },
    )
    monkeypatch.chdir(repo)
    document = report(
        invoke("run", "-r", str(tmp_path / "recipes.yaml"), "--verify", "build", "--format", "json", "-q")
    )
    files = by_path(document)
    assert statuses(files["one.go"]) == ([("fast-method", "verified")], [])
    assert statuses(files["two.go"]) == ([], [("fast-method", "withheld")])
    message = files["two.go"]["withheld"][0]["verification"]["message"]
    assert any("b.Fast undefined (type B has no field or method Fast)" in line for line in message)
