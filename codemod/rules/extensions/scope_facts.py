"""Scope facts as rule keys: where a name is declared, how it is used, what captures it.

Three keys, each evaluated on an identifier (the rule's target, or the node
bound to the metavariable named by ``of``):

``declared``    where and how the name is declared: ``scope``, ``kind``,
                ``import`` (the path it names), ``file`` (this or other),
                ``single`` (the only name of its spec), ``spec`` (a rule on
                the declaring spec) and ``bind`` (capture the spec);
``references``  quantifies over the *other* references of the declaration
                (not the declaring identifier, not those inside the match or
                inside the code bound to ``exclude``) ``in`` the function, the
                file or the whole package: ``all``, ``any``, ``none`` (rules)
                and ``count`` (a number or ``{min, max}``);
``captured``    the reference sits in a function literal that does not
                contain the declaration (a closure captures it).

Package-wide facts look at the other files of the package directory through
``ctx.package_roots()``: a name that resolves to nothing in this file but is
declared at package level in another file is found there. Rules evaluated on
nodes of another file see that file as their context; bindings they make are
dropped, since a fix can only edit this file. See docs/rule-extensions.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tree_sitter import Node

from codemod.golang import resolution, scope
from codemod.pattern.matcher import Env, Run, Target
from codemod.rules.core import MatchContext, Rule, RuleError, compile_rule, register_rule_key
from codemod.syntax.tree import outermost_function, tree_root

SCOPES = ("package", "file", "local", "parameter", "result", "receiver")
KINDS = ("var", "const", "type", "typeparam", "func", "param", "import", "label")
_NAME_KINDS = frozenset({"identifier", "type_identifier", "package_identifier"})
_SPEC_KINDS = frozenset(
    {
        "var_spec", "const_spec", "type_spec", "type_alias", "import_spec", "short_var_declaration",
        "parameter_declaration", "variadic_parameter_declaration", "type_parameter_declaration",
        "function_declaration", "range_clause", "receive_statement", "labeled_statement",
    }
)  # fmt: skip
_SIGNATURE_FIELDS = (("receiver", "receiver"), ("parameters", "parameter"), ("result", "result"))


@dataclass(frozen=True)
class Located:
    """A declaration and the file (root node) that holds it."""

    decl: scope.Declaration
    root: Node

    @property
    def node(self) -> Node:
        found = self.root.descendant_for_byte_range(self.decl.start, self.decl.end)
        assert found is not None
        return found


# --- looking things up --------------------------------------------------------


def _root_of(node: Node) -> Node:
    return tree_root(node)


def _may_name_package_level(ident: Node) -> bool:
    """Could this unresolved identifier name a package-level declaration of another file?"""
    parent = ident.parent
    if ident.type not in _NAME_KINDS or ident.text == b"_" or parent is None:
        return False
    if parent.type == "qualified_type" and ident.type == "type_identifier":
        return False
    if parent.type in ("parameter_declaration", "variadic_parameter_declaration") and ident.type == "identifier":
        return False  # a parameter's own name
    return parent.type not in ("package_clause", "import_spec")


def locate(ident: Node, ctx: MatchContext) -> Located | None:
    """The declaration ``ident`` refers to, in this file or (package level) in another one."""
    decl = ctx.resolver_for(ident).resolve(ident)
    if decl is not None:
        return Located(decl, _root_of(ident))
    if not _may_name_package_level(ident):
        return None
    name = (ident.text or b"").decode("utf-8", errors="replace")
    for root in ctx.package_roots_containing(ident.text or b""):
        for candidate in scope.package_declarations(root):
            if candidate.name == name and candidate.kind != "import":
                return Located(candidate, root)
    return None


def declaring_spec(located: Located) -> Node:
    """The spec, parameter, statement or declaration that declares the name."""
    node = located.node
    while node.parent is not None and node.type not in _SPEC_KINDS:
        node = node.parent
    return node


def scope_of(located: Located) -> str:
    """package, file (imports), local, parameter, result or receiver."""
    if located.decl.kind == "import":
        return "file"
    if located.decl.package_level:
        return "package"
    if located.decl.kind != "param":
        return "parameter" if located.decl.kind == "typeparam" else "local"
    spec = declaring_spec(located)
    parameter_list, function = spec.parent, spec.parent.parent if spec.parent else None
    if parameter_list is not None and function is not None:
        for field_name, name in _SIGNATURE_FIELDS:
            owner = function.child_by_field_name(field_name)
            if (
                owner is not None
                and owner.start_byte == parameter_list.start_byte
                and owner.end_byte == parameter_list.end_byte
            ):
                return name
    return "parameter"


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


def context_for(root: Node, ctx: MatchContext) -> MatchContext:
    """A match context for another file of the package (or ``ctx`` itself for this file)."""
    if root == ctx.root:
        return ctx
    source = b" " * root.start_byte + (root.text or b"")  # offsets stay file offsets
    return ctx.for_other_file(root, source)


def _subject(target: Target, env: Env, of: str | None) -> Node | None:
    """The identifier a key looks at: the node bound to ``of``, else the target.

    A one-element expression list (``$X`` in ``$X := f()`` may bind one) stands
    for its element.
    """
    node = env.get(of) if of is not None else target
    if isinstance(node, Run):
        node = node.nodes
    if isinstance(node, tuple):
        node = node[0] if len(node) == 1 else None
    if node is not None and node.type == "expression_list" and node.named_child_count == 1:
        node = node.named_children[0]
    return node


# --- compiling -------------------------------------------------------------------


def _mapping(raw: Any, path: tuple, known: tuple[str, ...]) -> dict:
    if not isinstance(raw, dict):
        raise RuleError(f"expected a mapping with some of: {', '.join(known)}", path)
    unknown = [key for key in raw if key not in known]
    if unknown:
        raise RuleError(f"unknown key {unknown[0]!r} (known: {', '.join(known)})", path + (unknown[0],))
    return raw


def _metavar(raw: Any, path: tuple) -> str:
    if not isinstance(raw, str) or not raw.startswith("$") or not raw.lstrip("$"):
        raise RuleError("expected a metavariable such as $X", path)
    return raw.lstrip("$")


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

    def identifier_metavars(self) -> frozenset[str]:
        return frozenset({self.of}) if self.of is not None else frozenset()  # only names are declared

    def package_var_metavars(self) -> frozenset[str]:
        only_package_vars = self.scopes == frozenset({"package"}) and self.kinds == frozenset({"var"})
        return frozenset({self.of}) if self.of is not None and only_package_vars else frozenset()

    def match(self, target, ctx, env):
        ident = _subject(target, env, self.of)
        located = locate(ident, ctx) if ident is not None else None
        if located is None:
            return None
        in_this_file = located.root == _root_of(ident)
        if self.file is not None and (self.file == "this") != in_this_file:
            return None
        if self.bind is not None and not in_this_file:
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


def compile_declared(raw: Any, path: tuple, util_names: frozenset[str]) -> DeclaredRule:
    known = ("of", "scope", "kind", "import", "file", "single", "spec", "bind")
    raw = _mapping(raw, path, known)
    rule = DeclaredRule()
    if "of" in raw:
        rule.of = _metavar(raw["of"], path + ("of",))
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
        rule.bind = _metavar(raw["bind"], path + ("bind",))
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
        ident = _subject(target, env, self.of)
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
                yield from ((tree_root, node) for node in resolution.references(root, located.decl))
            else:
                yield from ((tree_root, node) for node in _unresolved_named(root, located.decl.name))


def _span_of(binding: Target | tuple[Node, ...] | None) -> tuple[int, int]:
    """Byte range of a target or binding; an empty range when there is none."""
    if binding is None or binding == ():
        return (0, 0)
    if isinstance(binding, tuple):
        return (binding[0].start_byte, binding[-1].end_byte)
    return (binding.start_byte, binding.end_byte)


def _unresolved_named(root: Node, name: str) -> Iterator[Node]:
    """Identifiers called ``name`` that resolve to nothing in their file: package-level references."""
    wanted = name.encode()
    if wanted not in (root.text or b""):  # a byte search settles most files without a walk
        return
    resolver = resolution.Resolver()
    for node in scope.walk(root):
        if node.type in _NAME_KINDS and node.text == wanted and _may_name_package_level(node):
            if resolver.resolve(node) is None:
                yield node


def _count_bounds(raw: Any, path: tuple) -> tuple[int | None, int | None]:
    if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
        return raw, raw
    if isinstance(raw, dict) and raw and set(raw) <= {"min", "max"}:
        bounds = (raw.get("min"), raw.get("max"))
        if all(b is None or (isinstance(b, int) and not isinstance(b, bool) and b >= 0) for b in bounds):
            return bounds
    raise RuleError("count must be a number or {min: N, max: M}", path)


def compile_references(raw: Any, path: tuple, util_names: frozenset[str]) -> ReferencesRule:
    raw = _mapping(raw, path, ("of", "in", "exclude", "all", "any", "none", "count"))
    span = raw.get("in", "file")
    if span not in REFERENCE_SPANS:
        raise RuleError(f"in must be one of: {', '.join(REFERENCE_SPANS)}", path + ("in",))
    of = _metavar(raw["of"], path + ("of",)) if "of" in raw else None
    rule = ReferencesRule(of, span)
    if "exclude" in raw:
        rule.exclude = _metavar(raw["exclude"], path + ("exclude",))
    if not any(key in raw for key in ("all", "any", "none", "count")):
        raise RuleError("references needs at least one of: all, any, none, count", path)
    if "all" in raw:
        rule.every = compile_rule(raw["all"], path + ("all",), util_names)
    if "any" in raw:
        rule.some = compile_rule(raw["any"], path + ("any",), util_names)
    if "none" in raw:
        rule.no = compile_rule(raw["none"], path + ("none",), util_names)
    if "count" in raw:
        rule.count_min, rule.count_max = _count_bounds(raw["count"], path + ("count",))
    return rule


@dataclass
class CapturedRule(Rule):
    """``captured``: a function literal that does not hold the declaration holds this reference."""

    expected: bool
    of: str | None = None

    def match(self, target, ctx, env):
        ident = _subject(target, env, self.of)
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


def compile_captured(raw: Any, path: tuple, util_names: frozenset[str]) -> CapturedRule:
    if isinstance(raw, bool):
        return CapturedRule(raw)
    raw = _mapping(raw, path, ("of", "is"))
    expected = raw.get("is", True)
    if not isinstance(expected, bool):
        raise RuleError("is must be true or false", path + ("is",))
    return CapturedRule(expected, _metavar(raw["of"], path + ("of",)) if "of" in raw else None)


register_rule_key("declared", compile_declared)
register_rule_key("references", compile_references)
register_rule_key("captured", compile_captured)
