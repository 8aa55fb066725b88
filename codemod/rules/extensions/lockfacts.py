"""What the lock keys share: lock and unlock statements, a function's statements, a mutex's releases.

Without types a mutex is followed by the text of the expression it is locked
through (``mu``, ``s.mu``, ``c.conns.mu``): ``X.Lock()`` is released by
``X.Unlock()``, ``X.RLock()`` by ``X.RUnlock()``. A call whose name holds
``unlock`` (``s.unlockAndRun()``) counts as a release too. A function whose
doc comment speaks of the lock (``locked``, ``held``, ``holding``, or the
caller unlocking: "returns with mu locked", "must be called with c.mu held",
"the caller must unlock") says how it treats it, and the lock keys take its
word (:mod:`codemod.rules.extensions.lockpaths`,
:mod:`codemod.rules.extensions.methodlocks`).
"""

from __future__ import annotations

import re

from tree_sitter import Node

from codemod.syntax.tree import FUNCTION_KINDS

RELEASE = {"Lock": "Unlock", "RLock": "RUnlock"}
CASES = frozenset({"expression_case", "default_case", "type_case", "communication_case"})
UNLOCK_NAME = re.compile(rb"(?i)unlock")  # a call so named releases (Mutex.releases)
DOCUMENTS_LOCKING = re.compile(rb"(?i)\b(locked|held|holding)\b|\bcaller\b[^.]*\bunlock")


def text_of(node: Node | None) -> bytes:
    """A node's text without white space: how two mentions of one mutex compare."""
    return re.sub(rb"\s+", b"", node.text or b"") if node is not None else b""


def statement_of(node: Node) -> Node:
    """A call's expression statement, or the node itself."""
    parent = node.parent
    if node.type == "call_expression" and parent is not None and parent.type == "expression_statement":
        return parent
    return node


def call_of(node: Node | None) -> Node | None:
    """The call an expression statement makes."""
    if node is None or node.type != "expression_statement":
        return None
    inner = node.named_children[0] if node.named_children else None
    return inner if inner is not None and inner.type == "call_expression" else None


def lock_call(statement: Node) -> tuple[bytes, str, Node] | None:
    """``(mutex text, lock method, mutex node)`` of a statement ``X.Lock()`` or ``X.RLock()``."""
    call = call_of(statement)
    function = call.child_by_field_name("function") if call is not None else None
    if function is None or function.type != "selector_expression":
        return None
    name = (function.child_by_field_name("field") or function).text or b""
    operand = function.child_by_field_name("operand")
    if name.decode() not in RELEASE or operand is None:
        return None
    return text_of(operand), name.decode(), operand


def function_body(function: Node) -> Node | None:
    return function.child_by_field_name("body")


def enclosing_function(node: Node) -> Node | None:
    current = node.parent
    while current is not None and current.type not in FUNCTION_KINDS:
        current = current.parent
    return current


def statements(node: Node | None) -> list[Node]:
    """The statements of a block, a statement list or a case clause."""
    if node is None:
        return []
    if node.type in ("block",) or node.type in CASES:
        lists = [child for child in node.named_children if child.type == "statement_list"]
        return statements(lists[0]) if lists else []
    if node.type == "statement_list":
        return [child for child in node.named_children if child.type != "comment"]
    return [node]


def own_nodes(root: Node):
    """``root``'s subtree without the insides of function literals."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(child for child in node.children if child.type != "func_literal")


class Mutex:
    """One lock in one function: which statements release it."""

    def __init__(self, text: bytes, method: str, function: Node):
        self.text, self.method, self.release, self.function = text, method, RELEASE[method], function

    def releases(self, statement: Node) -> bool:
        """An explicit release of this lock (``X.Unlock()``, or a call named like ``unlock...``)."""
        call = call_of(statement)
        function = call.child_by_field_name("function") if call is not None else None
        if function is None:
            return False
        if function.type == "selector_expression":
            field = function.child_by_field_name("field")
            if field is not None and field.text == self.release.encode():
                return text_of(function.child_by_field_name("operand")) == self.text
            if field is not None and field.text in (b"Unlock", b"RUnlock"):
                return False  # another mutex's
            name = field.text if field is not None else b""
        else:
            name = function.text or b""
        return bool(UNLOCK_NAME.search(name or b""))

    def deferred_release(self, statement: Node) -> bool:
        """``defer X.Unlock()``, or a deferred function literal that releases it."""
        if statement.type != "defer_statement":
            return False
        marker = self.text + b"." + self.release.encode() + b"("
        return marker in text_of(statement) or any(
            node.type == "expression_statement" and self.releases(node) for node in _deferred_literal_body(statement)
        )

    def explicit_releases(self) -> list[Node]:
        """The statements of the function (not of its function literals) that release the lock, in order."""
        statements, _ = release_candidates(function_body(self.function))
        return [n for n in statements if self.releases(n)]

    def deferred_anywhere(self) -> bool:
        """Whether a ``defer`` of the function (not of its function literals) releases the lock."""
        _, defers = release_candidates(function_body(self.function))
        return any(self.deferred_release(n) for n in defers)


# What every release's text holds: ``unlock`` in any case (Mutex.releases), its letters
# maybe apart (Mutex.deferred_release reads the text without blanks).
_RELEASE_TEXT = re.compile(rb"(?i)u\s*n\s*l\s*o\s*c\s*k")


def release_candidates(body: Node | None) -> tuple[list[Node], list[Node]]:
    """The expression statements and the ``defer`` statements of ``body`` that may release a lock, in order.

    Those of :func:`own_nodes` (function literals excluded) whose text holds
    ``unlock`` in any case, letters maybe apart: what :meth:`Mutex.releases`
    and :meth:`Mutex.deferred_release` need. Found from those occurrences,
    upwards, rather than by walking every node of the body.
    """
    if body is None:
        return [], []
    found: dict[tuple[int, int, str], Node] = {}
    for occurrence in _RELEASE_TEXT.finditer(body.text or b""):
        start, end = body.start_byte + occurrence.start(), body.start_byte + occurrence.end()
        node = body.descendant_for_byte_range(start, end)
        chain = []
        while node is not None and node != body:
            chain.append(node)
            node = node.parent
        for ancestor in reversed(chain):  # from the body down: a function literal's own code is not the body's
            if ancestor.type == "func_literal":
                break
            if ancestor.type in ("expression_statement", "defer_statement"):
                found[ancestor.start_byte, -ancestor.end_byte, ancestor.type] = ancestor
    ordered = [found[key] for key in sorted(found)]
    return (
        [n for n in ordered if n.type == "expression_statement"],
        [n for n in ordered if n.type == "defer_statement"],
    )


def _deferred_literal_body(statement: Node) -> list[Node]:
    call = statement.named_children[0] if statement.named_children else None
    literal = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
    if literal is None or literal.type != "func_literal":
        return []
    body = literal.child_by_field_name("body")
    return list(own_nodes(body)) if body is not None else []


def unlocked_by(statement: Node) -> bytes | None:
    """The mutex text of a statement ``X.Unlock()`` or ``X.RUnlock()``."""
    call = call_of(statement)
    function = call.child_by_field_name("function") if call is not None else None
    name = function.child_by_field_name("field") if function is not None else None
    if function is None or function.type != "selector_expression" or name is None:
        return None
    return text_of(function.child_by_field_name("operand")) if name.text in (b"Unlock", b"RUnlock") else None


def doc_comment(function: Node) -> bytes:
    """The comment lines right above a function declaration (none for a literal)."""
    lines = []
    current = function.prev_sibling if function.type != "func_literal" else None
    below = function.start_point[0]
    while current is not None and current.type == "comment" and current.end_point[0] >= below - 1:
        lines.append(current.text or b"")
        below = current.start_point[0]
        current = current.prev_sibling
    return b"\n".join(reversed(lines))
