"""The go-gc bundle's effect, measured: same results, fewer allocations, on real Go modules.

Every directory ``tests/data/gcallocs/<case>/`` is a tiny Go module (go.mod,
code, a ``_test.go`` with tests and ``Benchmark`` functions) plus a
``case.yaml`` naming the recipe it measures and the files the bundle must
change (see ``tests/data/gcallocs/README.md``). For each case, in a copy:

1. ``go test -v`` (the results: every test passes, and what the tests print)
   and ``go test -bench . -benchmem`` (allocs/op and ns/op per benchmark,
   the least of a few runs);
2. ``gocodemod run --write -r go-gc`` through the CLI: exactly the listed
   files change;
3. the same again: the tests pass with the same output, and every benchmark
   allocates less per op: no more allocations nor bytes, and fewer of one or
   the other (``fmt.Appendf`` makes as many allocations as ``[]byte(Sprintf)``,
   smaller ones). Allocations are counted, not timed: ns/op is only reported.

``python3 tests/test_gc_allocs.py`` prints the table of docs/recipes/go-gc.md.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

CASES_DIR = Path(__file__).parent / "data" / "gcallocs"
BUNDLE = "go-gc"
# A fixed number of iterations, several runs: allocs/op and B/op are averages
# over the iterations, so the runtime's own occasional allocations (the
# benchmark harness, the GC) add noise that shrinks with the iteration count
# and only ever adds; the least figure over the runs is the code's own.
BENCH_TIMES = "5000x"
BENCH_RUNS = 3
_BENCH_LINE = re.compile(r"^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op(?:\s+([\d.]+) B/op\s+([\d.]+) allocs/op)?")
_TIMING = re.compile(r"\(\d+(\.\d+)?s\)|\t[\d.]+s$")


@dataclass(frozen=True)
class Bench:
    ns_per_op: float
    bytes_per_op: float
    allocs_per_op: float


@dataclass(frozen=True)
class Measure:
    output: str  # what `go test -v` printed, timings removed
    benches: dict[str, Bench]


@dataclass(frozen=True)
class CaseResult:
    name: str
    recipe: str
    changed: list[str]
    expected: list[str]
    before: Measure
    after: Measure


def case_dirs() -> list[Path]:
    return sorted(path for path in CASES_DIR.iterdir() if (path / "go.mod").is_file()) if CASES_DIR.is_dir() else []


def _go_env() -> dict[str, str]:
    return {**os.environ, "GOTOOLCHAIN": "local", "GOPROXY": "off", "GOFLAGS": "-mod=mod"}


def _run(args: list[str], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=_go_env(), capture_output=True, text=True, timeout=timeout)


def measure(module: Path, go: str = "go") -> Measure:
    """Run the module's tests (they must pass) and benchmarks."""
    tests = _run([go, "test", "-count=1", "-v", "-run", ".", "./..."], module)
    if tests.returncode != 0:
        raise AssertionError(f"go test failed in {module}:\n{tests.stdout}\n{tests.stderr}")
    bench = _run(
        [go, "test", f"-count={BENCH_RUNS}", "-run", "^$", "-bench", ".", "-benchmem", "-benchtime", BENCH_TIMES],
        module,
    )
    if bench.returncode != 0:
        raise AssertionError(f"go test -bench failed in {module}:\n{bench.stdout}\n{bench.stderr}")
    benches: dict[str, Bench] = {}
    for line in bench.stdout.splitlines():
        found = _BENCH_LINE.match(line)
        if found and found.group(4) is not None:
            run = Bench(float(found.group(2)), float(found.group(3)), float(found.group(4)))
            least = benches.get(found.group(1), run)
            benches[found.group(1)] = Bench(
                min(least.ns_per_op, run.ns_per_op),
                min(least.bytes_per_op, run.bytes_per_op),
                min(least.allocs_per_op, run.allocs_per_op),
            )
    output = "\n".join(_TIMING.sub("", line) for line in tests.stdout.splitlines())
    return Measure(output, benches)


def _git(args: list[str], cwd: Path) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=gcallocs", "-c", "user.email=gcallocs@invalid", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def run_case(source: Path, work: Path, go: str = "go") -> CaseResult:
    """Measure one case before and after ``gocodemod run --write -r go-gc`` in a copy under ``work``."""
    spec = yaml.safe_load((source / "case.yaml").read_text())
    module = work / source.name
    shutil.copytree(source, module)
    _git(["init", "-q"], module)
    _git(["add", "."], module)
    _git(["commit", "-q", "-m", "case"], module)
    before = measure(module, go)
    gocodemod = [sys.executable, "-m", "codemod.cli.main"]
    done = subprocess.run(
        [*gocodemod, "run", "--write", "-r", BUNDLE, "-q", "."],
        cwd=module,
        env=_go_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise AssertionError(f"gocodemod run failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    changed = sorted(_git(["diff", "--name-only"], module).split())
    after = measure(module, go)
    return CaseResult(source.name, spec["recipe"], changed, sorted(spec["changes"]), before, after)


def table(results: list[CaseResult]) -> str:
    """The markdown table of docs/recipes/go-gc.md."""
    lines = [
        "| recipe | benchmark | allocs/op before → after | B/op before → after | ns/op before → after |",
        "|---|---|---|---|---|",
    ]
    for result in results:
        for name, old in sorted(result.before.benches.items()):
            new = result.after.benches[name]
            lines.append(
                f"| `{result.recipe}` | {name} | {old.allocs_per_op:g} → {new.allocs_per_op:g}"
                f" | {old.bytes_per_op:,.0f} → {new.bytes_per_op:,.0f} | {old.ns_per_op:,.0f} → {new.ns_per_op:,.0f} |"
            )
    return "\n".join(lines)


@pytest.mark.slow
@pytest.mark.parametrize("case", case_dirs(), ids=lambda path: path.name)
def test_bundle_keeps_results_and_allocates_less(case: Path, go_toolchain, tmp_path: Path) -> None:
    result = run_case(case, tmp_path, go_toolchain.go)
    assert result.changed == result.expected, "the bundle changed other files than case.yaml lists"
    assert result.after.output == result.before.output, "the tests print other results after the bundle ran"
    assert result.before.benches, f"{case.name}: no benchmark with -benchmem figures"
    assert set(result.after.benches) == set(result.before.benches)
    for name, old in result.before.benches.items():
        new = result.after.benches[name]
        figures = f"{name}: {old.allocs_per_op:g} -> {new.allocs_per_op:g} allocs/op, {old.bytes_per_op:g} -> {new.bytes_per_op:g} B/op"
        assert new.allocs_per_op <= old.allocs_per_op and new.bytes_per_op <= old.bytes_per_op, figures
        assert new.allocs_per_op < old.allocs_per_op or new.bytes_per_op < old.bytes_per_op, figures


def test_every_case_says_what_it_measures() -> None:
    assert case_dirs(), f"no case under {CASES_DIR}"
    for case in case_dirs():
        spec = yaml.safe_load((case / "case.yaml").read_text())
        assert set(spec) == {"recipe", "changes"}, f"{case.name}/case.yaml: needs exactly recipe and changes"
        assert all((case / name).is_file() for name in spec["changes"]), f"{case.name}: a listed file is missing"
        assert list(case.glob("*_test.go")), f"{case.name}: no _test.go with the tests and benchmarks"


def main() -> None:
    """Print the table for the docs: ``python3 tests/test_gc_allocs.py``."""
    import tempfile

    go = shutil.which("go") or "go"
    with tempfile.TemporaryDirectory() as work:
        results = [run_case(case, Path(work), go) for case in case_dirs()]
    print(table(results))


if __name__ == "__main__":
    main()
