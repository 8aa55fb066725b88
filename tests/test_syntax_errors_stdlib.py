"""The standard library's files that tree-sitter-go cannot parse whole are processed, with proof.

Go 1.26's ``new(expr)`` and Go 1.27's generic methods are in the current
release's sources; every such file (testdata aside) runs through every
built-in recipe with its package: unless the prefilter rules every recipe
out, it is skipped only when nothing outside its error regions is left, its
warning points at the error (never 1:1), a changed
file keeps its regions byte for byte and is gofmt-clean, and ``go vet``
accepts the changed packages (the files replaced through ``-overlay``, so
GOROOT is only read).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from codemod.engine.core import run_package
from codemod.golang import gofmt
from codemod.model import Status
from codemod.recipes.load import load_recipes
from codemod.syntax.errorregions import error_regions
from codemod.syntax.tree import parse
from tests.gotoolchain import GoToolchain

pytestmark = pytest.mark.slow


def files_with_syntax_errors(src: Path) -> list[str]:
    found = []
    for folder, dirs, files in os.walk(src):
        dirs[:] = [d for d in dirs if d not in ("testdata", "vendor") and not d.startswith((".", "_"))]
        for name in files:
            if name.endswith(".go") and parse((Path(folder) / name).read_bytes()).root_node.has_error:
                found.append((Path(folder) / name).relative_to(src).as_posix())
    return sorted(found)


def test_standard_library_files_with_syntax_errors_are_processed(go_toolchain: GoToolchain, tmp_path: Path) -> None:
    src = go_toolchain.src
    broken = files_with_syntax_errors(src)
    if not broken:
        pytest.skip("tree-sitter-go parses the whole standard library: no syntax-error regions to test")
    recipes = load_recipes([])  # every built-in recipe, unsafe ones included
    overlay: dict[str, str] = {}
    processed = []
    for path in broken:
        folder = Path(path).parent
        package = {
            (folder / name).as_posix(): (src / folder / name).read_bytes()
            for name in os.listdir(src / folder)
            if name.endswith(".go")
        }
        result = next(r for r in run_package(package, recipes, include_generated=True) if r.path == path)
        data = package[path]
        regions = error_regions(parse(data))
        if not result.warnings:  # no recipe's tokens are in the file: it was not even parsed
            assert result.status is Status.UNCHANGED, (path, result.status)
            continue
        assert ":1:1:" not in result.warnings[0], (path, result.warnings)
        if regions.whole_file:
            assert result.status is Status.SKIPPED, (path, result.status)
            continue
        assert result.status in (Status.CHANGED, Status.UNCHANGED), (path, result.reason)
        processed.append(path)
        if result.new_source is None:
            continue
        new = result.new_source
        assert error_regions(parse(new)).texts(new) == regions.texts(data), path
        assert gofmt.format_source(new).text == new, path
        replacement = tmp_path / path.replace("/", "_")
        replacement.write_bytes(new)
        overlay[str(src / path)] = str(replacement)
    assert processed, "every file with syntax errors was skipped"
    if not overlay:
        return
    (tmp_path / "overlay.json").write_text(json.dumps({"Replace": overlay}))
    for module in ("std", "cmd"):
        packages = sorted(
            {str(Path(p).parent) for p in overlay if (Path(p).relative_to(src).parts[0] == "cmd") == (module == "cmd")}
        )
        if not packages:
            continue
        done = subprocess.run(
            [go_toolchain.go, "vet", "-overlay", str(tmp_path / "overlay.json"), *packages],
            cwd=src / "cmd" if module == "cmd" else src,
            env={**os.environ, "GOTOOLCHAIN": "local", "GOPROXY": "off", "GOFLAGS": ""},
            capture_output=True,
            text=True,
            timeout=1200,
        )
        assert done.returncode == 0, done.stderr[-3000:]
