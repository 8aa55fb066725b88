"""Bad input through the real command line: one clear line, right exit code, files intact.

The quality bar: a user mistake gets ``gocodemod: file:line:column: message``
and a non-zero exit, never a traceback, a half-written file or lost work;
Go files that do not parse are skipped with a warning, not rewritten.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from codemod.api import apply, load_recipes
from codemod.apply import writer
from codemod.cli.main import main

GO_SOURCE = """\
package main

import "time"

func main() {
	go work()
	time.Sleep(time.Second)
}

func work() {}
"""

BASE_RECIPE = "id: probe\nsafety: report\nrule: {pattern: foo()}\n"
LOCATED = re.compile(r"^gocodemod: (?P<path>[^:]+):(?P<line>\d+):(?P<column>\d+): \S")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory (not a git repository) with one Go file the built-in recipes change."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "go.mod").write_text("module example.com/p\n\ngo 1.22\n")
    (root / "main.go").write_text(GO_SOURCE)
    monkeypatch.chdir(root)
    return root


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def error_lines(result: Result) -> list[str]:
    """The error lines of a failed call; asserts it ended cleanly with a message."""
    assert isinstance(result.exception, SystemExit) or result.exception is None, result.exception
    assert "Traceback" not in result.output + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines, "no error message"
    return lines


def assert_located(result: Result, path: str, line: int, column: int | None = None, words: str = "") -> str:
    """Exit 2 and one ``gocodemod: path:line:column: message`` line naming ``path``."""
    assert result.exit_code == 2, result.output + result.stderr
    lines = error_lines(result)
    assert len(lines) == 1, lines
    found = LOCATED.match(lines[0])
    assert found, lines[0]
    assert found["path"].endswith(path)
    assert int(found["line"]) == line, lines[0]
    if column is not None:
        assert int(found["column"]) == column, lines[0]
    assert words.lower() in lines[0].lower(), lines[0]
    return lines[0]


def run_recipe(project: Path, text: str | bytes, *extra: str) -> Result:
    recipe = project.parent / "recipe.yaml"
    recipe.write_bytes(text if isinstance(text, bytes) else text.encode())
    return invoke("run", "-q", "-r", str(recipe), *extra, ".")


# Malformed YAML -------------------------------------------------------------


@pytest.mark.parametrize(
    "text, line, column",
    [
        ("id: a\n\tdescription: x\n", 2, 1),  # a tab
        ("id: a\n  description: x\nrule: {pattern: foo()}\n", 2, 14),  # bad indentation
        ("id: a\nsafety: report\nrule: {pattern: 'foo(('}\n", 3, 21),  # a pattern that does not parse
        ("id: a\nsafety: report\nrule: {regex: 'a('}\n", 3, 17),
        ("id: a\nsafety: report\nrule: {inside: {kind: block, stopBy: sideways}}\n", 3, 30),
        ("id: a\nsafety: report\nrule: {kind: no_such_kind}\n", 3, 8),
        ("id: a\nsafety: report\nrule: {frobnicate: 1}\n", 3, 8),
    ],
)
def test_malformed_recipes_name_the_place(project: Path, text: str, line: int, column: int) -> None:
    assert_located(run_recipe(project, text), "recipe.yaml", line, column)


def test_binary_garbage_recipe_is_one_located_line(project: Path) -> None:
    assert_located(run_recipe(project, b"\x89PNG\r\n\x1a\n\x00\x00"), "recipe.yaml", 1, 1)


def test_non_utf8_recipe_names_the_line_and_column_of_the_bad_byte(project: Path) -> None:
    text = b'id: a\nsafety: report\ndescription: "caf\xe9"\nrule: {pattern: foo()}\n'
    assert_located(run_recipe(project, text), "recipe.yaml", 3, 18, "utf-8")


def test_duplicate_recipe_key_is_an_error_at_the_second_one(project: Path) -> None:
    assert_located(
        run_recipe(project, BASE_RECIPE.replace("id: probe", "id: a\nid: b")), "recipe.yaml", 2, 1, "duplicate key 'id'"
    )


def test_complex_yaml_key_is_an_error_not_a_traceback(project: Path) -> None:
    assert_located(run_recipe(project, BASE_RECIPE + "? [a, b]\n: c\n"), "recipe.yaml", 4, 3)


@pytest.mark.parametrize(
    "extra, line, column",
    [
        ("description: [1, 2]", 4, 1),
        ("message: 5", 4, 1),
        ("note: [1]", 4, 1),
        ("examples: 5", 4, 1),
        ("examples: [{before: 5}]", 4, 12),
        ("examples: [{before: 'package p', after: [1]}]", 4, 12),
        ("imports: {add: 5}", 4, 11),
        ("imports: {add: [5]}", 4, 11),
        ("imports: {remove-if-unused: x}", 4, 11),
        ("constraints: 5", 4, 1),
        ("constraints: [x]", 4, 1),
        ("utils: 5", 4, 1),
        ("utils: [x]", 4, 1),
        ("go: 1.20", 4, 1),  # unquoted: YAML reads the float 1.2
    ],
)
def test_wrong_types_for_recipe_keys_are_located(project: Path, extra: str, line: int, column: int) -> None:
    assert_located(run_recipe(project, BASE_RECIPE + extra + "\n"), "recipe.yaml", line, column)


@pytest.mark.parametrize("key", ["edits", "rewrite", "refuse"])
def test_wrong_types_inside_a_fix_are_located(project: Path, key: str) -> None:
    text = f"id: a\nsafety: safe\nrule: {{pattern: foo($X)}}\nfix: {{replace: bar($X), {key}: 5}}\n"
    assert_located(run_recipe(project, text), "recipe.yaml", 4)


def test_unknown_relation_field_is_located(project: Path) -> None:
    text = "id: a\nsafety: report\nrule: {kind: call_expression, inside: {kind: block, field: nofield}}\n"
    assert_located(run_recipe(project, text), "recipe.yaml", 3, 53, "nofield")


def test_unbound_template_variable_is_located(project: Path) -> None:
    text = "id: a\nsafety: safe\nrule: {pattern: foo($X)}\nfix: bar($X, $Y)\n"
    assert_located(run_recipe(project, text), "recipe.yaml", 4, 1, "$Y")


@pytest.mark.parametrize(
    "text, line, column, words",
    [
        ("bundle: [x]\nrecipes: [forvar]\n", 1, 1, "kebab-case"),
        ("bundle: 5\nrecipes: [forvar]\n", 1, 1, "kebab-case"),
        ("bundle: my-b\ndescription: [1]\nrecipes: [forvar]\n", 2, 1, "description"),
        ("bundle: my-b\nrecipes: [{id: forvar, severity: loud}]\n", 2, 24, "severity"),
        (BASE_RECIPE + "---\n" + BASE_RECIPE.replace("foo()", "bar()"), 5, 1, "duplicate id 'probe'"),
        ("id: forvar\nsafety: report\nrule: {pattern: foo()}\n", 1, 1, "duplicate recipe id 'forvar'"),
        ("bundle: forvar\nrecipes: [interface-any]\n", 1, 1, "is also a recipe id"),
    ],
)
def test_bad_bundles_and_clashing_ids_are_located(project: Path, text: str, line: int, column: int, words: str) -> None:
    assert_located(run_recipe(project, text), "recipe.yaml", line, column, words)


def test_recipe_directory_with_one_bad_file_reports_it_and_runs_nothing(project: Path) -> None:
    recipes = project.parent / "recipes"
    recipes.mkdir()
    (recipes / "good.yaml").write_text(BASE_RECIPE)
    (recipes / "bad.yaml").write_text(BASE_RECIPE.replace("foo()", "'foo(('"))
    assert_located(invoke("run", "-q", "-r", str(recipes), "--write", "."), "bad.yaml", 3)
    assert (project / "main.go").read_text() == GO_SOURCE


def test_missing_recipe_file_says_so(project: Path) -> None:
    result = invoke("run", "-q", "-r", "../nowhere/missing.yaml", ".")
    assert result.exit_code == 2
    assert error_lines(result) == ["gocodemod: ../nowhere/missing.yaml: no such file or directory"]


@pytest.mark.parametrize("make", [lambda p: p.write_text(""), lambda p: p.mkdir()])
def test_empty_recipe_file_or_directory_is_an_error(project: Path, make) -> None:
    target = project.parent / "empty.yaml"
    make(target)
    result = invoke("run", "-q", "-r", str(target), ".")
    assert result.exit_code == 2
    assert error_lines(result) == [f"gocodemod: {target}: no recipes found"]


def test_unknown_recipe_id(project: Path) -> None:
    for args in (["run", "-q", "-r", "no-such-recipe", "."], ["test", "no-such-recipe"]):
        result = invoke(*args)
        assert result.exit_code == 2
        assert error_lines(result) == ["gocodemod: unknown recipe or bundle 'no-such-recipe' (see 'gocodemod list')"]


def test_test_command_knows_the_recipes_of_configured_recipe_dirs(project: Path) -> None:
    recipes = project / "recipes"
    recipes.mkdir()
    example = (
        '  - before: "package p\\n\\nfunc f() { foo(1) }\\n"\n    after: "package p\\n\\nfunc f() { bar(1) }\\n"\n'
    )
    (recipes / "mine.yaml").write_text(
        "id: mine\nsafety: safe\nrule: {pattern: foo($X)}\nfix: bar($X)\nexamples:\n" + example
    )
    (project / ".gocodemod.yaml").write_text("recipe_dirs: [recipes]\n")
    result = invoke("test", "mine")
    assert result.exit_code == 0, result.output + result.stderr
    assert result.output.strip().endswith("1 passed, 0 failed")


# Configuration --------------------------------------------------------------


@pytest.mark.parametrize(
    "text, line, column",
    [
        ("\tbad: 1\n", 1, 1),
        ("bogus: 1\n", 1, 1),
        ("enable: 5\n", 1, 9),
        ("exclude: [5]\n", 1, 11),
        ("severity: {forvar: loud}\n", 1, 20),
        ("enable: [forvar]\nenable: [interface-any]\n", 2, 1),  # a duplicate key
        ("severity: {forvar: error, forvar: info}\n", 1, 27),
        ("severity: {no-such-recipe: error}\n", 1, 28),
        ("enable: [forvar]\nexclude: ['caf\xe9']\n", 2, 15),
    ],
)
def test_bad_configuration_is_located(project: Path, text: str, line: int, column: int) -> None:
    (project / ".gocodemod.yaml").write_bytes(text.encode("latin-1"))
    assert_located(invoke("run", "-q", "."), ".gocodemod.yaml", line, column)


# Paths and Go files ---------------------------------------------------------


def test_nonexistent_path(project: Path) -> None:
    result = invoke("run", "-q", "nowhere")
    assert result.exit_code == 2
    assert error_lines(result) == ["gocodemod: nowhere: no such file or directory"]


def test_symlink_loop_path_is_an_error_not_a_traceback(project: Path) -> None:
    os.symlink("loop-b", project / "loop-a")
    os.symlink("loop-a", project / "loop-b")
    result = invoke("run", "-q", "loop-a")
    assert result.exit_code == 2
    assert error_lines(result) == ["gocodemod: loop-a: too many levels of symbolic links"]


@pytest.mark.parametrize("go_mod", ["module example.com/p\n", "module example.com/p\n\ngo banana\n"])
def test_go_mod_without_a_valid_go_line_counts_as_go_1_16(project: Path, go_mod: str) -> None:
    (project / "go.mod").write_text(go_mod)
    result = invoke("run", "--check", "-q", "-r", "sleep-to-waitgroup", ".")  # needs Go 1.22
    assert result.exit_code == 0, result.output


def test_go_mod_with_a_prerelease_go_line(project: Path) -> None:
    (project / "go.mod").write_text("module example.com/p\n\ngo 1.22rc1\n")
    assert invoke("run", "--check", "-q", "-r", "sleep-to-waitgroup", ".").exit_code == 1


def test_go_files_that_do_not_parse_are_skipped_not_rewritten(project: Path) -> None:
    broken = "package main\n\nfunc f() {\n\tgo work()\n\ttime.Sleep(time.Second)\n"
    (project / "broken.go").write_text(broken)
    (project / "latin1.go").write_bytes(b"package main\n\n// caf\xe9\n")
    (project / "empty.go").write_bytes(b"")
    result = invoke("run", "--write", "--unsafe", ".")  # sleep-to-waitgroup (unsafe) would change broken.go
    assert result.exit_code == 0, result.stderr
    assert (project / "broken.go").read_text() == broken
    assert "syntax error at 6:1" in result.stderr and "broken.go" in result.stderr
    assert (project / "main.go").read_text() != GO_SOURCE


ODD_BYTES_SOURCE = GO_SOURCE.encode().replace(
    b"func main", b"// caf\xe9, page\x0cbreak, line\xe2\x80\xa8separator\nfunc main"
)


def test_dry_run_patch_of_a_file_with_odd_bytes_applies_with_git(project: Path) -> None:
    """Non-UTF-8 bytes, a form feed and U+2028 must not corrupt the patch."""
    (project / "main.go").write_bytes(ODD_BYTES_SOURCE)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    patch = subprocess.run(
        [sys.executable, "-m", "codemod.cli.main", "run", "-q", "-r", "sleep-to-waitgroup", "."],
        cwd=project, capture_output=True, check=True,
    ).stdout  # fmt: skip
    applied = subprocess.run(["git", "apply", "--check", "-"], cwd=project, input=patch, capture_output=True)
    assert applied.returncode == 0, applied.stderr.decode()
    assert b"caf\xe9" in patch


@pytest.mark.parametrize("fmt", ["json", "sarif", "stat"])
def test_reports_of_a_file_with_odd_bytes_are_valid_utf8(project: Path, fmt: str) -> None:
    (project / "main.go").write_bytes(ODD_BYTES_SOURCE)
    result = subprocess.run(
        [sys.executable, "-m", "codemod.cli.main", "run", "-q", "--format", fmt, "-r", "sleep-to-waitgroup", "."],
        cwd=project, capture_output=True, check=True,
    )  # fmt: skip
    text = result.stdout.decode("utf-8")
    if fmt != "stat":
        json.loads(text)


# Flags ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["--write", "--check"], "choose one of --write, --check"),
        (["--interactive"], "--interactive needs a terminal on standard input"),
        (["--commit"], "--commit needs a git repository"),
    ],
)
def test_flag_mistakes(project: Path, args: list[str], message: str) -> None:
    result = invoke("run", *args, ".")
    assert result.exit_code == 2
    assert error_lines(result) == [f"gocodemod: {message}"]
    assert (project / "main.go").read_text() == GO_SOURCE


@pytest.mark.parametrize("jobs", ["0", "-1", "many"])
def test_bad_job_counts(project: Path, jobs: str) -> None:
    result = invoke("run", "-j", jobs, ".")
    assert result.exit_code == 2
    assert "Invalid value for '-j'" in result.stderr


def test_commit_on_a_repository_without_commits(project: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    result = invoke("run", "--commit", ".")
    assert result.exit_code == 2
    assert error_lines(result) == ["gocodemod: --commit needs a commit to start from (HEAD has none yet)"]


@pytest.mark.parametrize("prefix", ["bad..name/", "with space/", "-dash/"])
def test_commit_with_a_bad_branch_prefix_is_refused_before_any_work(project: Path, prefix: str) -> None:
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "add", "."], cwd=project, check=True)
    subprocess.run(
        ["git", "-c", "user.name=A", "-c", "user.email=a@example.com", "commit", "-qm", "init"], cwd=project, check=True
    )
    result = invoke("run", "--commit", "-r", "sleep-to-waitgroup", "--branch-prefix", prefix, ".")
    assert result.exit_code == 2
    expected = f"gocodemod: --branch-prefix {prefix!r} does not make a valid git branch name ({prefix + 'sleep-to-waitgroup'!r})"
    assert error_lines(result) == [expected]
    branches = subprocess.run(
        ["git", "branch", "--format=%(refname:short)"], cwd=project, capture_output=True, text=True
    )
    assert len(branches.stdout.split()) == 1


def test_bot_without_a_token_uses_the_common_error_prefix(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GH_TOKEN", raising=False)
    result = invoke("bot", "--repo", ".", "-r", "forvar")
    assert result.exit_code == 2
    [line] = error_lines(result)
    assert line.startswith("gocodemod: ") and "GITHUB_TOKEN" in line


# Writing: never a half-written file or lost work -----------------------------


def _make_read_only(directory: Path) -> bool:
    """Read-only even for root (chattr +i); False when that is not possible here."""
    if os.geteuid() != 0:
        directory.chmod(0o555)
        return True
    return (
        shutil.which("chattr") is not None
        and subprocess.run(["chattr", "+i", str(directory)], capture_output=True).returncode == 0
    )


def test_write_into_a_read_only_directory_writes_nothing(project: Path) -> None:
    sub = project / "sub"
    sub.mkdir()
    other = GO_SOURCE.replace("package main", "package sub").replace("func main", "func Main")
    (sub / "other.go").write_text(other)
    if not _make_read_only(sub):
        pytest.skip("cannot make a directory read-only here")
    try:
        result = invoke("run", "--write", "--unsafe", "-q", ".")  # sleep-to-waitgroup is unsafe
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(sub)], capture_output=True)
        sub.chmod(0o755)
    assert result.exit_code == 3
    [line] = error_lines(result)
    assert line.startswith("gocodemod: sub/other.go: cannot write: ") and line.endswith("; nothing was written"), line
    assert (project / "main.go").read_text() == GO_SOURCE  # staged first, so not written either
    assert (sub / "other.go").read_text() == other
    assert sorted(p.name for p in project.iterdir()) == ["go.mod", "main.go", "sub"]


def test_interrupted_write_leaves_every_file_as_it_was(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = GO_SOURCE.replace("main()", "other()").replace("work", "job")
    (project / "other.go").write_text(other)
    real_fsync = os.fsync
    calls: list[int] = []

    def interrupt_second(descriptor: int) -> None:
        calls.append(descriptor)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_fsync(descriptor)

    monkeypatch.setattr(writer.os, "fsync", interrupt_second)
    result = invoke("run", "--write", "--unsafe", "-q", "-j", "1", ".")  # sleep-to-waitgroup is unsafe
    assert result.exit_code == 130
    assert error_lines(result) == ["gocodemod: interrupted"]
    assert (project / "main.go").read_text() == GO_SOURCE
    assert (project / "other.go").read_text() == other
    assert sorted(p.name for p in project.iterdir()) == ["go.mod", "main.go", "other.go"]


def test_interrupt_during_a_run_is_one_line_and_exit_130(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr("codemod.cli.run.execute", interrupted)
    result = invoke("run", "--check", ".")
    assert result.exit_code == 130
    assert error_lines(result) == ["gocodemod: interrupted"]


# The Python API -------------------------------------------------------------


@pytest.mark.parametrize("source", [b"", "", b"\x00\xff\xfe garbage {{{", "package main\n\nfunc f( {\n"])
def test_api_apply_never_raises_and_never_rewrites_garbage(source: bytes | str) -> None:
    result = apply(source, load_recipes(["sleep-to-waitgroup"]))
    assert not result.changed
    assert result.status.value in ("unchanged", "skipped")


def test_api_apply_takes_str_decoded_with_surrogateescape() -> None:
    raw = b"package main\n\n// caf\xe9\nvar s = 1\n"
    result = apply(raw.decode("utf-8", "surrogateescape"), load_recipes(["forvar"]))
    assert result.status.value == "unchanged"


def test_api_apply_rejects_a_source_of_the_wrong_type_clearly() -> None:
    with pytest.raises(TypeError, match="source must be bytes or str, not NoneType"):
        apply(None, load_recipes(["forvar"]))  # type: ignore[arg-type]


def test_api_apply_rejects_recipe_ids_in_place_of_recipes() -> None:
    with pytest.raises(TypeError, match=r"recipes must be Recipe objects \(see load_recipes\), not str"):
        apply(b"package p\n", ["forvar"])  # type: ignore[list-item]
