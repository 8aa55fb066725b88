"""Nodes of given kinds, found by tree-sitter's query engine and shared per tree.

Finding candidates is the matcher's most frequent question: "every
``call_expression`` in this file", then "every ``send_statement`` under this
function body", for each recipe and rule. One query per whole tree answers
all of them: it captures every kind asked for so far in this process, each
under its own capture name (so tree-sitter sorts them into buckets), and the
answer is kept for the few most recent trees. A question about a subtree is
answered from the index of its tree by a binary search on start offsets.
Names and strings are the exception (:data:`QUERIED_WHERE_ASKED`): most of a
tree's nodes and seldom asked for, they would make every index dearer, so a
question about them queries just the subtree asked about.

Until a tree is indexed, a caller may know a cheaper way to the same nodes
(:mod:`codemod.pattern.anchors`: around a rare token); it passes that way
in (``unindexed``), and this module, which alone knows what it has indexed,
tries it before building the index.

Results are in document order: by start, longer first, and for nodes with
the same span the outer one first.
"""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from collections.abc import Callable

from tree_sitter import Node, Query, QueryCursor

from codemod.syntax import memory
from codemod.syntax.tree import GO_LANGUAGE, IDENTIFIER_KINDS, tree_root

TREES_KEPT = 2  # whole trees whose index is kept (each index keeps its tree alive)
# Kinds never put in a shared index: names and strings are most of a tree's nodes (identifiers
# alone half of what an index would capture), seldom asked for, so they are queried where asked.
QUERIED_WHERE_ASKED = IDENTIFIER_KINDS | {"interpreted_string_literal", "raw_string_literal"}
_kinds_asked: set[str] = set()
_indexes: dict[Node, _TreeIndex] = {}
memory.on_release(_indexes.clear)  # a package is done: keep none of its trees alive


@functools.lru_cache(maxsize=64)
def _capture_query(kinds: frozenset[str]) -> Query:
    return Query(GO_LANGUAGE, " ".join(f"({kind}) @{kind}" for kind in sorted(kinds)))


def document_order(nodes: list[Node]) -> list[Node]:
    """Sort by (start, -end); nodes with the same span keep outer before inner."""
    nodes.sort(key=lambda node: (node.start_byte, -node.end_byte))
    index = 0
    while index < len(nodes) - 1:
        start, end = nodes[index].start_byte, nodes[index].end_byte
        last = index
        while last + 1 < len(nodes) and nodes[last + 1].start_byte == start and nodes[last + 1].end_byte == end:
            last += 1
        if last > index:
            nodes[index : last + 1] = sorted(nodes[index : last + 1], key=_same_span_depth)
        index = last + 1
    return nodes


def _same_span_depth(node: Node) -> int:
    """How many ancestors share this node's span (the outermost has none)."""
    depth, parent = 0, node.parent
    while parent is not None and parent.start_byte == node.start_byte and parent.end_byte == node.end_byte:
        depth, parent = depth + 1, parent.parent
    return depth


class _TreeIndex:
    """Every node of some kinds in one whole tree, sorted lazily per kind."""

    def __init__(self, root: Node, kinds: frozenset[str]):
        self.kinds = kinds
        self._captured = QueryCursor(_capture_query(kinds)).captures(root)
        self._sorted: dict[str, tuple[list[Node], list[int]]] = {}

    def of_kind(self, kind: str) -> tuple[list[Node], list[int]]:
        entry = self._sorted.get(kind)
        if entry is None:
            nodes = document_order(list(self._captured.get(kind, ())))
            entry = self._sorted[kind] = (nodes, [node.start_byte for node in nodes])
        return entry

    def within(self, kind: str, root: Node) -> list[Node]:
        """Nodes of ``kind`` in ``root``'s subtree, ``root`` included."""
        nodes, starts = self.of_kind(kind)
        start, end = root.start_byte, root.end_byte
        found = []
        for node in nodes[bisect_left(starts, start) : bisect_right(starts, end)]:
            if node.end_byte > end:
                continue
            if (node.start_byte == start and node.end_byte == end) or node.start_byte == end:
                if not _inside(node, root):  # same span or empty at the end: an ancestor or a neighbour?
                    continue
            found.append(node)
        return found


def _inside(node: Node, root: Node) -> bool:
    current: Node | None = node
    while current is not None:
        if current == root:
            return True
        current = current.parent
    return False


def _tree_root(node: Node) -> Node:
    return tree_root(node)


def _new_index(top: Node, kinds: frozenset[str]) -> _TreeIndex:
    _kinds_asked.update(kinds)
    index = _TreeIndex(top, frozenset(_kinds_asked))
    _indexes.pop(top, None)
    _indexes[top] = index
    while len(_indexes) > TREES_KEPT:
        del _indexes[next(iter(_indexes))]
    return index


def nodes_of_kinds(
    root: Node, kinds: frozenset[str], unindexed: Callable[[], list[Node] | None] | None = None
) -> list[Node]:
    """All nodes of ``kinds`` under ``root`` (inclusive), in document order.

    While ``root``'s tree has no index of ``kinds``, ``unindexed`` (when given)
    is asked first: the same nodes found another way, or None to decline.
    """
    if not kinds:
        return []
    top = _tree_root(root)
    index = _indexes.get(top)
    if index is None or not kinds <= index.kinds:
        found = unindexed() if unindexed is not None else None
        if found is not None:
            return found
        if kinds & QUERIED_WHERE_ASKED or (top != root and index is None):  # query just this subtree
            captured = QueryCursor(_capture_query(kinds)).captures(root)
            return document_order([node for kind in kinds for node in captured.get(kind, ())])
        index = _new_index(top, kinds)
    if top == root:
        parts = [index.of_kind(kind)[0] for kind in kinds]
    else:
        parts = [index.within(kind, root) for kind in kinds]
    if len(parts) == 1:
        return list(parts[0])
    return document_order([node for part in parts for node in part])
