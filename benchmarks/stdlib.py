"""gocodemod against ast-grep on a fresh copy of the Go standard library, on equal work: time, CPU, memory.

Equal work: both tools scan the same files, every ``.go`` file of the tree
outside hidden directories (ast-grep's default walk; gocodemod with
``--include-vendor --include-testdata --include-generated``), and gocodemod
runs every built-in recipe, named explicitly (each bundle, then any recipe no
bundle holds), not its default selection, which leaves out unsafe recipes.
ast-grep runs the same rules (benchmarks/astgrep/, written from the recipes
by benchmarks/astgrep_rules.py).

``--pairs N`` rounds (default 3), the two tools' order alternating between
rounds, each round:

* gocodemod, every recipe, dry run, cold cache; then the same warm;
  ast-grep with all rules in one scan;
* gocodemod, one selective recipe (``context-defer-cancel``), cold; ast-grep
  with that rule only;

then, unless ``--quick``, gocodemod with ``-j 1``, ``-j 2``, ``--no-cache`` and
``--executor dask``, whose output must be byte-identical to the cold runs.
The ratios are taken within each round and reported as the median with
the spread (min-max), against the targets.

gocodemod runs from a snapshot of this checkout (codemod/ and recipes/) taken
at the start, each cold run with an empty cache directory of its own.

Each command runs as a child process; wall time, CPU time (user + system of
the whole process tree) and peak RSS (summed over the tree, polled) are
printed for every run. Usage:

    python benchmarks/stdlib.py [--quick] [--pairs N] [--recipe ID] [--tree DIR]
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from codemod.recipes.load import load_file

REPO = Path(__file__).resolve().parent.parent
AST_GREP_DIR = REPO / "benchmarks" / "astgrep"
TARGETS = {"full": 0.5, "selective": 0.15, "warm": 0.03, "rss_mb": 400}  # full: then 0.3


@dataclass
class Measurement:
    name: str
    wall: float
    cpu: float
    peak_rss_mb: float
    peak_pss_mb: float
    exit_code: int
    output_digest: str
    output_lines: int


def measure(name: str, argv: list[str], env: dict[str, str], cwd: Path, scratch: Path) -> Measurement:
    """Run ``argv`` to completion, polling the RSS of its whole process tree."""
    out_path = scratch / f"{name.replace(' ', '_')}.out"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out_path, "wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.PIPE)
        peak_rss, peak_pss = _poll_peak_memory(process)
        _, stderr = process.communicate()
        wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode not in (0, 1):
        sys.stderr.write(f"{name}: exit {process.returncode}\n{stderr.decode(errors='replace')[-2000:]}\n")
    data = out_path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:12]
    return Measurement(
        name, wall, cpu, peak_rss / 2**20, peak_pss / 2**20, process.returncode, digest, data.count(b"\n")
    )


POLL_INTERVAL = 0.02  # seconds between two looks at the process tree's RSS
TREE_INTERVAL = 0.1  # seconds between two searches for the tree's processes
PSS_INTERVAL = 0.5  # at least this long between two PSS readings


def _poll_peak_memory(process: subprocess.Popen) -> tuple[int, int]:
    """Peaks of the summed RSS and of the summed PSS of the process tree.

    RSS counts pages shared between processes (forked workers share the
    parent's) once per process; PSS splits them, so its sum is the memory
    the run really occupies.

    The poll shares the cores with the run it measures, so it must cost
    next to nothing. RSS is read from ``/proc/PID/statm`` (microseconds);
    finding the tree's processes scans ``/proc`` (a millisecond), so it is
    done every :data:`TREE_INTERVAL` (a process living less than that, a
    gofmt run of a few MB, may be missed). PSS needs the kernel to walk every
    page of a process (milliseconds each: read at every poll, it took most of
    a core from a run of three processes), so it is read only when the summed
    RSS reaches a new peak, at most every :data:`PSS_INTERVAL` unless the RSS
    grew by a quarter since: the PSS peak is a lower bound.

    A process that has just been forked to run another program (gofmt, from
    a worker) shares its parent's memory until it runs it (``vfork``): its
    ``statm`` is the parent's, field for field. Such a process is counted
    once, with its parent; as soon as it has a page of its own it counts.
    """
    peak_rss = peak_pss = 0
    last_pss = last_tree = 0.0
    pss_read_at = 0  # the summed RSS when PSS was last read
    members: list[tuple[int, int]] = []
    while process.poll() is None:
        now = time.perf_counter()
        if now - last_tree >= TREE_INTERVAL:
            members, last_tree = _process_tree(process.pid), now
        rss = _summed_rss(members)
        if rss > peak_rss and (now - last_pss >= PSS_INTERVAL or rss > 1.25 * pss_read_at):
            peak_pss, last_pss, pss_read_at = max(peak_pss, sum(_pss(pid) for pid, _ in members)), now, rss
        peak_rss = max(peak_rss, rss)
        time.sleep(POLL_INTERVAL)
    return peak_rss, peak_pss


def _process_tree(pid: int) -> list[tuple[int, int]]:
    """``(pid, parent pid)`` of ``pid`` and of its descendants."""
    try:
        root = psutil.Process(pid)
        members, children = [(pid, root.ppid())], root.children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    for child in children:
        try:
            members.append((child.pid, child.ppid()))
        except psutil.NoSuchProcess:
            continue  # ended meanwhile
    return members


def _summed_rss(members: list[tuple[int, int]]) -> int:
    """The RSS of the processes, a process sharing its parent's memory (statm equal) counted once."""
    statm = {pid: _statm(pid) for pid, _ in members}
    page = os.sysconf("SC_PAGE_SIZE")
    return sum(
        int(fields[1]) * page
        for pid, parent in members
        if (fields := statm[pid]) is not None and statm.get(parent) != fields
    )


def _statm(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return statm.read().split()
    except OSError:
        return None


def _pss(pid: int) -> int:
    try:
        info = psutil.Process(pid).memory_full_info()
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return 0
    return getattr(info, "pss", info.rss)


INCLUDE_ALL = ("--include-vendor", "--include-testdata", "--include-generated")


def gocodemod(*args: str) -> list[str]:
    """A gocodemod dry run over every file ast-grep scans (vendor, testdata and generated files included)."""
    return [sys.executable, "-m", "codemod.cli.main", "run", "-q", *INCLUDE_ALL, *args, "."]


def ast_grep(*args: str) -> list[str]:
    return ["ast-grep", "scan", *args, "--json=stream", "."]


def every_builtin_recipe() -> list[str]:
    """``-r`` options naming every built-in recipe: each bundle, then any recipe no bundle holds."""
    recipes: list[str] = []
    bundles: dict[str, list[str]] = {}
    for path in sorted((REPO / "recipes").glob("*.yaml")):
        found, found_bundles = load_file(path)
        recipes += [recipe.id for recipe in found]
        bundles.update({bundle.id: [member for member, _ in bundle.members] for bundle in found_bundles})
    covered = {recipe for members in bundles.values() for recipe in members}
    options = [flag for bundle in sorted(bundles) for flag in ("-r", bundle)]
    return options + [flag for recipe in recipes if recipe not in covered for flag in ("-r", recipe)]


def scanned_files(tree: Path) -> int:
    """The .go files both tools scan: every one outside hidden directories (ast-grep's default walk)."""
    return sum(
        1 for path in tree.rglob("*.go") if not any(part.startswith(".") for part in path.relative_to(tree).parts)
    )


def fresh_tree(scratch: Path, source: Path) -> Path:
    tree = scratch / "src"
    shutil.copytree(source, tree, symlinks=True)
    return tree


def goroot_src() -> Path:
    root = subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip()
    return Path(root) / "src"


def snapshot(scratch: Path) -> Path:
    """A copy of the engine and recipes, so that edits made meanwhile cannot change the runs."""
    target = scratch / "gocodemod"
    for part in ("codemod", "recipes"):
        shutil.copytree(REPO / part, target / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / "pyproject.toml", target)  # marks a checkout: the built-in recipes are read from recipes/
    # Byte-compile as an install does, so that no run pays for compiling the modules from source.
    compileall.compile_dir(target / "codemod", quiet=1)
    return target


def run_all(tree: Path, scratch: Path, selective: str, pairs: int, quick: bool) -> list[Measurement]:
    """``pairs`` rounds of (gocodemod cold, warm, ast-grep; gocodemod selective, ast-grep selective),
    the order of the two tools alternating between rounds; then the consistency runs."""
    base_env = {**os.environ, "PYTHONPATH": str(snapshot(scratch))}
    everything = every_builtin_recipe()

    def env_with_cache(name: str) -> dict[str, str]:
        return {**base_env, "GOCODEMOD_CACHE_DIR": str(scratch / f"cache-{name}")}

    runs: list[tuple[str, list[str], dict[str, str]]] = []
    for round_ in range(pairs):
        ours = [
            (f"gocodemod full cold #{round_}", gocodemod(*everything), env_with_cache(f"full-{round_}")),
            (f"gocodemod full warm #{round_}", gocodemod(*everything), env_with_cache(f"full-{round_}")),
        ]
        theirs = [(f"ast-grep all rules #{round_}", ast_grep("-c", str(AST_GREP_DIR / "sgconfig.yml")), base_env)]
        ours_one = [
            (f"gocodemod selective cold #{round_}", gocodemod("-r", selective), env_with_cache(f"one-{round_}"))
        ]
        theirs_one = [
            (
                f"ast-grep selective #{round_}",
                ast_grep("-r", str(AST_GREP_DIR / "rules" / f"{selective}.yml")),
                base_env,
            )
        ]
        runs += ours + theirs + ours_one + theirs_one if round_ % 2 == 0 else theirs + ours + theirs_one + ours_one
    if not quick:
        runs += [
            ("gocodemod full -j 1 no cache", gocodemod("-j", "1", "--no-cache", *everything), base_env),
            ("gocodemod full -j 2 no cache", gocodemod("-j", "2", "--no-cache", *everything), base_env),
            (
                "gocodemod full dask -j 2",
                gocodemod("--executor", "dask", "-j", "2", "--no-cache", *everything),
                base_env,
            ),
        ]
    results = []
    for name, argv, env in runs:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        results.append(measure(name, argv, env, tree, scratch))
    return results


def _rounds(results: list[Measurement], prefix: str) -> list[Measurement]:
    return [m for m in results if m.name.startswith(prefix + " #")]


def _median_and_spread(values: list[float]) -> str:
    return f"{statistics.median(values):>9.3f}  ({min(values):.3f}-{max(values):.3f})"


def report(results: list[Measurement]) -> list[str]:
    """The table and the median ratios (with their spread) against the targets; returns the failed targets."""
    print(f"\n{'run':<34} {'wall s':>8} {'cpu s':>8} {'RSS MB':>8} {'PSS MB':>8} {'out lines':>10}  output")
    for m in results:
        print(
            f"{m.name:<34} {m.wall:>8.2f} {m.cpu:>8.2f} {m.peak_rss_mb:>8.0f} {m.peak_pss_mb:>8.0f} {m.output_lines:>10}  {m.output_digest}"
        )
    cold, warm = _rounds(results, "gocodemod full cold"), _rounds(results, "gocodemod full warm")
    selective = _rounds(results, "gocodemod selective cold")
    peer_all, peer_one = _rounds(results, "ast-grep all rules"), _rounds(results, "ast-grep selective")
    ours = [m for m in results if m.name.startswith("gocodemod") and "dask" not in m.name]
    ratios = {
        "full set cold / ast-grep all rules (wall)": [a.wall / b.wall for a, b in zip(cold, peer_all)],
        "selective cold / ast-grep selective (wall)": [a.wall / b.wall for a, b in zip(selective, peer_one)],
        "warm / cold (wall)": [a.wall / b.wall for a, b in zip(warm, cold)],
    }
    targets = dict(zip(ratios, (TARGETS["full"], TARGETS["selective"], TARGETS["warm"])))
    print(f"\n{'median of paired ratios (spread)':<46} {'median':>9}  {'(min-max)':<13} {'target':>8}")
    failed = []
    for label, values in ratios.items():
        ok = statistics.median(values) <= targets[label]
        failed += [] if ok else [label]
        print(
            f"{label:<46} {_median_and_spread(values):<24} {'<= ' + str(targets[label]):>8}  {'ok' if ok else 'MISSED'}"
        )
    rss = max(m.peak_rss_mb for m in ours)
    ok = rss <= TARGETS["rss_mb"]
    failed += [] if ok else ["peak RSS"]
    print(
        f"{'peak RSS of a gocodemod run, summed (MB)':<46} {rss:>9.0f}  {'':<13} {'<= ' + str(TARGETS['rss_mb']):>8}  {'ok' if ok else 'MISSED'}"
    )
    print(f"{'peak PSS of a gocodemod run, summed (MB)':<46} {max(m.peak_pss_mb for m in ours):>9.0f}")
    print(
        f"{'cpu: full cold / ast-grep all rules':<46} {_median_and_spread([a.cpu / b.cpu for a, b in zip(cold, peer_all)])}"
    )
    print(
        f"{'cpu: selective / ast-grep selective':<46} {_median_and_spread([a.cpu / b.cpu for a, b in zip(selective, peer_one)])}"
    )
    broken = [m.name for m in results if m.exit_code not in (0, 1)]
    if broken:
        print(f"{'runs that failed (exit code not 0 or 1)':<46} {', '.join(broken)}")
        failed.append("runs failed")
    same = {m.output_digest for m in results if m.name.startswith("gocodemod full")}
    verdict = "yes" if len(same) == 1 else "NO: " + ", ".join(sorted(same))
    print(f"{'identical output across gocodemod full runs':<46} {verdict:>9}")
    if len(same) != 1:
        failed.append("identical output")
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the -j 1 / -j 2 / dask consistency runs")
    parser.add_argument("--pairs", type=int, default=3, help="rounds of paired runs (the median ratio is reported)")
    parser.add_argument("--recipe", default="context-defer-cancel", help="the selective recipe")
    parser.add_argument("--tree", type=Path, default=None, help="source tree to copy (default: $(go env GOROOT)/src)")
    args = parser.parse_args()
    source = args.tree or goroot_src()
    with tempfile.TemporaryDirectory(prefix="gocodemod-bench-") as scratch_name:
        scratch = Path(scratch_name)
        tree = fresh_tree(scratch, source)
        print(f"tree: fresh copy of {source}, {scanned_files(tree)} .go files scanned by both tools; "
              f"{os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.2f}")  # fmt: skip
        results = run_all(tree, scratch, args.recipe, args.pairs, args.quick)
        failed = report(results)
    print(f"\nload average at end {os.getloadavg()[0]:.2f} (other processes compete for the same cores)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
