"""gocodemod against ast-grep on a fresh copy of the Go standard library: time, CPU, memory.

One run, same machine, same files (testdata/ and vendor/ excluded for both):

* gocodemod, every built-in recipe, dry run, cold cache; then the same warm;
* gocodemod, one selective recipe (``context-defer-cancel``), cold;
* ast-grep with the same rules (benchmarks/astgrep/, written from the recipes
  by benchmarks/astgrep_rules.py), all in one scan, then the selective one;
* unless ``--quick``: gocodemod with ``-j 1``, ``-j 2``, ``--no-cache`` and
  ``--executor dask``, whose output must be byte-identical to the cold run.

gocodemod runs from a snapshot of this checkout (codemod/ and recipes/) taken
at the start, each cold run with an empty cache directory of its own.

Each command runs as a child process; wall time, CPU time (user + system of
the whole process tree) and peak RSS (summed over the tree, polled) are
printed as a table with the ratios the targets are about. Usage:

    python benchmarks/stdlib.py [--quick] [--recipe ID] [--tree DIR]
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
AST_GREP_DIR = REPO / "benchmarks" / "astgrep"
EXCLUDED = ("testdata", "vendor")
TARGETS = {"full": 0.5, "selective": 0.2, "warm": 0.05, "rss_mb": 400}


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


def gocodemod(*args: str) -> list[str]:
    return [sys.executable, "-m", "codemod.cli.main", "run", "-q", *args, "."]


def ast_grep(*args: str) -> list[str]:
    globs = [flag for excluded in EXCLUDED for flag in ("--globs", f"!**/{excluded}/**")]
    return ["ast-grep", "scan", *args, *globs, "--json=stream", "."]


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
    # Byte-compile as an install does, so that no run pays for compiling the modules from source.
    compileall.compile_dir(target / "codemod", quiet=1)
    return target


def run_all(tree: Path, scratch: Path, selective: str, quick: bool) -> list[Measurement]:
    base_env = {**os.environ, "PYTHONPATH": str(snapshot(scratch))}

    def env_with_cache(name: str) -> dict[str, str]:
        return {**base_env, "GOCODEMOD_CACHE_DIR": str(scratch / f"cache-{name}")}

    runs = [
        ("gocodemod full cold", gocodemod(), env_with_cache("full")),
        ("gocodemod full warm", gocodemod(), env_with_cache("full")),
        ("gocodemod selective cold", gocodemod("-r", selective), env_with_cache("selective")),
        ("ast-grep all rules", ast_grep("-c", str(AST_GREP_DIR / "sgconfig.yml")), base_env),
        ("ast-grep selective", ast_grep("-r", str(AST_GREP_DIR / "rules" / f"{selective}.yml")), base_env),
    ]
    if not quick:
        runs += [
            ("gocodemod full -j 1 no cache", gocodemod("-j", "1", "--no-cache"), base_env),
            ("gocodemod full -j 2 no cache", gocodemod("-j", "2", "--no-cache"), base_env),
            ("gocodemod full dask -j 2", gocodemod("--executor", "dask", "-j", "2", "--no-cache"), base_env),
        ]
    results = []
    for name, argv, env in runs:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        results.append(measure(name, argv, env, tree, scratch))
    return results


def report(results: list[Measurement]) -> list[str]:
    """The table and the ratios against the targets; returns the failed targets."""
    by_name = {m.name: m for m in results}
    print(f"\n{'run':<32} {'wall s':>8} {'cpu s':>8} {'RSS MB':>8} {'PSS MB':>8} {'out lines':>10}  output")
    for m in results:
        print(
            f"{m.name:<32} {m.wall:>8.2f} {m.cpu:>8.2f} {m.peak_rss_mb:>8.0f} {m.peak_pss_mb:>8.0f} {m.output_lines:>10}  {m.output_digest}"
        )
    cold, warm, selective = (
        by_name["gocodemod full cold"],
        by_name["gocodemod full warm"],
        by_name["gocodemod selective cold"],
    )
    peer_all, peer_one = by_name["ast-grep all rules"], by_name["ast-grep selective"]
    rss = max(m.peak_rss_mb for m in results if m.name.startswith("gocodemod") and "dask" not in m.name)
    pss = max(m.peak_pss_mb for m in results if m.name.startswith("gocodemod") and "dask" not in m.name)
    checks = [
        ("full set cold / ast-grep all rules (wall)", cold.wall / peer_all.wall, TARGETS["full"]),
        ("selective cold / ast-grep selective (wall)", selective.wall / peer_one.wall, TARGETS["selective"]),
        ("warm / cold (wall)", warm.wall / cold.wall, TARGETS["warm"]),
        ("peak RSS of a gocodemod run, summed (MB)", rss, TARGETS["rss_mb"]),
    ]
    print(f"\n{'ratio':<46} {'measured':>9} {'target':>8}")
    failed = []
    for label, value, target in checks:
        ok = value <= target
        failed += [] if ok else [label]
        print(f"{label:<46} {value:>9.3f} {'<= ' + str(target):>8}  {'ok' if ok else 'MISSED'}")
    print(f"{'peak PSS of a gocodemod run, summed (MB)':<46} {pss:>9.0f}")
    print(f"{'cpu: full cold / ast-grep all rules':<46} {cold.cpu / peer_all.cpu:>9.3f}")
    print(f"{'cpu: selective / ast-grep selective':<46} {selective.cpu / peer_one.cpu:>9.3f}")
    same = {m.output_digest for m in results if m.name.startswith("gocodemod full")}
    print(
        f"{'identical output across gocodemod full runs':<46} {'yes' if len(same) == 1 else 'NO: ' + ', '.join(sorted(same)):>9}"
    )
    if len(same) != 1:
        failed.append("identical output")
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the -j 1 / -j 2 / dask consistency runs")
    parser.add_argument("--recipe", default="context-defer-cancel", help="the selective recipe")
    parser.add_argument("--tree", type=Path, default=None, help="source tree to copy (default: $(go env GOROOT)/src)")
    args = parser.parse_args()
    source = args.tree or goroot_src()
    with tempfile.TemporaryDirectory(prefix="gocodemod-bench-") as scratch_name:
        scratch = Path(scratch_name)
        tree = fresh_tree(scratch, source)
        files = sum(1 for path in tree.rglob("*.go") if not set(path.relative_to(tree).parts) & set(EXCLUDED))
        print(f"tree: fresh copy of {source} ({files} .go files outside {', '.join(EXCLUDED)}); "
              f"{os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.2f}")  # fmt: skip
        results = run_all(tree, scratch, args.recipe, args.quick)
        failed = report(results)
    print(f"\nload average at end {os.getloadavg()[0]:.2f} (other processes compete for the same cores)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
