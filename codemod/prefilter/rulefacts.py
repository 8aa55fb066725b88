"""What a recipe's rule says of its metavariables in every match (for the prefilter).

A conjunction holds all of its parts' facts, a disjunction only those all
its alternatives share; a relation's inner rule binds into the same match,
so its facts count; ``not`` and unknown keys say nothing. A leaf rule
states its own facts through :class:`codemod.rules.core.Rule` hooks
(``identifier_metavars``, ``package_var_metavars``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from codemod.pattern.compile import METAVAR_RE
from codemod.prefilter.shapes import DeclaredShape, Shape
from codemod.rules.core import AllRule, AnyRule, PatternRule, Relation, Rule, UtilRule


def always_names(
    rule: Rule, utils: Mapping[str, Rule], visiting: frozenset[str] = frozenset(), fact: str = "identifier_metavars"
) -> frozenset[str]:
    """Metavariables every match of ``rule`` binds to a name (a rule such as ``declared`` insists on one).

    ``fact`` names the :class:`Rule` method asked (``package_var_metavars``:
    bound to a package-level variable).
    """
    if isinstance(rule, AllRule):
        return frozenset().union(*(always_names(part, utils, visiting, fact) for part in rule.rules))
    if isinstance(rule, AnyRule):
        return functools.reduce(
            frozenset.intersection, [always_names(part, utils, visiting, fact) for part in rule.rules]
        )
    if isinstance(rule, Relation):
        return always_names(rule.rule, utils, visiting, fact)
    if isinstance(rule, UtilRule) and rule.name in utils and rule.name not in visiting:
        return always_names(utils[rule.name], utils, visiting | {rule.name}, fact)
    return getattr(rule, fact)()


@dataclass(frozen=True)
class Facts:
    """What a recipe's rule says of its metavariables, everywhere it matches."""

    names: frozenset[str] = frozenset()  # bound to a name
    package_vars: frozenset[str] = frozenset()  # bound to a package-level variable

    def refined(self, shape: Shape) -> Shape | DeclaredShape:
        """A shape capturing a package-level variable also asks the package about it."""
        declared = [name for name in shape.names if name in self.package_vars]
        if not declared:
            return shape
        return DeclaredShape(f"{shape.description} (${declared[0]}: a package var)", shape, declared[0])


def always_bound(rule: Rule, utils: Mapping[str, Rule], visiting: frozenset[str] = frozenset()) -> frozenset[str]:
    """Metavariables that every match of ``rule`` binds (as far as the rule's structure shows)."""
    if isinstance(rule, PatternRule):
        return frozenset(
            m.group(2) for m in METAVAR_RE.finditer(rule.pattern.source) if m.group(2) and m.group(2) != "_"
        )
    if isinstance(rule, AllRule):
        return frozenset().union(*(always_bound(part, utils, visiting) for part in rule.rules))
    if isinstance(rule, AnyRule):
        return functools.reduce(frozenset.intersection, [always_bound(part, utils, visiting) for part in rule.rules])
    if isinstance(rule, Relation):
        return always_bound(rule.rule, utils, visiting)
    if isinstance(rule, UtilRule) and rule.name in utils and rule.name not in visiting:
        return always_bound(utils[rule.name], utils, visiting | {rule.name})
    return frozenset()
