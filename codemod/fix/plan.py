"""Fixes: turn one match into byte edits, all or nothing.

A fix is either a template string (replace the match) or a mapping:

``replace``   template for the match itself
``edits``     extra edits anchored on metavariables, the enclosing function
              or the package: ``replace``/``with``, ``delete``,
              ``insert-before``/``insert-after`` with ``text``,
              ``function-start`` (optionally ``of: $FUNC``), ``package-decl``
              (optionally ``after: $NODE``)
``fresh``     new identifiers, ``{WG: wg}`` or ``{ONCE: "${VAR}Once"}``: a
              name that collides with nothing visible or declared
``rewrite``   sub-rewrites: ``{in: $MV, rule: ..., fix: ...}`` applied to
              every match of ``rule`` inside the metavariable's code
``refuse``    ``[{when: rule, because: message}]``: leave the code and report

Statement-level insertions and deletions work on whole lines, so the result
keeps gofmt's layout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tree_sitter import Node

from codemod.fix.comments import loose_comments, place, placements
from codemod.fix.edits import apply_edits
from codemod.fix.spec import EditSpec, FixSpec, Rewrite
from codemod.fix.template import (
    Capture,
    Template,
    capture_of,
    cite_lines,
    needs_parens,
    render,
    render_lines,
    shared_template,
    slot_of,
)
from codemod.model import Edit
from codemod.pattern.matcher import Env, Run, Target
from codemod.rules.core import MatchContext
from codemod.syntax.tree import FUNCTION_KINDS, as_statement, indentation_at


@dataclass
class FixContext:
    """What planning a fix needs besides the match."""

    source: bytes
    match_ctx: MatchContext
    qualifiers: dict[str, str] = field(default_factory=dict)
    # (hint, where, package_level) -> a name that clashes with nothing there
    fresh_name: Callable[[str, Node, bool], str] = field(default=lambda hint, at, package_level=False: hint)


@dataclass
class FixOutcome:
    edits: list[Edit]
    replacement: str = ""
    refused: str | None = None


def _nodes(target: Target | tuple[Node, ...]) -> tuple[Node, ...]:
    if isinstance(target, Run):
        return target.nodes
    return target if isinstance(target, tuple) else (target,)


def plan_fix(
    spec: FixSpec, target: Target, env: Env, fctx: FixContext, inherited: dict[str, Capture] | None = None
) -> FixOutcome:
    """Edits for one match; ``refused`` is set when a refuse rule holds.

    ``inherited`` carries the enclosing fix's captures (fresh names included)
    into a sub-rewrite.
    """
    source = fctx.source
    captures: dict[str, Capture] = dict(inherited or {})
    span = (target.start_byte, target.end_byte)
    captures.update({name: capture_of(value, source, span) for name, value in env.items()})
    for rule, because in spec.refuse:
        if rule.match(target, fctx.match_ctx, env) is not None:
            cited = shared_template(cite_lines(because.text, env)) if "." in because.text else because
            return FixOutcome([], refused=render(cited, captures, ""))
    at = _nodes(target)[0]
    for name, hint in spec.fresh.items():
        captures[name] = Capture(fctx.fresh_name(render(hint, captures, ""), at, name in spec.package_fresh))
    edits: list[Edit] = []
    replacement = ""
    if spec.replace is not None:
        replacement, edit = _replace_match(spec.replace, target, captures, fctx, spec.keep_comments)
        if edit is not None:
            edits.append(edit)
    for item in spec.edits:
        edits.extend(_plan_edit(item, target, env, captures, fctx))
    for rewrite in spec.rewrites:
        outcome = _plan_rewrite(rewrite, target, env, captures, fctx)
        if outcome.refused:
            return outcome
        edits.extend(outcome.edits)
    if spec.replace is None:
        replacement = _region_after(source, span, edits)
    return FixOutcome(edits, replacement)


def _region_after(source: bytes, span: tuple[int, int], edits: list[Edit]) -> str:
    """The matched code as the fix's edits inside it (or at its edges) leave it.

    What a fix without ``replace`` makes of the match, for reports; edits
    elsewhere in the file (an import, a package-level declaration) are not
    part of it.
    """
    start, end = span
    inside = [Edit(e.start - start, e.end - start, e.text) for e in edits if start <= e.start and e.end <= end]
    return apply_edits(source[start:end], inside).decode("utf-8", errors="replace")


def _replace_match(
    template: Template, target: Target, captures: dict[str, Capture], fctx: FixContext, keep_comments: bool = True
) -> tuple[str, Edit | None]:
    nodes = _nodes(target)
    start, end = nodes[0].start_byte, nodes[-1].end_byte
    indent = _indent(fctx.source, start)
    used = {name: span for name in template.metavars if name in captures and (span := captures[name].span)}
    loose = loose_comments(nodes, used.values()) if keep_comments else []
    one_line = nodes[-1].start_point[0] == nodes[-1].end_point[0]  # written `{ ... }` on one line, as go fix keeps it
    lines, where = render_lines(template, captures, indent, fctx.qualifiers, collapse_empty=one_line and not loose)
    if loose:
        text = place(lines, where, placements(loose, fctx.source, nodes, used), indent)
    else:
        text = "\n".join(lines)
    if len(nodes) == 1:
        shape = template.root_slot_kind
        if template.root_is_metavar and template.root_is_metavar in captures:
            shape = captures[template.root_is_metavar].shape
        if shape is not None and needs_parens(shape, slot_of(nodes[0])):
            text = f"({text})"
    if fctx.source[start:end].decode("utf-8", errors="replace").replace("\r\n", "\n") == text:
        return text, None
    return text, Edit(start, end, text.encode())


def _indent(source: bytes, offset: int) -> str:
    return indentation_at(source, offset).decode("utf-8", errors="replace")


def _is_statement_like(node: Node) -> bool:
    parent = node.parent
    return parent is not None and parent.type in ("statement_list", "source_file", "block")


def _is_init_statement(node: Node) -> bool:
    """The init statement of an ``if`` or ``switch`` (``if v := v; ok {``): it goes with its ``;``."""
    parent = node.parent
    return (
        parent is not None
        and parent.type in ("if_statement", "expression_switch_statement", "type_switch_statement")
        and parent.child_by_field_name("initializer") == node
    )


def _starts_line(source: bytes, offset: int) -> bool:
    line_start = source.rfind(b"\n", 0, offset) + 1
    return not source[line_start:offset].strip()


def _line_end(source: bytes, offset: int) -> int | None:
    """End of the line at ``offset`` if only blanks or a // comment follow it."""
    newline = source.find(b"\n", offset)
    newline = len(source) if newline < 0 else newline
    rest = source[offset:newline].strip()
    if not rest or rest.startswith(b"//"):
        return newline - 1 if newline > 0 and source[newline - 1 : newline] == b"\r" else newline
    return None


def _anchor_nodes(anchor: str | None, target: Target, env: Env) -> tuple[Node, ...]:
    if anchor is None:
        return _nodes(target)
    if anchor not in env:
        return ()
    return _nodes(env[anchor])


def _plan_edit(item: EditSpec, target: Target, env: Env, captures: dict[str, Capture], fctx: FixContext) -> list[Edit]:
    source = fctx.source
    if item.action == "function-start":
        return _function_start(item, target, env, captures, fctx)
    if item.action == "package-decl":
        return _package_decl(item, target, env, captures, fctx)
    nodes = _anchor_nodes(item.anchor, target, env)
    if not nodes:
        return []
    first, last = nodes[0], nodes[-1]
    if item.action != "replace" and len(nodes) == 1:
        first = last = as_statement(first)
    statement = _is_statement_like(first)
    if item.action == "delete":
        if statement and _starts_line(source, first.start_byte):
            line_end = _line_end(source, last.end_byte)
            if line_end is not None:
                begin = source.rfind(b"\n", 0, first.start_byte) + 1
                stop = source.find(b"\n", line_end)
                return [Edit(begin, len(source) if stop < 0 else stop + 1, b"")]
        if statement or _is_init_statement(first):
            return [_delete_with_separator(source, first.start_byte, last.end_byte)]
        return [Edit(first.start_byte, last.end_byte, b"")]
    indent = _indent(source, first.start_byte)
    text = render(item.template, captures, indent, fctx.qualifiers) if item.template else ""
    if item.action == "replace":
        return [Edit(first.start_byte, last.end_byte, text.encode())]
    if item.action == "insert-before":
        if statement and _starts_line(source, first.start_byte):
            return [Edit(first.start_byte, first.start_byte, (text + "\n" + indent).encode())]
        separator = "; " if statement else ""
        return [Edit(first.start_byte, first.start_byte, (text + separator).encode())]
    line_end = _line_end(source, last.end_byte) if statement else None
    if line_end is not None:
        return [Edit(line_end, line_end, ("\n" + indent + text).encode())]
    separator = "; " if statement else ""
    return [Edit(last.end_byte, last.end_byte, (separator + text).encode())]


def _delete_with_separator(source: bytes, start: int, end: int) -> Edit:
    """Delete a statement that shares its line, with the ``;`` that separated it."""
    after = len(source[end:]) - len(source[end:].lstrip(b" \t"))
    if source[end + after : end + after + 1] == b";":
        rest = source[end + after + 1 :]
        return Edit(start, end + after + 1 + len(rest) - len(rest.lstrip(b" \t")), b"")
    before = source[:start].rstrip(b" \t")
    if before.endswith(b";"):
        return Edit(len(before) - 1, end, b"")
    return Edit(start, end, b"")


def _function_start(
    item: EditSpec, target: Target, env: Env, captures: dict[str, Capture], fctx: FixContext
) -> list[Edit]:
    anchor_nodes = _anchor_nodes(item.anchor, target, env)
    if not anchor_nodes:
        return []
    function = anchor_nodes[0] if anchor_nodes[0].type in FUNCTION_KINDS else None
    if function is None:
        current = anchor_nodes[0].parent
        while current is not None and current.type not in FUNCTION_KINDS:
            current = current.parent
        function = current
    body = function.child_by_field_name("body") if function is not None else None
    if function is None or body is None:
        return []
    source = fctx.source
    brace = body.start_byte + 1
    outer = _indent(source, function.start_byte if function.type != "func_literal" else body.start_byte)
    inner = outer + "\t"
    statements = [c for c in body.named_children if c.type != "comment"]
    first_child = body.named_children[0] if body.named_children else None
    text = render(item.template, captures, inner, fctx.qualifiers) if item.template else ""
    if first_child is not None and body.start_point[0] == first_child.start_point[0] and "\n" not in text:
        return [Edit(first_child.start_byte, first_child.start_byte, (text + "; ").encode())]
    if not statements and body.start_point[0] == body.end_point[0]:
        return [Edit(brace, body.end_byte - 1, ("\n" + inner + text + "\n" + outer).encode())]
    return [Edit(brace, brace, ("\n" + inner + text).encode())]


def _package_decl(
    item: EditSpec, target: Target, env: Env, captures: dict[str, Capture], fctx: FixContext
) -> list[Edit]:
    nodes = _anchor_nodes(item.anchor, target, env)
    if not nodes:
        return []
    top = nodes[0]
    while top.parent is not None and top.parent.type != "source_file":
        top = top.parent
    text = render(item.template, captures, "", fctx.qualifiers) if item.template else ""
    line_end = _line_end(fctx.source, top.end_byte)
    at = top.end_byte if line_end is None else line_end
    if top.type in FUNCTION_KINDS:
        start = _doc_comment_start(top)
        return [Edit(start, start, (text + "\n\n").encode())]
    return [Edit(at, at, ("\n" + text).encode())]


def _doc_comment_start(declaration: Node) -> int:
    """Start of the comment lines directly above a top-level declaration (its doc), else its start."""
    start, row = declaration.start_byte, declaration.start_point[0]
    previous = declaration.prev_sibling
    while previous is not None and previous.type == "comment" and previous.end_point[0] == row - 1:
        start, row = previous.start_byte, previous.start_point[0]
        previous = previous.prev_sibling
    return start


def _plan_rewrite(
    rewrite: Rewrite, target: Target, env: Env, captures: dict[str, Capture], fctx: FixContext
) -> FixOutcome:
    roots: Iterable[Node] = _anchor_nodes(rewrite.within, target, env)
    edits: list[Edit] = []
    taken: list[tuple[int, int]] = []
    fresh_env = dict(env)
    for root in roots:
        for sub_target, sub_env in rewrite.rule.search(root, fctx.match_ctx, fresh_env):
            span = (sub_target.start_byte, sub_target.end_byte)
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            outcome = _plan_nested(rewrite.fix, sub_target, sub_env, captures, fctx)
            if outcome.refused:
                return outcome
            taken.append(span)
            edits.extend(outcome.edits)
    return FixOutcome(edits)


def _plan_nested(spec: FixSpec, target: Target, env: Env, outer: dict[str, Capture], fctx: FixContext) -> FixOutcome:
    """A sub-rewrite's fix sees the outer captures (fresh names included)."""
    return plan_fix(spec, target, env, fctx, inherited=outer)
