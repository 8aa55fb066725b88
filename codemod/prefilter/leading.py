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
``any`` counts only when its alternatives agree; ``matches`` says what its
util says. Anything else says nothing. Both walks are folds of the rule tree
(:class:`codemod.rules.visit.RuleFold`).
"""

from __future__ import annotations

from collections.abc import Mapping

from codemod.rules.core import AllRule, AnyRule, KindRule, Rule
from codemod.rules.relation import Relation
from codemod.rules.visit import RuleFold
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
    before, start = _Lead(utils).fold(rule)
    return before + start


class _Lead(RuleFold[tuple[Words, Words]]):
    """(words right before the node, words the node begins with)."""

    def leaf(self, rule: Rule) -> tuple[Words, Words]:
        return _NOTHING

    def kind(self, rule: KindRule) -> tuple[Words, Words]:
        keyword = STARTS_WITH.get(rule.kind)
        return ((), (keyword,)) if keyword else _NOTHING

    def all(self, rule: AllRule) -> tuple[Words, Words]:
        parts = [self.fold(part) for part in rule.rules]
        return max((before for before, _ in parts), key=len), max((start for _, start in parts), key=len)

    def any(self, rule: AnyRule) -> tuple[Words, Words]:
        parts = {self.fold(part) for part in rule.rules}
        return parts.pop() if len(parts) == 1 else _NOTHING

    def relation(self, rule: Relation) -> tuple[Words, Words]:
        if rule.relation == "inside" and rule.stop_by == "neighbor":
            parent = _KindOf(self.utils, self.visiting).fold(rule.rule)
            if (parent, rule.field_name) in CHILD_AFTER_LEADING_WORDS:
                before, start = self.fold(rule.rule)
                return before + start, ()
        return _NOTHING


class _KindOf(RuleFold[str | None]):
    """The node kind every match of a rule has, when the rule says so."""

    def leaf(self, rule: Rule) -> str | None:
        return None

    def kind(self, rule: KindRule) -> str | None:
        return rule.kind

    def all(self, rule: AllRule) -> str | None:
        return next((kind for kind in (self.fold(part) for part in rule.rules) if kind), None)
