"""Suppression comments: ``//gocodemod:ignore``, ``//gocodemod:ignore-file``
and golangci-lint's ``//nolint``.

* ``//gocodemod:ignore`` suppresses every recipe in what it covers;
  ``//gocodemod:ignore id-a,id-b`` only those. What it covers depends on where
  it stands (:mod:`codemod.engine.suppress_scope`): on its own line, the whole
  node that starts on the next line; at the end of a line, the nodes on it.
* ``//gocodemod:ignore-file [ids]`` before the ``package`` clause (after
  build tags and licence comments) suppresses the whole file.
* A reason may follow the ids after ``--`` (``//gocodemod:ignore id -- why``).
* ``//nolint:gocodemod``, ``//nolint:<recipe-id>``, lists such as
  ``//nolint:errcheck,defer-go-explicit // why``, and a bare ``//nolint`` or
  ``//nolint:all`` (every linter, so every recipe) cover like
  ``//gocodemod:ignore``. Names of other linters are not ours: a ``nolint``
  is reported unused only when it names ``gocodemod`` or a recipe of the run.

The engine asks :meth:`Suppressions.allows` with a match's start offset
before reporting or applying it; each directive remembers whether it was
used, so that ``--report-unused-ignores`` can list the ones that suppressed
nothing. Ranges are computed per pass from that pass's tree (only when the
file holds a directive); :meth:`Suppressions.follow` carries usage over.
Only real comments count (the tree is consulted), never text in strings.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from tree_sitter import Node

from codemod.engine.suppress_scope import WHOLE_FILE, covered_ranges
from codemod.syntax.tree import parse

MARKERS = (b"gocodemod:", b"nolint")
_DIRECTIVE = re.compile(
    r"^//[ \t]?gocodemod:(?P<kind>ignore-file|ignore)"
    r"(?:[ \t]+(?P<ids>[A-Za-z0-9][\w.\-/]*(?:[ \t]*,[ \t]*[A-Za-z0-9][\w.\-/]*)*))?"
    r"(?:[ \t]+.*)?$"
)
_NOLINT = re.compile(r"^//[ \t]*nolint(?P<rest>:(?:(?!//).)*|[ \t].*)?(?://.*)?$")
OURS = "gocodemod"  # the name golangci-lint's spelling uses for every recipe


def may_hold_directives(source: bytes) -> bool:
    """Whether ``source`` may hold a suppression comment (a byte search, no parse)."""
    return any(marker in source for marker in MARKERS)


@dataclass
class Suppression:
    """One suppression comment: where it is, what it names, whether it was used."""

    line: int
    text: str
    recipe_ids: frozenset[str]  # empty: every recipe
    whole_file: bool
    misplaced: bool = False  # an ignore-file below the package clause: inert, reported unused
    nolint: bool = False  # golangci-lint's spelling: recipe_ids may name other linters
    used: bool = field(default=False)

    def covers(self, recipe_id: str) -> bool:
        return not self.recipe_ids or recipe_id in self.recipe_ids or (self.nolint and OURS in self.recipe_ids)

    def reportable(self, run_ids: Collection[str]) -> bool:
        """Whether it is ours to report as unused: a ``nolint`` only when it names us."""
        if not self.nolint:
            return True
        return OURS in self.recipe_ids or any(name in self.recipe_ids for name in run_ids)


def parse_directive(comment: str) -> tuple[bool, frozenset[str]] | None:
    """``(whole_file, recipe_ids)`` for a ``//gocodemod:`` comment, ``None`` for any other."""
    match = _DIRECTIVE.match(comment.rstrip())
    if match is None:
        return None
    ids = match.group("ids") or ""
    recipe_ids = frozenset(part.strip() for part in ids.split(",") if part.strip())
    return match.group("kind") == "ignore-file", recipe_ids


def parse_nolint(comment: str) -> frozenset[str] | None:
    """The linter names of a ``//nolint`` comment (empty: every linter), ``None`` for any other.

    As in golangci-lint: names are comma-separated after ``nolint:``, compared
    in lower case, ``all`` means every linter, and a ``//`` starts the reason.
    """
    match = _NOLINT.match(comment.rstrip())
    if match is None:
        return None
    rest = match.group("rest") or ""
    if not rest.startswith(":"):
        return frozenset()
    names = frozenset(name.strip().lower() for name in rest[1:].split(",") if name.strip())
    return frozenset() if "all" in names else names


class Suppressions:
    """The suppression comments of one file and what they cover in one pass's source."""

    def __init__(self, entries: list[Suppression], ranges: list[tuple[int, int, Suppression]], source: bytes):
        self._entries = entries
        self._ranges = ranges
        self.source = source

    @classmethod
    def from_source(cls, source: bytes, root: Node | None = None) -> Suppressions:
        """Collect the suppression comments of a Go file (no parse when there are none)."""
        if not may_hold_directives(source):
            return cls([], [], source)
        if root is None:
            root = parse(source).root_node
        package_start = next(
            (child.start_byte for child in root.children if child.type == "package_clause"), len(source)
        )
        entries: list[Suppression] = []
        ranges: list[tuple[int, int, Suppression]] = []
        for comment in _directive_comments(source, root):
            entry = _entry_for(comment.text or b"", comment.start_point[0] + 1, comment.start_byte < package_start)
            if entry is None:
                continue
            entries.append(entry)
            if entry.misplaced:
                continue
            spans = [WHOLE_FILE] if entry.whole_file else covered_ranges(source, root, comment)
            ranges.extend((start, end, entry) for start, end in spans)
        return cls(entries, ranges, source)

    def follow(self, source: bytes, root: Node) -> Suppressions:
        """The same directives in ``source``, a later pass's result: the ranges are
        recomputed from its tree, usage and original lines carry over. A directive
        that a fix brought in counts for nothing."""
        if not self._entries or source is self.source:
            return Suppressions(self._entries, self._ranges, source)
        originals = dict(_keyed(self._entries))
        fresh = Suppressions.from_source(source, root)
        renamed = {id(entry): originals[key] for key, entry in _keyed(fresh._entries) if key in originals}
        ranges = [(start, end, renamed[id(e)]) for start, end, e in fresh._ranges if id(e) in renamed]
        return Suppressions(self._entries, ranges, source)

    def allows(self, recipe_id: str, offset: int) -> bool:
        """False when a directive covers ``recipe_id`` at byte ``offset`` (and mark it used)."""
        allowed = True
        for start, end, entry in self._ranges:
            if start <= offset < end and entry.covers(recipe_id):
                entry.used = True
                allowed = False
        return allowed

    def unused(self, run_ids: Collection[str] = ()) -> list[tuple[int, str]]:
        """``(line, comment text)`` of each directive of ours that suppressed nothing
        (``run_ids``: the recipes of the run, to tell a ``nolint`` of ours)."""
        return [(e.line, e.text) for e in self._entries if not e.used and e.reportable(run_ids)]

    def __len__(self) -> int:
        return len(self._entries)


def _directive_comments(source: bytes, root: Node) -> list[Node]:
    """The comment nodes that hold a marker, in source order (never string text)."""
    found: dict[int, Node] = {}
    for marker in MARKERS:
        offset = source.find(marker)
        while offset >= 0:
            node = root.descendant_for_byte_range(offset, offset + len(marker))
            if node is not None and node.type == "comment":
                found.setdefault(node.start_byte, node)
                offset = node.end_byte
            offset = source.find(marker, offset + 1)
    return [found[start] for start in sorted(found)]


def _keyed(entries: list[Suppression]) -> list[tuple[tuple[str, int], Suppression]]:
    """Each entry keyed by its text and how many identical texts precede it."""
    seen: dict[str, int] = {}
    keyed = []
    for entry in entries:
        seen[entry.text] = seen.get(entry.text, 0) + 1
        keyed.append(((entry.text, seen[entry.text]), entry))
    return keyed


def _entry_for(raw: bytes, line: int, before_package: bool) -> Suppression | None:
    text = raw.decode("utf-8", errors="replace").rstrip()
    parsed = parse_directive(text)
    if parsed is not None:
        whole_file, recipe_ids = parsed
        misplaced = whole_file and not before_package
        return Suppression(line=line, text=text, recipe_ids=recipe_ids, whole_file=whole_file, misplaced=misplaced)
    names = parse_nolint(text)
    if names is None:
        return None
    return Suppression(line=line, text=text, recipe_ids=names, whole_file=False, nolint=True)
