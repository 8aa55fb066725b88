"""Fix recipes whose result is not a Go file: nothing is written, and the message names the recipe.

An empty result and a result without its package clause are refused with
or without gofmt (gofmt's standard input would take them as fragments); a
result only Go's parser rejects (``go f`` without a call) is refused also
when the file was not gofmt-clean before.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from reliability_support import git, go_files, stage_files

from codemod.api import apply
from codemod.cli.main import main
from codemod.model import Status
from codemod.recipes.load import load_recipe_text

CLEAN = "package main\n\nfunc main() {\n\tflush()\n}\n\nfunc flush() {}\n"
NOT_CLEAN = "package main\n\nfunc g() {   \n\tflush()\n}\n"  # trailing blanks: gofmt would change it

HOSTILE = {
    "empty": ("rule: {kind: source_file}\nfix: ''\n", "recipe empty left the file empty"),
    "no-package": ("rule: {kind: package_clause}\nfix: ''\n", "recipe no-package removed the package clause"),
    "only-comments": (
        "rule:\n  any: [{kind: package_clause}, {kind: function_declaration}]\nfix: '// gone'\n",
        "recipe only-comments removed the package clause",
    ),
}


@pytest.fixture
def hostile_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GOCODEMOD_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "go.mod").write_text("module example.com/hostile\n\ngo 1.22\n")
    (root / "main.go").write_text(CLEAN)
    (root / "g.go").write_text(NOT_CLEAN)
    git(root, "add", "-A")
    git(root, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "initial")
    monkeypatch.chdir(root)
    return root


def write_with(root: Path, recipe_id: str, body: str) -> tuple[int, str]:
    path = root.parent / f"{recipe_id}.yaml"
    path.write_text(f"id: {recipe_id}\ndescription: hostile\n{body}")
    result = CliRunner().invoke(main, ["run", "--write", "--no-cache", "-r", str(path), "."])
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stderr


@pytest.mark.parametrize("recipe_id", sorted(HOSTILE))
def test_a_result_that_is_not_a_go_file_is_not_written(hostile_repo: Path, recipe_id: str) -> None:
    before = go_files(hostile_repo)
    body, message = HOSTILE[recipe_id]
    code, stderr = write_with(hostile_repo, recipe_id, body)
    assert code == 3, stderr
    assert "wrote 0 files" in stderr
    for name in ("g.go", "main.go"):
        assert f"failed {name}: {message}" in stderr, stderr
    assert go_files(hostile_repo) == before
    assert stage_files(hostile_repo) == []


@pytest.mark.usefixtures("go_toolchain")  # Go's parser is asked through gofmt
def test_invalid_go_is_not_written_whether_or_not_the_file_was_gofmt_clean(hostile_repo: Path) -> None:
    before = go_files(hostile_repo)
    code, stderr = write_with(hostile_repo, "go-flush", "rule: {pattern: flush()}\nfix: go flush\n")
    assert code == 3, stderr
    for name in ("g.go", "main.go"):  # g.go has trailing blanks, main.go is gofmt-clean
        assert (
            f"failed {name}: recipe go-flush produced code that Go does not accept "
            "(line 4 column 10: expression in go must be function call); file left unchanged"
        ) in stderr, stderr
    assert go_files(hostile_repo) == before


@pytest.mark.usefixtures("go_toolchain")
def test_a_valid_fix_on_a_file_that_was_not_gofmt_clean_is_still_written(hostile_repo: Path) -> None:
    code, stderr = write_with(hostile_repo, "go-call", "rule: {pattern: flush()}\nfix: go func() {}()\n")
    assert code == 0, stderr
    assert (hostile_repo / "g.go").read_text() == NOT_CLEAN.replace("\tflush()", "\tgo func() {}()")


def test_an_import_after_other_declarations_is_refused_though_each_section_parses() -> None:
    """gofmt checks only the changed sections, each after a stand-in package clause: the order is checked here."""
    source = b"package p\n\ntype T int\n\nfunc f() {}\n"
    recipe = load_recipe_text(
        'id: late-import\ndescription: d\nrule: {kind: function_declaration}\nfix: import "fmt"\n'
    )
    result = apply(source, recipe)
    assert result.status is Status.FAILED and result.new_source is None
    assert result.reason == (
        "recipe late-import put an import after other declarations (line 5; Go wants imports first); "
        "file left unchanged"
    )
