"""Regex rules as file-wide checks: the prefilter's view of a ``regex`` rule.

A ``regex`` rule holds when its regex is found in a node's text. That text
is part of the file's, so once the regex's ``^``/``$`` are gone, and if it
looks at nothing outside its own match (no other anchors, no look-around),
the file's text must contain a match too. Only regexes that start with a
literal character are kept: the regex engine (RE2, as for the rule) scans for it quickly,
while one starting with a class would try every position of every file.
"""

from __future__ import annotations

import functools
import re
import re._constants as _regex_constants
import re._parser as _regex_parser
from dataclasses import dataclass, field
from typing import Any

from codemod.rules.regexes import RegexError, compile_regex


@dataclass(frozen=True, order=True)
class TextShape:
    """A ``regex`` rule's regex, searched in the whole file's text.

    A node's text is part of the file's, so a regex that found a match in
    one finds it in the file too, once its anchors are gone and provided it
    looks at nothing outside its match (no look-around, no anchors but ``\\b``).
    """

    description: str
    source: str = field(compare=False)
    at_node_start: bool = field(default=False, compare=False)  # the regex was `^...` (see found_in)

    def found_in(self, data: bytes) -> bool:
        """Whether the text holds a match; for a ``^`` regex, one that does not start in a comment.

        A ``^`` regex matches at the start of a node, and no node but a
        comment starts inside a comment, nor inside a string; a regex whose
        first character is not ``/`` cannot match a comment's start.
        """
        compiled = _compiled_text(self.source)
        if compiled is None:
            return True  # unsure: the file may hold a match
        text = data.decode("utf-8", errors="replace")
        if not self.at_node_start:
            return compiled.search(text) is not None
        position = 0
        while (hit := compiled.search(text, position)) is not None:
            if not _in_line_comment(text, hit.start()):
                return True
            position = text.find("\n", hit.start())  # the rest of the line is the comment's too
            if position < 0:
                return False
        return False


def _in_line_comment(text: str, start: int) -> bool:
    """Whether ``start`` is surely in a ``//`` comment, a raw string or a block comment.

    Yes when a ``//`` before it on its line has no quote or comment mark
    before it, and neither a backquote nor ``*/`` follows it before
    ``start``: in code that ``//`` opens a comment; inside a raw string or
    a block comment begun on a line above, nothing on this line ends it.
    """
    line = text[text.rfind("\n", 0, start) + 1 : start]
    slashes = line.find("//")
    if slashes < 0:
        return False
    before, after = line[:slashes], line[slashes:]
    return not any(mark in before for mark in _MARKS) and "`" not in after and "*/" not in after


_MARKS = ('"', "'", "`", "/*", "*/")


@functools.lru_cache(maxsize=256)
def _compiled_text(source: str) -> Any:
    """``source`` compiled as the rule's own regex is (RE2: linear time, same reading); None if refused."""
    try:
        return compile_regex(source)
    except RegexError:
        return None


def regex_shape(regex: re.Pattern[str]) -> TextShape | None:
    """The file-wide form of a ``regex`` rule: ``^...$`` loses its anchors; None when unsure or slow.

    Only a regex that starts with a literal character is kept (the regex
    engine then scans for that character quickly) and one with more than
    literal text (the literal prefilter already asks for that).
    """
    source = regex.pattern
    if regex.flags & re.IGNORECASE:
        return None
    body = source[1:] if source.startswith("^") else source
    if body.endswith("$") and _unescaped_end(body):
        body = body[:-1]
    try:
        parsed = list(_regex_parser.parse(body, regex.flags))
    except Exception:  # the private parser may change shape: derive nothing rather than guess
        return None
    if not parsed or parsed[0][0] is not _regex_constants.LITERAL or not _context_free(parsed):
        return None
    if all(op is _regex_constants.LITERAL for op, _ in parsed):
        return None
    at_node_start = source.startswith("^") and not regex.flags & re.MULTILINE and parsed[0][1] != ord("/")
    return TextShape(f"/{body}/", body, at_node_start)


def _unescaped_end(body: str) -> bool:
    """Whether the last character is not escaped (an even run of backslashes before it)."""
    slashes = len(body[:-1]) - len(body[:-1].rstrip("\\"))
    return slashes % 2 == 0


_CONTEXT_OPS = (_regex_constants.ASSERT, _regex_constants.ASSERT_NOT, _regex_constants.GROUPREF_EXISTS)
_WORD_EDGES = (_regex_constants.AT_BOUNDARY, _regex_constants.AT_UNI_BOUNDARY)


def _context_free(items: list) -> bool:
    """No anchor but a word boundary, no look-around, anywhere in the parsed regex."""
    for op, value in items:
        if op in _CONTEXT_OPS or (op is _regex_constants.AT and value not in _WORD_EDGES):
            return False
        if op is _regex_constants.SUBPATTERN and not _context_free(list(value[3])):
            return False
        if op is _regex_constants.BRANCH and not all(_context_free(list(alt)) for alt in value[1]):
            return False
        if op in REPEATS and not _context_free(list(value[2])):
            return False
        if op is _regex_constants.ATOMIC_GROUP and not _context_free(list(value)):
            return False
    return True


REPEATS = (_regex_constants.MAX_REPEAT, _regex_constants.MIN_REPEAT, _regex_constants.POSSESSIVE_REPEAT)
