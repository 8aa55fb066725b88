"""The last check on a file's new text: it must still be a complete Go source file.

The per-pass check (:meth:`codemod.engine.core._FileRun._pass`) compares
tree-sitter's ERROR/MISSING nodes before and after a fix. Two things slip
through it and are caught here, whatever the file's formatting:

* a result with no package clause (a fix that empties the file or removes
  every declaration): tree-sitter parses an empty file, and gofmt's standard
  input accepts fragments, so neither would notice; and an import placed
  after other declarations, which gofmt checking one section at a time
  cannot see;
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


def whole_file_problem(original_tree: Tree, new_source: bytes, new_tree: Tree) -> str | None:
    """Why ``new_source`` is no longer a Go source file although the original was; None when it is."""
    if has_package_clause(original_tree) and not has_package_clause(new_tree):
        if not new_source.strip():
            return "left the file empty (a Go file needs at least its package clause)"
        return "removed the package clause (the result would not be a Go source file)"
    late = _late_import(new_tree)
    if late is not None and _late_import(original_tree) is None:
        return f"put an import after other declarations (line {late}; Go wants imports first)"
    return None


def _late_import(tree: Tree) -> int | None:
    """The line of the first import declaration that follows another declaration, if any.

    gofmt sees only the changed sections of a file (:mod:`codemod.golang.gofmtsections`),
    each after a stand-in package clause, so it cannot tell where they stand.
    """
    seen_other = False
    for child in tree.root_node.children:
        if child.type == "import_declaration" and seen_other:
            return child.start_point[0] + 1
        if child.type not in ("package_clause", "import_declaration", "comment", ";", "\n"):
            seen_other = True
    return None


def go_rejection(original: bytes, rejection: str) -> str | None:
    """gofmt's ``rejection`` of a result, located, when gofmt accepts ``original``; None otherwise."""
    if gofmt.format_source(original).text is None:
        return None  # Go rejected the file before the fix too: not the fix's doing
    match = _GOFMT_POSITION.match(rejection)
    if match is None:
        return rejection or "gofmt failed"
    return f"line {match.group(1)} column {match.group(2)}: {rejection[match.end() :]}"
