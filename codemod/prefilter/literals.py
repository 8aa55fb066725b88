"""Which of the prefilter's literal texts a file holds, found in one pass over its bytes.

The prefilter (:mod:`codemod.prefilter.requirements`) asks each file for
some tens of literal tokens (``Lock``, ``defer``, ``Sprintf``, ...). Searched
one by one, every token the file lacks costs a scan of the whole file, and
most files lack most tokens. One RE2 set search (``re2.Set``: every literal
at once, each reported if it occurs anywhere) tells which literals occur as
substrings; a token whose text does not occur is absent, and only the
others need the prefilter's own check (a word's boundaries, a shape).

The answer is only ever used to rule tokens *out*, and only when it is
known to be complete: the set holds one more pattern, the empty one, which
matches every text; a search that does not report it (RE2 gave up, out of
memory) answers None, and the prefilter then searches token by token as
before.
"""

from __future__ import annotations

import functools

import re2

_OPTIONS = re2.Options()
_OPTIONS.encoding = re2.Options.Encoding.LATIN1  # one byte, one character: any bytes, no UTF-8 decoding
_OPTIONS.max_mem = 32 << 20
_ALWAYS = 0  # index of the empty pattern, added first
# Fewer literals than this are searched one by one: a set search walks the
# whole file, while `in` stops at the first hit and runs in C. Measured on the
# Go tree: one recipe's 3 literals cost 0.29 s as a set against 0.12 s one by
# one; the built-in set's ~37 cost 2.7 s one by one against 1.9 s as a set.
SET_WORTHWHILE = 8


class LiteralSet:
    """A fixed list of byte strings; :meth:`present` says which of them a text contains."""

    def __init__(self, literals: tuple[bytes, ...]):
        self.literals = literals
        self._set = _compiled(literals) if len(literals) >= SET_WORTHWHILE else None

    def present(self, data: bytes) -> frozenset[bytes] | None:
        """The literals occurring in ``data`` (as substrings), or None when the search could not tell."""
        if self._set is None:
            return None
        found = self._set.Match(data)
        if not found or _ALWAYS not in found:
            return None
        return frozenset(self.literals[index - 1] for index in found if index != _ALWAYS)


@functools.lru_cache(maxsize=32)
def _compiled(literals: tuple[bytes, ...]) -> re2.Set | None:
    """The RE2 set of ``literals`` (each byte escaped), after the empty pattern; None if RE2 refuses it."""
    searcher = re2.Set.SearchSet(_OPTIONS)
    try:
        searcher.Add(b"")
        for literal in literals:
            searcher.Add(b"".join(b"\\x%02x" % byte for byte in literal))
        searcher.Compile()
    except re2.error:
        return None
    return searcher
