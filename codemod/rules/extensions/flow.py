"""Flow facts as rule keys: which function runs a node, and whether a variable may change later.

Two keys for recipes that move code between functions or delay when it runs:

``same-function: $X``   the target's innermost enclosing function (declaration,
                        method or function literal) is the one that encloses
                        the node bound to ``$X``: code that runs in the same
                        activation, not in a nested literal.
``written-after``       the target (or ``of: $V``) is an identifier naming a
                        variable that may hold another value once the node
                        bound to ``after: $X`` has run. Short form:
                        ``written-after: $X``.

A variable "may be written after" ``$X`` when one of its references in the
function is a write (assignment, ``op=``, ``++``/``--``, re-declaration with
``:=``, range or receive assignment, or the target of such a write through a
field, an index or a ``*`` dereference) that comes later in the text, or that
sits in a loop around ``$X`` which the variable outlives, or inside a function
literal that does not contain ``$X`` (a closure may run at any time). A method
call on the variable or on a part of it (``v.M()``, ``v.f.M()``) counts the
same way: without types it may be a pointer-receiver method that changes ``v``
(``method-calls: read`` turns that off, except that the call at ``$X`` itself
never counts). Taking its address anywhere (``&v``, or slicing it, ``v[:]``,
which aliases an array) or a ``goto`` in the function also counts.
Package-level variables always may change; constants, functions, types and
imports never do.

Loop variables declared by a ``for`` clause or ``range`` are per-iteration
since Go 1.22: with ``loop-vars: per-iteration`` writes by the loop header and
by earlier statements of the body (which touch the next iteration's copy) do
not count; the default, ``shared``, follows the older rule. A recipe that
relies on the new rule should also say ``go: "1.22"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tree_sitter import Node

from codemod.golang import resolution, scope
from codemod.rules.accepts import METAVAR, Schema, enum, one_of, options
from codemod.rules.core import CompileRule, MatchContext, Rule, RuleError
from codemod.rules.extensions.options import check_keys, metavar, subject
from codemod.syntax.tree import FUNCTION_KINDS, outermost_function

LOOP_VARS = ("shared", "per-iteration")
METHOD_CALLS = ("write", "read")
_NAME_KINDS = frozenset({"identifier", "type_identifier", "package_identifier"})
_LEFT_HOLDERS = frozenset({"assignment_statement", "short_var_declaration", "range_clause", "receive_statement"})
_STEP_THROUGH = {"selector_expression": "operand", "index_expression": "operand", "parenthesized_expression": None}


def _same_node(a: Node | None, b: Node | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.start_byte, a.end_byte, a.type) == (b.start_byte, b.end_byte, b.type)


def _contains(outer: Node, inner: Node) -> bool:
    return outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte


def enclosing_function(node: Node) -> Node | None:
    """The innermost function declaration, method or function literal around ``node``."""
    current = node.parent
    while current is not None and current.type not in FUNCTION_KINDS:
        current = current.parent
    return current


def _unary_operator(node: Node) -> str | None:
    operator = node.child_by_field_name("operator") if node.type == "unary_expression" else None
    return operator.type if operator is not None else None


def _steps_into(parent: Node, node: Node) -> bool:
    """Is ``node`` the operand ``parent`` selects, indexes, dereferences or parenthesises?"""
    if parent.type == "unary_expression":
        return _unary_operator(parent) == "*"
    if parent.type not in _STEP_THROUGH:
        return False
    field_name = _STEP_THROUGH[parent.type]
    return field_name is None or _same_node(parent.child_by_field_name(field_name), node)


def write_kind(reference: Node) -> str | None:
    """How the reference may change its variable, or ``None`` for a plain read.

    ``"write"`` when it is (the root of) an assigned operand, ``"address"`` for
    ``&v`` or a slice ``v[i:j]`` (an alias of an array), ``"method"`` when it is
    (the root of) the operand of a called selector, ``v.M()``.
    """
    node = reference
    parent = node.parent
    while parent is not None and _steps_into(parent, node):
        node, parent = parent, parent.parent
    if parent is None:
        return None
    if parent.type in ("inc_statement", "dec_statement"):
        return "write"
    if parent.type == "unary_expression":
        return "address" if _unary_operator(parent) == "&" else None
    if parent.type == "slice_expression":
        return "address" if _same_node(parent.child_by_field_name("operand"), node) else None
    if parent.type == "call_expression" and node.type == "selector_expression":
        return "method" if _same_node(parent.child_by_field_name("function"), node) else None
    if parent.type == "expression_list" and parent.parent is not None and parent.parent.type in _LEFT_HOLDERS:
        return "write" if _same_node(parent.parent.child_by_field_name("left"), parent) else None
    if parent.type in _LEFT_HOLDERS and _same_node(parent.child_by_field_name("left"), node):
        return "write"
    return None


def _loop_header(loop: Node) -> Node | None:
    """The for clause or range clause of a ``for`` statement, if it has one."""
    for child in loop.named_children:
        if child.type in ("for_clause", "range_clause"):
            return child
    return None


def _rewritten_by_loop(write: Node, point: Node, decl: scope.Declaration, per_iteration: bool) -> bool:
    """Does a loop around ``point`` run ``write`` again on the same variable after ``point``?"""
    loop = point.parent
    while loop is not None:
        if loop.type == "for_statement" and _contains(loop, write):
            body = loop.child_by_field_name("body")
            header = _loop_header(loop)
            if body is not None and body.start_byte <= decl.start < body.end_byte:
                pass  # declared in the body: a new variable every iteration
            elif header is not None and header.start_byte <= decl.start < header.end_byte:
                if not per_iteration:
                    return True
            elif not (loop.start_byte <= decl.start < loop.end_byte):
                return True
        loop = loop.parent
    return False


def _ranged_over_by_loop_around(point: Node, decl: scope.Declaration) -> bool:
    """A shared range variable of a loop around ``point``: the next iteration assigns it."""
    loop = point.parent
    while loop is not None:
        header = _loop_header(loop) if loop.type == "for_statement" else None
        if header is not None and header.type == "range_clause" and header.start_byte <= decl.start < header.end_byte:
            return True
        loop = loop.parent
    return False


def _in_other_closure(write: Node, point: Node) -> bool:
    """The write sits in a function literal that does not contain ``point``."""
    current = write.parent
    while current is not None:
        if current.type == "func_literal" and not _contains(current, point):
            return True
        current = current.parent
    return False


def _called_at(reference: Node, point: Node) -> bool:
    """The method call is ``point``'s own (``go v.M()``), not one in a closure inside it."""
    return _contains(point, reference) and not _in_other_closure(reference, point)


def _unresolved_may_change(ident: Node, ctx: MatchContext) -> bool:
    name = (ident.text or b"").decode("utf-8", errors="replace")
    for root in ctx.package_roots_containing(ident.text or b""):
        for decl in ctx.resolver_for(root).file_level(root, name):
            if decl.kind != "import":
                return decl.kind == "var"
    return name not in scope.PREDECLARED


def may_be_written_after(
    ident: Node, point: Node, ctx: MatchContext, per_iteration: bool = False, method_calls: bool = True
) -> bool:
    """May the variable ``ident`` names hold another value once ``point`` has run?

    ``method_calls``: a method call on the variable counts as a write.
    """
    decl = ctx.resolver_for(ident).resolve(ident)
    if decl is None:
        return _unresolved_may_change(ident, ctx)
    if decl.kind not in ("var", "param"):
        return False
    if decl.package_level:
        return True
    function = outermost_function(ident)
    if function is None:
        return True
    if not per_iteration and _ranged_over_by_loop_around(point, decl):
        return True
    # a goto statement's text begins with the keyword: without the word, no walk
    has_goto = b"goto" in (function.text or b"") and any(node.type == "goto_statement" for node in scope.walk(function))
    for reference in resolution.references(function, decl, ctx.resolver_for(function)):
        if reference.start_byte == decl.start:
            continue
        kind = write_kind(reference)
        if kind is None:
            continue
        if kind == "method" and (not method_calls or _called_at(reference, point)):
            continue
        if kind == "address" or has_goto:
            return True
        if reference.start_byte >= point.end_byte or _in_other_closure(reference, point):
            return True
        if _rewritten_by_loop(reference, point, decl, per_iteration):
            return True
    return False


@dataclass
class SameFunctionRule(Rule):
    """``same-function: $X``: target and ``$X`` sit directly in the same function."""

    other: str

    def match(self, target, ctx, env):
        node, other = subject(target, env, None, first=True), subject(target, env, self.other, first=True)
        if node is None or other is None:
            return None
        function = enclosing_function(node)
        return env if function is not None and _same_node(function, enclosing_function(other)) else None


@dataclass
class WrittenAfterRule(Rule):
    """``written-after``: the variable may hold another value after ``after`` has run."""

    after: str
    of: str | None = None
    per_iteration: bool = False
    method_calls: bool = True

    def match(self, target, ctx, env):
        ident, point = subject(target, env, self.of, first=True), subject(target, env, self.after, first=True)
        if ident is None or point is None or ident.type not in _NAME_KINDS:
            return None
        return env if may_be_written_after(ident, point, ctx, self.per_iteration, self.method_calls) else None


def _metavar(raw: Any, path: tuple) -> str:
    return metavar(raw, path, identifier=True)


SAME_FUNCTION_VALUE = METAVAR


def compile_same_function(
    raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule
) -> SameFunctionRule:
    return SameFunctionRule(_metavar(raw, path))


WRITTEN_AFTER_OPTIONS: dict[str, Schema] = {
    "after": METAVAR,
    "of": METAVAR,
    "loop-vars": enum(LOOP_VARS),
    "method-calls": enum(METHOD_CALLS),
}
WRITTEN_AFTER_VALUE = one_of(METAVAR, options(WRITTEN_AFTER_OPTIONS, required=("after",)))


def compile_written_after(
    raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule
) -> WrittenAfterRule:
    if isinstance(raw, str):
        return WrittenAfterRule(_metavar(raw, path))
    if not isinstance(raw, dict) or "after" not in raw:
        message = "written-after takes $X or a mapping with 'after' (and 'of', 'loop-vars', 'method-calls')"
        raise RuleError(message, path)
    check_keys(raw, path, WRITTEN_AFTER_OPTIONS)
    loop_vars = raw.get("loop-vars", "shared")
    if loop_vars not in LOOP_VARS:
        raise RuleError(f"loop-vars must be one of: {', '.join(LOOP_VARS)}", path + ("loop-vars",))
    method_calls = raw.get("method-calls", "write")
    if method_calls not in METHOD_CALLS:
        raise RuleError(f"method-calls must be one of: {', '.join(METHOD_CALLS)}", path + ("method-calls",))
    of = _metavar(raw["of"], path + ("of",)) if "of" in raw else None
    after = _metavar(raw["after"], path + ("after",))
    return WrittenAfterRule(after, of, loop_vars == "per-iteration", method_calls == "write")
