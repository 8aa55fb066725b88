"""The fix format: what a recipe's ``fix`` may say, and its compilation into a :class:`FixSpec`.

A fix is a template string (the match becomes it) or a mapping of ``replace``,
``edits`` (actions anchored on metavariables), ``fresh`` names, nested
``rewrite`` rules and ``refuse`` entries. The tables here are the one
definition of those keys: :func:`compile_fix` checks against them and
:mod:`codemod.recipes.schema` publishes them as JSON Schema. Planning a
compiled fix against a match is :mod:`codemod.fix.plan`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from codemod.fix.template import Template, compile_template
from codemod.rules.accepts import FIX, METAVAR, RULE, STRING, Schema, enum, list_of, options
from codemod.rules.compile import compile_rule
from codemod.rules.core import Rule, RuleError

TEMPLATE: Schema = {**STRING, "description": "Go text with $X, $$$X and ${X}"}

# An edit is one action, anchored on a metavariable (or the whole match), with its options.
EDIT_ACTIONS = ("replace", "delete", "insert-before", "insert-after", "function-start", "package-decl")
# The actions whose value is a template; the others name the metavariable they anchor on.
TEMPLATE_ACTIONS = ("function-start", "package-decl")
# What an edit holds besides its action: the text to write, and where a template action goes.
EDIT_OPTIONS: dict[str, Schema] = {"with": TEMPLATE, "text": TEMPLATE, "of": METAVAR, "after": METAVAR}
# The option each action takes (its text, or for a template action its anchor).
ACTION_OPTION = {
    "replace": "with",
    "insert-before": "text",
    "insert-after": "text",
    "function-start": "of",
    "package-decl": "after",
}
REWRITE_FIELDS: dict[str, Schema] = {"in": METAVAR, "rule": RULE, "fix": FIX}
REFUSE_FIELDS: dict[str, Schema] = {"when": RULE, "because": STRING}


def _edit_schema() -> Schema:
    actions = {action: TEMPLATE if action in TEMPLATE_ACTIONS else METAVAR for action in EDIT_ACTIONS}
    return {**options({**actions, **EDIT_OPTIONS}), "oneOf": [{"required": [action]} for action in EDIT_ACTIONS]}


# What becomes of the comments inside the region a ``replace`` rewrites.
COMMENT_POLICIES = ("keep", "drop")

# The keys of a fix mapping and what each accepts: the one definition :func:`compile_fix`
# checks against and the JSON Schema publishes (codemod.recipes.schema).
FIX_FIELDS: dict[str, Schema] = {
    "replace": TEMPLATE,
    "edits": list_of(_edit_schema(), non_empty=False),
    "fresh": {"type": "object", "additionalProperties": STRING, "description": "NAME: hint for a new identifier"},
    "rewrite": list_of(options(REWRITE_FIELDS, required=("rule", "fix")), non_empty=False),
    "refuse": list_of(options(REFUSE_FIELDS, required=("when", "because")), non_empty=False),
    "comments": {
        **enum(COMMENT_POLICIES),
        "description": "keep (default): the replaced region's comments stay (codemod.fix.comments); drop: they go",
    },
}
FIX_KEYS = tuple(FIX_FIELDS)


@dataclass
class EditSpec:
    action: str
    anchor: str | None  # metavariable name, None for the whole match
    template: Template | None = None


@dataclass
class Rewrite:
    within: str | None
    rule: Rule
    fix: FixSpec


@dataclass
class FixSpec:
    replace: Template | None = None
    edits: list[EditSpec] = field(default_factory=list)
    fresh: dict[str, Template] = field(default_factory=dict)
    rewrites: list[Rewrite] = field(default_factory=list)
    refuse: list[tuple[Rule, Template]] = field(default_factory=list)
    package_fresh: set[str] = field(default_factory=set)  # fresh names a package-decl declares
    keep_comments: bool = True


def _anchor_name(raw: Any, path: tuple) -> str | None:
    if raw in (None, "$MATCH", True):
        return None
    if not isinstance(raw, str) or not raw.startswith("$"):
        raise RuleError("an anchor must be a metavariable such as $X", path)
    return raw.lstrip("$")


def _entries(raw: dict, key: str, path: tuple) -> list:
    """The list under ``key`` of a fix mapping (empty when absent)."""
    value = raw.get(key)
    if value is not None and not isinstance(value, list):
        raise RuleError(f"{key} must be a list", path + (key,))
    return value or []


def compile_fix(raw: Any, path: tuple = ("fix",), util_names: frozenset[str] = frozenset()) -> FixSpec:
    """Compile the ``fix`` value of a recipe."""
    if isinstance(raw, str):
        return FixSpec(replace=compile_template(raw))
    if not isinstance(raw, dict):
        raise RuleError("fix must be a template string or a mapping", path)
    unknown = [key for key in raw if key not in FIX_KEYS]
    if unknown:
        raise RuleError(f"unknown fix key {unknown[0]!r} (known: {', '.join(FIX_KEYS)})", path + (unknown[0],))
    spec = FixSpec()
    if "replace" in raw:
        spec.replace = compile_template(_text(raw["replace"], path + ("replace",)))
    for index, item in enumerate(_entries(raw, "edits", path)):
        spec.edits.append(_compile_edit(item, path + ("edits", index)))
    fresh = raw.get("fresh") or {}
    if not isinstance(fresh, dict):
        raise RuleError("fresh must map NAME to a hint", path + ("fresh",))
    for name, hint in fresh.items():
        spec.fresh[str(name).lstrip("$")] = compile_template(_text(hint, path + ("fresh", name)))
    for index, item in enumerate(_entries(raw, "rewrite", path)):
        where = path + ("rewrite", index)
        if not isinstance(item, dict) or "rule" not in item or "fix" not in item:
            raise RuleError("a rewrite needs 'rule' and 'fix' (and optionally 'in')", where)
        spec.rewrites.append(
            Rewrite(
                _anchor_name(item.get("in"), where + ("in",)),
                compile_rule(item["rule"], where + ("rule",), util_names),
                compile_fix(item["fix"], where + ("fix",), util_names),
            )
        )
    for index, item in enumerate(_entries(raw, "refuse", path)):
        where = path + ("refuse", index)
        if not isinstance(item, dict) or "when" not in item or "because" not in item:
            raise RuleError("a refuse entry needs 'when' (a rule) and 'because' (a message)", where)
        spec.refuse.append(
            (compile_rule(item["when"], where + ("when",), util_names), compile_template(_text(item["because"], where)))
        )
    if "comments" in raw:
        if raw["comments"] not in COMMENT_POLICIES:
            raise RuleError(f"comments must be one of: {', '.join(COMMENT_POLICIES)}", path + ("comments",))
        spec.keep_comments = raw["comments"] == "keep"
    spec.package_fresh = {name for name in spec.fresh if name in _package_decl_metavars(spec)}
    return spec


def _package_decl_metavars(spec: FixSpec) -> set[str]:
    """Metavariables used by the package-level declarations of a fix and its sub-rewrites."""
    names = {
        name
        for item in spec.edits
        if item.action == "package-decl" and item.template
        for name in item.template.metavars
    }
    for rewrite in spec.rewrites:
        names |= _package_decl_metavars(rewrite.fix)
    return names


def _text(raw: Any, path: tuple) -> str:
    if not isinstance(raw, str):
        raise RuleError("expected a template string", path)
    return raw


def _compile_edit(raw: Any, path: tuple) -> EditSpec:
    if not isinstance(raw, dict):
        raise RuleError("an edit must be a mapping", path)
    actions = [key for key in raw if key in EDIT_ACTIONS]
    extra = [key for key in raw if key not in EDIT_ACTIONS and key not in EDIT_OPTIONS]
    if len(actions) != 1 or extra:
        raise RuleError(f"an edit needs exactly one of: {', '.join(EDIT_ACTIONS)}", path)
    action = actions[0]
    if action in TEMPLATE_ACTIONS:
        anchor_key = ACTION_OPTION[action]
        return EditSpec(
            action,
            _anchor_name(raw.get(anchor_key), path + (anchor_key,)),
            compile_template(_text(raw[action], path + (action,))),
        )
    anchor = _anchor_name(raw[action], path + (action,))
    if action == "delete":
        return EditSpec(action, anchor)
    key = ACTION_OPTION[action]
    if key not in raw:
        raise RuleError(f"{action} needs '{key}'", path)
    return EditSpec(action, anchor, compile_template(_text(raw[key], path + (key,))))
