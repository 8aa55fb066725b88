"""Every built-in recipe over real standard-library files: the properties a reviewer relies on.

Hypothesis draws standard-library files (and a cut of each, so files that end
mid-declaration and do not parse come up too) and runs every built-in recipe,
unsafe ones included. Properties: the engine never raises; a file it does not
change, skips or fails carries no new bytes; a changed file is a complete Go
file (its package clause, no more tree-sitter errors than before); and the
result is idempotent: the same recipes over the new text change nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codemod.api import apply
from codemod.model import Status
from codemod.recipes.load import load_recipes
from codemod.syntax.tree import error_count, parse

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

# Packages whose files the built-in recipes change, and files in them with what the recipes look for.
PACKAGES = ("sync", "context", "net", "net/http", "os/exec", "runtime/pprof", "go/types", "testing", "encoding/json")
HINTS = (b"wg.Add(1)", b"interface{}", b"context.With", b"sync.Mutex", b"time.Sleep", b"go func", b"defer func")


@pytest.mark.slow
def test_built_in_recipes_keep_every_property_on_standard_library_files(goroot: Path) -> None:
    files = sorted(
        path
        for package in PACKAGES
        for path in (goroot / "src" / package).glob("*.go")
        if any(hint in path.read_bytes() for hint in HINTS)
    )
    recipes = load_recipes([recipe.id for recipe in load_recipes([])])  # every built-in recipe, by name
    assert len(files) > 50 and recipes
    changed: list[str] = []

    @settings(max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    @given(index=st.integers(min_value=0, max_value=len(files) - 1), cut=st.sampled_from([None, 0.5, 0.9]))
    def check(index: int, cut: float | None) -> None:
        path = files[index]
        source = path.read_bytes()
        if cut is not None:
            source = source[: int(len(source) * cut)]
        result = apply(source, recipes, path=path.name, go_version="1.27")
        if result.status is not Status.CHANGED:
            assert result.new_source is None, path
            assert "internal error" not in (result.reason or ""), (path, result.reason)
            return
        new = result.new_source
        assert new is not None and new != source
        tree = parse(new)
        assert any(child.type == "package_clause" for child in tree.root_node.children), path
        assert error_count(tree) <= error_count(parse(source)), path
        again = apply(new, recipes, path=path.name, go_version="1.27")
        assert again.status is Status.UNCHANGED, (path, again.status, again.reason)
        changed.append(path.name)

    check()
    assert len(set(changed)) >= 5, changed  # the properties of changed files were exercised
