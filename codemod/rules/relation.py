"""Relational rules: ``inside``, ``has``, ``follows`` and ``precedes``.

Each relation holds a rule for the related node plus ``stopBy``
(``neighbor`` (default), ``end``, or a rule where the search stops, the stop
node included) and ``field`` (only the child in that tree-sitter field). A
pattern such as ``time.Sleep($D)`` matches the call; sibling relations see
the statement that holds it. Bindings made by the related node's rule flow
back to the match. They compile in :mod:`codemod.rules.compile`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from tree_sitter import Node

from codemod.pattern.matcher import Env, Run
from codemod.rules.core import MatchContext, Rule
from codemod.rules.memo import remembered
from codemod.syntax.tree import COMMENT_KIND, as_statement

_MEMO_KEY = "has"
_METAVAR = re.compile(r"\$(?:\$\$)?\{?([A-Za-z_][A-Za-z0-9_]*)")


def _named_siblings(node: Node) -> list[Node]:
    parent = node.parent
    if parent is None:
        return [node]
    return [child for child in parent.named_children if child.type != COMMENT_KIND]


def _in_field(parent: Node, child: Node, field_name: str) -> bool:
    return any(
        c.start_byte == child.start_byte and c.end_byte == child.end_byte
        for c in parent.children_by_field_name(field_name)
    )


@dataclass
class Relation(Rule):
    """``inside`` / ``has`` / ``follows`` / ``precedes`` with stopBy and field."""

    relation: str
    rule: Rule
    stop_by: str | Rule = "neighbor"
    field_name: str | None = None
    noted_metavars: tuple[frozenset[str], frozenset[str]] | None = field(default=None, repr=False, compare=False)
    memo_metavars: tuple[str, ...] | None = field(default=None, repr=False, compare=False)

    def match(self, target, ctx, env):
        if self.memo_metavars is not None:  # a deep `has`: its subtree searched once per node and bindings
            return remembered(_MEMO_KEY, self, self.memo_metavars, target, ctx, env, self._match)
        return self._match(target, ctx, env)

    def _match(self, target, ctx, env):
        if self.relation == "inside":
            return self._inside(target, ctx, env)
        if self.relation == "has":
            return self._has(target, ctx, env)
        return self._sibling(target, ctx, env)

    def _stops(self, node: Node, ctx: MatchContext, env: Env) -> bool:
        if self.stop_by == "end":
            return False
        if self.stop_by == "neighbor":
            return True
        return self.stop_by.match(node, ctx, env) is not None  # type: ignore[union-attr]  # a rule: the strings are above

    def _inside(self, target, ctx, env):
        child = target.nodes[0] if isinstance(target, Run) else target
        ancestor = child.parent
        while ancestor is not None:
            if self.field_name is None or _in_field(ancestor, child, self.field_name):
                bound = self.rule.match(ancestor, ctx, env)
                if bound is not None:
                    return bound
            if self._stops(ancestor, ctx, env):
                return None
            child, ancestor = ancestor, ancestor.parent
        return None

    def _has(self, target, ctx, env):
        roots = list(target.nodes) if isinstance(target, Run) else [target]
        for root in roots:
            if self.stop_by == "neighbor" or self.field_name is not None:
                children = root.children_by_field_name(self.field_name) if self.field_name else root.named_children
                for child in children:
                    if child.type == COMMENT_KIND:
                        continue
                    bound = self.rule.match(child, ctx, env)
                    if bound is not None:
                        return bound
                continue
            bound = self._has_deep(root, ctx, env)
            if bound is not None:
                return bound
        return None

    def _has_deep(self, root: Node, ctx: MatchContext, env: Env) -> Env | None:
        if self.stop_by == "end":
            finder = self.rule.find(root, ctx, env)
            if finder is not None:
                for node, bound in finder:
                    if node is not root and not (
                        isinstance(node, Node)
                        and node.start_byte == root.start_byte
                        and node.end_byte == root.end_byte
                        and node.type == root.type
                    ):
                        return bound
                return None
        stack = list(reversed(root.named_children))
        while stack:
            node = stack.pop()
            if node.type == COMMENT_KIND:
                continue
            matched = self.rule.match(node, ctx, env)
            if matched is not None:
                return matched
            if not self._stops(node, ctx, env):
                stack.extend(reversed(node.named_children))
        return None

    def _sibling(self, target, ctx, env):
        first = target.nodes[0] if isinstance(target, Run) else as_statement(target)
        last = target.nodes[-1] if isinstance(target, Run) else as_statement(target)
        siblings = _named_siblings(first)
        keys = [(s.start_byte, s.end_byte) for s in siblings]
        if self.relation == "follows":
            index = keys.index((first.start_byte, first.end_byte)) if (first.start_byte, first.end_byte) in keys else -1
            candidates = list(reversed(siblings[:index])) if index >= 0 else []
        else:
            index = keys.index((last.start_byte, last.end_byte)) if (last.start_byte, last.end_byte) in keys else -1
            candidates = siblings[index + 1 :] if index >= 0 else []
        for node in candidates:
            bound = self.rule.match(node, ctx, env)
            if bound is not None:
                return bound
            if self._stops(node, ctx, env):
                return None
        return None


def relation_metavars(raw: Any, util_names: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """What a rule's answers may depend on, as far as its own YAML shows: (metavariables, utils mentioned).

    A deep ``has`` notes it when it compiles (``noted_metavars``); see
    :func:`codemod.rules.memokeys.remember_metavars`.
    """
    text = json.dumps(raw)
    return frozenset(_METAVAR.findall(text)), frozenset(name for name in util_names if f'"{name}"' in text)
