"""The named function or method a ``go`` statement starts, and the parameter a channel argument lands in.

``go worker(ch)`` and ``go s.serve(ch)`` (``s`` the receiver of the method
that holds the ``go`` statement) start code declared elsewhere;
:func:`started_callee` finds that declaration in the same file and the
parameter the argument ``ch`` is passed as, so that the callee's body can
be read as the goroutine's code (``unreceived-sends``). Anything less
certain gives None: a function value or a local function, a function of
another file, a method called on some other variable, an argument that is
not the bare channel name or that is passed twice, a variadic or unnamed
parameter, a callee that holds the ``go`` statement itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from codemod.rules.core import MatchContext
from codemod.rules.extensions.methodlocks import enclosing_method, receiver
from codemod.syntax.tree import tree_root


@dataclass(frozen=True)
class Callee:
    """A function or method declaration a ``go`` statement starts, and the identifier declaring the parameter."""

    declaration: Node
    parameter: Node


def started_callee(argument: Node, ctx: MatchContext) -> Callee | None:
    """The callee of the ``go f(..., argument, ...)`` statement ``argument`` is passed to, or None."""
    arguments = argument.parent
    call = arguments.parent if arguments is not None else None
    if arguments is None or arguments.type != "argument_list" or call is None or call.type != "call_expression":
        return None
    go = call.parent
    if go is None or go.type != "go_statement" or argument.type != "identifier":
        return None
    passed = [child for child in arguments.named_children if child.type != "comment"]
    if sum(1 for child in passed if child.text == argument.text) != 1:
        return None  # the channel is passed twice, or inside a larger expression
    index = next(i for i, child in enumerate(passed) if child.start_byte == argument.start_byte)
    function = call.child_by_field_name("function")
    declaration = _declaration_of(function, ctx) if function is not None else None
    if declaration is None or (declaration.start_byte <= go.start_byte and go.end_byte <= declaration.end_byte):
        return None
    names = _parameter_names(declaration)
    parameter = names[index] if index < len(names) else None
    return Callee(declaration, parameter) if parameter is not None else None


def _declaration_of(function: Node, ctx: MatchContext) -> Node | None:
    """The declaration, in this file, of the package function or receiver method ``function`` names."""
    root = tree_root(function)
    if function.type == "identifier":
        declared = ctx.resolver_for(function).resolve(function)
        if declared is None or not declared.package_level or declared.kind != "func":
            return None
        for candidate in root.named_children:
            name = candidate.child_by_field_name("name") if candidate.type == "function_declaration" else None
            if name is not None and name.start_byte == declared.start and name.text == function.text:
                return candidate
        return None
    if function.type != "selector_expression":
        return None
    operand, field = function.child_by_field_name("operand"), function.child_by_field_name("field")
    method = enclosing_method(function)
    own = receiver(method) if method is not None else None
    if operand is None or field is None or own is None or operand.type != "identifier" or operand.text != own[0]:
        return None
    declared = ctx.resolver_for(operand).resolve(operand)
    if declared is None or declared.kind != "param" or not _declares_receiver(method, declared.start):
        return None  # ``s`` is not (or no longer) the receiver
    for candidate in root.named_children:
        name = candidate.child_by_field_name("name") if candidate.type == "method_declaration" else None
        found = receiver(candidate) if name is not None else None
        if name is not None and name.text == field.text and found is not None and found[1] == own[1]:
            return candidate
    return None


def _declares_receiver(method: Node | None, start: int) -> bool:
    receivers = method.child_by_field_name("receiver") if method is not None else None
    return receivers is not None and receivers.start_byte <= start < receivers.end_byte


def _parameter_names(declaration: Node) -> list[Node | None]:
    """The identifiers declaring each parameter, in order (None for an unnamed one); a variadic one ends the list."""
    parameters = declaration.child_by_field_name("parameters")
    names: list[Node | None] = []
    for child in parameters.named_children if parameters is not None else []:
        if child.type == "variadic_parameter_declaration":
            break
        if child.type == "parameter_declaration":
            declared = child.children_by_field_name("name")
            names.extend(declared if declared else [None])
    return names
