"""What a recipe's rule says of its metavariables in every match (for the prefilter).

Two folds of the rule tree (:class:`codemod.rules.visit.RuleFold`). A
conjunction holds all of its parts' facts, a disjunction only those all its
alternatives share; a relation's inner rule binds into the same match, so
its facts count; ``matches`` has its util's facts; ``not`` and unknown keys
say nothing. A leaf rule states its own facts through
:class:`codemod.rules.core.Rule` hooks (``identifier_metavars``,
``package_var_metavars``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from codemod.pattern.compile import METAVAR_RE
from codemod.prefilter.shapes import DeclaredShape, Shape
from codemod.rules.core import AllRule, AnyRule, PatternRule, Rule
from codemod.rules.relation import Relation
from codemod.rules.visit import RuleFold


class _Shared(RuleFold[frozenset[str]]):
    """Metavariables with a property in every match: all of a conjunction's, those all alternatives share."""

    def all(self, rule: AllRule) -> frozenset[str]:
        return frozenset().union(*(self.fold(part) for part in rule.rules))

    def any(self, rule: AnyRule) -> frozenset[str]:
        return functools.reduce(frozenset.intersection, [self.fold(part) for part in rule.rules])

    def relation(self, rule: Relation) -> frozenset[str]:
        return self.fold(rule.rule)


class _Names(_Shared):
    def __init__(self, utils: Mapping[str, Rule], fact: str) -> None:
        super().__init__(utils)
        self.fact = fact

    def leaf(self, rule: Rule) -> frozenset[str]:
        return getattr(rule, self.fact)()


class _Bound(_Shared):
    def pattern(self, rule: PatternRule) -> frozenset[str]:
        return frozenset(
            m.group(2) for m in METAVAR_RE.finditer(rule.pattern.source) if m.group(2) and m.group(2) != "_"
        )

    def leaf(self, rule: Rule) -> frozenset[str]:
        return frozenset()


def always_names(rule: Rule, utils: Mapping[str, Rule], fact: str = "identifier_metavars") -> frozenset[str]:
    """Metavariables every match of ``rule`` binds to a name (a rule such as ``declared`` insists on one).

    ``fact`` names the :class:`Rule` method asked (``package_var_metavars``:
    bound to a package-level variable).
    """
    return _Names(utils, fact).fold(rule)


def always_bound(rule: Rule, utils: Mapping[str, Rule]) -> frozenset[str]:
    """Metavariables that every match of ``rule`` binds (as far as the rule's structure shows)."""
    return _Bound(utils).fold(rule)


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
