"""Words written right before and at the start of every node a rule matches.

The literal prefilter (:mod:`codemod.prefilter.requirements`) asks for tokens anywhere in
the file. Some rules say more: a node of some kinds always begins with a
keyword (a ``func_literal`` with ``func``, a ``defer_statement`` with
``defer``), and an ``inside`` relation to the direct parent can say what is
written right before the node, when the node is the child that follows the
parent's own leading words:

* ``defer X`` and ``go X``: ``X`` follows the keyword;
* a call's ``function`` field and an expression statement's expression
  begin their parent.

So ``{kind: func_literal, inside: {kind: call_expression, field: function,
inside: {kind: defer_statement}}}`` (a deferred function literal) gives
``defer func``: the file must hold those words in sequence, with only blanks
and comments between them (:func:`codemod.prefilter.shapes.sequence_shape`).

Only ``inside`` with the default ``stopBy`` (the direct parent) counts; an
``any`` counts only when its alternatives agree. Anything else says nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from codemod.rules.core import AllRule, AnyRule, KindRule, Relation, Rule, UtilRule
from codemod.syntax.tree import KIND_KEYWORDS

Words = tuple[bytes, ...]

# Kinds whose text always begins with their keyword (syntax.KIND_KEYWORDS holds each one's).
STARTS_WITH: dict[str, bytes] = {
    kind: KIND_KEYWORDS[kind]
    for kind in (
        "defer_statement", "go_statement", "return_statement", "if_statement", "for_statement",
        "select_statement", "expression_switch_statement", "type_switch_statement", "goto_statement",
        "break_statement", "continue_statement", "fallthrough_statement", "func_literal",
        "function_declaration", "method_declaration", "interface_type", "struct_type", "map_type",
        "type_declaration", "var_declaration", "const_declaration", "import_declaration",
    )
}  # fmt: skip
# (parent kind, field or None for any named child): such a child is written right after the parent's leading words.
CHILD_AFTER_LEADING_WORDS = frozenset(
    {
        ("defer_statement", None),
        ("go_statement", None),
        ("call_expression", "function"),
        ("expression_statement", None),
    }
)
_NOTHING: tuple[Words, Words] = ((), ())


def leading_words(rule: Rule, utils: Mapping[str, Rule]) -> Words:
    """Words written, in order, right before and at the start of every node ``rule`` matches (maybe none)."""
    before, start = _lead(rule, utils, frozenset())
    return before + start


def _lead(rule: Rule, utils: Mapping[str, Rule], visiting: frozenset[str]) -> tuple[Words, Words]:
    """(words right before the node, words the node begins with)."""
    if isinstance(rule, KindRule):
        keyword = STARTS_WITH.get(rule.kind)
        return ((), (keyword,)) if keyword else _NOTHING
    if isinstance(rule, UtilRule):
        if rule.name in visiting or rule.name not in utils:
            return _NOTHING
        return _lead(utils[rule.name], utils, visiting | {rule.name})
    if isinstance(rule, AllRule):
        parts = [_lead(part, utils, visiting) for part in rule.rules]
        return max((before for before, _ in parts), key=len), max((start for _, start in parts), key=len)
    if isinstance(rule, AnyRule):
        parts = {_lead(part, utils, visiting) for part in rule.rules}
        return parts.pop() if len(parts) == 1 else _NOTHING
    if isinstance(rule, Relation) and rule.relation == "inside" and rule.stop_by == "neighbor":
        parent = _kind_of(rule.rule, utils, visiting)
        if (parent, rule.field_name) in CHILD_AFTER_LEADING_WORDS:
            before, start = _lead(rule.rule, utils, visiting)
            return before + start, ()
    return _NOTHING


def _kind_of(rule: Rule, utils: Mapping[str, Rule], visiting: frozenset[str]) -> str | None:
    """The node kind every match of ``rule`` has, when the rule says so."""
    if isinstance(rule, KindRule):
        return rule.kind
    if isinstance(rule, UtilRule) and rule.name in utils and rule.name not in visiting:
        return _kind_of(utils[rule.name], utils, visiting | {rule.name})
    if isinstance(rule, AllRule):
        return next((kind for kind in (_kind_of(part, utils, visiting) for part in rule.rules) if kind), None)
    return None
