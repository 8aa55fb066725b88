"""``--verify vet`` on a copy of the Go standard library: the time it adds, against a plain ``go vet``.

The standard library builds only inside its GOROOT, so the benchmark copies
the whole toolchain (``$(go env GOROOT)``, with its ``bin/go``) into a
temporary directory and runs there with that ``go`` first on PATH, offline
(``GOPROXY=off``, ``GOTOOLCHAIN=local``) and with a Go build cache of its own,
primed once with ``go vet std`` (the state of a developer's machine: the
original packages compiled and vetted, the changed text not). Each measured
``go`` user starts from its own copy of that primed cache, since ``go``
caches vet results too (whoever ran second would find the first one's work):

* ``gocodemod run -r go-modernize`` (dry run, JSON): the run alone;
* ``go vet`` of the packages the run changed, with their changed text as an
  ``-overlay``, in each build configuration a changed file needs (one ``go
  vet`` per configuration: the default one, ``GOOS=windows`` for the
  ``_windows.go`` files, ...; :func:`codemod.verify.packages.map_packages`
  decides, as for ``--verify``): what any verification must at least do;
* ``gocodemod run -r go-modernize --verify vet``: cold (empty gocodemod
  cache), then warm (the same command again: the verdicts come from
  gocodemod's cache).

It prints each time and the time ``--verify vet`` adds (the verification's
own ``seconds`` in the JSON report) as a ratio of the ``go vet`` time;
targets: cold at most 1.5x, warm near zero. Usage::

    python benchmarks/verify.py [--bundle go-modernize] [--jobs N] [--keep DIR] [--gocache DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from codemod.verify.packages import BuildConfig, map_packages
from codemod.verify.toolchain import require_go

TARGETS = {"cold": 1.5, "warm": 0.1}


def timed(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.monotonic()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    return time.monotonic() - started, done


def copy_goroot(target: Path) -> Path:
    goroot = Path(subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip())
    shutil.copytree(goroot, target, symlinks=True, ignore=shutil.ignore_patterns(".git", "__pycache__"))
    return target


def by_configuration(
    src: Path, sources: dict[str, bytes], env: dict[str, str]
) -> dict[tuple[str, BuildConfig], set[str]]:
    """The changed packages' patterns per (module, build configuration), as --verify chooses them."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)  # the go of the GOROOT copy, offline
    try:
        tool = require_go()
        mapped = map_packages(tool, src, sources)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    groups: dict[tuple[str, BuildConfig], set[str]] = {}
    for package in mapped.all():
        groups.setdefault((package.module, package.config), set()).add(package.pattern)
    return groups


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", default="go-modernize")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", type=Path, help="Use (or make) the GOROOT copy here and keep it.")
    parser.add_argument("--gocache", type=Path, help="Use (or make) the primed Go build cache here and keep it.")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="gocodemod-verify-bench-"))
    try:
        goroot = args.keep if args.keep and args.keep.exists() else copy_goroot(args.keep or scratch / "goroot")
        env = {k: v for k, v in os.environ.items() if k not in ("GOROOT", "GOFLAGS", "GOWORK", "GOFMT")}
        env.update(
            PATH=f"{goroot / 'bin'}{os.pathsep}{env.get('PATH', '')}",
            GOTOOLCHAIN="local",
            GOPROXY="off",
        )
        src = goroot / "src"
        primed_cache = args.gocache or scratch / "gocache-primed"
        print(f"priming the Go build cache (go vet std) in {primed_cache} ...", flush=True)
        primed, done = timed(["go", "vet", "std"], {**env, "GOCACHE": str(primed_cache)}, src)
        print(f"  go vet std: {primed:.1f}s (exit {done.returncode})")

        def fresh_gocache(name: str) -> dict[str, str]:
            """The environment of a measured go user: its own copy of the primed cache (copying not timed)."""
            shutil.copytree(primed_cache, scratch / name, symlinks=True)
            return {**env, "GOCACHE": str(scratch / name)}

        def gocodemod(
            *extra: str, cache: str, go_env: dict[str, str]
        ) -> tuple[float, subprocess.CompletedProcess[str]]:
            run_env = {**go_env, "GOCODEMOD_CACHE_DIR": str(scratch / cache)}
            command = [sys.executable, "-m", "codemod.cli", "run", "-r", args.bundle, "-j", str(args.jobs)]
            return timed([*command, "-q", "--format", "json", *extra, "."], run_env, src)

        plain_time, plain = gocodemod(cache="cache-plain", go_env={**env, "GOCACHE": str(primed_cache)})
        report = json.loads(plain.stdout)
        changed = {file["path"]: file for file in report["files"] if file["status"] == "changed"}
        directories = sorted({"./" + (path.rpartition("/")[0] or ".") for path in changed})
        print(f"plain run: {plain_time:.1f}s, {len(changed)} files changed in {len(directories)} directories")

        overlay: dict[str, dict[str, str]] = {"Replace": {}}
        files = scratch / "overlay"
        files.mkdir()
        sources: dict[str, bytes] = {}
        for index, (path, file) in enumerate(sorted(changed.items())):
            patched = subprocess.run(
                ["patch", "-s", "-o", "-", str(src / path)], input=file["diff"].encode(), capture_output=True
            ).stdout
            sources[path] = patched or (src / path).read_bytes()
            target = files / f"{index}.go"
            target.write_bytes(sources[path])
            overlay["Replace"][str((src / path).resolve())] = str(target)
        (scratch / "overlay.json").write_text(json.dumps(overlay))
        configurations = by_configuration(src, sources, env)
        vet_env = fresh_gocache("gocache-vet")
        vet_time = 0.0
        for (module, config), patterns in sorted(configurations.items()):
            command = ["go", "vet", *config.flags(), f"-overlay={scratch / 'overlay.json'}", *sorted(patterns)]
            spent, vet = timed(command, {**vet_env, **config.env()}, Path(module))
            vet_time += spent
            print(
                f"  go vet ({config.describe()}) of {len(patterns)} packages in {module}: {spent:.1f}s (exit {vet.returncode})"
            )
        print(f"go vet -overlay of the {len(directories)} changed packages, every configuration: {vet_time:.1f}s")

        verify_env = fresh_gocache("gocache-verify")
        cold_time, cold = gocodemod("--verify", "vet", cache="cache-verify", go_env=verify_env)
        warm_time, warm = gocodemod("--verify", "vet", cache="cache-verify", go_env=verify_env)
        summary = json.loads(cold.stdout).get("verification", {})
        warm_summary = json.loads(warm.stdout).get("verification", {})
        print(f"--verify vet cold: {cold_time:.1f}s in all  {summary}")
        print(f"--verify vet warm: {warm_time:.1f}s in all  {warm_summary}")

        # the time the verification itself took (its "seconds": mapping, checks, bisection, cache), which is
        # what --verify adds to a run, cold or warm alike
        added_cold, added_warm = summary.get("seconds", cold_time), warm_summary.get("seconds", warm_time)
        print(
            f"added by --verify vet, cold: {added_cold:.1f}s = {added_cold / vet_time:.2f}x go vet (target <= {TARGETS['cold']}x)"
        )
        print(
            f"added by --verify vet, warm: {added_warm:.1f}s = {added_warm / vet_time:.2f}x go vet (target <= {TARGETS['warm']}x)"
        )
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)  # --keep's and --gocache's directories live outside it


if __name__ == "__main__":
    raise SystemExit(main())
