"""Candidates for a pattern found around the rarest token its matches must hold.

Finding a pattern's candidates by kind lists every node of that kind in the
file (every call, every ``go`` statement), and building that list walks the
whole tree. But a match contains each of the pattern's own tokens: its names
and literals (``Lock`` in ``$L.Lock()``), its keywords (``go`` in
``go $CALL``) and its longer operators (``:=``). A node holding a token's
occurrence spans it, so it is an ancestor of the smallest node spanning it:
the ancestors of the occurrences of the rarest token are every candidate.
They are found walking down from the root to each occurrence (a tree-sitter
node finds its parent by walking down from the root, so walking up would
cost the depth squared). A ``kind`` rule's keyword serves the same way, and
struct fields are found from the ``struct`` keyword.

That is cheaper only while the token is rare (these functions say None
otherwise) and the tree has no index yet: callers pass them to
:func:`codemod.syntax.nodeindex.nodes_of_kinds` as its ``unindexed`` way,
which that module takes only for a tree it has not indexed. Either way the
candidates are the same nodes, in document order.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from tree_sitter import Node

from codemod.pattern.compile import Pattern, pattern_leaves
from codemod.syntax import nodeindex
from codemod.syntax.tree import KIND_KEYWORDS

RARE_HITS = 128  # at most this many occurrences of a token: look around them (~8 µs each) instead of indexing the tree (~1-2 ms a file)
_WORD = rb"A-Za-z0-9_\x80-\xff"

Anchor = tuple[bytes, bool]  # (text, whole word?)


@functools.lru_cache(maxsize=1024)
def pattern_anchors(pattern: Pattern) -> tuple[Anchor, ...]:
    """Tokens every match of ``pattern`` holds: names, literals and longer operators (as text), keywords (as words)."""
    anchors: set[Anchor] = set()
    for leaf in pattern_leaves(pattern):
        if leaf.is_named:
            if leaf.text and b"gcmMV" not in leaf.text:
                anchors.add((leaf.text, False))
        elif leaf.type.isidentifier():
            anchors.add((leaf.type.encode(), True))
        elif len(leaf.type) > 1:
            anchors.add((leaf.type.encode(), False))  # an operator of two or more bytes: `:=`, `<-`, `==`
    return tuple(sorted(anchors))


@functools.lru_cache(maxsize=256)
def _word_regex(text: bytes) -> re.Pattern[bytes]:
    return re.compile(re.escape(text) + rb"(?<![" + _WORD + rb"]" + re.escape(text) + rb")(?![" + _WORD + rb"])")


def _occurrences(source: bytes, anchor: Anchor) -> Iterator[int]:
    text, word = anchor
    if word:
        yield from (found.start() for found in _word_regex(text).finditer(source))
        return
    at = source.find(text)
    while at >= 0:
        yield at
        at = source.find(text, at + 1)


def _hits(source: bytes, anchor: Anchor) -> int:
    """How often the anchor occurs (a word: counted up to ``RARE_HITS + 1``)."""
    substrings = source.count(anchor[0])
    if not anchor[1] or substrings <= RARE_HITS:
        return substrings  # as a word it is no more frequent
    if substrings > 4 * RARE_HITS:
        return substrings  # mostly whole words, most likely: not worth counting them one by one
    count = 0
    for _ in _occurrences(source, anchor):
        count += 1
        if count > RARE_HITS:
            break
    return count


def candidates_around(
    root: Node, source: bytes, anchors: tuple[Anchor, ...], kinds: frozenset[str]
) -> list[Node] | None:
    """The nodes of ``kinds`` under ``root`` (inclusive) holding the rarest anchor, in document order.

    ``source`` is ``root``'s text. None when listing by kind is cheaper:
    no anchor, or every anchor frequent.
    """
    if not anchors:
        return None
    hits, anchor = min((_hits(source, anchor), anchor) for anchor in anchors)
    if hits > RARE_HITS:
        return None
    found: dict[Node, None] = {}
    base, size = root.start_byte, len(anchor[0])
    for at in _occurrences(source, anchor):
        for node in _ancestors(root, root.descendant_for_byte_range(base + at, base + at + size)):
            if node.type in kinds:
                found[node] = None
    return nodeindex.document_order(list(found))


def _ancestors(root: Node, node: Node | None) -> Iterator[Node]:
    """``root`` and its descendants down to ``node``, walking down (a tree-sitter node
    finds its parent by walking down from the root, so walking up would cost the depth squared)."""
    current: Node | None = root
    while current is not None and node is not None:
        yield current
        if current.id == node.id:
            return
        current = current.child_with_descendant(node)


def candidates_of_kind(root: Node, kind: str) -> list[Node] | None:
    """The nodes of ``kind`` under ``root`` (inclusive), found around their keyword (``go``, ``defer``)
    or their container's (``struct``: :func:`candidates_within`); None when listing by kind is cheaper."""
    keyword = KIND_KEYWORDS.get(kind)
    if keyword:
        return candidates_around(root, root.text or b"", ((keyword, True),), frozenset({kind}))
    return candidates_within(root, kind)


# Kinds that only ever sit in a list inside a node opened by a keyword: (keyword, that node's kind, the list's kind).
WITHIN_KEYWORD: dict[str, tuple[bytes, str, str]] = {
    "field_declaration": (b"struct", "struct_type", "field_declaration_list"),
}


def candidates_within(root: Node, kind: str) -> list[Node] | None:
    """Every node of ``kind`` in the file ``root``, found from its container's keyword (``struct``).

    None when the kind has no such container, ``root`` is not a whole file
    or the keyword is frequent.
    """
    spec = WITHIN_KEYWORD.get(kind)
    if spec is None or root.parent is not None:
        return None
    keyword, container, body = spec
    source = root.text or b""
    if _hits(source, (keyword, True)) > RARE_HITS:
        return None
    found: list[Node] = []
    for at in _occurrences(source, (keyword, True)):
        token = root.descendant_for_byte_range(root.start_byte + at, root.start_byte + at + len(keyword))
        opened = token.parent if token is not None else None
        if token is None or token.type != keyword.decode() or opened is None or opened.type != container:
            continue
        for part in opened.named_children:
            if part.type == body:
                found.extend(child for child in part.named_children if child.type == kind)
    return nodeindex.document_order(found)
