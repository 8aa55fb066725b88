"""Util rules answered once per node and bindings: ``matches: name`` asked again remembers.

A recipe's utils are asked the same question many times: ``mutex-to-rwmutex``
asks whether a ``Lock`` statement opens a read-only section when it meets the
statement itself, its ``Unlock``, its deferred ``Unlock`` and every use of
the field in the package. A util's answer depends only on the node, the
bindings of the metavariables it may read or bind, and the context (the file
and its package). So each compiled util is marked with those metavariables
(:func:`remember_metavars`), and ``matches`` keeps its answers in ``ctx.memo``
(:func:`memoized_match`), which lives exactly as long as those facts
hold (a pass of one file, or the package while its files are original: see
:mod:`codemod.engine`), keyed by the util, the node and the bindings of the
util's metavariables. A remembered answer is the bindings the util added.

The metavariables a util may read or bind are those written in its YAML or in
the YAML of a util it mentions (transitively): a superset, so a key never
leaves out a binding the answer depends on.
"""

from __future__ import annotations

import json
import re
from typing import Any, Mapping

_METAVAR = re.compile(r"\$(?:\$\$)?\{?([A-Za-z_][A-Za-z0-9_]*)")
_MEMO_KEY = "util"


def util_metavars(utils_raw: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """For each util: the metavariables written in it or in the utils it mentions, transitively."""
    texts = {name: json.dumps(raw) for name, raw in utils_raw.items()}
    own = {name: set(_METAVAR.findall(text)) for name, text in texts.items()}
    mentions = {name: {other for other in texts if f'"{other}"' in text} for name, text in texts.items()}
    closure = {name: set(names) for name, names in own.items()}
    changed = True
    while changed:
        changed = False
        for name in closure:
            for other in mentions[name]:
                if not closure[other] <= closure[name]:
                    closure[name] |= closure[other]
                    changed = True
    return {name: tuple(sorted(names)) for name, names in closure.items()}


# Keys that make a util costly enough to remember: relations, other utils, package and scope facts.
_COSTLY = re.compile(r'"(inside|has|follows|precedes|matches|declared|references|captured|field-uses|field-declarations|same-function|written-after|in-scope)"\s*:')


def remember_metavars(utils: Mapping[str, Any], utils_raw: Mapping[str, Any]) -> None:
    """Mark each costly compiled util with the metavariables its answers depend on (:func:`util_metavars`).

    A util of patterns, kinds and regexes only is cheaper to ask again than to look up.
    """
    for name, metavars in util_metavars(utils_raw).items():
        if utils.get(name) is not None and _COSTLY.search(json.dumps(utils_raw[name])):
            utils[name].memo_metavars = metavars


def memoized_match(rule: Any, target: Any, ctx: Any, env: dict) -> dict | None:
    """``rule.match(target, ctx, env)`` for a util's rule, remembered in ``ctx.memo`` when the util is marked."""
    metavars = getattr(rule, "memo_metavars", None)
    if metavars is None:
        return rule.match(target, ctx, env)
    nodes = tuple(target.nodes) if hasattr(target, "nodes") else target
    key = (_MEMO_KEY, id(rule), nodes, tuple(env.get(metavar) for metavar in metavars))
    added = ctx.memo.get(key, _MISSING)
    if added is _MISSING:
        result = rule.match(target, ctx, env)
        added = None if result is None else {metavar: value for metavar, value in result.items() if metavar not in env}
        ctx.memo[key] = added
    if added is None:
        return None
    return {**env, **added} if added else env


_MISSING = object()
