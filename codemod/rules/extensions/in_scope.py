"""The ``in-scope`` rule key: is a name declared by the code where the target sits?

``in-scope: any`` holds when the identifier ``any``, written at the target's
position, would refer to a declaration of the package rather than to Go's
predeclared ``any``: a local variable, constant or type in scope there, a
parameter or result of an enclosing function body, a type parameter, an
import name of this file, or a package-level declaration of any file of the
package directory. The value is a name, a metavariable (``$X``: the text of
the node it is bound to) or a list of them (any one in scope is enough).

Scopes follow :mod:`codemod.golang.scope` (so the Go specification): a parameter is
not in scope in its own signature, a local variable only after its
declaration. A recipe that introduces a predeclared name, such as
``interface{}`` -> ``any``, guards itself with ``not: {in-scope: any}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tree_sitter import Node

from codemod.golang.lexer import may_declare_at_package_level
from codemod.pattern.matcher import Run
from codemod.rules.accepts import STRING, Schema, list_of, one_of
from codemod.rules.core import CompileRule, MatchContext, Rule, RuleError


@dataclass
class InScopeRule(Rule):
    """Holds when one of ``names`` (plain names or metavariable names) is declared at the target."""

    names: tuple[str, ...]
    metavars: tuple[str, ...]

    def match(self, target, ctx, env):
        node = target.nodes[0] if isinstance(target, Run) else target
        wanted = set(self.names)
        for metavar in self.metavars:
            bound = env.get(metavar)
            if isinstance(bound, Node) and bound.text:
                wanted.add(bound.text.decode("utf-8", errors="replace"))
        if not wanted:
            return None
        resolver = ctx.resolver_for(node)  # per-scope tables built once per tree, not per match
        if any(resolver.is_visible(name, node) for name in wanted):
            return env
        return env if any(_declared_by_other_files(name, ctx) for name in sorted(wanted)) else None


def _declared_by_other_files(name: str, ctx: MatchContext) -> bool:
    """Whether another file of the package declares ``name`` at package level (imports are file-scoped).

    Only the files whose top-level declarations may declare it, as read from
    their bytes (:func:`codemod.golang.lexer.may_declare_at_package_level`), are parsed.
    The answer is the same for every match of the file: it is kept in the pass memo.
    """
    key = (_DECLARED_ELSEWHERE, ctx.root, name)
    if key not in ctx.memo:
        needle = name.encode()
        ctx.memo[key] = any(
            decl.kind != "import"
            for root in ctx.package_roots_where((needle,), lambda data: may_declare_at_package_level(data, needle))
            if root != ctx.root
            for decl in ctx.resolver_for(root).file_level(root, name)
        )
    return ctx.memo[key]


_DECLARED_ELSEWHERE = "in-scope.declared-elsewhere"


IN_SCOPE_VALUE: Schema = one_of(STRING, list_of(STRING))


def compile_in_scope(raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule) -> InScopeRule:
    items = raw if isinstance(raw, list) else [raw]
    if not items or not all(isinstance(item, str) and item.lstrip("$").isidentifier() for item in items):
        raise RuleError("in-scope takes a name, a metavariable such as $X, or a list of them", path)
    names = tuple(item for item in items if not item.startswith("$"))
    metavars = tuple(item.lstrip("$") for item in items if item.startswith("$"))
    return InScopeRule(names, metavars)
