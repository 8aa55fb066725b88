"""Parsing Go with tree-sitter: the one place that knows about the parser.

Everything else asks this module for trees, node texts and error locations.
Offsets are bytes everywhere (tree-sitter's unit); text is decoded only to
print it.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import tree_sitter_go
from tree_sitter import Language, Node, Parser, Point, Range, Tree

from codemod.syntax import memory

GO_LANGUAGE = Language(tree_sitter_go.language())

# Node kinds that name something: a pattern identifier matches any of them.
IDENTIFIER_KINDS = frozenset({"identifier", "type_identifier", "field_identifier", "package_identifier", "label_name"})
# Leaves whose whole text is their identity (compared as text when matching).
LEAF_KINDS = frozenset(
    IDENTIFIER_KINDS
    | {
        "int_literal",
        "float_literal",
        "imaginary_literal",
        "rune_literal",
        "interpreted_string_literal",
        "raw_string_literal",
        "true",
        "false",
        "nil",
        "iota",
        "blank_identifier",
        "dot",
    }
)
COMMENT_KIND = "comment"
# Every node of these kinds holds this keyword as one of its tokens.
KIND_KEYWORDS: dict[str, bytes] = {
    "defer_statement": b"defer",
    "go_statement": b"go",
    "return_statement": b"return",
    "if_statement": b"if",
    "for_statement": b"for",
    "range_clause": b"range",
    "expression_switch_statement": b"switch",
    "type_switch_statement": b"switch",
    "select_statement": b"select",
    "break_statement": b"break",
    "continue_statement": b"continue",
    "goto_statement": b"goto",
    "fallthrough_statement": b"fallthrough",
    "func_literal": b"func",
    "function_declaration": b"func",
    "method_declaration": b"func",
    "function_type": b"func",
    "type_declaration": b"type",
    "var_declaration": b"var",
    "const_declaration": b"const",
    "import_declaration": b"import",
    "package_clause": b"package",
    "interface_type": b"interface",
    "struct_type": b"struct",
    "map_type": b"map",
    "channel_type": b"chan",
    "communication_case": b"case",
    "expression_case": b"case",
    "type_case": b"case",
    "default_case": b"default",
    "nil": b"nil",
    "true": b"true",
    "false": b"false",
    "iota": b"iota",
}
FUNCTION_KINDS = frozenset({"function_declaration", "method_declaration", "func_literal"})
# What a Go source file holds at its top level (comments aside).
TOP_LEVEL_KINDS = frozenset(
    {
        "package_clause",
        "import_declaration",
        "function_declaration",
        "method_declaration",
        "type_declaration",
        "var_declaration",
        "const_declaration",
    }
)


@functools.cache
def _parser() -> Parser:
    return Parser(GO_LANGUAGE)


_parses = 0  # trees made in this process (see parse_count)


def parse(source: bytes) -> Tree:
    """Parse Go source bytes into a tree-sitter tree."""
    global _parses
    _parses += 1
    return _parser().parse(source)


def parse_outside(source: bytes, spans: list[tuple[int, int]]) -> Tree:
    """Parse ``source`` as if the byte ranges ``spans`` (sorted, disjoint) were not there.

    Nodes keep their offsets in ``source``; the spans are simply not part of
    the tree (tree-sitter's included ranges): a file's syntax-error regions
    left out, what remains parses as the declarations it is.
    """
    global _parses
    _parses += 1
    included, start = [], 0
    for span_start, span_end in [*spans, (len(source), len(source))]:
        if span_start > start:
            included.append(Range(Point(*_point(source, start)), Point(*_point(source, span_start)), start, span_start))
        start = span_end
    if not included:
        return parse(b"")
    return Parser(GO_LANGUAGE, included_ranges=included).parse(source)


def reparse(tree: Tree, old: bytes, new: bytes) -> Tree:
    """The tree of ``new``, an edit of ``old`` whose tree is ``tree`` (left as it is).

    Tree-sitter reparses incrementally: told which bytes changed (one span,
    from the first differing byte to the last), it reuses every subtree
    outside it. A result with syntax errors is parsed again from scratch,
    so that how errors are recovered never depends on the old tree.
    """
    global _parses
    _parses += 1
    prefix = _common_prefix(old, new)
    suffix = _common_prefix(old[prefix:][::-1], new[prefix:][::-1])
    edited = tree.copy()
    edited.edit(
        prefix, len(old) - suffix, len(new) - suffix,
        _point(old, prefix), _point(old, len(old) - suffix), _point(new, len(new) - suffix),
    )  # fmt: skip
    result = _parser().parse(new, edited)
    return result if not result.root_node.has_error else _parser().parse(new)


def _common_prefix(a: bytes, b: bytes) -> int:
    """The length of the longest common prefix (a binary search of memcmp compares)."""
    low, high = 0, min(len(a), len(b))
    left, right = memoryview(a), memoryview(b)
    while low < high:
        middle = (low + high + 1) // 2
        if left[low:middle] == right[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _point(source: bytes, offset: int) -> tuple[int, int]:
    """(row, column in bytes) of an offset, as tree-sitter counts them."""
    row = source.count(b"\n", 0, offset)
    return row, offset - (source.rfind(b"\n", 0, offset) + 1)


_ROOTS: dict[Node, Node] = {}  # node -> its tree's root, for the nodes walked so far
ROOTS_KEPT = 1 << 17


def tree_root(node: Node) -> Node:
    """The root of ``node``'s tree.

    A tree-sitter node finds its parent by walking down from the root, so a
    walk up costs the depth squared; the nodes walked are remembered, and a
    later walk stops at the first one it meets (until the package is done:
    see :mod:`codemod.syntax.memory`).
    """
    walked: list[Node] = []
    current = node
    while (root := _ROOTS.get(current)) is None:
        parent = current.parent
        if parent is None:
            root = current
            break
        walked.append(current)
        current = parent
    if len(_ROOTS) > ROOTS_KEPT:
        _ROOTS.clear()
    for seen in walked:
        _ROOTS[seen] = root
    return root


memory.on_release(_ROOTS.clear)


def parse_count() -> int:
    """How many trees this process has parsed: a package that parsed none has no memory to give back."""
    return _parses


def text(node: Node) -> str:
    """The node's source text, decoded for printing or comparison."""
    raw = node.text
    return raw.decode("utf-8", errors="replace") if raw is not None else ""


@dataclass(frozen=True)
class SyntaxProblem:
    """Where a parse went wrong: 1-based line and column (in bytes); ``near`` the text there, if any."""

    line: int
    column: int
    message: str
    near: str = ""

    @property
    def description(self) -> str:
        """``syntax error near 'x'`` or ``syntax error: missing '}'``, as Go's tools word it."""
        return f"syntax error near {self.near!r}" if self.near else f"syntax error: {self.message}"


def iter_errors(node: Node) -> Iterator[Node]:
    """Yield ERROR and MISSING nodes below (and including) ``node``."""
    if not node.has_error:
        return
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "ERROR" or current.is_missing:
            yield current
            continue
        if current.has_error:
            stack.extend(reversed(current.children))


def first_error(tree_or_node: Tree | Node) -> SyntaxProblem | None:
    """The first syntax error in a tree, or None when it parsed cleanly.

    A file the parser could not fit together at all has an ERROR node for its
    root, which starts at 1:1: the error is then where the first top-level
    child that is not a whole, clean declaration starts (or the first error
    inside it).
    """
    root = tree_or_node.root_node if isinstance(tree_or_node, Tree) else tree_or_node
    if root.type == "ERROR" and root.parent is None:
        for child in root.children:
            if child.type not in (COMMENT_KIND, ";") and (child.has_error or child.type not in TOP_LEVEL_KINDS):
                return first_error(child) or problem_at(child)
    for bad in iter_errors(root):
        return problem_at(bad)
    if root.has_error:  # no ERROR node, yet not clean: a statement at the top level (`f` of a cut-off file)
        stray = (child for child in root.children if child.type not in TOP_LEVEL_KINDS | {COMMENT_KIND, ";"})
        return problem_at(next(stray, root))
    return None


def problem_at(node: Node) -> SyntaxProblem:
    row, col = node.start_point
    if node.is_missing:
        return SyntaxProblem(row + 1, col + 1, f"missing {node.type!r}")
    snippet = (node.text or b"")[:20].decode("utf-8", errors="replace").split("\n")[0]
    if not snippet:
        return SyntaxProblem(row + 1, col + 1, "syntax error")
    return SyntaxProblem(row + 1, col + 1, f"unexpected {snippet!r}", snippet)


def error_count(tree: Tree) -> int:
    """Number of ERROR/MISSING nodes: compared before and after a fix."""
    return sum(1 for _ in iter_errors(tree.root_node))


def line_col(source: bytes, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a byte offset; column counts characters."""
    line_start = source.rfind(b"\n", 0, offset) + 1
    line = source.count(b"\n", 0, offset) + 1
    column = len(source[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, column


class LineIndex:
    """:func:`line_col` for many offsets of one source: the line starts are found once, then bisected."""

    def __init__(self, source: bytes) -> None:
        self.source = source
        self._starts: list[int] | None = None

    def line_col(self, offset: int) -> tuple[int, int]:
        if self._starts is None:
            self._starts = [0] + [match.end() for match in re.finditer(rb"\n", self.source)]
        line = bisect.bisect_right(self._starts, offset)  # the lines starting at or before the offset
        line_start = self._starts[line - 1]
        return line, len(self.source[line_start:offset].decode("utf-8", errors="replace")) + 1


def significant_children(node: Node) -> list[Node]:
    """Children that carry meaning for matching: no comments, commas or semicolons."""
    return [child for child in node.children if child.type != COMMENT_KIND and child.type not in (",", ";", "\n")]


def statements_of(block: Node) -> list[Node]:
    """The statements directly inside a block (or statement list / case body)."""
    if block.type == "block":
        for child in block.named_children:
            if child.type == "statement_list":
                return statements_of(child)
        return []
    return [c for c in block.named_children if c.type != COMMENT_KIND and _is_statement(c)]


_NON_STATEMENT_CHILDREN = frozenset({"expression_list", "type_case", "type_list", "parameter_list", "label_name"})


def _is_statement(node: Node) -> bool:
    return (
        node.type.endswith("_statement")
        or node.type.endswith("_declaration")
        or node.type
        in (
            "short_var_declaration",
            "labeled_statement",
            "empty_statement",
        )
    )


def as_statement(node: Node) -> Node:
    """The expression statement that consists of exactly ``node``, else ``node``.

    A pattern such as ``time.Sleep($D)`` matches the call; statement-level
    edits and sibling relations mean the statement that holds it.
    """
    parent = node.parent
    if (
        parent is not None
        and parent.type == "expression_statement"
        and parent.start_byte == node.start_byte
        and parent.end_byte == node.end_byte
    ):
        return parent
    return node


def outermost_function(node: Node) -> Node | None:
    """The outermost function declaration or literal holding ``node`` (itself included)."""
    outermost = None
    current: Node | None = node
    while current is not None:
        if current.type in FUNCTION_KINDS:
            outermost = current
        current = current.parent
    return outermost


def enclosing(node: Node, kinds: frozenset[str] | set[str]) -> Node | None:
    """The nearest proper ancestor whose kind is in ``kinds``."""
    current = node.parent
    while current is not None:
        if current.type in kinds:
            return current
        current = current.parent
    return None


def indentation_at(source: bytes, offset: int) -> bytes:
    """The leading whitespace of the line holding ``offset``."""
    line_start = source.rfind(b"\n", 0, offset) + 1
    end = line_start
    while end < len(source) and source[end : end + 1] in (b"\t", b" "):
        end += 1
    return source[line_start:end]
