"""SARIF 2.1.0 output: one result per change or finding, fixes as artifactChanges.

Recipes become ``tool.driver.rules`` (with their safety as a property);
each applied change becomes a result whose ``fixes`` carry the change's
byte-offset replacements. Edits of a change made in a later fix pass are
relative to the file as the earlier passes left it, not to the file on
disk, so such a result carries no fix (``properties.fixPass`` says why).
Columns count Unicode code points (``columnKind``). Output is sorted and
deterministic.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from codemod import __version__
from codemod.model import Change, Finding, Position

if TYPE_CHECKING:
    from codemod.recipes.load import Recipe
    from codemod.run.runner import RunResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning", "info": "note", "hint": "note"}


def level(severity: str) -> str:
    """A recipe or finding severity as a SARIF level."""
    return _LEVELS.get(severity, "warning")


def _region(start: Position, end: Position) -> dict[str, int]:
    return {"startLine": start.line, "startColumn": start.column, "endLine": end.line, "endColumn": end.column}


def _location(path: str, start: Position, end: Position) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": {"uri": path}, "region": _region(start, end)}}


def _rule(recipe: Recipe) -> dict[str, Any]:
    description = recipe.description or recipe.id
    return {
        "id": recipe.id,
        "shortDescription": {"text": description.strip().splitlines()[0]},
        "fullDescription": {"text": description.strip()},
        "defaultConfiguration": {"level": level(recipe.severity)},
        "properties": {"safety": recipe.safety.value},
    }


def _message(recipe: Recipe | None, text: str) -> str:
    if text:
        return text
    if recipe is not None:
        return recipe.message or recipe.description or recipe.id
    return "gocodemod change"


def _verification(change: Change) -> dict[str, Any]:
    """``--verify``'s word on a change, as result properties (none without --verify)."""
    note = change.verification
    if note is None:
        return {}
    found = {"verification": note.status.value, "verificationLevel": note.level}
    details = {"verificationReason": note.reason, "verificationMessage": list(note.message)} if note.reason else {}
    return found | details | ({"failingTests": list(note.tests)} if note.tests else {})


def _withheld_result(run: RunResult, path: str, change: Change, rule_index: dict[str, int]) -> dict[str, Any]:
    """A change ``--verify`` withheld: reported as a note, with no fix."""
    result = _change_result(run, path, change, rule_index)
    result.pop("fixes", None)
    result["level"] = "note"
    return result


def _change_result(run: RunResult, path: str, change: Change, rule_index: dict[str, int]) -> dict[str, Any]:
    recipe = run.recipe(change.recipe_id)
    result: dict[str, Any] = {
        "ruleId": change.recipe_id,
        "level": level(recipe.severity if recipe else "warning"),
        "message": {"text": _message(recipe, change.message)},
        "locations": [_location(path, change.start, change.end)],
    }
    if change.recipe_id in rule_index:
        result["ruleIndex"] = rule_index[change.recipe_id]
    if change.pass_index == 0:
        replacements = [
            {
                "deletedRegion": {"byteOffset": edit.start, "byteLength": edit.end - edit.start},
                "insertedContent": {"text": edit.text.decode("utf-8", errors="replace")},
            }
            for edit in sorted(change.edits, key=lambda e: (e.start, e.end))
        ]
        result["fixes"] = [
            {
                "description": {"text": f"Apply {change.recipe_id}"},
                "artifactChanges": [{"artifactLocation": {"uri": path}, "replacements": replacements}],
            }
        ]
    else:
        result["properties"] = {"fixPass": change.pass_index}
    if change.verification is not None:
        result["properties"] = result.get("properties", {}) | _verification(change)
    return result


def _finding_result(run: RunResult, path: str, finding: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    recipe = run.recipe(finding.recipe_id)
    result: dict[str, Any] = {
        "ruleId": finding.recipe_id,
        "level": level(finding.severity),
        "message": {"text": _message(recipe, finding.message)},
        "locations": [_location(path, finding.start, finding.end)],
    }
    if finding.recipe_id in rule_index:
        result["ruleIndex"] = rule_index[finding.recipe_id]
    return result


def _sort_key(result: dict[str, Any]) -> tuple[Any, ...]:
    location = result["locations"][0]["physicalLocation"]
    region = location["region"]
    return (location["artifactLocation"]["uri"], region["startLine"], region["startColumn"], result["ruleId"])


def to_sarif(run: RunResult) -> str:
    """The SARIF 2.1.0 log of ``run``; ends with a newline."""
    rule_index = {recipe.id: index for index, recipe in enumerate(run.recipes)}
    results: list[dict[str, Any]] = []
    for file_result in run.results:
        if file_result.changed:
            results += [_change_result(run, file_result.path, c, rule_index) for c in file_result.changes]
        results += [_withheld_result(run, file_result.path, c, rule_index) for c in file_result.withheld]
        results += [_finding_result(run, file_result.path, f, rule_index) for f in file_result.findings]
    results.sort(key=_sort_key)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "gocodemod",
                        "version": __version__,
                        "rules": [_rule(recipe) for recipe in run.recipes],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
