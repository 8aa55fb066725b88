"""Rules: the classes of compiled rules, and what matching them may consult.

A recipe's rule object (compiled by :mod:`codemod.rules.compile`) becomes a
tree of :class:`Rule` objects. This module holds the base class, the atomic
rules (``pattern``, ``kind``, ``regex``), the composite ones (``all``,
``any``, ``not``, and ``matches``: a named util rule), the
:class:`MatchContext` rules see beyond the node, and :class:`RuleError`.
Relations live in :mod:`codemod.rules.relation`, the extension keys' rules in
:mod:`codemod.rules.extensions`.

Several keys in one rule object mean "all of them", evaluated atomic first,
then relational, then composite, so metavariables bound by a pattern are
visible to the relations that follow. Metavariables already bound must match
equal code wherever they appear again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from tree_sitter import Node

from codemod.golang.resolution import Resolver
from codemod.pattern.anchors import candidates_of_kind
from codemod.pattern.compile import Pattern
from codemod.pattern.matcher import (
    NO_HINTS,
    Env,
    Hints,
    Run,
    Target,
    all_named_nodes,
    find_pattern,
    hinted_texts,
    match_target,
    nodes_of_kinds,
)
from codemod.rules.memo import memoized_match
from codemod.rules.regexes import TextRegex
from codemod.syntax import memory
from codemod.syntax.tree import tree_root

# How a rule object compiles: (raw value, key path, util names) -> Rule (see codemod.rules.compile).
CompileRule = Callable[[Any, tuple, frozenset[str]], "Rule"]
# How one key's value compiles: (raw value, key path, util names, the compiler of nested rule objects) -> Rule.
KeyCompiler = Callable[[Any, tuple, frozenset[str], CompileRule], "Rule"]


class RuleError(Exception):
    """A problem in a rule; ``key_path`` locates it in the YAML document.

    ``errors`` lists every problem found (this one first), so a recipe file
    reports all of its mistakes at once.
    """

    def __init__(self, message: str, key_path: tuple, offset: int | None = None):
        super().__init__(message)
        self.key_path = key_path
        self.offset = offset
        self.errors: list[RuleError] = [self]


def raise_collected(errors: list[RuleError]) -> None:
    """Raise the first error carrying all of them, if there are any."""
    if errors:
        first = errors[0]
        first.errors = [inner for error in errors for inner in error.errors]
        raise first


def collecting(errors: list[RuleError], build, *args):
    """Call ``build(*args)``; on RuleError record it and return None."""
    try:
        return build(*args)
    except RuleError as error:
        errors.append(error)
        return None


@dataclass
class MatchContext:
    """What rules may consult beyond the node: the file's bytes and the package."""

    source: bytes
    root: Node
    utils: Mapping[str, Rule] = field(default_factory=dict)
    package_roots: Callable[[], list[Node]] = lambda: []
    # Scratch space for extension rules: package-wide answers computed once per pass.
    memo: dict = field(default_factory=dict)
    # The engine's cheaper package_roots_containing: it parses only the files that qualify.
    # ``accept`` (optional) is a further test on a file's bytes.
    package_roots_with: Callable[..., list[Node]] | None = None
    # The file's Go language version (go.mod's go line, a //go:build go1.N line), when known.
    go_version: str | None = None

    def package_roots_containing(self, *needles: bytes) -> list[Node]:
        """Roots of the other files holding one of the names ``needles``: the only ones that can declare or use them.

        A file without the bytes of a name cannot hold it; the engine also
        skips files where they only occur inside longer identifiers.
        """
        return self.package_roots_where(needles, None)

    def package_roots_where(self, needles: tuple[bytes, ...], accept: Callable[[bytes], bool] | None) -> list[Node]:
        """Like :meth:`package_roots_containing`, keeping only files whose bytes ``accept`` (before parsing them)."""
        if self.package_roots_with is not None:
            return self.package_roots_with(needles, accept)
        return [
            root
            for root in self.package_roots()
            if any(needle in (root.text or b"") for needle in needles) and (accept is None or accept(root.text or b""))
        ]

    def for_other_file(self, root: Node, source: bytes, memo: dict | None = None) -> MatchContext:
        """A context for another file of the package, whose package is this file and the rest.

        It keeps the cheap ``package_roots_containing``: asking it for the
        files holding a name parses only those.
        """

        def others() -> list[Node]:
            return [self.root] + [r for r in self.package_roots() if r != root]

        def others_with(needles: tuple[bytes, ...], accept: Callable[[bytes], bool] | None = None) -> list[Node]:
            text = self.root.text or b""
            holds = any(needle in text for needle in needles) and (accept is None or accept(text))
            return ([self.root] if holds else []) + [r for r in self.package_roots_where(needles, accept) if r != root]

        memo = {} if memo is None else memo
        return MatchContext(source, root, self.utils, others, memo, others_with, self.go_version)

    def resolver_for(self, node: Node) -> Resolver:
        """A name resolver for ``node``'s tree, shared by every rule and recipe (a tree never changes)."""
        root = tree_root(node)
        resolver = _RESOLVERS.get(root)
        if resolver is None:
            if len(_RESOLVERS) >= RESOLVERS_KEPT:  # run_file outside a package run releases nothing
                del _RESOLVERS[next(iter(_RESOLVERS))]
            resolver = _RESOLVERS[root] = Resolver()
        return resolver


# Resolvers by tree root: kept while the engine works on one package (see codemod.syntax.memory).
RESOLVERS_KEPT = 1024
_RESOLVERS: dict[Node, Resolver] = {}
memory.on_release(_RESOLVERS.clear)


class Rule:
    """Base class: ``match`` tests one target, ``find`` enumerates candidates."""

    def match(self, target: Target, ctx: MatchContext, env: Env) -> Env | None:
        raise NotImplementedError

    def identifier_metavars(self) -> frozenset[str]:
        """Metavariables this rule holds only when bound to a name (a hint for the prefilter)."""
        return frozenset()

    def package_var_metavars(self) -> frozenset[str]:
        """Metavariables this rule holds only when bound to a package-level variable (a prefilter hint)."""
        return frozenset()

    def find(
        self, root: Node, ctx: MatchContext, env: Env, hints: Hints = NO_HINTS
    ) -> Iterator[tuple[Target, Env]] | None:
        """Matches under ``root`` (inclusive), or None when this rule cannot enumerate.

        ``hints``: texts the code a metavariable binds must hold for a match
        to count (see :func:`search`); a pattern binding one may skip the
        candidates that lack them.
        """
        return None

    def search(self, root: Node, ctx: MatchContext, env: Env, hints: Hints = NO_HINTS) -> Iterator[tuple[Target, Env]]:
        """Every target under ``root`` that this rule matches, in document order.

        ``hints`` (metavariable -> texts) may leave out matches whose binding
        of a hinted metavariable lacks one of its texts: pass them only when
        such a match would be dropped anyway (a recipe's constraints on what
        every match binds, :attr:`codemod.recipes.load.Recipe.search_hints`).
        """
        found = self.find(root, ctx, env, hints)
        if found is not None:
            return found
        return self._scan(root, ctx, env)

    def _scan(self, root: Node, ctx: MatchContext, env: Env) -> Iterator[tuple[Target, Env]]:
        for node in all_named_nodes(root):
            bound = self.match(node, ctx, env)
            if bound is not None:
                yield node, bound


@dataclass
class PatternRule(Rule):
    pattern: Pattern

    def match(self, target, ctx, env):
        return match_target(self.pattern, target, env)

    def find(self, root, ctx, env, hints=NO_HINTS):
        return find_pattern(self.pattern, root, env, hinted_texts(self.pattern, hints, env))


@dataclass
class KindRule(Rule):
    kind: str

    def match(self, target, ctx, env):
        return env if isinstance(target, Node) and target.type == self.kind else None

    def find(self, root, ctx, env, hints=NO_HINTS):
        found = nodes_of_kinds(root, frozenset({self.kind}), lambda: candidates_of_kind(root, self.kind))
        return ((node, env) for node in found)


@dataclass
class RegexRule(Rule):
    """A node whose text holds a match of ``source``, searched by RE2 (linear time, :mod:`codemod.rules.regexes`)."""

    source: str
    regex: TextRegex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.regex = TextRegex(self.source)  # RegexError for what RE2 refuses

    def match(self, target, ctx, env):
        raw = ctx.source[target.start_byte : target.end_byte] if isinstance(target, Run) else target.text
        return env if self.regex.found_in(raw or b"") else None


@dataclass
class AllRule(Rule):
    """Every rule holds, evaluated in order (bindings flow on); ``kind`` tests first.

    A kind test binds nothing and reads nothing but the node, so testing it
    first gives the same answer, and it is the cheapest test there is.
    """

    rules: list[Rule]

    def __post_init__(self) -> None:
        self._checks = _kinds_first(self.rules)

    def match(self, target, ctx, env):
        for rule in self._checks:
            env = rule.match(target, ctx, env)
            if env is None:
                return None
        return env

    def find(self, root, ctx, env, hints=NO_HINTS):
        for index, rule in enumerate(self.rules):
            finder = rule.find(root, ctx, env, hints)
            if finder is not None:
                rest = _kinds_first(self.rules[:index] + self.rules[index + 1 :])
                return self._refine(finder, rest, ctx)
        return None

    @staticmethod
    def _refine(finder, rest: list[Rule], ctx: MatchContext):
        for target, bound in finder:
            for rule in rest:
                bound = rule.match(target, ctx, bound)
                if bound is None:
                    break
            else:
                yield target, bound


def _kinds_first(rules: list[Rule]) -> list[Rule]:
    """``rules`` with the kind tests moved to the front, the others in their order."""
    return sorted(rules, key=lambda rule: not isinstance(rule, KindRule))


@dataclass
class AnyRule(Rule):
    rules: list[Rule]

    def match(self, target, ctx, env):
        for rule in self.rules:
            bound = rule.match(target, ctx, env)
            if bound is not None:
                return bound
        return None

    def find(self, root, ctx, env, hints=NO_HINTS):
        finders = [rule.find(root, ctx, env, hints) for rule in self.rules]
        if any(finder is None for finder in finders):
            return None
        merged: dict[tuple[int, int, str], tuple[Target, Env]] = {}
        for finder in finders:
            for target, bound in finder:
                merged.setdefault((target.start_byte, -target.end_byte, target.type), (target, bound))
        return (merged[key] for key in sorted(merged))


@dataclass
class NotRule(Rule):
    rule: Rule

    def match(self, target, ctx, env):
        return env if self.rule.match(target, ctx, env) is None else None


@dataclass
class UtilRule(Rule):
    name: str

    def match(self, target, ctx, env):
        return memoized_match(ctx.utils[self.name], target, ctx, env)

    def find(self, root, ctx, env, hints=NO_HINTS):
        return ctx.utils[self.name].find(root, ctx, env, hints)
