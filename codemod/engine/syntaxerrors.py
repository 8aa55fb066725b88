"""Editing a file that holds syntax errors: only outside its error regions, with proof.

A file tree-sitter-go cannot parse whole (Go 1.26's ``new(42)``, Go 1.27's
generic methods, or a file that really is broken) is still edited, outside
its error regions (:mod:`codemod.syntax.errorregions`: whole top-level
declarations). :class:`SyntaxErrorGuard` decides, per match, whether the
match may be used:

* not when the matched node, or any edit of its fix, overlaps a region;
* not when the match reads a fact the regions could change: a name it
  holds or writes is declared in a region (a method's name included), or a
  name of it that is neither local to its function, predeclared nor an
  imported package (a package-level variable or function) is mentioned in
  one, so that scope and flow facts and fresh names computed without the
  region may be wrong. Field and method names after a dot count only for a
  recipe that reads field facts (``field-uses``, ``field-declarations``).
  A recipe that adds or removes imports is not used when a region holds an
  import declaration, and an import a region mentions is never removed.

The rules never see the regions: the tree they match is the file parsed
without them (:func:`codemod.syntax.tree.parse_outside`, :meth:`SyntaxErrorGuard.working_tree`),
so an ERROR node's contents, or a method body tree-sitter read as top-level
statements, cannot match. Dropped matches are counted per recipe and snippet
across passes. After the last pass :meth:`SyntaxErrorGuard.proof` checks
that the result has the same error regions, byte for byte and in order, as
the original: otherwise the file's changes are withdrawn.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from tree_sitter import Tree

from codemod.golang.imports import imports_of
from codemod.golang.lexer import package_level_names, without_literals
from codemod.golang.resolution import declared_in_function
from codemod.golang.scope import GO_KEYWORDS, PREDECLARED, default_package_name
from codemod.model import Edit
from codemod.pattern.matcher import Run, Target
from codemod.recipes.load import Recipe
from codemod.syntax.errorregions import ErrorRegions, error_regions
from codemod.syntax.tree import error_count, parse, parse_outside

_WORD = re.compile(rb"[A-Za-z_\x80-\xff][A-Za-z0-9_\x80-\xff]*")
_METHOD_NAME = re.compile(rb"(?m)^func\s*\([^)]*\)\s*(" + _WORD.pattern + rb")")
_KEYWORDS = frozenset(word.encode() for word in GO_KEYWORDS)
_PREDECLARED = frozenset(word.encode() for word in PREDECLARED)
_FIELD_KEYS = frozenset({"field-uses", "field-declarations"})


def words(text: bytes, *, selectors: bool = True) -> set[bytes]:
    """The identifier-like words of ``text``'s code (not of its comments and literals; Go keywords left
    out); with ``selectors=False`` not those after a dot (``x.Name``: a field, a method, or a member of
    an imported package)."""
    found = set()
    text = without_literals(text)
    for match in _WORD.finditer(text):
        if not selectors:
            before = match.start() - 1
            while before >= 0 and text[before] in b" \t\r\n":
                before -= 1
            if before >= 0 and text[before] == ord("."):
                continue
        found.add(match.group())
    return found - _KEYWORDS


def reads_fields(raw: object) -> bool:
    """Whether a recipe's rules (its raw YAML mapping) ask field facts, which span the whole package."""
    if isinstance(raw, dict):
        return any(key in _FIELD_KEYS or reads_fields(value) for key, value in raw.items())
    if isinstance(raw, list):
        return any(reads_fields(item) for item in raw)
    return False


class SyntaxErrorGuard:
    """The error regions of one file's original bytes, and what may not be edited because of them."""

    def __init__(self, source: bytes, tree: Tree, regions: ErrorRegions):
        self.original = regions.texts(source)
        self.count = len(regions)
        self.regions = regions  # those of the source the current pass works on
        self.errors = error_count(tree)  # ERROR and MISSING nodes of the whole file, as parsed
        texts = b"\n".join(self.original)
        self.mentioned = words(texts)
        lexed = package_level_names(texts)
        # What the regions may declare: the lexer's answer (and method names), or every word when it cannot tell.
        self.declared = set(lexed) | set(_METHOD_NAME.findall(texts)) if lexed is not None else set(self.mentioned)
        self.holds_imports = b"import" in set(_WORD.findall(without_literals(texts)))
        self.imported = {
            (info.name or default_package_name(info.path)).encode() for info in imports_of(tree) if info.name != "."
        }
        self._fields: dict[str, bool] = {}
        self._dropped: Counter[tuple[str, str]] = Counter()
        self._this_pass: Counter[tuple[str, str]] = Counter()

    def working_tree(self, source: bytes, tree: Tree) -> Tree | None:
        """The tree rules match in ``source`` (whose whole parse is ``tree``): ``source`` parsed
        without its error regions; None when that does not parse cleanly either."""
        self.regions = error_regions(tree)
        self.errors = error_count(tree)
        working = parse_outside(source, self.regions.spans())
        return None if working.root_node.has_error or self.regions.whole_file else working

    def start_pass(self) -> ErrorRegions:
        """The error regions of this pass's source (the original's, moved by earlier passes' edits)."""
        self._merge()
        self._this_pass = Counter()
        return self.regions

    def drops(
        self,
        regions: ErrorRegions,
        recipe: Recipe,
        target: Target,
        source: bytes,
        snippet: str,
        edits: Sequence[Edit] = (),
    ) -> bool:
        """Whether a match (with the edits of its fix, once known) must be dropped; counted if so
        (a match found again in a later pass counts once)."""
        if not self._blocks(regions, recipe, target, source, edits):
            return False
        self._this_pass[(recipe.id, snippet)] += 1
        return True

    @property
    def dropped(self) -> int:
        self._merge()
        return sum(self._dropped.values())

    def _merge(self) -> None:
        for key, count in self._this_pass.items():
            self._dropped[key] = max(self._dropped[key], count)

    def _blocks(
        self, regions: ErrorRegions, recipe: Recipe, target: Target, source: bytes, edits: Sequence[Edit]
    ) -> bool:
        if regions.overlaps(target.start_byte, target.end_byte):
            return True
        if any(regions.overlaps(edit.start, edit.end) for edit in edits):
            return True
        if self.holds_imports and (recipe.imports.add or recipe.imports.remove_if_unused):
            return True
        if recipe.id not in self._fields:
            self._fields[recipe.id] = reads_fields(recipe.raw)
        selectors = self._fields[recipe.id]
        texts = [source[target.start_byte : target.end_byte]]
        texts += [text for edit in edits for text in (source[edit.start : edit.end], edit.text)]
        if set().union(*(words(text) for text in texts)) & self.declared:
            return True
        read = set().union(*(words(text, selectors=selectors) for text in texts))
        outside = (read & self.mentioned) - _PREDECLARED - self.imported
        if not outside:
            return False
        node = target.nodes[0] if isinstance(target, Run) else target
        local = {name.encode() for name in declared_in_function(node)}
        return bool(outside - local)

    def removable(self, paths: Iterable[str]) -> list[str]:
        """The imports a fix may remove when unused: not those a region may use."""
        return [path for path in paths if default_package_name(path).encode() not in self.mentioned]

    def proof(self, new_source: bytes) -> str | None:
        """Why the error regions of ``new_source`` are not those of the original, byte for byte; None when they are."""
        after = error_regions(parse(new_source))
        texts = after.texts(new_source)
        if texts == self.original:
            return None
        for index, (before, now) in enumerate(zip(self.original, texts, strict=False)):
            if before != now:
                return f"changed the text of syntax-error region {index + 1} of {self.count}"
        return f"left {len(texts)} syntax-error regions where there were {self.count}"
