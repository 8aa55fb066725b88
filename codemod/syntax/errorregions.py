"""Syntax-error regions: what of a file the parser could not read, widened to whole top-level declarations.

tree-sitter-go lags the language (Go 1.26's ``new(42)``, Go 1.27's generic
methods), and a file may also be broken for real. Either way the parser
recovers: it wraps what it could not fit in ERROR nodes, inserts MISSING
ones, and parses the rest. The engine edits such a file only outside its
error regions, and only when each region's bytes come out unchanged.

A region is conservative: every top-level child of the file that holds an
error, is one, or is not a declaration at all (tree-sitter-go accepts
statements at the top, which Go does not: the body of a method whose
signature it could not read becomes such statements), merged with its
neighbours on the same line, and runs of them (with the comments between)
merged into one. A run whose brackets do not balance takes in its
neighbours until they do: the ``var x T`` of such a body looks like a
declaration of its own, and an unclosed brace takes the rest of the file.
Scope and package facts inside a declaration the parser got wrong cannot be
trusted, so the unit is the whole top-level declaration, never a statement
inside it. When the parser could not fit the file together at all (its
root is an ERROR node), the root's children are taken the same way: the
whole declarations before the trouble are kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node, Tree

from codemod.syntax.tree import COMMENT_KIND, TOP_LEVEL_KINDS, SyntaxProblem, first_error, problem_at

_DECLARATIONS = TOP_LEVEL_KINDS - {"package_clause", "import_declaration"}
_NEUTRAL = frozenset({COMMENT_KIND, ";", "\n"})  # neither a declaration nor trouble


@dataclass(frozen=True)
class ErrorRegion:
    """Bytes ``[start, end)`` of the file that edits must leave alone, and the first error in them."""

    start: int
    end: int
    problem: SyntaxProblem


@dataclass(frozen=True)
class ErrorRegions:
    """A file's error regions, in order; ``whole_file`` when nothing outside them can be edited
    (no declaration is left, or the package clause is in a region)."""

    regions: tuple[ErrorRegion, ...]
    whole_file: bool

    def __bool__(self) -> bool:
        return bool(self.regions)

    @property
    def first(self) -> SyntaxProblem | None:
        return self.regions[0].problem if self.regions else None

    def overlaps(self, start: int, end: int) -> bool:
        """``[start, end)`` shares a byte with a region, or an insertion (``start == end``) lands inside one."""
        return any(start < region.end and region.start < end or region.start < start < region.end for region in self)

    def describe(self, source: bytes) -> str:
        """``lines 9-16 and 40-41``: where the regions are, for a message."""
        spans = []
        for region in self:
            first, last = source.count(b"\n", 0, region.start) + 1, source.count(b"\n", 0, region.end) + 1
            spans.append(f"{first}-{last}" if last > first else str(first))
        joined = ", ".join(spans[:-1]) + " and " + spans[-1] if len(spans) > 1 else spans[0]
        return f"line{'s' * (len(spans) > 1 or '-' in spans[0])} {joined}"

    def spans(self) -> list[tuple[int, int]]:
        return [(region.start, region.end) for region in self]

    def texts(self, source: bytes) -> tuple[bytes, ...]:
        return tuple(source[region.start : region.end] for region in self)

    def __iter__(self) -> Iterator[ErrorRegion]:
        return iter(self.regions)

    def __len__(self) -> int:
        return len(self.regions)


NO_REGIONS = ErrorRegions((), False)


def error_regions(tree: Tree) -> ErrorRegions:
    """The error regions of ``tree`` (none when it parsed cleanly)."""
    root = tree.root_node
    if not root.has_error:
        return NO_REGIONS
    problem = first_error(tree) or problem_at(root)  # has_error: first_error finds something
    children = root.children
    if not children:
        return ErrorRegions((ErrorRegion(root.start_byte, root.end_byte, problem),), True)
    bad = [_is_bad(child) for child in children]
    depths = [_bracket_depth(child) for child in children]
    while _spread_along_lines(children, bad) | _balance(bad, depths):
        pass
    regions = [
        ErrorRegion(children[first].start_byte, children[last].end_byte, _problem_in(children[first : last + 1]))
        for first, last in _runs(children, bad)
    ]
    if not regions:  # an error the top level does not show: nothing can be told apart
        return ErrorRegions((ErrorRegion(root.start_byte, root.end_byte, problem),), True)
    kept = any(child.type in _DECLARATIONS for child, is_bad in zip(children, bad, strict=True) if not is_bad)
    # Without a package clause it reads whole, the file's package (and every package fact) is unknown.
    clause = any(child.type == "package_clause" for child, is_bad in zip(children, bad, strict=True) if not is_bad)
    return ErrorRegions(tuple(regions), not (kept and clause))


def _is_bad(child: Node) -> bool:
    return child.has_error or child.is_missing or child.type not in TOP_LEVEL_KINDS | _NEUTRAL


def _runs(children: list[Node], bad: list[bool]) -> list[tuple[int, int]]:
    """(first, last) index of each run of bad children, comments between them included."""
    runs: list[tuple[int, int]] = []
    for index, is_bad in enumerate(bad):
        if not is_bad:
            continue
        between = range(runs[-1][1] + 1, index) if runs else range(0)
        if runs and all(children[i].type in _NEUTRAL for i in between):
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def _spread_along_lines(children: list[Node], bad: list[bool]) -> bool:
    """A child that shares a line with a bad neighbour is bad too: one line, one declaration's worth of doubt."""
    changed = False
    for index in range(len(children) - 1):
        left, right = children[index], children[index + 1]
        if bad[index] != bad[index + 1] and left.end_point.row == right.start_point.row:
            bad[index] = bad[index + 1] = changed = True
    return changed


def _balance(bad: list[bool], depths: list[int]) -> bool:
    """Each run whose brackets open more than they close takes in the next child (fewer: the one before)."""
    changed = False
    runs = [(first, last) for first, last in _runs_of(bad)]
    for first, last in runs:
        depth = sum(depths[first : last + 1])
        if depth > 0 and last + 1 < len(bad) and not bad[last + 1]:
            bad[last + 1] = changed = True
        elif depth < 0 and first > 0 and not bad[first - 1]:
            bad[first - 1] = changed = True
    return changed


def _runs_of(bad: list[bool]) -> list[tuple[int, int]]:
    """(first, last) of each run of bad children, whatever lies between two runs."""
    runs: list[tuple[int, int]] = []
    for index, is_bad in enumerate(bad):
        if is_bad and runs and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index)
        elif is_bad:
            runs.append((index, index))
    return runs


_OPENING = frozenset({"{", "(", "["})
_CLOSING = frozenset({"}", ")", "]"})


def _bracket_depth(node: Node) -> int:
    """Brackets ``node``'s tokens open minus those they close (the parser's MISSING ones do not count)."""
    if not node.has_error and node.type in TOP_LEVEL_KINDS | _NEUTRAL:
        return 0  # a clean declaration balances
    depth = 0
    cursor = node.walk()
    while True:
        current = cursor.node
        assert current is not None
        if current.child_count == 0 and not current.is_missing:
            depth += (current.type in _OPENING) - (current.type in _CLOSING)
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent() or cursor.node == node:
                return depth


def _problem_in(nodes: list[Node]) -> SyntaxProblem:
    for node in nodes:
        problem = first_error(node) if node.has_error or node.is_missing else None
        if problem is not None:
            return problem
    return problem_at(next((node for node in nodes if node.type not in _NEUTRAL), nodes[0]))
