"""Comments in the region a fix replaces: which are kept, and where they land in the new text.

A template rewrites a region, and the comments inside it that no metavariable
the template uses carries would be lost. The engine's rule, for every recipe:

* an own-line comment between the statements of a replaced run goes above the
  new text; one inside a statement stays, in order, before the code that followed it: the
  value of the metavariable that starts there. When that code is deleted (a
  statement no used metavariable holds), the comment moves on to the code
  after it; before code the template rewrites (a statement holding a used
  metavariable) it goes above the new text; at the end of a construct (a
  closing brace) it follows the value before it;
* a comment trailing a line stays on that line when the line survives the
  rewrite: a line that opens (``go func() { // why``) or closes a construct
  around a kept value ends the new line before (or after) that value;
* a comment trailing a statement the fix deletes goes with it, as go fix does,
  and so does an inline comment (code follows it on its line) that no kept
  value holds, as gofmt -r drops it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tree_sitter import Node

from codemod.syntax.tree import COMMENT_KIND

_STATEMENT_HOLDERS = frozenset({"block", "statement_list", "source_file"})


@dataclass(frozen=True)
class Placement:
    """Where one kept comment goes: ``before``/``after`` a metavariable's value, or ``top`` of the text."""

    text: str
    where: str  # "before" | "after" the value, "with" its last line (trailing), or "top" of the text
    name: str | None
    trailing: bool  # appended to a line rather than a line of its own
    depth: str = ""  # the comment's own indentation in the source


def loose_comments(nodes: tuple[Node, ...], used: Iterable[tuple[int, int]]) -> list[Node]:
    """The comments inside the replaced nodes that no used metavariable's value carries, in order."""
    spans = list(used)
    found: list[Node] = []
    stack = list(reversed(_region_nodes(nodes)))
    while stack:
        node = stack.pop()
        if node.type == COMMENT_KIND:
            if not any(start <= node.start_byte < end for start, end in spans):
                found.append(node)
            continue
        if any(start <= node.start_byte and node.end_byte <= end for start, end in spans):
            continue  # carried whole by a value
        stack.extend(reversed(node.children))
    return found


def _region_nodes(nodes: tuple[Node, ...]) -> list[Node]:
    """The replaced nodes and what stands between them (the comments between a run's statements)."""
    parent = nodes[0].parent
    if len(nodes) < 2 or parent is None:
        return list(nodes)
    low, high = nodes[0].start_byte, nodes[-1].end_byte
    return [child for child in parent.children if low <= child.start_byte and child.end_byte <= high]


def placements(
    comments: list[Node], source: bytes, nodes: tuple[Node, ...], spans: Mapping[str, tuple[int, int]]
) -> list[Placement]:
    """Where each loose comment goes (comments that go with deleted code are left out)."""
    ordered = sorted(spans.items(), key=lambda item: item[1])
    region = (nodes[0].start_byte, nodes[-1].end_byte)
    out = []
    for comment in comments:
        text = source[comment.start_byte : comment.end_byte].decode("utf-8", errors="replace")
        if _starts_line(source, comment.start_byte):
            if len(nodes) > 1 and comment.parent == nodes[0].parent:
                out.append(Placement(text, "top", None, False))  # between the statements of a replaced run
                continue
            where, name = _own_line_anchor(comment, source, region, ordered)
            line_start = source.rfind(b"\n", 0, comment.start_byte) + 1
            depth = source[line_start : comment.start_byte].decode("utf-8", errors="replace")
            out.append(Placement(text, where, name, False, depth))
            continue
        line_end = source.find(b"\n", comment.end_byte)
        if source[comment.end_byte : len(source) if line_end < 0 else line_end].strip():
            continue  # an inline comment inside rewritten code goes with it, as gofmt -r drops it
        anchor = _trailing_anchor(comment, source, ordered)
        if anchor is not None:
            out.append(Placement(text, anchor[0], anchor[1], True))
    return out


def place(lines: list[str], where: Mapping[str, tuple[int, int]], kept: list[Placement], indent: str) -> str:
    """The text of ``lines`` with the kept comments inserted (own lines) or appended (trailing);
    comments for the top go above the first line, which lands after an existing ``indent``."""
    before: dict[int, list[str]] = {}
    after: dict[int, list[Placement]] = {}
    ends: dict[int, list[str]] = {}
    top: list[str] = []
    for item in kept:
        position = where.get(item.name or "") if item.name else None
        if item.where == "top" or position is None:
            top.append(item.text)
        elif item.trailing:
            target = {"before": position[0] - 1, "with": position[1]}.get(item.where, position[1] + 1)
            if 0 <= target < len(lines):
                ends.setdefault(target, []).append(item.text)
            else:
                top.append(item.text)
        elif item.where == "before":
            before.setdefault(position[0], []).append(item.text)
        else:
            after.setdefault(position[1], []).append(item)
    out: list[str] = []
    for index, line in enumerate(lines):
        depth = _indent_of(line) if line.strip() else _indent_of(lines[index - 1]) if index else ""
        out += [depth + text for text in before.pop(index, [])]
        out.append(line + "".join(" " + text for text in ends.get(index, [])))
        out += [item.depth + item.text for item in after.get(index, [])]
    for texts in before.values():  # past the last line: an empty value at the end
        out += [(_indent_of(lines[-1]) if lines else "") + text for text in texts]
    return "".join(text + "\n" + indent for text in top) + "\n".join(out)


def _own_line_anchor(
    comment: Node, source: bytes, region: tuple[int, int], spans: list[tuple[str, tuple[int, int]]]
) -> tuple[str, str | None]:
    position = comment.end_byte
    root = _root(comment)
    while True:
        code = _next_code(source, position, region[1])
        if code is None:
            return _after_last(comment.start_byte, spans)
        for name, (start, end) in spans:
            if start <= code < end:
                return "before", name
        node = _outermost_starting_at(root.descendant_for_byte_range(code, code + 1) or root, code, region)
        if not node.is_named:  # a closing brace or parenthesis: the end of a construct
            return _after_last(comment.start_byte, spans)
        if any(node.start_byte <= start and end <= node.end_byte for _, (start, end) in spans):
            return "top", None  # code the template rewrites
        position = node.end_byte  # deleted code: the comment moves on


def _trailing_anchor(comment: Node, source: bytes, spans: list[tuple[str, tuple[int, int]]]) -> tuple[str, str] | None:
    line_start = source.rfind(b"\n", 0, comment.start_byte) + 1
    for name, (_, end) in spans:
        closing = source[end : comment.start_byte]
        if line_start < end <= comment.start_byte and not closing.strip(b" \t)]},;"):
            return "with", name  # trails a kept value's last line
    code = len(source[: comment.start_byte].rstrip()) - 1
    root = _root(comment)
    statement = _statement_at(root.descendant_for_byte_range(code, code + 1) or root)
    row = comment.start_point[0]
    if statement.start_point[0] == row and statement.end_point[0] > row:  # opens a construct
        following = [name for name, (start, _) in spans if start > comment.end_byte]
        return ("before", following[0]) if following else None
    if statement.end_point[0] == row and statement.start_point[0] < row:  # closes one
        preceding = [name for name, (_, end) in spans if end <= comment.start_byte]
        return ("after", preceding[-1]) if preceding else None
    return None  # a statement on one line the fix deletes: the comment goes with it


def _statement_at(node: Node) -> Node:
    """The statement (a child of a block or file) that holds ``node``."""
    while node.parent is not None and (not node.is_named or node.parent.type not in _STATEMENT_HOLDERS):
        node = node.parent
    return node


def _root(node: Node) -> Node:
    while node.parent is not None:
        node = node.parent
    return node


def _after_last(offset: int, spans: list[tuple[str, tuple[int, int]]]) -> tuple[str, str | None]:
    preceding = [name for name, (_, end) in spans if end <= offset]
    return ("after", preceding[-1]) if preceding else ("top", None)


def _next_code(source: bytes, position: int, limit: int) -> int | None:
    """The offset of the next byte of code (not blank, not a comment) before ``limit``."""
    while position < limit:
        byte = source[position : position + 1]
        if byte in (b" ", b"\t", b"\r", b"\n", b";"):
            position += 1
        elif source.startswith(b"//", position):
            newline = source.find(b"\n", position)
            position = limit if newline < 0 else newline
        elif source.startswith(b"/*", position):
            close = source.find(b"*/", position + 2)
            position = limit if close < 0 else close + 2
        else:
            return position
    return None


def _outermost_starting_at(node: Node, offset: int, region: tuple[int, int]) -> Node:
    while (
        node.parent is not None
        and node.parent.start_byte == offset
        and node.parent.end_byte <= region[1]
        and node.parent.type not in _STATEMENT_HOLDERS
    ):
        node = node.parent
    return node


def _starts_line(source: bytes, offset: int) -> bool:
    line_start = source.rfind(b"\n", 0, offset) + 1
    return not source[line_start:offset].strip()


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip("\t "))]
