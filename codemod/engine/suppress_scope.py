"""What a suppression comment covers: byte ranges of the syntax tree.

The rule follows golangci-lint's ``nolint``:

* A directive on its own line covers the whole node that starts on the next
  line (skipping comment lines between, such as a doc comment): a
  declaration, a statement, a block, a case clause, with everything nested
  in it, and that line itself. It never reaches the next sibling, nor a next
  line indented less than the directive (``case 2:`` after a directive that
  ends the body of ``case 1:``), a label excepted (gofmt puts labels one
  level out). When that node is the ``package`` clause,
  the directive covers the whole file.
* A directive at the end of a line covers the code before it on that line and
  each node that starts on that line, in whole (``defer func() { //nolint``
  covers the whole deferred call).

Only the outermost nodes count, and list nodes that merely group siblings
(the file, a statement list) are looked into, never covered as a whole.
"""

from __future__ import annotations

from tree_sitter import Node

# Nodes that start where their first child starts but also hold its siblings.
_GROUPS = frozenset({"source_file", "statement_list"})
WHOLE_FILE = (0, 1 << 62)


def covered_ranges(source: bytes, root: Node, comment: Node) -> list[tuple[int, int]]:
    """The ``[start, end)`` byte ranges the directive ``comment`` covers."""
    line_start = source.rfind(b"\n", 0, comment.start_byte) + 1
    if source[line_start : comment.start_byte].strip():
        row = comment.start_point[0]
        nodes = [node for node in _outermost_starting_on(root, row) if node.start_byte < comment.start_byte]
        return [(line_start, comment.start_byte)] + [(node.start_byte, node.end_byte) for node in nodes]
    ranges = [(line_start, _line_end(source, comment.end_byte))]
    target = _next_code_line(source, comment)
    if target is None:
        return ranges
    target_start, row = target
    nodes = _outermost_starting_on(root, row)
    labelled = any(node.type == "labeled_statement" for node in nodes)  # gofmt puts labels one level out
    if _indent(source, target_start) < comment.start_byte - line_start and not labelled:
        return ranges  # the next line is outside the block the directive stands in
    if any(node.type == "package_clause" for node in nodes):
        return [WHOLE_FILE]
    ranges.append((target_start, _line_end(source, target_start)))
    ranges.extend((node.start_byte, node.end_byte) for node in nodes)
    return ranges


def _outermost_starting_on(root: Node, row: int) -> list[Node]:
    """The outermost named nodes (not comments, not sibling groups) that start on ``row``."""
    found: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        for child in node.named_children:
            if child.type == "comment" or child.end_point[0] < row or child.start_point[0] > row:
                continue
            if child.start_point[0] == row and child.type not in _GROUPS:
                found.append(child)
            else:
                stack.append(child)
    return sorted(found, key=lambda node: node.start_byte)


def _indent(source: bytes, line_start: int) -> int:
    line = source[line_start : _line_end(source, line_start)]
    return len(line) - len(line.lstrip(b" \t"))


def _line_end(source: bytes, offset: int) -> int:
    end = source.find(b"\n", offset)
    return len(source) if end < 0 else end


def _next_code_line(source: bytes, comment: Node) -> tuple[int, int] | None:
    """``(start offset, row)`` of the first line after ``comment`` that is not
    only a ``//`` comment (a blank line counts); ``None`` at the end of the file."""
    row = comment.end_point[0]
    position = _line_end(source, comment.end_byte)
    while position < len(source):
        position += 1
        row += 1
        end = _line_end(source, position)
        if not source[position:end].lstrip().startswith(b"//"):
            return position, row
        position = end
    return None
