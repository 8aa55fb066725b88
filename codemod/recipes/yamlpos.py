"""YAML with positions: plain Python values plus where each key and value stands.

PyYAML's composer keeps a mark on every node; this module turns each
document into ordinary dicts/lists/scalars and a table from key paths to
(line, column), so any later error can name ``file:line:column``. For a
pattern string, an offset inside the scalar is mapped to its own line and
column (plain, quoted and block scalars alike).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from codemod.errors import LocatedMessage, Location
from codemod.recipes.yamlguard import shape_problem


@dataclass
class PositionedDocument:
    path: Path
    value: Any
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)  # 0-based
    scalars: dict[tuple, yaml.ScalarNode] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    start: tuple[int, int] = (0, 0)

    def location(self, key_path: tuple, offset: int | None = None) -> Location:
        """The location of a key path (longest known prefix), 1-based."""
        path = tuple(key_path)
        while path and path not in self.positions:
            path = path[:-1]
        line, column = self.positions.get(path, self.start)
        scalar = self.scalars.get(path)
        if offset is not None and scalar is not None:
            line, column = _offset_in_scalar(scalar, offset, self.lines)
        return Location(str(self.path), line + 1, column + 1)


def _offset_in_scalar(node: yaml.ScalarNode, offset: int, lines: list[str]) -> tuple[int, int]:
    """Map a character offset in a scalar's value to a (line, column) in the file."""
    line, column = node.start_mark.line, node.start_mark.column
    if node.style in ("|", ">"):
        line += 1
        body = lines[line] if line < len(lines) else ""
        indent = len(body) - len(body.lstrip(" "))
        value_lines = node.value.split("\n")
        remaining = offset
        for index, text in enumerate(value_lines):
            if remaining <= len(text):
                return line + index, indent + remaining
            remaining -= len(text) + 1
        return line, indent
    if node.style in ("'", '"'):
        column += 1
    before = node.value[:offset]
    extra_lines = before.count("\n")
    if extra_lines:
        target = line + extra_lines
        text = lines[target] if target < len(lines) else ""
        return target, len(text) - len(text.lstrip(" ")) + len(before.rsplit("\n", 1)[1])
    return line, column + offset


def _convert(node: yaml.Node, path: tuple, doc: PositionedDocument, problems: list[LocatedMessage]) -> Any:
    doc.positions[path] = (node.start_mark.line, node.start_mark.column)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            where = Location(str(doc.path), key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(LocatedMessage(where, "a mapping key must be a plain value, not a list or mapping"))
                continue
            key = _scalar(key_node)
            if key in out:
                problems.append(LocatedMessage(where, f"duplicate key {key!r}"))
            out[key] = _convert(value_node, path + (key,), doc, problems)
            doc.positions[path + (key,)] = (key_node.start_mark.line, key_node.start_mark.column)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, path + (index,), doc, problems) for index, item in enumerate(node.value)]
    doc.scalars[path] = node
    return _scalar(node)


_LOADER: yaml.SafeLoader | None = None


def _loader() -> yaml.SafeLoader:
    global _LOADER
    if _LOADER is None:
        _LOADER = yaml.SafeLoader("")
    return _LOADER


def _scalar(node: yaml.ScalarNode) -> Any:
    return _loader().construct_scalar(node) if node.style else _loader().construct_object(node)


def read_utf8(path: Path, problems: list[LocatedMessage], what: str) -> str | None:
    """The text of ``path``; None, with a located problem added, when it cannot
    be read or is not UTF-8 (located at the first bad byte)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.append(LocatedMessage(Location(str(path), 1, 1), f"cannot read {what}: {error.strerror or error}"))
        return None
    return decode_utf8(data, path, problems, what)


def decode_utf8(data: bytes, path: Path, problems: list[LocatedMessage], what: str) -> str | None:
    """``data`` (the bytes of ``path``) as text; None, with a problem located at the first bad byte, if not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        column = len(data[line_start : error.start].decode("utf-8", "replace")) + 1
        where = Location(str(path), data.count(b"\n", 0, error.start) + 1, column)
        problems.append(LocatedMessage(where, f"{what} is not UTF-8 text (byte 0x{data[error.start]:02x})"))
        return None


def _compose_all(text: str) -> Iterator[yaml.Node | None]:
    """The documents' node trees: composed by libyaml when PyYAML has it, and
    only valid, printable text; otherwise (or to report an error) by the pure
    Python composer, whose messages and marks errors are reported with."""
    if _C_LOADER is not None and not yaml.reader.Reader.NON_PRINTABLE.search(text):
        try:
            return iter(list(yaml.compose_all(text, Loader=_C_LOADER)))
        except yaml.YAMLError:
            pass
    return yaml.compose_all(text, Loader=yaml.SafeLoader)


_C_LOADER = getattr(yaml, "CSafeLoader", None)


def load_documents(path: Path, problems: list[LocatedMessage], text: str | None = None) -> list[PositionedDocument]:
    """Parse every document of a YAML file; syntax errors are added to ``problems``."""
    if text is None:
        text = read_utf8(path, problems, "recipe file")
        if text is None:
            return []
    shape = shape_problem(text, path)
    if shape is not None:
        problems.append(shape)
        return []
    lines = text.split("\n")
    documents: list[PositionedDocument] = []
    try:
        for node in _compose_all(text):
            doc = PositionedDocument(path, None, lines=lines)
            if node is not None:
                doc.start = (node.start_mark.line, node.start_mark.column)
                doc.value = _convert(node, (), doc, problems)
            documents.append(doc)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        reason = getattr(error, "problem", None) or str(error)
        problems.append(LocatedMessage(Location(str(path), line, column), f"invalid YAML: {reason}"))
    return documents
