"""Shape prefilter: token sequences a match's text must hold, checked by a byte regex.

The literal prefilter (:mod:`codemod.prefilter.requirements`) asks for single tokens, and
gives nothing for patterns made of metavariables and common keywords
(``$A := $A``, ``if $V == nil {``). Yet the matcher compares a pattern's
leaves as text, in order, skipping only comments, commas, semicolons and
line breaks (:mod:`codemod.pattern.matcher`). So the text of every match holds the
pattern's leaves in sequence, separated by blanks, commas, semicolons and
comments, with each metavariable's code in its place. A *shape* is such a
sequence, cut where the code of a metavariable is unknown; the file must
contain it.

A metavariable takes part in a shape when its code is known to be a name:

* in a position where Go allows only names: the left of ``:=`` (one name,
  or the whole name list when ``$A`` stands for the list), a selector's
  field, the name of a function, method or type (on code that compiles);
* when the recipe requires it to be a declared name (``declared: {of: $V}``:
  :meth:`codemod.rules.core.Rule.identifier_metavars`).

A name bound twice is the same name both times (the matcher compares bound
code token by token), which is what makes ``$A := $A`` selective: the
shape is ``NAME := NAME`` with the same name twice.

Checking is fast because each shape's regex starts with a literal (Python's
regex engine scans for it in C); names before that first literal are
checked backwards from each hit, in Python, on the same line. Keywords
that only ever begin a statement (``go``, ``defer``, ``select``, ``goto``,
``fallthrough``) must also be at a statement start (after a line break,
``{``, ``;`` or ``:``), so the word ``go`` in a comment does not count.

A :class:`DeclaredShape` wraps a shape whose name the rule requires to be a
package-level variable: with the package at hand (the engine, the triage),
the name must also be one some file of the package may declare
(:mod:`codemod.golang.lexer`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from tree_sitter import Node

from codemod.golang.lexer import WORD_BYTES, holds_word
from codemod.pattern.compile import Metavar, Pattern, metavar_of
from codemod.syntax.tree import COMMENT_KIND, IDENTIFIER_KINDS, LEAF_KINDS

STATEMENT_KEYWORDS = frozenset({b"go", b"defer", b"select", b"goto", b"fallthrough"})
_WORD = rb"A-Za-z0-9_\x80-\xff"
_NAME = rb"[A-Za-z_\x80-\xff][" + _WORD + rb"]*+"
# What the matcher skips between two leaves: blanks, commas, semicolons, comments.
_GAP = rb"(?:[\s,;]++|//[^\n]*+|/\*(?:[^*]|\*(?!/))*+\*/)*+"
# Between two names of a list: a comma, with blanks or comments around it.
_LIST_COMMA = rb"[ \t\r]*+(?:/\*(?:[^*]|\*(?!/))*+\*/[ \t\r]*+)*+," + _GAP
_SKIPPED = frozenset({COMMENT_KIND, ",", ";", "\n"})
# Simple statements: the next token after one is a line break, `;`, `{`, `}`, `:` or `)`.
_SIMPLE_STATEMENTS = frozenset(
    {
        "short_var_declaration",
        "assignment_statement",
        "inc_statement",
        "dec_statement",
        "send_statement",
        "go_statement",
        "defer_statement",
        "return_statement",
    }
)
_STATEMENT_END = rb"(?=[ \t\r]*+(?:[\n;{}:)]|//|/\*|\Z))"
_LETTERS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_") | frozenset(range(0x80, 0x100))
_STATEMENT_STARTS = frozenset(b"\n;{:")
_BLANKS = frozenset(b" \t\r")
_NAME_LIST_LINE = re.compile(rb"[" + _WORD + rb", \t\r]*")
_KEYWORDS = (
    b"break case chan const continue default defer else fallthrough for func go goto if import interface map"
    b" package range return select struct switch type var"
).split()
_NOT_KEYWORD = b"(?!(?:" + b"|".join(_KEYWORDS) + b")(?![" + _WORD + b"]))"  # a name is never a keyword
_LINE_ABOVE = 512  # bytes of the line above examined for a continued name list

# How much is known of a metavariable's code at one place in a pattern.
ANY, NAME, NAME_LIST = "any", "name", "list"


@dataclass(frozen=True)
class Literal:
    text: bytes


@dataclass(frozen=True)
class Hole:
    """A metavariable in the pattern: its name and what its code is known to be."""

    name: str
    known: str  # ANY, NAME or NAME_LIST


Item = Literal | Hole


@dataclass(frozen=True, order=True)
class Shape:
    """A sequence the text of a file must hold: ``regex`` from the first literal on.

    ``leading`` names metavariables written before that literal (captured
    later in the regex, group ``m_<name>``): each must also appear as a name
    right before the hit. ``statement`` asks the first literal to begin a
    statement.
    """

    description: str
    regex: bytes = field(compare=False)
    leading: tuple[str, ...] = field(default=(), compare=False)
    statement: bool = field(default=False, compare=False)
    names: tuple[str, ...] = field(default=(), compare=False)  # metavariables captured (group ``m_<name>``)

    def found_in(self, data: bytes) -> bool:
        if not self.leading and not self.statement:
            return _compiled(self.regex).search(data) is not None
        return next(self._hits(data), None) is not None

    def values(self, data: bytes, name: str) -> set[bytes]:
        """The names ``$name`` stands for in every place the shape is found."""
        return {hit.group("m_" + name) for hit in self._hits(data)}

    def _hits(self, data: bytes) -> Iterator[re.Match[bytes]]:
        """Every place the shape is found (overlapping ones too: the search resumes a byte later)."""
        compiled = _compiled(self.regex)
        position = 0
        while (hit := compiled.search(data, position)) is not None:
            start = hit.start()
            position = start + 1
            if self.statement and not _starts_statement(data, start):
                continue
            if self.leading and not _names_before(data, start, [hit.group("m_" + name) for name in self.leading]):
                continue
            yield hit


@dataclass(frozen=True, order=True)
class DeclaredShape:
    """A shape whose ``$name`` must also be a package-level variable of the file's package.

    ``declared: {of: $V, scope: package, kind: var}`` says so of every match;
    whether any file of the package declares such a name is a byte-level
    question (:mod:`codemod.golang.lexer`). Without the package at hand, the
    plain shape decides.
    """

    description: str
    shape: Shape = field(compare=False)
    name: str = field(compare=False)

    def found_in(self, data: bytes, package_vars: Callable[[bytes], bool] | None = None) -> bool:
        if package_vars is None:
            return self.shape.found_in(data)
        return any(package_vars(value) for value in self.shape.values(data, self.name))


@functools.lru_cache(maxsize=256)
def _compiled(regex: bytes) -> re.Pattern[bytes]:
    return re.compile(regex)


def _starts_statement(data: bytes, start: int) -> bool:
    """Whether only blanks (or a block comment: unsure, so yes) separate ``start`` from a statement start."""
    index = start - 1
    while index >= 0 and data[index] in _BLANKS:
        index -= 1
    if index < 0 or data[index] in _STATEMENT_STARTS:
        return True
    return data[index] == ord("/") and index > 0 and data[index - 1] == ord("*")


def _names_before(data: bytes, start: int, wanted: list[bytes]) -> bool:
    """Whether every name in ``wanted`` is written as a word on the line before ``start``.

    A line that may continue the one above (the line above holds a comma)
    or holds a block comment counts as a yes: the names may be there.
    """
    line_start = data.rfind(b"\n", 0, start) + 1
    line = data[line_start:start]
    if b"/*" in line or b"*/" in line:
        return True
    if all(holds_word(line, name) for name in wanted):
        return True
    if _NAME_LIST_LINE.fullmatch(line) is None:
        return False  # something other than names before them: the list starts on this line
    above = data[max(0, line_start - _LINE_ABOVE) : line_start]
    above = above[above.rfind(b"\n", 0, len(above) - 1) + 1 :]
    comment = above.find(b"//")
    return (
        b"/*" in above
        or above.rstrip().endswith(b",")
        or (comment >= 0 and above[:comment].rstrip().endswith(b","))  # `a, // note`
    )


def keyword_shape(keyword: bytes) -> Shape | None:
    """The statement keyword ``keyword`` at a statement start (None for other keywords)."""
    if keyword not in STATEMENT_KEYWORDS:
        return None
    return Shape(f"^{keyword.decode()}", _literal_regex(keyword, first=True), statement=True)


def sequence_shape(words: tuple[bytes, ...]) -> Shape | None:
    """Words written one right after the other (blanks and comments between), such as ``defer func``."""
    return _shape_of([Literal(word) for word in words], closes=False) if len(words) > 1 else None


def pattern_shapes(pattern: Pattern, names: frozenset[str]) -> list[Shape]:
    """Shapes every match of ``pattern`` holds; ``names`` are metavariables the recipe binds to names."""
    items = _unified(list(_items(pattern, names)))
    ends_statement = pattern.is_sequence or pattern.nodes[-1].type in _SIMPLE_STATEMENTS
    shapes = []
    for segment in _segments(items):
        shape = _shape_of(segment, closes=ends_statement and segment[-1] is items[-1])
        if shape is not None:
            shapes.append(shape)
    return shapes


def _items(pattern: Pattern, names: frozenset[str]) -> Iterator[Item]:
    """The pattern's leaves in order, metavariables as holes; skipped tokens left out."""
    stack = list(reversed(pattern.nodes))
    while stack:
        node = stack.pop()
        if node.type in _SKIPPED or node.start_byte == node.end_byte:
            continue
        metavar = metavar_of(node)
        if metavar is not None:
            yield _hole(metavar, node, names)
        elif node.child_count == 0 or node.type in LEAF_KINDS:
            yield Literal((node.text or b"") if node.is_named else node.type.encode())
        else:
            stack.extend(reversed(node.children))


def _hole(metavar: Metavar, node: Node, names: frozenset[str]) -> Hole:
    if metavar.multi or not metavar.captured:
        return Hole(metavar.name, ANY)
    parent = node.parent
    if parent is not None and _is_field(parent, "left", node) and _declares(parent):
        return Hole(metavar.name, NAME_LIST)  # `$A := ...`: the whole list of names
    if node.type in IDENTIFIER_KINDS and parent is not None:
        grand = parent.parent
        if (
            parent.type == "expression_list"
            and grand is not None
            and _is_field(grand, "left", parent)
            and _declares(grand)
        ):
            return Hole(metavar.name, NAME)  # `$A, $B := ...`
        if node.type == "field_identifier" or (parent.type in _NAMED_DECLARATIONS and _is_field(parent, "name", node)):
            return Hole(metavar.name, NAME)
    return Hole(metavar.name, NAME if metavar.name in names else ANY)


_NAMED_DECLARATIONS = frozenset({"function_declaration", "method_declaration", "type_spec", "type_alias"})


def _is_field(parent: Node, field_name: str, node: Node) -> bool:
    child = parent.child_by_field_name(field_name)
    return child is not None and child.start_byte == node.start_byte and child.end_byte == node.end_byte


def _declares(node: Node) -> bool:
    """A ``:=`` declaration (short variable declaration, or a range clause with ``:=``)."""
    if node.type == "short_var_declaration":
        return True
    return node.type == "range_clause" and any(child.type == ":=" for child in node.children)


def _unified(items: list[Item]) -> list[Item]:
    """Give every hole of a name the best knowledge of any of its places (a name bound twice is the same code)."""
    known: dict[str, str] = {}
    for item in items:
        if isinstance(item, Hole) and item.known != ANY and known.get(item.name) != NAME_LIST:
            known[item.name] = item.known
    return [Hole(item.name, known.get(item.name, ANY)) if isinstance(item, Hole) else item for item in items]


def _segments(items: list[Item]) -> Iterator[list[Item]]:
    """Runs of items whose text is known, cut at holes of unknown code."""
    current: list[Item] = []
    for item in items:
        if isinstance(item, Hole) and item.known == ANY:
            if current:
                yield current
            current = []
        else:
            current.append(item)
    if current:
        yield current


def _shape_of(segment: list[Item], closes: bool) -> Shape | None:
    """The shape of a segment, or None when it says no more than its single tokens.

    ``closes``: the segment ends the pattern, a simple statement, so the
    statement's end follows it.
    """
    first = _anchor(segment)
    if first is None:
        return None
    # Before the anchor: names are checked backwards; anything else is left out (less to check).
    before = segment[:first]
    leading = (
        {item.name for item in before if isinstance(item, Hole)}
        if all(isinstance(item, Hole) for item in before)
        else set()
    )
    statement = segment[first].text in STATEMENT_KEYWORDS  # type: ignore[union-attr]
    parts: list[bytes] = []
    shown: list[str] = []
    seen: set[str] = set()
    after_list = False  # the last part was a name list, which may have eaten a following word
    complete = True
    for item in segment[first:]:
        stop = False
        if isinstance(item, Literal):
            if after_list and item.text[0] in WORD_BYTES:
                complete = False
                break
            part, after_list = _literal_regex(item.text, first=not parts), False
        else:
            repeated = item.name in seen or item.name in leading
            part = _capture_or_repeat(item.name, item.name in seen)
            last = item is segment[-1]
            if item.known == NAME_LIST and (not repeated or (last and closes)):
                part += b"(?:" + _LIST_COMMA + _NAME + b")*+"
                after_list = True
            # Only the first name of a repeated list is known, unless the statement ends with it.
            stop = item.known == NAME_LIST and repeated and not (last and closes)
            seen.add(item.name)
        parts += [_GAP, part] if parts else [part]
        shown.append(item.text.decode(errors="replace") if isinstance(item, Literal) else f"${item.name}")
        if stop:
            complete = False
            break
    if closes and complete:
        parts.append(_STATEMENT_END)
        shown.append("⏎")
    if not (statement or seen or (len(shown) > 1 and any(text[:1].isalpha() for text in shown))):
        return None  # a lone token, or punctuation only: the literal prefilter says as much
    description = " ".join([f"${name}" for name in sorted(leading)] + shown)
    return Shape(description, b"".join(parts), tuple(sorted(leading & seen)), statement, tuple(sorted(seen)))


def _anchor(segment: list[Item]) -> int | None:
    """Where the regex starts: the first word, else the first operator of two bytes, else the first literal.

    The regex engine scans for its first literal, so a frequent one (``.``,
    ``(``) would make it try a match at nearly every line.
    """
    literals = [(index, item.text) for index, item in enumerate(segment) if isinstance(item, Literal)]
    for accept in (lambda text: text[0] in _LETTERS, lambda text: len(text) > 1, lambda text: True):
        found = next((index for index, text in literals if accept(text)), None)
        if found is not None:
            return found
    return None


def _capture_or_repeat(name: str, repeat: bool) -> bytes:
    group = b"m_" + name.encode()
    if repeat:
        return b"(?P=" + group + b")(?![" + _WORD + b"])"
    return b"(?P<" + group + b">" + _NOT_KEYWORD + _NAME + b")"


def _literal_regex(text: bytes, first: bool) -> bytes:
    """A leaf's text; words get boundaries (the first one's is a look-behind after it, keeping it a prefix).

    An operator is not followed by a byte that would make a longer operator
    (Go's lexer takes the longest: the ``=`` of ``==`` is not an ``=``).
    """
    escaped = re.escape(text)
    if text[0] in WORD_BYTES and first:
        escaped += b"(?<![" + _WORD + b"]" + escaped + b")"
    if text[-1] in WORD_BYTES:
        escaped += b"(?![" + _WORD + b"])"
    longer = sorted({op[len(text)] for op in _OPERATORS if len(op) == len(text) + 1 and op.startswith(text)})
    if longer:
        escaped += b"(?![" + re.escape(bytes(longer)) + b"])"
    return escaped


_OPERATORS = (
    b"+ & += &= && == != ( ) - | -= |= || < <= [ ] * ^ *= ^= <- > >= { } / << /= <<= ++ = := , ; "
    b"% >> %= >>= -- ! ... . : &^ &^= ~"
).split()
