"""Facts read from a Go file's bytes without parsing it: package-level names, field sites.

The prefilter uses this for a rule such as ``declared: {of: $V, scope:
package, kind: var}``: a file whose only candidates for ``$V`` are names no
file of the package declares with a top-level ``var`` cannot match, and is
not parsed. ``in-scope`` parses only the other files whose top-level ``var``,
``const``, ``type`` or ``func`` may declare the name it asks about
(:func:`package_level_names`). The answer must never miss a name, so it is
a superset:

* strings, runes and comments are blanked out first (one regex pass), so
  brackets and words inside them do not count; then only a ``var`` that
  starts a declaration (after a line break or ``;``) outside every ``{``
  counts, its depth found by counting braces before it (a ``var``
  statement only ever starts in a block, never just inside ``(`` or ``[``);
* in ``var x, y T`` the name list after ``var`` counts, and in
  ``var ( ... )`` every name that starts a line or follows ``(``, ``;`` or
  a comma at the block's own level counts, nested brackets dropped first
  (a value or type name that happens to be there only adds a name).

Text the lexer cannot follow (an unterminated string or comment) gives
``None``: "any name", so the prefilter admits the file.

Field facts (``codemod/rules/extensions/fields.py``) ask, before parsing another file
of the package, whether it may hold a *site* of a field (``x.mu``, a
struct's ``mu T``, a key ``mu:``): :func:`may_hold_field_site`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping

from codemod.syntax import memory

# The bytes a Go name is made of: ASCII letters, digits, underscore, and every byte of a non-ASCII letter.
WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") | frozenset(
    range(0x80, 0x100)
)

_NAME = rb"[A-Za-z_\x80-\xff][A-Za-z0-9_\x80-\xff]*"
# Strings, raw strings, runes and comments: blanked out first, so brackets and words in them do not count.
# Runs are taken whole and never given back (possessive), which is both fast and safe from backtracking.
_LITERALS = re.compile(rb'"(?:[^"\\\n]++|\\.)*+"|`[^`]*+`|\'(?:[^\'\\\n]++|\\.)*+\'|//[^\n]*+|/\*[\s\S]*?\*/')
_INNERMOST = re.compile(rb"[({\[][^(){}\[\]]*[)}\]]")
_BRACKET = re.compile(rb"[(){}\[\]]")
# A declared name in a var block, at the block's level: after a line break, `(`, `;` or a comma.
_BLOCK_NAME = re.compile(rb"(?:^|[\n(;,])[ \t\r]*(" + _NAME + rb")")
_BLANKS_RUN = re.compile(rb"\s*")
_SPEC_NAMES = re.compile(rb"\s*(" + _NAME + rb"(?:\s*,\s*" + _NAME + rb")*)")


def without_literals(data: bytes) -> bytes:
    """``data`` with its strings, runes and comments blanked out (each one space): words left are code."""
    return _LITERALS.sub(b" ", data)


def package_var_names(data: bytes) -> frozenset[bytes] | None:
    """Names a top-level ``var`` of this file may declare (a superset), or None when unsure."""
    return package_level_names(data, (b"var",))


DECLARATION_KEYWORDS = (b"var", b"const", b"type", b"func")


def package_level_names(data: bytes, keywords: tuple[bytes, ...] = DECLARATION_KEYWORDS) -> frozenset[bytes] | None:
    """Names this file's top-level declarations opened by ``keywords`` may declare (a superset), or None when unsure.

    A ``func`` declares its name, a method (``func (r T) M``) none.
    """
    if not any(keyword in data for keyword in keywords):
        return frozenset()
    code = without_literals(data)
    if any(start in code for start in (b'"', b"'", b"`", b"/*")):
        return None  # a literal or comment that never ends
    names: set[bytes] = set()
    depth, counted = 0, 0
    for start, after, keyword in _occurrences(code, keywords):
        if not _starts_declaration(code, start):
            continue
        depth += code.count(b"{", counted, start) - code.count(b"}", counted, start)
        counted = start
        if depth != 0:
            continue  # inside a function body: not package level
        opening = _BLANKS_RUN.match(code, after).end()  # type: ignore[union-attr]  # \s* always matches
        if code[opening : opening + 1] == b"(" and keyword != b"func":
            closing = _closing(code, opening)
            if closing is None:
                return None
            names.update(_block_names(code[opening + 1 : closing]))
        else:
            found = _SPEC_NAMES.match(code, after)
            if found is not None:
                names.update(name.strip() for name in found.group(1).split(b","))
    return frozenset(names)


def _occurrences(code: bytes, keywords: tuple[bytes, ...]) -> Iterator[tuple[int, int, bytes]]:
    """(start, end, keyword) of each keyword, in order."""
    if len(keywords) == 1:
        return ((found.start(), found.end(), keywords[0]) for found in _keyword(keywords[0]).finditer(code))
    return iter(
        sorted(
            (found.start(), found.end(), keyword) for keyword in keywords for found in _keyword(keyword).finditer(code)
        )
    )


@functools.cache
def _keyword(keyword: bytes) -> re.Pattern[bytes]:
    """The keyword as a whole word (a literal first: the regex engine scans for it fast)."""
    return re.compile(keyword + rb"(?<![A-Za-z0-9_\x80-\xff]" + keyword + rb")(?![A-Za-z0-9_\x80-\xff])")


def _starts_declaration(code: bytes, start: int) -> bool:
    """A declaration begins after a line break or `;` (comments are blanked out by now)."""
    index = start - 1
    while index >= 0 and code[index] in b" \t\r":
        index -= 1
    return index < 0 or code[index] in b"\n;"


def _closing(code: bytes, opening: int) -> int | None:
    """Where the bracket opened at ``opening`` closes."""
    depth = 0
    for bracket in _BRACKET.finditer(code, opening):
        depth += 1 if bracket.group() in (b"(", b"{", b"[") else -1
        if depth == 0:
            return bracket.start()
    return None


def _block_names(block: bytes) -> set[bytes]:
    """Names at the block's own level: nested brackets are dropped first, innermost out."""
    flat, previous = block, b""
    while flat != previous:
        previous, flat = flat, _INNERMOST.sub(b" ", flat)
    return {match.group(1) for match in _BLOCK_NAME.finditer(flat)}


def may_declare_var(data: bytes, name: bytes) -> bool:
    """Whether ``data`` may declare ``name`` with a top-level ``var`` (cheap no when the name is absent)."""
    if not holds_word(data, name):
        return False
    names = package_var_names(data)
    return names is None or name in names


def may_declare_at_package_level(data: bytes, name: bytes) -> bool:
    """Whether ``data`` may declare ``name`` with a top-level ``var``, ``const``, ``type`` or ``func``.

    A cheap no for most files, so that a name looked up in the other files of
    a package (a predeclared ``string``, a local ``s``) parses only the files
    that may declare it."""
    names = _package_level_names_of(data)
    return names is None or name in names


# A package's files (the largest in the Go tree has 133): the key keeps each
# file's bytes alive, so a larger memo only holds packages already done.
@functools.lru_cache(maxsize=128)
def _package_level_names_of(data: bytes) -> frozenset[bytes] | None:
    return package_level_names(data)  # each file lexed once, however many names are looked up in it


memory.on_release(_package_level_names_of.cache_clear)  # a package is done: keep none of its files' bytes


# Top-level var names -> the files that may declare them, and the files the lexer could not follow.
VarDeclarers = tuple[dict[bytes, set[str]], set[str]]

# The package clause: after blanks and comments only, as Go requires.
_PACKAGE_CLAUSE = re.compile(rb"(?:\s++|//[^\n]*+|/\*(?:[^*]|\*(?!/))*+\*/)*+package\s++(" + _NAME + rb")")


def package_groups(files: Mapping[str, bytes]) -> list[dict[str, bytes]]:
    """The files of a directory grouped by their package clause, in path order of each group's first file.

    One directory may hold several packages: ``p`` and its external tests
    ``p_test``, or a ``package main`` generator kept out of the build. Names
    declared in one are not in scope in another. A file without a clause
    (it cannot parse) is a group of its own.
    """
    groups: dict[bytes | str, dict[str, bytes]] = {}
    for path in sorted(files):
        found = _PACKAGE_CLAUSE.match(files[path])
        groups.setdefault(found.group(1) if found else path, {})[path] = files[path]
    return list(groups.values())


def own_package(path: str, data: bytes, sources: Mapping[str, bytes]) -> dict[str, bytes]:
    """The files of ``sources`` in the package of ``path`` (whose bytes are ``data``)."""
    group = next(group for group in package_groups({**sources, path: data}) if path in group)
    return {other: sources[other] for other in group if other in sources}


def declarers_within(known: VarDeclarers | None, paths: Iterable[str]) -> VarDeclarers | None:
    """What lexing a directory found, for some of its files only."""
    if known is None:
        return None
    kept = set(paths)
    declaring, unsure = known
    return {name: found & kept for name, found in declaring.items() if found & kept}, unsure & kept


class PackageVarOracle:
    """``name -> bool`` for the files of one package: may one declare ``name`` with a top-level var?

    The package's files are lexed once, on the first question.
    """

    def __init__(self, sources: Mapping[str, bytes], known: VarDeclarers | None = None):
        self.sources = sources
        self._declaring: dict[bytes, set[str]] | None = None
        self._unsure: set[str] = set()  # files the lexer could not follow: they may declare anything
        if known is not None:  # lexed elsewhere (by the run's triage): these very sources
            self._declaring, self._unsure = known

    def known(self) -> VarDeclarers | None:
        """What the lexing found (None before the first question), to hand to an oracle of the same sources."""
        return None if self._declaring is None else (self._declaring, self._unsure)

    def __call__(self, name: bytes, *, exclude: str | None = None) -> bool:
        if self._declaring is None:
            self._declaring = {}
            for path, data in self.sources.items():
                names = package_var_names(data)
                if names is None:
                    self._unsure.add(path)
                    continue
                for declared in names:
                    self._declaring.setdefault(declared, set()).add(path)
        paths = self._declaring.get(name, set()) | self._unsure
        return bool(paths - {exclude}) if exclude is not None else bool(paths)


_SITE_BEFORE = frozenset(b"\n.{;,")  # a selector's dot, a struct's line, `{`, `;` or a name list
_DECLARATION_BEFORE = frozenset(b"\n{;,")  # a struct's line, `{`, `;` or a name list
# What never follows a declared field's name: a key's or label's colon, a selector, an assignment, a line end
# (an embedded field has no name), a closing bracket.
_NOT_AFTER_DECLARED_NAME = frozenset(b":.=\n;)]}")
_BLANKS = frozenset(b" \t\r")


def may_hold_field_site(data: bytes, name: bytes) -> bool:
    """Whether ``name`` may be a field site in ``data`` (no: the file need not be parsed for it).

    A site is ``x.name`` (the dot may sit on the line above), a declaration
    ``name T`` in a struct (first on its line, or after ``{``, ``;`` or a
    comma), or a key ``name: value``. An occurrence in a line comment's
    text (after ``//``) or in an expression is none of them; after a block
    comment it may be.
    """
    return any(_site_context(data, start, end) for start, end in _word_spans(data, name))


def may_declare_field(data: bytes, name: bytes) -> bool:
    """Whether ``data`` may declare a struct field ``name`` (no: the file need not be parsed for it).

    A declared field's name is first on its line, or after ``{``, ``;`` or a
    name list's comma, and a type or another name follows it: never a
    selector's dot before it, nor ``:``, ``.``, ``=`` or a closing bracket
    after it. After a block comment it may be.
    """
    return any(_declaration_context(data, start, end) for start, end in _word_spans(data, name))


def _word_spans(data: bytes, name: bytes) -> Iterator[tuple[int, int]]:
    """(start, end) of each occurrence of ``name`` as a whole word of ``data``."""
    start = data.find(name)
    while start >= 0:
        end = start + len(name)
        if (start == 0 or data[start - 1] not in WORD_BYTES) and (end == len(data) or data[end] not in WORD_BYTES):
            yield start, end
        start = data.find(name, start + 1)


def _declaration_context(data: bytes, start: int, end: int) -> bool:
    before = start - 1
    while before >= 0 and data[before] in _BLANKS:
        before -= 1
    if before >= 0 and data[before] == ord("/") and before > 0 and data[before - 1] == ord("*"):
        return True  # after a block comment: unsure
    if before >= 0 and data[before] not in _DECLARATION_BEFORE:
        return False
    after = end
    while after < len(data) and data[after] in _BLANKS:
        after += 1
    return after < len(data) and data[after] not in _NOT_AFTER_DECLARED_NAME


def _site_context(data: bytes, start: int, end: int) -> bool:
    before = start - 1
    while before >= 0 and data[before] in _BLANKS:
        before -= 1
    if before < 0 or data[before] in _SITE_BEFORE:
        return True
    if data[before] == ord("/") and before > 0 and data[before - 1] == ord("*"):
        return True  # after a block comment: unsure
    after = end
    while after < len(data) and data[after] in _BLANKS:
        after += 1
    return data[after : after + 1] == b":" and data[after + 1 : after + 2] != b"="


def holds_word(text: bytes, word: bytes) -> bool:
    """Whether ``word`` occurs in ``text`` between non-word bytes (a whole Go name or keyword)."""
    index = text.find(word)
    while index >= 0:
        end = index + len(word)
        if (index == 0 or text[index - 1] not in WORD_BYTES) and (end == len(text) or text[end] not in WORD_BYTES):
            return True
        index = text.find(word, index + 1)
    return False
