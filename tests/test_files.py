"""File discovery in real git repositories and plain directories, and go.mod versions."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from gitfixtures import git, write_files

from codemod.errors import UsageError
from codemod.run import files as files_module
from codemod.run.files import (
    FileFilter,
    GitRevision,
    GoVersions,
    WorkingTree,
    discover,
    find_repo_root,
    glob_matches,
    narrowing_prefixes,
)

DEFAULT_SET = [
    "dirty.go",
    "gen/gen.go",
    "main.go",
    "pkg/nonl/nonl.go",
    "pkg/util/clean.go",
    "pkg/util/util.go",
    "untracked.go",
]


def test_git_repo_tracked_plus_untracked_minus_ignored_vendor_testdata(repo: Path) -> None:
    assert discover(WorkingTree(repo), FileFilter()) == DEFAULT_SET


def test_flags_bring_vendor_and_testdata_back(repo: Path) -> None:
    files = discover(WorkingTree(repo), FileFilter(include_vendor=True, include_testdata=True))
    assert files == sorted(DEFAULT_SET + ["testdata/case.go", "vendor/example.com/dep/dep.go"])
    assert "ignored.go" not in files and "build/out.go" not in files


def test_excludes_match_components_or_anchored_paths(repo: Path) -> None:
    files = discover(WorkingTree(repo), FileFilter(excludes=("pkg/util", "*nonl*")))
    assert files == ["dirty.go", "gen/gen.go", "main.go", "untracked.go"]


def test_deleted_tracked_file_is_not_listed(repo: Path) -> None:
    (repo / "pkg/util/clean.go").unlink()
    assert "pkg/util/clean.go" not in discover(WorkingTree(repo), FileFilter())


def test_paths_narrow_the_set(repo: Path) -> None:
    tree = WorkingTree(repo)
    prefixes = narrowing_prefixes(tree.root, [Path("pkg"), Path("main.go")], cwd=repo)
    assert prefixes == ["pkg", "main.go"]
    assert discover(tree, FileFilter(), prefixes) == [
        "main.go",
        "pkg/nonl/nonl.go",
        "pkg/util/clean.go",
        "pkg/util/util.go",
    ]
    assert discover(tree, FileFilter(), narrowing_prefixes(tree.root, [Path(".")], cwd=repo / "pkg")) == [
        "pkg/nonl/nonl.go",
        "pkg/util/clean.go",
        "pkg/util/util.go",
    ]


def test_go_package_patterns_name_their_directories(repo: Path) -> None:
    """``./...`` and ``./pkg/...`` as Go developers type them; a directory covers the packages below it."""
    assert narrowing_prefixes(repo, [Path("./..."), Path("pkg/util/...")], cwd=repo) == [".", "pkg/util"]
    assert narrowing_prefixes(repo, [Path("...")], cwd=repo / "pkg") == ["pkg"]
    with pytest.raises(UsageError, match="only a trailing /... is understood"):
        narrowing_prefixes(repo, [Path("pkg/.../util")], cwd=repo)


def test_paths_outside_or_missing_are_usage_errors(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="outside"):
        narrowing_prefixes(repo, [tmp_path], cwd=repo)
    with pytest.raises(UsageError, match="no such file"):
        narrowing_prefixes(repo, [Path("nope")], cwd=repo)


def test_symlinks_are_never_followed(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write_files(outside, {"secret.go": "package secret\n", "pkg/o.go": "package o\n"})
    os.symlink(outside / "secret.go", repo / "linked.go")
    os.symlink(outside / "pkg", repo / "linkeddir")
    os.symlink(repo / "main.go", repo / "alias.go")
    git(repo, "add", "linked.go", "linkeddir", "alias.go")
    files = discover(WorkingTree(repo), FileFilter())
    assert files == DEFAULT_SET
    with pytest.raises(UsageError, match="outside"):
        narrowing_prefixes(repo, [Path("linkeddir")], cwd=repo)


def test_outside_a_repository_walks_with_the_same_skips(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    write_files(
        root,
        {
            "a.go": "package a\n",
            "b/b.go": "package b\n",
            "vendor/v/v.go": "package v\n",
            "b/testdata/t.go": "package t\n",
            ".hidden/h.go": "package h\n",
            "notes.txt": "x\n",
        },
    )
    os.symlink(tmp_path, root / "loop")
    tree = WorkingTree(root)
    assert tree.repo_root is None
    assert discover(tree, FileFilter()) == ["a.go", "b/b.go"]
    assert discover(tree, FileFilter(include_testdata=True)) == ["a.go", "b/b.go", "b/testdata/t.go"]


def test_outside_a_repository_a_narrowed_walk_finds_what_the_whole_walk_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "plain"
    write_files(
        root,
        {
            "a.go": "package a\n",
            "b/b.go": "package b\n",
            "b/c/c.go": "package c\n",
            "b/c/notes.txt": "x\n",
            "b/testdata/t.go": "package t\n",
            "b/testdata/d/d.go": "package d\n",
            ".hidden/h/h.go": "package h\n",
            "vendor/v/v.go": "package v\n",
            "big/" + "/".join(f"d{i}" for i in range(5)) + "/x.go": "package x\n",
        },
    )
    os.symlink(root / "b", root / "linked")
    tree = WorkingTree(root)
    scanned: list[str] = []
    real_scan = files_module._scan
    monkeypatch.setattr(files_module, "_scan", lambda top, rel_dir: scanned.append(rel_dir) or real_scan(top, rel_dir))
    narrowings = [
        ["b"], ["b/c"], ["b/c/c.go"], ["b/c/notes.txt"], ["b/testdata"], ["b/testdata/d"], [".hidden/h"],
        ["vendor/v"], ["linked"], ["b", "b/c"], ["a.go", "b/c"], ["missing"], ["b/missing.go"], ["."],
    ]  # fmt: skip
    for file_filter in (FileFilter(), FileFilter(include_testdata=True, include_vendor=True)):
        whole = discover(tree, file_filter)
        for prefixes in narrowings:
            scanned.clear()
            found = discover(tree, file_filter, prefixes)
            expected = [rel for rel in whole if any(rel == p or rel.startswith(p + "/") for p in prefixes)]
            assert found == (whole if prefixes == ["."] else expected), prefixes
            if prefixes != ["."]:
                assert not any(rel_dir.startswith("big") for rel_dir in scanned), prefixes  # not walked


def test_git_revision_reads_committed_bytes_only(repo: Path) -> None:
    head = GitRevision(repo, "HEAD")
    assert "untracked.go" not in head.list_files()
    assert discover(head, FileFilter()) == [p for p in DEFAULT_SET if p != "untracked.go"]
    assert b"unsaved edit" not in (head.read("dirty.go") or b"")
    assert b"unsaved edit" in (repo / "dirty.go").read_bytes()
    assert head.read("missing.go") is None


def test_go_version_comes_from_the_nearest_go_mod(repo: Path) -> None:
    write_files(repo, {"pkg/nonl/go.mod": "module example.com/nonl\n\ngo 1.25.1 // pinned\n"})
    versions = GoVersions(WorkingTree(repo))
    assert versions.for_directory(".") == "1.22"
    assert versions.for_directory("pkg/util") == "1.22"
    assert versions.for_directory("pkg/nonl") == "1.25.1"


def test_go_versions_lower_the_version_below_configured_directories(repo: Path) -> None:
    limits = [("cmd/compile/...", "1.22"), ("tools", "1.20"), ("pkg/...", "1.99")]
    versions = GoVersions(WorkingTree(repo), limits)
    assert versions.for_directory(".") == "1.22"  # the fixture's go.mod says 1.22
    write_files(repo, {"cmd/go.mod": "module example.com/cmd\n\ngo 1.27\n"})
    versions = GoVersions(WorkingTree(repo), limits)
    assert versions.for_directory("cmd") == "1.27"
    assert versions.for_directory("cmd/compile") == "1.22"
    assert versions.for_directory("cmd/compile/internal/ssa") == "1.22"
    assert versions.for_directory("cmd/compiler") == "1.27"  # not under cmd/compile
    assert versions.for_directory("tools") == "1.20"
    assert versions.for_directory("tools/sub") == "1.22"  # `tools` is that directory only
    assert versions.for_directory("pkg/util") == "1.22"  # a limit never raises the version


def test_go_mod_above_the_root_governs_a_sub_directory(repo: Path) -> None:
    assert GoVersions(WorkingTree(repo / "pkg")).for_directory("util") == "1.22"
    assert find_repo_root(repo / "pkg") == repo.resolve()


def test_glob_matches() -> None:
    assert glob_matches("*_mock.go", "a/b/c_mock.go")
    assert glob_matches("mocks", "internal/mocks/m.go")
    assert glob_matches("internal/legacy", "internal/legacy/x/y.go")
    assert not glob_matches("internal/legacy", "pkg/internal/legacy/y.go")
    assert glob_matches("**/zz_*.go", "a/b/zz_gen.go")
    assert glob_matches("**/zz_*.go", "zz_gen.go")
    assert not glob_matches("a/*.go", "a/b/c.go")


def test_underscore_and_dot_directories_are_skipped_like_the_go_tool() -> None:
    from codemod.run.files import FileFilter

    assert not FileFilter().admits("_tools/gen.go")
    assert not FileFilter().admits("pkg/.cache/x.go")
    assert not FileFilter().admits("pkg/_x.go")
    assert FileFilter().admits("pkg/x_.go")
    assert FileFilter(include_testdata=True).admits("_tools/gen.go")
