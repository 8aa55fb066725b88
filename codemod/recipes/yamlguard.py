"""Bounds on a YAML text's shape, checked before anything builds its values.

A YAML file is data from anywhere. Two shapes defeat a loader that builds
values recursively: nesting thousands of levels deep (Python's recursion
limit) and aliases that repeat anchors which repeat anchors (the "billion
laughs": a few hundred bytes that expand to gigabytes). :func:`shape_problem`
reads the text's event stream, which takes neither recursion nor expansion,
and reports the first such place as a located message: nesting deeper than
:data:`MAX_DEPTH`, more than :data:`MAX_VALUES` values in one document once
aliases are expanded, or an alias inside the node its anchor names (a
structure that contains itself).

Text that is not valid YAML is left to the loader, which says where.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from codemod.errors import LocatedMessage, Location

MAX_DEPTH = 100  # nested mappings and lists, per document
MAX_VALUES = 100_000  # values (scalars, mappings, lists) of one document, aliases expanded

_C_LOADER = getattr(yaml, "CSafeLoader", None)


def shape_problem(text: str, path: Path) -> LocatedMessage | None:
    """The first place ``text`` nests too deep, expands too much or contains itself; None if nowhere."""
    fast = _C_LOADER is not None and not yaml.reader.Reader.NON_PRINTABLE.search(text)
    loaders = (_C_LOADER, yaml.SafeLoader) if fast else (yaml.SafeLoader,)
    for loader in loaders:
        scan = _Scan()
        try:
            for event in yaml.parse(text, Loader=loader):
                problem = scan.event(event)
                if problem is not None:
                    mark = event.start_mark
                    return LocatedMessage(Location(str(path), mark.line + 1, mark.column + 1), problem)
            return None
        except yaml.YAMLError:
            # libyaml has limits of its own (a nesting depth, in newer builds): the Python
            # parser, which walks events without recursion, finds the located problem, if any.
            continue
    return None  # not YAML: the loader reports it, located


class _Scan:
    """The running sizes of one document's open collections and of its anchored nodes."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.open: list[tuple[str | None, int]] = []  # (anchor, values so far) of each open collection
        self.sizes: dict[str, int] = {}  # an anchored node's size, aliases expanded
        self.total = 0

    def event(self, event: yaml.Event) -> str | None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.reset()  # anchors do not cross documents
        elif isinstance(event, yaml.CollectionStartEvent):
            if len(self.open) >= MAX_DEPTH:
                return f"YAML nested deeper than {MAX_DEPTH} levels"
            self.open.append((event.anchor, 1))
            return self._count(0)
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, size = self.open.pop()
            if anchor is not None:
                self.sizes[anchor] = size
            return self._count(size, new=False)
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None:
                self.sizes[event.anchor] = 1
            return self._count(1)
        elif isinstance(event, yaml.AliasEvent):
            if any(anchor == event.anchor for anchor, _ in self.open):
                return f"alias *{event.anchor} inside the node its anchor names (a structure containing itself)"
            return self._count(self.sizes.get(event.anchor, 1))
        return None

    def _count(self, size: int, new: bool = True) -> str | None:
        """Add a value of ``size`` to its parent (and, if ``new``, to the document's total)."""
        if new:
            self.total += max(size, 1)
        if self.open and size:
            anchor, so_far = self.open[-1]
            self.open[-1] = (anchor, so_far + size)
        if self.total > MAX_VALUES:
            return f"YAML aliases expand to more than {MAX_VALUES} values (an alias bomb?)"
        return None
