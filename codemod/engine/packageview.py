"""A package as the engine sees it while it works on one of its files.

:class:`PackageView` holds the package's files' bytes and what the engine
learns about them while it runs: each file's tree (parsed once, whether
first needed as itself or as another file's sibling), package-level names,
the prefilter's verdicts and lexed var names handed over by the caller, and
the match memos shared by the files while they hold their original bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from tree_sitter import Node, Tree

from codemod.golang import scope
from codemod.golang.lexer import PackageVarOracle, VarDeclarers
from codemod.prefilter.requirements import Token, contains_token
from codemod.syntax.tree import parse


@dataclass
class PackageView:
    """The other files of a file's package, parsed on first use."""

    sources: Mapping[str, bytes] = field(default_factory=dict)
    # The prefilter's verdict on each file's bytes (recipe ids), when the caller already knows it.
    admitted: Mapping[str, frozenset[str]] = field(default_factory=dict)
    _trees: dict[str, Tree] = field(default_factory=dict)
    _names: dict[str, set[str]] = field(default_factory=dict)
    _memos: dict[str, dict] = field(default_factory=dict)
    _holding: dict[tuple[bytes, ...], list[str]] = field(default_factory=dict)  # needles -> paths (see _paths_holding)
    var_declarers: VarDeclarers | None = None  # the package's var names, when already lexed
    var_oracle: PackageVarOracle = field(init=False)

    def __post_init__(self) -> None:
        self.var_oracle = PackageVarOracle(self.sources, self.var_declarers)

    def roots(
        self, exclude: str, containing: tuple[bytes, ...] | None = None, accept: Callable[[bytes], bool] | None = None
    ) -> list[Node]:
        """Roots of the other files (only those holding one of the names ``containing``, and whose bytes ``accept``)."""
        out = []
        for path in self._paths_holding(containing):
            if path == exclude:
                continue
            if accept is not None and not accept(self.sources[path]):
                continue
            out.append(self.tree(path, self.sources[path]).root_node)
        return out

    def _paths_holding(self, needles: tuple[bytes, ...] | None) -> list[str]:
        """The sorted paths of the files holding one of ``needles`` as a whole identifier (all of them for None).

        Kept per needles: package facts ask for the same names again and
        again (once per match naming them), and the sources never change.
        """
        if needles is None:
            return sorted(self.sources)
        key = tuple(needles)
        found = self._holding.get(key)
        if found is None:
            found = [path for path in sorted(self.sources) if _holds_any(self.sources[path], key, word=True)]
            self._holding[key] = found
        return found

    def tree(self, path: str, data: bytes) -> Tree:
        """The tree of ``data``: parsed once per package, whether first needed as this file or as another's sibling."""
        if self.sources.get(path) != data:
            return parse(data)  # not the package's copy of the file (a test, an edited source): not kept
        if path not in self._trees:
            self._trees[path] = parse(data)
        return self._trees[path]

    def close(self) -> None:
        """Let go of the package's trees and memos now. A memo holds match contexts whose
        closures reach back to this view: cycles, which would keep every tree of the
        package alive until the cycle collector's next full pass."""
        for memo in self._memos.values():
            memo.clear()
        self._memos.clear()
        self._trees.clear()
        self._names.clear()
        self._holding.clear()

    def original_memo(self, recipe_id: str) -> dict:
        """The match memo of a recipe shared by the files of the package while each is its original bytes.

        Package-wide facts (field facts, name resolution) then hold for every
        file: each sees the same trees, its own and the others' (see
        :meth:`tree`), so a fact is computed once for the package.
        """
        return self._memos.setdefault(recipe_id, {})

    def names(self, exclude: str, containing: tuple[bytes, ...] | None = None) -> set[str]:
        """Package-level names of the other files (of those holding one of ``containing``, if given).

        A file's tree is not kept just for its names.
        """
        taken: set[str] = set()
        for path in sorted(self.sources):
            if path == exclude or not _holds_any(self.sources[path], containing, word=False):
                continue
            if path not in self._names:
                tree = self._trees.get(path) or parse(self.sources[path])
                self._names[path] = scope.package_level_names(tree.root_node)
            taken |= self._names[path]
        return taken


def _holds_any(data: bytes, needles: tuple[bytes, ...] | None, *, word: bool) -> bool:
    """No needles, or one occurs in ``data`` (as a whole identifier when ``word``)."""
    return needles is None or any(contains_token(data, Token(needle, word)) for needle in needles)
