"""Scope facts as rule keys: where a name is declared, how it is used, what captures it.

Three keys, each evaluated on an identifier (the rule's target, or the node
bound to the metavariable named by ``of``):

``declared``    where and how the name is declared: ``scope``, ``kind``,
                ``import`` (the path it names), ``file`` (this or other),
                ``single`` (the only name of its spec), ``spec`` (a rule on
                the declaring spec), ``bind`` (capture the spec) and
                ``same-as`` (the identifier bound to a metavariable refers to
                the same declaration);
``references``  quantifies over the *other* references of the declaration
                (not the declaring identifier, not those inside the match or
                inside the code bound to ``exclude``) ``in`` the function, the
                file or the whole package: ``all``, ``any``, ``none`` (rules)
                and ``count`` (a number or ``{min, max}``);
``captured``    the reference sits in a function literal that does not
                contain the declaration (a closure captures it).

Package-wide facts look at the other files of the package directory through
``ctx.package_roots()``: a name that resolves to nothing in this file but is
declared at package level in another file is found there (the lookup is
:mod:`codemod.rules.extensions.declarations`). Rules evaluated on
nodes of another file see that file as their context; bindings they make are
dropped, since a fix can only edit this file. See docs/rule-extensions.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tree_sitter import Node

from codemod.golang import resolution, scope
from codemod.pattern.matcher import Target
from codemod.rules.accepts import BOOLEAN, COUNT, METAVAR, RULE, STRING, Schema, enum, one_of, one_or_list, options
from codemod.rules.core import CompileRule, MatchContext, Rule, RuleError
from codemod.rules.extensions.declarations import (
    NAME_KINDS,
    Located,
    context_for,
    declaring_spec,
    locate,
    may_name_package_level,
    scope_of,
)
from codemod.rules.extensions.options import count_bounds, metavar, options_of, subject
from codemod.syntax.tree import outermost_function, tree_root

SCOPES = ("package", "file", "local", "parameter", "result", "receiver")
KINDS = ("var", "const", "type", "typeparam", "func", "param", "import", "label")


def _root_of(node: Node) -> Node:
    return tree_root(node)


def _import_path(spec: Node) -> str | None:
    path = spec.child_by_field_name("path") if spec.type == "import_spec" else None
    return path.text[1:-1].decode("utf-8", errors="replace") if path is not None and path.text else None


def _declares_one_name(spec: Node) -> bool:
    if spec.type in ("var_spec", "const_spec"):
        return len(spec.children_by_field_name("name")) == 1
    if spec.type == "short_var_declaration":
        left = spec.child_by_field_name("left")
        return left is not None and len(left.named_children) == 1
    if spec.type in ("parameter_declaration", "type_parameter_declaration"):
        return len(spec.children_by_field_name("name")) <= 1
    return True


def _identifier(node: Node | None) -> Node | None:
    """The identifier a key looks at (see :func:`subject`): a one-element expression list stands for its element.

    ``$X`` in ``$X := f()`` may bind one.
    """
    if node is not None and node.type == "expression_list" and node.named_child_count == 1:
        node = node.named_children[0]
    return node


# --- compiling -------------------------------------------------------------------


def _choices(raw: Any, path: tuple, allowed: tuple[str, ...]) -> frozenset[str]:
    values = [raw] if isinstance(raw, str) else raw
    if not isinstance(values, list) or not values or any(v not in allowed for v in values):
        raise RuleError(f"expected one or a list of: {', '.join(allowed)}", path)
    return frozenset(values)


@dataclass
class DeclaredRule(Rule):
    """``declared``: facts about the declaration an identifier refers to."""

    of: str | None = None
    scopes: frozenset[str] | None = None
    kinds: frozenset[str] | None = None
    import_path: str | None = None
    file: str | None = None
    single: bool | None = None
    spec: Rule | None = None
    bind: str | None = None
    same_as: str | None = None

    def identifier_metavars(self) -> frozenset[str]:
        return frozenset({self.of}) if self.of is not None else frozenset()  # only names are declared

    def package_var_metavars(self) -> frozenset[str]:
        only_package_vars = self.scopes == frozenset({"package"}) and self.kinds == frozenset({"var"})
        return frozenset({self.of}) if self.of is not None and only_package_vars else frozenset()

    def match(self, target, ctx, env):
        ident = _identifier(subject(target, env, self.of))
        located = locate(ident, ctx) if ident is not None else None
        if located is None:
            return None
        in_this_file = located.root == _root_of(ident)
        if self.file is not None and (self.file == "this") != in_this_file:
            return None
        if self.bind is not None and not in_this_file:
            return None
        if self.same_as is not None and not _same_declaration(located, env.get(self.same_as), ctx):
            return None
        if self.scopes is not None and scope_of(located) not in self.scopes:
            return None
        if self.kinds is not None and located.decl.kind not in self.kinds:
            return None
        spec = declaring_spec(located)
        if self.import_path is not None and (located.decl.kind != "import" or _import_path(spec) != self.import_path):
            return None
        if self.single is not None and _declares_one_name(spec) != self.single:
            return None
        if self.spec is not None:
            bound = self.spec.match(spec, context_for(located.root, ctx), env)
            if bound is None:
                return None
            env = bound if in_this_file else env
        if self.bind is not None:
            env = {**env, self.bind: spec}
        return env


def _same_declaration(located: Located, other: Any, ctx: MatchContext) -> bool:
    """Whether the identifier bound as ``other`` refers to the declaration ``located`` (the same node, not its text)."""
    ident = _identifier(subject(other, {}, None)) if other is not None else None
    theirs = locate(ident, ctx) if ident is not None else None
    return theirs is not None and theirs.root == located.root and theirs.decl.start == located.decl.start


DECLARED_OPTIONS: dict[str, Schema] = {
    "of": METAVAR,
    "scope": one_or_list(enum(SCOPES)),
    "kind": one_or_list(enum(KINDS)),
    "import": {**STRING, "minLength": 1},
    "file": enum(("this", "other")),
    "single": BOOLEAN,
    "spec": RULE,
    "bind": METAVAR,
    "same-as": METAVAR,
}
DECLARED_VALUE = options(DECLARED_OPTIONS)


def compile_declared(raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule) -> DeclaredRule:
    raw = options_of(raw, path, DECLARED_OPTIONS)
    rule = DeclaredRule()
    if "of" in raw:
        rule.of = metavar(raw["of"], path + ("of",))
    if "scope" in raw:
        rule.scopes = _choices(raw["scope"], path + ("scope",), SCOPES)
    if "kind" in raw:
        rule.kinds = _choices(raw["kind"], path + ("kind",), KINDS)
    if "import" in raw:
        if not isinstance(raw["import"], str) or not raw["import"]:
            raise RuleError("import must be an import path such as sync/atomic", path + ("import",))
        rule.import_path = raw["import"]
    if "file" in raw:
        if raw["file"] not in ("this", "other"):
            raise RuleError("file must be 'this' or 'other'", path + ("file",))
        rule.file = raw["file"]
    if "single" in raw:
        if not isinstance(raw["single"], bool):
            raise RuleError("single must be true or false", path + ("single",))
        rule.single = raw["single"]
    if "spec" in raw:
        rule.spec = compile_rule(raw["spec"], path + ("spec",), util_names)
    if "bind" in raw:
        rule.bind = metavar(raw["bind"], path + ("bind",))
    if "same-as" in raw:
        rule.same_as = metavar(raw["same-as"], path + ("same-as",))
    return rule


REFERENCE_SPANS = ("function", "file", "package")


@dataclass
class ReferencesRule(Rule):
    """``references``: quantifiers over the other references of a declaration."""

    of: str | None
    span: str
    exclude: str | None = None  # metavariable whose code is skipped; None: the match
    every: Rule | None = None
    some: Rule | None = None
    no: Rule | None = None
    count_min: int | None = None
    count_max: int | None = None

    def match(self, target, ctx, env):
        ident = _identifier(subject(target, env, self.of))
        if ident is None:
            return None
        skip = _span_of(env.get(self.exclude) if self.exclude else target)
        found = list(self._others(ident, skip, ctx))
        if self.count_min is not None and len(found) < self.count_min:
            return None
        if self.count_max is not None and len(found) > self.count_max:
            return None
        if self.every is not None and not all(self.every.match(node, c, env) is not None for node, c in found):
            return None
        if self.some is not None and not any(self.some.match(node, c, env) is not None for node, c in found):
            return None
        if self.no is not None and any(self.no.match(node, c, env) is not None for node, c in found):
            return None
        return env

    def _others(self, ident: Node, skip: tuple[int, int], ctx: MatchContext) -> Iterator[tuple[Node, MatchContext]]:
        """References other than the declaring identifier and those in the ``skip`` byte range."""
        located = locate(ident, ctx)
        if located is None:
            return
        here = _root_of(ident)
        for root, node in self._references(located, ident, here, ctx):
            if root == located.root and node.start_byte == located.decl.start:
                continue
            if root == here and skip[0] <= node.start_byte and node.end_byte <= skip[1]:
                continue
            yield node, context_for(root, ctx)

    def _references(self, located: Located, ident: Node, here: Node, ctx: MatchContext) -> Iterator[tuple[Node, Node]]:
        if self.span == "function":
            function = outermost_function(ident)
            roots = [function if function is not None else here]
        elif self.span == "file" or not located.decl.package_level:
            roots = [here]
        else:
            roots = [here] + [r for r in ctx.package_roots_containing(located.decl.name.encode()) if r != here]
        for root in roots:
            tree_root = _root_of(root)
            if tree_root == located.root:
                yield from ((tree_root, node) for node in _resolved_references(root, located.decl, ctx))
            else:
                yield from ((tree_root, node) for node in _unresolved_named(root, located.decl.name, ctx))


def _span_of(binding: Target | tuple[Node, ...] | None) -> tuple[int, int]:
    """Byte range of a target or binding; an empty range when there is none."""
    if binding is None or binding == ():
        return (0, 0)
    if isinstance(binding, tuple):
        return (binding[0].start_byte, binding[-1].end_byte)
    return (binding.start_byte, binding.end_byte)


def _resolved_references(root: Node, decl: scope.Declaration, ctx: MatchContext) -> list[Node]:
    """The references to ``decl`` under ``root`` (in its tree), once per pass: every match naming it asks again."""
    key = (_REFERENCES, tree_root(root), root.start_byte, root.end_byte, decl)
    found = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = resolution.references(root, decl, ctx.resolver_for(root))
    return found


_REFERENCES = "references.resolved"


def _unresolved_named(root: Node, name: str, ctx: MatchContext) -> Iterator[Node]:
    """Identifiers called ``name`` that resolve to nothing in their file: package-level references.

    Found from the name's bytes (:func:`codemod.golang.resolution.named_leaves`), not by a walk.
    """
    resolver = ctx.resolver_for(root)
    for node in resolution.named_leaves(root, name.encode(), NAME_KINDS):
        if may_name_package_level(node) and resolver.resolve(node) is None:
            yield node


REFERENCES_OPTIONS: dict[str, Schema] = {
    "of": METAVAR,
    "in": enum(REFERENCE_SPANS),
    "exclude": METAVAR,
    "all": RULE,
    "any": RULE,
    "none": RULE,
    "count": COUNT,
}
REFERENCES_VALUE = options(REFERENCES_OPTIONS)


def compile_references(raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule) -> ReferencesRule:
    raw = options_of(raw, path, REFERENCES_OPTIONS)
    span = raw.get("in", "file")
    if span not in REFERENCE_SPANS:
        raise RuleError(f"in must be one of: {', '.join(REFERENCE_SPANS)}", path + ("in",))
    of = metavar(raw["of"], path + ("of",)) if "of" in raw else None
    rule = ReferencesRule(of, span)
    if "exclude" in raw:
        rule.exclude = metavar(raw["exclude"], path + ("exclude",))
    if not any(key in raw for key in ("all", "any", "none", "count")):
        raise RuleError("references needs at least one of: all, any, none, count", path)
    if "all" in raw:
        rule.every = compile_rule(raw["all"], path + ("all",), util_names)
    if "any" in raw:
        rule.some = compile_rule(raw["any"], path + ("any",), util_names)
    if "none" in raw:
        rule.no = compile_rule(raw["none"], path + ("none",), util_names)
    if "count" in raw:
        rule.count_min, rule.count_max = count_bounds(raw["count"], path + ("count",))
    return rule


@dataclass
class CapturedRule(Rule):
    """``captured``: a function literal that does not hold the declaration holds this reference."""

    expected: bool
    of: str | None = None

    def match(self, target, ctx, env):
        ident = _identifier(subject(target, env, self.of))
        located = locate(ident, ctx) if ident is not None else None
        if located is None:
            return None
        return env if _is_captured(ident, located) == self.expected else None


def _is_captured(ident: Node, located: Located) -> bool:
    if located.decl.package_level or located.root != _root_of(ident):
        return False
    current = ident.parent
    while current is not None:
        if current.type == "func_literal":
            return not (current.start_byte <= located.decl.start < current.end_byte)
        current = current.parent
    return False


CAPTURED_OPTIONS: dict[str, Schema] = {"of": METAVAR, "is": BOOLEAN}
CAPTURED_VALUE = one_of(BOOLEAN, options(CAPTURED_OPTIONS))


def compile_captured(raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule) -> CapturedRule:
    if isinstance(raw, bool):
        return CapturedRule(raw)
    raw = options_of(raw, path, CAPTURED_OPTIONS)
    expected = raw.get("is", True)
    if not isinstance(expected, bool):
        raise RuleError("is must be true or false", path + ("is",))
    return CapturedRule(expected, metavar(raw["of"], path + ("of",)) if "of" in raw else None)
