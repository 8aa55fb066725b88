"""Which compiled rules remember their answers, and keyed by which metavariables.

Remembering (:mod:`codemod.rules.memo`) is sound only when the key holds
everything an answer depends on. The metavariables a util may read or bind
are those written in its YAML or in the YAML of a util it mentions
(transitively): a superset, so a key never leaves out a binding the answer
depends on. When a recipe compiles, :func:`remember_metavars` marks each
costly util and each deep ``has`` with them (``memo_metavars``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from codemod.rules.compile import RULE_KEYS
from codemod.rules.core import Rule
from codemod.rules.relation import Relation, relation_metavars
from codemod.rules.visit import every_rule


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
_COSTLY = re.compile('"(' + "|".join(re.escape(name) for name, key in RULE_KEYS.items() if key.costly) + ')"\\s*:')


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
    for rule in every_rule(part for part in [*rules, *utils.values()] if isinstance(part, Rule)):
        if isinstance(rule, Relation) and rule.noted_metavars is not None:
            own, mentioned = rule.noted_metavars
            rule.memo_metavars = tuple(sorted(set(own).union(*(closure.get(util, ()) for util in mentioned))))
