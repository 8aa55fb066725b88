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
:mod:`codemod.engine.core`), keyed by the util, the node and the bindings of the
util's metavariables. A remembered answer is the bindings the util added.

The metavariables a util may read or bind are those written in its YAML or in
the YAML of a util it mentions (transitively): a superset, so a key never
leaves out a binding the answer depends on.

A deep ``has`` (``stopBy: end`` or a rule) searches the node's whole subtree,
and is asked of the same node again and again: ``inside: {kind:
function_declaration, has: {stopBy: end, ...}}`` from every statement of the
function. It is remembered the same way (:class:`codemod.rules.relation.Relation`).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from tree_sitter import Node

_METAVAR = re.compile(r"\$(?:\$\$)?\{?([A-Za-z_][A-Za-z0-9_]*)")
_MEMO_KEY = "util"


def util_metavars(utils_raw: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """For each util: the metavariables written in it or in the utils it mentions, transitively."""
    names = frozenset(utils_raw)
    written = {name: relation_metavars(raw, names) for name, raw in utils_raw.items()}
    mentions = {name: mentioned for name, (_, mentioned) in written.items()}
    closure = {name: set(own) for name, (own, _) in written.items()}
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
_COSTLY = re.compile(
    r'"(inside|has|follows|precedes|matches|declared|references|captured|field-uses|field-declarations|same-function|written-after|in-scope)"\s*:'
)


def remember_metavars(utils: Mapping[str, Any], utils_raw: Mapping[str, Any], rules: Iterable[Any] = ()) -> None:
    """Mark each costly compiled util with the metavariables its answers depend on (:func:`util_metavars`).

    A util of patterns, kinds and regexes only is cheaper to ask again than
    to look up. Deep ``has`` relations (``stopBy`` other than ``neighbor``:
    a search of the node's subtree) met in ``rules``, the utils or their
    parts are marked too, from what :func:`relation_metavars` noted of them
    when they were compiled: their metavariables and those of the utils they
    mention.
    """
    closure = util_metavars(utils_raw)
    for name, metavars in closure.items():
        if utils.get(name) is not None and _COSTLY.search(json.dumps(utils_raw[name])):
            utils[name].memo_metavars = metavars
    for rule in _walk([*rules, *utils.values()]):
        noted = getattr(rule, "noted_metavars", None)
        if noted is not None:
            own, mentioned = noted
            rule.memo_metavars = tuple(sorted(set(own).union(*(closure.get(util, ()) for util in mentioned))))


def relation_metavars(raw: Any, util_names: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """What a rule's answers may depend on, as far as its own YAML shows: (metavariables, utils mentioned)."""
    text = json.dumps(raw)
    return frozenset(_METAVAR.findall(text)), frozenset(name for name in util_names if f'"{name}"' in text)


def _walk(rules: Iterable[Any]) -> Iterator[Any]:
    """Every rule in the trees of ``rules`` (compiled rules are dataclasses holding rules and lists of them)."""
    stack, seen = list(rules), set()
    while stack:
        rule = stack.pop()
        if id(rule) in seen or not dataclasses.is_dataclass(rule):
            continue
        seen.add(id(rule))
        yield rule
        for part in dataclasses.fields(rule):
            value = getattr(rule, part.name)
            stack.extend(value if isinstance(value, list) else [value])


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
