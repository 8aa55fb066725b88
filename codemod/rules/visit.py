"""Walking a compiled rule tree: the one place that knows how rules nest.

Compile-time analyses of a recipe (the prefilter's requirements, leading
words and facts of :mod:`codemod.prefilter`, the memo marks of
:mod:`codemod.rules.memokeys`) all walk rule trees. They do it here:

* :func:`parts` and :func:`every_rule` enumerate the rules a tree holds,
  whatever their class (a rule's fields that are rules or lists of rules);
* :class:`RuleFold` folds a tree into one answer, with a method per way rules
  combine, and follows ``matches`` into the recipe's utils with a guard
  against utils that reach themselves.

A rule class the fold has no case for (an extension key's) is a ``leaf``, so
an analysis that knows nothing of it says nothing of it. Matching never goes
through this module.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from typing import Generic, TypeVar

from codemod.rules.core import AllRule, AnyRule, KindRule, NotRule, PatternRule, RegexRule, Rule, UtilRule
from codemod.rules.relation import Relation

T = TypeVar("T")


def parts(rule: Rule) -> list[Rule]:
    """The rules ``rule`` holds directly: its fields that are rules or lists of rules.

    A ``matches`` holds none: it names a util, which is not part of the tree.
    """
    if not dataclasses.is_dataclass(rule):
        return []
    found: list[Rule] = []
    for part in dataclasses.fields(rule):
        value = getattr(rule, part.name)
        if isinstance(value, Rule):
            found.append(value)
        elif isinstance(value, list):
            found.extend(item for item in value if isinstance(item, Rule))
    return found


def every_rule(rules: Iterable[Rule]) -> Iterator[Rule]:
    """Every rule in the trees of ``rules``, each once (utils are not followed: pass them too)."""
    stack, seen = list(rules), set()
    while stack:
        rule = stack.pop()
        if id(rule) in seen:
            continue
        seen.add(id(rule))
        yield rule
        stack.extend(parts(rule))


class RuleFold(Generic[T]):
    """A fold of a rule tree into a ``T``, following ``matches`` into the utils.

    :meth:`fold` calls the case for the rule's class: :meth:`pattern`,
    :meth:`kind`, :meth:`regex`, :meth:`all`, :meth:`any`, :meth:`negation`,
    :meth:`relation`, or :meth:`util` with the util's own rule. Any other
    rule, and every case a subclass leaves alone, is a :meth:`leaf`. A case
    folds the parts it needs with ``self.fold``, so a fold does only the work
    it uses.

    A ``matches`` of an unknown util is a leaf; one met again while its util
    is being folded is :meth:`recursive` (a leaf unless overridden), so a
    recursive util does not fold forever. ``visiting`` (the utils being
    folded) may be shared with the fold that starts this one, so that it sees
    the utils it is in.
    """

    def __init__(self, utils: Mapping[str, Rule], visiting: set[str] | None = None) -> None:
        self.utils = utils
        self.visiting: set[str] = set() if visiting is None else visiting

    def fold(self, rule: Rule) -> T:
        if isinstance(rule, PatternRule):
            return self.pattern(rule)
        if isinstance(rule, KindRule):
            return self.kind(rule)
        if isinstance(rule, RegexRule):
            return self.regex(rule)
        if isinstance(rule, AllRule):
            return self.all(rule)
        if isinstance(rule, AnyRule):
            return self.any(rule)
        if isinstance(rule, NotRule):
            return self.negation(rule)
        if isinstance(rule, Relation):
            return self.relation(rule)
        if isinstance(rule, UtilRule):
            return self._follow(rule)
        return self.leaf(rule)

    def _follow(self, rule: UtilRule) -> T:
        if rule.name not in self.utils:
            return self.leaf(rule)
        if rule.name in self.visiting:
            return self.recursive(rule)
        self.visiting.add(rule.name)
        try:
            return self.util(rule, self.utils[rule.name])
        finally:
            self.visiting.discard(rule.name)

    def leaf(self, rule: Rule) -> T:
        """The answer for a rule without a case of its own."""
        raise NotImplementedError

    def pattern(self, rule: PatternRule) -> T:
        return self.leaf(rule)

    def kind(self, rule: KindRule) -> T:
        return self.leaf(rule)

    def regex(self, rule: RegexRule) -> T:
        return self.leaf(rule)

    def all(self, rule: AllRule) -> T:
        return self.leaf(rule)

    def any(self, rule: AnyRule) -> T:
        return self.leaf(rule)

    def negation(self, rule: NotRule) -> T:
        return self.leaf(rule)

    def relation(self, rule: Relation) -> T:
        return self.leaf(rule)

    def util(self, rule: UtilRule, body: Rule) -> T:
        """A ``matches`` of a util being folded for the first time on this path: its rule's answer."""
        return self.fold(body)

    def recursive(self, rule: UtilRule) -> T:
        """A ``matches`` met again inside its own util."""
        return self.leaf(rule)


class _SameNodeUtils(RuleFold[frozenset[str]]):
    """The utils a rule tree matches on the very node it is matched on.

    ``all``, ``any``, ``not`` and several keys in one object test the same
    node; a relation tests other nodes (ancestors, descendants, siblings), and
    so do the extension keys' nested rules (the uses or declarations of a
    name), so a util met through them ends on its own.
    """

    def leaf(self, rule: Rule) -> frozenset[str]:
        return frozenset()

    def all(self, rule: AllRule) -> frozenset[str]:
        return frozenset().union(*(self.fold(part) for part in rule.rules))

    def any(self, rule: AnyRule) -> frozenset[str]:
        return frozenset().union(*(self.fold(part) for part in rule.rules))

    def negation(self, rule: NotRule) -> frozenset[str]:
        return self.fold(rule.rule)

    def util(self, rule: UtilRule, body: Rule) -> frozenset[str]:
        return frozenset({rule.name})

    def recursive(self, rule: UtilRule) -> frozenset[str]:
        return frozenset({rule.name})


def same_node_cycle(utils: Mapping[str, Rule]) -> list[str] | None:
    """Utils that match each other in a ring on one node (``[a, b, a]``), which matching would follow
    forever; None when there is none. Recursion through a relation is fine: it moves to other nodes."""
    edges = {name: sorted(_SameNodeUtils(utils).fold(body) & utils.keys()) for name, body in utils.items()}
    done: set[str] = set()
    for start in edges:
        trail: list[str] = []
        on_trail: set[str] = set()
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            name, index = stack.pop()
            if index == 0:
                if name in on_trail:
                    return trail[trail.index(name) :] + [name]
                if name in done:
                    continue
                trail.append(name)
                on_trail.add(name)
            if index < len(edges[name]):
                stack.append((name, index + 1))
                stack.append((edges[name][index], 0))
            else:
                done.add(trail.pop())
                on_trail.discard(name)
    return None


class _Extent(RuleFold[tuple[int, int]]):
    """``(depth, size)`` of a rule tree with every ``matches`` replaced by its util's rule.

    A util's answer is remembered, so utils that use one another many times
    are measured once each; a util met again inside itself counts as one rule.
    """

    def __init__(self, utils: Mapping[str, Rule], limit: int) -> None:
        super().__init__(utils)
        self.measured: dict[str, tuple[int, int]] = {}
        self.limit, self.level = limit, 0

    def fold(self, rule: Rule) -> tuple[int, int]:
        if self.level >= self.limit:  # deeper than anyone asks about: stop before Python's own limit
            raise _TooDeep
        self.level += 1
        try:
            return super().fold(rule)
        finally:
            self.level -= 1

    def leaf(self, rule: Rule) -> tuple[int, int]:
        depth, size = 0, 1
        for part in parts(rule):
            part_depth, part_size = self.fold(part)
            depth, size = max(depth, part_depth), size + part_size
        return depth + 1, size

    def util(self, rule: UtilRule, body: Rule) -> tuple[int, int]:
        if rule.name not in self.measured:
            depth, size = self.fold(body)
            self.measured[rule.name] = (depth + 1, size + 1)
        return self.measured[rule.name]

    def recursive(self, rule: UtilRule) -> tuple[int, int]:
        return 1, 1


class _TooDeep(Exception):
    pass


def extent(rule: Rule, utils: Mapping[str, Rule], limit: int) -> tuple[int, int]:
    """How deep ``rule`` nests and how many rules it holds once its ``matches`` are expanded;
    a depth of ``limit + 1`` (and size 0) for anything deeper than ``limit``.

    Matching, and every fold here, recurse that deep and may visit that many rules.
    """
    try:
        return _Extent(utils, limit).fold(rule)
    except _TooDeep:
        return limit + 1, 0
