"""Lock paths inside one function, as rule keys: paths that leave a mutex locked, and when a defer may release it.

What a lock, a release and a mutex are (text of the locked expression, calls
named like ``unlock``, doc comments that speak of the lock) is in
:mod:`codemod.rules.extensions.lockfacts`; the third lock key, ``lock-held``,
in :mod:`codemod.rules.extensions.lockheld`.

``lock-escape``   the target is a lock statement, the function releases that
                  lock explicitly on some path after it (so it means to
                  release it) and never in a ``defer``, its doc comment does
                  not speak of the lock, and some path from the lock leaves
                  before a later release in the text: a ``return``, a
                  ``break`` out of a loop around the lock, the end of a
                  function without results; or comes back to a lock of the
                  same mutex while holding it (a ``continue`` or the end of a
                  loop body going round; reported wherever it is).
                  ``bind: $EXIT`` binds the statement that leaves (for a
                  path out of a loop, its ``break`` or ``continue``).
``lock-to-exit``  the target is a lock statement directly in its function's
                  body whose critical section runs to the end of the
                  function: every release after it is a plain ``X.Unlock()``
                  (none in a function literal) followed by nothing but a
                  ``return`` whose results call nothing but builtins, or
                  ending the body; nothing after it locks the same mutex
                  again, defers, starts a goroutine or jumps with ``goto``.
                  ``defer X.Unlock()`` right after the lock then releases on
                  every path where the explicit releases did. ``bind: $REST``
                  binds the statements after the lock (where they are).

``panic``, ``os.Exit``, ``log.Fatal*`` and ``runtime.Goexit`` end a path
without a finding; a ``goto`` is not followed; a lock taken inside an ``if``
or a ``case`` is not followed out of it (conditional locking), nor is a
``break`` out of a ``switch`` or ``select`` around the lock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tree_sitter import Node

from codemod.pattern.matcher import Env
from codemod.rules.accepts import BOOLEAN, METAVAR, Schema, one_of, options
from codemod.rules.core import CompileRule, MatchContext, Rule, RuleError
from codemod.rules.extensions.lockfacts import (
    CASES,
    DOCUMENTS_LOCKING,
    Mutex,
    call_of,
    doc_comment,
    enclosing_function,
    function_body,
    lock_call,
    own_nodes,
    statement_of,
    statements,
    text_of,
)
from codemod.rules.extensions.options import metavar, options_of, subject
from codemod.syntax.tree import FUNCTION_KINDS

_BREAKABLE = frozenset({"for_statement", "expression_switch_statement", "type_switch_statement", "select_statement"})
_ENDS_PATH = re.compile(rb"^(panic|os\.Exit|log\.(Fatal|Fatalf|Fatalln|Panic|Panicf|Panicln)|runtime\.Goexit)$")
_BUILTINS = frozenset({b"len", b"cap", b"make", b"new", b"append", b"copy", b"min", b"max"})


def _target_of(jump: Node) -> Node | None:
    """The statement a ``break`` or ``continue`` leaves or repeats (None: the function's edge)."""
    label = next((c for c in jump.named_children if c.type == "label_name"), None)
    wanted = _BREAKABLE if jump.type == "break_statement" else frozenset({"for_statement"})
    current = jump.parent
    while current is not None and current.type not in FUNCTION_KINDS:
        if label is None and current.type in wanted:
            return current
        if label is not None and current.type == "labeled_statement":
            name = next((c for c in current.named_children if c.type == "label_name"), None)
            if name is not None and name.text == label.text:
                return next((c for c in current.named_children if c.type != "label_name"), None)
        current = current.parent
    return None


def _key(node: Node) -> tuple[int, int, str]:
    return (node.start_byte, node.end_byte, node.type)


class Paths:
    """Every way out of the lock's critical section that does not release it."""

    def __init__(self, mutex: Mutex):
        self.mutex = mutex
        self.exits: list[Node] = []
        self.active: set[tuple[int, int, str]] = set()  # loops and switches being walked
        self.pending: dict[tuple[int, int, str], set[str]] = {}
        self.climbed: set[tuple[int, int, str]] = set()
        self.rounds: set[tuple[int, int, str]] = set()  # loops followed round to their start
        self.via: Node | None = None  # the jump (or loop end) that took this path out of its block
        self.relocks: set[tuple[int, int, str]] = set()  # exits that come back to a lock: always reported
        self.has_results = mutex.function.child_by_field_name("result") is not None

    def from_lock(self, lock: Node) -> list[Node]:
        self.climb(lock, lock)
        return self.exits

    def walk(self, statements: list[Node]) -> tuple[bool, Node | None]:
        """Whether control can run off the end of ``statements`` with the lock held, and the last statement."""
        last = None
        for statement in statements:
            last = statement
            if not self.statement(statement):
                return False, last
        return True, last

    def statement(self, node: Node) -> bool:  # noqa: C901 - one case per statement kind
        kind = node.type
        if self.mutex.releases(node) or self.mutex.deferred_release(node):
            return False
        found = lock_call(node) if kind == "expression_statement" else None
        if found is not None and found[0] == self.mutex.text and "Lock" in (found[1], self.mutex.method):
            self.exits.append(self.via or node)  # locked again while held: the lock waits for itself
            self.relocks.add(_key(self.via or node))
            return False
        if kind == "return_statement":
            self.exits.append(self.via or node)
            return False
        if kind in ("break_statement", "continue_statement"):
            return self.jump(node)
        if kind == "goto_statement":
            return False  # not followed: no finding on that path
        if kind == "expression_statement":
            call = call_of(node)
            function = call.child_by_field_name("function") if call is not None else None
            return not (function is not None and _ENDS_PATH.match(text_of(function)))
        if kind == "block":
            return self.walk(statements(node))[0]
        if kind == "labeled_statement":
            inner = [c for c in node.named_children if c.type not in ("label_name", "comment")]
            return self.statement(inner[0]) if inner else True
        if kind == "if_statement":
            consequence, alternative = node.child_by_field_name("consequence"), node.child_by_field_name("alternative")
            falls = self.statement(consequence) if consequence is not None else True
            return (self.statement(alternative) if alternative is not None else True) or falls
        if kind in _BREAKABLE:
            return self.breakable(node)
        return True  # any other statement runs on (fallthrough included: the next case is walked too)

    def breakable(self, node: Node) -> bool:
        key = _key(node)
        self.active.add(key)
        if node.type == "for_statement":
            self.walk(statements(node.child_by_field_name("body")))
            falls = any(c.type not in ("block", "comment") for c in node.named_children)  # `for {}` only by break
        else:
            clauses = [c for c in node.named_children if c.type in CASES]
            falls = any([self.walk(statements(clause))[0] for clause in clauses])
            if node.type != "select_statement" and not any(c.type == "default_case" for c in clauses):
                falls = True
        self.active.discard(key)
        return "break" in self.pending.pop(key, set()) or falls

    def jump(self, node: Node) -> bool:
        target = _target_of(node)
        if target is None:
            return False
        if _key(target) in self.active:
            self.pending.setdefault(_key(target), set()).add(node.type.split("_")[0])
            return False
        if target.type != "for_statement":
            return False  # out of a switch or select around the lock: a conditional lock, not followed
        if node.type == "continue_statement":
            self.follow(self.round, target, node)
        else:
            self.follow(self.climb, target, node)
        return False

    def follow(self, step, target: Node, via: Node) -> None:
        """Take ``step`` along a path that left its block through ``via`` (exits found are reported there)."""
        before = self.via
        self.via = before or via
        try:
            step(target, via)
        finally:
            self.via = before

    def round(self, loop: Node, via: Node) -> None:
        """The loop around the lock goes round with it held: follow its body from the start."""
        if _key(loop) in self.rounds:
            return
        self.rounds.add(_key(loop))
        self.walk(statements(loop.child_by_field_name("body")))

    def climb(self, node: Node, last: Node) -> None:
        """Control has finished ``node`` with the lock held: follow what runs next."""
        while True:
            if _key(node) in self.climbed:
                return
            self.climbed.add(_key(node))
            parent = node.parent
            if parent is None:
                return
            if parent.type == "statement_list":
                siblings = statements(parent)
                falls, tail = self.walk(siblings[siblings.index(node) + 1 :] if node in siblings else [])
                if not falls:
                    return
                last, node = tail or last, parent
                continue
            if parent.type in FUNCTION_KINDS:
                if not self.has_results:
                    self.exits.append(self.via or last)
                return
            if parent.type == "for_statement":
                self.follow(self.round, parent, last)  # the end of the loop body: it goes round locked
                return
            if parent.type == "if_statement" or parent.type in CASES:
                return  # a lock taken under a condition: released under the same condition later, maybe
            node = parent


def _nodes_in_order(nodes: list[Node]) -> list[Node]:
    return sorted(nodes, key=lambda n: n.start_byte)


def escapes(lock: Node) -> list[Node]:
    """The statements through which the lock taken by ``lock`` (a statement) is left held."""
    found = lock_call(lock)
    function = enclosing_function(lock)
    if found is None or function is None:
        return []
    if DOCUMENTS_LOCKING.search(doc_comment(function)):
        return []  # it says how it leaves the lock: "returns with mu locked", "the caller unlocks"
    mutex = Mutex(found[0], found[1], function)
    releases = [n.start_byte for n in mutex.explicit_releases() if n.start_byte > lock.end_byte]
    if mutex.deferred_anywhere() or not releases:
        return []
    paths = Paths(mutex)
    exits = paths.from_lock(lock)
    # a jump that skips a later release (an early exit), or a path back to a lock of the same mutex
    return _nodes_in_order([n for n in exits if _key(n) in paths.relocks or n.start_byte < max(releases)])


def runs_to_exit(lock: Node) -> bool:
    """Is ``defer X.Unlock()`` right after ``lock`` the same code with every path released?"""
    found = lock_call(lock)
    function = enclosing_function(lock)
    body = function_body(function) if function is not None else None
    if found is None or function is None or body is None or lock not in statements(body):
        return False
    mutex = Mutex(found[0], found[1], function)
    later = [n for n in own_nodes(body) if n.start_byte > lock.end_byte]
    for node in later:
        if node.type == "go_statement" or node.type == "defer_statement" or node.type == "goto_statement":
            return False
        again = lock_call(node) if node.type == "expression_statement" else None
        if again is not None and again[0] == mutex.text:
            return False
    releases = [n for n in later if n.type == "expression_statement" and mutex.releases(n)]
    plain = mutex.text + b"." + mutex.release.encode() + b"()"
    if any(text_of(n) != plain for n in releases):
        return False  # a helper releases it: it cannot be deleted
    if not releases or any(_in_literal(n, body) for n in _releases_anywhere(mutex, body, lock)):
        return False
    return all(_release_then_exit(n, body) for n in releases)


def _releases_anywhere(mutex: Mutex, body: Node, lock: Node) -> list[Node]:
    stack, found = [body], []
    while stack:
        node = stack.pop()
        if node.type == "expression_statement" and node.start_byte > lock.end_byte and mutex.releases(node):
            found.append(node)
        stack.extend(node.children)
    return found


def _in_literal(node: Node, body: Node) -> bool:
    current = node.parent
    while current is not None and current != body:
        if current.type == "func_literal":
            return True
        current = current.parent
    return False


def _release_then_exit(release: Node, body: Node) -> bool:
    """The release is followed by nothing but a return that calls nothing, or it ends the body."""
    parent = release.parent
    siblings = statements(parent) if parent is not None else []
    after = siblings[siblings.index(release) + 1 :] if release in siblings else [None]
    if not after:
        return parent is not None and parent.parent == body
    following = after[0]
    if following is None or following.type != "return_statement":
        return False
    calls = [n for n in own_nodes(following) if n.type in ("call_expression", "func_literal")]
    return all(
        text_of(c.child_by_field_name("function")) in _BUILTINS for c in calls if c.type == "call_expression"
    ) and not any(c.type == "func_literal" for c in calls)


@dataclass
class LockEscapeRule(Rule):
    """``lock-escape``: some path leaves the lock held."""

    bind: str | None = None

    def match(self, target, ctx: MatchContext, env: Env):
        node = subject(target, env, None)
        exits = escapes(statement_of(node)) if node is not None else []
        if not exits:
            return None
        return {**env, self.bind: exits[0]} if self.bind else env


@dataclass
class LockToExitRule(Rule):
    """``lock-to-exit``: the lock's critical section runs to the end of the function."""

    bind: str | None = None

    def match(self, target, ctx: MatchContext, env: Env):
        node = subject(target, env, None)
        if node is None or not runs_to_exit(statement_of(node)):
            return None
        lock = statement_of(node)
        if not self.bind:
            return env
        siblings = statements(lock.parent)
        return {**env, self.bind: tuple(siblings[siblings.index(lock) + 1 :])}


BIND_OPTIONS: dict[str, Schema] = {"bind": METAVAR}
LOCK_ESCAPE_VALUE = one_of(BOOLEAN, options(BIND_OPTIONS))


def _bind_option(raw: Any, path: tuple, key: str) -> str | None:
    if raw is True:
        return None
    options = options_of(raw, path, BIND_OPTIONS)
    return metavar(options["bind"], path + ("bind",), identifier=True) if "bind" in options else None


def _check_true(raw: Any, path: tuple, key: str) -> None:
    if raw is False:
        raise RuleError(f"{key}: false is not a rule (write not: {{{key}: true}})", path)


def compile_lock_escape(raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule) -> Rule:
    _check_true(raw, path, "lock-escape")
    return LockEscapeRule(_bind_option(raw, path, "lock-escape"))


def compile_lock_to_exit(raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule) -> Rule:
    _check_true(raw, path, "lock-to-exit")
    return LockToExitRule(_bind_option(raw, path, "lock-to-exit"))
