"""``.gocodemod.yaml``: discovery, validation with locations, and recipe selection."""

from __future__ import annotations

from pathlib import Path

import pytest
from gitfixtures import RECIPES_YAML, write_files

from codemod.run.config import Config, ConfigError
from codemod.run.workspace import (
    default_recipe_ids,
    find_config,
    load_config,
    open_workspace,
    select_recipes,
    selection,
)

EXTRA_RECIPE = """\
id: extra-report
description: Report calls to legacy()
safety: report
rule:
  pattern: legacy()
"""


def _config(root: Path, text: str) -> Path:
    path = root / ".gocodemod.yaml"
    path.write_text(text)
    return path


@pytest.fixture
def repo(repo_factory) -> Path:
    """The shared fixture repository, clean, with recipe files under ``tools/``."""
    root = repo_factory(dirty=False, extras=False)
    write_files(root, {"tools/recipes/demo.yaml": RECIPES_YAML, "tools/more/extra.yaml": EXTRA_RECIPE})
    return root


def test_found_by_walking_up_but_not_above_the_repository(repo: Path, tmp_path: Path) -> None:
    path = _config(repo, "exclude: [gen]\n")
    assert find_config(repo / "pkg" / "util") == path
    _config(tmp_path, "exclude: [x]\n")  # above the repository: never read
    (repo / ".gocodemod.yaml").unlink()
    assert find_config(repo / "pkg") is None


def test_workspace_root_config_and_default_paths(repo: Path) -> None:
    _config(repo, "exclude: [gen]\n")
    workspace = open_workspace(repo / "pkg")
    assert workspace.root == repo.resolve()
    assert workspace.config.exclude == ("gen",)
    assert workspace.default_paths == ((repo / "pkg").resolve(),)
    assert open_workspace(repo).default_paths == ()


def test_valid_config_is_parsed(repo: Path) -> None:
    path = _config(
        repo,
        "recipe_dirs: [tools/recipes]\nenable: [time-since]\ndisable: [no-println]\n"
        "exclude: ['*_mock.go']\nseverity:\n  time-since: error\n",
    )
    config = load_config(path)
    assert config.recipe_dirs == ((repo / "tools/recipes").resolve(),)
    assert [item.value for item in config.enable] == ["time-since"]
    assert str(config.enable[0].location) == f"{path}:2:10"
    assert config.severity["time-since"].value == "error"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("enable: [a\n", ":2:1: invalid YAML"),
        ("colour: blue\n", ":1:1: unknown key 'colour'"),
        ("enable: time-since\n", ":1:9: 'enable' must be a list of strings"),
        ("severity:\n  time-since: loud\n", ":2:15: severity must be one of error, warning, info"),
        ("recipe_dirs: [missing]\n", ":1:15: recipe directory not found: missing"),
        ("- just\n- a list\n", ":1:1: the configuration must be a mapping"),
        ("go_versions: [cmd]\n", ":1:14: 'go_versions' must map paths"),
        ("go_versions:\n  cmd/compile/...: 1.22\n", ":2:20: a Go version must be a quoted language version"),
        ("go_versions:\n  cmd/compile/...: 'go1.22'\n", ":2:20: a Go version must be a quoted language version"),
        ("go_versions:\n  /abs/...: '1.22'\n", ":2:3: go_versions path must be a relative directory"),
        ("go_versions:\n  ../up: '1.22'\n", ":2:3: go_versions path must be a relative directory"),
        ("go_versions:\n  cmd/*: '1.22'\n", ":2:3: go_versions path must be a relative directory"),
        ("go_versions:\n  cmd: '1.22'\n  cmd: '1.21'\n", ":3:3: duplicate key 'cmd'"),
    ],
)
def test_problems_name_file_line_column(repo: Path, text: str, expected: str) -> None:
    path = _config(repo, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(str(path))
    assert expected in str(caught.value)
    assert len(str(caught.value).splitlines()) == 1


def test_every_problem_is_reported(repo: Path) -> None:
    path = _config(repo, "colour: blue\nexclude: [1]\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert [str(p.location) for p in caught.value.problems] == [f"{path}:1:1", f"{path}:2:11"]


def test_empty_file_is_an_empty_config(repo: Path) -> None:
    config = load_config(_config(repo, ""))
    assert config.exclude == () and config.enable == ()


def test_selection_enable_disable_and_flags_win(repo: Path) -> None:
    config = load_config(_config(repo, "recipe_dirs: [tools/recipes, tools/more]\ndisable: [no-println]\n"))
    ids = [recipe.id for recipe in select_recipes(config, [])]
    assert "time-since" in ids and "extra-report" in ids and "no-println" not in ids
    assert [r.id for r in select_recipes(config, ["no-println"])] == ["no-println"]  # the flag wins

    enabled = load_config(_config(repo, "recipe_dirs: [tools/recipes, tools/more]\nenable: [no-println, time-since]\n"))
    assert [r.id for r in select_recipes(enabled, [])] == ["no-println", "time-since"]


def test_severity_override(repo: Path) -> None:
    config = load_config(
        _config(repo, "recipe_dirs: [tools/recipes]\nenable: [time-since]\nseverity: {time-since: error}\n")
    )
    (recipe,) = select_recipes(config, [])
    assert recipe.severity == "error"
    (plain,) = select_recipes(Config(recipe_dirs=config.recipe_dirs), ["time-since"])
    assert plain.severity == "warning"


def test_unknown_enabled_recipe_points_at_the_config(repo: Path) -> None:
    path = _config(repo, "enable: [no-such-recipe]\n")
    with pytest.raises(ConfigError, match=rf"^{path}:1:10: unknown recipe or bundle 'no-such-recipe'"):
        select_recipes(load_config(path), [])


def test_go_versions_are_parsed_in_order(repo: Path) -> None:
    config = load_config(_config(repo, "go_versions:\n  cmd/compile/...: '1.22'\n  tools: '1.21'\n  ...: '1.24'\n"))
    assert config.go_versions == (("cmd/compile/...", "1.22"), ("tools", "1.21"), ("...", "1.24"))


UNSAFE_BUILTINS = {
    "context-defer-cancel", "defer-go-explicit", "lock-not-released", "mutex-to-rwmutex",
    "once-atomic-flag", "once-lazy-init", "sleep-to-waitgroup",
}  # fmt: skip


def test_default_selection_runs_only_safe_and_report_recipes(repo: Path) -> None:
    config = load_config(_config(repo, "recipe_dirs: [tools/recipes, tools/more]\n"))
    chosen = selection(config, [])
    ids = {recipe.id for recipe in chosen.recipes}
    assert {"waitgroup-go", "interface-any", "forvar", "time-since", "no-println", "extra-report"} <= ids
    assert not ids & UNSAFE_BUILTINS
    assert set(chosen.left_out_unsafe) == UNSAFE_BUILTINS
    assert default_recipe_ids(config) == ids

    everything = selection(config, [], unsafe=True)
    assert UNSAFE_BUILTINS <= {recipe.id for recipe in everything.recipes} and everything.left_out_unsafe == ()


def test_unsafe_recipes_run_when_named(repo: Path) -> None:
    config = load_config(_config(repo, "disable: [mutex-to-rwmutex]\n"))
    assert "mutex-to-rwmutex" not in selection(config, []).left_out_unsafe  # disabled: not a note either
    named = selection(config, ["mutex-to-rwmutex"])
    assert [r.id for r in named.recipes] == ["mutex-to-rwmutex"] and named.left_out_unsafe == ()
    bundle = {r.id for r in selection(config, ["go-concurrency"]).recipes}
    assert {"sleep-to-waitgroup", "goroutine-leak-select"} <= bundle
    enabled = load_config(_config(repo, "enable: [once-lazy-init, forvar]\n"))
    assert [r.id for r in selection(enabled, []).recipes] == ["once-lazy-init", "forvar"]
