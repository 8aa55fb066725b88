"""Render fix templates: metavariables, fresh names, tabs and precedence.

A template is Go text with ``$NAME``, ``$$$NAME`` and ``${NAME}`` (for
gluing a name to other characters, as in ``${VAR}Once``), and ``$#NAME``:
how many nodes ``NAME`` bound (a list a rule extension binds, such as the
``go`` statements that send on a channel; 1 for a single node), written as a
decimal number. Rendering:

* the template's own indentation (tabs, or spaces in any consistent unit)
  becomes tabs, and every line after the first is placed at the depth of the
  line where the edit lands;
* captured multi-line code is re-based from its old depth to its new one,
  leaving the inside of multi-line raw strings untouched;
* a captured expression that would bind differently where it lands is
  parenthesised (``$X * 2`` with ``a + b`` gives ``(a + b) * 2``), as
  ``gofmt -r`` does.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from tree_sitter import Node

from codemod.errors import PatternError
from codemod.fix.oneline import fills_one_line_block, keep_on_one_line, one_line_code
from codemod.pattern.compile import collect_metavars, compile_pattern
from codemod.pattern.matcher import Binding, Run

TEMPLATE_VAR_RE = re.compile(
    r"\$\$\$([A-Za-z_][A-Za-z0-9_]*)|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)"
    r"|\$#([A-Za-z_][A-Za-z0-9_]*)"
)
_COUNT_GROUP = 4  # ``$#NAME``: the number of nodes bound, not their text


def template_var_name(found: re.Match) -> str:
    """The metavariable a :data:`TEMPLATE_VAR_RE` match names, whichever form it is written in."""
    return found.group(1) or found.group(2) or found.group(3) or found.group(_COUNT_GROUP)


_BINARY_PRECEDENCE = {
    "||": 1, "&&": 2,
    "==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3,
    "+": 4, "-": 4, "|": 4, "^": 4,
    "*": 5, "/": 5, "%": 5, "<<": 5, ">>": 5, "&": 5, "&^": 5,
}  # fmt: skip
_TIGHT_PARENTS = {
    "selector_expression": "operand",
    "index_expression": "operand",
    "slice_expression": "operand",
    "call_expression": "function",
    "type_assertion_expression": "operand",
}
_MERGING_UNARY = {"--", "++", "&&", "&^", "<-", "<<"}


@dataclass(frozen=True)
class Slot:
    """Where a placeholder sits in the parsed template: what could re-associate it."""

    parent_kind: str
    operator: str = ""
    right_operand: bool = False


@dataclass
class Template:
    """A compiled fix template."""

    text: str
    metavars: set[str] = field(default_factory=set)  # whose code the template writes
    counted: set[str] = field(default_factory=set)  # ``$#NAME``: whose number of nodes it writes
    slots: dict[int, Slot] = field(default_factory=dict)  # occurrence index -> slot
    root_slot_kind: tuple[str, str] | None = None  # (kind, operator) of the template root
    root_is_metavar: str | None = None


def compile_template(text: str) -> Template:
    """Compile a template; precedence facts come from parsing it when it parses."""
    found_vars = list(TEMPLATE_VAR_RE.finditer(text))
    template = Template(
        text,
        collect_metavars(text) | {m.group(2) for m in found_vars if m.group(2)},
        {m.group(_COUNT_GROUP) for m in found_vars if m.group(_COUNT_GROUP)},
    )
    numbered = _number_placeholders(text)
    try:
        pattern = compile_pattern(numbered)
    except PatternError:
        return template
    for root in pattern.nodes:
        _collect_slots(root, template.slots)
    if len(pattern.nodes) == 1 and pattern.context == "expression":
        root = pattern.root
        found = re.fullmatch(r"gcmMVS?_N(\d+)", (root.text or b"").decode())
        if found:
            occurrence = found_vars[int(found.group(1))]
            if not occurrence.group(_COUNT_GROUP):  # a count is a number: never parenthesised
                template.root_is_metavar = template_var_name(occurrence)
        else:
            template.root_slot_kind = describe(root)
    return template


# ``$X.line`` in a message: the line where the code bound to ``$X`` starts.
LINE_OF_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)\.line\b")


def cite_lines(text: str, env: Mapping[str, Binding]) -> str:
    """Replace each ``$X.line`` in a message by the 1-based line of the code bound to ``$X``.

    A metavariable this match did not bind is left as written.
    """

    def line_of(found: re.Match) -> str:
        bound = env.get(found.group(1))
        nodes = bound.nodes if isinstance(bound, Run) else bound
        node = (nodes[0] if nodes else None) if isinstance(nodes, tuple) else nodes
        return str(node.start_point[0] + 1) if isinstance(node, Node) else found.group(0)

    return LINE_OF_RE.sub(line_of, text)


@functools.lru_cache(maxsize=256)
def shared_template(text: str) -> Template:
    """:func:`compile_template`, once per text in a process (rendering never changes a template)."""
    return compile_template(text)


def _number_placeholders(text: str) -> str:
    counter = iter(range(1_000_000))
    return TEMPLATE_VAR_RE.sub(lambda m: ("$$$" if m.group(1) else "$") + f"N{next(counter)}", text)


def _collect_slots(root: Node, slots: dict[int, Slot]) -> None:
    stack = [root]
    while stack:
        node = stack.pop()
        found = re.fullmatch(r"gcmMVS?_N(\d+)", (node.text or b"").decode()) if node.child_count == 0 else None
        if found and node.parent is not None:
            slots[int(found.group(1))] = slot_of(node)
        stack.extend(node.children)


def slot_of(node: Node) -> Slot:
    """Describe the position of ``node`` within its parent for precedence checks."""
    parent = node.parent
    if parent is None:
        return Slot("")
    operator = parent.child_by_field_name("operator")
    right = parent.child_by_field_name("right")
    is_right = right is not None and right.start_byte == node.start_byte and right.end_byte == node.end_byte
    if parent.type in _TIGHT_PARENTS:
        tight = parent.child_by_field_name(_TIGHT_PARENTS[parent.type])
        if tight is None or tight.start_byte != node.start_byte or tight.end_byte != node.end_byte:
            return Slot("")
    return Slot(parent.type, operator.type if operator is not None else "", is_right)


def describe(node: Node) -> tuple[str, str]:
    """(kind, operator) of an expression, for deciding on parentheses."""
    operator = node.child_by_field_name("operator")
    return node.type, operator.type if operator is not None else ""


def needs_parens(value: tuple[str, str], slot: Slot) -> bool:
    """Would ``value`` bind differently in ``slot`` without parentheses?"""
    kind, operator = value
    if slot.parent_kind == "binary_expression" and kind == "binary_expression":
        inner, outer = _BINARY_PRECEDENCE.get(operator, 6), _BINARY_PRECEDENCE.get(slot.operator, 0)
        return inner < outer or (inner == outer and slot.right_operand)
    if slot.parent_kind == "unary_expression":
        if kind == "binary_expression":
            return True
        return kind == "unary_expression" and (slot.operator + operator)[:2] in _MERGING_UNARY
    if slot.parent_kind in _TIGHT_PARENTS:
        return kind in ("binary_expression", "unary_expression")
    return False


def reindent_template(text: str) -> list[str]:
    """Template lines with their indentation converted to tab levels."""
    lines = text.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    space_widths = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip() and line.startswith(" ")]
    unit = min(space_widths) if space_widths else 1
    converted = []
    for line in lines:
        stripped = line.lstrip(" \t")
        lead = line[: len(line) - len(stripped)]
        levels = lead.count("\t") + lead.count(" ") // unit
        converted.append("\t" * levels + stripped if stripped else "")
    return converted


def rebase(code: str, old_base: str, new_base: str, frozen_lines: set[int]) -> str:
    """Move captured code's continuation lines from ``old_base`` to ``new_base`` depth."""
    lines = code.split("\n")
    for index in range(1, len(lines)):
        if index in frozen_lines:
            continue
        line = lines[index]
        if line.startswith(old_base):
            lines[index] = new_base + line[len(old_base) :] if line.strip() else ""
        elif line.strip():
            lines[index] = _rebase_shallower(line, old_base, new_base)
        else:
            lines[index] = ""
    return "\n".join(lines)


def _rebase_shallower(line: str, old_base: str, new_base: str) -> str:
    """A line indented less than the capture's base (a label): keep the difference in tabs."""
    lead = line[: len(line) - len(line.lstrip("\t "))]
    missing = len(old_base) - len(lead)
    if old_base.startswith(lead) and not new_base.strip("\t") and 0 < missing <= len(new_base):
        return new_base[: len(new_base) - missing] + line[len(lead) :]
    return new_base + line.lstrip("\t ")


@dataclass
class Capture:
    """A metavariable's value as text, plus what precedence needs to know."""

    text: str
    old_base: str = ""
    frozen_lines: set[int] = field(default_factory=set)
    shape: tuple[str, str] | None = None  # (kind, operator) when a single expression
    multi: bool = False
    span: tuple[int, int] | None = None  # the source bytes it was taken from
    own_lines: str | None = None  # statements that shared a line, one per line (for a line of their own)
    blank_before: bool = False  # a run that a blank line separated from the replaced code before it
    inline: bool = False  # a run that fills a block written on one line (`{ a(); b() }`)
    count: int = 1  # how many nodes were bound (``$#NAME``)


def capture_of(binding: Binding, source: bytes, within: tuple[int, int] | None = None) -> Capture:
    """Turn a bound node (or run of nodes) into a Capture of its source text.

    With ``within`` (the byte range a fix replaces), a run of statements also
    takes the comments that sit with it in its block inside that range, so a
    template that keeps ``$$$BODY`` keeps the body's comments too.
    """
    nodes = binding if isinstance(binding, tuple) else (binding,)
    if not nodes:
        return Capture("", multi=True, count=0)
    start, end = nodes[0].start_byte, nodes[-1].end_byte
    if within is not None and isinstance(binding, tuple):
        start, end = _with_comments(nodes, source, within)
    text = source[start:end].decode("utf-8", errors="replace").replace("\r\n", "\n")
    line_start = source.rfind(b"\n", 0, nodes[0].start_byte) + 1  # the code's own depth, not a comment's
    old_base = source[line_start : nodes[0].start_byte].decode("utf-8", errors="replace")
    old_base = old_base[: len(old_base) - len(old_base.lstrip("\t "))]
    frozen = _raw_string_lines(nodes, source, start)
    shape = describe(nodes[0]) if len(nodes) == 1 and not isinstance(binding, tuple) else None
    own_lines = (
        _one_statement_per_line(nodes, source, start, end, old_base)
        if isinstance(binding, tuple) and not frozen
        else None
    )
    blank_before = within is not None and isinstance(binding, tuple) and _blank_line_before(source, start, within[0])
    inline = isinstance(binding, tuple) and fills_one_line_block(nodes)
    multi = isinstance(binding, tuple)
    return Capture(text, old_base, frozen, shape, multi, (start, end), own_lines, blank_before, inline, len(nodes))


def _blank_line_before(source: bytes, start: int, low: int) -> bool:
    """Whether an empty line separates ``start`` from the replaced code before it (kept, as go fix keeps it)."""
    line_start = source.rfind(b"\n", 0, start) + 1
    previous_end = source.rfind(b"\n", 0, max(line_start - 1, 0))
    if previous_end < low:
        return False
    return not source[previous_end + 1 : line_start].strip()


def _one_statement_per_line(nodes: tuple[Node, ...], source: bytes, start: int, end: int, base: str) -> str | None:
    """The captured text with ``a(); b()`` split over lines at ``base`` depth, if any statements share a line."""
    if len(nodes) < 2 or nodes[0].parent is None or nodes[0].parent.type not in _STATEMENT_PARENTS:
        return None
    pieces, cursor, split = [], start, False
    for before, after in zip(nodes, nodes[1:]):
        gap = source[before.end_byte : after.start_byte]
        if gap.strip() in (b";", b"") and b"\n" not in gap:
            pieces += [source[cursor : before.end_byte], b"\n" + base.encode()]
            cursor, split = after.start_byte, True
    if not split:
        return None
    pieces.append(source[cursor:end])
    return b"".join(pieces).decode("utf-8", errors="replace").replace("\r\n", "\n")


_STATEMENT_PARENTS = frozenset({"statement_list", "block"})


def _block_sibling(node: Node, forward: bool) -> Node | None:
    """The next (or previous) sibling, stepping out of a block's statement_list."""
    sibling = node.next_sibling if forward else node.prev_sibling
    if sibling is None and node.parent is not None and node.parent.type == "statement_list":
        parent = node.parent
        sibling = parent.next_sibling if forward else parent.prev_sibling
    return sibling


def _with_comments(nodes: tuple[Node, ...], source: bytes, within: tuple[int, int]) -> tuple[int, int]:
    """Widen a statement run over own-line comments before it and comments after it."""
    start, end = nodes[0].start_byte, nodes[-1].end_byte
    if nodes[0].parent is None or nodes[0].parent.type not in _STATEMENT_PARENTS:
        return start, end
    low, high = within
    before = _block_sibling(nodes[0], False)
    while before is not None and before.type == "comment" and before.start_byte >= low:
        line_start = source.rfind(b"\n", 0, before.start_byte) + 1
        opening = _block_sibling(before, False)
        if source[line_start : before.start_byte].strip():
            break  # it trails the line before: the statement's there, or the `{` line (codemod.fix.comments)
        start, before = before.start_byte, opening
    after = _block_sibling(nodes[-1], True)
    while after is not None and after.type == "comment" and after.end_byte <= high:
        end, after = after.end_byte, _block_sibling(after, True)
    return start, end


def _raw_string_lines(nodes: tuple[Node, ...], source: bytes, start: int) -> set[int]:
    """Line numbers (relative to the capture) that begin inside a multi-line raw string."""
    frozen: set[int] = set()
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if node.start_point[0] == node.end_point[0]:
            continue
        if node.type in ("raw_string_literal", "interpreted_string_literal"):
            first = source.count(b"\n", start, node.start_byte)
            frozen.update(range(first + 1, first + 1 + node.end_point[0] - node.start_point[0]))
            continue
        stack.extend(node.children)
    return frozen


def render(
    template: Template, captures: Mapping[str, Capture], base_indent: str, qualifiers: Mapping[str, str] = {}
) -> str:
    """Render ``template`` at a place whose line is indented by ``base_indent``."""
    lines, _ = render_lines(template, captures, base_indent, qualifiers)
    return "\n".join(lines)


def render_lines(
    template: Template,
    captures: Mapping[str, Capture],
    base_indent: str,
    qualifiers: Mapping[str, str] = {},
    collapse_empty: bool = False,
) -> tuple[list[str], dict[str, tuple[int, int]]]:
    """The rendered lines, and where each metavariable's first occurrence landed.

    A position is ``(first line, last line)`` of the value; a ``$$$X`` whose
    empty value dropped its line is ``(n, n - 1)``: it would have stood before line ``n``.
    With ``collapse_empty`` (the caller knows the replaced code was on one
    line and no comment is to be placed in it), a block left empty that way
    is written ``{}``, and one whose only line is a ``$$$X`` written on one
    line stays on one line (:mod:`codemod.fix.oneline`).
    """
    text = template.text
    for default, local in qualifiers.items():
        if default != local:
            text = re.sub(rf"(?<![\w.$]){re.escape(default)}\.", f"{local}.", text)
    lines = reindent_template(text)
    lines = [lines[0]] + [base_indent + line if line else "" for line in lines[1:]] if lines else []
    occurrence = 0
    out_lines: list[str] = []
    where: dict[str, tuple[int, int]] = {}
    emptied = False  # the line before was dropped: its only value was an empty $$$X
    one_line: dict[int, tuple[str, str]] = {}  # out_lines index -> (code, name): a body that may stay on one line
    for index, line in enumerate(lines):
        pieces: list[str] = []
        found_at: list[tuple[str, int, int]] = []  # (name, newlines before the value, newlines in it)
        blank_before = False
        last = 0
        only_empty_multi = bool(line.strip())
        line_indent = line[: len(line) - len(line.lstrip("\t "))]
        if index == 0:  # the first line lands after the existing indentation
            line_indent = base_indent + line_indent
        for found in TEMPLATE_VAR_RE.finditer(line):
            name = template_var_name(found)
            capture = captures.get(name)
            if capture is None:
                raise KeyError(name)
            if found.group(_COUNT_GROUP):  # a number: no code, no comments, no precedence
                pieces.extend((line[last : found.start()], str(capture.count)))
                only_empty_multi = False
                last = found.end()
                occurrence += 1
                continue
            alone = line.strip() == found.group(0)
            blank_before = alone and capture.blank_before
            code = capture.own_lines if alone and capture.own_lines is not None else capture.text
            value = rebase(code, capture.old_base, line_indent, capture.frozen_lines)
            slot = template.slots.get(occurrence)
            if slot is not None and capture.shape is not None and needs_parens(capture.shape, slot):
                value = f"({value})"
            pieces.append(line[last : found.start()])
            found_at.append((name, "".join(pieces).count("\n"), value.count("\n")))
            pieces.append(value)
            if not (capture.multi and not capture.text) or line[last : found.start()].strip():
                only_empty_multi = False
            last = found.end()
            occurrence += 1
        pieces.append(line[last:])
        if line[last:].strip():
            only_empty_multi = False
        rendered = "".join(pieces)
        if out_lines and blank_before and rendered.strip():
            out_lines.append("")  # the blank line that separated the run from the code the fix removed
        first_line = sum(entry.count("\n") + 1 for entry in out_lines)
        if only_empty_multi and not rendered.strip():
            for name, _, _ in found_at:
                where.setdefault(name, (first_line, first_line - 1))
            emptied = True
            continue
        if (
            collapse_empty
            and emptied
            and not found_at
            and out_lines
            and out_lines[-1].endswith("{")
            and rendered.lstrip().startswith("}")
        ):
            out_lines[-1] += rendered.lstrip()  # a block left empty is written `{}`, as gofmt and go fix write it
            emptied = False
            continue
        emptied = False
        for name, before, inside in found_at:
            where.setdefault(name, (first_line + before, first_line + before + inside))
        if collapse_empty and len(found_at) == 1:
            as_written = one_line_code(line, found_at[0][0], captures[found_at[0][0]])
            if as_written is not None:
                one_line[len(out_lines)] = (as_written, found_at[0][0])
        out_lines.append(rendered)
    if one_line:
        out_lines = keep_on_one_line(out_lines, one_line, where)
    return "\n".join(out_lines).split("\n") if out_lines else [], where
