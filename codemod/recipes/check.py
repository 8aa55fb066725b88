"""Checks of recipe and bundle documents that need no compilation (see :mod:`codemod.recipes.load`).

Each check adds a located problem (``file:line:column: message``) for every
mistake it finds instead of stopping at the first, so that one run reports
them all. The keys of a recipe and of a bundle are the tables
:data:`RECIPE_FIELDS` and :data:`BUNDLE_FIELDS`, which also say what each
key's value may be (JSON Schema fragments, from which
:mod:`codemod.recipes.schema` builds the recipe schema).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from codemod.errors import LocatedMessage
from codemod.model import SEVERITIES, Safety
from codemod.rules.accepts import FIX, RULE, STRING, Schema, enum, list_of, one_of, options

if TYPE_CHECKING:
    from codemod.recipes.yamlpos import PositionedDocument

ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
GO_VERSION_RE = re.compile(r"^1\.\d+(\.\d+)?$")
_RULES_BY_NAME: Schema = {"type": "object", "additionalProperties": RULE}
_GLOBS = list_of(STRING, non_empty=False)

IMPORTS_FIELDS: dict[str, Schema] = {"add": _GLOBS, "remove-if-unused": _GLOBS}
EXAMPLE_FIELDS: dict[str, Schema] = {"before": STRING, "after": STRING}
# Every key of a recipe document, in the order messages list them, and what its value may be.
RECIPE_FIELDS: dict[str, Schema] = {
    "id": {**STRING, "pattern": ID_RE.pattern},
    "description": STRING,
    "severity": enum(SEVERITIES),
    "safety": enum(safety.value for safety in Safety),
    "go": {**STRING, "pattern": GO_VERSION_RE.pattern},
    "files": _GLOBS,
    "ignores": _GLOBS,
    "rule": RULE,
    "constraints": _RULES_BY_NAME,
    "utils": _RULES_BY_NAME,
    "fix": FIX,
    "imports": options(IMPORTS_FIELDS),
    "message": STRING,
    "examples": list_of(options(EXAMPLE_FIELDS, required=("before",)), non_empty=False),
    "note": STRING,
}
RECIPE_KEYS = tuple(RECIPE_FIELDS)
REQUIRED_RECIPE_KEYS = ("id", "rule")
BUNDLE_ENTRY_FIELDS: dict[str, Schema] = {"id": STRING, "severity": enum(SEVERITIES)}
# Every key of a bundle document, and what its value may be.
BUNDLE_FIELDS: dict[str, Schema] = {
    "bundle": {**STRING, "pattern": ID_RE.pattern},
    "description": STRING,
    "recipes": list_of(one_of(STRING, options(BUNDLE_ENTRY_FIELDS, required=("id",)))),
}
BUNDLE_KEYS = tuple(BUNDLE_FIELDS)
REQUIRED_BUNDLE_KEYS = ("bundle", "recipes")


@dataclass(frozen=True)
class Bundle:
    id: str
    description: str
    members: tuple[tuple[str, dict], ...]  # (recipe id, overrides)
    source_path: str


def validate_recipe(raw: Any, doc: PositionedDocument, problems: list[LocatedMessage]) -> bool:
    """Structural checks that need no compilation; True when compilation may proceed."""
    start = len(problems)

    def fail(path: tuple, message: str) -> None:
        problems.append(LocatedMessage(doc.location(path), message))

    if not isinstance(raw, dict):
        fail((), "a recipe document must be a mapping")
        return False
    for key in raw:
        if key not in RECIPE_KEYS:
            fail((key,), f"unknown key {key!r} (known: {', '.join(RECIPE_KEYS)})")
    recipe_id = raw.get("id")
    if "id" not in raw:
        fail((), "missing id: a recipe needs an 'id', kebab-case, e.g. defer-go-explicit")
    elif not isinstance(recipe_id, str) or not ID_RE.match(recipe_id):
        fail(("id",), "id must be kebab-case, e.g. defer-go-explicit")
    if "rule" not in raw:
        fail((), "a recipe needs a 'rule'")
    if raw.get("severity", "warning") not in SEVERITIES:
        fail(("severity",), f"severity must be one of {', '.join(SEVERITIES)}")
    if raw.get("safety", "safe") not in [s.value for s in Safety]:
        fail(("safety",), "safety must be one of safe, unsafe, report")
    if raw.get("safety") in ("safe", "unsafe") and raw.get("fix") is None:
        fail(("safety",), "a safe or unsafe recipe needs a 'fix' (use safety: report for findings only)")
    if raw.get("safety") == "report" and raw.get("fix") is not None:
        fail(("fix",), "a report recipe has no fix")
    if "go" in raw and not (isinstance(raw["go"], str) and GO_VERSION_RE.match(raw["go"])):
        fail(("go",), 'go must be a version such as "1.22", quoted (unquoted, YAML reads 1.20 as the number 1.2)')
    for key in ("description", "message", "note"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            fail((key,), f"{key} must be a string")
    for key in ("constraints", "utils"):
        if raw.get(key) is not None and not isinstance(raw[key], dict):
            fail((key,), f"{key} must be a mapping of names to rules")
    for key in ("files", "ignores"):
        if key in raw and not (isinstance(raw[key], list) and all(isinstance(g, str) for g in raw[key])):
            fail((key,), f"{key} must be a list of glob strings")
    imports = raw.get("imports")
    if imports is not None:
        if not isinstance(imports, dict) or set(imports) - set(IMPORTS_FIELDS):
            fail(("imports",), "imports takes 'add' and 'remove-if-unused' lists of import paths")
        else:
            for key, paths in imports.items():
                if paths is not None and not (isinstance(paths, list) and all(isinstance(p, str) for p in paths)):
                    fail(("imports", key), f"imports.{key} must be a list of import paths")
    examples = raw.get("examples")
    if examples is not None and not isinstance(examples, list):
        fail(("examples",), "examples must be a list of {before, after}")
        examples = []
    for index, example in enumerate(examples or []):
        if not isinstance(example, dict) or "before" not in example or set(example) - set(EXAMPLE_FIELDS):
            fail(("examples", index), "an example needs 'before' and optionally 'after'")
        elif not isinstance(example["before"], str) or not isinstance(example.get("after", ""), (str, type(None))):
            fail(("examples", index), "an example's 'before' and 'after' must be Go source strings")
    return len(problems) == start


def _pattern_metavars(value: Any) -> set[str]:
    """Every metavariable a raw rule/fix value binds: in patterns, and ``bind: $X``
    (or ``bind-<what>: $X``) options of extension keys (codemod/rules/extensions/)."""
    from codemod.pattern.compile import collect_metavars

    names: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, inner in item.items():
                if key in ("pattern", "text") and isinstance(inner, str):
                    names |= collect_metavars(inner)
                elif (key == "bind" or key.startswith("bind-")) and isinstance(inner, str) and inner.startswith("$"):
                    names.add(inner.lstrip("$"))
                else:
                    stack.append(inner)
        elif isinstance(item, list):
            stack.extend(item)
    return names


def unbound_template_vars(raw: dict, doc: PositionedDocument) -> list[LocatedMessage]:
    """Templates may only use metavariables some pattern binds, or fresh names."""
    from codemod.fix.template import TEMPLATE_VAR_RE, template_var_name

    fix = raw.get("fix")
    bound = _pattern_metavars([raw.get("rule"), raw.get("utils"), fix]) | {"MATCH"}
    templates: list[tuple[tuple, str]] = []
    if isinstance(fix, str):
        templates.append((("fix",), fix))
    elif isinstance(fix, dict):
        bound |= _fresh_names(fix)
        stack: list[tuple[tuple, Any]] = [(("fix",), fix)]
        while stack:
            path, item = stack.pop()
            if isinstance(item, dict):
                for key, inner in item.items():
                    if key in ("rule", "when"):
                        continue
                    if isinstance(inner, str):
                        templates.append((path + (key,), inner))
                    else:
                        stack.append((path + (key,), inner))
            elif isinstance(item, list):
                stack.extend((path + (index,), inner) for index, inner in enumerate(item))
    if isinstance(raw.get("message"), str):
        templates.append((("message",), raw["message"]))
    problems = []
    for path, text in templates:
        for found in TEMPLATE_VAR_RE.finditer(text):
            name = template_var_name(found)
            if name not in bound:
                problems.append(
                    LocatedMessage(doc.location(path), f"${name} is not bound by any pattern or fresh name")
                )
    return problems


def _fresh_names(fix: dict) -> set[str]:
    """The fresh names of a fix and of its sub-rewrites' fixes (which also see the outer ones)."""
    names = {str(name).lstrip("$") for name in fix.get("fresh") or {}}
    for rewrite in fix.get("rewrite") or []:
        if isinstance(rewrite, dict) and isinstance(rewrite.get("fix"), dict):
            names |= _fresh_names(rewrite["fix"])
    return names


def rule_parts(raw: dict) -> dict:
    """Only the parts worth compiling for more error reports when validation failed."""
    parts = {"id": "invalid", "rule": raw["rule"]}
    for key in ("fix", "utils", "constraints"):
        if isinstance(raw.get(key), (dict, str)) and not (key != "fix" and isinstance(raw[key], str)):
            parts[key] = raw[key]
    return parts


def load_bundle(raw: dict, doc: PositionedDocument, problems: list[LocatedMessage]) -> Bundle | None:
    start = len(problems)
    for key in raw:
        if key not in BUNDLE_KEYS:
            problems.append(
                LocatedMessage(doc.location((key,)), f"unknown bundle key {key!r} (known: {', '.join(BUNDLE_KEYS)})")
            )
    if not isinstance(raw["bundle"], str) or not ID_RE.match(raw["bundle"]):
        problems.append(LocatedMessage(doc.location(("bundle",)), "a bundle id must be kebab-case, e.g. go-modernize"))
    if raw.get("description") is not None and not isinstance(raw["description"], str):
        problems.append(LocatedMessage(doc.location(("description",)), "description must be a string"))
    members: list[tuple[str, dict]] = []
    entries = raw.get("recipes")
    if not isinstance(entries, list) or not entries:
        problems.append(LocatedMessage(doc.location(("bundle",)), "a bundle needs a non-empty 'recipes' list"))
        entries = []
    for index, entry in enumerate(entries):
        if isinstance(entry, str):
            members.append((entry, {}))
        elif isinstance(entry, dict) and isinstance(entry.get("id"), str) and set(entry) <= set(BUNDLE_ENTRY_FIELDS):
            if entry.get("severity", "warning") not in SEVERITIES:
                problems.append(
                    LocatedMessage(
                        doc.location(("recipes", index, "severity")), f"severity must be one of {', '.join(SEVERITIES)}"
                    )
                )
            members.append((entry["id"], {k: v for k, v in entry.items() if k != "id"}))
        else:
            problems.append(
                LocatedMessage(doc.location(("recipes", index)), "a bundle entry is a recipe id or {id, severity}")
            )
    for index, entry in enumerate(entries):
        member = entry if isinstance(entry, str) else entry.get("id") if isinstance(entry, dict) else None
        if member is not None and member == raw["bundle"]:
            problems.append(LocatedMessage(doc.location(("recipes", index)), f"bundle {member!r} lists itself"))
    if len(problems) != start:
        return None
    return Bundle(raw["bundle"], raw.get("description", ""), tuple(members), str(doc.path))
