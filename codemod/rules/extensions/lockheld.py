"""Code that runs under a lock, as a rule key: ``lock-held``.

``lock-held`` holds when the target runs while a mutex is held: an earlier
lock statement ``X.Lock()`` or ``X.RLock()`` in a block around it (in the same
function, not across a function literal) with no release of ``X`` between
them. A release counts when it is a statement of a block around the target,
or sits deeper and is not followed by a jump (``if err { mu.Unlock(); return
}`` leaves the lock held for what follows). Options:

``bind: $L``          the lock call;
``bind-mutex: $MU``   its mutex expression; when ``$MU`` is already bound,
                      that mutex must be the one held;
``mode``              ``write`` (``Lock``), ``read`` (``RLock``) or ``any``
                      (default): which locks count.

``lock-held: true`` is the same with no option. A deferred release does not
release: the lock stays held to the end of the function.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from tree_sitter import Node

from codemod.pattern.matcher import Env
from codemod.rules.accepts import BOOLEAN, METAVAR, Schema, enum, one_of, options
from codemod.rules.core import CompileRule, MatchContext, Rule, RuleError
from codemod.rules.extensions.lockfacts import (
    UNLOCK_NAME,
    Mutex,
    call_of,
    enclosing_function,
    lock_call,
    own_nodes,
    statements,
    text_of,
    unlocked_by,
)
from codemod.rules.extensions.options import metavar, options_of, subject
from codemod.syntax.tree import FUNCTION_KINDS

MODES = ("any", "write", "read")
_JUMPS = frozenset({"return_statement", "break_statement", "continue_statement", "goto_statement"})


def held_lock(node: Node, mode: str, mutex_text: bytes | None, ctx: MatchContext) -> tuple[Node, Node] | None:
    """``(lock statement, mutex node)`` of a lock held where ``node`` runs, the innermost first.

    ``ctx``: the match context of ``node``'s file. A function whose text has no
    ``Lock()`` before ``node`` is answered without a walk, and each lock's
    first release in its block is looked for once per pass (:class:`FirstRelease`).
    """
    last_lock = _last_lock_before(node.start_byte, ctx)
    function = _function_around(node, ctx) if last_lock is not None else None
    if function is None or last_lock is None or last_lock < function.start_byte:
        return None  # no `Lock()` between the start of the function and the target
    current: Node | None = node
    released: set[bytes] = set()  # mutexes released by a statement of a block around the target
    while current is not None and current != function:
        parent = current.parent
        if parent is not None and parent.type == "statement_list":
            siblings = statements(parent)
            index = siblings.index(current) if current in siblings else 0
            for sibling in reversed(siblings[:index]):
                unlocked = unlocked_by(sibling)
                if unlocked is not None:
                    released.add(unlocked)
                found = lock_call(sibling)
                if found is None or found[0] in released:
                    continue
                if (mutex_text is None or found[0] == mutex_text) and _mode_holds(found[1], mode):
                    if not _released_between(found, siblings, sibling, index, function, ctx):
                        return sibling, found[2]
        current = parent
    return None


def _last_lock_before(offset: int, ctx: MatchContext) -> int | None:
    """Where the last ``Lock()`` (of ``Lock()`` or ``RLock()``) that ends by ``offset`` starts, if one does.

    The file's occurrences are found once per pass (a target's own search
    back could cross most of the file).
    """
    key = (_LOCK_TEXTS, ctx.root)
    starts = ctx.memo.get(key)
    if starts is None:
        starts = ctx.memo[key] = [found.start() for found in _LOCK_TEXT.finditer(ctx.source)]
    index = bisect.bisect_right(starts, offset - len(b"Lock()"))
    return starts[index - 1] if index else None


_LOCK_TEXTS = "lock-held.lock-texts"
_LOCK_TEXT = re.compile(rb"Lock\(\)")  # (two occurrences never overlap)


def _function_around(node: Node, ctx: MatchContext) -> Node | None:
    """:func:`enclosing_function`, from the file's functions found once per pass (no walk up per target).

    In a tree without errors every function (declaration, method, literal)
    begins with its ``func`` keyword, so they are found from that word's
    occurrences; functions nest, so the innermost one around ``node`` is the
    last to start before it that ends after it. A tree with errors, or a
    function spanning exactly the node (not told apart from the node itself),
    is walked as before.
    """
    key = (_FUNCTIONS, ctx.root)
    if key not in ctx.memo:
        ctx.memo[key] = None if ctx.root.has_error else _functions_of(ctx.root, ctx.source)
    functions = ctx.memo[key]
    if functions is None:
        return enclosing_function(node)
    starts, nodes = functions
    index = bisect.bisect_right(starts, node.start_byte) - 1
    while index >= 0:
        function = nodes[index]
        if function.end_byte >= node.end_byte:
            if function.start_byte == node.start_byte:
                return enclosing_function(node)  # the same span: the node itself, or its only child
            return function
        index -= 1
    return None


def _functions_of(root: Node, source: bytes) -> tuple[list[int], list[Node]]:
    """The functions of a tree without errors, by start: the parents of its ``func`` keywords."""
    found: list[Node] = []
    for word in _FUNC_WORD.finditer(source):
        keyword = root.descendant_for_byte_range(word.start(), word.end())
        function = keyword.parent if keyword is not None and keyword.type == "func" else None
        if function is not None and function.type in FUNCTION_KINDS and function.start_byte == word.start():
            found.append(function)
    return [function.start_byte for function in found], found


_FUNCTIONS = "lock-held.functions"
_FUNC_WORD = re.compile(rb"func(?<![\w\x80-\xff]func)(?![\w\x80-\xff])")  # the literal first: a fast scan


def _mode_holds(method: str, mode: str) -> bool:
    return mode == "any" or (mode == "write") == (method == "Lock")


def _released_between(
    found: tuple[bytes, str, Node], siblings: list[Node], lock: Node, index: int, function: Node, ctx: MatchContext
) -> bool:
    """A statement between the lock and ``index`` may release it and fall through (an Unlock not followed by an exit)."""
    start = siblings.index(lock) + 1
    between = siblings[start:index]
    if not between or ctx.source.find(b"nlock", between[0].start_byte, between[-1].end_byte) < 0:
        return False  # no Unlock, RUnlock or unlock... call in the text between them
    key = (_FIRST_RELEASE, ctx.root, lock.start_byte, lock.end_byte)
    first = ctx.memo.get(key)
    if first is None:
        first = ctx.memo[key] = FirstRelease(siblings, Mutex(found[0], found[1], function), ctx.source, start)
    return first.before(index)


_FIRST_RELEASE = "lock-held.first-release"


class FirstRelease:
    """The first statement after a lock, in the lock's block, that releases it and falls through.

    Whether a statement does depends only on the statement and the lock, so
    the block is examined once per lock, as far as a target needs: each
    statement once, in order, until one releases. A statement whose text
    holds no ``unlock`` (in any case) holds no release (:meth:`Mutex.releases`
    looks for that name) and is not walked.
    """

    def __init__(self, siblings: list[Node], mutex: Mutex, source: bytes, start: int):
        self.siblings, self.mutex, self.source = siblings, mutex, source
        self.checked = start  # the statements before this index are examined
        self.found: int | None = None

    def before(self, index: int) -> bool:
        """Whether such a statement comes before ``siblings[index]``."""
        while self.found is None and self.checked < index:
            if self._releases(self.siblings[self.checked]):
                self.found = self.checked
            self.checked += 1
        return self.found is not None and self.found < index

    def _releases(self, sibling: Node) -> bool:
        if UNLOCK_NAME.search(self.source, sibling.start_byte, sibling.end_byte) is None:
            return False
        for node in own_nodes(sibling):
            if node.type != "expression_statement" or not self.mutex.releases(node):
                continue
            if node == sibling:
                return True  # released in the same block, before the target
            rest = statements(node.parent) if node.parent is not None else []
            tail = rest[rest.index(node) + 1 :] if node in rest else []
            if not any(t.type in _JUMPS for t in tail):
                return True
        return False


@dataclass
class LockHeldRule(Rule):
    """``lock-held``: the target runs while a mutex is held."""

    mutex: str | None = None
    lock: str | None = None
    mode: str = "any"

    def match(self, target, ctx: MatchContext, env: Env):
        node = subject(target, env, None, first=True)
        bound = subject(target, env, self.mutex) if self.mutex and self.mutex in env else None
        if node is None or (self.mutex and self.mutex in env and bound is None):
            return None
        found = held_lock(node, self.mode, text_of(bound) if bound is not None else None, ctx)
        if found is None:
            return None
        out = dict(env)
        if self.mutex and self.mutex not in env:
            out[self.mutex] = found[1]
        if self.lock:
            out[self.lock] = call_of(found[0]) or found[0]
        return out


LOCK_HELD_OPTIONS: dict[str, Schema] = {"bind": METAVAR, "bind-mutex": METAVAR, "mode": enum(MODES)}
LOCK_HELD_VALUE = one_of(BOOLEAN, options(LOCK_HELD_OPTIONS))


def compile_lock_held(raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule) -> Rule:
    if raw is False:
        raise RuleError("lock-held: false is not a rule (write not: {lock-held: true})", path)
    if raw is True:
        return LockHeldRule()
    options = options_of(raw, path, LOCK_HELD_OPTIONS)
    mode = options.get("mode", "any")
    if mode not in MODES:
        raise RuleError(f"mode must be one of: {', '.join(MODES)}", path + ("mode",))
    names = {k: metavar(options[k], path + (k,), identifier=True) for k in ("bind", "bind-mutex") if k in options}
    return LockHeldRule(names.get("bind-mutex"), names.get("bind"), mode)
