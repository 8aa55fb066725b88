"""The sites of a struct field in one file: its uses and its declarations.

A *site* of the field ``NAME`` (see :mod:`codemod.rules.extensions.fields`)
is a selector expression ``x.NAME``, a keyed element ``NAME: value`` of a
composite literal, or a ``field_declaration`` that declares ``NAME``. A
file's sites are found from the name's occurrences in its bytes and kept by
the file's content, as offsets, so the files of a package share them across
passes and recipes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from codemod.golang.lexer import WORD_BYTES
from codemod.syntax import memory
from codemod.syntax.tree import IDENTIFIER_KINDS

USES, DECLARATIONS = "uses", "declarations"
_SITE_KINDS = frozenset({"selector_expression", "keyed_element", "field_declaration"})


def node_text(node: Node | None) -> str:
    return (node.text or b"").decode("utf-8", errors="replace") if node is not None else ""


def field_names(node: Node) -> tuple[str, ...]:
    """The field names a site stands for (a declaration may declare several)."""
    if node.type == "field_declaration":
        return tuple(node_text(name) for name in node.children_by_field_name("name"))
    if node.type == "selector_expression":
        return (node_text(node.child_by_field_name("field")),)
    if node.type == "keyed_element":
        key = node.child_by_field_name("key")
        named = key.named_children if key is not None else []
        if len(named) == 1 and named[0].type in IDENTIFIER_KINDS:
            return (node_text(named[0]),)
    return ()


def as_site_node(node: Node | None) -> Node | None:
    """The declaration, selector or keyed element a subject node belongs to."""
    if node is None or node.type in _SITE_KINDS:
        return node
    parent = node.parent
    if node.type in IDENTIFIER_KINDS and parent is not None:
        if parent.type == "field_declaration" or (
            parent.type == "selector_expression" and parent.child_by_field_name("field") == node
        ):
            return parent
        element = parent.parent if parent.type == "literal_element" else None
        if element is not None and element.type == "keyed_element" and element.child_by_field_name("key") == parent:
            return element
    return None


def declaring_owner(declaration: Node) -> str | None:
    """``T`` for a field declared directly in ``type T struct{...}``, else None."""
    struct = declaration.parent.parent if declaration.parent is not None else None
    type_spec = struct.parent if struct is not None else None
    if struct is None or struct.type != "struct_type" or type_spec is None or type_spec.type != "type_spec":
        return None
    return node_text(type_spec.child_by_field_name("name"))


@dataclass(frozen=True)
class SiteEntry:
    """A site of one file, by offsets, so it can be remembered across passes and files."""

    kind: str
    start: int
    end: int
    node_kind: str
    names: tuple[str, ...]
    declaring_owner: str | None


@dataclass(frozen=True)
class FileSites:
    """The sites of one field name in one file, and the struct types there that declare it directly."""

    uses: tuple[SiteEntry, ...]
    declarations: tuple[SiteEntry, ...]
    owners: frozenset[str]

    def of_kind(self, kind: str) -> tuple[SiteEntry, ...]:
        return self.uses if kind == USES else self.declarations


_FILE_SITES: dict[tuple[bytes, str], FileSites] = {}
_FILE_SITES_LIMIT = 4096
memory.on_release(_FILE_SITES.clear)  # sites are shared by the files of one package only


def file_sites(root: Node, name: str) -> FileSites:
    """The sites of the field ``name`` in a file, remembered by the file's content across passes and files.

    A site's name is an identifier of the file, so the sites are found from
    the name's occurrences in the bytes (each looked up in the tree), not
    from a walk over every selector of the file.
    """
    text = root.text or b""
    key = (hashlib.blake2b(text, digest_size=16).digest() + root.start_byte.to_bytes(4, "little"), name)
    sites = _FILE_SITES.get(key)
    if sites is None:
        found: dict[tuple[int, int, str], SiteEntry] = {}
        for node in _identifiers_named(root, text, name.encode()):
            site = as_site_node(node)
            if site is None or name not in (names := field_names(site)):
                continue
            declaration = site.type == "field_declaration"
            kind = DECLARATIONS if declaration else USES
            owner = declaring_owner(site) if declaration else None
            found[site.start_byte, -site.end_byte, site.type] = SiteEntry(
                kind, site.start_byte, site.end_byte, site.type, names, owner
            )
        entries = [found[position] for position in sorted(found)]
        sites = FileSites(
            tuple(entry for entry in entries if entry.kind == USES),
            tuple(entry for entry in entries if entry.kind == DECLARATIONS),
            frozenset(entry.declaring_owner for entry in entries if entry.declaring_owner is not None),
        )
        if len(_FILE_SITES) >= _FILE_SITES_LIMIT:
            _FILE_SITES.pop(next(iter(_FILE_SITES)))
        _FILE_SITES[key] = sites
    return sites


def _identifiers_named(root: Node, text: bytes, name: bytes) -> Iterator[Node]:
    """The identifier nodes spelled ``name`` (found by a byte search: words in comments and strings are not nodes)."""
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        if (at == 0 or text[at - 1] not in WORD_BYTES) and (end == len(text) or text[end] not in WORD_BYTES):
            start = root.start_byte + at
            node = root.named_descendant_for_byte_range(start, start + len(name))
            if (
                node is not None
                and node.type in IDENTIFIER_KINDS
                and (node.start_byte, node.end_byte) == (start, start + len(name))
            ):
                yield node
        at = text.find(name, at + 1)


def site_node(root: Node, entry: SiteEntry) -> Node:
    node = root.descendant_for_byte_range(entry.start, entry.end)
    while node is not None and (node.type, node.start_byte, node.end_byte) != (entry.node_kind, entry.start, entry.end):
        node = node.parent
    assert node is not None, "a remembered site must exist in its file"
    return node
