"""How many times a goroutine's function literal can send on a channel on one run: at most, or at least.

:class:`SendCounter` walks the literal's body as structured Go code and
keeps, for each path, the number of sends made so far: a ``return`` ends a
path, an ``if`` or a ``switch``/``select`` takes the larger of its branches, a
``break`` carries its path past the loop (or the ``switch``). A loop is
bounded when no path goes round it again after sending (``ch <- err;
return`` or ``ch <- err; break`` in a retry loop sends once); otherwise the
count is :data:`UNBOUNDED`. Deferred sends (``defer func() { ch <- v }()``)
run once at the end and are added. ``goto``, labelled jumps, ``fallthrough``
and a send in some other place raise :class:`Unknown`.

With ``fewest``, the same walk keeps the fewest sends instead of the most
(a loop may run no time, a branch may be skipped): when the fewest and the
most agree, the literal sends exactly that many times on every path.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from codemod.rules.extensions.receivepaths import UNBOUNDED, NodeKey, Unknown, key, statements, within

_CASES = frozenset({"communication_case", "expression_case", "type_case", "default_case"})
_SWITCHES = frozenset({"expression_switch_statement", "type_switch_statement", "select_statement"})
_COMPOUND = frozenset({"block", "labeled_statement", "if_statement", "for_statement", *_SWITCHES})

Counts = tuple[int | None, int | None]  # (sends on the paths that go on, the most on the paths that returned)


@dataclass
class _Frame:
    """A loop or a switch: the most sends on the paths that break out of it."""

    loop: bool
    start: int  # sends made when the loop was entered
    breaks: int | None = None
    again: bool = False  # a path sends and then continues round the loop


def _most(*values: int | None) -> int | None:
    present = [value for value in values if value is not None]
    return max(present) if present else None


def _fewest(*values: int | None) -> int | None:
    present = [value for value in values if value is not None]
    return min(present) if present else None


class SendCounter:
    """Count the sends (``send_statement`` nodes in ``sends``) a literal can make: the most, or the fewest."""

    def __init__(self, sends: set[NodeKey], fewest: bool = False):
        self.sends = sends
        self.frames: list[_Frame] = []
        self._pick = _fewest if fewest else _most  # how the paths that meet combine

    def count(self, literal: Node) -> int:
        body = literal.child_by_field_name("body")
        fall, at_exit = self._run(statements(body), 0)
        deferred = 0
        for statement, in_loop in _deferred(body):
            sent = within(statement, self.sends)
            deferred += UNBOUNDED if sent and in_loop else sent  # a defer in a loop runs once per iteration
        return min(UNBOUNDED, (self._pick(fall, at_exit) or 0) + deferred)

    def _run(self, block: list[Node], base: int) -> Counts:
        fall: int | None = base
        at_exit: int | None = None
        for statement in block:
            if fall is None:
                break
            fall, leaving = self._statement(statement, fall)
            at_exit = self._pick(at_exit, leaving)
        return fall, at_exit

    def _statement(self, node: Node, base: int) -> Counts:
        kind = node.type
        if kind == "send_statement" and key(node) in self.sends:
            return min(UNBOUNDED, base + 1), None
        if kind == "return_statement":
            return None, base
        if kind in ("goto_statement", "fallthrough_statement"):
            raise Unknown
        if kind in ("break_statement", "continue_statement"):
            return self._jump(node, base)
        if kind == "defer_statement":
            return base, None
        if kind not in _COMPOUND:
            if within(node, self.sends):
                raise Unknown  # a send somewhere this walk does not follow
            return base, None
        if kind == "block":
            return self._run(statements(node), base)
        if kind == "labeled_statement":
            inner = [child for child in node.named_children if child.type not in ("label_name", "comment")]
            return self._statement(inner[0], base) if inner else (base, None)
        if kind == "if_statement":
            return self._if(node, base)
        if kind == "for_statement":
            return self._for(node, base)
        return self._switch(node, base)

    def _jump(self, node: Node, base: int) -> Counts:
        if any(child.type == "label_name" for child in node.named_children) or not self.frames:
            raise Unknown
        if node.type == "break_statement":
            frame = self.frames[-1]
            frame.breaks = self._pick(frame.breaks, base)
        else:
            loops = [frame for frame in self.frames if frame.loop]
            if not loops:
                raise Unknown
            loops[-1].again = loops[-1].again or base > loops[-1].start
        return None, None

    def _if(self, node: Node, base: int) -> Counts:
        consequence, alternative = node.child_by_field_name("consequence"), node.child_by_field_name("alternative")
        results = [self._run(statements(consequence), base)]
        if alternative is None:
            results.append((base, None))
        elif alternative.type == "if_statement":
            results.append(self._if(alternative, base))
        else:
            results.append(self._run(statements(alternative), base))
        return self._pick(*(fall for fall, _ in results)), self._pick(*(leaving for _, leaving in results))

    def _for(self, node: Node, base: int) -> Counts:
        frame = _Frame(loop=True, start=base)
        self.frames.append(frame)
        try:
            fall, at_exit = self._run(statements(node.child_by_field_name("body")), base)
        finally:
            self.frames.pop()
        if frame.again or (fall is not None and fall > base):
            return UNBOUNDED, UNBOUNDED  # a path sends and goes round again
        ends = node.child_by_field_name("condition") is not None or any(
            child.type in ("for_clause", "range_clause") for child in node.named_children
        )
        return self._pick(frame.breaks, base if ends else None), at_exit

    def _switch(self, node: Node, base: int) -> Counts:
        cases = [child for child in node.named_children if child.type in _CASES]
        frame = _Frame(loop=False, start=base)
        self.frames.append(frame)
        try:
            results = [self._run(statements(case), base) for case in cases]
        finally:
            self.frames.pop()
        if node.type != "select_statement" and not any(case.type == "default_case" for case in cases):
            results.append((base, None))
        falls = [fall for fall, _ in results] + [frame.breaks]
        return self._pick(*falls), self._pick(*(leaving for _, leaving in results))


def _deferred(body: Node | None) -> list[tuple[Node, bool]]:
    """The ``defer`` statements of a literal's body, each with whether a loop holds it."""
    found: list[tuple[Node, bool]] = []
    stack: list[tuple[Node, bool]] = [(body, False)] if body is not None else []
    while stack:
        current, in_loop = stack.pop()
        if current.type == "defer_statement":
            found.append((current, in_loop))
        elif current.type != "func_literal":
            looping = in_loop or current.type == "for_statement"
            stack.extend((child, looping) for child in current.named_children)
    return found
