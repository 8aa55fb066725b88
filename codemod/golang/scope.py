"""Go declarations over tree-sitter trees: what each scope declares, and from where.

A scope is a node that opens one (the file, a function, a block, an
``if``/``for``/``switch`` with its init statement, a ``select`` case, a
generic type). :func:`scope_bindings` lists what it declares, each
:class:`Declaration` with the offset from which it is visible; the file's own
are :func:`package_declarations`. :mod:`codemod.golang.resolution` answers
from these which declaration a name refers to, what is visible at a point and
what a new name may be.

Visibility follows the Go specification: a local constant or variable is in
scope from the end of its spec or short declaration (so in ``x := x`` the
right-hand ``x`` is the outer one), a local type from its name, parameters in
the function body, package-level names everywhere in the file. The universe
scope is :data:`PREDECLARED` (and :data:`GO_KEYWORDS` are no names at all).

Walks are iterative (tree cursors, :func:`walk`), so deeply nested code
cannot overflow the stack.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from tree_sitter import Node, Tree

from codemod.syntax.tree import FUNCTION_KINDS

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
SCOPE_KINDS = frozenset(
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
REFERENCE_KINDS = frozenset({"identifier", "type_identifier", "package_identifier", "iota", "true", "false", "nil"})
PARAMETER_KINDS = frozenset({"parameter_declaration", "variadic_parameter_declaration"})


@dataclass(frozen=True)
class Declaration:
    """Where a name is declared: the declaring identifier's byte range."""

    name: str
    kind: str  # "var", "const", "type", "typeparam", "func", "param", "import", "label"
    start: int
    end: int
    package_level: bool


@dataclass(frozen=True)
class Binding:
    """A declaration and the byte offset from which its scope starts."""

    decl: Declaration
    visible_from: int


def binding_of(node: Node, kind: str, visible_from: int, package_level: bool = False) -> Binding:
    """The binding of the name ``node`` spans."""
    name = node.text.decode("utf-8", errors="replace") if node.text else ""
    decl = Declaration(name, kind, node.start_byte, node.end_byte, package_level)
    return Binding(decl, visible_from)


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


def _named(nodes: Iterable[Node]) -> Iterator[Node]:
    """Identifiers that really declare something (not the blank identifier)."""
    return (n for n in nodes if n.type in REFERENCE_KINDS and (n.end_byte - n.start_byte != 1 or n.text != b"_"))


def _spec_bindings(decl: Node, package_level: bool) -> Iterator[Binding]:
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
            yield binding_of(name, kind, 0 if package_level else visible_from, package_level)


def _import_bindings(decl: Node) -> Iterator[Binding]:
    for spec in walk(decl, lambda n: n.type != "import_spec"):
        if spec.type != "import_spec":
            continue
        alias = spec.child_by_field_name("name")
        path = spec.child_by_field_name("path")
        if alias is not None:
            if alias.type == "package_identifier":
                yield binding_of(alias, "import", 0, True)
        elif path is not None and path.text:
            name = default_package_name(path.text[1:-1].decode("utf-8", errors="replace"))
            decl_ = Declaration(name, "import", path.start_byte, path.end_byte, True)
            yield Binding(decl_, 0)


def _package_bindings(source_file: Node) -> Iterator[Binding]:
    for child in source_file.named_children:
        if child.type == "function_declaration":
            name = child.child_by_field_name("name")
            if name is not None:
                yield binding_of(name, "func", 0, True)
        elif child.type in ("var_declaration", "const_declaration", "type_declaration"):
            yield from _spec_bindings(child, package_level=True)
        elif child.type == "import_declaration":
            yield from _import_bindings(child)


def _parameter_bindings(parameter_list: Node | None, visible_from: int) -> Iterator[Binding]:
    for name in _parameter_names(parameter_list):
        yield binding_of(name, "param", visible_from)


def _parameter_names(parameter_list: Node | None) -> Iterator[Node]:
    """The identifiers a parameter list declares."""
    if parameter_list is None or parameter_list.type != "parameter_list":
        return
    parameters = [p for p in parameter_list.named_children if p.type in PARAMETER_KINDS]
    named = any(p.child_by_field_name("name") is not None for p in parameters)
    for parameter in parameters:
        names = parameter.children_by_field_name("name")
        lone_type = parameter.child_by_field_name("type")
        if named and not names and lone_type is not None and lone_type.type == "type_identifier":
            # Go parameters are all named or all unnamed: in `(fn, a1 uintptr)`
            # tree-sitter sometimes reads `fn` as a type; it is a name.
            names = [lone_type]
        yield from _named(names)


def _type_parameter_bindings(type_parameters: Node | None, visible_from: int) -> Iterator[Binding]:
    if type_parameters is None:
        return
    for parameter in type_parameters.named_children:
        if parameter.type == "type_parameter_declaration":
            for name in _named(parameter.children_by_field_name("name")):
                yield binding_of(name, "typeparam", visible_from)


def _receiver_type_parameters(receiver: Node | None, visible_from: int) -> Iterator[Binding]:
    """``func (r *T[K, V]) M()`` declares K and V."""
    if receiver is None:
        return
    for node in walk(receiver):
        if node.type == "type_arguments":
            for element in node.named_children:
                for name in _named(element.named_children):
                    yield binding_of(name, "typeparam", visible_from)


def _signature_bindings(function: Node) -> Iterator[Binding]:
    body = function.child_by_field_name("body")
    body_start = body.start_byte if body is not None else function.end_byte
    yield from _type_parameter_bindings(function.child_by_field_name("type_parameters"), function.start_byte)
    receiver = function.child_by_field_name("receiver")
    yield from _receiver_type_parameters(receiver, function.start_byte)
    yield from _parameter_bindings(receiver, body_start)
    yield from _parameter_bindings(function.child_by_field_name("parameters"), body_start)
    yield from _parameter_bindings(function.child_by_field_name("result"), body_start)


def _short_var_bindings(names: Node | None, visible_from: int) -> Iterator[Binding]:
    if names is not None:
        for name in _named(names.named_children):
            yield binding_of(name, "var", visible_from)


def _declares(node: Node) -> bool:
    """A range clause or receive statement declares only with ``:=``."""
    return any(child.type == ":=" for child in node.children)


def _statement_bindings(statement: Node) -> Iterator[Binding]:
    kind = statement.type
    if kind == "short_var_declaration":
        yield from _short_var_bindings(statement.child_by_field_name("left"), statement.end_byte)
    elif kind in ("var_declaration", "const_declaration", "type_declaration"):
        yield from _spec_bindings(statement, package_level=False)
    elif kind == "labeled_statement":
        for child in statement.named_children:
            if child.type != "label_name":
                yield from _statement_bindings(child)


# The statements _statement_bindings finds declarations in.
_DECLARING_STATEMENTS = frozenset(
    {"short_var_declaration", "var_declaration", "const_declaration", "type_declaration", "labeled_statement"}
)


def _statement_list_bindings(statement_list: Node) -> Iterator[Binding]:
    """Declarations of a block; ``a, err := f()`` re-declares no known ``err``."""
    block = statement_list.parent
    function = block.parent if block is not None and block.type == "block" else None
    known: set[str] = set()
    if function is not None and function.type in FUNCTION_KINDS:  # the names of its "param" bindings
        known = {
            name.text.decode("utf-8", errors="replace") if name.text else ""
            for field in ("receiver", "parameters", "result")
            for name in _parameter_names(function.child_by_field_name(field))
        }
    for statement in statement_list.named_children:
        if statement.type not in _DECLARING_STATEMENTS:
            continue
        for binding in _statement_bindings(statement):
            if statement.type == "short_var_declaration" and binding.decl.name in known:
                continue
            known.add(binding.decl.name)
            yield binding


def _clause_bindings(statement: Node) -> Iterator[Binding]:
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


def scope_bindings(scope: Node) -> list[Binding]:
    """What the scope node ``scope`` (one of :data:`SCOPE_KINDS`) declares, in source order."""
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


def root_of(node: Node | Tree) -> Node:
    """The root node of ``node``'s tree."""
    if isinstance(node, Tree):
        return node.root_node
    while node.parent is not None:
        node = node.parent
    return node


def package_declarations(tree: Tree | Node) -> list[Declaration]:
    """Every file-level declaration: funcs (not methods), types, vars, consts, imports."""
    return [binding.decl for binding in _package_bindings(root_of(tree))]


def package_level_names(tree: Tree | Node) -> set[str]:
    """Every name declared at file level, import local names included."""
    return {decl.name for decl in package_declarations(tree)}
