"""Paths of a function that leave a channel's block before receiving every send.

:class:`ReceivePaths` walks the statements that follow a channel's
declaration, in their block, as structured Go code: each path carries how
many times it has received from the channel (``-1`` before any of the
sending goroutines started) and, when it skipped a receive, the place that
made it skip: the ``select`` case or ``default`` it took, the branch of an
``if``. A path that leaves the block (``return``, the end of the block, a
``break`` or ``continue`` out of it) having received fewer times than the
goroutines can send is a leak: the first one found is the answer.

Loops: a loop that receives is assumed to drain the channel when it ends
normally (its condition or range runs out); a ``return`` or ``break`` inside
it is followed with the receives made so far on that path, which is a lower
bound (the first iteration). ``goto``, labelled ``break``/``continue``,
``fallthrough`` and a deferred receive raise :class:`Unknown`: the caller
stays quiet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

UNBOUNDED = 1 << 30  # sends in a loop: more than any receiver counts
NodeKey = tuple[int, int, str]
States = dict[int, "Node | None"]  # receives so far (-1: no sender started) -> why it is that low

_CASES = frozenset({"communication_case", "expression_case", "type_case", "default_case"})
_SWITCHES = frozenset({"expression_switch_statement", "type_switch_statement", "select_statement"})


class Unknown(Exception):
    """The paths cannot be followed (goto, labelled jumps, fallthrough, deferred receives)."""


def key(node: Node) -> NodeKey:
    return (node.start_byte, node.end_byte, node.type)


def statements(node: Node | None) -> list[Node]:
    """The statements of a block, a statement list or a case (comments left out)."""
    if node is None:
        return []
    if node.type in ("block", *_CASES):
        return [s for child in node.named_children if child.type == "statement_list" for s in statements(child)]
    if node.type == "statement_list":
        return [child for child in node.named_children if child.type != "comment"]
    return [node]


def within(node: Node, keys: set[NodeKey]) -> int:
    """How many of ``keys`` lie inside ``node``."""
    return sum(1 for k in keys if node.start_byte <= k[0] and k[1] <= node.end_byte)


@dataclass
class _Frame:
    """A statement a plain ``break`` (or, for loops, ``continue``) refers to."""

    loop: bool
    breaks: list[States] = field(default_factory=list)


class ReceivePaths:
    """Follow the receiver's paths; ``need`` receives are owed once a sender started."""

    def __init__(
        self,
        need: int,
        receives: set[NodeKey],
        starts: set[NodeKey],
        strict: bool = False,
        signalled: frozenset[bytes] = frozenset(),
    ):
        self.need, self.receives, self.starts = need, receives, starts
        # Channels the senders close or send on: a select case that receives from
        # one was woken by a sender that chose not to send on this channel.
        self.signalled = signalled
        # ``need`` is only a bound (several goroutines, sends in a loop): a path
        # that received some and left must have skipped a receive to count (a
        # select case, a branch) or leave a loop that would have drained it.
        self.strict = strict
        self.frames: list[_Frame] = []
        self.draining: list[bool] = []  # per loop around: does it receive and end by itself
        self.leak: Node | None = None

    def first_leak(self, block: list[Node], holder: Node) -> Node | None:
        """Where the first path leaves ``block`` (the statements of ``holder``) owing a receive, or None.

        Falling off the end is cited at the closing brace. Raises :class:`Unknown`.
        """
        out = self._run(block, {-1: None})
        brace = holder.parent.children[-1] if holder.parent is not None and holder.parent.type == "block" else None
        end = brace if brace is not None and brace.type == "}" else (block[-1] if block else None)
        if end is not None:
            self._leave(out, end)
        return self.leak

    # -- states ------------------------------------------------------------
    def _received(self, states: States, node: Node | None) -> States:
        count = within(node, self.receives) if node is not None else 0
        if not count:
            return states
        return _merge([{(r if r < 0 else min(self.need, r + count)): why} for r, why in states.items()])

    def _owing(self, r: int) -> bool:
        return 0 <= r < self.need

    def _because(self, states: States, why: Node) -> States:
        """Name ``why`` as the reason for the paths that still owe a receive and have no reason yet."""
        return {r: (why if self._owing(r) and w is None else w) for r, w in states.items()}

    def _leave(self, states: States, where: Node) -> None:
        if self.leak is None:
            for r, why in sorted(states.items()):
                if self._owing(r) and (why is not None or not self.strict or any(self.draining)):
                    self.leak = why if why is not None else where
                    return

    # -- statements --------------------------------------------------------
    def _run(self, block: list[Node], states: States) -> States:
        for statement in block:
            if not states:
                break
            states = self._statement(statement, states)
        return states

    def _statement(self, node: Node, states: States) -> States:
        kind = node.type
        if kind in ("goto_statement", "fallthrough_statement"):
            raise Unknown
        if kind == "return_statement":
            self._leave(self._received(states, node), node)
            return {}
        if kind in ("break_statement", "continue_statement"):
            return self._jump(node, states)
        if kind == "go_statement" and key(node) in self.starts:
            return _merge([{(0 if r < 0 else r): why} for r, why in states.items()])
        if kind == "block":
            return self._run(statements(node), states)
        if kind == "labeled_statement":
            inner = [child for child in node.named_children if child.type not in ("label_name", "comment")]
            return self._statement(inner[0], states) if inner else states
        if kind == "if_statement":
            return self._if(node, states)
        if kind == "for_statement":
            return self._for(node, states)
        if kind in _SWITCHES:
            return self._switch(node, states)
        if kind == "defer_statement" and within(node, self.receives):
            raise Unknown
        return self._received(states, node)

    def _jump(self, node: Node, states: States) -> States:
        if any(child.type == "label_name" for child in node.named_children):
            raise Unknown
        wanted = [frame for frame in self.frames if frame.loop or node.type == "break_statement"]
        if not wanted:  # leaves the channel's block
            self._leave(states, node)
        elif node.type == "break_statement":
            wanted[-1].breaks.append(states)
        return {}

    def _if(self, node: Node, states: States) -> States:
        states = self._received(states, node.child_by_field_name("initializer"))
        condition = node.child_by_field_name("condition")
        states = self._received(states, condition)
        consequence, alternative = node.child_by_field_name("consequence"), node.child_by_field_name("alternative")
        branches = [self._run(statements(consequence), states)]
        branches.append(self._statement(alternative, states) if alternative is not None else states)
        return self._branched(branches, condition or node)

    def _branched(self, branches: list[States], why: Node) -> States:
        """Merge branches; a branch that received less than another gets ``why`` as its reason."""
        most = max((r for branch in branches for r in branch), default=-1)
        return _merge(
            [{r: (why if r < most and self._owing(r) and w is None else w)} for b in branches for r, w in b.items()]
        )

    def _for(self, node: Node, states: States) -> States:
        receiving = within(node, self.receives) > 0
        starting = any(node.start_byte <= k[0] and k[1] <= node.end_byte for k in self.starts)
        header = [child for child in node.named_children if child.type in ("for_clause", "range_clause")]
        ends = bool(header) or node.child_by_field_name("condition") is not None
        self.frames.append(_Frame(loop=True))
        self.draining.append(receiving and ends)
        try:
            body = self._run(statements(node.child_by_field_name("body")), states)
        finally:
            frame = self.frames.pop()
            self.draining.pop()
        after = list(frame.breaks)
        if ends:
            finished = _merge([states, body])
            if receiving:
                drained: States = {(self.need if r >= 0 or starting else r): None for r in finished}
                after.append(drained)
            else:
                after.append(finished)
        return _merge(after)

    def _switch(self, node: Node, states: States) -> States:
        states = self._received(states, node.child_by_field_name("initializer"))
        states = self._received(states, node.child_by_field_name("value"))
        cases = [child for child in node.named_children if child.type in _CASES]
        self.frames.append(_Frame(loop=False))
        outs: list[States] = []
        try:
            for case in cases:
                entry = states
                if node.type == "select_statement":
                    communication = case.child_by_field_name("communication")
                    if communication is not None and within(communication, self.receives):
                        entry = self._received(states, communication)
                    elif communication is not None and _received_from(communication) in self.signalled:
                        entry = {(self.need if r >= 0 else r): None for r in states}
                    else:  # the case's channel, or the `default` keyword
                        entry = self._because(states, communication if communication is not None else case.children[0])
                elif case.type == "expression_case":
                    entry = self._received(states, case.child_by_field_name("value"))
                outs.append(self._run(statements(case), entry))
        finally:
            frame = self.frames.pop()
        if node.type != "select_statement" and not any(case.type == "default_case" for case in cases):
            outs.append(states)
        return _merge(outs + frame.breaks)


def _received_from(communication: Node) -> bytes | None:
    """The name of the channel a case receives from (``<-done``, ``v := <-done``), if it is a plain name."""
    receive = communication
    if receive.type == "receive_statement":
        receive = receive.child_by_field_name("right") or receive
    elif receive.type == "expression_statement" and receive.named_child_count == 1:
        receive = receive.named_children[0]
    operand = receive.child_by_field_name("operand") if receive.type == "unary_expression" else None
    return operand.text if operand is not None and operand.type == "identifier" else None


def _merge(many: list[States]) -> States:
    merged: States = {}
    for states in many:
        for r, why in states.items():
            if merged.get(r) is None:
                merged[r] = why
    return merged
