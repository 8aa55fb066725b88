"""The ``go-regexp`` rule key: a Go string literal that is, beyond doubt, a valid Go regular expression.

``regexp.MustCompile("...")`` panics when its pattern does not compile. A fix
that moves such a call from a function body to a package-level variable
moves that panic from the call to the program's start: it is only safe for
patterns that compile. ``go-regexp`` holds on an interpreted (``"..."``) or raw
(`` `...` ``) string literal whose value compiles with Go's ``regexp``
package, as far as this module can tell without running Go:

* the literal is decoded as Go does (escapes, octal and hex bytes, ``\\u``,
  carriage returns dropped from raw strings) and must be valid UTF-8;
* RE2 (the ``google-re2`` binding, whose syntax Go's ``regexp/syntax``
  follows) must compile it, with POSIX options for ``syntax: posix``
  (``MustCompilePOSIX``: no Perl classes, word boundaries or flags);
* what RE2 accepts and Go rejects, or what depends on the Go version, is a
  doubt and the key does not hold: ``\\C`` (any byte), ``(?<name>`` (Go 1.22),
  Unicode class names other than general categories and common scripts
  (the tables differ), counted repetitions adding up to more than 1000 and
  nesting deeper than 100 (Go's size and depth limits differ from RE2's).

Value: ``true`` (the target), or ``{of: $X, syntax: perl | posix}``.
``tests/test_go_regexp.py`` checks the answers against the Go toolchain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import re2

from codemod.pattern.matcher import Env, Target
from codemod.rules.accepts import BOOLEAN, METAVAR, Schema, enum, one_of, options
from codemod.rules.core import CompileRule, MatchContext, Rule, RuleError
from codemod.rules.extensions.options import metavar, options_of, subject

SYNTAXES = ("perl", "posix")
GO_REGEXP_OPTIONS: dict[str, Schema] = {"of": METAVAR, "syntax": enum(SYNTAXES)}
GO_REGEXP_VALUE: Schema = one_of({**BOOLEAN, "const": True}, options(GO_REGEXP_OPTIONS))

_SIMPLE_ESCAPES = {
    "a": b"\a",
    "b": b"\b",
    "f": b"\f",
    "n": b"\n",
    "r": b"\r",
    "t": b"\t",
    "v": b"\v",
    "\\": b"\\",
    '"': b'"',
}
# Unicode classes whose names Go's tables and RE2's surely share: general categories and common scripts.
_SAFE_CLASS = re.compile(
    r"\^?(?:[A-Z][a-z]?|Latin|Greek|Cyrillic|Han|Hiragana|Katakana|Hangul|Arabic|Hebrew|Thai|Devanagari|Common)"
)
_MAX_REPEAT_TOTAL = 1000
_MAX_DEPTH = 100


def go_string_value(literal: bytes) -> bytes | None:
    """The bytes a Go string literal stands for, or None when it is not a plain, well-formed literal."""
    if len(literal) >= 2 and literal[:1] == literal[-1:] == b"`":
        return literal[1:-1].replace(b"\r", b"")
    if len(literal) < 2 or literal[:1] != b'"' or literal[-1:] != b'"':
        return None
    text = literal[1:-1].decode("utf-8", errors="surrogateescape")
    out = bytearray()
    index = 0
    while index < len(text):
        char = text[index]
        if char != "\\":
            out += char.encode("utf-8", errors="surrogateescape")
            index += 1
            continue
        kind = text[index + 1 : index + 2]
        if kind in _SIMPLE_ESCAPES:
            out += _SIMPLE_ESCAPES[kind]
            index += 2
        elif kind in ("x", "u", "U"):
            width = {"x": 2, "u": 4, "U": 8}[kind]
            digits = text[index + 2 : index + 2 + width]
            if len(digits) != width or not all(c in "0123456789abcdefABCDEF" for c in digits):
                return None
            value = int(digits, 16)
            if kind == "x":
                out.append(value)
            elif value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
                return None
            else:
                out += chr(value).encode()
            index += 2 + width
        elif kind in "01234567" and kind:
            digits = text[index + 1 : index + 4]
            if len(digits) != 3 or not all(c in "01234567" for c in digits) or int(digits, 8) > 255:
                return None
            out.append(int(digits, 8))
            index += 4
        else:
            return None
    return bytes(out)


def _doubts(pattern: str) -> bool:
    """Whether the pattern uses something Go and RE2 may judge differently (see the module docstring)."""
    if "(?<" in pattern:
        return True
    depth = total = 0
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            kind = pattern[index + 1 : index + 2]
            if kind == "C":
                return True
            if kind in ("p", "P"):
                name_match = re.match(r"\{([^}]*)\}|([A-Za-z])", pattern[index + 2 :])
                name = (name_match.group(1) or name_match.group(2)) if name_match else ""
                if not _SAFE_CLASS.fullmatch(name):
                    return True
            if kind == "Q":
                end = pattern.find("\\E", index + 2)
                index = len(pattern) if end < 0 else end + 2
                continue
            index += 2
            continue
        if char == "(":
            depth += 1
            if depth > _MAX_DEPTH:
                return True
        elif char == ")":
            depth -= 1
        elif char == "{":
            counted = re.match(r"\{(\d+)(?:,(\d*))?\}", pattern[index:])
            if counted:
                total += max(int(counted.group(1)), int(counted.group(2) or 0))
                if total > _MAX_REPEAT_TOTAL:
                    return True
        index += 1
    return False


@lru_cache(maxsize=4096)
def is_valid_go_regexp(pattern: bytes, syntax: str = "perl") -> bool:
    """Whether ``pattern`` surely compiles with Go's regexp.MustCompile (or MustCompilePOSIX for ``posix``)."""
    try:
        text = pattern.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if "\x00" in text or _doubts(text):
        return False
    settings = re2.Options()
    settings.log_errors = False
    if syntax == "posix":
        settings.posix_syntax = True
    try:
        re2.compile(text, settings)
    except re2.error:
        return False
    return True


@dataclass
class GoRegexpRule(Rule):
    """Holds when the subject is a string literal holding a valid Go regular expression."""

    of: str | None = None
    syntax: str = "perl"

    def match(self, target: Target, ctx: MatchContext, env: Env) -> Env | None:
        node = subject(target, env, self.of)
        if node is None or node.type not in ("interpreted_string_literal", "raw_string_literal"):
            return None
        value = go_string_value(node.text or b"")
        return env if value is not None and is_valid_go_regexp(value, self.syntax) else None


def compile_go_regexp(raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule) -> GoRegexpRule:
    if raw is True:
        return GoRegexpRule()
    settings = options_of(raw, path, GO_REGEXP_OPTIONS)
    of = metavar(settings["of"], path + ("of",), identifier=True) if "of" in settings else None
    syntax = settings.get("syntax", "perl")
    if syntax not in SYNTAXES:
        raise RuleError(f"syntax must be one of: {', '.join(SYNTAXES)}", path + ("syntax",))
    return GoRegexpRule(of, syntax)
