"""Import management: a post-pass that adds needed imports and drops unused ones.

A fix says which packages its new code needs (``add``) and which packages its
removed code may have been the last user of (``remove_if_unused``);
:func:`fix_imports` turns that into byte edits of the import declarations, the
way goimports lays them out: standard library first, sorted within groups
separated by blank lines, one spec per line in parenthesised blocks. Dot and
blank imports are never touched, aliases are respected, comments stay with
their specs, CRLF line endings and a BOM are preserved, and every byte outside
the import declarations stays as it was. Output is gofmt-clean when the input
was.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from tree_sitter import Node, Tree

from codemod.golang import resolution, scope
from codemod.golang.scope import default_package_name
from codemod.syntax.tree import indentation_at, parse

__all__ = [
    "ImportInfo",
    "default_package_name",
    "fix_imports",
    "is_standard_library",
    "imports_of",
    "local_name",
    "package_references",
]

_UNNAMEABLE = (".", "_")


@dataclass(frozen=True)
class ImportInfo:
    """One import spec: its path, explicit name (alias, "." or "_") and byte range."""

    path: str
    name: str | None
    start: int
    end: int


def _specs(tree: Tree) -> Iterator[Node]:
    for declaration in _import_declarations(tree):
        for child in declaration.named_children:
            if child.type == "import_spec":
                yield child
            elif child.type == "import_spec_list":
                yield from (c for c in child.named_children if c.type == "import_spec")


def _import_declarations(tree: Tree) -> list[Node]:
    return [c for c in tree.root_node.named_children if c.type == "import_declaration"]


def _info(spec: Node) -> ImportInfo:
    name = spec.child_by_field_name("name")
    path = spec.child_by_field_name("path")
    path_text = path.text[1:-1].decode("utf-8", errors="replace") if path and path.text else ""
    name_text = name.text.decode("utf-8", errors="replace") if name and name.text else None
    return ImportInfo(path_text, name_text, spec.start_byte, spec.end_byte)


def imports_of(tree: Tree) -> list[ImportInfo]:
    """Every import spec of the file, in source order."""
    return [_info(spec) for spec in _specs(tree)]


def local_name(tree: Tree, path: str) -> str | None:
    """The identifier this file uses for package ``path``; None if it has none."""
    for info in imports_of(tree):
        if info.path == path and info.name not in _UNNAMEABLE:
            return info.name or default_package_name(path)
    return None


def package_references(tree: Tree, name: str) -> int:
    """Qualified references ``name.X`` whose ``name`` is not a local variable."""
    return _qualified_reference_counts(tree, {name})[name]


def _qualified_reference_counts(tree: Tree, names: set[str]) -> dict[str, int]:
    """For each name, its unshadowed uses as a package qualifier (found from the name's bytes, not a walk)."""
    counts = dict.fromkeys(names, 0)
    resolver = resolution.Resolver()
    for name in names:
        for qualifier in resolution.named_leaves(tree.root_node, name.encode(), _QUALIFIER_KINDS):
            parent = qualifier.parent
            field = _QUALIFIER_FIELDS.get(parent.type) if parent is not None else None
            if field is None or parent is None or parent.child_by_field_name(field) != qualifier:
                continue
            if resolver.is_package_level(qualifier):
                counts[name] += 1
    return counts


# A package qualifier is a name, found from its bytes (resolution.named_leaves), that is
# the operand of a selector (fmt.Println) or the package of a qualified type (sync.Mutex).
_QUALIFIER_KINDS = frozenset({"identifier", "package_identifier"})
_QUALIFIER_FIELDS = {"selector_expression": "operand", "qualified_type": "package"}


def is_standard_library(path: str) -> bool:
    """Standard-library paths have no dot in their first element."""
    return "." not in path.split("/", 1)[0]


def fix_imports(source: bytes, add: Sequence[str] = (), remove_if_unused: Sequence[str] = ()) -> bytes:
    """Drop imports of ``remove_if_unused`` nobody refers to, then add ``add``."""
    if remove_if_unused:
        source = _remove_unused(source, set(remove_if_unused))
    tree = None
    for path in add:
        if tree is None:
            tree = parse(source)
        if local_name(tree, path) is None:
            source = _add(source, tree, path)
            tree = None  # parsed again only if another path is to be added
    return source


# --- lines -------------------------------------------------------------------


class _Lines:
    """Line arithmetic over a source, aware of its line ending."""

    def __init__(self, source: bytes):
        self.source = source
        first = source.find(b"\n")
        self.newline = b"\r\n" if first > 0 and source[first - 1 : first] == b"\r" else b"\n"

    def start(self, offset: int) -> int:
        return self.source.rfind(b"\n", 0, offset) + 1

    def after(self, offset: int) -> int:
        """Offset just past the newline ending the line holding ``offset``."""
        end = self.source.find(b"\n", offset)
        return len(self.source) if end < 0 else end + 1

    def content(self, line_start: int) -> bytes:
        return self.source[line_start : self.after(line_start)].strip()

    def previous(self, line_start: int) -> int | None:
        return None if line_start == 0 else self.start(line_start - 1)

    def alone(self, start: int, end: int) -> bool:
        """Only whitespace or comments share the lines of ``start`` and ``end``."""
        before = self.source[self.start(start) : start].strip()
        after = self.source[end : self.after(end)].strip()
        before_ok = not before or (before.startswith(b"/*") and _is_comment(before))
        return before_ok and (not after or _is_comment(after))

    def is_comment_line(self, line_start: int) -> bool:
        return _is_comment(self.content(line_start))


def _is_comment(text: bytes) -> bool:
    return text.startswith(b"//") or (text.startswith(b"/*") and text.endswith(b"*/"))


def _splice(source: bytes, start: int, end: int, text: bytes) -> bytes:
    return source[:start] + text + source[end:]


# --- removing ----------------------------------------------------------------


def _remove_unused(source: bytes, paths: set[str]) -> bytes:
    """Remove unused imports of ``paths`` one at a time (each removal re-parses)."""
    while True:
        tree = parse(source)
        candidates = [
            (spec, info.name or default_package_name(info.path))
            for spec in _specs(tree)
            if (info := _info(spec)).path in paths and info.name not in _UNNAMEABLE
        ]
        counts = _qualified_reference_counts(tree, {name for _, name in candidates})
        unused = [spec for spec, name in candidates if counts[name] == 0]
        if not unused:
            return source
        source = _remove_spec(source, unused[0])


def _remove_spec(source: bytes, spec: Node) -> bytes:
    lines = _Lines(source)
    container = spec.parent
    assert container is not None
    siblings = [c for c in container.named_children if c.type == "import_spec"]
    target = spec if container.type == "import_spec_list" and len(siblings) > 1 else None
    if target is None:  # the declaration's last spec: the declaration goes
        target = container.parent if container.type == "import_spec_list" else container
        assert target is not None
    if not lines.alone(target.start_byte, target.end_byte):
        end = target.end_byte
        while source[end : end + 1] in (b" ", b"\t", b";"):
            end += 1
        return _splice(source, target.start_byte, end, b"")
    start = lines.start(target.start_byte)
    return _close_blank_gap(_splice(source, start, lines.after(target.end_byte), b""), start)


def _close_blank_gap(source: bytes, at: int) -> bytes:
    """After removing whole lines at ``at``: no doubled, leading or trailing blank line."""
    lines = _Lines(source)
    previous = lines.previous(at)
    if previous is None:
        return source
    before, after = lines.content(previous), lines.content(at)
    at_end = at >= len(source)
    if before == b"" and (at_end or after.startswith(b")")):
        return _splice(source, previous, at, b"")
    if not at_end and after == b"" and (before == b"" or before.endswith(b"(")):
        return _splice(source, at, lines.after(at), b"")
    return source


# --- adding ------------------------------------------------------------------


def _add(source: bytes, tree: Tree, path: str) -> bytes:
    """Import ``path``, which ``tree`` (the tree of ``source``) does not import yet."""
    declarations = [d for d in _import_declarations(tree) if not _imports_cgo(d)]
    for declaration in declarations:
        children = declaration.named_children
        spec_list = next((c for c in children if c.type == "import_spec_list"), None)
        if spec_list is not None:
            return _insert_into_block(source, spec_list, path)
    if declarations:
        return _convert_to_block(source, declarations[0], path)
    return _new_declaration(source, tree, path)


def _imports_cgo(declaration: Node) -> bool:
    """``import "C"`` carries its preamble comment: never merge into it."""
    return any(spec.type == "import_spec" and _info(spec).path == "C" for spec in scope.walk(declaration))


def _quoted(path: str) -> bytes:
    return b'"' + path.encode() + b'"'


def _groups(lines: _Lines, specs: list[Node]) -> list[list[Node]]:
    """Specs split where a blank line separates them."""
    groups: list[list[Node]] = []
    for spec in specs:
        if groups:
            gap = lines.after(groups[-1][-1].end_byte)
            between = lines.source[gap : lines.start(spec.start_byte)]
            if all(line.strip() != b"" for line in between.split(b"\n")[:-1]):
                groups[-1].append(spec)
                continue
        groups.append([spec])
    return groups


def _well_laid_out(lines: _Lines, spec_list: Node, specs: list[Node]) -> bool:
    """One spec per line, ``(`` ending its line, ``)`` alone on its line."""
    close = spec_list.children[-1]
    open_rest = lines.source[spec_list.start_byte + 1 : lines.after(spec_list.start_byte)].strip()
    return (
        close.type == ")"
        and not lines.source[lines.start(close.start_byte) : close.start_byte].strip()
        and (not open_rest or open_rest.startswith(b"//"))
        and all(lines.alone(spec.start_byte, spec.end_byte) for spec in specs)
        and len({lines.start(spec.start_byte) for spec in specs}) == len(specs)
    )


def _insert_into_block(source: bytes, spec_list: Node, path: str) -> bytes:
    lines = _Lines(source)
    nl = lines.newline
    specs = [c for c in spec_list.named_children if c.type == "import_spec"]
    close = spec_list.children[-1]
    if not specs:
        at = lines.start(close.start_byte)
        if close.type == ")" and not source[at : close.start_byte].strip():
            return _splice(source, at, at, b"\t" + _quoted(path) + nl)
        block = b"(" + nl + b"\t" + _quoted(path) + nl + b")"
        return _splice(source, spec_list.start_byte, spec_list.end_byte, block)
    if not _well_laid_out(lines, spec_list, specs):  # not gofmt's layout: stay valid Go
        return _splice(source, specs[0].start_byte, specs[0].start_byte, _quoted(path) + b"; ")
    groups = _groups(lines, specs)
    group = _target_group(groups, path)
    line = _quoted(path) + nl
    if group is None:  # a new group: first for the standard library, else last
        if is_standard_library(path):
            at = _start_with_comments(lines, groups[0][0])
            return _splice(source, at, at, _indent(lines, groups[0][0]) + line + nl)
        at = lines.after(groups[-1][-1].end_byte)
        return _splice(source, at, at, nl + _indent(lines, groups[-1][-1]) + line)
    for spec in group:  # gofmt order: by path, then name ("" first)
        info = _info(spec)
        if (info.path, info.name or "") > (path, ""):
            at = _start_with_comments(lines, spec)
            return _splice(source, at, at, _indent(lines, spec) + line)
    at = lines.after(group[-1].end_byte)
    return _splice(source, at, at, _indent(lines, group[-1]) + line)


def _target_group(groups: list[list[Node]], path: str) -> list[Node] | None:
    """Standard library: the first all-standard group, else the first with any.
    Others: the last group holding a non-standard path. None: start a group."""

    def standard(spec: Node) -> bool:
        return is_standard_library(_info(spec).path)

    if is_standard_library(path):
        return next((g for g in groups if all(map(standard, g))), None) or next(
            (g for g in groups if any(map(standard, g))), None
        )
    return next((g for g in reversed(groups) if not all(map(standard, g))), None)


def _indent(lines: _Lines, spec: Node) -> bytes:
    return indentation_at(lines.source, spec.start_byte)


def _start_with_comments(lines: _Lines, spec: Node) -> int:
    """Start of the spec's line, moved up over comment lines directly above it."""
    at = lines.start(spec.start_byte)
    while (previous := lines.previous(at)) is not None and lines.is_comment_line(previous):
        at = previous
    return at


def _convert_to_block(source: bytes, declaration: Node, path: str) -> bytes:
    """``import "fmt"`` becomes ``import (\\n\\t"fmt"\\n\\t"sync"\\n)``."""
    lines = _Lines(source)
    nl = lines.newline
    spec = next(c for c in declaration.named_children if c.type == "import_spec")
    existing_end = declaration.end_byte
    if lines.alone(declaration.start_byte, declaration.end_byte):  # take a trailing comment along
        existing_end = lines.after(declaration.end_byte)
        existing_end -= len(nl) if source[:existing_end].endswith(nl) else 0
    existing = source[spec.start_byte : existing_end].rstrip()
    added = _quoted(path)
    old_path = _info(spec).path
    if is_standard_library(old_path) != is_standard_library(path):
        standard_first = is_standard_library(old_path)
        ordered = [existing, b"", added] if standard_first else [added, b"", existing]
    else:
        in_order = (old_path, _info(spec).name or "") <= (path, "")
        ordered = [existing, added] if in_order else [added, existing]
    body = nl.join(b"\t" + entry if entry else b"" for entry in ordered)
    block = b"import (" + nl + body + nl + b")"
    return _splice(source, declaration.start_byte, existing_end, block)


def _new_declaration(source: bytes, tree: Tree, path: str) -> bytes:
    """A file without (mergeable) imports gets one after the package clause or cgo import."""
    lines = _Lines(source)
    nl = lines.newline
    anchors = _import_declarations(tree) or [c for c in tree.root_node.named_children if c.type == "package_clause"]
    if not anchors:
        return source
    at = lines.after(anchors[-1].end_byte)
    prefix = nl if not source[:at].endswith(b"\n") else b""
    suffix = nl if at < len(source) and lines.content(at) != b"" else b""
    text = prefix + nl + b"import " + _quoted(path) + nl + suffix
    return _splice(source, at, at, text)
