"""The engine keeps comments: over the Go standard library, no own-line comment of a changed file is lost.

Every built-in recipe runs over the default file set of ``$(go env GOROOT)/src``
(a dry run: the new text is compared, nothing is written). Each own-line
comment of a changed file, counted with its text, must still be in the new
text: a template that rewrites a region keeps the comments inside it.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from codemod.recipes.load import load_recipes
from codemod.run.runner import run
from codemod.run.tasks import RunOptions

_OWN_LINE_COMMENT = re.compile(rb"^[ \t]*(//[^\n]*|/\*.*?\*/)[ \t]*\r?$", re.MULTILINE | re.DOTALL)


def own_line_comments(source: bytes) -> Counter[bytes]:
    return Counter(match.group(1).rstrip() for match in _OWN_LINE_COMMENT.finditer(source))


def test_own_line_comment_counting_sees_comments_and_not_code() -> None:
    source = b"package p\n\n// doc\nfunc f() {\n\tx := 1 // trailing\n\t// inside\n\t/* block */\n}\n"
    assert own_line_comments(source) == Counter([b"// doc", b"// inside", b"/* block */"])


@pytest.mark.slow
def test_no_own_line_comment_of_a_changed_standard_library_file_is_lost(goroot: Path, tmp_path: Path) -> None:
    tree = tmp_path / "src"  # a copy: GOROOT may sit inside a git checkout that ignores it
    shutil.copytree(goroot / "src", tree, ignore=shutil.ignore_patterns("testdata", "vendor", "*_test.s", "*.s"))
    recipes = [recipe for recipe in load_recipes([]) if recipe.fix is not None]
    result = run(tree, recipes, jobs=2, options=RunOptions())
    changed = result.changed
    assert len(changed) > 100  # the recipes do change the standard library
    lost = {}
    for file_result in changed:
        before = own_line_comments(result.originals[file_result.path])
        after = own_line_comments(file_result.new_source or b"")
        missing = before - after
        if missing:
            lost[file_result.path] = sorted(missing)
    assert not lost, f"{len(lost)} files lose comments, e.g. {next(iter(lost.items()))}"
