"""Compile Go source with ``$METAVARIABLES`` into a pattern tree.

A pattern is written in Go. ``$NAME`` stands for one node, ``$$$NAME`` for
zero or more (arguments, parameters, statements, elements), ``$_`` and
``$$$`` for nodes that are not captured. Because ``$`` is not valid in a Go
identifier, each metavariable is replaced by a placeholder identifier before
the text is parsed; the parsed placeholder nodes then act as wildcards.

The context (declaration, statement, sequence of statements, expression,
type) is detected by trying the wrappers in turn, or named explicitly.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from tree_sitter import Node

from codemod.errors import PatternError
from codemod.syntax.tree import COMMENT_KIND, LEAF_KINDS, first_error, parse, statements_of

SINGLE_PREFIX = "gcmMV_"
MULTI_PREFIX = "gcmMVS_"
ANONYMOUS = "_"
METAVAR_RE = re.compile(r"\$\$\$([A-Za-z_][A-Za-z0-9_]*)?|\$([A-Za-z_][A-Za-z0-9_]*)")
CONTEXTS = ("declaration", "statement", "sequence", "expression", "type")

_DECLARATION_KINDS = frozenset(
    {
        "function_declaration",
        "method_declaration",
        "type_declaration",
        "var_declaration",
        "const_declaration",
        "import_declaration",
    }
)


@dataclass(frozen=True)
class Metavar:
    """A metavariable as it appears in a pattern."""

    name: str
    multi: bool

    @property
    def captured(self) -> bool:
        return self.name != ANONYMOUS


@dataclass(eq=False)
class Pattern:
    """A compiled pattern: one root node, or a run of statements."""

    source: str
    context: str
    nodes: list[Node]  # one node, or several for a statement sequence
    metavars: set[str] = field(default_factory=set)
    keep_alive: object = None  # the tree the nodes belong to

    @property
    def is_sequence(self) -> bool:
        return self.context == "sequence"

    @property
    def root(self) -> Node:
        return self.nodes[0]


def substitute_metavars(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Replace metavariables by placeholder identifiers.

    Returns the new text and a list of (new_offset, old_offset) anchors so
    errors can be mapped back to the pattern as the user wrote it.
    """
    out: list[str] = []
    anchors: list[tuple[int, int]] = [(0, 0)]
    last = 0
    new_len = 0
    for found in METAVAR_RE.finditer(text):
        out.append(text[last : found.start()])
        new_len += found.start() - last
        if found.group(0).startswith("$$$"):
            placeholder = MULTI_PREFIX + (found.group(1) or ANONYMOUS)
        else:
            placeholder = SINGLE_PREFIX + found.group(2)
        anchors.append((new_len, found.start()))
        out.append(placeholder)
        new_len += len(placeholder)
        last = found.end()
        anchors.append((new_len, found.end()))
    out.append(text[last:])
    return "".join(out), anchors


def map_offset(anchors: list[tuple[int, int]], new_offset: int) -> int:
    """Map an offset in substituted text back to the user's text."""
    best_new, best_old = 0, 0
    for new, old in anchors:
        if new <= new_offset:
            best_new, best_old = new, old
    return best_old + (new_offset - best_new)


def metavar_of(node: Node) -> Metavar | None:
    """The metavariable a pattern node stands for, unwrapping trivial wrappers.

    A wrapper whose whole text is the placeholder (an expression statement,
    a literal element, a parameter with only a type) acts as the metavariable.
    """
    raw = node.text or b""
    if not raw.startswith(b"gcmMV"):
        return None
    name = raw.decode()
    if name.startswith(MULTI_PREFIX) and name[len(MULTI_PREFIX) :].isidentifier():
        return Metavar(name[len(MULTI_PREFIX) :], True)
    if name.startswith(SINGLE_PREFIX) and name[len(SINGLE_PREFIX) :].isidentifier():
        return Metavar(name[len(SINGLE_PREFIX) :], False)
    return None


def pattern_leaves(pattern: Pattern) -> Iterator[Node]:
    """The pattern's leaves outside metavariables and comments: tokens, names and whole literals.

    Every match holds them as its own tokens (the matcher compares them as
    text); the prefilter, the matcher and the candidate search each ask it.
    """
    stack = list(pattern.nodes)
    while stack:
        node = stack.pop()
        if node.type == COMMENT_KIND or metavar_of(node) is not None:
            continue
        if node.child_count == 0 or node.type in LEAF_KINDS:
            yield node
        else:
            stack.extend(node.children)


def pattern_metavars(pattern: Pattern) -> Iterator[Metavar]:
    """Every metavariable written in the pattern (``$X``, ``$$$X``, ``$_``), once per occurrence."""
    stack = list(pattern.nodes)
    while stack:
        node = stack.pop()
        metavar = metavar_of(node)
        if metavar is None:
            stack.extend(node.children)
        else:
            yield metavar


@functools.lru_cache(maxsize=1024)
def single_metavars(pattern: Pattern) -> frozenset[str]:
    """Metavariables the pattern's matched nodes bind to one node each (``$X``, not ``$$$X`` or ``$_``)."""
    return frozenset(m.name for m in pattern_metavars(pattern) if not m.multi and m.name != ANONYMOUS)


def collect_metavars(text: str) -> set[str]:
    names = set()
    for found in METAVAR_RE.finditer(text):
        name = found.group(1) if found.group(0).startswith("$$$") else found.group(2)
        if name and name != ANONYMOUS:
            names.add(name)
    return names


_PREFIX = "package gcmpattern\n"


def _wrap(context: str, text: str) -> tuple[str, int]:
    """Source text for a context, and the offset where the user's text starts."""
    if context == "declaration":
        return _PREFIX + text + "\n", len(_PREFIX)
    if context in ("statement", "sequence", "expression"):
        head = _PREFIX + "func gcmPatternHost() {\n"
        return head + text + "\n}\n", len(head)
    if context == "type":
        head = _PREFIX + "var _ "
        return head + text + "\n", len(head)
    raise ValueError(context)


def _extract(context: str, root: Node) -> list[Node] | None:
    """The pattern node(s) in a parsed wrapper, or None when the shape is wrong."""
    tops = [c for c in root.named_children if c.type not in ("package_clause", COMMENT_KIND)]
    if context == "declaration":
        if len(tops) == 1 and tops[0].type in _DECLARATION_KINDS:
            return tops
        return None
    if context == "type":
        if len(tops) == 1 and tops[0].type == "var_declaration":
            spec = tops[0].named_children[0]
            kind = spec.child_by_field_name("type")
            if kind is not None and spec.child_by_field_name("value") is None:
                return [kind]
        return None
    if len(tops) != 1 or tops[0].type != "function_declaration":
        return None
    body = tops[0].child_by_field_name("body")
    statements = statements_of(body) if body is not None else []
    if not statements:
        return None
    if len(statements) > 1:
        return statements if context == "sequence" else None
    only = statements[0]
    if context == "expression":
        if only.type == "expression_statement" and only.named_child_count == 1:
            return [only.named_children[0]]
        return None
    if context == "statement":
        return [only]
    return None


def _detect_order(text: str) -> tuple[str, ...]:
    stripped = text.lstrip()
    if re.match(r"(func\s+(\([^)]*\)\s*)?[A-Za-z_$]|type\s|import\s|package\s)", stripped):
        return ("declaration", "expression", "sequence", "statement", "type")
    return ("expression", "sequence", "statement", "type", "declaration")


def compile_pattern(text: str, context: str | None = None, selector: str | None = None) -> Pattern:
    """Compile a pattern string; raise PatternError naming the offending offset."""
    if not text.strip():
        raise PatternError("empty pattern", 0)
    if context is not None and context not in CONTEXTS:
        raise PatternError(f"unknown pattern context {context!r} (one of {', '.join(CONTEXTS)})")
    substituted, anchors = substitute_metavars(text)
    order = (context,) if context else _detect_order(substituted)
    first_problem: tuple[str, int] | None = None
    for candidate in order:
        wrapped, start = _wrap(candidate, substituted)
        tree = parse(wrapped.encode())
        problem = first_error(tree)
        if problem is not None:
            if first_problem is None or candidate in ("expression", "sequence"):
                offset = _problem_offset(wrapped, problem.line, problem.column) - start
                first_problem = (problem.message, max(0, min(offset, len(substituted))))
            continue
        nodes = _extract(candidate, tree.root_node)
        if nodes is None:
            continue
        if selector:
            nodes = _select(nodes, selector)
            if not nodes:
                raise PatternError(f"selector {selector!r} matches no node of the pattern")
        return Pattern(text, candidate, nodes, collect_metavars(text), tree)
    message, offset = first_problem or ("pattern is not a Go declaration, statement, expression or type", 0)
    raise PatternError(f"pattern does not parse as Go: {message}", map_offset(anchors, offset))


def _problem_offset(wrapped: str, line: int, column: int) -> int:
    lines = wrapped.split("\n")
    return sum(len(item) + 1 for item in lines[: line - 1]) + column - 1


def _select(nodes: list[Node], kind: str) -> list[Node]:
    """The first node of kind ``kind`` inside the parsed context (ast-grep's selector)."""
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        if node.type == kind:
            return [node]
        stack.extend(reversed(node.named_children))
    return []
