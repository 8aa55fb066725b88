"""Engine throughput on the Go standard library: MB of Go per second on one core.

Runs one simple recipe over every .go file of $(go env GOROOT)/src in this
process (no workers, no cache, no gofmt pass) and prints MB/s, files/s, and
how many files changed / were skipped / failed. Usage:

    python benchmarks/engine_throughput.py [recipe-yaml-file]
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from codemod.engine.core import run_file
from codemod.model import Status
from codemod.recipes.load import load_recipe_text, load_recipes

SIMPLE = """
id: sprint-to-string
description: a simple expression rewrite
rule: {pattern: "fmt.Sprint($X)"}
fix: "fmt.Sprintf(\\"%v\\", $X)"
"""


def main() -> None:
    root = (
        Path(subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip()) / "src"
    )
    recipes = load_recipes([sys.argv[1]]) if len(sys.argv) > 1 else load_recipe_text(SIMPLE)
    files = sorted(p for p in root.rglob("*.go") if p.is_file())
    total = 0
    counts = {status: 0 for status in Status}
    started = time.perf_counter()
    for path in files:
        data = path.read_bytes()
        total += len(data)
        counts[run_file(str(path), data, recipes, format_with_gofmt=False).status] += 1
    elapsed = time.perf_counter() - started
    print(f"files: {len(files)}  size: {total / 1e6:.1f} MB  time: {elapsed:.1f} s")
    print(f"throughput: {total / 1e6 / elapsed:.2f} MB/s  ({len(files) / elapsed:.0f} files/s), one core")
    print("results: " + ", ".join(f"{status.value} {count}" for status, count in counts.items()))


if __name__ == "__main__":
    main()
