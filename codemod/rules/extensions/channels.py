"""The ``unreceived-sends`` rule key: a goroutine's send on a local channel that nobody may take.

The most common goroutine leak: a function makes an unbuffered channel,
starts goroutines that send their result on it, and then can leave without
receiving every send (a ``select`` whose timeout or ``ctx.Done()`` case wins,
an early ``return`` on an error path). The senders block for ever.

``unreceived-sends`` holds on the identifier declared by ``ch := make(...)``
or ``var ch = make(...)`` (the target, or ``of: $CH``) when all of this is known from the function:

* the channel stays in the function: every use is a plain send in the
  function literal of a ``go`` statement of the function (or in a literal
  that goroutine defers), an argument of ``go f(ch)`` or ``go s.m(ch)``
  where f or m is declared in the same file and only sends on that
  parameter (:mod:`startedcallee`), or a receive ``<-ch`` in the function
  itself (not in a closure). Anything else (passed on, returned, stored, closed, ranged
  over, a send as a ``select`` case, a receive in a closure) means other code
  takes part, and the key does not hold;
* the number of sends the goroutines can make: the most sends on any path
  through each literal, summed over the ``go`` statements; unbounded when a
  send sits in a loop or a ``go`` statement in a loop around it;
* a path of the function, after a goroutine started, leaves the block that
  declares the channel (a ``return``, the end of the block, a ``break`` or
  ``continue`` out of it) having received fewer times than that. With
  several goroutines whose sends are not certain (a send on some paths
  only), the sum is only a bound: such a path counts only when it skipped
  a receive (a ``select`` case, a branch), not when it merely received
  fewer times than the bound. A loop
  that receives is assumed to drain the channel when it ends normally; a
  ``return`` or ``break`` inside it may still leave early.

``goto``, labelled ``break``/``continue`` and ``fallthrough`` in the way
make the answer unknown: the key does not hold. Options:

| option | meaning |
|---|---|
| ``of: $CH`` | the declared identifier (default: the target) |
| ``sends: N``, ``{min, max}`` or ``unbounded`` | how many sends the goroutines can make in all; ``unbounded`` (a send or a ``go`` statement in a loop) is above any ``max`` |
| ``each-sends: N``, ``{min, max}`` or ``unbounded`` | the most sends one goroutine can make (``1``: every goroutine sends at most once, so a buffer of ``sends`` lets each finish) |
| ``bind-send: $S`` | bind the first send statement that may block |
| ``bind-exit: $E`` | bind where the receiver leaves: the ``select`` case (or ``default``) it took, the ``return``, or the branch |
| ``bind-senders: $G`` | bind the ``go`` statements whose goroutines can send, as a list (``$#G`` in a template: how many) |
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tree_sitter import Node

from codemod.golang import resolution
from codemod.golang.scope import Declaration
from codemod.rules.accepts import COUNT, METAVAR, Schema, enum, one_of
from codemod.rules.accepts import options as options_schema
from codemod.rules.core import CompileRule, MatchContext, Rule
from codemod.rules.extensions.flow import enclosing_function
from codemod.rules.extensions.options import count_bounds, metavar, options_of, subject
from codemod.rules.extensions.receivepaths import UNBOUNDED, NodeKey, ReceivePaths, Unknown, key, statements
from codemod.rules.extensions.sendcount import SendCounter
from codemod.rules.extensions.startedcallee import started_callee
from codemod.syntax.tree import outermost_function


def _is_receive(ref: Node) -> bool:
    parent = ref.parent
    if parent is None or parent.type != "unary_expression":
        return False
    operator, operand = parent.child_by_field_name("operator"), parent.child_by_field_name("operand")
    return operator is not None and operator.type == "<-" and operand is not None and key(operand) == key(ref)


def _is_send(ref: Node) -> bool:
    parent = ref.parent
    channel = parent.child_by_field_name("channel") if parent is not None else None
    return parent is not None and parent.type == "send_statement" and channel is not None and key(channel) == key(ref)


def _called_by(literal: Node, statement_kind: str) -> Node | None:
    """The ``go``/``defer`` statement that calls ``literal`` directly (``go func() {...}()``)."""
    call = literal.parent
    if call is None or call.type != "call_expression" or call.parent is None or call.parent.type != statement_kind:
        return None
    function = call.child_by_field_name("function")
    return call.parent if function is not None and key(function) == key(literal) else None


def _running(send: Node) -> Node | None:
    """The function whose run makes ``send``: its enclosing function, or the one that defers the literal holding it."""
    code = enclosing_function(send)
    if code is not None and code.type == "func_literal" and _called_by(code, "defer_statement"):
        code = enclosing_function(code)
    return code


def _goroutine_of(send: Node, function: Node) -> tuple[Node, Node] | None:
    """The ``go`` statement of ``function`` whose literal makes the send (or defers it), and that literal."""
    literal = _running(send)
    if literal is None or literal.type != "func_literal":
        return None
    go = _called_by(literal, "go_statement")
    starter = enclosing_function(go) if go is not None else None
    if go is None or starter is None or key(starter) != key(function):
        return None
    return go, literal


def _callee_sends(argument: Node, function: Node, ctx: MatchContext) -> tuple[Node, Node, list[Node]] | None:
    """For ``go f(ch)`` in ``function``: the ``go`` statement, f's declaration and its sends on the parameter.

    None when f is not known (see :mod:`startedcallee`) or does anything else with the parameter.
    """
    callee = started_callee(argument, ctx)
    go = argument.parent.parent.parent if argument.parent is not None and argument.parent.parent is not None else None
    starter = enclosing_function(go) if go is not None else None
    if callee is None or go is None or starter is None or key(starter) != key(function):
        return None
    parameter = ctx.resolver_for(callee.parameter).resolve(callee.parameter)
    if parameter is None or parameter.start != callee.parameter.start_byte:
        return None
    sends = []
    for ref in resolution.references(callee.declaration, parameter, ctx.resolver_for(callee.parameter)):
        if ref.start_byte == parameter.start:
            continue
        send = ref.parent if _is_send(ref) else None
        code = _running(send) if send is not None else None
        if send is None or send.parent is None or send.parent.type == "communication_case" or code is None:
            return None
        if key(code) != key(callee.declaration):
            return None  # sent from another goroutine of the callee, or a closure
        sends.append(send)
    return go, callee.declaration, sends


def _signals(literal: Node, channel: str) -> set[bytes]:
    """Names of the other channels a goroutine's literal closes (``close(x)``) or sends on (``x <- v``)."""
    names: set[bytes] = set()
    stack = [literal]
    while stack:
        node = stack.pop()
        target = None
        if node.type == "send_statement":
            target = node.child_by_field_name("channel")
        elif node.type == "call_expression" and (node.child_by_field_name("function") or node).text == b"close":
            arguments = node.child_by_field_name("arguments")
            target = arguments.named_children[0] if arguments is not None and arguments.named_child_count == 1 else None
        if target is not None and target.type == "identifier" and target.text and target.text != channel.encode():
            names.add(target.text)
        stack.extend(node.named_children)
    return names


def _in_loop_without(node: Node, statement: Node, function: Node) -> bool:
    """A loop of ``function`` around ``node`` that does not hold ``statement`` (it runs ``node`` again)."""
    current = node.parent
    while current is not None and key(current) != key(function):
        if current.type == "for_statement" and not (
            current.start_byte <= statement.start_byte and statement.end_byte <= current.end_byte
        ):
            return True
        current = current.parent
    return False


@dataclass
class Leak:
    """What blocks for ever: the first send, where the receiver leaves, and how many sends there are."""

    send: Node
    exit: Node
    sends: int  # in all: the most on any path of each goroutine, summed
    each: int  # the most one goroutine can send
    senders: tuple[Node, ...]  # the ``go`` statements whose goroutines can send, in source order


def _holder(ident: Node) -> Node | None:
    """The statement declaring ``ident`` alone: ``ch := make(...)`` or ``var ch = make(...)``, in a block."""
    parent = ident.parent
    if parent is not None and parent.type == "expression_list":
        holder = parent.parent
        kind = "short_var_declaration"
    elif parent is not None and parent.type == "var_spec" and len(parent.children_by_field_name("name")) == 1:
        holder = parent.parent
        kind = "var_declaration"
    else:
        return None
    block = holder.parent if holder is not None else None
    if holder is None or holder.type != kind or block is None or block.type != "statement_list":
        return None
    return holder


@dataclass
class _Uses:
    """Who sends on a channel and where it is received, once every use is accounted for."""

    sends: list[Node] = field(default_factory=list)
    receives: set[NodeKey] = field(default_factory=set)
    goroutines: dict[NodeKey, tuple[Node, Node]] = field(default_factory=dict)  # go statement -> (go, its code)
    signalled: set[bytes] = field(default_factory=set)  # other channels the senders may close or send on


def _uses(decl: Declaration, outer: Node, function: Node, ctx: MatchContext) -> _Uses | None:
    """Every use of the channel ``decl`` in ``outer``: sends by goroutines ``function`` starts, receives in
    ``function`` itself; None when any use is something else (passed on, returned, stored, closed, ranged over)."""
    uses = _Uses()
    for ref in resolution.references(outer, decl, ctx.resolver_for(outer)):
        if ref.start_byte == decl.start:
            continue
        if _is_send(ref) and ref.parent is not None and ref.parent.parent is not None:
            if ref.parent.parent.type == "communication_case":
                return None  # a send that a select may skip
            started = _goroutine_of(ref.parent, function)
            if started is None:
                return None
            uses.sends.append(ref.parent)
            uses.goroutines[key(started[0])] = started
            uses.signalled |= _signals(started[1], decl.name)
        elif _is_receive(ref):
            receiver = enclosing_function(ref)
            if receiver is None or key(receiver) != key(function) or ref.parent is None:
                return None
            uses.receives.add(key(ref.parent))
        elif (called := _callee_sends(ref, function, ctx)) is not None:
            go, callee, sends = called
            if key(go) in uses.goroutines:
                return None
            if sends:
                uses.sends.extend(sends)
                uses.goroutines[key(go)] = (go, callee)
                arguments = go.named_children[0].child_by_field_name("arguments") if go.named_children else None
                names = arguments.named_children if arguments is not None else []
                uses.signalled |= {n.text for n in names if n.type == "identifier" and n.text and n.text != ref.text}
        else:
            return None  # passed on, returned, stored, closed, ranged over...
    return uses


def find_leak(ident: Node, ctx: MatchContext) -> Leak | None:
    """The leak of the channel ``ident`` declares (``ch := make(...)``), or None when there is none or it is unknown."""
    decl = ctx.resolver_for(ident).resolve(ident)
    holder = _holder(ident)
    if decl is None or decl.package_level or decl.kind != "var" or decl.start != ident.start_byte or holder is None:
        return None
    block = holder.parent
    function, outer = enclosing_function(holder), outermost_function(holder)
    if function is None or outer is None or block is None:
        return None
    uses = _uses(decl, outer, function, ctx)
    if uses is None or not uses.sends or not uses.receives:
        return None
    goroutines = uses.goroutines
    try:
        counter = SendCounter({key(send) for send in uses.sends})
        counts = {
            go_key: UNBOUNDED if _in_loop_without(go, holder, function) else counter.count(code)
            for go_key, (go, code) in goroutines.items()
        }
        need = min(sum(counts.values()), UNBOUNDED)
        after = [s for s in statements(block) if s.start_byte >= holder.end_byte]
        strict = need >= UNBOUNDED or (len(goroutines) > 1 and not _exact(counts, goroutines, uses.sends))
        paths = ReceivePaths(need, uses.receives, set(goroutines), strict, frozenset(uses.signalled))
        exit = paths.first_leak(after, block)
    except Unknown:
        return None
    if exit is None:
        return None
    senders = sorted((go for go_key, (go, _) in goroutines.items() if counts[go_key]), key=lambda go: go.start_byte)
    first = min(uses.sends, key=lambda send: send.start_byte)
    return Leak(first, exit, need, max(counts.values()), tuple(senders))


@dataclass
class UnreceivedSendsRule(Rule):
    """``unreceived-sends``: the channel's goroutines may send more times than its receiver receives."""

    of: str | None = None
    send: str | None = None
    exit: str | None = None
    senders: str | None = None
    low: int | None = None
    high: int | None = None
    each_low: int | None = None
    each_high: int | None = None

    def match(self, target, ctx, env):
        ident = subject(target, env, self.of)
        if ident is not None and ident.type == "expression_list" and ident.named_child_count == 1:
            ident = ident.named_children[0]  # `ch` in `ch := ...` binds as a one-element list
        if ident is None or ident.type != "identifier":
            return None
        leak = find_leak(ident, ctx)
        if leak is None:
            return None
        if not _within(leak.sends, self.low, self.high) or not _within(leak.each, self.each_low, self.each_high):
            return None
        bound = dict(env)
        if self.send is not None:
            bound[self.send] = leak.send
        if self.exit is not None:
            bound[self.exit] = leak.exit
        if self.senders is not None:
            bound[self.senders] = leak.senders
        return bound


def _exact(counts: dict[NodeKey, int], goroutines: dict[NodeKey, tuple[Node, Node]], sends: list[Node]) -> bool:
    """Every goroutine sends as many times on each of its paths as on its longest: the count is exact, not a bound."""
    fewest = SendCounter({key(send) for send in sends}, fewest=True)
    return all(fewest.count(literal) == counts[go_key] for go_key, (_, literal) in goroutines.items())


def _within(count: int, low: int | None, high: int | None) -> bool:
    return (low is None or count >= low) and (high is None or count <= high)


UNRECEIVED_SENDS_OPTIONS: dict[str, Schema] = {
    "of": METAVAR,
    "sends": one_of(COUNT, enum(("unbounded",))),
    "each-sends": one_of(COUNT, enum(("unbounded",))),
    "bind-send": METAVAR,
    "bind-exit": METAVAR,
    "bind-senders": METAVAR,
}
UNRECEIVED_SENDS_VALUE: Schema = options_schema(UNRECEIVED_SENDS_OPTIONS)


def compile_unreceived_sends(
    raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule
) -> UnreceivedSendsRule:
    raw = options_of(raw, path, UNRECEIVED_SENDS_OPTIONS)
    rule = UnreceivedSendsRule()
    for option, attribute in (("of", "of"), ("bind-send", "send"), ("bind-exit", "exit"), ("bind-senders", "senders")):
        if option in raw:
            setattr(rule, attribute, metavar(raw[option], path + (option,), identifier=True))
    rule.low, rule.high = _bounds(raw, "sends", path)
    rule.each_low, rule.each_high = _bounds(raw, "each-sends", path)
    return rule


def _bounds(raw: dict, option: str, path: tuple) -> tuple[int | None, int | None]:
    """``N``, ``{min, max}`` or ``unbounded`` (above any ``max``) as (low, high)."""
    if raw.get(option) == "unbounded":
        return UNBOUNDED, None
    if option in raw:
        return count_bounds(raw[option], path + (option,))
    return None, None
