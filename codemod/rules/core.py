"""Rules: what a recipe matches, composed from atomic, relational and composite parts.

The YAML rule object follows ast-grep's vocabulary:

* atomic: ``pattern`` (string, or ``{context, selector}``), ``kind``, ``regex``;
* relational: ``inside``, ``has``, ``follows``, ``precedes``, each a rule
  object plus ``stopBy`` (``neighbor`` (default), ``end`` or a rule) and
  ``field``;
* composite: ``all``, ``any``, ``not``, and ``matches`` (a named util rule).

Several keys in one rule object mean "all of them", evaluated atomic first,
then relational, then composite, so metavariables bound by a pattern are
visible to the relations that follow. Metavariables already bound must match
equal code wherever they appear again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tree_sitter import Node

from codemod.errors import PatternError
from codemod.pattern.anchors import candidates_of_kind
from codemod.pattern.compile import Pattern, compile_pattern
from codemod.pattern.matcher import (
    NO_HINTS,
    Env,
    Hints,
    Run,
    Target,
    all_named_nodes,
    find_pattern,
    hinted_texts,
    is_known_kind,
    match_target,
    nodes_of_kinds,
)
from codemod.rules.memo import memoized_match
from codemod.syntax import memory
from codemod.syntax.tree import tree_root

if TYPE_CHECKING:
    from codemod.golang.resolution import Resolver

ATOMIC_KEYS = ("pattern", "kind", "regex")
RELATIONAL_KEYS = ("inside", "has", "follows", "precedes")
COMPOSITE_KEYS = ("all", "any", "not", "matches")
RULE_KEYS = ATOMIC_KEYS + RELATIONAL_KEYS + COMPOSITE_KEYS
# Extra rule keys contributed by modules in codemod/rules/extensions/ (scope facts and the like).
# A compiler receives (raw value, key path, util names) and returns a Rule.
EXTENSIONS: dict[str, Callable[[Any, tuple, frozenset[str]], Rule]] = {}


def register_rule_key(name: str, compiler: Callable[[Any, tuple, frozenset[str]], Rule]) -> None:
    """Add a rule key (used by codemod/rules/extensions/ modules); keys are global and unique."""
    if name in RULE_KEYS or name in EXTENSIONS:
        raise ValueError(f"rule key {name!r} is already defined")
    EXTENSIONS[name] = compiler


def known_rule_keys() -> tuple[str, ...]:
    return RULE_KEYS + tuple(sorted(EXTENSIONS))


RELATION_EXTRA_KEYS = ("stopBy", "field")


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

        return MatchContext(source, root, self.utils, others, {} if memo is None else memo, others_with)

    def resolver_for(self, node: Node) -> Resolver:
        """A name resolver for ``node``'s tree, shared by every rule and recipe (a tree never changes)."""
        root = tree_root(node)
        resolver = _RESOLVERS.get(root)
        if resolver is None:
            from codemod.golang.resolution import Resolver

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
    regex: re.Pattern[str]

    def match(self, target, ctx, env):
        raw = ctx.source[target.start_byte : target.end_byte] if isinstance(target, Run) else target.text
        return env if self.regex.search((raw or b"").decode("utf-8", errors="replace")) else None


@dataclass
class AllRule(Rule):
    rules: list[Rule]

    def match(self, target, ctx, env):
        for rule in self.rules:
            env = rule.match(target, ctx, env)
            if env is None:
                return None
        return env

    def find(self, root, ctx, env, hints=NO_HINTS):
        for index, rule in enumerate(self.rules):
            finder = rule.find(root, ctx, env, hints)
            if finder is not None:
                rest = self.rules[:index] + self.rules[index + 1 :]
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


def compile_rule(raw: Any, path: tuple = ("rule",), util_names: frozenset[str] = frozenset()) -> Rule:
    """Compile a YAML rule object into a Rule; raise RuleError on the first problem."""
    if not isinstance(raw, dict):
        raise RuleError("a rule must be a mapping", path)
    unknown = [key for key in raw if key not in RULE_KEYS and key not in EXTENSIONS]
    if unknown:
        known = ", ".join(known_rule_keys())
        raise_collected([RuleError(f"unknown rule key {key!r} (known: {known})", path + (key,)) for key in unknown])
    if not raw:
        raise RuleError("a rule needs at least one of: " + ", ".join(RULE_KEYS), path)
    errors: list[RuleError] = []
    built: list[Rule | None] = []
    if "pattern" in raw:
        built.append(collecting(errors, _compile_pattern, raw["pattern"], path + ("pattern",)))
    if "kind" in raw:
        built.append(collecting(errors, _compile_kind, raw["kind"], path + ("kind",)))
    if "regex" in raw:
        built.append(collecting(errors, lambda: RegexRule(_compile_regex(raw["regex"], path + ("regex",)))))
    for relation in RELATIONAL_KEYS:
        if relation in raw:
            built.append(collecting(errors, compile_relation, relation, raw[relation], path + (relation,), util_names))
    if "all" in raw:
        built.append(collecting(errors, lambda: AllRule(_compile_list(raw["all"], path + ("all",), util_names))))
    if "any" in raw:
        built.append(collecting(errors, lambda: AnyRule(_compile_list(raw["any"], path + ("any",), util_names))))
    if "not" in raw:
        built.append(collecting(errors, lambda: NotRule(compile_rule(raw["not"], path + ("not",), util_names))))
    if "matches" in raw:
        built.append(collecting(errors, _compile_matches, raw["matches"], path + ("matches",), util_names))
    for key, compiler in EXTENSIONS.items():
        if key in raw:
            built.append(collecting(errors, compiler, raw[key], path + (key,), util_names))
    raise_collected(errors)
    parts = [part for part in built if part is not None]
    return parts[0] if len(parts) == 1 else AllRule(parts)


def _compile_list(raw: Any, path: tuple, util_names: frozenset[str]) -> list[Rule]:
    if not isinstance(raw, list) or not raw:
        raise RuleError("expected a non-empty list of rules", path)
    errors: list[RuleError] = []
    rules = [collecting(errors, compile_rule, item, path + (index,), util_names) for index, item in enumerate(raw)]
    raise_collected(errors)
    return [rule for rule in rules if rule is not None]


def _compile_kind(kind: Any, path: tuple) -> KindRule:
    if not isinstance(kind, str) or not is_known_kind(kind):
        raise RuleError(f"unknown tree-sitter-go node kind {kind!r}", path)
    return KindRule(kind)


def _compile_matches(name: Any, path: tuple, util_names: frozenset[str]) -> UtilRule:
    if name not in util_names:
        raise RuleError(f"unknown util rule {name!r}", path)
    return UtilRule(name)


def _compile_pattern(raw: Any, path: tuple) -> PatternRule:
    context = selector = None
    text = raw
    if isinstance(raw, dict):
        unknown = [key for key in raw if key not in ("context", "selector", "text")]
        if unknown:
            raise RuleError(
                f"unknown pattern key {unknown[0]!r} (known: context, selector, text)", path + (unknown[0],)
            )
        text, context, selector = raw.get("text"), raw.get("context"), raw.get("selector")
        path = path + ("text",)
    if not isinstance(text, str):
        raise RuleError("a pattern must be a string of Go code", path)
    try:
        return PatternRule(compile_pattern(text, context, selector))
    except PatternError as problem:
        raise RuleError(str(problem), path, problem.offset) from None


def _compile_regex(raw: Any, path: tuple) -> re.Pattern[str]:
    if not isinstance(raw, str):
        raise RuleError("regex must be a string", path)
    try:
        return re.compile(raw)
    except re.error as problem:
        raise RuleError(f"invalid regex: {problem}", path, problem.pos) from None


from codemod.rules import extensions  # noqa: E402,F401  (registers extension rule keys)
from codemod.rules.relation import Relation, compile_relation  # noqa: E402,F401  (relations are rules; Relation re-exported)
