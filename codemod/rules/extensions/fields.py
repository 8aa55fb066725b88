"""Field facts as rule keys: every use or declaration of a struct field in the package.

Without type information a struct field can still be followed: an unexported
field is reachable only from its own package, and only through a selector
(``x.mu``) or the key of a composite literal (``T{mu: ...}``). Two keys
collect those *sites* across every file of the package directory (this file
and ``ctx.package_roots()``) and test a nested rule on each:

``field-uses``          each selector expression ``x.NAME`` and each keyed
                        element ``NAME: value`` of a composite literal;
``field-declarations``  each ``field_declaration`` that declares ``NAME``.

Both take ``of`` (a metavariable; default: the rule's target) naming the
subject: a field declaration, a selector expression, a keyed element, or the
field's identifier inside one of them. Quantifiers, as for ``references``:
``all`` (every site matches), ``any`` (some site does), ``none`` (no site
does) and ``count`` (a number or ``{min, max}`` of sites).

Sites are told apart by their *owner*, the struct type that declares the
field, when the syntax shows it: a declaration in ``type T struct{...}`` is
owned by ``T``; a use ``x.NAME`` by ``T`` when ``x`` is declared as a ``T`` or
``*T`` (receiver, parameter, ``var x T``, ``x := &T{...}``, ``x := new(T)``)
and ``T`` itself declares ``NAME`` (so promoted fields stay unknown); a keyed
element by its literal's type. A site whose owner is unknown may be any
field of that name, so it is related to all of them: the answers err on the
side of caution. Two uses are related unless both owners are known and
differ; two declarations are related when their owners are equal.

The nested rule is evaluated in the site's own file and starts with no
bindings (a site is other code than the match); its bindings are dropped.
That makes each answer a package-wide fact, computed once per pass and kept
in ``ctx.memo`` under the site's tree and offsets: the engine shares one memo
among the files of a package while each is still its original bytes, so a
fact is computed once for the package, not once per file. A nested rule
that asks the same question again is a cycle and raises an error rather
than answering wrongly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tree_sitter import Node

from codemod.golang.lexer import WORD_BYTES, may_hold_field_site
from codemod.pattern.matcher import Env, Run, Target
from codemod.rules.core import MatchContext, Rule, RuleError, compile_rule, register_rule_key
from codemod.rules.extensions.scope_facts import declaring_spec, locate
from codemod.syntax import memory
from codemod.syntax.tree import IDENTIFIER_KINDS

USES, DECLARATIONS = "uses", "declarations"
_SITE_KINDS = frozenset({"selector_expression", "keyed_element", "field_declaration"})
_PACKAGE_KEY = "fields.package"


def _text(node: Node | None) -> str:
    return (node.text or b"").decode("utf-8", errors="replace") if node is not None else ""


def field_names(node: Node) -> tuple[str, ...]:
    """The field names a site stands for (a declaration may declare several)."""
    if node.type == "field_declaration":
        return tuple(_text(name) for name in node.children_by_field_name("name"))
    if node.type == "selector_expression":
        return (_text(node.child_by_field_name("field")),)
    if node.type == "keyed_element":
        key = node.child_by_field_name("key")
        named = key.named_children if key is not None else []
        if len(named) == 1 and named[0].type in IDENTIFIER_KINDS:
            return (_text(named[0]),)
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


def _base_type_name(node: Node | None) -> str | None:
    """``T`` for a type written ``T``, ``*T``, ``(T)`` or ``T[...]``."""
    while node is not None and node.type in ("pointer_type", "parenthesized_type", "generic_type"):
        node = node.child_by_field_name("type") if node.type == "generic_type" else node.named_children[-1]
    if node is not None and node.type in ("type_identifier", "identifier"):
        return _text(node)
    return None


def _type_of_value(value: Node | None) -> str | None:
    """``T`` for ``T{...}``, ``&T{...}`` and ``new(T)``."""
    if value is not None and value.type == "unary_expression" and value.child_by_field_name("operator").type == "&":
        value = value.child_by_field_name("operand")
    if value is None:
        return None
    if value.type == "composite_literal":
        return _base_type_name(value.child_by_field_name("type"))
    if value.type == "call_expression" and _text(value.child_by_field_name("function")) == "new":
        arguments = value.child_by_field_name("arguments")
        named = arguments.named_children if arguments is not None else []
        return _base_type_name(named[0]) if len(named) == 1 else None
    return None


def _declared_type(ident: Node, ctx: MatchContext) -> str | None:
    """The struct type name an identifier is declared with, when the declaration shows it."""
    located = locate(ident, ctx)
    if located is None:
        return None
    spec = declaring_spec(located)
    if spec.type in ("parameter_declaration", "var_spec") and spec.child_by_field_name("type") is not None:
        return _base_type_name(spec.child_by_field_name("type"))
    if spec.type in ("var_spec", "short_var_declaration"):
        if spec.type == "var_spec":
            names, values = spec.children_by_field_name("name"), spec.child_by_field_name("value")
        else:
            left, values = spec.child_by_field_name("left"), spec.child_by_field_name("right")
            names = left.named_children if left is not None else []
        value_nodes = values.named_children if values is not None else []
        starts = [name.start_byte for name in names]
        if located.decl.start in starts and len(value_nodes) == len(names):
            return _type_of_value(value_nodes[starts.index(located.decl.start)])
    return None


def declaring_owner(declaration: Node) -> str | None:
    """``T`` for a field declared directly in ``type T struct{...}``, else None."""
    struct = declaration.parent.parent if declaration.parent is not None else None
    type_spec = struct.parent if struct is not None else None
    if struct is None or struct.type != "struct_type" or type_spec is None or type_spec.type != "type_spec":
        return None
    return _text(type_spec.child_by_field_name("name"))


@dataclass(frozen=True)
class _SiteEntry:
    """A site of one file, by offsets, so it can be remembered across passes and files."""

    kind: str
    start: int
    end: int
    node_kind: str
    names: tuple[str, ...]
    declaring_owner: str | None


@dataclass(frozen=True)
class _FileSites:
    """The sites of one field name in one file, and the struct types there that declare it directly."""

    uses: tuple[_SiteEntry, ...]
    declarations: tuple[_SiteEntry, ...]
    owners: frozenset[str]

    def of_kind(self, kind: str) -> tuple[_SiteEntry, ...]:
        return self.uses if kind == USES else self.declarations


_FILE_SITES: dict[tuple[bytes, str], _FileSites] = {}
_FILE_SITES_LIMIT = 4096
memory.on_release(_FILE_SITES.clear)  # sites are shared by the files of one package only


def file_sites(root: Node, name: str) -> _FileSites:
    """The sites of the field ``name`` in a file, remembered by the file's content across passes and files.

    A site's name is an identifier of the file, so the sites are found from
    the name's occurrences in the bytes (each looked up in the tree), not
    from a walk over every selector of the file.
    """
    text = root.text or b""
    key = (hashlib.blake2b(text, digest_size=16).digest() + root.start_byte.to_bytes(4, "little"), name)
    sites = _FILE_SITES.get(key)
    if sites is None:
        found: dict[tuple[int, int, str], _SiteEntry] = {}
        for node in _identifiers_named(root, text, name.encode()):
            site = as_site_node(node)
            if site is None or name not in (names := field_names(site)):
                continue
            declaration = site.type == "field_declaration"
            kind = DECLARATIONS if declaration else USES
            owner = declaring_owner(site) if declaration else None
            found[site.start_byte, -site.end_byte, site.type] = _SiteEntry(
                kind, site.start_byte, site.end_byte, site.type, names, owner
            )
        entries = [found[position] for position in sorted(found)]
        sites = _FileSites(
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


def _node_at(root: Node, entry: _SiteEntry) -> Node:
    node = root.descendant_for_byte_range(entry.start, entry.end)
    while node is not None and (node.type, node.start_byte, node.end_byte) != (entry.node_kind, entry.start, entry.end):
        node = node.parent
    assert node is not None, "a remembered site must exist in its file"
    return node


@dataclass
class _Package:
    """The package seen from one file: field sites, read only from the files that mention a name.

    Only a file whose bytes hold a field's name can declare or use that field,
    so a question about ``mu`` never parses a file without ``mu`` in it.
    """

    here: MatchContext
    _contexts: dict[Node, MatchContext] = field(default_factory=dict)
    _files: dict[tuple[str, ...], list[tuple[MatchContext, Node]]] = field(default_factory=dict)
    _sites: dict[tuple[Node, str], _FileSites] = field(default_factory=dict)
    _declares: dict[tuple[str, str], bool] = field(default_factory=dict)
    _related: dict[tuple, list[tuple[Node, MatchContext]]] = field(default_factory=dict)

    def files(self, names: tuple[str, ...]) -> list[tuple[MatchContext, Node]]:
        """This file, then the other files holding one of ``names``, in package order: (context, root)."""
        if names not in self._files:
            needles = tuple(name.encode() for name in names)
            accept = lambda data: any(may_hold_field_site(data, needle) for needle in needles)  # noqa: E731
            roots = [self.here.root] + self.here.package_roots_where(needles, accept)
            self._files[names] = [(self._context(root), root) for root in roots]
        return self._files[names]

    def _context(self, root: Node) -> MatchContext:
        if root == self.here.root:
            return self.here
        if root not in self._contexts:
            self._contexts[root] = self.here.for_other_file(root, _source_of(root), self.here.memo)
        return self._contexts[root]

    def sites(self, root: Node, name: str) -> _FileSites:
        if (root, name) not in self._sites:
            self._sites[root, name] = file_sites(root, name)
        return self._sites[root, name]

    def declares(self, owner: str, name: str) -> bool:
        """Whether the struct type ``owner`` declares the field ``name`` directly, in any file."""
        if (owner, name) not in self._declares:
            self._declares[owner, name] = any(owner in self.sites(root, name).owners for _, root in self.files((name,)))
        return self._declares[owner, name]

    def related(self, subject: Node, ctx: MatchContext, kind: str) -> list[tuple[Node, MatchContext]]:
        """The sites of ``kind`` that may be the subject's field, in file order."""
        own = self.owner(subject, ctx)
        is_declaration = subject.type == "field_declaration"
        names = field_names(subject)
        key = (names, own, is_declaration, kind)  # all the answer depends on: sites of the same owner share it
        if key not in self._related:
            self._related[key] = self._related_sites(names, own, is_declaration, kind)
        return self._related[key]

    def _related_sites(
        self, names: tuple[str, ...], own: str | None, is_declaration: bool, kind: str
    ) -> list[tuple[Node, MatchContext]]:
        files = self.files(names)
        found = []
        for position, (site_ctx, root) in enumerate(files):
            for name in names:
                for entry in self.sites(root, name).of_kind(kind):
                    node = _node_at(root, entry)
                    if _related(is_declaration, own, kind, self.owner(node, site_ctx)):
                        found.append((position, entry.start, node))
        found.sort(key=lambda item: item[:2])
        return [(node, files[position][0]) for position, _, node in found]

    def owner(self, node: Node, ctx: MatchContext) -> str | None:
        """The struct type a site belongs to, when the syntax shows it (see the module docstring)."""
        if node.type == "field_declaration":
            return declaring_owner(node)
        key = ("fields.owner", ctx.root, node.start_byte, node.end_byte)
        if key not in ctx.memo:
            ctx.memo[key] = self._use_owner(node, ctx)
        return ctx.memo[key]

    def _use_owner(self, node: Node, ctx: MatchContext) -> str | None:
        names = field_names(node)
        if node.type == "keyed_element":
            literal = node.parent.parent if node.parent is not None else None
            is_literal = literal is not None and literal.type == "composite_literal"
            owner = _base_type_name(literal.child_by_field_name("type")) if is_literal else None
        else:
            operand = node.child_by_field_name("operand")
            owner = _declared_type(operand, ctx) if operand is not None and operand.type == "identifier" else None
        return owner if owner is not None and names and self.declares(owner, names[0]) else None


def _related(subject_is_declaration: bool, own: str | None, kind: str, other: str | None) -> bool:
    """May a site of ``kind`` owned by ``other`` be the subject's field? (None: unknown owner.)"""
    if subject_is_declaration:
        return other == own if kind == DECLARATIONS else other is None or other == own
    if kind == DECLARATIONS:
        return own is None or own == other
    return own is None or other is None or own == other


def _source_of(root: Node) -> bytes:
    """The file's bytes at their offsets (a root node may start after leading blanks)."""
    return b" " * root.start_byte + (root.text or b"")


def package_of(ctx: MatchContext) -> _Package:
    """The package seen from ``ctx``, shared by every context with the same memo.

    Every file of the package is in it, whichever file it is seen from, so
    the files that share a memo (see the module docstring) share it too.
    """
    package = ctx.memo.get(_PACKAGE_KEY)
    if package is None:
        package = ctx.memo[_PACKAGE_KEY] = _Package(ctx)
    return package


@dataclass
class FieldSitesRule(Rule):
    """``field-uses`` / ``field-declarations``: quantifiers over a field's sites in the package."""

    kind: str
    of: str | None = None
    every: Rule | None = None
    some: Rule | None = None
    no: Rule | None = None
    count: tuple[int | None, int | None] = (None, None)

    def match(self, target, ctx, env):
        subject = as_site_node(_subject(target, env, self.of))
        if subject is None or not field_names(subject):
            return None
        return env if self._verdict(subject, ctx) else None

    def _verdict(self, subject: Node, ctx: MatchContext) -> bool:
        key = ("fields.verdict", id(self), ctx.root, subject.start_byte, subject.end_byte)
        if key in ctx.memo:
            if ctx.memo[key] is None:
                raise RuleError(f"field-{self.kind} on {_text(subject)!r} depends on itself (a cycle)", ())
            return ctx.memo[key]
        ctx.memo[key] = None
        try:
            verdict = self._holds(package_of(ctx).related(subject, ctx, self.kind))
        except BaseException:
            del ctx.memo[key]
            raise
        ctx.memo[key] = verdict
        return verdict

    def _holds(self, sites: list[tuple[Node, MatchContext]]) -> bool:
        low, high = self.count
        if (low is not None and len(sites) < low) or (high is not None and len(sites) > high):
            return False
        if self.every is not None and not all(self.every.match(node, c, {}) is not None for node, c in sites):
            return False
        if self.some is not None and not any(self.some.match(node, c, {}) is not None for node, c in sites):
            return False
        return self.no is None or all(self.no.match(node, c, {}) is None for node, c in sites)


def _subject(target: Target, env: Env, of: str | None) -> Node | None:
    if of is not None:
        bound = env.get(of)
        if isinstance(bound, tuple):
            return bound[0] if len(bound) == 1 else None
        return bound
    return None if isinstance(target, Run) else target


def _count_bounds(raw: Any, path: tuple) -> tuple[int | None, int | None]:
    def is_count(value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0

    if is_count(raw):
        return raw, raw
    if isinstance(raw, dict) and raw and set(raw) <= {"min", "max"}:
        low, high = raw.get("min"), raw.get("max")
        if all(bound is None or is_count(bound) for bound in (low, high)):
            return low, high
    raise RuleError("count must be a number or {min: N, max: M}", path)


def _compiler(kind: str):
    known = ("of", "all", "any", "none", "count")

    def compile_sites(raw: Any, path: tuple, util_names: frozenset[str]) -> FieldSitesRule:
        if not isinstance(raw, dict):
            raise RuleError(f"expected a mapping with some of: {', '.join(known)}", path)
        unknown = [key for key in raw if key not in known]
        if unknown:
            raise RuleError(f"unknown key {unknown[0]!r} (known: {', '.join(known)})", path + (unknown[0],))
        if not any(key in raw for key in ("all", "any", "none", "count")):
            raise RuleError(f"field-{kind} needs at least one of: all, any, none, count", path)
        rule = FieldSitesRule(kind)
        if "of" in raw:
            of = raw["of"]
            if not isinstance(of, str) or not of.startswith("$") or not of.lstrip("$"):
                raise RuleError("expected a metavariable such as $X", path + ("of",))
            rule.of = of.lstrip("$")
        for key, attribute in (("all", "every"), ("any", "some"), ("none", "no")):
            if key in raw:
                setattr(rule, attribute, compile_rule(raw[key], path + (key,), util_names))
        if "count" in raw:
            rule.count = _count_bounds(raw["count"], path + ("count",))
        return rule

    return compile_sites


register_rule_key("field-uses", _compiler(USES))
register_rule_key("field-declarations", _compiler(DECLARATIONS))
