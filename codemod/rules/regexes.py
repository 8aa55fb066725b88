"""Recipe regexes: compiled for RE2, a regex engine whose time is linear in the text.

A recipe is data from anywhere; a backtracking engine (Python's ``re``) lets
one ``regex`` such as ``(a+)+$`` run for minutes on a long node. RE2 (the
``google-re2`` binding) never backtracks, like the Rust regex of ast-grep,
and rejects what it cannot do in linear time (backreferences, look-around,
possessive and atomic groups): such a regex is a load error.

Like ast-grep's, ``\\w``, ``\\d`` and ``\\s`` are Unicode-aware here (RE2's own
are ASCII): :func:`compile_regex` rewrites them to Unicode classes before
compiling. ``\\b`` stays RE2's ASCII word boundary.

Python's ``\\uXXXX`` escapes become RE2's ``\\x{XXXX}``.

Static analyses (the prefilter) read a regex's text with Python's parser;
:func:`python_view` gives them that view only when both engines surely read
the text alike, and None otherwise (they then derive nothing).
"""

from __future__ import annotations

import re

import re2

RE2_OPTIONS = re2.Options()
RE2_OPTIONS.log_errors = False  # errors become load errors, not lines on stderr

# Python's Unicode classes, in RE2 syntax, without the brackets (so they also fit in a class).
_UNICODE_CLASSES = {
    "w": r"\p{L}\p{N}_",
    "d": r"\p{Nd}",
    "s": r"\s\x{1c}-\x{1f}\x{85}\p{Z}",
}


_HEX_DIGITS = {"u": 4, "U": 8}


def _is_hex(text: str) -> bool:
    return bool(text) and all(char in "0123456789abcdefABCDEF" for char in text)


class RegexError(ValueError):
    """A regex RE2 cannot compile; the message says what and why, ``offset`` where (when known)."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.offset = offset


def compile_regex(source: str) -> re2._Regexp:
    """``source`` compiled by RE2 with Unicode ``\\w``, ``\\d``, ``\\s``; RegexError if RE2 refuses it."""
    try:
        return re2.compile(unicode_classes(source), RE2_OPTIONS)
    except UnicodeEncodeError:
        raise RegexError("invalid regex: it holds a character that is not Unicode text (a lone surrogate)") from None
    except re2.error as problem:
        reason = problem.args[0] if problem.args else problem
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise RegexError(
            f"invalid regex: {reason} (recipe regexes use RE2 syntax: "
            "no backreferences, look-around, possessive or atomic groups)",
            _python_error_offset(source),
        ) from None


def _python_error_offset(source: str) -> int | None:
    """Where Python's parser, which counts offsets (RE2 does not), finds an error in ``source``."""
    try:
        re.compile(source)
    except re.error as problem:
        return problem.pos
    except (RecursionError, OverflowError):
        return None
    return None


class TextRegex:
    """A recipe regex searched in UTF-8 bytes (a node's text) without decoding them when they are valid."""

    def __init__(self, source: str) -> None:
        self.text = compile_regex(source)  # for bytes that are not UTF-8, decoded with replacement characters
        self.raw = re2.compile(unicode_classes(source).encode("utf-8"), RE2_OPTIONS)  # same reading, on bytes

    def found_in(self, data: bytes) -> bool:
        """Whether ``data`` holds a match, read as UTF-8 text (invalid bytes as U+FFFD)."""
        if not data.isascii():
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                return self.text.search(data.decode("utf-8", errors="replace")) is not None
        return self.raw.search(data) is not None


def unicode_classes(source: str) -> str:
    """``source`` with ``\\w``, ``\\d``, ``\\s`` (and, outside brackets, ``\\W``, ``\\D``, ``\\S``) Unicode-wide.

    Inside brackets a negated class cannot be widened by a union, so it stays ASCII.
    """
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(source):
        char = source[index]
        if char == "\\" and index + 1 < len(source):
            escaped = source[index + 1]
            wide = _UNICODE_CLASSES.get(escaped.lower())
            if wide is not None and escaped.islower():
                out.append(wide if in_class else f"[{wide}]")
            elif wide is not None and not in_class:
                out.append(f"[^{wide}]")
            elif escaped in _HEX_DIGITS and _is_hex(source[index + 2 : index + 2 + _HEX_DIGITS[escaped]]):
                digits = source[index + 2 : index + 2 + _HEX_DIGITS[escaped]]
                out.append(f"\\x{{{digits}}}")  # Python's \uXXXX and \UXXXXXXXX
                index += len(digits)
            else:
                out.append(source[index : index + 2])
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            out.append(char)
            index += 1
            # a ']' (after an optional '^') right after '[' is a literal member
            if source.startswith("^", index):
                out.append("^")
                index += 1
            if source.startswith("]", index):
                out.append("]")
                index += 1
            continue
        if char == "[" and in_class and source.startswith("[:", index) and ":]" in source[index + 2 :]:
            end = source.index(":]", index + 2) + 2  # a POSIX class such as [:alpha:] stays whole
            out.append(source[index:end])
            index = end
            continue
        if char == "]" and in_class:
            in_class = False
        out.append(char)
        index += 1
    return "".join(out)


def python_view(source: str) -> re.Pattern[str] | None:
    """``source`` compiled by Python's ``re``, for reading its structure only (never for matching).

    None when Python cannot compile it or might read it differently from RE2
    (POSIX classes such as ``[[:alpha:]]``, which Python reads as a set
    followed by ``]``); a caller then derives nothing from the regex.
    """
    if "[:" in source:
        return None
    try:
        return re.compile(source)
    except (re.error, RecursionError, OverflowError):
        return None
