"""Go versions: compare them, and read the ``go`` line of the nearest go.mod.

Recipes name the minimum Go version their fix needs (``go: "1.22"``); the
engine compares it with the version declared by the module a file belongs to.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

GO_LINE_RE = re.compile(r"(?m)^go\s+(\d+\.\d+(?:\.\d+)?)(?:(?:rc|beta)\d+)?\s*(?://.*)?$")
GO_MOD_DEFAULT = "1.16"  # what the go command assumes for a go.mod without a go line


def parse_version(text: str) -> tuple[int, ...]:
    """``"1.22"`` -> (1, 22); ``"1.21.3"`` -> (1, 21, 3); junk -> (0,)."""
    numbers = re.findall(r"\d+", text)
    return tuple(int(n) for n in numbers[:3]) or (0,)


def version_at_least(have: str, need: str) -> bool:
    """True when Go version ``have`` is ``need`` or newer (language versions)."""
    return parse_version(have)[:2] >= parse_version(need)[:2]


def go_version_of_mod(text: str) -> str | None:
    """The version on the ``go`` directive of a go.mod text; without one (or with
    one that is not a version) 1.16, as the go command assumes, so recipes that
    need a newer Go leave the module alone."""
    found = GO_LINE_RE.search(text)
    return found.group(1) if found else GO_MOD_DEFAULT


@lru_cache(maxsize=4096)
def nearest_go_version(directory: Path) -> str | None:
    """The ``go`` version of the nearest go.mod at or above ``directory``."""
    for folder in (directory, *directory.parents):
        mod = folder / "go.mod"
        if mod.is_file():
            try:
                return go_version_of_mod(mod.read_text(encoding="utf-8", errors="replace"))
            except OSError:
                return None
    return None


# ---- a file's language version from its //go:build line (Go 1.21+) -------------------
# As go/parser records it and go/types uses it: the last ``//go:build`` comment
# before the first token of the file (the package clause) gives, through
# go/build/constraint.GoVersion, the minimum Go version the constraint implies;
# the file's language version is then max(that, go1.21), whatever the module's
# ``go`` line says (a downgrade below 1.21 is not possible: older toolchains
# ignore the tag). A constraint that does not parse is ignored.

GO1_21 = "1.21"
_BUILD_TOKEN_RE = re.compile(r"[ \t]*(\(|\)|!|&&|\|\||[\w.]+)")


def file_go_version(data: bytes, module_version: str | None) -> str | None:
    """The language version of a file: its ``//go:build`` Go version lifted to
    at least 1.21 when the constraint implies one, else ``module_version``."""
    header = _header(data)
    if b"//go:build" not in header:
        return module_version
    minimum = build_constraint_go_version(header)
    if minimum is None:
        return module_version
    return minimum if version_at_least(minimum, GO1_21) else GO1_21


def build_constraint_go_version(header: bytes) -> str | None:
    """The Go version (``"1.21"``) implied by the last parseable ``//go:build``
    comment before the file's first token, or None (no such comment, or no
    version implied)."""
    version: str | None = None
    for comment in _leading_line_comments(header):
        if not comment.startswith("//go:build") or (len(comment) > 10 and comment[10] not in " \t"):
            continue
        try:
            minor = _minimum(_BuildParser(comment[10:].strip()).parse(), +1)
        except ValueError:
            continue  # not a valid constraint: go/parser ignores it too
        version = None if minor < 0 else f"1.{minor}"
    return version


def _header(data: bytes) -> bytes:
    """The comments and blank lines before the file's first token."""
    return data[: _scan_comments(data, None)]


def _leading_line_comments(data: bytes) -> list[str]:
    """The ``//`` comments before the file's first token, each without its line end."""
    found: list[str] = []
    _scan_comments(data, found)
    return found


def _scan_comments(data: bytes, line_comments: list[str] | None) -> int:
    """The offset of the first token (after a BOM, spaces and comments)."""
    position, end = 0, len(data)
    if data.startswith(b"\xef\xbb\xbf"):
        position = 3
    while position < end:
        char = data[position : position + 1]
        if char in (b" ", b"\t", b"\r", b"\n", b"\f", b"\v"):
            position += 1
        elif data.startswith(b"//", position):
            newline = data.find(b"\n", position)
            stop = end if newline < 0 else newline
            if line_comments is not None:
                line_comments.append(data[position:stop].decode("utf-8", errors="replace").rstrip("\r"))
            position = stop
        elif data.startswith(b"/*", position):
            close = data.find(b"*/", position + 2)
            position = end if close < 0 else close + 2
        else:
            break
    return position


class _BuildParser:
    """go/build/constraint's grammar: ``||`` over ``&&`` over ``!``, parentheses, tags."""

    def __init__(self, text: str):
        self.tokens: list[str] = []
        position = 0
        while text[position:].strip(" \t"):
            found = _BUILD_TOKEN_RE.match(text, position)
            if found is None:
                raise ValueError("invalid syntax")
            self.tokens.append(found.group(1))
            position = found.end()
        self.index = 0

    def parse(self) -> tuple:
        if not self.tokens:
            raise ValueError("empty constraint")
        expr = self._or()
        if self.index != len(self.tokens):
            raise ValueError("unexpected token")
        return expr

    def _peek(self) -> str | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def _or(self) -> tuple:
        left = self._and()
        while self._peek() == "||":
            self.index += 1
            left = ("or", left, self._and())
        return left

    def _and(self) -> tuple:
        left = self._not()
        while self._peek() == "&&":
            self.index += 1
            left = ("and", left, self._not())
        return left

    def _not(self) -> tuple:
        token = self._advance()
        if token == "!":
            if self._peek() == "!":
                raise ValueError("double negation not allowed")
            return ("not", self._atom(self._advance()))
        return self._atom(token)

    def _advance(self) -> str | None:
        token = self._peek()
        self.index += 1
        return token

    def _atom(self, token: str | None) -> tuple:
        if token == "(":
            inner = self._or()
            if self._peek() != ")":
                raise ValueError("missing )")
            self.index += 1
            return inner
        if token is None or token in (")", "!", "&&", "||"):
            raise ValueError("missing tag")
        return ("tag", token)


def _minimum(expr: tuple, sign: int) -> int:
    """go/build/constraint.minVersion: the minimum minor version ``expr`` (or, with
    sign < 0, its negation) implies; -1 for none."""
    kind = expr[0]
    if kind == "not":
        return _minimum(expr[1], -sign)
    if kind == "tag":
        tag = expr[1]
        if sign < 0:
            return -1
        if tag == "go1":
            return 0
        _, cut, minor = tag.partition("go1.")  # strings.Cut, then strconv.Atoi, as Go does
        return int(minor) if cut and minor.isascii() and minor.isdigit() else -1
    left, right = _minimum(expr[1], sign), _minimum(expr[2], sign)
    conjunction = (kind == "and") == (sign > 0)
    return max(left, right) if conjunction else min(left, right)
