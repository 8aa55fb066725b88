"""Names in a fix: the fresh names it introduces, and the imported packages it refers to.

A fix template may ask for a fresh name (``$$NEW(hint)``): it must clash with
nothing visible where it lands, nor with a name handed out earlier in the same
pass. A fix that adds an import and writes ``pkg.`` references needs ``pkg``
to name that package where the edit lands: a local declaration hides it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tree_sitter import Node

from codemod.golang import resolution, scope
from codemod.model import Edit
from codemod.recipes.load import Recipe
from codemod.syntax.tree import outermost_function


class FreshNames:
    """Fresh names handed out during one pass.

    A package-level name clashes with every name given this pass; a local one
    only with names given in the same outermost function and with package-level
    ones. Names of a fix that is not applied are released.
    """

    def __init__(self, package_names: Callable[[str], set[str]]):
        # Package-level names of the other files that could be ``hint``, ``hint2``, ...: only
        # files whose bytes hold the hint can declare one, so only those are parsed (when a fix asks).
        self._package_names = package_names
        self._taken_by_package: dict[str, set[str]] = {}
        self._given: list[tuple[str, tuple[int, int] | None]] = []  # (name, function span or None)

    def fresh(self, hint: str, at: Node, package_level: bool = False) -> str:
        if hint not in self._taken_by_package:
            self._taken_by_package[hint] = self._package_names(hint)
        outer = None if package_level else outermost_function(at)
        function = (outer.start_byte, outer.end_byte) if outer is not None else None
        taken = set(self._taken_by_package[hint])
        taken.update(name for name, where in self._given if function is None or where is None or where == function)
        name = resolution.fresh_name(hint, at, taken)
        self._given.append((name, function))
        return name

    def mark(self) -> int:
        return len(self._given)

    def release(self, mark: int) -> None:
        del self._given[mark:]


def hidden_import(
    root: Node, source: bytes, recipe: Recipe, qualifiers: dict[str, str], edits: list[Edit]
) -> str | None:
    """Why the fix cannot refer to an import it adds, or None when it can.

    An edit that writes more ``pkg.`` references than the code it replaces had
    needs ``pkg`` to name the package where it lands; a local variable,
    parameter or type of that name hides it, and the result would not compile.
    """
    for path in recipe.imports.add:
        default = scope.default_package_name(path)
        name = qualifiers.get(default, default)
        reference = re.compile(rb"(?<![\w.])" + re.escape(name.encode()) + rb"\s*\.")
        for edit in edits:
            added = len(reference.findall(edit.text)) - len(reference.findall(source[edit.start : edit.end]))
            if added > 0 and name in resolution.local_names_at(root, edit.start):
                return f"the fix needs the package {path}, but a local declaration named {name} hides it here"
    return None
