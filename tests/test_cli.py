"""The ``gocodemod`` command line end to end: modes, formats, exit codes, errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from click.testing import CliRunner, Result
from gitfixtures import RECIPES_YAML, git, snapshot, write_files

from codemod.cli.main import main

BROKEN = """\
id: broken-fix
description: A fix that leaves code that does not parse
rule:
  pattern: time.Now().Sub($T)
fix: "time.Since($T"
"""


@pytest.fixture
def repo(repo: Path, recipes_file: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shared fixture repository as the current directory, ``recipes.yaml`` and ``broken.yaml`` beside it."""
    (repo.parent / "broken.yaml").write_text(BROKEN)
    monkeypatch.chdir(repo)
    return repo


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def recipes_file(repo: Path, name: str = "recipes.yaml") -> str:
    return str(repo.parent / name)


def test_dry_run_prints_the_patch_and_a_summary(repo: Path) -> None:
    before = snapshot(repo)
    result = invoke("run", "-r", recipes_file(repo))
    assert result.exit_code == 0
    assert result.stdout.startswith("# gocodemod: time-since (safe)\n--- a/dirty.go\n")
    assert "7 files scanned: 5 changed, 1 unchanged, 1 skipped, 0 failed; 1 finding" in result.stderr
    assert "main.go:10:2: error: println left in code [no-println]" in result.stderr
    assert snapshot(repo) == before


def test_check_exits_1_on_changes_and_0_when_clean(repo: Path) -> None:
    assert invoke("run", "--check", "-r", recipes_file(repo)).exit_code == 1
    clean = invoke("run", "--check", "-q", "-r", recipes_file(repo), "pkg/util/clean.go")
    assert (clean.exit_code, clean.stdout, clean.stderr) == (0, "", "")


@pytest.mark.parametrize(
    ("severity", "fail_on", "code"),
    [
        ("error", None, 1),
        ("error", "never", 0),
        ("warning", None, 0),
        ("warning", "warning", 1),
        ("warning", "error", 0),
        ("info", "info", 1),
        ("info", "warning", 0),
    ],
)
def test_check_fails_on_findings_at_or_above_fail_on(repo: Path, severity: str, fail_on: str | None, code: int) -> None:
    """Only findings here (no change pending): --check exits 1 on those at --fail-on or above."""
    write_files(
        repo,
        {
            "report.yaml": f"id: report-println\nseverity: {severity}\nrule: {{pattern: println($$$A)}}\nmessage: println\n"
        },
    )
    args = ("run", "--check", "-r", "report.yaml", *(("--fail-on", fail_on) if fail_on else ()), "main.go")
    result = invoke(*args)
    assert result.exit_code == code, result.output
    assert "main.go:10:2" in result.stderr
    assert "1 file scanned: 0 changed, 1 unchanged, 0 skipped, 0 failed; 1 finding\n" in result.stderr


def test_fail_on_needs_check(repo: Path) -> None:
    result = invoke("run", "--fail-on", "warning", "-r", recipes_file(repo))
    assert result.exit_code == 2 and result.stderr == "gocodemod: --fail-on needs --check\n"


def test_quiet_hides_progress_and_summary_but_not_failures_or_errors(repo: Path) -> None:
    quiet = invoke("run", "-q", "-r", recipes_file(repo))
    assert quiet.exit_code == 0 and quiet.stdout.startswith("# gocodemod:")
    # the error finding stays; the totals and the table go
    assert quiet.stderr == "main.go:10:2: error: println left in code [no-println]\n"
    failed = invoke("run", "-q", "-r", recipes_file(repo, "broken.yaml"), "pkg")
    assert failed.exit_code == 3
    lines = failed.stderr.splitlines()
    assert lines and all(line.startswith("failed pkg/") for line in lines)  # the failures, and nothing else
    assert any(line.startswith("failed pkg/util/util.go: recipe broken-fix produced code") for line in lines)


def test_a_file_of_bundles_runs_them(repo: Path) -> None:
    write_files(
        repo,
        {
            "bundles.yaml": "bundle: mine\nrecipes: [time-since, {id: no-println, severity: info}]\n",
            "nested.yaml": "bundle: outer\nrecipes: [mine]\n",
            "self.yaml": "bundle: loop\nrecipes: [time-since, loop]\n",
            "unknown.yaml": "bundle: typo\nrecipes: [time-sinse]\n",
        },
    )
    extra = ("-r", recipes_file(repo))  # the bundles' recipes, from a file of their own
    ran = invoke("run", "-r", "bundles.yaml", *extra, "main.go")
    assert ran.exit_code == 0 and "+++ b/main.go" in ran.stdout
    assert "main.go:10:2: info: println left in code [no-println]" in ran.stderr  # the bundle's severity
    assert invoke("run", "--check", *extra, "-r", "bundles.yaml", "main.go").exit_code == 1
    for name, message in [
        ("self.yaml", "self.yaml:2:23: bundle 'loop' lists itself"),
        ("unknown.yaml", "unknown.yaml:2:11: bundle 'typo' names unknown recipe 'time-sinse'\n"),
        ("nested.yaml", "nested.yaml:2:11: bundle 'outer' names bundle 'mine': a bundle lists recipes, not bundles"),
    ]:
        failed = invoke("run", *extra, "-r", "bundles.yaml", "-r", name, "main.go")
        assert failed.exit_code == 2 and failed.stdout == "", name
        assert failed.stderr.startswith(f"gocodemod: {message}"), failed.stderr


def test_failures_exit_3(repo: Path) -> None:
    result = invoke("run", "-r", recipes_file(repo, "broken.yaml"), "pkg")
    assert result.exit_code == 3
    assert "failed pkg/util/util.go: recipe broken-fix produced code that does not parse" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("run", "-r", "no-such-recipe"), "gocodemod: unknown recipe or bundle 'no-such-recipe'"),
        (("run", "--write", "--check"), "gocodemod: choose one of --write, --check"),
        (("run", "missing-dir"), "gocodemod: missing-dir: no such file or directory"),
        (("run", "--commit", "--author", "nobody"), "gocodemod: --author must look like 'Name <email>'"),
        (("test", "no-such-recipe"), "gocodemod: unknown recipe or bundle 'no-such-recipe'"),
    ],
)
def test_usage_errors_exit_2_with_one_line(repo: Path, args: tuple[str, ...], message: str) -> None:
    if args[0] == "run" and "-r" not in args:
        args = (*args, "-r", recipes_file(repo))
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [result.stderr.splitlines()[0]]
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.output


def test_bad_recipe_file_and_bad_config_point_at_file_line_column(repo: Path) -> None:
    bad = repo.parent / "bad.yaml"
    bad.write_text("id: Bad_Id\ndescription: x\nrule:\n  pattern: f()\nfix: g()\ncolour: red\n")
    result = invoke("run", "-r", str(bad))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and all(line.startswith(f"gocodemod: {bad}:") for line in lines)
    (repo / ".gocodemod.yaml").write_text("exclude: [gen]\nseverity: {time-since: loud}\n")
    result = invoke("run", "-r", recipes_file(repo))
    assert result.exit_code == 2
    assert (
        result.stderr == f"gocodemod: {repo / '.gocodemod.yaml'}:2:24: severity must be one of error, warning, info\n"
    )


def test_write_refuses_dirty_files_then_writes_atomically_keeping_modes(repo: Path) -> None:
    refused = invoke("run", "--write", "-r", recipes_file(repo))
    assert refused.exit_code == 2
    assert "refusing to write: uncommitted changes in: dirty.go, untracked.go" in refused.stderr
    assert "time.Now().Sub(t)" in (repo / "main.go").read_text()  # nothing written

    written = invoke("run", "--write", "--allow-dirty", "-r", recipes_file(repo))
    assert written.exit_code == 0 and written.stdout == ""
    assert "wrote 5 files" in written.stderr
    assert "time.Since(t)" in (repo / "main.go").read_text()
    assert (repo / "main.go").stat().st_mode & 0o777 == 0o755
    assert (repo / "pkg/util/util.go").stat().st_mode & 0o777 == 0o644
    assert not [p for p in repo.rglob("*.gocodemod")]  # no temporary files left
    assert invoke("run", "--check", "--fail-on", "never", "-r", recipes_file(repo)).exit_code == 0
    assert invoke("run", "--check", "-r", recipes_file(repo)).exit_code == 1  # the println finding is an error


def test_write_of_clean_files_needs_no_flag(repo: Path) -> None:
    result = invoke("run", "--write", "-r", recipes_file(repo), "pkg")
    assert result.exit_code == 0
    assert git(repo, "status", "--porcelain", "pkg").split() == ["M", "pkg/nonl/nonl.go", "M", "pkg/util/util.go"]


def test_formats_on_stdout(repo: Path) -> None:
    document = json.loads(invoke("run", "--format", "json", "-r", recipes_file(repo)).stdout)
    assert document["summary"]["changes"] == 6
    sarif = json.loads(invoke("run", "--format", "sarif", "-q", "-r", recipes_file(repo)).stdout)
    assert sarif["version"] == "2.1.0"
    stat = invoke("run", "--format", "stat", "-r", recipes_file(repo)).stdout
    assert stat.endswith("5 files changed, 6 insertions(+), 6 deletions(-)\n")


def test_flags_include_vendor_testdata_generated(repo: Path) -> None:
    args = ("run", "--format", "json", "-q", "-r", recipes_file(repo))
    plain = {f["path"] for f in json.loads(invoke(*args).stdout)["files"]}
    wide = json.loads(invoke(*args, "--include-vendor", "--include-testdata", "--include-generated").stdout)
    changed = {f["path"] for f in wide["files"] if f["status"] == "changed"}
    assert {"vendor/example.com/dep/dep.go", "testdata/case.go", "gen/gen.go"} <= changed
    assert "vendor/example.com/dep/dep.go" not in plain


def test_config_excludes_and_report_unused_ignores(repo: Path) -> None:
    (repo / ".gocodemod.yaml").write_text("exclude: [pkg/nonl]\n")
    write_files(repo, {"pkg/util/extra.go": "package util\n\n//gocodemod:ignore\nvar unused = 1\n"})
    document = json.loads(invoke("run", "--format", "json", "--report-unused-ignores", "-r", recipes_file(repo)).stdout)
    paths = {f["path"]: f for f in document["files"]}
    assert "pkg/nonl/nonl.go" not in paths
    (finding,) = paths["pkg/util/extra.go"]["findings"]
    assert finding["start"]["line"] == 3 and "unused suppression" in finding["message"]


def test_commit_prints_what_it_did_and_leaves_the_user_alone(repo: Path) -> None:
    before = snapshot(repo)
    result = invoke("run", "--commit", "--branch-prefix", "cm/", "-r", recipes_file(repo))
    assert result.exit_code == 0
    assert result.stdout.startswith("cm/time-since: created at ")
    assert snapshot(repo) == before
    again = invoke("run", "--commit", "--branch-prefix", "cm/", "-r", recipes_file(repo))
    assert "cm/time-since: already up to date at " in again.stdout


def test_list_shows_id_safety_default_description(repo: Path) -> None:
    write_files(repo, {"tools/recipes/demo.yaml": RECIPES_YAML, ".gocodemod.yaml": "recipe_dirs: [tools/recipes]\n"})
    result = invoke("list")
    assert result.exit_code == 0, result.stderr
    rows = [line.split(None, 3) for line in result.stdout.splitlines()]
    assert ["time-since", "safe", "default", "Use time.Since(t) instead of time.Now().Sub(t)"] in rows
    assert ["no-println", "report", "default", "Report println calls left in code"] in rows
    assert [row[:3] for row in rows if row[0] == "mutex-to-rwmutex"] == [["mutex-to-rwmutex", "unsafe", "opt-in"]]
    assert len({line.index(" safe") for line in result.stdout.splitlines() if " safe " in line}) == 1  # aligned
    bundle = [row for row in rows if row[0] == "go-modernize"]
    assert (
        bundle
        and bundle[0][1:3] == ["bundle", "opt-in"]
        and bundle[0][3].endswith("[waitgroup-go, interface-any, forvar]")
    )
    assert rows.index(bundle[0]) > max(rows.index(row) for row in rows if row[1] != "bundle")  # recipes, then bundles


def test_list_as_json(repo: Path) -> None:
    write_files(
        repo,
        {
            "tools/recipes/demo.yaml": RECIPES_YAML
            + "---\nbundle: demo\nrecipes: [time-since, {id: no-println, severity: info}]\n",
            ".gocodemod.yaml": "recipe_dirs: [tools/recipes]\nenable: [demo]\n",
        },
    )
    result = invoke("list", "--format", "json")
    assert result.exit_code == 0, result.stderr
    listing = json.loads(result.stdout)
    recipes = {recipe["id"]: recipe for recipe in listing["recipes"]}
    assert recipes["time-since"]["safety"] == "safe" and recipes["time-since"]["default"] is True
    assert recipes["mutex-to-rwmutex"]["default"] is False  # not in the enabled bundle
    assert recipes["no-println"]["source"] == str(repo / "tools/recipes/demo.yaml")
    bundles = {bundle["id"]: bundle for bundle in listing["bundles"]}
    assert bundles["demo"]["default"] is True
    assert bundles["demo"]["recipes"] == [{"id": "time-since"}, {"id": "no-println", "severity": "info"}]
    assert bundles["go-modernize"]["default"] is False


def test_real_console_script_from_a_subdirectory(repo: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    completed = subprocess.run(
        [sys.executable, "-m", "codemod.cli.main", "run", "-r", recipes_file(repo)],
        cwd=repo / "pkg", capture_output=True, env=env,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert b"--- a/pkg/util/util.go" in completed.stdout and b"a/main.go" not in completed.stdout
    subprocess.run(["git", "apply", "--check", "-"], cwd=repo, input=completed.stdout, check=True)


@pytest.mark.parametrize("args", [(), ("--check",), ("--format", "json"), ("--write", "--allow-dirty")])
def test_the_program_prints_and_exits_as_the_command_does(repo: Path, args: tuple[str, ...]) -> None:
    """As its own process the program ends a dry run or a check without the interpreter's teardown:
    the same bytes, summary and exit code as the command run in this process."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    argv = ["run", "-r", recipes_file(repo), *args]
    before = {path: path.read_bytes() for path in repo.rglob("*.go")}
    completed = subprocess.run(
        [sys.executable, "-m", "codemod.cli.main", *argv], cwd=repo, capture_output=True, env=env
    )
    for path, data in before.items():  # --write changed them
        path.write_bytes(data)
    in_process = invoke(*argv)
    assert completed.returncode == in_process.exit_code == (1 if args == ("--check",) else 0)
    assert completed.stdout.decode() == in_process.stdout
    assert completed.stderr.decode().splitlines()[-1] == in_process.stderr.splitlines()[-1]  # the summary's last line


def _on_a_terminal(repo: Path, *args: str, columns: int = 120) -> str:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    child = pexpect.spawn(sys.executable, ["-m", "codemod.cli.main", "run", "-r", recipes_file(repo), *args],
                          cwd=str(repo), env=env, encoding="utf-8", timeout=30, dimensions=(40, columns))  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    return child.before


def test_on_a_terminal_diffs_are_highlighted_and_progress_shows_unless_quiet(repo: Path) -> None:
    shown = _on_a_terminal(repo)
    assert "\x1b[" in shown  # colours
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown)
    assert "main.go  time-since (safe)" in plain and "# gocodemod:" not in plain
    assert "7/7 files" in plain and "gocodemod summary" in plain
    quiet = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", _on_a_terminal(repo, "--quiet"))
    assert "7/7 files" not in quiet and "gocodemod summary" not in quiet and "main.go  time-since (safe)" in quiet


def test_new_writes_a_recipe_that_passes_its_tests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jsonschema
    import yaml

    from codemod.recipes.scaffold import schema_path

    monkeypatch.chdir(tmp_path)
    created = invoke("new", "my-since", "--dir", "tools")
    assert created.exit_code == 0, created.output
    recipe = tmp_path / "tools" / "my-since.yaml"
    assert recipe.read_text().startswith(f"# yaml-language-server: $schema={schema_path()}\n")
    jsonschema.validate(yaml.safe_load(recipe.read_text()), json.loads(schema_path().read_text()))
    assert sorted(p.name for p in (tmp_path / "tools" / "golden" / "my-since").iterdir()) == [
        "basic.golden.go",
        "basic.input.go",
        "leaves-until-alone.golden.go",
        "leaves-until-alone.input.go",
    ]
    for selector in ("tools/my-since.yaml", "tools"):
        tested = invoke("test", selector)
        assert (tested.exit_code, tested.stdout) == (0, "3 passed, 0 failed\n"), tested.output
    (tmp_path / "tools" / "golden" / "my-since" / "basic.golden.go").write_text("package demo\n")
    assert invoke("test", "tools/my-since.yaml").exit_code == 1  # the golden case is really read

    before = recipe.read_text()
    for args, message in [
        (("new", "my-since", "--dir", "tools"), "gocodemod: not overwriting tools/my-since.yaml"),
        (("new", "forvar"), "gocodemod: 'forvar': a recipe or bundle of that id exists already"),
        (("new", "go-modernize"), "gocodemod: 'go-modernize': a recipe or bundle of that id exists already"),
        (("new", "My_Recipe"), "gocodemod: 'My_Recipe': a recipe id is kebab-case"),
    ]:
        refused = invoke(*args)
        assert refused.exit_code == 2 and refused.stderr.startswith(message), refused.output
    assert recipe.read_text() == before and not (tmp_path / "forvar.yaml").exists()


def test_shell_completion_of_the_console_script() -> None:
    """As docs/cli.md sets it up: click's completion through _GOCODEMOD_COMPLETE."""
    import shutil

    program = shutil.which("gocodemod")
    if program is None:
        pytest.skip("the gocodemod console script is not installed")

    def complete(*words: str) -> list[str]:
        env = {
            **os.environ,
            "_GOCODEMOD_COMPLETE": "bash_complete",
            "COMP_WORDS": " ".join(words),
            "COMP_CWORD": str(len(words) - 1),
        }
        done = subprocess.run([program], env=env, capture_output=True, text=True, timeout=60)
        return done.stdout.split()

    assert "plain,new" in complete("gocodemod", "n")
    assert complete("gocodemod", "run", "--fail-on", "") == [
        "plain,never",
        "plain,info",
        "plain,warning",
        "plain,error",
    ]
    script = subprocess.run(
        [program], env={**os.environ, "_GOCODEMOD_COMPLETE": "bash_source"}, capture_output=True, text=True, timeout=60
    )
    assert "_gocodemod_completion" in script.stdout


def test_a_narrow_terminal_still_names_every_recipe_of_a_file(repo: Path) -> None:
    write_files(repo, {"two.yaml": "id: println-to-print\nrule: {pattern: println($$$A)}\nfix: print($$$A)\n"})
    shown = _on_a_terminal(repo, "-r", "two.yaml", "-q", "main.go", columns=24)
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown)
    header = " ".join(plain[: plain.index("--- a/main.go")].split())
    assert "time-since (safe)" in header and "println-to-print (safe)" in header and "…" not in header


def test_messages_say_what_is_missing_and_count_right(repo: Path) -> None:
    write_files(repo, {"noid.yaml": "description: no id here\nrule: {pattern: println($$$A)}\n"})
    missing = invoke("run", "-r", "noid.yaml")
    assert missing.exit_code == 2 and missing.stderr.startswith("gocodemod: noid.yaml:1:1: missing id")
    stat = invoke("run", "--format", "stat", "-r", recipes_file(repo), "pkg/util/util.go")
    assert stat.stdout.endswith(" 1 file changed, 1 insertion(+), 1 deletion(-)\n"), stat.stdout
    assert "1 file scanned: 1 changed" in stat.stderr


def test_a_run_with_every_recipe_disabled_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never a silent green: a --check that ran nothing fails."""
    monkeypatch.chdir(tmp_path)
    listing = json.loads(invoke("list", "--format", "json").stdout)["recipes"]
    defaults = [recipe["id"] for recipe in listing if recipe["default"]]
    unsafe = sum(recipe["safety"] == "unsafe" for recipe in listing)
    write_files(
        tmp_path, {"a.go": "package p\n\nvar x interface{}\n", ".gocodemod.yaml": f"disable: [{', '.join(defaults)}]\n"}
    )
    result = invoke("run", "--check", ".")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(
        f"gocodemod: no recipes to run: .gocodemod.yaml disables every one ({unsafe} unsafe left out"
    )
    assert invoke("run", "--check", "--unsafe", ".").exit_code == 0  # the unsafe ones run: nothing for them here
