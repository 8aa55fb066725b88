"""Structural matching of compiled patterns against Go syntax trees.

Nodes are compared through a normalised *shape* that hides tree-sitter-go's
ambiguities: a call and a type conversion are one shape, a selector and a
qualified type are one, a ``*`` expression and a pointer type are one, and
every kind of identifier is one. Comments, commas and semicolons never take
part in a match. Metavariables bind nodes (or runs of nodes); a name bound
twice must bind structurally equal code.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import zip_longest
from types import MappingProxyType

from tree_sitter import Node

from codemod.pattern.anchors import candidates_around, pattern_anchors
from codemod.pattern.compile import Metavar, Pattern, metavar_of, pattern_leaves, single_metavars
from codemod.syntax import nodeindex
from codemod.syntax.tree import COMMENT_KIND, GO_LANGUAGE, IDENTIFIER_KINDS, LEAF_KINDS

Binding = Node | tuple[Node, ...]
Env = Mapping[str, Binding]
Hints = Mapping[str, tuple[bytes, ...]]  # metavariable -> texts its bound code must hold (see Rule.search)
NO_HINTS: Hints = MappingProxyType({})

_SKIPPED_TOKENS = frozenset({COMMENT_KIND, ",", ";", "\n"})
# Kinds that share a shape with another kind.
_KIND_CLASS = {
    **{kind: "identifier" for kind in IDENTIFIER_KINDS},
    "call_expression": "call",
    "type_conversion_expression": "call",
    "selector_expression": "selector",
    "qualified_type": "selector",
    "pointer_type": "star",
    "parenthesized_expression": "paren",
    "parenthesized_type": "paren",
}
_CLASS_KINDS: dict[str, frozenset[str]] = {}
for _kind, _cls in _KIND_CLASS.items():
    _CLASS_KINDS[_cls] = _CLASS_KINDS.get(_cls, frozenset()) | {_kind}
_CLASS_KINDS["star"] = _CLASS_KINDS["star"] | {"unary_expression"}
_NOT_A_VALUE = frozenset({"variadic_argument", "statement_list"})
_FLATTENED = frozenset({"argument_list", "statement_list"})


@dataclass(frozen=True)
class Run:
    """A run of sibling statements matched by a sequence pattern."""

    nodes: tuple[Node, ...]

    @property
    def start_byte(self) -> int:
        return self.nodes[0].start_byte

    @property
    def end_byte(self) -> int:
        return self.nodes[-1].end_byte

    @property
    def parent(self) -> Node | None:
        return self.nodes[0].parent

    @property
    def type(self) -> str:
        return "statement_run"


Target = Node | Run


def kind_class(node: Node) -> str:
    kind = node.type
    if kind == "unary_expression":
        operator = node.child_by_field_name("operator")
        if operator is not None and operator.type == "*":
            return "star"
    return _KIND_CLASS.get(kind, kind)


def shape_children(node: Node) -> list[Node]:
    """The children that take part in matching, with list wrappers flattened."""
    out: list[Node] = []
    for child in node.children:
        kind = child.type  # read once: each read makes a new string
        if kind in _SKIPPED_TOKENS:
            continue
        if kind in _FLATTENED:
            for grandchild in child.children:
                if grandchild.type not in _SKIPPED_TOKENS:
                    out.append(grandchild)
        else:
            out.append(child)
    return out


def node_key(node: Node) -> str:
    """A text key for structural equality: tokens without comments or spacing."""
    if node.child_count == 0 or node.type in LEAF_KINDS:
        return (node.text or b"").decode("utf-8", errors="replace")
    parts = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == COMMENT_KIND:
            continue
        if current.child_count == 0 or current.type in LEAF_KINDS:
            parts.append((current.text or b"").decode("utf-8", errors="replace"))
        else:
            stack.extend(reversed(current.children))
    return " ".join(parts)


def binding_key(binding: Binding) -> str:
    if isinstance(binding, tuple):
        return "\x00".join(node_key(node) for node in binding)
    return node_key(binding)


def _binding_tokens(binding: Binding) -> Iterator[str]:
    """The tokens ``binding_key`` joins, one at a time (``"\x00"`` between nodes)."""
    for index, node in enumerate(binding if isinstance(binding, tuple) else (binding,)):
        if index:
            yield "\x00"
        stack = [node]
        while stack:
            current = stack.pop()
            if current.type == COMMENT_KIND and current is not node:
                continue
            if current.child_count == 0 or current.type in LEAF_KINDS:
                yield (current.text or b"").decode("utf-8", errors="replace")
            else:
                stack.extend(reversed(current.children))


def same_code(first: Binding, second: Binding) -> bool:
    """``binding_key(first) == binding_key(second)``, stopping at the first differing token.

    Two nodes are compared by their bytes first: the same bytes are the same
    tokens, and without comments (no ``/``) the tokens joined are the bytes
    without blanks, so bytes that differ without blanks are different code.
    """
    if isinstance(first, Node) and isinstance(second, Node):
        left, right = first.text or b"", second.text or b""
        if left == right:
            return True
        if b"/" not in left and b"/" not in right and left.translate(None, _BLANKS) != right.translate(None, _BLANKS):
            return False
    return all(a == b for a, b in zip_longest(_binding_tokens(first), _binding_tokens(second)))


_BLANKS = b" \t\r\n\f\v"


def _bind(metavar: Metavar, value: Binding, env: Env) -> Env | None:
    if not metavar.captured:
        return env
    bound = env.get(metavar.name)
    if bound is not None:
        return env if same_code(bound, value) else None
    new_env = dict(env)
    new_env[metavar.name] = value
    return new_env


@functools.cache
def _pattern_facts(pattern: Node) -> tuple[Metavar | None, str, bool, bool, bytes | str | None, list[Node], int]:
    """What matching needs from a pattern node, computed once per node.

    The last fact is how many shape children a match has: as many as the
    pattern node, unless one of them is a ``$$$`` metavariable (-1: any
    number). Only pattern nodes come here: they live as long as their
    compiled pattern, so caching them keeps no file's tree alive.
    """
    leaf = pattern.child_count == 0 or pattern.type in LEAF_KINDS
    identity = pattern.text if pattern.is_named else pattern.type
    children = [] if leaf else shape_children(pattern)
    multi = any(metavar is not None and metavar.multi for metavar in map(metavar_of, children))
    arity = -1 if multi else len(children)
    return metavar_of(pattern), kind_class(pattern), leaf, pattern.is_named, identity, children, arity


def match_node(pattern: Node, target: Node, env: Env) -> Env | None:
    """Match one pattern node against one target node."""
    return _match_facts(_pattern_facts(pattern), target, env)


def _match_facts(facts: tuple, target: Node, env: Env) -> Env | None:
    """:func:`match_node`, given the pattern node's facts (:func:`_pattern_facts`)."""
    metavar, pattern_class, leaf, named, identity, children, arity = facts
    kind = target.type  # read once: each read makes a new string
    if metavar is not None:
        if not target.is_named or kind in _NOT_A_VALUE or kind == COMMENT_KIND:
            return None
        return _bind(metavar, (target,) if metavar.multi else target, env)
    target_class = _KIND_CLASS.get(kind, kind) if kind != "unary_expression" else kind_class(target)
    if pattern_class != target_class:
        return None
    if leaf or kind in LEAF_KINDS:
        same = identity == target.text if named else identity == kind
        return env if same else None
    targets = shape_children(target)
    if arity >= 0 and len(targets) != arity:  # one target per pattern child, none left over: cannot match
        return None
    found = _match_from(children, 0, targets, 0, env, False)
    return None if found is None else found[0]


def match_sequence(patterns: list[Node], targets: list[Node], env: Env, prefix: bool = False) -> Env | None:
    """Match a list of pattern nodes against a list of target nodes (whole list)."""
    found = _match_from(patterns, 0, targets, 0, env, prefix)
    return None if found is None else found[0]


def _match_from(
    patterns: list[Node], pi: int, targets: list[Node], ti: int, env: Env, prefix: bool
) -> tuple[Env, int] | None:
    while pi < len(patterns):
        facts = _pattern_facts(patterns[pi])
        metavar = facts[0]
        if metavar is not None and metavar.multi:
            return _match_multi(patterns, pi, targets, ti, env, prefix, metavar)
        if ti >= len(targets):
            return None
        new_env = _match_facts(facts, targets[ti], env)
        if new_env is None:
            return None
        env, pi, ti = new_env, pi + 1, ti + 1
    if ti == len(targets) or prefix:
        return env, ti
    return None


def _match_multi(
    patterns: list[Node], pi: int, targets: list[Node], ti: int, env: Env, prefix: bool, metavar: Metavar
) -> tuple[Env, int] | None:
    """Lazy ``$$$``: try the shortest run of named nodes first."""
    last = pi == len(patterns) - 1
    for end in range(ti, len(targets) + 1):
        if end > ti and not targets[end - 1].is_named:
            return None
        bound = _bind(metavar, tuple(targets[ti:end]), env)
        if bound is None:
            continue
        if last:
            if prefix or end == len(targets):
                return bound, end
            continue
        found = _match_from(patterns, pi + 1, targets, end, bound, prefix)
        if found is not None:
            return found
    return None


_VALID_KINDS: frozenset[str] = frozenset(
    kind
    for i in range(GO_LANGUAGE.node_kind_count)
    if GO_LANGUAGE.node_kind_is_named(i)
    and GO_LANGUAGE.node_kind_is_visible(i)
    and (kind := GO_LANGUAGE.node_kind_for_id(i)) is not None
)


def is_known_kind(kind: str) -> bool:
    return kind in _VALID_KINDS


def nodes_of_kinds(
    root: Node, kinds: frozenset[str], unindexed: Callable[[], list[Node] | None] | None = None
) -> list[Node]:
    """All nodes under ``root`` (inclusive) of the given kinds, in document order.

    Uses tree-sitter's query engine (one query per file, shared by every
    rule: :mod:`codemod.syntax.nodeindex`), so Python never walks the whole tree;
    ``unindexed`` may answer instead while the tree is not indexed (:mod:`codemod.pattern.anchors`).
    """
    return nodeindex.nodes_of_kinds(root, frozenset(kind for kind in kinds if kind in _VALID_KINDS), unindexed)


def all_named_nodes(root: Node) -> Iterator[Node]:
    """Every named node in document order (outer before inner)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type != COMMENT_KIND and node.type != "ERROR":
            yield node
        stack.extend(reversed(node.named_children))


def candidate_kinds(pattern: Pattern) -> frozenset[str] | None:
    """Node kinds a pattern's root can match, or None when it can be anything."""
    if pattern.is_sequence:
        return frozenset({"statement_list"})
    root = pattern.root
    if metavar_of(root) is not None:
        return None
    cls = kind_class(root)
    return _CLASS_KINDS.get(cls, frozenset({root.type}))


@functools.lru_cache(maxsize=1024)
def required_texts(pattern: Pattern) -> tuple[bytes, ...]:
    """Leaf texts (names, literals) that any code matching ``pattern`` must contain."""
    texts = {leaf.text for leaf in pattern_leaves(pattern) if leaf.is_named and leaf.text}
    return tuple(sorted(texts, key=len, reverse=True))


def _bound_texts(pattern: Pattern, env: Env) -> tuple[bytes, ...]:
    """For a pattern that is one metavariable already bound: the names and literals of its code.

    A match must be the same code token for token, so its text holds them.
    """
    if pattern.is_sequence:
        return ()
    metavar = metavar_of(pattern.root)
    bound = env.get(metavar.name) if metavar is not None and metavar.captured else None
    if bound is None:
        return ()
    texts = {token.encode() for token in _binding_tokens(bound) if token[:1].isalnum() or token[:1] in ("_", '"', "`")}
    return tuple(sorted(texts, key=len, reverse=True))


def hinted_texts(pattern: Pattern, hints: Hints, env: Env) -> tuple[bytes, ...]:
    """The hinted texts of the metavariables ``pattern`` binds to one node of its match (not bound yet in ``env``)."""
    if not hints:
        return ()
    names = (name for name in single_metavars(pattern) if name not in env)
    return tuple(sorted({text for name in names for text in hints.get(name, ())}))


def find_pattern(
    pattern: Pattern, root: Node, env: Env, hinted: tuple[bytes, ...] = ()
) -> Iterator[tuple[Target, Env]]:
    """Every match of ``pattern`` under ``root``, in document order (may overlap).

    Candidates whose text lacks one of the pattern's literal leaves are
    rejected by a byte search before any structural comparison; so are
    those lacking a ``hinted`` text (:func:`hinted_texts`).
    """
    kinds = _search_kinds(pattern)
    required = required_texts(pattern)  # the pattern's names and literals: among its anchors already
    needed = (required or _bound_texts(pattern, env)) + hinted
    anchors: tuple = ()
    if kinds is not None:
        anchors = pattern_anchors(pattern) + tuple((text, False) for text in (hinted if required else needed))
    source, base = (
        (root.text or b"", root.start_byte) if needed or anchors else (b"", 0)
    )  # copy the text only to search it
    if needed and any(source.find(text) < 0 for text in needed):
        return
    if pattern.is_sequence:  # the statement lists holding the run: around an anchor too
        containers = kinds or frozenset()
        for container in nodeindex.nodes_of_kinds(
            root, containers, lambda: candidates_around(root, source, anchors, containers)
        ):
            if not needed or _holds_all(source, container.start_byte - base, container.end_byte - base, needed):
                yield from _find_runs(pattern, container, env)
        return
    if kinds is None:
        candidates: Iterable[Node] = all_named_nodes(root)
    else:
        candidates = nodeindex.nodes_of_kinds(root, kinds, lambda: candidates_around(root, source, anchors, kinds))
    facts = _pattern_facts(pattern.root)
    for node in candidates:
        if needed and not _holds_all(source, node.start_byte - base, node.end_byte - base, needed):
            continue
        found = _match_facts(facts, node, env)
        if found is not None:
            yield node, found


@functools.lru_cache(maxsize=1024)
def _search_kinds(pattern: Pattern) -> frozenset[str] | None:
    """:func:`candidate_kinds` that tree-sitter knows (the kinds of nodes to list); None when any node may match."""
    kinds = candidate_kinds(pattern)
    return None if kinds is None else frozenset(kind for kind in kinds if kind in _VALID_KINDS)


def _holds_all(source: bytes, start: int, end: int, texts: tuple[bytes, ...]) -> bool:
    for text in texts:  # a loop, not all(): this runs for every candidate
        if source.find(text, start, end) < 0:
            return False
    return True


def match_target(pattern: Pattern, target: Target, env: Env) -> Env | None:
    """Does ``pattern`` match exactly this target (a node or a statement run)?"""
    if pattern.is_sequence:
        if not isinstance(target, Run):
            return None
        return match_sequence(pattern.nodes, list(target.nodes), env)
    if isinstance(target, Run):
        return match_node(pattern.root, target.nodes[0], env) if len(target.nodes) == 1 else None
    return match_node(pattern.root, target, env)


def _find_runs(pattern: Pattern, container: Node, env: Env) -> Iterator[tuple[Target, Env]]:
    statements = [c for c in container.named_children if c.type != COMMENT_KIND]
    for start in range(len(statements)):
        found = _match_from(pattern.nodes, 0, statements, start, env, True)
        if found is None:
            continue
        bound, end = found
        if end > start:
            yield Run(tuple(statements[start:end])), bound
