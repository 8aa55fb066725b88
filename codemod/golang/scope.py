"""Go scoping over tree-sitter trees: declarations, visibility and shadowing.

Answers the questions a fix asks before it renames, declares or deletes:
which declaration an identifier refers to (:func:`resolve`), which names are
visible at a point (:func:`visible_names`), which names a function declares
anywhere (:func:`declared_in_function`), what a new name may be
(:func:`fresh_name`) and where a declaration is used (:func:`references`).

Scopes follow the Go specification: a local constant or variable is in scope
from the end of its spec or short declaration (so in ``x := x`` the right-hand
``x`` is the outer one), a local type from its name, parameters in the function
body, labels in the whole function body, package-level names everywhere in the
file. Only this file is known: a name declared in another file of the package,
a predeclared identifier or a field/method selector resolves to ``None``.

Walks are iterative (tree cursors), so deeply nested code cannot overflow the
stack, and a :class:`Resolver` shares per-scope tables across many look-ups.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from tree_sitter import Node, Tree

from codemod.syntax.tree import FUNCTION_KINDS, outermost_function

GO_KEYWORDS = frozenset(
    "break case chan const continue default defer else fallthrough for func go goto if "
    "import interface map package range return select struct switch type var".split()
)
PREDECLARED = frozenset(
    "bool byte complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune "
    "string uint uint8 uint16 uint32 uint64 uintptr any comparable true false iota nil "
    "append cap clear close complex copy delete imag len make max min new panic print "
    "println real recover".split()
)

# Nodes that open a scope and the declarations they hold.
_SCOPE_KINDS = frozenset(
    {
        "source_file",
        "function_declaration",
        "method_declaration",
        "func_literal",
        "statement_list",
        "if_statement",
        "for_statement",
        "expression_switch_statement",
        "type_switch_statement",
        "communication_case",
        "type_spec",
        "type_alias",
    }
)
# Predeclared names have node kinds of their own but can be shadowed (`iota := 0`).
_REFERENCE_KINDS = frozenset({"identifier", "type_identifier", "package_identifier", "iota", "true", "false", "nil"})
_PARAMETER_KINDS = frozenset({"parameter_declaration", "variadic_parameter_declaration"})


@dataclass(frozen=True)
class Declaration:
    """Where a name is declared: the declaring identifier's byte range."""

    name: str
    kind: str  # "var", "const", "type", "typeparam", "func", "param", "import", "label"
    start: int
    end: int
    package_level: bool


@dataclass(frozen=True)
class _Binding:
    """A declaration and the byte offset from which its scope starts."""

    decl: Declaration
    visible_from: int


def default_package_name(path: str) -> str:
    """The name a plain import of ``path`` declares, guessed as goimports does.

    Last path element; a ``/vN`` major-version element is skipped; a ``go-``
    prefix is dropped; the name stops at the first character that cannot be
    part of an identifier (``gopkg.in/yaml.v3`` -> ``yaml``).
    """
    elements = path.rstrip("/").split("/")
    base = elements[-1]
    if len(elements) > 1 and base[:1] == "v" and base[1:].isdigit():
        base = elements[-2]
    base = base.removeprefix("go-")
    for index, char in enumerate(base):
        if not (char == "_" or char.isalnum()):
            return base[:index]
    return base


def _binding(node: Node, kind: str, visible_from: int, package_level: bool = False) -> _Binding:
    name = node.text.decode("utf-8", errors="replace") if node.text else ""
    decl = Declaration(name, kind, node.start_byte, node.end_byte, package_level)
    return _Binding(decl, visible_from)


def _named(nodes: Iterable[Node]) -> Iterator[Node]:
    """Identifiers that really declare something (not the blank identifier)."""
    return (n for n in nodes if n.type in _REFERENCE_KINDS and (n.end_byte - n.start_byte != 1 or n.text != b"_"))


def _spec_bindings(decl: Node, package_level: bool) -> Iterator[_Binding]:
    """Bindings of a var, const or type declaration (grouped or not)."""
    specs: list[Node] = []
    for child in decl.named_children:
        if child.type in ("var_spec_list", "type_spec_list", "const_spec_list"):
            specs.extend(child.named_children)
        else:
            specs.append(child)
    for spec in specs:
        if spec.type == "var_spec":
            kind, visible_from = "var", spec.end_byte
        elif spec.type == "const_spec":
            kind, visible_from = "const", spec.end_byte
        elif spec.type in ("type_spec", "type_alias"):
            kind, visible_from = "type", spec.start_byte
        else:
            continue
        for name in _named(spec.children_by_field_name("name")):
            yield _binding(name, kind, 0 if package_level else visible_from, package_level)


def _import_bindings(decl: Node) -> Iterator[_Binding]:
    for spec in walk(decl, lambda n: n.type != "import_spec"):
        if spec.type != "import_spec":
            continue
        alias = spec.child_by_field_name("name")
        path = spec.child_by_field_name("path")
        if alias is not None:
            if alias.type == "package_identifier":
                yield _binding(alias, "import", 0, True)
        elif path is not None and path.text:
            name = default_package_name(path.text[1:-1].decode("utf-8", errors="replace"))
            decl_ = Declaration(name, "import", path.start_byte, path.end_byte, True)
            yield _Binding(decl_, 0)


def _package_bindings(source_file: Node) -> Iterator[_Binding]:
    for child in source_file.named_children:
        if child.type == "function_declaration":
            name = child.child_by_field_name("name")
            if name is not None:
                yield _binding(name, "func", 0, True)
        elif child.type in ("var_declaration", "const_declaration", "type_declaration"):
            yield from _spec_bindings(child, package_level=True)
        elif child.type == "import_declaration":
            yield from _import_bindings(child)


def _parameter_bindings(parameter_list: Node | None, visible_from: int) -> Iterator[_Binding]:
    if parameter_list is None or parameter_list.type != "parameter_list":
        return
    parameters = [p for p in parameter_list.named_children if p.type in _PARAMETER_KINDS]
    named = any(p.child_by_field_name("name") is not None for p in parameters)
    for parameter in parameters:
        names = parameter.children_by_field_name("name")
        lone_type = parameter.child_by_field_name("type")
        if named and not names and lone_type is not None and lone_type.type == "type_identifier":
            # Go parameters are all named or all unnamed: in `(fn, a1 uintptr)`
            # tree-sitter sometimes reads `fn` as a type; it is a name.
            names = [lone_type]
        for name in _named(names):
            yield _binding(name, "param", visible_from)


def _type_parameter_bindings(type_parameters: Node | None, visible_from: int) -> Iterator[_Binding]:
    if type_parameters is None:
        return
    for parameter in type_parameters.named_children:
        if parameter.type == "type_parameter_declaration":
            for name in _named(parameter.children_by_field_name("name")):
                yield _binding(name, "typeparam", visible_from)


def _receiver_type_parameters(receiver: Node | None, visible_from: int) -> Iterator[_Binding]:
    """``func (r *T[K, V]) M()`` declares K and V."""
    if receiver is None:
        return
    for node in walk(receiver):
        if node.type == "type_arguments":
            for element in node.named_children:
                for name in _named(element.named_children):
                    yield _binding(name, "typeparam", visible_from)


def _signature_bindings(function: Node) -> Iterator[_Binding]:
    body = function.child_by_field_name("body")
    body_start = body.start_byte if body is not None else function.end_byte
    yield from _type_parameter_bindings(function.child_by_field_name("type_parameters"), function.start_byte)
    receiver = function.child_by_field_name("receiver")
    yield from _receiver_type_parameters(receiver, function.start_byte)
    yield from _parameter_bindings(receiver, body_start)
    yield from _parameter_bindings(function.child_by_field_name("parameters"), body_start)
    yield from _parameter_bindings(function.child_by_field_name("result"), body_start)


def _short_var_bindings(names: Node | None, visible_from: int) -> Iterator[_Binding]:
    if names is not None:
        for name in _named(names.named_children):
            yield _binding(name, "var", visible_from)


def _declares(node: Node) -> bool:
    """A range clause or receive statement declares only with ``:=``."""
    return any(child.type == ":=" for child in node.children)


def _statement_bindings(statement: Node) -> Iterator[_Binding]:
    kind = statement.type
    if kind == "short_var_declaration":
        yield from _short_var_bindings(statement.child_by_field_name("left"), statement.end_byte)
    elif kind in ("var_declaration", "const_declaration", "type_declaration"):
        yield from _spec_bindings(statement, package_level=False)
    elif kind == "labeled_statement":
        for child in statement.named_children:
            if child.type != "label_name":
                yield from _statement_bindings(child)


def _statement_list_bindings(statement_list: Node) -> Iterator[_Binding]:
    """Declarations of a block; ``a, err := f()`` re-declares no known ``err``."""
    block = statement_list.parent
    function = block.parent if block is not None and block.type == "block" else None
    known: set[str] = set()
    if function is not None and function.type in FUNCTION_KINDS:
        known = {b.decl.name for b in _signature_bindings(function) if b.decl.kind == "param"}
    for statement in statement_list.named_children:
        for binding in _statement_bindings(statement):
            if statement.type == "short_var_declaration" and binding.decl.name in known:
                continue
            known.add(binding.decl.name)
            yield binding


def _clause_bindings(statement: Node) -> Iterator[_Binding]:
    """If/for/switch init statements, range variables and type-switch bindings."""
    initializer = statement.child_by_field_name("initializer")
    if statement.type == "for_statement":
        for clause in statement.named_children:
            if clause.type == "for_clause":
                initializer = clause.child_by_field_name("initializer")
            elif clause.type == "range_clause" and _declares(clause):
                yield from _short_var_bindings(clause.child_by_field_name("left"), clause.end_byte)
    if initializer is not None and initializer.type == "short_var_declaration":
        yield from _statement_bindings(initializer)
    if statement.type == "type_switch_statement":
        value = statement.child_by_field_name("value")
        visible_from = value.end_byte if value is not None else statement.start_byte
        yield from _short_var_bindings(statement.child_by_field_name("alias"), visible_from)


def _scope_bindings(scope: Node) -> list[_Binding]:
    kind = scope.type
    if kind == "source_file":
        return list(_package_bindings(scope))
    if kind in FUNCTION_KINDS:
        return list(_signature_bindings(scope))
    if kind == "statement_list":
        return list(_statement_list_bindings(scope))
    if kind == "communication_case":
        receive = scope.child_by_field_name("communication")
        if receive is not None and receive.type == "receive_statement" and _declares(receive):
            return list(_short_var_bindings(receive.child_by_field_name("left"), receive.end_byte))
        return []
    if kind in ("type_spec", "type_alias"):
        type_parameters = scope.child_by_field_name("type_parameters")
        return list(_type_parameter_bindings(type_parameters, scope.start_byte))
    return list(_clause_bindings(scope))


def walk(root: Node, descend: Callable[[Node], bool] = lambda _: True) -> Iterator[Node]:
    """Pre-order walk of ``root``'s subtree; children of nodes failing ``descend`` are skipped."""
    cursor = root.walk()
    while True:
        node = cursor.node
        assert node is not None
        yield node
        if descend(node) and cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return


def _root_of(node: Node | Tree) -> Node:
    if isinstance(node, Tree):
        return node.root_node
    while node.parent is not None:
        node = node.parent
    return node


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
    if parent.type in _PARAMETER_KINDS and ident.type == "identifier":
        owner = parent.parent.parent if parent.parent is not None else None
        return owner is None or owner.type not in FUNCTION_KINDS
    return False


class Resolver:
    """Resolves identifiers of one tree, sharing per-scope declaration tables.

    Use one per tree (and per version of its source): tables are keyed by node id.
    """

    def __init__(self) -> None:
        self._tables: dict[int, dict[bytes, list[_Binding]]] = {}

    def _table(self, scope: Node) -> dict[bytes, list[_Binding]]:
        table = self._tables.get(scope.id)
        if table is None:
            table = {}
            for binding in _scope_bindings(scope):
                table.setdefault(binding.decl.name.encode(), []).append(binding)
            self._tables[scope.id] = table
        return table

    def resolve(self, ident: Node) -> Declaration | None:
        """The declaration ``ident`` refers to in this file, innermost scope first."""
        if ident.type == "label_name":
            return _resolve_label(ident)
        if ident.type not in _REFERENCE_KINDS or _is_declaration_only(ident):
            return None
        name, position = ident.text or b"", ident.start_byte
        scope = ident.parent
        while scope is not None:
            if scope.type in _SCOPE_KINDS:
                for binding in reversed(self._table(scope).get(name, ())):
                    if binding.visible_from <= position or binding.decl.start == position:
                        return binding.decl
            scope = scope.parent
        return None

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
                return _binding(name, "label", body.start_byte).decl
    return None


def resolve(ident_node: Node) -> Declaration | None:
    """The declaration an identifier refers to within this file, or None."""
    return Resolver().resolve(ident_node)


def is_package_level(ident_node: Node) -> bool:
    """The identifier is not shadowed by a local declaration of this file."""
    return Resolver().is_package_level(ident_node)


def package_declarations(tree: Tree | Node) -> list[Declaration]:
    """Every file-level declaration: funcs (not methods), types, vars, consts, imports."""
    return [binding.decl for binding in _package_bindings(_root_of(tree))]


def package_level_names(tree: Tree | Node) -> set[str]:
    """Every name declared at file level, import local names included."""
    return {decl.name for decl in package_declarations(tree)}


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
        if inner.type in _SCOPE_KINDS:
            names.update(binding.decl.name for binding in _scope_bindings(inner))
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
        if scope.type in _SCOPE_KINDS:
            names.update(b.decl.name for b in _scope_bindings(scope) if b.visible_from <= position)
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
        if scope.type in _SCOPE_KINDS and scope.type != "source_file":
            names.update(b.decl.name for b in _scope_bindings(scope) if b.visible_from <= offset)
        scope = scope.parent
    return names


def _identifiers_used(function: Node) -> set[str]:
    return {
        node.text.decode("utf-8", errors="replace")
        for node in walk(function)
        if node.type in _REFERENCE_KINDS and node.text
    }


def fresh_name(hint: str, at: Node, taken: Iterable[str] = ()) -> str:
    """``hint``, else ``hint2``, ``hint3``, ...: the first name that cannot clash.

    Avoided: names visible at ``at``; names declared or used anywhere in the
    outermost function enclosing ``at`` (so no later declaration clashes and no
    existing reference is captured); package-level names of the file; ``taken``;
    Go keywords and predeclared identifiers.
    """
    avoid = set(taken) | GO_KEYWORDS | PREDECLARED | package_level_names(_root_of(at))
    function = outermost_function(at)
    if function is not None:
        avoid |= visible_names(at) | declared_in_function(at) | _identifiers_used(function)
    candidate, suffix = hint, 1
    while candidate in avoid:
        suffix += 1
        candidate = f"{hint}{suffix}"
    return candidate


def references(root: Node | Tree, decl: Declaration) -> list[Node]:
    """Identifiers under ``root`` (the declaring one included) that resolve to ``decl``."""
    kinds = frozenset({"label_name"}) if decl.kind == "label" else _REFERENCE_KINDS
    name = decl.name.encode()
    resolver = Resolver()
    top = root.root_node if isinstance(root, Tree) else root
    return [node for node in walk(top) if node.type in kinds and node.text == name and resolver.resolve(node) == decl]
