"""Why a recipe's rule matches a node or not: the first rule part that fails, by its YAML key path.

:class:`RuleWhy` evaluates a recipe's YAML rule key by key, in the order
matching uses (:data:`codemod.rules.compile.RULE_KEYS`), each key compiled
on its own by the one rule compiler, threading the metavariables the
earlier keys bound; ``matches`` follows the util's own rule, and a relation
that looks at one node only (``inside`` its parent, ``has`` an only child, the
next sibling) says why that node fails. A pattern that fails names, where it
can, the first place its tree differs from the code's. Used by
:mod:`codemod.run.explain` (``gocodemod explain --file F --line N``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tree_sitter import Node

if TYPE_CHECKING:
    from codemod.pattern.matcher import Env
    from codemod.recipes.load import Recipe
    from codemod.rules.core import MatchContext, Rule

_RELATION_WORDS = {
    "has": ("child", "descendant"),
    "inside": ("parent", "ancestor"),
    "follows": ("preceding sibling", "preceding sibling"),
    "precedes": ("following sibling", "following sibling"),
}


@dataclass
class RuleWhy:
    """Evaluates a recipe's YAML rule key by key, saying which part failed first."""

    recipe: Recipe
    ctx: MatchContext

    def __post_init__(self) -> None:
        self.util_names = frozenset(self.recipe.raw.get("utils") or {})
        self.visiting: list[str] = []

    def check(self, raw: Any, path: tuple, node: Node, env: Env) -> tuple[Env | None, str | None]:
        """(the metavariables bound, None) when ``raw`` matches ``node``; (None, why) when not."""
        from codemod.rules.compile import RULE_KEYS

        for key in RULE_KEYS:
            if key not in raw:
                continue
            value, where = raw[key], path + (key,)
            if key == "all":
                for index, item in enumerate(value):
                    found, why = self.check(item, where + (index,), node, env)
                    if found is None:
                        return None, why
                    env = found
            elif key == "any":
                reasons: list[str] = []
                for index, item in enumerate(value):
                    bound, why = self.check(item, where + (index,), node, env)
                    if bound is not None:
                        env = bound
                        break
                    reasons.append(why or "")
                else:
                    return None, f"{key_path(where)}: no alternative matched ({'; '.join(reasons)})"
            elif key == "not":
                if self.check(value, where, node, env)[0] is not None:
                    return None, f"{key_path(where)}: the rule under not matched"
            elif key == "matches" and value not in self.visiting:
                self.visiting.append(value)
                try:
                    bound, why = self.check(self.recipe.raw["utils"][value], ("utils", value), node, env)
                finally:
                    self.visiting.pop()
                if bound is None:
                    return None, f"{key_path(where)} {value}: {why}"
                env = bound
            else:
                bound = self._compiled(key, value, path).match(node, self.ctx, env)
                if bound is None:
                    only = _only_candidate(key, value, node)
                    if only is not None:  # one node the relation looks at: say why that one fails
                        inner = {k: v for k, v in value.items() if k not in ("stopBy", "field")}
                        _, why = self.check(inner, where, only, env)
                        if why is not None:
                            return None, why
                    return None, f"{key_path(where)}{_relation_options(key, value)}: {_failure(key, value, node)}"
                env = bound
        return env, None

    def _compiled(self, key: str, value: Any, path: tuple) -> Rule:
        from codemod.rules.compile import compile_rule

        return compile_rule({key: value}, path, self.util_names)

    def constraints(self, env: Mapping[str, Any]) -> str | None:
        """Why the code a metavariable bound fails its constraint, or None when all hold."""
        for name, raw in (self.recipe.raw.get("constraints") or {}).items():
            bound = env.get(str(name).lstrip("$"))
            if bound is None:
                continue
            for target in bound if isinstance(bound, tuple) else (bound,):
                _, why = self.check(raw, ("constraints", name), target, dict(env))
                if why is not None:
                    return why
        return None


def key_path(path: tuple) -> str:
    """``("rule", "all", 1, "has")`` as ``rule.all[1].has``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _relation_options(key: str, value: Any) -> str:
    if key not in _RELATION_WORDS or not isinstance(value, dict):
        return ""
    options = [f"{name}: {value[name]}" for name in ("field", "stopBy") if isinstance(value.get(name), str)]
    return f" ({', '.join(options)})" if options else ""


def _only_candidate(key: str, value: Any, node: Node) -> Node | None:
    """The one node a relation with ``stopBy: neighbor`` tests, when it tests exactly one."""
    if key not in _RELATION_WORDS or not isinstance(value, dict) or value.get("stopBy", "neighbor") != "neighbor":
        return None
    field_name = value.get("field")
    if key == "inside":
        parent = node.parent
        if parent is None or (field_name and not any(c == node for c in parent.children_by_field_name(field_name))):
            return None
        return parent
    if key == "has":
        children = node.children_by_field_name(field_name) if field_name else node.named_children
        children = [child for child in children if child.type != "comment"]
        return children[0] if len(children) == 1 else None
    sibling = node.prev_named_sibling if key == "follows" else node.next_named_sibling
    while sibling is not None and sibling.type == "comment":
        sibling = sibling.prev_named_sibling if key == "follows" else sibling.next_named_sibling
    return sibling


def _failure(key: str, value: Any, node: Node) -> str:
    if key == "kind":
        return f"the node is {node.type}, not {value}"
    if key == "regex":
        return f"the node's text holds no match of {value!r}"
    if key == "pattern":
        return f"the pattern does not match this {node.type}{_first_difference(value, node)}"
    if key in _RELATION_WORDS:
        near, far = _RELATION_WORDS[key]
        deep = isinstance(value, dict) and value.get("stopBy", "neighbor") != "neighbor"
        where = f" in field {value['field']}" if isinstance(value, dict) and value.get("field") else ""
        return f"no {far if deep else near}{where} matched"
    return "did not hold"


def _first_difference(raw: Any, node: Node) -> str:
    """Where the pattern first differs from the code, walking both trees side by side (named
    nodes; a metavariable matches anything): a hint, empty when the walk finds no plain difference."""
    from codemod.pattern.compile import compile_pattern, metavar_of

    text = raw.get("text") if isinstance(raw, dict) else raw
    if not isinstance(text, str):
        return ""
    try:
        pattern = compile_pattern(text, raw.get("context") if isinstance(raw, dict) else None)
    except Exception:  # it compiled when the recipe loaded; a hint is not worth failing for
        return ""
    if pattern.is_sequence:
        return ""
    pending = [(pattern.root, node)]
    while pending:
        want, have = pending.pop()
        metavar = metavar_of(want)
        if metavar is not None:
            continue
        if want.type != have.type:
            if want is pattern.root:
                return f" (the pattern is {_a(want.type)})"
            return f": the pattern has {_a(want.type)} where the code has {_a(have.type)} {snippet(have)}"
        wanted, had = want.named_children, have.named_children
        if not wanted and want.text != have.text:
            return f": the pattern has {snippet(want)} where the code has {snippet(have)}"
        if any(getattr(metavar_of(child), "multi", False) for child in wanted):
            continue
        if len(wanted) != len(had):
            return f": the pattern's {want.type} has {len(wanted)} parts, the code's {len(had)}"
        pending.extend(reversed(list(zip(wanted, had))))
    return ""


def _a(kind: str) -> str:
    return ("an " if kind[:1] in "aeiou" else "a ") + kind


def snippet(node: Node) -> str:
    text = " ".join((node.text or b"").decode("utf-8", errors="replace").split())
    return repr(text if len(text) <= 60 else text[:57] + "...")
