"""Looking a name up: the declaration an identifier refers to, in its file or another of the package.

:func:`locate` resolves an identifier with Go's scope rules
(:mod:`codemod.golang.scope`) in its own file and, when it resolves to
nothing there, among the package-level declarations of the other files of
the package directory (``ctx.package_roots_containing``). The scope facts
(:mod:`codemod.rules.extensions.scope_facts`) and the field facts
(:mod:`codemod.rules.extensions.fields`) build on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from codemod.golang import scope
from codemod.golang.lexer import may_declare_at_package_level
from codemod.rules.core import MatchContext
from codemod.syntax.tree import tree_root

NAME_KINDS = frozenset({"identifier", "type_identifier", "package_identifier"})
_SPEC_KINDS = frozenset(
    {
        "var_spec", "const_spec", "type_spec", "type_alias", "import_spec", "short_var_declaration",
        "parameter_declaration", "variadic_parameter_declaration", "type_parameter_declaration",
        "function_declaration", "range_clause", "receive_statement", "labeled_statement",
    }
)  # fmt: skip
_SIGNATURE_FIELDS = (("receiver", "receiver"), ("parameters", "parameter"), ("result", "result"))


@dataclass(frozen=True)
class Located:
    """A declaration and the file (root node) that holds it."""

    decl: scope.Declaration
    root: Node

    @property
    def node(self) -> Node:
        found = self.root.descendant_for_byte_range(self.decl.start, self.decl.end)
        assert found is not None
        return found


def may_name_package_level(ident: Node) -> bool:
    """Could this unresolved identifier name a package-level declaration of another file?"""
    parent = ident.parent
    if ident.type not in NAME_KINDS or ident.text == b"_" or parent is None:
        return False
    if parent.type == "qualified_type" and ident.type == "type_identifier":
        return False
    if parent.type in ("parameter_declaration", "variadic_parameter_declaration") and ident.type == "identifier":
        return False  # a parameter's own name
    return parent.type not in ("package_clause", "import_spec")


def locate(ident: Node, ctx: MatchContext) -> Located | None:
    """The declaration ``ident`` refers to, in this file or (package level) in another one."""
    decl = ctx.resolver_for(ident).resolve(ident)
    if decl is not None:
        return Located(decl, tree_root(ident))
    if not may_name_package_level(ident):
        return None
    word = ident.text or b""
    name = word.decode("utf-8", errors="replace")
    for root in ctx.package_roots_where((word,), lambda data: may_declare_at_package_level(data, word)):
        for candidate in ctx.resolver_for(root).file_level(root, name):
            if candidate.kind != "import":
                return Located(candidate, root)
    return None


def declaring_spec(located: Located) -> Node:
    """The spec, parameter, statement or declaration that declares the name."""
    node = located.node
    while node.parent is not None and node.type not in _SPEC_KINDS:
        node = node.parent
    return node


def scope_of(located: Located) -> str:
    """package, file (imports), local, parameter, result or receiver."""
    if located.decl.kind == "import":
        return "file"
    if located.decl.package_level:
        return "package"
    if located.decl.kind != "param":
        return "parameter" if located.decl.kind == "typeparam" else "local"
    spec = declaring_spec(located)
    parameter_list, function = spec.parent, spec.parent.parent if spec.parent else None
    if parameter_list is not None and function is not None:
        for field_name, name in _SIGNATURE_FIELDS:
            owner = function.child_by_field_name(field_name)
            if (
                owner is not None
                and owner.start_byte == parameter_list.start_byte
                and owner.end_byte == parameter_list.end_byte
            ):
                return name
    return "parameter"


def context_for(root: Node, ctx: MatchContext) -> MatchContext:
    """A match context for another file of the package (or ``ctx`` itself for this file)."""
    if root == ctx.root:
        return ctx
    source = b" " * root.start_byte + (root.text or b"")  # offsets stay file offsets
    return ctx.for_other_file(root, source)
