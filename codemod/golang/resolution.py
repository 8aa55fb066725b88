"""Go name resolution over tree-sitter trees: references, visibility, shadowing, fresh names.

Answers the questions a fix asks before it renames, declares or deletes:
which declaration an identifier refers to (:func:`resolve`), which names are
visible at a point (:func:`visible_names`), which names a function declares
anywhere (:func:`declared_in_function`), what a new name may be
(:func:`fresh_name`) and where a declaration is used (:func:`references`).

A name resolves to the innermost scope's declaration visible at it (what
each scope declares and from where: :mod:`codemod.golang.scope`); labels to
the function body's. Only this file is known: a name declared in another file
of the package, a predeclared identifier or a field/method selector resolves
to ``None``. A :class:`Resolver` shares per-scope tables across many look-ups.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from tree_sitter import Node, Tree

from codemod.golang.scope import (
    GO_KEYWORDS,
    PARAMETER_KINDS,
    PREDECLARED,
    REFERENCE_KINDS,
    SCOPE_KINDS,
    Binding,
    Declaration,
    binding_of,
    package_declarations,
    package_level_names,
    root_of,
    scope_bindings,
    walk,
)
from codemod.syntax.tree import FUNCTION_KINDS, outermost_function


def _is_declaration_only(ident: Node) -> bool:
    """Names that refer to nothing: selectors after a dot, parameter names of
    function types and interface methods, the package clause, ``_``."""
    parent = ident.parent
    if parent is None or ident.text == b"_":
        return True
    if parent.type == "qualified_type" and ident.type == "type_identifier":
        return True
    if parent.type == "package_clause":
        return True
    if parent.type in PARAMETER_KINDS and ident.type == "identifier":
        owner = parent.parent.parent if parent.parent is not None else None
        return owner is None or owner.type not in FUNCTION_KINDS
    return False


class Resolver:
    """Resolves identifiers of one tree, sharing per-scope declaration tables.

    Use one per tree (and per version of its source): tables are keyed by node id.
    """

    def __init__(self) -> None:
        self._tables: dict[int, dict[bytes, list[Binding]]] = {}

    def _table(self, scope: Node) -> dict[bytes, list[Binding]]:
        table = self._tables.get(scope.id)
        if table is None:
            table = {}
            for binding in scope_bindings(scope):
                table.setdefault(binding.decl.name.encode(), []).append(binding)
            self._tables[scope.id] = table
        return table

    def resolve(self, ident: Node) -> Declaration | None:
        """The declaration ``ident`` refers to in this file, innermost scope first."""
        if ident.type == "label_name":
            return _resolve_label(ident)
        if ident.type not in REFERENCE_KINDS or _is_declaration_only(ident):
            return None
        name, position = ident.text or b"", ident.start_byte
        scope = ident.parent
        while scope is not None:
            if scope.type in SCOPE_KINDS:
                for binding in reversed(self._table(scope).get(name, ())):
                    if binding.visible_from <= position or binding.decl.start == position:
                        return binding.decl
            scope = scope.parent
        return None

    def file_level(self, root: Node, name: str) -> list[Declaration]:
        """The file-level declarations of ``name`` in the tree of ``root`` (its source file), in source order.

        The same as filtering :func:`codemod.golang.scope.package_declarations`
        by name, from the file's table (built once per tree).
        """
        if root.type != "source_file":  # not a file's root: no table of its own
            return [decl for decl in package_declarations(root) if decl.name == name]
        return [binding.decl for binding in self._table(root).get(name.encode(), ())]

    def is_visible(self, name: str, node: Node) -> bool:
        """Whether a declaration of ``name`` in this file is in scope at ``node`` (as :func:`visible_names` says)."""
        key, position = name.encode(), node.start_byte
        scope = node.parent
        while scope is not None:
            if scope.type in SCOPE_KINDS and any(b.visible_from <= position for b in self._table(scope).get(key, ())):
                return True
            scope = scope.parent
        return False

    def is_package_level(self, ident: Node) -> bool:
        """Not shadowed by any local declaration of this file."""
        decl = self.resolve(ident)
        return decl is None or decl.package_level


def _resolve_label(label: Node) -> Declaration | None:
    function = label.parent
    while function is not None and function.type not in FUNCTION_KINDS:
        function = function.parent
    body = function.child_by_field_name("body") if function is not None else None
    if body is None:
        return None
    for node in walk(body, lambda n: n.type != "func_literal"):
        if node.type == "labeled_statement":
            name = node.child_by_field_name("label")
            if name is not None and name.text == label.text:
                return binding_of(name, "label", body.start_byte).decl
    return None


def resolve(ident_node: Node) -> Declaration | None:
    """The declaration an identifier refers to within this file, or None."""
    return Resolver().resolve(ident_node)


def is_package_level(ident_node: Node) -> bool:
    """The identifier is not shadowed by a local declaration of this file."""
    return Resolver().is_package_level(ident_node)


def declared_in_function(node: Node) -> set[str]:
    """Every name declared anywhere in the outermost function enclosing ``node``.

    Parameters, results, receiver, type parameters, local declarations of every
    block, init-statement and range variables, type-switch bindings, labels, and
    the same for nested function literals. Empty outside functions.
    """
    function = outermost_function(node)
    if function is None:
        return set()
    names: set[str] = set()
    for inner in walk(function):
        if inner.type in SCOPE_KINDS:
            names.update(binding.decl.name for binding in scope_bindings(inner))
        elif inner.type == "labeled_statement":
            label = inner.child_by_field_name("label")
            if label is not None and label.text:
                names.add(label.text.decode("utf-8", errors="replace"))
    return names


def visible_names(node: Node) -> set[str]:
    """Names in scope at ``node`` (labels excluded), package-level names included."""
    names: set[str] = set()
    position = node.start_byte
    scope = node.parent
    while scope is not None:
        if scope.type in SCOPE_KINDS:
            names.update(b.decl.name for b in scope_bindings(scope) if b.visible_from <= position)
        scope = scope.parent
    return names


def local_names_at(root: Node, offset: int) -> set[str]:
    """Names declared by functions and blocks that are in scope at byte ``offset``.

    Package-level names and imports are left out: what remains can hide an
    import of the file at that point (a local variable or parameter ``sync``).
    """
    names: set[str] = set()
    scope: Node | None = root.descendant_for_byte_range(offset, offset)
    while scope is not None:
        if scope.type in SCOPE_KINDS and scope.type != "source_file":
            names.update(b.decl.name for b in scope_bindings(scope) if b.visible_from <= offset)
        scope = scope.parent
    return names


def _identifiers_used(function: Node) -> set[str]:
    return {
        node.text.decode("utf-8", errors="replace")
        for node in walk(function)
        if node.type in REFERENCE_KINDS and node.text
    }


def fresh_name(hint: str, at: Node, taken: Iterable[str] = ()) -> str:
    """``hint``, else ``hint2``, ``hint3``, ...: the first name that cannot clash.

    Avoided: names visible at ``at``; names declared or used anywhere in the
    outermost function enclosing ``at`` (so no later declaration clashes and no
    existing reference is captured); package-level names of the file; ``taken``;
    Go keywords and predeclared identifiers.
    """
    avoid = set(taken) | GO_KEYWORDS | PREDECLARED | package_level_names(root_of(at))
    function = outermost_function(at)
    if function is not None:
        avoid |= visible_names(at) | declared_in_function(at) | _identifiers_used(function)
    candidate, suffix = hint, 1
    while candidate in avoid:
        suffix += 1
        candidate = f"{hint}{suffix}"
    return candidate


def references(root: Node | Tree, decl: Declaration, resolver: Resolver | None = None) -> list[Node]:
    """Identifiers under ``root`` (the declaring one included) that resolve to ``decl``.

    ``resolver``: the tree's shared one, when the caller has it (its scope tables are then built once per tree).
    """
    kinds = frozenset({"label_name"}) if decl.kind == "label" else REFERENCE_KINDS
    name = decl.name.encode()
    resolver = resolver or Resolver()
    top = root.root_node if isinstance(root, Tree) else root
    return [node for node in named_leaves(top, name, kinds) if resolver.resolve(node) == decl]


def named_leaves(top: Node, text: bytes, kinds: frozenset[str]) -> Iterator[Node]:
    """The nodes of ``kinds`` under ``top`` whose text is ``text``, in document order (leaves: names, literals).

    Found from the occurrences of ``text`` in ``top``'s bytes rather than by
    walking the subtree: a leaf spans exactly its text, so each one is the
    smallest node spanning some occurrence (when nodes share that span, the
    leaf is the innermost of them, found by walking the one returned).
    """
    if not text:
        return
    source, base, size = top.text or b"", top.start_byte, len(text)
    start = source.find(text)
    while start >= 0:
        spanning = top.descendant_for_byte_range(base + start, base + start + size)
        if spanning is not None:
            for node in walk(spanning) if spanning.child_count else (spanning,):
                if node.start_byte == base + start and node.type in kinds and node.text == text:
                    yield node
                    break
        start = source.find(text, start + 1)
