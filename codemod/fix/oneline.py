"""A block body written on one line stays on one line, as go fix keeps it.

``go func() { ready.Done(); <-ch; done.Done() }()`` becomes
``done.Go(func() { ready.Done(); <-ch })``: go fix edits text and keeps the
layout it does not touch, and gofmt accepts a one-line function body. A
template renders ``$$$BODY`` one statement per line; when the code the fix
replaces was on one line and X's statements filled a block written on one
line, :func:`keep_on_one_line` joins a block of the template whose only line
is that ``$$$X`` back onto the line that opens it, with X's code as it was
written (its ``;`` separators included). Not when X's code holds a comment
(a line comment would swallow the closing brace).
"""

from __future__ import annotations

from typing import Protocol

from tree_sitter import Node


class _Captured(Protocol):
    text: str
    inline: bool


def fills_one_line_block(nodes: tuple[Node, ...]) -> bool:
    """The statements ``nodes`` are those of a block written on one line (``{ a(); b() }``)."""
    parent = nodes[0].parent if nodes else None
    block = parent.parent if parent is not None and parent.type == "statement_list" else parent
    return block is not None and block.type == "block" and block.start_point[0] == block.end_point[0]


def one_line_code(line: str, name: str, capture: _Captured) -> str | None:
    """The code of ``$$$name`` when it stands alone on the template ``line`` and may stay on one line."""
    if not capture.inline or line.strip() != f"$$${name}":
        return None
    text = capture.text.strip()
    if not text or "\n" in text or "//" in text or "/*" in text:
        return None
    return text


def keep_on_one_line(
    entries: list[str], one_line: dict[int, tuple[str, str]], where: dict[str, tuple[int, int]]
) -> list[str]:
    """``entries`` (rendered template lines, some holding several lines) with each entry of ``one_line``
    (index -> (code, name)) joined onto the entry before it when that opens a block and the entry
    after it closes the block (``{`` / ``}``); ``where`` (name -> first and last line) follows."""
    out: list[str] = []
    joined: set[str] = set()
    moved: list[tuple[int, int]] = []  # (first old line after a join, lines removed so far)
    old_line = removed = 0
    index = 0
    while index < len(entries):
        entry = entries[index]
        code_name = one_line.get(index)
        closing = entries[index + 1] if index + 1 < len(entries) else None
        if code_name and out and out[-1].endswith("{") and closing is not None and closing.lstrip().startswith("}"):
            code, name = code_name
            joined_at = old_line - 1 - removed  # the line that opens the block, in the new numbering
            out[-1] += f" {code} {closing.lstrip()}"
            where[name] = (joined_at, joined_at)
            joined.add(name)
            span = entry.count("\n") + 1 + 1  # the body's lines and the closing line's first
            old_line += span + closing.count("\n")
            removed += span
            moved.append((old_line, removed))
            index += 2
            continue
        out.append(entry)
        old_line += entry.count("\n") + 1
        index += 1
    if moved:
        for name, (first, last) in list(where.items()):
            if name not in joined:
                where[name] = (_shift(first, moved), _shift(last, moved))
    return out


def _shift(line: int, moved: list[tuple[int, int]]) -> int:
    shift = 0
    for after, removed in moved:
        if line >= after:
            shift = removed
    return line - shift
