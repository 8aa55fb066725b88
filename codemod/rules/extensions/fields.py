"""Field facts as rule keys: every use or declaration of a struct field in the package.

Without type information a struct field can still be followed: an unexported
field is reachable only from its own package, and only through a selector
(``x.mu``) or the key of a composite literal (``T{mu: ...}``). Two keys
collect those *sites* across every file of the package directory (this file
and ``ctx.package_roots()``; a file's own sites are found by
:mod:`codemod.rules.extensions.fieldsites`) and test a nested rule on each:

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

from dataclasses import dataclass, field
from typing import Any

from tree_sitter import Node

from codemod.golang.lexer import may_declare_field, may_hold_field_site
from codemod.rules.accepts import COUNT, METAVAR, RULE, Schema, options
from codemod.rules.core import CompileRule, MatchContext, Rule, RuleError
from codemod.rules.extensions.declarations import declaring_spec, locate
from codemod.rules.extensions.fieldsites import (
    DECLARATIONS,
    USES,
    FileSites,
    as_site_node,
    declaring_owner,
    field_names,
    file_sites,
    node_text,
    site_node,
)
from codemod.rules.extensions.options import count_bounds, metavar, options_of, subject

# The options of field-uses and field-declarations, and what each accepts.
FIELD_OPTIONS: dict[str, Schema] = {"of": METAVAR, "all": RULE, "any": RULE, "none": RULE, "count": COUNT}
FIELD_SITES_VALUE = options(FIELD_OPTIONS)
_PACKAGE_KEY = "fields.package"


def _base_type_name(node: Node | None) -> str | None:
    """``T`` for a type written ``T``, ``*T``, ``(T)`` or ``T[...]``."""
    while node is not None and node.type in ("pointer_type", "parenthesized_type", "generic_type"):
        node = node.child_by_field_name("type") if node.type == "generic_type" else node.named_children[-1]
    if node is not None and node.type in ("type_identifier", "identifier"):
        return node_text(node)
    return None


def _type_of_value(value: Node | None) -> str | None:
    """``T`` for ``T{...}``, ``&T{...}`` and ``new(T)``."""
    if value is not None and value.type == "unary_expression" and value.child_by_field_name("operator").type == "&":  # type: ignore[union-attr]  # always has one
        value = value.child_by_field_name("operand")
    if value is None:
        return None
    if value.type == "composite_literal":
        return _base_type_name(value.child_by_field_name("type"))
    if value.type == "call_expression" and node_text(value.child_by_field_name("function")) == "new":
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


@dataclass
class _Package:
    """The package seen from one file: field sites, read only from the files that mention a name.

    Only a file whose bytes hold a field's name can declare or use that field,
    so a question about ``mu`` never parses a file without ``mu`` in it.
    """

    here: MatchContext
    _contexts: dict[Node, MatchContext] = field(default_factory=dict)
    _files: dict[tuple[tuple[str, ...], bool], list[tuple[MatchContext, Node]]] = field(default_factory=dict)
    _sites: dict[tuple[Node, str], FileSites] = field(default_factory=dict)
    _declares: dict[tuple[str, str], bool] = field(default_factory=dict)
    _related: dict[tuple, list[tuple[Node, MatchContext]]] = field(default_factory=dict)

    def files(self, names: tuple[str, ...], declarations: bool = False) -> list[tuple[MatchContext, Node]]:
        """This file, then the other files holding one of ``names``, in package order: (context, root).

        With ``declarations``, only the files that may declare one of them."""
        if (names, declarations) not in self._files:
            needles = tuple(name.encode() for name in names)
            holds = may_declare_field if declarations else may_hold_field_site
            accept = lambda data: any(holds(data, needle) for needle in needles)  # noqa: E731
            roots = [self.here.root] + self.here.package_roots_where(needles, accept)
            self._files[names, declarations] = [(self._context(root), root) for root in roots]
        return self._files[names, declarations]

    def _context(self, root: Node) -> MatchContext:
        if root == self.here.root:
            return self.here
        if root not in self._contexts:
            self._contexts[root] = self.here.for_other_file(root, _source_of(root), self.here.memo)
        return self._contexts[root]

    def sites(self, root: Node, name: str) -> FileSites:
        if (root, name) not in self._sites:
            self._sites[root, name] = file_sites(root, name)
        return self._sites[root, name]

    def declares(self, owner: str, name: str) -> bool:
        """Whether the struct type ``owner`` declares the field ``name`` directly, in any file."""
        if (owner, name) not in self._declares:
            declaring = self.files((name,), declarations=True)
            self._declares[owner, name] = any(owner in self.sites(root, name).owners for _, root in declaring)
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
        files = self.files(names, declarations=kind == DECLARATIONS)
        found = []
        for position, (site_ctx, root) in enumerate(files):
            for name in names:
                for entry in self.sites(root, name).of_kind(kind):
                    node = site_node(root, entry)
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
            owner = _base_type_name(literal.child_by_field_name("type")) if literal is not None and is_literal else None
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
        site = as_site_node(subject(target, env, self.of, runs=False))
        if site is None or not field_names(site):
            return None
        return env if self._verdict(site, ctx) else None

    def _verdict(self, subject: Node, ctx: MatchContext) -> bool:
        key = ("fields.verdict", id(self), ctx.root, subject.start_byte, subject.end_byte)
        if key in ctx.memo:
            if ctx.memo[key] is None:
                raise RuleError(f"field-{self.kind} on {node_text(subject)!r} depends on itself (a cycle)", ())
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


def _compile_sites(
    kind: str, raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule
) -> FieldSitesRule:
    raw = options_of(raw, path, FIELD_OPTIONS)
    if not any(key in raw for key in ("all", "any", "none", "count")):
        raise RuleError(f"field-{kind} needs at least one of: all, any, none, count", path)
    rule = FieldSitesRule(kind)
    if "of" in raw:
        rule.of = metavar(raw["of"], path + ("of",))
    for key, attribute in (("all", "every"), ("any", "some"), ("none", "no")):
        if key in raw:
            setattr(rule, attribute, compile_rule(raw[key], path + (key,), util_names))
    if "count" in raw:
        rule.count = count_bounds(raw["count"], path + ("count",))
    return rule


def compile_field_uses(raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule) -> FieldSitesRule:
    return _compile_sites(USES, raw, path, util_names, compile_rule)


def compile_field_declarations(
    raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule
) -> FieldSitesRule:
    return _compile_sites(DECLARATIONS, raw, path, util_names, compile_rule)
