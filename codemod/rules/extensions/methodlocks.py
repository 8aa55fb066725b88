"""Package facts as rule keys: which methods of a type lock which field of their receiver, and what they call on it.

``locks-receiver`` holds on a call ``R.M(...)`` (the target, or ``of: $CALL``)
made in a method whose receiver is ``R``, when ``M`` is a method of the same
receiver type, declared in any file of the package, whose body locks a field
of its own receiver (``s.mu.Lock()``, ``s.state.mu.RLock()``, or ``s.Lock()``
for an embedded mutex), directly or
through one level of calls ``s.N(...)`` of other methods of that type.

Options:

``mutex: $MU``   only a lock of the same field: ``$MU`` is bound to ``R.mu``
                 (for instance by ``lock-held``), and the callee, whatever its
                 receiver is named, locks ``<receiver>.mu``;
``locks``        which lock methods count, a list of ``Lock`` and ``RLock``
                 (default both).

``some-method-calls`` holds on a target inside a method with receiver ``R``
when another method of the same type (any file of the package) calls, in its
own goroutine (deferred calls included), every listed method on every listed
field: ``[{of: $WG, calls: [Done]}, {of: $MU, calls: [Lock]}]`` with
``$WG`` bound to ``R.wg`` and ``$MU`` to ``R.mu`` asks for a method that calls
``x.wg.Done()`` and ``x.mu.Lock()``, whatever its receiver is named (a worker
that a ``R.wg.Wait()`` under ``R.mu`` would wait for).

A call ``F(...)`` of a package-level function (with ``mutex: $MU``) holds
when ``F``, in any file of the package, locks the mutex written as ``$MU``
is (``mu``, ``cache.mu``), itself or through one level of calls of package
functions, and declares no parameter or local of the mutex's first name.
The recipe checks that the name is a package-level variable.

A callee whose doc comment speaks of the lock ("must be called with c.mu
held") or that assigns its receiver variable (``c = c.parent``) does not
count. A callee that unlocks the field before it locks it (``s.mu.RUnlock()`` then
``s.mu.Lock()``) expects it held and does not count. Only code that runs in
the callee's own goroutine counts: locks inside function literals and ``go``
statements do not, nor does a deferred lock. The receiver's type
is read from the declaration (``func (s *T)``, ``func (s T[K])``): embedded
types' methods are not followed. The facts of a type are computed once per
package pass (``ctx.memo``) from the files that declare methods of the type
(read from their bytes before parsing), each method's when first asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tree_sitter import Node

from codemod.pattern.matcher import Env
from codemod.rules.accepts import METAVAR, Schema, enum, list_of, options
from codemod.rules.core import CompileRule, MatchContext, Rule, RuleError
from codemod.rules.extensions.lockfacts import DOCUMENTS_LOCKING, RELEASE, doc_comment, lock_call, unlocked_by
from codemod.rules.extensions.options import metavar, options_of, subject

LOCK_METHODS = tuple(RELEASE)
_MEMO_KEY = "methodlocks"
_SKIPPED = frozenset({"func_literal", "go_statement"})  # code that runs in another goroutine


@dataclass
class MethodFacts:
    """What one method does with its receiver: fields it locks (path, method), methods it calls,
    methods it calls on its fields (path, method; deferred calls included)."""

    locks: set[tuple[bytes, str]] = field(default_factory=set)
    calls: set[bytes] = field(default_factory=set)
    field_calls: set[tuple[bytes, str]] = field(default_factory=set)
    shadows: set[bytes] = field(default_factory=set)  # a function's parameters and locals (hide package names)


def _text(node: Node | None) -> bytes:
    return re.sub(rb"\s+", b"", node.text or b"") if node is not None else b""


def receiver(method: Node) -> tuple[bytes, bytes] | None:
    """``(receiver name, base type name)`` of a method declaration."""
    params = method.child_by_field_name("receiver")
    declaration = (
        next((c for c in params.named_children if c.type == "parameter_declaration"), None) if params else None
    )
    if declaration is None:
        return None
    name, kind = declaration.child_by_field_name("name"), declaration.child_by_field_name("type")
    while kind is not None and kind.type in ("pointer_type", "generic_type", "parenthesized_type"):
        kind = kind.child_by_field_name("type") if kind.type == "generic_type" else kind.named_children[-1]
    if name is None or kind is None or kind.type != "type_identifier":
        return None
    return name.text or b"", kind.text or b""


def _own_nodes(root: Node):
    """``root``'s subtree in document order, without function literals, ``go`` and ``defer`` statements."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed([child for child in node.children if child.type not in _SKIPPED]))


def field_path(mutex: bytes, receiver_name: bytes | None) -> bytes | None:
    """``mu`` for ``s.mu`` with receiver ``s``; empty for ``s`` itself (an embedded mutex); else None.

    Without a receiver (a function), the mutex's whole text.
    """
    if receiver_name is None:
        return mutex
    if mutex == receiver_name:
        return b""
    prefix = receiver_name + b"."
    return mutex[len(prefix) :] if mutex.startswith(prefix) else None


def method_facts(method: Node, name: bytes | None) -> MethodFacts:
    """The receiver fields ``method`` locks and the receiver methods it calls.

    For a function (``name`` None): the mutexes it locks, by text, and the functions it calls.
    """
    facts = MethodFacts()
    body = method.child_by_field_name("body")
    if body is None or DOCUMENTS_LOCKING.search(doc_comment(method)):
        return facts  # "must be called with c.mu held"
    if name is None:
        parameters = method.child_by_field_name("parameters")
        for declaration in parameters.named_children if parameters is not None else []:
            facts.shadows.update(n.text or b"" for n in declaration.named_children if n.type == "identifier")
    released: set[bytes] = set()  # fields it unlocks first: it expects them held, and hands them back
    for node in _own_nodes(body):
        if node.type == "expression_statement":
            found = lock_call(node)
            unlocked = unlocked_by(node)
            unlocked_path = field_path(unlocked, name) if unlocked is not None else None
            if unlocked_path is not None:
                released.add(unlocked_path)
            path = field_path(found[0], name) if found is not None else None
            if found is not None and path is not None and path not in released:
                facts.locks.add((path, found[1]))
        elif node.type == "call_expression":
            function = node.child_by_field_name("function")
            operand = function.child_by_field_name("operand") if function is not None else None
            if name is None and function is not None and function.type == "identifier":
                facts.calls.add(function.text or b"")
            if function is None or function.type != "selector_expression":
                continue
            called = ((function.child_by_field_name("field") or function).text or b"").decode()
            if name is not None and _text(operand) == name:
                facts.calls.add(called.encode())
            on = field_path(_text(operand), name)
            if on is not None:
                facts.field_calls.add((on, called))
        elif name is None and node.type in ("parameter_declaration", "short_var_declaration", "var_spec"):
            names = node.child_by_field_name("left") if node.type == "short_var_declaration" else node
            facts.shadows.update(
                n.text or b"" for n in (names.named_children if names else []) if n.type == "identifier"
            )
        elif node.type == "assignment_statement" and name is not None:
            left = node.child_by_field_name("left")
            if left is not None and any(_text(target) == name for target in left.named_children):
                return MethodFacts()  # the receiver variable changes hands (``c = c.parent``)
    return facts


class TypeMethods:
    """The methods of one type in the package, their facts computed when first asked for."""

    def __init__(self, type_name: bytes, ctx: MatchContext):
        self.declarations: dict[bytes, tuple[Node, bytes]] = {}
        declares = re.compile(rb"func\s*\([^)]*\b" + re.escape(type_name) + rb"\b").search
        for root in [ctx.root, *ctx.package_roots_where((type_name,), lambda data: declares(data) is not None)]:
            for method in root.named_children:
                found = receiver(method) if method.type == "method_declaration" else None
                method_name = method.child_by_field_name("name")
                if found is not None and found[1] == type_name and method_name is not None:
                    self.declarations[method_name.text or b""] = (method, found[0])
        self.facts: dict[bytes, MethodFacts] = {}

    def get(self, name: bytes) -> MethodFacts | None:
        if name not in self.facts:
            declared = self.declarations.get(name)
            if declared is None:
                return None
            self.facts[name] = method_facts(*declared)
        return self.facts[name]


def type_methods(type_name: bytes, ctx: MatchContext) -> TypeMethods:
    """Every method of ``type_name`` in the package (once per pass)."""
    key = (_MEMO_KEY, type_name)
    if key not in ctx.memo:
        ctx.memo[key] = TypeMethods(type_name, ctx)
    return ctx.memo[key]


_FUNCTION_DECLARATION = re.compile(rb"^func[ \t]+(\w+)[ \t]*[\[(]", re.MULTILINE)


def _package_functions(ctx: MatchContext) -> set[bytes]:
    """Names of the package-level functions of the package, read from the files' bytes (no parse)."""
    key = (_MEMO_KEY, b"functions")
    if key not in ctx.memo:
        names = set(_FUNCTION_DECLARATION.findall(ctx.root.text or b""))

        def note(data: bytes) -> bool:
            names.update(_FUNCTION_DECLARATION.findall(data))
            return False  # noted; nothing to parse

        ctx.package_roots_where((b"func",), note)
        ctx.memo[key] = names
    return ctx.memo[key]


def function_facts(name: bytes, ctx: MatchContext) -> MethodFacts | None:
    """What the package-level function ``name`` locks and calls (once per pass), or None when there is none."""
    key = (_MEMO_KEY, b"func", name)
    if key not in ctx.memo:
        ctx.memo[key] = None
        if name not in _package_functions(ctx):
            return None
        declares = re.compile(rb"^func[ \t]+" + re.escape(name) + rb"[ \t]*[\[(]", re.MULTILINE).search
        for root in [ctx.root, *ctx.package_roots_where((name,), lambda data: declares(data) is not None)]:
            for function in root.named_children:
                found = function.child_by_field_name("name") if function.type == "function_declaration" else None
                if found is not None and found.text == name:
                    ctx.memo[key] = method_facts(function, None)
    return ctx.memo[key]


def function_locks(call: Node, ctx: MatchContext, mutex: bytes, methods: frozenset[str]) -> bool:
    """Does the package-level function ``call`` names lock ``mutex`` (by text), itself or through one it calls?"""
    function = call.child_by_field_name("function") if call.type == "call_expression" else None
    if function is None or function.type != "identifier":
        return False
    callee = function_facts(function.text or b"", ctx)
    root = mutex.split(b".")[0]

    def locks(facts: MethodFacts | None) -> bool:
        return (
            facts is not None and root not in facts.shadows and any(p == mutex and m in methods for p, m in facts.locks)
        )

    return locks(callee) or (callee is not None and any(locks(function_facts(n, ctx)) for n in callee.calls))


def enclosing_method(node: Node) -> Node | None:
    current = node.parent
    while current is not None and current.type != "method_declaration":
        current = current.parent
    return current


def callee_locks(call: Node, ctx: MatchContext, path: bytes | None, methods: frozenset[str]) -> bool:
    """Does the receiver method ``call`` names lock ``path`` (any field when None) with one of ``methods``?"""
    function = call.child_by_field_name("function") if call.type == "call_expression" else None
    method = enclosing_method(call)
    found = receiver(method) if method is not None else None
    if function is None or function.type != "selector_expression" or found is None:
        return False
    if _text(function.child_by_field_name("operand")) != found[0]:
        return False
    table = type_methods(found[1], ctx)
    callee = table.get((function.child_by_field_name("field") or function).text or b"")
    if callee is None:
        return False

    def locks(facts: MethodFacts | None) -> bool:
        return facts is not None and any((path is None or p == path) and m in methods for p, m in facts.locks)

    return locks(callee) or any(locks(table.get(name)) for name in callee.calls)


@dataclass
class LocksReceiverRule(Rule):
    """``locks-receiver``: the called receiver method locks a field of the receiver."""

    of: str | None = None
    mutex: str | None = None
    methods: frozenset[str] = frozenset(LOCK_METHODS)

    def match(self, target, ctx: MatchContext, env: Env):
        call = subject(target, env, self.of)
        if call is None:
            return None
        function = call.child_by_field_name("function") if call.type == "call_expression" else None
        if function is not None and function.type == "identifier":
            bound = subject(target, env, self.mutex) if self.mutex is not None else None
            held = _text(bound) if bound is not None else b""
            return env if held and function_locks(call, ctx, held, self.methods) else None
        path = None
        if self.mutex is not None:
            bound = subject(target, env, self.mutex)
            method = enclosing_method(call)
            found = receiver(method) if method is not None else None
            path = field_path(_text(bound), found[0]) if bound is not None and found is not None else None
            if path is None:
                return None
        return env if callee_locks(call, ctx, path, self.methods) else None


LOCKS_RECEIVER_OPTIONS: dict[str, Schema] = {"of": METAVAR, "mutex": METAVAR, "locks": list_of(enum(LOCK_METHODS))}
LOCKS_RECEIVER_VALUE = options(LOCKS_RECEIVER_OPTIONS)


def compile_locks_receiver(raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule) -> Rule:
    raw = options_of(raw, path, LOCKS_RECEIVER_OPTIONS)
    names = {k: metavar(raw[k], path + (k,), identifier=True) for k in ("of", "mutex") if k in raw}
    methods = raw.get("locks", list(LOCK_METHODS))
    if not isinstance(methods, list) or not methods or any(m not in LOCK_METHODS for m in methods):
        raise RuleError(f"locks must be a list of: {', '.join(LOCK_METHODS)}", path + ("locks",))
    return LocksReceiverRule(names.get("of"), names.get("mutex"), frozenset(methods))


@dataclass
class SomeMethodCallsRule(Rule):
    """``some-method-calls``: another method of the receiver's type calls each listed method on each field."""

    wanted: tuple[tuple[str, frozenset[str]], ...]  # (metavariable bound to R.field, method names)

    def match(self, target, ctx: MatchContext, env: Env):
        node = subject(target, env, None, first=True)
        method = enclosing_method(node) if node is not None else None
        found = receiver(method) if method is not None else None
        if method is None or found is None:
            return None
        paths = []
        for name, methods in self.wanted:
            bound = subject(target, env, name)
            path = field_path(_text(bound), found[0]) if bound is not None else None
            if path is None:
                return None
            paths.append((path, methods))
        table = type_methods(found[1], ctx)
        here = method.child_by_field_name("name")
        for other in table.declarations:
            facts = table.get(other) if here is None or other != here.text else None
            if facts is not None and all(
                any(p == path and m in methods for p, m in facts.field_calls) for path, methods in paths
            ):
                return env
        return None


SOME_METHOD_CALLS_ITEM: Schema = options(
    {"of": METAVAR, "calls": list_of({"type": "string"})}, required=("of", "calls")
)
SOME_METHOD_CALLS_VALUE = list_of(SOME_METHOD_CALLS_ITEM)


def compile_some_method_calls(raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule) -> Rule:
    if not isinstance(raw, list) or not raw:
        raise RuleError("some-method-calls takes a list of {of: $FIELD, calls: [Name, ...]}", path)
    wanted = []
    for index, item in enumerate(raw):
        item = options_of(item, path + (index,), ("of", "calls"))
        methods = item.get("calls")
        if (
            "of" not in item
            or not isinstance(methods, list)
            or not methods
            or not all(isinstance(m, str) for m in methods)
        ):
            raise RuleError("each item needs of: $FIELD and calls: a list of method names", path + (index,))
        wanted.append((metavar(item["of"], path + (index, "of"), identifier=True), frozenset(methods)))
    return SomeMethodCallsRule(tuple(wanted))
