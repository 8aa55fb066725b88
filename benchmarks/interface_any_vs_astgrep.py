"""interface-any against `ast-grep run -p 'interface{}'` on the same tree: counts, differences, time.

Runs, on a Go source tree (default: a temporary copy of $(go env GOROOT)/src,
which may sit inside a git work tree that ignores it; nothing is written):

* ast-grep with the plain pattern ``interface{}`` (every empty interface
  literal it can see), and
* gocodemod's ``interface-any`` recipe as ``gocodemod run`` would (dry run,
  default file selection: no testdata/, vendor/ or generated files; the go
  version of the nearest go.mod),

then explains every literal ast-grep reports that gocodemod leaves alone
(one reason per literal, first matching reason wins) and lists any change
gocodemod makes that ast-grep does not report. Wall times of both are
printed with their ratio; both use every core. Usage:

    python benchmarks/interface_any_vs_astgrep.py [TREE]
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from codemod.engine.core import is_generated
from codemod.golang.versions import nearest_go_version, version_at_least
from codemod.recipes.load import BUILTIN_DIR, Recipe, load_file
from codemod.rules.core import MatchContext
from codemod.rules.extensions.in_scope import InScopeRule
from codemod.run.runner import run
from codemod.run.tasks import RunOptions
from codemod.syntax.tree import first_error, parse

Span = tuple[str, int, int]  # (path relative to the tree, start byte, end byte)


def interface_any() -> Recipe:
    recipes, _ = load_file(BUILTIN_DIR / "interface-any.yaml")
    return recipes[0]


def astgrep_spans(tree: Path) -> tuple[set[Span], float]:
    started = time.perf_counter()
    out = subprocess.run(
        ["ast-grep", "run", "-p", "interface{}", "-l", "go", "--json=stream", "."],
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    elapsed = time.perf_counter() - started
    spans = set()
    for line in out.splitlines():
        match = json.loads(line)
        offsets = match["range"]["byteOffset"]
        spans.add((match["file"], offsets["start"], offsets["end"]))
    return spans, elapsed


def gocodemod_spans(tree: Path) -> tuple[set[Span], float]:
    started = time.perf_counter()
    result = run(tree, [interface_any()], jobs=os.cpu_count() or 1, options=RunOptions(format_with_gofmt=False))
    elapsed = time.perf_counter() - started
    spans = {
        (file.path, edit.start, edit.end) for file in result.results for change in file.changes for edit in change.edits
    }
    return spans, elapsed


class Explainer:
    """Why gocodemod leaves one literal that ast-grep reports."""

    def __init__(self, tree: Path):
        self.tree = tree
        self.in_scope = InScopeRule(("any",), ())
        self.utils = interface_any().utils
        self.signature_any = self.utils["function-declaring-any"]
        self._parsed: dict[str, tuple[bytes, object]] = {}

    def _file(self, rel: str):
        if rel not in self._parsed:
            data = (self.tree / rel).read_bytes()
            self._parsed[rel] = (data, parse(data))
        return self._parsed[rel]

    def _package_roots(self, rel: str) -> list:
        folder = (self.tree / rel).parent
        return [
            self._file(str(p.relative_to(self.tree)))[1].root_node
            for p in sorted(folder.glob("*.go"))
            if p.name != Path(rel).name
        ]

    def reason(self, span: Span) -> str:
        rel, start, end = span
        parts = Path(rel).parts
        if "testdata" in parts or "vendor" in parts:
            return "in testdata/ or vendor/ (skipped by default, as the go tool does)"
        if any(part.startswith("_") for part in parts[:-1]):
            return "in a directory starting with _ (ignored by the go tool; the recipe's ignores)"
        data, tree = self._file(rel)
        if is_generated(data):
            return "generated file (// Code generated ... DO NOT EDIT.)"
        if first_error(tree) is not None:
            return "file does not parse (tree-sitter-go): skipped"
        version = nearest_go_version((self.tree / rel).parent.resolve())
        if version and not version_at_least(version, "1.18"):
            return "nearest go.mod is older than go 1.18"
        node = tree.root_node.descendant_for_byte_range(start, end)
        while node is not None and node.type != "interface_type":
            node = node.parent
        if node is None:
            return "not an interface type for tree-sitter-go"
        if b"/" in (node.text or b""):
            return "comment inside the literal (kept so the comment survives)"
        ctx = MatchContext(data, tree.root_node, self.utils, lambda: self._package_roots(rel))
        if self.in_scope.match(node, ctx, {}) is not None:
            return "`any` is declared where the literal sits (package, import, local, parameter, type parameter)"
        ancestor = node.parent
        while ancestor is not None:
            if self.signature_any.match(ancestor, ctx, {}) is not None:
                return "in the signature of a function with a parameter called `any`"
            ancestor = ancestor.parent
        return "unexplained"


def main() -> None:
    if len(sys.argv) > 1:
        report(Path(sys.argv[1]))
        return
    goroot = subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip()
    with tempfile.TemporaryDirectory() as scratch:
        tree = Path(scratch) / "src"
        shutil.copytree(Path(goroot) / "src", tree, symlinks=True)
        report(tree)


def report(tree: Path) -> None:
    grep, grep_time = astgrep_spans(tree)
    ours, our_time = gocodemod_spans(tree)
    print(f"tree: {tree}")
    print(f"ast-grep 'interface{{}}': {len(grep)} literals in {len({s[0] for s in grep})} files, {grep_time:.1f} s")
    print(f"gocodemod interface-any: {len(ours)} rewrites in {len({s[0] for s in ours})} files, {our_time:.1f} s")
    print(f"time ratio gocodemod/ast-grep: {our_time / grep_time:.2f}")
    explainer = Explainer(tree)
    reasons: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    for span in sorted(grep - ours):
        why = explainer.reason(span)
        reasons[why] += 1
        if len(examples[why]) < 3:
            examples[why].append(f"{span[0]}@{span[1]}")
    print(f"\nreported by ast-grep, left alone by gocodemod: {len(grep - ours)}")
    for why, count in reasons.most_common():
        print(f"  {count:5d}  {why}   e.g. {', '.join(examples[why])}")
    extra = sorted(ours - grep)
    print(f"\nrewritten by gocodemod, not reported by ast-grep: {len(extra)}")
    for span in extra[:10]:
        print(f"  {span[0]}@{span[1]}")


if __name__ == "__main__":
    main()
