"""Suppression comments: ``//gocodemod:ignore`` and ``//gocodemod:ignore-file``.

* ``//gocodemod:ignore`` on the line of a match, or on the line before it,
  suppresses every recipe there; ``//gocodemod:ignore id-a,id-b`` only those.
* ``//gocodemod:ignore-file [ids]`` before the ``package`` clause (after
  build tags and licence comments) suppresses the whole file.
* A reason may follow the ids after ``--`` (``//gocodemod:ignore id -- why``).

The engine asks :meth:`Suppressions.allows` before reporting or applying a
match; each suppression remembers whether it was used, so that
``--report-unused-ignores`` can list the ones that suppressed nothing.
Only real comments count (the source is parsed), never text in strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from codemod.syntax.tree import parse

MARKER = b"gocodemod:ignore"
_DIRECTIVE = re.compile(
    r"^//[ \t]?gocodemod:(?P<kind>ignore-file|ignore)"
    r"(?:[ \t]+(?P<ids>[A-Za-z0-9][\w.\-/]*(?:[ \t]*,[ \t]*[A-Za-z0-9][\w.\-/]*)*))?"
    r"(?:[ \t]+.*)?$"
)


@dataclass
class Suppression:
    """One suppression comment: where it is, what it covers, whether it was used."""

    line: int
    text: str
    recipe_ids: frozenset[str]  # empty: every recipe
    whole_file: bool
    misplaced: bool = False  # an ignore-file below the package clause: inert, reported unused
    used: bool = field(default=False)

    def covers(self, recipe_id: str) -> bool:
        return not self.recipe_ids or recipe_id in self.recipe_ids


def parse_directive(comment: str) -> tuple[bool, frozenset[str]] | None:
    """``(whole_file, recipe_ids)`` for a suppression comment, ``None`` for any other."""
    match = _DIRECTIVE.match(comment.rstrip())
    if match is None:
        return None
    ids = match.group("ids") or ""
    recipe_ids = frozenset(part.strip() for part in ids.split(",") if part.strip())
    return match.group("kind") == "ignore-file", recipe_ids


class Suppressions:
    """The suppression comments of one file."""

    def __init__(self, entries: list[Suppression]):
        self._entries = entries
        active = [entry for entry in entries if not entry.misplaced]
        self._file_wide = [entry for entry in active if entry.whole_file]
        self._by_line: dict[int, list[Suppression]] = {}
        for entry in active:
            if not entry.whole_file:
                self._by_line.setdefault(entry.line, []).append(entry)
                self._by_line.setdefault(entry.line + 1, []).append(entry)

    @classmethod
    def from_source(cls, source: bytes) -> Suppressions:
        """Collect the suppression comments of a Go file (cheap when there are none)."""
        if MARKER not in source:
            return cls([])
        root = parse(source).root_node
        package_start = next(
            (child.start_byte for child in root.children if child.type == "package_clause"), len(source)
        )
        entries: list[Suppression] = []
        stack = [root]
        while stack:
            node = stack.pop()
            if node.type == "comment":
                entry = _entry_for(node.text or b"", node.start_point[0] + 1, node.start_byte < package_start)
                if entry is not None:
                    entries.append(entry)
            elif MARKER in (node.text or b""):
                stack.extend(node.children)
        entries.sort(key=lambda entry: entry.line)
        return cls(entries)

    def allows(self, recipe_id: str, line: int) -> bool:
        """False when a suppression covers ``recipe_id`` at 1-based ``line`` (and mark it used)."""
        covering = [entry for entry in self._file_wide + self._by_line.get(line, []) if entry.covers(recipe_id)]
        for entry in covering:
            entry.used = True
        return not covering

    def unused(self) -> list[tuple[int, str]]:
        """``(line, comment text)`` of each suppression that suppressed nothing."""
        return [(entry.line, entry.text) for entry in self._entries if not entry.used]

    def __len__(self) -> int:
        return len(self._entries)


def _entry_for(raw: bytes, line: int, before_package: bool) -> Suppression | None:
    text = raw.decode("utf-8", errors="replace").rstrip()
    parsed = parse_directive(text)
    if parsed is None:
        return None
    whole_file, recipe_ids = parsed
    misplaced = whole_file and not before_package
    return Suppression(line=line, text=text, recipe_ids=recipe_ids, whole_file=whole_file, misplaced=misplaced)
