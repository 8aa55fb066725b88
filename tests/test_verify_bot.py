"""``--verify`` outside a plain run: the bot (fake GitHub, real bare repositories, real ``go``),
the missing-toolchain error, ``.gocodemod.yaml``'s ``verify:`` and an interactive review.

The bot verifies each recipe's changes on the base commit's files: the pull
request holds only verified changes, its body says the level, packages,
outcome and time and lists the withheld changes, and a recipe whose changes
all fail opens nothing.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_forge_common import git
from forge_cases import GITHUB, RENAME_FOO, RENAME_QUX, World
from rich.console import Console

import codemod.verify.toolchain as toolchain
from codemod.apply.interactive import review
from codemod.bot.launch import bot_verify_level
from codemod.cli.main import main
from codemod.recipes.load import load_recipes
from codemod.run.config import CONFIG_NAME
from codemod.run.tasks import RunOptions
from codemod.verify.session import VerifyRequest

FILES = {
    "go.mod": "module example.com/w\n\ngo 1.22\n",
    "main.go": 'package main\n\nimport "example.com/w/b"\n\nfunc Bar(xs ...int) {}\n\n'
    "func main() {\n\tFoo(1)\n\tb.Use()\n}\n\nfunc Foo(xs ...int) {}\n",
    "b/b.go": "package b\n\nfunc Foo(x int) {}\n\nfunc Use() { Foo(2) }\n",
}


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("GOPROXY", "off")
    monkeypatch.setenv("GOTOOLCHAIN", "local")
    return World(tmp_path, GITHUB)


@pytest.mark.slow
@pytest.mark.usefixtures("go_toolchain")
def test_the_bot_proposes_only_verified_changes_and_says_so_in_the_body(world: World) -> None:
    remote = world.add_repo(files=FILES)
    report = world.run(verify="build")
    assert not report.failed, [str(line) for line in report.lines]
    pr = world.only_pr()
    body = GITHUB.body(pr)
    assert "### Verification" in body
    assert "`go build` on 2 packages with the changes: passed (" in body
    assert "Withheld, not in this pull request (1):" in body
    assert "- `b/b.go:5` breaks go build: `b/b.go:5:14: undefined: Bar`" in body
    assert "gocodemod run -r rename-foo --verify build --write" in body
    changed = git(remote.bare, "diff", "--name-only", "main", "gocodemod/rename-foo").splitlines()
    assert changed == ["main.go"]  # b/b.go's change was not pushed
    shown = git(remote.bare, "show", "gocodemod/rename-foo:main.go")
    assert "\tBar(1)\n" in shown


@pytest.mark.slow
@pytest.mark.usefixtures("go_toolchain")
def test_a_recipe_whose_changes_all_fail_opens_no_pull_request(world: World) -> None:
    world.add_repo(files={**FILES, "main.go": 'package main\n\nimport "example.com/w/b"\n\nfunc main() { b.Use() }\n'})
    report = world.run(verify="build")
    assert world.open_prs() == []
    [line] = [line for line in report.lines if line.recipe == "rename-foo"]
    assert "withheld b/b.go:5:14 rename-foo: breaks go build" in str(line)


def test_the_bot_verifies_by_default_only_when_a_toolchain_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(toolchain, "go_tool", lambda: None)
    monkeypatch.setattr(toolchain, "find_go", lambda: None)
    assert bot_verify_level("auto") is None
    assert bot_verify_level("none") is None
    monkeypatch.setattr("codemod.bot.launch.go_tool", lambda: toolchain.GoTool("go", "go1.22"))
    assert bot_verify_level("auto") == "build"


def test_without_a_toolchain_verify_is_one_line_saying_how_to_get_one(
    repo: Path, recipes_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(toolchain, "find_go", lambda: None)
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(main, ["run", "-r", str(recipes_file), "--verify", "build"])
    assert result.exit_code == 2
    assert result.stderr == (
        "gocodemod: --verify needs the Go toolchain: put go on PATH (https://go.dev/dl/) "
        "or run: pip install 'gocodemod[go]'\n"
    )
    assert result.stdout == ""


def test_keep_unverified_needs_a_level(repo: Path, recipes_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(main, ["run", "-r", str(recipes_file), "--keep-unverified"])
    assert (result.exit_code, result.stderr) == (
        2,
        "gocodemod: --keep-unverified needs --verify (or verify: in .gocodemod.yaml)\n",
    )


def test_the_configuration_names_the_level_and_the_flag_wins(
    repo: Path, recipes_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(toolchain, "find_go", lambda: None)
    monkeypatch.chdir(repo)
    (repo / CONFIG_NAME).write_text("verify: vet\n")
    configured = CliRunner().invoke(main, ["run", "-r", str(recipes_file)])
    assert configured.exit_code == 2 and "--verify needs the Go toolchain" in configured.stderr
    assert CliRunner().invoke(main, ["run", "-r", str(recipes_file), "--verify", "none", "-q"]).exit_code == 0
    (repo / CONFIG_NAME).write_text("verify: compile\n")
    wrong = CliRunner().invoke(main, ["run", "-r", str(recipes_file)])
    assert wrong.exit_code == 2
    assert f"{CONFIG_NAME}:1:9: 'verify' must be one of none, build, vet, test" in wrong.stderr


@pytest.mark.slow
@pytest.mark.usefixtures("go_toolchain")
def test_interactive_verifies_what_was_accepted_before_writing(tmp_path: Path, monkeypatch) -> None:
    """rename-foo breaks package c and is withheld; rename-qux's accepted change stays and its
    declined one stays out (the file is made again from the answers, not from the recipes)."""
    monkeypatch.setenv("GOPROXY", "off")
    work = tmp_path / "work"
    (work / "c").mkdir(parents=True)
    (work / "go.mod").write_text("module example.com/w\n\ngo 1.22\n")
    (work / "c/c.go").write_text(
        "package c\n\nfunc Foo(x int) {}\n\nfunc Qux() {}\n\nfunc Quux() {}\n\n"
        "func A() { Foo(1) }\n\nfunc B() { Qux() }\n\nfunc C() {\n\tQux()\n}\n"
    )
    git(tmp_path, "init", "-q", str(work))
    git(work, "add", ".")
    git(work, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qm", "init")
    (tmp_path / "r.yaml").write_text(RENAME_FOO + "---\n" + RENAME_QUX)
    recipes = load_recipes([str(tmp_path / "r.yaml")], include_builtin=False)
    shown = io.StringIO()
    seen = [0]

    def read() -> str:  # decline the Qux() call in C, accept everything else
        hunk, seen[0] = shown.getvalue()[seen[0] :], len(shown.getvalue())
        return "n" if "c/c.go:14:" in hunk else "y"

    result, reviewer = review(work, recipes, console=Console(file=shown, width=200), read=read)
    VerifyRequest("build", RunOptions()).apply(result, accepted=reviewer.accepted_keys)
    [file] = [r for r in result.results if r.path == "c/c.go"]
    assert [(c.recipe_id, c.verification.status.value) for c in file.withheld] == [("rename-foo", "withheld")]
    assert [(c.recipe_id, c.verification.status.value) for c in file.changes] == [("rename-qux", "verified")]
    assert file.new_source is not None
    assert b"func A() { Foo(1) }" in file.new_source
    assert b"func B() { Quux() }" in file.new_source
    assert b"func C() {\n\tQux()\n}" in file.new_source
