"""``action.yml`` cannot rot: every gocodemod option it passes exists, and its check step runs for real."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from codemod.cli.main import main

ACTION = Path(__file__).resolve().parent.parent / "action.yml"
_COMMAND = re.compile(r"\bgocodemod\s+([a-z]+)\b")
_OPTION = re.compile(r"(?<![\w$-])(--[a-z][a-z-]*|-[a-zA-Z])(?![\w-])")


def action() -> dict:
    return yaml.safe_load(ACTION.read_text())


def scripts() -> list[tuple[str, str]]:
    """(step name, script) of every step that runs a shell script."""
    return [(step.get("name", "?"), step["run"]) for step in action()["runs"]["steps"] if "run" in step]


def gocodemod_arguments(script: str) -> list[tuple[str, str]]:
    """(subcommand, option) of each option the script hands gocodemod: on its command line,
    or in the ``*_args`` arrays it builds for it."""
    commands = _COMMAND.findall(script)
    found = []
    for line in script.splitlines():
        code = line.split(" #", 1)[0]
        parts = [found.group(1) for found in re.finditer(r"\w_args\+?=\(([^)]*)\)", code)]
        if "gocodemod " in code:
            parts.append(code.split("gocodemod ", 1)[1])
        found += [(command, option) for command in commands for part in parts for option in _OPTION.findall(part)]
    return found


def help_text(command: str) -> str:
    result = CliRunner().invoke(main, [command, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_action_is_a_composite_action_using_its_own_checkout() -> None:
    spec = action()
    assert spec["runs"]["using"] == "composite"
    assert any("github.action_path" in str(step.get("env", {})) for step in spec["runs"]["steps"])
    uses = [step["uses"] for step in spec["runs"]["steps"] if "uses" in step]
    assert any(use.startswith("github/codeql-action/upload-sarif@") for use in uses)
    assert {"paths", "recipes", "fail-on", "verify", "bot", "token"} <= set(spec["inputs"])


def test_every_option_the_action_passes_exists() -> None:
    checked = set()
    for name, script in scripts():
        for command, option in gocodemod_arguments(script):
            assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", help_text(command)), (
                f"step {name!r}: gocodemod {command} has no option {option}"
            )
            checked.add((command, option))
    assert {
        ("run", "--check"),
        ("run", "--format"),
        ("run", "--fail-on"),
        ("run", "-r"),
        ("run", "--verify"),
    } <= checked
    assert {("bot", "--repo"), ("bot", "-r"), ("bot", "--verify")} <= checked


def test_the_fail_on_default_is_a_choice_of_the_cli() -> None:
    assert "--fail-on [never|info|warning|error]" in help_text("run")
    assert action()["inputs"]["fail-on"]["default"] in ("never", "info", "warning", "error")


@pytest.fixture
def check_step() -> str:
    return next(step["run"] for step in action()["runs"]["steps"] if step.get("id") == "check")


def run_check_step(script: str, cwd: Path, tmp_path: Path, **inputs: str) -> tuple[int, Path, str]:
    if shutil.which("gocodemod") is None:
        pytest.skip("the gocodemod command is not on PATH")
    output = tmp_path / "github_output"
    output.write_text("")
    env = {
        **os.environ,
        "GITHUB_OUTPUT": str(output),
        "INPUT_PATHS": "./...",
        "INPUT_RECIPES": "",
        "INPUT_FAIL_ON": "error",
        "INPUT_VERIFY": "",
        "INPUT_SARIF_FILE": str(tmp_path / "gocodemod.sarif"),
        **inputs,
    }
    done = subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=cwd, env=env, capture_output=True, text=True)
    return done.returncode, Path(env["INPUT_SARIF_FILE"]), output.read_text()


def test_the_check_step_writes_sarif_and_records_the_exit_code(
    check_step: str, repo: Path, recipes_file: Path, tmp_path: Path, cache_dir: Path
) -> None:
    code, sarif, output = run_check_step(check_step, repo, tmp_path, INPUT_RECIPES=str(recipes_file))
    assert code == 0
    assert output == "exit-code=1\n"  # pending changes: the Result step fails the job after the upload
    report = json.loads(sarif.read_text())
    assert report["version"] == "2.1.0" and report["runs"][0]["results"]


def test_a_clean_path_exits_0_and_a_usage_error_leaves_no_report(
    check_step: str, repo: Path, recipes_file: Path, tmp_path: Path, cache_dir: Path
) -> None:
    code, sarif, output = run_check_step(
        check_step, repo, tmp_path, INPUT_RECIPES=str(recipes_file), INPUT_PATHS="pkg/util/clean.go"
    )
    assert (code, output) == (0, "exit-code=0\n")
    assert json.loads(sarif.read_text())["runs"][0]["results"] == []
    code, sarif, output = run_check_step(check_step, repo, tmp_path, INPUT_RECIPES="no-such-recipe")
    assert (code, output, sarif.exists()) == (0, "exit-code=2\n", False)
