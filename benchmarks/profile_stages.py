"""Where a gocodemod run spends its time: per stage (layer) and per recipe, on the standard library.

Two measurements on a fresh copy of the tree, the same equal-work file set as
benchmarks/stdlib.py (vendor, testdata and generated files included), one
process (``-j 1 --no-cache``: no worker, no cache, so every cost is seen):

* **per stage**: one run of every built-in recipe under cProfile; each
  function's own time (tottime) is charged to the stage its code belongs
  to: a ``codemod`` sub-package (``prefilter``, ``pattern``, ``rules``,
  ``golang``, ...), tree-sitter's parser (``parse``), waiting for gofmt
  (``gofmt``: the subprocess), the rest of Python (``python``). The profile
  slows Python code more than C code, so the shares matter, not the sum.
* **per recipe**: each recipe alone, wall and CPU time of the whole process
  (no profiler), minus a run that selects a recipe matching nothing in any
  file (``--fixed-cost``: start-up, file discovery, reading): what adding the
  recipe costs.

Usage::

    python benchmarks/profile_stages.py [--tree DIR] [--recipes ID ...] [--no-recipes]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from stdlib import INCLUDE_ALL, every_builtin_recipe, fresh_tree, goroot_src, snapshot

from codemod.cli.main import main as gocodemod_main
from codemod.recipes.builtin import BUILTIN_DIR
from codemod.recipes.load import load_file

NOTHING_RECIPE = """\
id: matches-nothing
description: a recipe no file can match, to measure a run's fixed cost
severity: info
safety: report
rule:
  pattern: gocodemodProfileNoSuchName($$$)
message: never
"""


def stage_of(filename: str, function: str) -> str:
    """The stage a profiled function's own time is charged to."""
    if "tree_sitter.Parser" in function or function == "<method 'parse' of 'tree_sitter.Parser' objects>":
        return "parse (tree-sitter)"
    if "select.poll" in function or "posix.read" in function or "posix.waitpid" in function:
        return "gofmt (waiting for the subprocess)"
    marker = f"{os.sep}codemod{os.sep}"
    if marker in filename:
        return "codemod." + filename.split(marker, 1)[1].split(os.sep, 1)[0].removesuffix(".py")
    if "tree_sitter" in function:
        return "tree-sitter (other calls)"
    return "python (stdlib, libraries)"


def profile_stages(tree: Path, recipes: list[str], scratch: Path) -> Counter[str]:
    """Own time per stage of one in-process run of ``recipes`` over ``tree``."""
    profile = cProfile.Profile()
    argv = ["run", "-q", "-j", "1", "--no-cache", *INCLUDE_ALL, *recipes, str(tree)]
    with open(scratch / "profile.out", "w") as out:
        streams, sys.stdout, sys.stderr = (sys.stdout, sys.stderr), out, out
        try:
            profile.runcall(gocodemod_main, argv, standalone_mode=False)
        except SystemExit as end:  # the run command ends with sys.exit(its exit code)
            if end.code not in (0, 1):
                raise RuntimeError(f"gocodemod run exited {end.code}: see {out.name}") from None
        finally:
            sys.stdout, sys.stderr = streams
    stats = pstats.Stats(profile)
    stages: Counter[str] = Counter()
    for (filename, _, function), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        stages[stage_of(filename, function)] += tottime
    return stages


def timed_run(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one child process (and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def per_recipe(tree: Path, ids: list[str], env: dict[str, str], scratch: Path) -> None:
    nothing = scratch / "matches-nothing.yaml"
    nothing.write_text(NOTHING_RECIPE)
    base = [sys.executable, "-m", "codemod.cli.main", "run", "-q", "-j", "1", "--no-cache", *INCLUDE_ALL]
    fixed_wall, fixed_cpu = timed_run([*base, "-r", str(nothing), "."], env, tree)
    print(f"\n{'recipe (alone, -j 1, no cache)':<34} {'wall s':>8} {'cpu s':>8} {'cpu - fixed':>12}")
    print(f"{'(fixed cost: a recipe matching nothing)':<34} {fixed_wall:>8.2f} {fixed_cpu:>8.2f}")
    for recipe in ids:
        wall, cpu = timed_run([*base, "-r", recipe, "."], env, tree)
        print(f"{recipe:<34} {wall:>8.2f} {cpu:>8.2f} {cpu - fixed_cpu:>12.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, default=None, help="source tree to copy (default: $(go env GOROOT)/src)")
    parser.add_argument("--recipes", nargs="*", default=None, help="recipes for the per-recipe table (default: all)")
    parser.add_argument("--no-recipes", action="store_true", help="only the per-stage profile")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gocodemod-profile-") as scratch_name:
        scratch = Path(scratch_name)
        tree = fresh_tree(scratch, args.tree or goroot_src())
        snap = snapshot(scratch)
        stages = profile_stages(tree, every_builtin_recipe(), scratch)
        total = sum(stages.values())
        print(f"{'stage (own time under cProfile)':<40} {'s':>8} {'share':>7}")
        for stage, seconds in stages.most_common():
            print(f"{stage:<40} {seconds:>8.2f} {seconds / total:>7.1%}")
        if not args.no_recipes:
            ids = args.recipes or [r.id for path in sorted(BUILTIN_DIR.glob("*.yaml")) for r in load_file(path)[0]]
            per_recipe(tree, ids, {**os.environ, "PYTHONPATH": str(snap)}, scratch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
