"""The last check on a file's new text: it must still be a complete Go source file.

The per-pass check (:meth:`codemod.engine.core._FileRun._pass`) compares
tree-sitter's ERROR/MISSING nodes before and after a fix. Two things slip
through it and are caught here, whatever the file's formatting:

* a result with no package clause (a fix that empties the file or removes
  every declaration): tree-sitter parses an empty file, and gofmt's standard
  input accepts fragments, so neither would notice;
* code tree-sitter's grammar accepts but Go's parser rejects (``go f`` where
  Go wants a call): gofmt parses the result as a complete file (it has a
  package clause, so gofmt does not fall back to fragments), and a rejection
  counts whenever gofmt accepted the original, gofmt-clean or not.
"""

from __future__ import annotations

import re

from tree_sitter import Tree

from codemod.golang import gofmt

_GOFMT_POSITION = re.compile(r"^<standard input>:(\d+):(\d+):\s*")


def has_package_clause(tree: Tree) -> bool:
    return any(child.type == "package_clause" for child in tree.root_node.children)


def lost_package_clause(original_tree: Tree, new_source: bytes, new_tree: Tree) -> str | None:
    """Why ``new_source`` is no longer a Go source file although the original was; None when it is."""
    if not has_package_clause(original_tree) or has_package_clause(new_tree):
        return None
    if not new_source.strip():
        return "left the file empty (a Go file needs at least its package clause)"
    return "removed the package clause (the result would not be a Go source file)"


def go_rejection(original: bytes, rejection: str) -> str | None:
    """gofmt's ``rejection`` of a result, located, when gofmt accepts ``original``; None otherwise."""
    if gofmt.format_source(original).text is None:
        return None  # Go rejected the file before the fix too: not the fix's doing
    match = _GOFMT_POSITION.match(rejection)
    if match is None:
        return rejection or "gofmt failed"
    return f"line {match.group(1)} column {match.group(2)}: {rejection[match.end() :]}"
