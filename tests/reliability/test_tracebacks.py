"""Hostile recipes and broken surroundings end in one located line, never a traceback.

Rules nested deeper than the compiler allows, YAML nested thousands of
levels deep or aliased into a bomb (recipes and ``.gocodemod.yaml``), utils
that match each other on one node, regexes RE2 cannot run: each is a load
error naming ``file:line:column``, exit 2. An unusable cache location is
one warning and a run without the cache. A file that cannot be read says
why; a named pipe on the command line is refused.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from codemod.cache import store
from codemod.cli.main import main
from codemod.run.files import WorkingTree
from codemod.run.tasks import PackageReader

GO_SOURCE = """\
package p

func f(a interface{}) interface{} {
	return a
}
"""
LOCATED = re.compile(r"^gocodemod: (?P<path>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<message>.+)$")
ANY_RECIPE = "id: to-any\ndescription: any\nrule: {pattern: 'interface{}'}\nfix: any\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory (not a repository) with one Go file, the caches pointed into ``tmp_path``."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "go.mod").write_text("module example.com/p\n\ngo 1.22\n")
    (root / "p.go").write_text(GO_SOURCE)
    monkeypatch.setenv("GOCODEMOD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.chdir(root)
    return root


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def load_error(project: Path, recipe_text: str) -> tuple[int, int, str]:
    """Run ``recipe_text`` as a recipe file: the one located error line's (line, column, message)."""
    recipe = project.parent / "recipe.yaml"
    recipe.write_text(recipe_text)
    result = invoke("run", "-r", str(recipe), ".")
    assert result.exit_code == 2, result.output + result.stderr
    assert "Traceback" not in result.output + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    found = LOCATED.match(lines[0])
    assert found and found["path"].endswith("recipe.yaml"), lines[0]
    assert (project / "p.go").read_text() == GO_SOURCE
    return int(found["line"]), int(found["column"]), found["message"]


def nested(key: str, depth: int) -> str:
    """``{key: {key: ... {kind: identifier}}}``, ``depth`` keys deep."""
    return f"{{{key}: " * depth + "{kind: identifier}" + "}" * depth


def test_rules_nested_past_the_limit_are_a_load_error(project: Path) -> None:
    line, column, message = load_error(project, "id: deep\nsafety: report\nrule: " + nested("not", 80) + "\n")
    assert "nested deeper than 64" in message
    assert line == 3 and column > 64 * len("not: {")  # at the first rule object past the limit


def test_rules_nested_far_past_the_limit_stop_at_the_yaml_depth(project: Path) -> None:
    for key in ("not", "all"):
        inner = "{all: [" * 170 + "{kind: identifier}" + "]}" * 170 if key == "all" else nested("not", 170)
        line, _, message = load_error(project, f"id: deep\nsafety: report\nrule: {inner}\n")
        assert line == 3 and "nested deeper than 100 levels" in message


def test_yaml_thousands_of_levels_deep_is_a_load_error(project: Path) -> None:
    line, column, message = load_error(project, "id: deep\nrule: " + "[" * 5000 + "]" * 5000 + "\n")
    assert (line, column) == (2, len("rule: ") + 100) and "nested deeper than 100" in message


def test_a_yaml_alias_bomb_is_refused_before_it_expands(project: Path) -> None:
    levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for index in range(1, 9):
        name, previous = chr(ord("a") + index), chr(ord("a") + index - 1)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    line, _, message = load_error(project, "\n".join(levels) + "\nid: bomb\n")
    assert "aliases expand to more than" in message and line <= len(levels)


def test_aliases_within_the_budget_still_load(project: Path) -> None:
    recipe = project.parent / "recipe.yaml"
    recipe.write_text(
        "id: to-any\ndescription: any\nutils:\n  empty: &empty {pattern: 'interface{}'}\n"
        "rule: {any: [*empty, *empty]}\nfix: any\n"
    )
    result = invoke("run", "-r", str(recipe), "--write", ".")
    assert result.exit_code == 0, result.output + result.stderr
    assert "func f(a any) any {" in (project / "p.go").read_text()


def test_an_alias_inside_its_own_anchor_is_a_load_error(project: Path) -> None:
    line, column, message = load_error(project, "id: loop\nsafety: report\nrule: &r {all: [*r]}\n")
    assert (line, column) == (3, 17) and "containing itself" in message


@pytest.mark.parametrize(
    ("utils", "ring"),
    [
        ("  a: {matches: b}\n  b: {matches: a}\n", "a -> b -> a"),
        ("  a: {all: [{kind: identifier}, {matches: a}]}\n", "a -> a"),
        ("  a: {not: {matches: b}}\n  b: {any: [{kind: comment}, {matches: a}]}\n", "a -> b -> a"),
    ],
)
def test_utils_matching_each_other_on_one_node_are_a_load_error(project: Path, utils: str, ring: str) -> None:
    text = f"id: ring\nsafety: report\nutils:\n{utils}rule: {{matches: a}}\n"
    line, column, message = load_error(project, text)
    assert (line, column) == (4, 3) and ring in message and "same node" in message


def chained_utils(links: int, uses: int) -> str:
    """A recipe whose util ``u0`` matches ``u1`` ``uses`` times, ``u1`` ``u2``, ... ``links`` times over."""
    lines = ["id: chain", "safety: report", "message: found", "utils:"]
    for index in range(links):
        alternatives = ", ".join(["{kind: comment}"] + [f"{{matches: u{index + 1}}}"] * uses)
        lines.append(f"  u{index}: {{any: [{alternatives}]}}")
    lines.append(f"  u{links}: {{kind: return_statement}}")
    return "\n".join(lines) + "\nrule: {matches: u0}\n"


def test_a_long_chain_of_utils_is_a_load_error(project: Path) -> None:
    line, column, message = load_error(project, chained_utils(400, 1))
    assert (line, column) == (406, 1) and "deeper than 120 levels once utils are expanded" in message


def test_utils_doubling_at_every_link_are_a_load_error(project: Path) -> None:
    line, _, message = load_error(project, chained_utils(30, 2))
    assert line == 36 and "rules once utils are expanded (at most 50000)" in message


def test_a_chain_of_utils_within_the_limits_runs(project: Path) -> None:
    recipe = project.parent / "recipe.yaml"
    recipe.write_text(chained_utils(50, 1))
    result = invoke("run", "-r", str(recipe), ".")
    assert result.exit_code == 0, result.output + result.stderr
    assert "p.go:4:2" in result.output + result.stderr


def test_a_util_recursing_through_a_relation_still_runs(project: Path) -> None:
    recipe = project.parent / "recipe.yaml"
    recipe.write_text(
        "id: in-func\nsafety: report\nmessage: inside a function\nutils:\n"
        "  within: {any: [{kind: function_declaration}, {inside: {matches: within}}]}\n"
        "rule: {kind: return_statement, matches: within}\n"
    )
    result = invoke("run", "-r", str(recipe), ".")
    assert result.exit_code == 0, result.output + result.stderr
    assert "p.go:4:2" in result.output + result.stderr


@pytest.mark.parametrize("regex", [r"(a)\1", "x(?=a)", "(?<!a)b", "a++", "(?>a)"])
def test_regexes_re2_cannot_run_are_located_load_errors(project: Path, regex: str) -> None:
    line, column, message = load_error(project, f"id: re\nsafety: report\nrule: {{regex: '{regex}'}}\n")
    assert (line, column) == (3, 8) and "RE2" in message  # at the regex key


def test_a_hostile_configuration_file_is_located(project: Path) -> None:
    for text, words in (
        ("exclude: " + "[" * 3000 + "]" * 3000 + "\n", "nested deeper"),
        ("a: &a [x, x, x, x, x, x, x, x, x, x]\n"
         + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(6)),
         "aliases expand"),
    ):  # fmt: skip
        (project / ".gocodemod.yaml").write_text(text)
        result = invoke("run", ".")
        assert result.exit_code == 2, result.output + result.stderr
        assert "Traceback" not in result.output + result.stderr
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and words in lines[0] and ".gocodemod.yaml:" in lines[0], lines


def run_any(project: Path, *extra: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The real command (its own process: warnings go where a user sees them) with one recipe."""
    recipe = project.parent / "any.yaml"
    recipe.write_text(ANY_RECIPE)
    command = [sys.executable, "-c", "from codemod.cli.main import entry; entry()", "run", "-r", str(recipe), *extra]
    return subprocess.run(
        [*command, "."], cwd=project, env={**os.environ, **env}, capture_output=True, text=True, timeout=120
    )


def assert_ran_without_cache(project: Path, result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    warnings = [line for line in result.stderr.splitlines() if "without the result cache" in line]
    assert len(warnings) == 1, result.stderr
    assert result.stdout == run_any(project, "--no-cache").stdout


def test_a_file_where_the_cache_directory_should_be(project: Path, tmp_path: Path) -> None:
    (tmp_path / "cache-file").write_text("not a directory")
    result = run_any(project, GOCODEMOD_CACHE_DIR=str(tmp_path / "cache-file"))
    assert_ran_without_cache(project, result)
    assert "cache-file" in result.stderr


def test_a_directory_where_the_key_file_should_be(project: Path, tmp_path: Path) -> None:
    (tmp_path / "user-cache" / "gocodemod" / "secret").mkdir(parents=True)
    result = run_any(project)
    assert_ran_without_cache(project, result)
    assert "secret" in result.stderr and "Is a directory" in result.stderr
    written = run_any(project, "--write")  # the writer's own use of the cache degrades the same way
    assert written.returncode == 0 and written.stderr.count("without the result cache") == 1, written.stderr
    assert "func f(a any) any {" in (project / "p.go").read_text()


def test_a_file_where_the_user_cache_should_be(project: Path, tmp_path: Path) -> None:
    (tmp_path / "plain-file").write_text("")
    assert_ran_without_cache(project, run_any(project, XDG_CACHE_HOME=str(tmp_path / "plain-file")))


def test_a_read_only_file_system_under_the_cache(project: Path, monkeypatch, caplog) -> None:
    real_mkdir = Path.mkdir

    def read_only(self: Path, *args, **kwargs) -> None:
        if "cache" in str(self):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))
        real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", read_only)
    monkeypatch.setattr(store, "_warned", set())  # a fresh process's state
    recipe = project.parent / "any.yaml"
    recipe.write_text(ANY_RECIPE)
    with caplog.at_level(logging.WARNING, logger="gocodemod.cache"):
        result = invoke("run", "-r", str(recipe), "--write", ".")
    assert result.exit_code == 0, result.output + result.stderr
    warnings = [record.getMessage() for record in caplog.records if "without the result cache" in record.getMessage()]
    assert len(warnings) == 1 and os.strerror(errno.EROFS) in warnings[0], warnings
    assert "func f(a any) any {" in (project / "p.go").read_text()


def test_a_damaged_cache_is_rebuilt_with_one_warning(project: Path, tmp_path: Path) -> None:
    assert run_any(project).returncode == 0  # creates the cache
    (tmp_path / "cache" / "cache.sqlite").write_bytes(b"garbage" * 1000)
    for suffix in ("-wal", "-shm"):
        (tmp_path / "cache" / f"cache.sqlite{suffix}").unlink(missing_ok=True)
    result = run_any(project)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert result.stderr.count("warning") == 1 and "rebuilt" in result.stderr, result.stderr
    assert result.stdout == run_any(project, "--no-cache").stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_on_the_command_line_is_refused(project: Path) -> None:
    os.mkfifo(project / "pipe.go")
    result = invoke("run", "pipe.go")
    assert result.exit_code == 2
    assert result.stderr.strip() == "gocodemod: pipe.go: not a regular file or directory (a named pipe)"


def test_a_file_that_cannot_be_read_says_why(project: Path) -> None:
    reader = PackageReader(WorkingTree(project))
    paths = ["gone.go", "p.go"]
    if hasattr(os, "mkfifo"):
        os.mkfifo(project / "pipe.go")  # opened without blocking, refused as not a file
        paths.append("pipe.go")
    task = reader.task(".", paths)
    assert task is not None and list(task.files) == ["p.go"]
    reasons = [result.reason for result in reader.unreadable]
    assert reasons[0] == "cannot read the file: No such file or directory"
    assert reasons[1:] in ([], ["cannot read the file: not a regular file (a named pipe)"])
