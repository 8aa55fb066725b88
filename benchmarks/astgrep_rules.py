"""Write the built-in recipes as ast-grep rules (benchmarks/astgrep/), for the stdlib benchmark.

Our rule vocabulary is ast-grep's, so a recipe's ``rule``, ``utils`` and
``constraints`` carry over key for key. What ast-grep lacks is dropped:
extension keys (scope, field and flow facts) count as "true", so an ``any``
holding one becomes true and a ``not`` of one is dropped; fixes are left out
(ast-grep only reports). The ast-grep rules therefore match at least what the
recipes match, with less work per match: a fair peer for a speed test.

Statement-sequence patterns, which ast-grep rejects, become their last
statement that ``follows`` the first one. Usage:

    python benchmarks/astgrep_rules.py      # rewrites benchmarks/astgrep/
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from codemod.pattern.compile import _wrap, compile_pattern, map_offset, substitute_metavars
from codemod.recipes.load import Recipe, load_recipes

HERE = Path(__file__).resolve().parent / "astgrep"
ATOMIC = ("kind", "regex", "nthChild", "range")
RELATIONS = ("inside", "has", "follows", "precedes")
TRUE = None  # a rule that holds everywhere (what an extension key turns into)
METAVAR_ONLY = re.compile(r"^\$+[A-Z_]*$")


def translate_rule(rule: Any, true_utils: set[str]) -> dict | None:
    """The ast-grep form of one rule object, or TRUE when nothing of it carries over."""
    if not isinstance(rule, dict):
        return TRUE
    out: dict[str, Any] = {}
    for key, value in rule.items():
        if key == "pattern":
            out.update(translate_pattern(value))
        elif key in ATOMIC:
            out[key] = value
        elif key in RELATIONS:
            relation = _relation(value, true_utils)
            if relation is not TRUE:
                out[key] = relation
        elif key in ("all", "any"):
            parts = [translate_rule(item, true_utils) for item in value]
            if key == "any" and any(part is TRUE for part in parts):
                continue  # one alternative always holds
            parts = [part for part in parts if part is not TRUE]
            if parts:
                out[key] = parts
        elif key == "not":
            inner = translate_rule(value, true_utils)
            if inner is not TRUE:
                out["not"] = inner
        elif key == "matches" and value not in true_utils:
            out["matches"] = value
    return out or TRUE


def _relation(value: dict, true_utils: set[str]) -> dict | None:
    inner = translate_rule({k: v for k, v in value.items() if k not in ("stopBy", "field")}, true_utils)
    if inner is TRUE:
        return TRUE
    if "field" in value:
        inner["field"] = value["field"]
    stop = value.get("stopBy")
    if isinstance(stop, dict):
        stop = translate_rule(stop, true_utils) or "neighbor"
    if stop is not None:
        inner["stopBy"] = stop
    return inner


def translate_pattern(value: Any) -> dict:
    if isinstance(value, dict):
        if value.get("selector"):
            return {"pattern": {"context": value["text"], "selector": value["selector"]}}
        value = value["text"]
    if compile_pattern(value).is_sequence:
        statements = _statements(value)
        out: dict[str, Any] = {"pattern": statements[-1]}
        if not METAVAR_ONLY.match(statements[0]):
            gap = any(METAVAR_ONLY.match(s) for s in statements[1:-1])
            out["follows"] = {"pattern": statements[0], "stopBy": "end" if gap else "neighbor"}
        return out
    return {"pattern": value}


def _statements(text: str) -> list[str]:
    """The statements of a sequence pattern, as the user wrote them."""
    substituted, anchors = substitute_metavars(text)
    wrapped, start = _wrap("sequence", substituted)
    nodes = compile_pattern(text, "sequence").nodes
    prefix = len(wrapped[:start].encode())
    return [text[map_offset(anchors, n.start_byte - prefix) : map_offset(anchors, n.end_byte - prefix)] for n in nodes]


def translate_recipe(recipe: Recipe) -> dict | None:
    raw = recipe.raw
    utils_raw = raw.get("utils") or {}
    true_utils: set[str] = set()
    utils: dict[str, dict] = {}
    changed = True
    while changed:  # a util that only holds extension facts makes those that use it true too
        changed = False
        for name, rule in utils_raw.items():
            translated = translate_rule(rule, true_utils)
            if translated is TRUE and name not in true_utils:
                true_utils.add(name)
                changed = True
            elif translated is not TRUE:
                utils[name] = translated
    rule = translate_rule(raw["rule"], true_utils)
    if rule is TRUE:
        return None
    out: dict[str, Any] = {"id": recipe.id, "language": "go", "severity": "warning", "message": recipe.id, "rule": rule}
    used = {name: body for name, body in utils.items() if name not in true_utils}
    if used:
        out["utils"] = used
    constraints = {}
    text = yaml.safe_dump(rule)
    for name, constraint in (raw.get("constraints") or {}).items():
        name = str(name).lstrip("$")
        translated = translate_rule(constraint, true_utils)
        if translated is not TRUE and re.search(rf"\${re.escape(name)}\b", text):  # ast-grep: only vars its rule binds
            constraints[name] = translated
    if constraints:
        out["constraints"] = constraints
    return out


def write_rules(recipes: list[Recipe], target: Path = HERE) -> list[str]:
    """Write one rule file per recipe plus an sgconfig.yml; returns the ids written."""
    shutil.rmtree(target / "rules", ignore_errors=True)
    (target / "rules").mkdir(parents=True)
    written = []
    for recipe in recipes:
        rule = translate_recipe(recipe)
        if rule is None:
            continue
        text = f"# Generated by benchmarks/astgrep_rules.py from recipes/{Path(recipe.source_path).name}\n"
        (target / "rules" / f"{recipe.id}.yml").write_text(text + yaml.safe_dump(rule, sort_keys=False, width=120))
        written.append(recipe.id)
    (target / "sgconfig.yml").write_text("ruleDirs:\n  - rules\n")
    return written


if __name__ == "__main__":
    print("wrote:", ", ".join(write_rules(load_recipes([]))))
