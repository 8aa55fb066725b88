"""Answers remembered while matching: a util's (``matches``) and a deep ``has``'s.

A recipe's utils are asked the same question many times: ``mutex-to-rwmutex``
asks whether a ``Lock`` statement opens a read-only section when it meets the
statement itself, its ``Unlock``, its deferred ``Unlock`` and every use of
the field in the package. A util's answer depends only on the node, the
bindings of the metavariables it may read or bind, and the context (the file
and its package). So each costly compiled util is marked with those
metavariables when the recipe compiles (``memo_metavars``, see
:mod:`codemod.rules.memokeys`), and ``matches`` keeps its answers in
``ctx.memo`` (:func:`memoized_match`), which lives exactly as long as those
facts hold (a pass of one file, or the package while its files are original:
see :mod:`codemod.engine.core`), keyed by the util, the node and the bindings
of the util's metavariables. A remembered answer is the bindings the util
added.

A deep ``has`` (``stopBy: end`` or a rule) searches the node's whole subtree,
and is asked of the same node again and again: ``inside: {kind:
function_declaration, has: {stopBy: end, ...}}`` from every statement of the
function. It is remembered the same way (:class:`codemod.rules.relation.Relation`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tree_sitter import Node

_MEMO_KEY = "util"


def memoized_match(rule: Any, target: Any, ctx: Any, env: dict) -> dict | None:
    """``rule.match(target, ctx, env)`` for a util's rule, remembered in ``ctx.memo`` when the util is marked."""
    metavars = getattr(rule, "memo_metavars", None)
    if metavars is None:
        return rule.match(target, ctx, env)
    return remembered(_MEMO_KEY, rule, metavars, target, ctx, env, rule.match)


def remembered(
    tag: str, rule: Any, metavars: tuple[str, ...], target: Any, ctx: Any, env: dict, compute: Callable
) -> dict | None:
    """``compute(target, ctx, env)``, remembered in ``ctx.memo`` per rule, node and bindings of ``metavars``."""
    nodes = target if type(target) is Node else tuple(target.nodes)
    key = (tag, id(rule), nodes, tuple(map(env.get, metavars)) if metavars else ())
    added = ctx.memo.get(key, _MISSING)
    if added is _MISSING:
        result = compute(target, ctx, env)
        added = None if result is None else {metavar: value for metavar, value in result.items() if metavar not in env}
        ctx.memo[key] = added
    if added is None:
        return None
    return {**env, **added} if added else env


_MISSING = object()
