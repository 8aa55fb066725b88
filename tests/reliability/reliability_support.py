"""Helpers of the reliability suite: the writers' repository, stage-file search, the real command.

:func:`make_writers_repo` builds a git repository of :data:`PACKAGES`
packages of :data:`FILES_PER_PACKAGE` files, each holding a match for both
recipes (:data:`SINCE_RECIPE`, :data:`PRINT_RECIPE`), all committed.
:func:`stage_files` lists stage files left in a work tree, :func:`gocodemod`
runs the real command in a subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PACKAGES = 6
FILES_PER_PACKAGE = 8

SINCE_RECIPE = """\
id: since
description: time.Since
rule: {pattern: time.Now().Sub($T)}
fix: time.Since($T)
"""

PRINT_RECIPE = """\
id: print-builtin
description: print instead of println
rule: {pattern: println($$$A)}
fix: print($$$A)
"""

SOURCE = """\
package {package}

import "time"

// Elapsed{index} says how long ago t was.
func Elapsed{index}(t time.Time) time.Duration {{
	println("elapsed", {index})
	return time.Now().Sub(t) // keep this comment
}}
"""


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def go_files(root: Path) -> dict[str, bytes]:
    """Every tracked Go file of the repository at ``root``, by path."""
    return {name: (root / name).read_bytes() for name in git(root, "ls-files", "*.go").split()}


def stage_files(root: Path) -> list[str]:
    """Stage files (current and earlier naming) anywhere in the work tree, outside ``.git``."""
    found = []
    for directory, subdirectories, names in os.walk(root):
        subdirectories[:] = [name for name in subdirectories if name != ".git"]
        found += [os.path.join(directory, name) for name in names if name.endswith(".gocodemod")]
    return sorted(found)


def gocodemod(root: Path, *args: str, **popen: object) -> subprocess.Popen[bytes]:
    """``gocodemod run ...`` in ``root`` as a subprocess (its own session, so a kill reaches its workers)."""
    command = [sys.executable, "-c", "from codemod.cli.main import entry; entry()", "run", *args]
    return subprocess.Popen(
        command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, **popen
    )  # type: ignore[call-overload]


def make_writers_repo(root: Path) -> Path:
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Repo Owner")
    git(root, "config", "user.email", "owner@example.com")
    git(root, "config", "commit.gpgsign", "false")
    (root / "go.mod").write_text("module example.com/writers\n\ngo 1.22\n")
    for package in range(PACKAGES):
        directory = root / f"p{package}"
        directory.mkdir()
        for index in range(FILES_PER_PACKAGE):
            (directory / f"f{index}.go").write_text(SOURCE.format(package=f"p{package}", index=index))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    return root
