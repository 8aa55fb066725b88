"""Literal prefilter: skip parsing files that cannot match any selected recipe.

Every match of a pattern contains the pattern's identifiers, keywords and
literals as tokens of the matched code (the matcher compares them as text),
so a file whose bytes lack them cannot match. From each compiled recipe's
rule tree this module derives a *requirement*: a conjunction of clauses,
each clause a set of alternative tokens. The derivation is conservative:

* ``pattern``: every identifier, keyword and string literal outside
  metavariables (one clause each); a metavariable-only pattern gives nothing;
* ``kind``: the keyword every node of that kind contains (``defer_statement``
  -> ``defer``), nothing for kinds without one;
* ``all`` and relational rules (``inside``, ``has``, ``follows``,
  ``precedes``: the related node is in the same file): the union of clauses;
* ``any``: the disjunction of its alternatives (nothing if one gives nothing);
* ``matches``: the util rule's requirement; ``not``, ``regex``, ``stopBy``,
  constraints and extension keys: nothing.

Dropping a clause only admits more files, so clauses may be pruned freely
(ubiquitous tokens are; disjunctions are capped). A word token counts as
present when it occurs delimited by non-word bytes, which a real Go token
always is.
"""

from __future__ import annotations

import functools
import json
import re
import re._constants as _regex_constants
import re._parser as _regex_parser
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from tree_sitter import Node

from codemod.pattern.compile import Pattern, pattern_leaves
from codemod.prefilter.leading import leading_words
from codemod.prefilter.literals import LiteralSet
from codemod.prefilter.regexshape import REPEATS, TextShape, regex_shape
from codemod.prefilter.rulefacts import Facts, always_bound, always_names
from codemod.prefilter.shapes import DeclaredShape, Shape, keyword_shape, pattern_shapes, sequence_shape
from codemod.rules.core import AllRule, AnyRule, KindRule, PatternRule, RegexRule, Rule, UtilRule
from codemod.rules.regexes import python_view
from codemod.rules.relation import Relation
from codemod.rules.visit import RuleFold
from codemod.syntax.tree import IDENTIFIER_KINDS, KIND_KEYWORDS


class Token(NamedTuple):
    """What a match must contain: a whole Go token (``word``), any substring, or a token sequence (``shape``)."""

    text: bytes
    word: bool
    shape: Shape | TextShape | DeclaredShape | None = None


def _shape_token(shape: Shape | TextShape | DeclaredShape) -> Token:
    return Token(shape.description.encode(), False, shape)


Clause = frozenset[Token]  # at least one of these tokens
Requirement = frozenset[Clause]  # every clause; the empty requirement admits everything
NOTHING: Requirement = frozenset()

MAX_DISJUNCTION_CLAUSES = 6  # clauses kept per side when distributing an ``any``
MAX_RECIPE_CLAUSES = 8  # clauses checked per recipe (the most selective ones)
SHAPE_RARITY = 100  # a token sequence is rarer than any single token
MAX_OCCURRENCES = 32
MAX_FIXPOINT_ROUNDS = 4  # rounds for a recursive util's requirement to settle  # substring hits examined for a word boundary before assuming one

# Tokens found in nearly every Go file: checking them costs time and skips nothing.
UBIQUITOUS = frozenset(
    b"package import func return if else for range var const type err nil true false string int "
    b"error byte bool len make append new struct case default break".split()
)
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_LITERAL_KINDS = frozenset({"interpreted_string_literal", "raw_string_literal", "rune_literal"})
_WORD_LEAF_KINDS = IDENTIFIER_KINDS | {"true", "false", "nil", "iota", "int_literal"}
_MULTI_METAVAR = re.compile(r"\$\$\$([A-Za-z_][A-Za-z0-9_]*)")


def _all_of(tokens: Iterable[Token]) -> Requirement:
    return frozenset(frozenset({token}) for token in tokens)


def pattern_tokens(pattern: Pattern) -> set[Token]:
    """Tokens every match of ``pattern`` contains: identifiers, keywords, literals."""
    tokens = {_leaf_token(leaf) for leaf in pattern_leaves(pattern)}
    return {token for token in tokens if token is not None and b"gcmMV" not in token.text}


def _leaf_token(node: Node) -> Token | None:
    raw = node.text or b""
    if node.type in _LITERAL_KINDS:
        return Token(raw, False) if raw else None
    if node.child_count:
        return None
    if node.is_named:
        return Token(raw, True) if node.type in _WORD_LEAF_KINDS and raw else None
    return Token(node.type.encode(), True) if node.type.isidentifier() else None


def regex_literals(regex: re.Pattern[str]) -> Requirement:
    """Substrings every text matched by ``regex`` contains (nothing when unsure)."""
    if regex.flags & re.IGNORECASE:
        return NOTHING
    try:
        return _sequence_literals(list(_regex_parser.parse(regex.pattern, regex.flags)))
    except Exception:  # the private parser may change shape: derive nothing rather than guess
        return NOTHING


def _view_literals(source: str) -> Requirement:
    view = python_view(source)
    return NOTHING if view is None else regex_literals(view)


def _sequence_literals(items: list) -> Requirement:
    clauses: set[Clause] = set()
    run: list[str] = []

    def flush() -> None:
        text = "".join(run)
        if text and "\ufffd" not in text:
            clauses.add(frozenset({Token(text.encode(), False)}))
        run.clear()

    for op, value in items:
        if op is _regex_constants.LITERAL:
            run.append(chr(value))
            continue
        flush()
        if op is _regex_constants.SUBPATTERN and not value[1] & re.IGNORECASE:
            clauses |= _sequence_literals(list(value[3]))
        elif op is _regex_constants.BRANCH:
            alternatives: list[Requirement] = [_sequence_literals(list(alt)) for alt in value[1]]
            either: Requirement = functools.reduce(_either, alternatives)
            clauses |= either
        elif op in REPEATS and value[0] >= 1:
            clauses |= _sequence_literals(list(value[2]))
        elif op is _regex_constants.ATOMIC_GROUP:
            clauses |= _sequence_literals(list(value))
    flush()
    return frozenset(clauses)


def rarity(token: Token) -> int:
    """A rough selectivity score: 0 for tokens nearly every file holds."""
    if token.shape is not None:
        return SHAPE_RARITY
    text = token.text
    if text in UBIQUITOUS or (text.isdigit() and len(text) < 3) or (not token.word and len(text) < 3):
        return 0
    return len(text)


def _clause_rarity(clause: Clause) -> int:
    return min(rarity(token) for token in clause)


def _strongest(requirement: Requirement, limit: int) -> Requirement:
    """Keep the ``limit`` most selective clauses, dropping useless and redundant ones."""
    useful = {_simplified(clause) for clause in requirement if _clause_rarity(clause) > 0}
    minimal = [c for c in useful if not any(other != c and _stronger(other, c) for other in useful)]
    minimal.sort(key=_clause_order)
    return frozenset(minimal[:limit])


def _simplified(clause: Clause) -> Clause:
    """Drop alternatives that imply another alternative (``a or b`` is ``b`` when a implies b)."""
    return frozenset(t for t in clause if not any(o != t and _implies(t, o) for o in clause))


def _stronger(clause: Clause, other: Clause) -> bool:
    """Whether a file satisfying ``clause`` always satisfies ``other`` (so ``other`` is redundant)."""
    return all(any(_implies(token, alternative) for alternative in other) for token in clause)


def _implies(token: Token, other: Token) -> bool:
    if token.shape is not None or other.shape is not None:
        return token == other  # kept apart: a shape's own tokens are cheaper to check first
    if other.word:
        return token == other
    return other.text in token.text


def _clause_order(clause: Clause) -> tuple:
    return (-_clause_rarity(clause), len(clause), sorted(clause))


def _either(left: Requirement, right: Requirement) -> Requirement:
    """Requirement of ``left or right``: distribute, keeping the product small."""
    left = _strongest(left, MAX_DISJUNCTION_CLAUSES)
    right = _strongest(right, MAX_DISJUNCTION_CLAUSES)
    if not left or not right:
        return NOTHING
    return _strongest(frozenset(a | b for a in left for b in right), MAX_DISJUNCTION_CLAUSES)


def requirement_of(rule: Rule, utils: Mapping[str, Rule], facts: Facts | None = None) -> Requirement | None:
    """What any file holding a match of ``rule`` must contain; None when no file can hold one.

    ``facts``: what the recipe says of its metavariables (names take part in shapes).
    """
    return _Requirement(utils, facts or Facts()).fold(rule)


class _Requirement(RuleFold[Requirement | None]):
    """The derivation of the module docstring, as a fold of the rule tree."""

    def __init__(self, utils: Mapping[str, Rule], facts: Facts) -> None:
        super().__init__(utils)
        self.facts = facts
        self.assumed: dict[str, Requirement | None] = {}  # for the utils being derived (see util)
        self.reached: set[str] = set()  # utils whose derivation met themselves (see util)

    def leaf(self, rule: Rule) -> Requirement | None:
        return NOTHING  # not, extension keys: no literal is certain

    def pattern(self, rule: PatternRule) -> Requirement | None:
        shapes = [_shape_token(self.facts.refined(shape)) for shape in pattern_shapes(rule.pattern, self.facts.names)]
        return _all_of(pattern_tokens(rule.pattern)) | _all_of(shapes)

    def kind(self, rule: KindRule) -> Requirement | None:
        keyword = KIND_KEYWORDS.get(rule.kind)
        if keyword is None:
            return NOTHING
        shape = keyword_shape(keyword)
        return _all_of([Token(keyword, True)] + ([_shape_token(shape)] if shape else []))

    def regex(self, rule: RegexRule) -> Requirement | None:
        view = python_view(rule.source)
        if view is None:
            return NOTHING
        text = regex_shape(view)
        return regex_literals(view) | (_all_of([_shape_token(text)]) if text else NOTHING)

    def all(self, rule: AllRule) -> Requirement | None:
        parts = [self.fold(part) for part in rule.rules]
        leading = sequence_shape(leading_words(rule, self.utils))  # e.g. `defer func` for a deferred function literal
        parts.append(_all_of([_shape_token(leading)]) if leading else NOTHING)
        known = [part for part in parts if part is not None]
        return None if len(known) < len(parts) else frozenset().union(*known)

    def any(self, rule: AnyRule) -> Requirement | None:
        parts = [part for part in (self.fold(alt) for alt in rule.rules) if part is not None]
        return functools.reduce(_either, parts) if parts else None

    def relation(self, rule: Relation) -> Requirement | None:
        return self.fold(rule.rule)

    def util(self, rule: UtilRule, body: Rule) -> Requirement | None:
        """A util's requirement; one that reaches itself gets a fixpoint.

        A match of a recursive util is found in finitely many steps, the last
        of them through an alternative without recursion. So a requirement
        ``R`` with ``R == F(R)`` (``F``: the util's derivation, with ``R``
        assumed where it reaches itself, :meth:`recursive`) holds for every
        match, by induction on the steps. Start from ``None`` ("no file": the
        alternatives that recurse add nothing to an ``any``) and iterate; give
        up (require nothing) if it does not settle. A util that does not reach
        itself is derived once (iterating each util of a chain would double
        the work at every link).
        """
        assumed: Requirement | None = None
        for _ in range(MAX_FIXPOINT_ROUNDS):
            self.assumed[rule.name] = assumed
            self.reached.discard(rule.name)
            derived = self.fold(body)
            if derived == assumed or rule.name not in self.reached:
                return derived
            assumed = derived
        return NOTHING

    def recursive(self, rule: UtilRule) -> Requirement | None:
        self.reached.add(rule.name)
        return self.assumed[rule.name]


def recipe_requirement(recipe) -> Requirement:
    """The rule's requirement plus those of constraints on metavariables every match binds to one node.

    A constraint is checked only when its metavariable is bound, on the node
    bound, which is a node of this file; a ``$$$`` metavariable may bind
    nothing, so its constraints hold vacuously and contribute nothing.
    """
    names = always_names(recipe.rule, recipe.utils)
    facts = Facts(names, always_names(recipe.rule, recipe.utils, fact="package_var_metavars"))
    requirement = requirement_of(recipe.rule, recipe.utils, facts=facts) or NOTHING
    multi = set(_MULTI_METAVAR.findall(json.dumps(recipe.raw)))
    always = always_bound(recipe.rule, recipe.utils)
    for name, rule in recipe.constraints.items():
        if name in always and name not in multi:
            requirement |= requirement_of(rule, recipe.utils, facts=facts) or NOTHING
    return requirement


def constraint_hints(constraints: Mapping[str, Rule]) -> dict[str, tuple[bytes, ...]]:
    """Texts the code bound to a constrained metavariable must hold: the literals its ``regex`` needs.

    Only a constraint that is a regex, or ``all`` of rules with regexes,
    says so; texts with blanks are left out (code the matcher deems the same
    may space them differently).
    """
    hints = {}
    for name, rule in constraints.items():
        parts = rule.rules if isinstance(rule, AllRule) else [rule]
        texts = {
            next(iter(clause)).text
            for part in parts
            if isinstance(part, RegexRule)
            for clause in _view_literals(part.source)
            if len(clause) == 1
        }
        texts = {text for text in texts if text and not any(blank in text for blank in b" \t\r\n")}
        if texts:
            hints[name] = tuple(sorted(texts))
    return hints


PackageVars = Callable[[bytes], bool]  # may some file of the package declare this top-level var?


def contains_token(data: bytes, token: Token, package_vars: PackageVars | None = None) -> bool:
    """Whether ``token`` occurs in ``data`` (between non-word bytes, for a word).

    ``package_vars`` answers for the file's package (without it, a shape
    about package variables is only the shape).
    """
    if isinstance(token.shape, DeclaredShape):
        return token.shape.found_in(data, package_vars)
    if token.shape is not None:
        return token.shape.found_in(data)
    text = token.text
    if not token.word:
        return text in data
    size = len(text)
    start = data.find(text)
    for _ in range(MAX_OCCURRENCES):
        if start < 0:
            return False
        before = data[start - 1] if start else 32
        after = data[start + size] if start + size < len(data) else 32
        if before not in _WORD_BYTES and after not in _WORD_BYTES:
            return True
        start = data.find(text, start + 1)
    return start >= 0


@dataclass(frozen=True)
class Prefilter:
    """Per-recipe requirements; ``may_match`` says which recipes a file could match."""

    requirements: tuple[tuple[str, tuple[Clause, ...]], ...]
    # The literal tokens' texts, searched all at once (:mod:`codemod.prefilter.literals`).
    literals: LiteralSet = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        texts = {
            token.text
            for _, clauses in self.requirements
            for clause in clauses
            for token in clause
            if token.shape is None
        }
        object.__setattr__(self, "literals", LiteralSet(tuple(sorted(texts))))

    @classmethod
    def from_recipes(cls, recipes: Iterable) -> Prefilter:
        return cls(tuple((recipe.id, _ordered_clauses(recipe)) for recipe in recipes))

    def may_match(self, data: bytes, package_vars: PackageVars | None = None) -> set[str]:
        """Ids of the recipes that ``data`` could match (never misses one that does)."""
        has = _memoised_presence(data, package_vars, self.literals.present(data))
        return {rid for rid, clauses in self.requirements if all(any(map(has, clause)) for clause in clauses)}

    def describe(self) -> dict[str, list[list[str]]]:
        """Requirements as readable lists (for docs and debugging)."""
        return {
            rid: [sorted(_shown(token) for token in clause) for clause in clauses] for rid, clauses in self.requirements
        }


def _shown(token: Token) -> str:
    text = token.text.decode(errors="replace")
    if token.shape is not None:
        return f"<{text}>"
    return text if token.word else f"*{text}*"


def _ordered_clauses(recipe) -> tuple[Clause, ...]:
    return tuple(sorted(_strongest(recipe_requirement(recipe), MAX_RECIPE_CLAUSES), key=_check_order))


def _check_order(clause: Clause) -> tuple:
    """Cheapest first: a clause costs a scan per alternative when the file lacks it; shapes cost a regex."""
    return (any(token.shape is not None for token in clause), len(clause), -_clause_rarity(clause), sorted(clause))


@functools.lru_cache(maxsize=32)
def prefilter_for(recipes: Sequence) -> Prefilter:
    """The prefilter of a recipe tuple, built once per process and recipe list."""
    return Prefilter.from_recipes(recipes)


def _memoised_presence(
    data: bytes, package_vars: PackageVars | None = None, substrings: frozenset[bytes] | None = None
) -> Callable[[Token], bool]:
    """``token -> bool``: whether ``data`` contains the token, each token searched once.

    ``substrings``, when known, are the literal tokens' texts that occur in
    ``data`` at all: a literal token whose text is not among them is absent
    without a search.
    """
    present: dict[Token, bool] = {}

    def has(token: Token) -> bool:
        found = present.get(token)
        if found is None:
            if substrings is not None and token.shape is None and token.text not in substrings:
                found = present[token] = False
            else:
                found = present[token] = contains_token(data, token, package_vars)
        return found

    return has
