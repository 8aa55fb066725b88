"""Recipe tests: golden cases on disk and inline examples, with four checks.

A golden case is ``golden/<recipe-id>/<case>.input.go`` (the ``golden/``
folder next to the recipe's file or next to its folder) with its expected
output ``<case>.golden.go`` (identical to the input for a case that must not
change). Optional companions:

``<case>.go.mod``     a go.mod whose ``go`` line gates version-bound recipes
``<case>.pkg/``       other ``.go`` files of the same package (context only)
``<case>.findings``   expected findings, one ``line:column: message`` a line

Every case (and every inline ``examples`` entry of a recipe) is checked for:
the exact expected output, idempotence (a second run changes nothing), no
syntax errors in the output beyond the input's own (a case may hold Go that
tree-sitter-go cannot parse yet: :mod:`codemod.engine.syntaxerrors`), and
gofmt-cleanliness (by the real gofmt, with the engine's own gofmt pass turned
off so the recipe must earn it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from codemod.engine.core import run_file
from codemod.golang import gofmt
from codemod.golang.versions import go_version_of_mod
from codemod.model import FileResult, Status
from codemod.recipes.builtin import GOLDEN_DIR
from codemod.recipes.load import Recipe, load_recipes
from codemod.syntax.tree import error_count, first_error, parse


@dataclass(frozen=True)
class TestOutcome:
    recipe_id: str
    case: str
    ok: bool
    message: str = ""


@dataclass(frozen=True)
class GoldenCase:
    name: str
    input_path: Path
    expected: bytes
    go_version: str | None
    package: dict[str, bytes]
    findings: list[str] | None


def golden_cases(recipe_id: str, root: Path = GOLDEN_DIR) -> list[GoldenCase]:
    """The golden cases of one recipe, sorted by name."""
    folder = root / recipe_id
    cases = []
    for input_path in sorted(folder.glob("*.input.go")):
        name = input_path.name[: -len(".input.go")]
        golden = folder / f"{name}.golden.go"
        mod = folder / f"{name}.go.mod"
        pkg = folder / f"{name}.pkg"
        findings = folder / f"{name}.findings"
        cases.append(
            GoldenCase(
                name,
                input_path,
                golden.read_bytes() if golden.exists() else b"",
                go_version_of_mod(mod.read_text()) if mod.exists() else None,
                {str(p): p.read_bytes() for p in sorted(pkg.glob("*.go"))} if pkg.is_dir() else {},
                [line for line in findings.read_text().splitlines() if line.strip()] if findings.exists() else None,
            )
        )
    return cases


def check_output(
    recipe: Recipe,
    name: str,
    source: bytes,
    expected: bytes,
    *,
    path: str = "case.go",
    go_version: str | None = None,
    package: dict[str, bytes] | None = None,
    findings: list[str] | None = None,
) -> TestOutcome:
    """Run one recipe over ``source`` and apply the four golden checks."""

    def fail(message: str) -> TestOutcome:
        return TestOutcome(recipe.id, name, False, message)

    path, files = _within_case(path, dict(package or {}))
    files[path] = source
    first = _run(recipe, path, source, go_version, files)
    if first.status is Status.FAILED:
        return fail(f"engine failed: {first.reason}")
    output = first.new_source if first.changed else source
    if output != expected:
        return fail("output differs from golden:\n" + _short_diff(expected, output or b""))
    if findings is not None:
        got = [f"{f.start.line}:{f.start.column}: {f.message}" for f in first.findings]
        if got != findings:
            return fail(f"findings differ: expected {findings}, got {got}")
    output_tree = parse(output)
    problem = first_error(output_tree)
    if problem is not None and error_count(output_tree) > error_count(parse(source)):
        return fail(f"output does not parse at {problem.line}:{problem.column}: {problem.message}")
    files[path] = output
    second = _run(recipe, path, output, go_version, files)
    if second.changed:
        return fail(
            "not idempotent: a second run changes the output:\n" + _short_diff(output, second.new_source or b"")
        )
    if gofmt.available():
        plain = output.replace(b"\r\n", b"\n")
        formatted, rejection = gofmt.format_source(plain)
        if formatted is None:
            return fail(f"gofmt rejects the output: {rejection}")
        if formatted != plain:
            return fail("output is not gofmt-clean:\n" + _short_diff(plain, formatted))
    return TestOutcome(recipe.id, name, True)


def _within_case(path: str, package: dict[str, bytes]) -> tuple[str, dict[str, bytes]]:
    """The case's paths relative to its folder, as a run's are to the repository root: where
    gocodemod is installed or checked out (under ``_build/``, say) must not meet a recipe's
    ``files`` or ``ignores`` globs (``_*/**``: directories the go tool ignores)."""
    base = Path(path).parent
    if not Path(path).is_absolute():
        return path, package

    def relative(name: str) -> str:
        return Path(name).relative_to(base).as_posix() if Path(name).is_relative_to(base) else name

    return relative(path), {relative(name): data for name, data in package.items()}


def _run(recipe: Recipe, path: str, source: bytes, go_version: str | None, files: dict[str, bytes]) -> FileResult:
    return run_file(path, source, [recipe], go_version=go_version, package_sources=files, format_with_gofmt=False)


def _short_diff(expected: bytes, actual: bytes) -> str:
    import difflib

    lines = difflib.unified_diff(
        expected.decode("utf-8", "replace").splitlines(),
        actual.decode("utf-8", "replace").splitlines(),
        "expected",
        "actual",
        lineterm="",
    )
    return "\n".join(list(lines)[:60])


def golden_root_of(recipe: Recipe) -> Path:
    """Where the golden cases of ``recipe`` are: the ``golden/`` folder next to its file when that
    holds ``golden/<id>/``, else the one next to its folder (the built-in layout, ``recipes/`` and
    ``golden/`` side by side, which a recipe file elsewhere may copy)."""
    folder = Path(recipe.source_path).parent
    for root in (folder / "golden", folder.parent / "golden"):
        if (root / recipe.id).is_dir():
            return root
    return folder / "golden"


def run_recipe_tests(
    ids: list[str] | None = None, golden_root: Path | None = None, extra_dirs: Sequence[str] = ()
) -> list[TestOutcome]:
    """Golden cases and inline examples for the chosen recipes (ids, bundles, files or directories;
    all by default), built-in or from ``extra_dirs`` (the configured ``recipe_dirs``); golden cases
    under ``golden_root``, else next to each recipe's file (:func:`golden_root_of`)."""
    recipes = load_recipes(list(ids or []), extra_dirs=list(extra_dirs))
    outcomes: list[TestOutcome] = []
    for recipe in recipes:
        cases = golden_cases(recipe.id, golden_root or golden_root_of(recipe))
        for case in cases:
            outcomes.append(
                check_output(
                    recipe,
                    case.name,
                    case.input_path.read_bytes(),
                    case.expected,
                    path=str(case.input_path),
                    go_version=case.go_version,
                    package=case.package,
                    findings=case.findings,
                )
            )
        for index, example in enumerate(recipe.examples, 1):
            before = example.before.encode()
            after = (example.after if example.after is not None else example.before).encode()
            outcomes.append(check_output(recipe, f"example-{index}", before, after))
        if not cases and not recipe.examples:
            outcomes.append(TestOutcome(recipe.id, "-", False, "recipe has no golden cases and no examples"))
    return outcomes
