"""Compiling rule objects: the one table of rule keys, and :func:`compile_rule`.

The YAML rule object follows ast-grep's vocabulary:

* atomic: ``pattern`` (string, or ``{context, selector}``), ``kind``, ``regex``;
* relational: ``inside``, ``has``, ``follows``, ``precedes``, each a rule
  object plus ``stopBy`` (``neighbor`` (default), ``end`` or a rule) and
  ``field``;
* composite: ``all``, ``any``, ``not``, and ``matches`` (a named util rule);

and adds the extension keys of :mod:`codemod.rules.extensions`. Each key has
an entry in :data:`RULE_KEYS`: its compiler and what its value accepts (a
JSON Schema fragment, :mod:`codemod.rules.accepts`). The recipe loader
compiles with this table and the recipe schema is generated from it, so
they agree. Several keys in one rule object mean "all of them", evaluated in
the table's order: atomic first, then relational, composite and extension
keys, so metavariables bound by a pattern are visible to what follows.

A key's compiler receives the compiler of nested rule objects
(:func:`compile_rule`) as an argument: the modules that define rules import
nothing from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from codemod.errors import PatternError
from codemod.pattern.compile import CONTEXTS, compile_pattern
from codemod.pattern.matcher import is_known_kind
from codemod.rules.accepts import RELATION, RULE, STRING, Schema, enum, list_of, one_of, options
from codemod.rules.core import (
    AllRule,
    AnyRule,
    CompileRule,
    KeyCompiler,
    KindRule,
    NotRule,
    PatternRule,
    RegexRule,
    Rule,
    RuleError,
    UtilRule,
    collecting,
    raise_collected,
)
from codemod.rules.extensions import (
    channels,
    fields,
    flow,
    go_regexp,
    goversion,
    in_scope,
    lockheld,
    lockpaths,
    methodlocks,
    scope_facts,
)
from codemod.rules.regexes import RegexError
from codemod.rules.relation import Relation, relation_metavars
from codemod.syntax.tree import GO_LANGUAGE


@dataclass(frozen=True)
class RuleKey:
    """A rule key: how its value compiles, and what the value may be."""

    compiler: KeyCompiler
    accepts: Schema  # a JSON Schema fragment (see codemod.rules.accepts)
    extension: bool = False  # not ast-grep's vocabulary: codemod.rules.extensions
    costly: bool = True  # a util holding it is worth remembering (codemod.rules.memokeys)


# The options of a pattern written as a mapping (the text, and how to read it).
PATTERN_OPTIONS: dict[str, Schema] = {"context": enum(CONTEXTS), "selector": STRING, "text": STRING}
# The options a relation adds to its rule object.
RELATION_OPTIONS: dict[str, Schema] = {
    "stopBy": {
        **one_of(enum(("neighbor", "end")), RULE),
        "description": "neighbor (default), end, or a rule where the search stops (inclusive)",
    },
    "field": {**STRING, "description": "only the child in this tree-sitter field"},
}


MAX_RULE_DEPTH = 64  # rule objects within rule objects: deeper is a load error, not a RecursionError


def compile_rule(raw: Any, path: tuple = ("rule",), util_names: frozenset[str] = frozenset()) -> Rule:
    """Compile a YAML rule object into a Rule; raise RuleError on the first problem."""
    if not isinstance(raw, dict):
        raise RuleError("a rule must be a mapping", path)
    if sum(1 for part in path if isinstance(part, str) and part in RULE_KEYS) >= MAX_RULE_DEPTH:
        raise RuleError(f"rules nested deeper than {MAX_RULE_DEPTH} levels", path)
    unknown = [key for key in raw if key not in RULE_KEYS]
    if unknown:
        known = ", ".join(known_rule_keys())
        raise_collected([RuleError(f"unknown rule key {key!r} (known: {known})", path + (key,)) for key in unknown])
    if not raw:
        raise RuleError("a rule needs at least one of: " + ", ".join(CORE_KEYS), path)
    errors: list[RuleError] = []
    built: list[Rule | None] = []
    for name, key in RULE_KEYS.items():
        if name in raw:
            built.append(collecting(errors, key.compiler, raw[name], path + (name,), util_names, compile_rule))
    raise_collected(errors)
    parts = [part for part in built if part is not None]
    return parts[0] if len(parts) == 1 else AllRule(parts)


def known_rule_keys() -> tuple[str, ...]:
    """Every rule key, for messages: ast-grep's in their order, then the extension keys sorted."""
    return CORE_KEYS + tuple(sorted(name for name, key in RULE_KEYS.items() if key.extension))


def _compile_pattern(raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule) -> PatternRule:
    context = selector = None
    text = raw
    if isinstance(raw, dict):
        unknown = [key for key in raw if key not in PATTERN_OPTIONS]
        if unknown:
            raise RuleError(
                f"unknown pattern key {unknown[0]!r} (known: {', '.join(PATTERN_OPTIONS)})", path + (unknown[0],)
            )
        text, context, selector = raw.get("text"), raw.get("context"), raw.get("selector")
        path = path + ("text",)
    if not isinstance(text, str):
        raise RuleError("a pattern must be a string of Go code", path)
    try:
        return PatternRule(compile_pattern(text, context, selector))
    except PatternError as problem:
        raise RuleError(str(problem), path, problem.offset) from None


def _compile_kind(kind: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule) -> KindRule:
    if not isinstance(kind, str) or not is_known_kind(kind):
        raise RuleError(f"unknown tree-sitter-go node kind {kind!r}", path)
    return KindRule(kind)


def _compile_regex(raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule) -> RegexRule:
    if not isinstance(raw, str):
        raise RuleError("regex must be a string", path)
    try:
        return RegexRule(raw)
    except RegexError as problem:
        raise RuleError(str(problem), path, problem.offset) from None


def _relation(relation: str) -> KeyCompiler:
    def compile_relation(raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule) -> Relation:
        if not isinstance(raw, dict):
            raise RuleError(f"{relation} must be a rule mapping", path)
        inner = {key: value for key, value in raw.items() if key not in RELATION_OPTIONS}
        stop_raw = raw.get("stopBy", "neighbor")
        if stop_raw in ("neighbor", "end"):
            stop_by: str | Rule = stop_raw
        elif isinstance(stop_raw, dict):
            stop_by = compile_rule(stop_raw, path + ("stopBy",), util_names)
        else:
            raise RuleError("stopBy must be 'neighbor', 'end' or a rule", path + ("stopBy",))
        field_name = raw.get("field")
        if field_name is not None and (
            not isinstance(field_name, str) or GO_LANGUAGE.field_id_for_name(field_name) is None
        ):
            raise RuleError(
                f"field must be a tree-sitter-go field name, such as body or condition (got {field_name!r})",
                path + ("field",),
            )
        compiled = Relation(relation, compile_rule(inner, path, util_names), stop_by, field_name)
        if relation == "has" and stop_by != "neighbor" and field_name is None:
            compiled.noted_metavars = relation_metavars(raw, util_names)  # see codemod.rules.memokeys
        return compiled

    return compile_relation


def _compile_list(raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule) -> list[Rule]:
    if not isinstance(raw, list) or not raw:
        raise RuleError("expected a non-empty list of rules", path)
    errors: list[RuleError] = []
    rules = [collecting(errors, compile_rule, item, path + (index,), util_names) for index, item in enumerate(raw)]
    raise_collected(errors)
    return [rule for rule in rules if rule is not None]


def _compile_all(raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule) -> AllRule:
    return AllRule(_compile_list(raw, path, util_names, compile_rule))


def _compile_any(raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule) -> AnyRule:
    return AnyRule(_compile_list(raw, path, util_names, compile_rule))


def _compile_not(raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule) -> NotRule:
    return NotRule(compile_rule(raw, path, util_names))


def _compile_matches(name: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule) -> UtilRule:
    if name not in util_names:
        raise RuleError(f"unknown util rule {name!r}", path)
    return UtilRule(name)


# Every rule key, in the order a rule object's keys are compiled and evaluated.
RULE_KEYS: dict[str, RuleKey] = {
    "pattern": RuleKey(_compile_pattern, one_of(STRING, options(PATTERN_OPTIONS, required=("text",))), costly=False),
    "kind": RuleKey(_compile_kind, {**STRING, "description": "a tree-sitter-go node type"}, costly=False),
    "regex": RuleKey(_compile_regex, STRING, costly=False),
    "inside": RuleKey(_relation("inside"), RELATION),
    "has": RuleKey(_relation("has"), RELATION),
    "follows": RuleKey(_relation("follows"), RELATION),
    "precedes": RuleKey(_relation("precedes"), RELATION),
    "all": RuleKey(_compile_all, list_of(RULE), costly=False),
    "any": RuleKey(_compile_any, list_of(RULE), costly=False),
    "not": RuleKey(_compile_not, RULE, costly=False),
    "matches": RuleKey(_compile_matches, {**STRING, "description": "the name of a util rule"}),
    "declared": RuleKey(scope_facts.compile_declared, scope_facts.DECLARED_VALUE, extension=True),
    "references": RuleKey(scope_facts.compile_references, scope_facts.REFERENCES_VALUE, extension=True),
    "captured": RuleKey(scope_facts.compile_captured, scope_facts.CAPTURED_VALUE, extension=True),
    "field-uses": RuleKey(fields.compile_field_uses, fields.FIELD_SITES_VALUE, extension=True),
    "field-declarations": RuleKey(fields.compile_field_declarations, fields.FIELD_SITES_VALUE, extension=True),
    "same-function": RuleKey(flow.compile_same_function, flow.SAME_FUNCTION_VALUE, extension=True),
    "written-after": RuleKey(flow.compile_written_after, flow.WRITTEN_AFTER_VALUE, extension=True),
    "in-scope": RuleKey(in_scope.compile_in_scope, in_scope.IN_SCOPE_VALUE, extension=True),
    "go-version": RuleKey(goversion.compile_go_version, goversion.GO_VERSION_VALUE, extension=True, costly=False),
    "unreceived-sends": RuleKey(channels.compile_unreceived_sends, channels.UNRECEIVED_SENDS_VALUE, extension=True),
    "lock-escape": RuleKey(lockpaths.compile_lock_escape, lockpaths.LOCK_ESCAPE_VALUE, extension=True),
    "lock-to-exit": RuleKey(lockpaths.compile_lock_to_exit, lockpaths.LOCK_ESCAPE_VALUE, extension=True),
    "lock-held": RuleKey(lockheld.compile_lock_held, lockheld.LOCK_HELD_VALUE, extension=True),
    "locks-receiver": RuleKey(methodlocks.compile_locks_receiver, methodlocks.LOCKS_RECEIVER_VALUE, extension=True),
    "some-method-calls": RuleKey(
        methodlocks.compile_some_method_calls, methodlocks.SOME_METHOD_CALLS_VALUE, extension=True
    ),
    "go-regexp": RuleKey(go_regexp.compile_go_regexp, go_regexp.GO_REGEXP_VALUE, extension=True, costly=False),
}
CORE_KEYS = tuple(name for name, key in RULE_KEYS.items() if not key.extension)  # ast-grep's vocabulary
