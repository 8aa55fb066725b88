"""gocodemod against ``go fix``'s modernizers on the Go standard library, site by site.

For each pair (go fix analyzer, gocodemod recipe) both tools run as a dry run
over the same packages of ``$(go env GOROOT)/src``:

* ``go fix -diff -ANALYZER ./...`` in GOROOT/src (go fix type-checks; it reads
  the files in place and writes nothing); an analyzer of the modernize suite
  that ``go fix`` does not register (``fmtappendf``, off by default) runs
  through ``-fixtool``: a one-analyzer tool built from the toolchain's own
  vendored copy of golang.org/x/tools (offline, nothing downloaded);
* ``gocodemod run -r RECIPE --format diff`` over a copy of the same tree (the
  default file set: testdata, vendor and generated files are left out, as Go's
  ``./...`` leaves out testdata and vendor).

Each diff is cut into *sites*: runs of deleted and added lines, keyed by the
file and the old line range, cut again where a line is deleted and added
back unchanged (diff engines align such lines differently). A site both tools change is ``same`` when the
deleted and added lines are identical, else ``different``; the rest are
``go fix only`` and ``gocodemod only``. Sites in files gocodemod does not scan
(generated files) are counted apart. Usage:

    python benchmarks/gofix_parity.py [--pair waitgroupgo=waitgroup-go] [--show N] [--tree DIR]

Default pairs: any=interface-any, forvar=forvar, waitgroupgo=waitgroup-go,
stringsbuilder=strings-builder, fmtappendf=fmt-appendf.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PAIRS = (
    "any=interface-any",
    "forvar=forvar",
    "waitgroupgo=waitgroup-go",
    "stringsbuilder=strings-builder",
    "fmtappendf=fmt-appendf",
)
# Modernize analyzers that `go fix` does not register, by their variable in
# golang.org/x/tools/go/analysis/passes/modernize.
UNREGISTERED = {"fmtappendf": "FmtAppendfAnalyzer"}
_VENDORED = ("tools", "mod", "sync", "sys", "telemetry", "text")  # the x/ modules the tool needs
_GO_ENV = {"GOTOOLCHAIN": "local", "GOPROXY": "off", "GOFLAGS": ""}
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_GENERATED = re.compile(rb"^// Code generated .* DO NOT EDIT\.\r?$", re.MULTILINE)


@dataclass(frozen=True)
class Site:
    path: str
    old_start: int  # first old line the site touches (for a pure insertion: the line after it)
    deleted: tuple[str, ...]
    added: tuple[str, ...]

    @property
    def old_end(self) -> int:
        return self.old_start + max(len(self.deleted), 1) - 1


def minimal(site: Site) -> list[Site]:
    """The site cut where a line is deleted and added back unchanged.

    Diff engines align lines differently: one writes ``-}``/``+}`` inside a
    run where the other keeps ``}`` as context. Cutting at such lines makes
    both tools' sites the same runs, so their texts can be compared.
    """
    matcher = difflib.SequenceMatcher(None, site.deleted, site.added, autojunk=False)
    parts = []
    for tag, old_from, old_to, new_from, new_to in matcher.get_opcodes():
        if tag != "equal":
            parts.append(
                Site(site.path, site.old_start + old_from, site.deleted[old_from:old_to], site.added[new_from:new_to])
            )
    return parts


def parse_sites(diff: str, strip: str) -> list[Site]:
    """The change sites of a unified diff whose file names start with ``strip`` (removed)."""
    sites: list[Site] = []
    path = ""
    old_line = 0
    deleted: list[str] = []
    added: list[str] = []
    start = 0

    def flush() -> None:
        nonlocal deleted, added
        if deleted or added:
            sites.extend(minimal(Site(path, start, tuple(deleted), tuple(added))))
        deleted, added = [], []

    for line in diff.splitlines():
        if line.startswith("--- "):
            flush()
            continue
        if line.startswith("+++ "):
            name = line[4:].split("\t")[0].split(" (")[0]
            path = name[len(strip) :] if name.startswith(strip) else name
            continue
        found = _HUNK.match(line)
        if found:
            flush()
            old_line = int(found.group(1))
            continue
        if line.startswith("-"):
            if not deleted and not added:
                start = old_line
            deleted.append(line[1:])
            old_line += 1
        elif line.startswith("+"):
            if not deleted and not added:
                start = old_line
            added.append(line[1:])
        elif line.startswith(" "):
            flush()
            old_line += 1
        elif line.startswith("\\"):
            continue
    flush()
    return sites


def build_fixtool(goroot_src: Path, analyzer: str, scratch: Path) -> Path:
    """A ``go fix -fixtool`` program running one modernize analyzer, built from GOROOT's vendored x/tools."""
    vendor = goroot_src / "cmd" / "vendor" / "golang.org" / "x"
    work = scratch / f"fixtool-{analyzer}"
    requires, replaces = [], []
    for module in _VENDORED:
        shutil.copytree(vendor / module, work / "x" / module)
        (work / "x" / module / "go.mod").write_text(f"module golang.org/x/{module}\n\ngo 1.25\n")
        requires.append(f"\tgolang.org/x/{module} v0.0.0")
        replaces.append(f"\tgolang.org/x/{module} => ./x/{module}")
    (work / "go.mod").write_text(
        "module fixtool\n\ngo 1.25\n\nrequire (\n"
        + "\n".join(requires)
        + "\n)\n\nreplace (\n"
        + "\n".join(replaces)
        + "\n)\n"
    )
    (work / "main.go").write_text(
        "package main\n\nimport (\n"
        '\t"golang.org/x/tools/go/analysis/passes/modernize"\n'
        '\t"golang.org/x/tools/go/analysis/unitchecker"\n)\n\n'
        f"func main() {{ unitchecker.Main(modernize.{UNREGISTERED[analyzer]}) }}\n"
    )
    env = {**os.environ, **_GO_ENV, "GOFLAGS": "-mod=mod"}
    done = subprocess.run(["go", "build", "-o", "fixtool", "."], cwd=work, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"building a fix tool for {analyzer} failed: {done.stderr.strip()[:400]}")
    return work / "fixtool"


def go_fix_sites(goroot_src: Path, analyzer: str, fixtool: Path | None = None) -> list[Site]:
    env = {**os.environ, **_GO_ENV}
    select = [f"-fixtool={fixtool}"] if fixtool is not None else [f"-{analyzer}"]
    done = subprocess.run(
        ["go", "fix", "-diff", *select, "./..."], cwd=goroot_src, env=env, capture_output=True, text=True
    )
    if done.returncode not in (0, 1) and not done.stdout:
        sys.exit(f"go fix -{analyzer} failed: {done.stderr.strip()[:400]}")
    return parse_sites(done.stdout, str(goroot_src) + "/")


def gocodemod_sites(tree: Path, recipe: str) -> list[Site]:
    done = subprocess.run(
        [sys.executable, "-m", "codemod.cli", "run", "-r", recipe, "--format", "diff", "--no-cache", "-q"],
        cwd=tree,
        capture_output=True,
        text=True,
    )
    if done.returncode not in (0, 1):
        sys.exit(f"gocodemod -r {recipe} failed: {done.stderr.strip()[:400]}")
    return parse_sites(done.stdout, "b/")


def compare(ours: list[Site], theirs: list[Site], generated: set[str], modules: Sequence[str] = ()) -> dict[str, list]:
    """Sites of both tools matched by file and old line range; ``modules`` are nested modules
    (``cmd/``) that ``go fix ./...`` at the top does not enter: their sites are counted apart."""
    by_file: dict[str, list[Site]] = defaultdict(list)
    elsewhere = [site for site in ours if any(site.path.startswith(module) for module in modules)]
    ours = [site for site in ours if site not in elsewhere]
    for site in ours:
        by_file[site.path].append(site)
    result: dict[str, list] = {
        "same": [],
        "different": [],
        "go fix only": [],
        "gocodemod only": [],
        "generated": [],
        "other module": elsewhere,
    }
    matched: set[Site] = set()
    for site in theirs:
        if site.path in generated:
            result["generated"].append(site)
            continue
        twin = next(
            (o for o in by_file[site.path] if o.old_start <= site.old_end and site.old_start <= o.old_end), None
        )
        if twin is None:
            result["go fix only"].append(site)
        else:
            matched.add(twin)
            kind = "same" if (twin.deleted, twin.added) == (site.deleted, site.added) else "different"
            result[kind].append((site, twin))
    result["gocodemod only"] = [site for site in ours if site not in matched]
    return result


def generated_files(tree: Path) -> set[str]:
    found = set()
    for path in tree.rglob("*.go"):
        if not path.is_file():
            continue
        with open(path, "rb") as handle:
            if _GENERATED.search(handle.read(4096)):
                found.add(path.relative_to(tree).as_posix())
    return found


def nested_modules(tree: Path) -> list[str]:
    """Directories below ``tree`` with a go.mod of their own (as ``cmd/``)."""
    return sorted(
        path.parent.relative_to(tree).as_posix() + "/" for path in tree.rglob("go.mod") if path.parent != tree
    )


def show(site: Site, label: str) -> str:
    lines = [f"  {label} {site.path}:{site.old_start}"]
    lines += [f"    -{text}" for text in site.deleted] + [f"    +{text}" for text in site.added]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pair", action="append", help="ANALYZER=RECIPE (repeatable)")
    parser.add_argument("--show", type=int, default=5, help="examples to print per kind of difference")
    parser.add_argument("--tree", type=Path, default=None, help="GOROOT/src to compare on (default: go env GOROOT)")
    args = parser.parse_args()
    goroot_src = args.tree or Path(subprocess.check_output(["go", "env", "GOROOT"], text=True).strip()) / "src"
    with tempfile.TemporaryDirectory(prefix="gofix-parity-") as scratch:
        tree = Path(scratch) / "src"
        shutil.copytree(goroot_src, tree, symlinks=True)
        generated = generated_files(tree)
        print(f"tree: {goroot_src} ({len(generated)} generated files)")
        for pair in args.pair or DEFAULT_PAIRS:
            analyzer, recipe = pair.split("=", 1)
            tool = build_fixtool(goroot_src, analyzer, Path(scratch)) if analyzer in UNREGISTERED else None
            ours, theirs = gocodemod_sites(tree, recipe), go_fix_sites(goroot_src, analyzer, tool)
            result = compare(ours, theirs, generated, nested_modules(tree))
            counts = ", ".join(f"{kind}: {len(items)}" for kind, items in result.items())
            print(f"\ngo fix -{analyzer} vs gocodemod -r {recipe}: {counts}")
            for kind in ("different", "go fix only", "gocodemod only"):
                for item in result[kind][: args.show]:
                    if kind == "different":
                        print(show(item[0], "go fix   ") + "\n" + show(item[1], "gocodemod"))
                    else:
                        print(show(item, kind))


if __name__ == "__main__":
    main()
