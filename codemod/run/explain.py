"""``gocodemod explain``: what a pattern or a recipe's rule sees, and why code matches it or not.

Like ast-grep's ``--debug-query``, for recipe authors:

* :func:`describe_patterns`: for each pattern of a recipe (its rule, utils
  and constraints), the context it was read in (expression, statement,
  sequence, declaration, type) and its tree-sitter node tree, named nodes
  only, each with the field it sits in, leaves with their text and
  metavariables marked (``$X`` one node, ``$$$XS`` zero or more);
* :func:`explain_line`: for the code of a Go file starting on one line, the
  engine's own verdict (the recipe's search, constraints included) and, for
  a node that does not match, the first rule part that failed, with its key
  path in the recipe (``rule.all[1].has (field: body): no child matched``).

The reasons come from :mod:`codemod.run.whyrule`. ``files``, ``ignores`` and the Go version are not rules:
:func:`explain_line` says when they leave the file out (the engine's own
:func:`codemod.engine.core.recipe_applies`). Suppression comments are not
looked at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from tree_sitter import Node

from codemod.engine.core import recipe_applies
from codemod.errors import UsageError
from codemod.pattern.compile import metavar_of, pattern_metavars
from codemod.pattern.matcher import candidate_kinds
from codemod.recipes.load import load_file, load_recipes
from codemod.rules.core import AllRule, AnyRule, KindRule, MatchContext, PatternRule
from codemod.rules.visit import every_rule
from codemod.run.files import GoVersions, WorkingTree
from codemod.run.whyrule import RuleWhy, snippet
from codemod.run.workspace import open_workspace
from codemod.syntax.tree import parse

if TYPE_CHECKING:
    from codemod.pattern.compile import Pattern
    from codemod.recipes.load import Recipe
    from codemod.rules.core import Rule

MAX_CANDIDATES = 12


# --- patterns ------------------------------------------------------------------


def recipe_patterns(recipe: Recipe) -> Iterator[tuple[str, Pattern]]:
    """Every pattern of the recipe, with where it is (``rule``, ``utils.NAME``, ``constraints.X``)."""

    parts: list[tuple[str, Rule]] = [("rule", recipe.rule)]
    parts += [(f"utils.{name}", rule) for name, rule in recipe.utils.items()]
    parts += [(f"constraints.{name}", rule) for name, rule in recipe.constraints.items()]
    for where, rule in parts:
        for found in every_rule([rule]):
            if isinstance(found, PatternRule):
                yield where, found.pattern


def describe_patterns(recipe: Recipe) -> list[str]:
    """The context and node tree of each pattern of ``recipe``."""
    lines: list[str] = []
    for where, pattern in recipe_patterns(recipe):
        lines.append(f"pattern in {where}: {' '.join(pattern.source.split())}")
        lines.append(f"  context: {pattern.context}")
        metavars = sorted(_metavars(pattern))
        lines.append("  metavariables: " + (", ".join(metavars) if metavars else "none"))
        lines += ["  " + line for node in pattern.nodes for line in node_tree(node)]
    if not lines:
        lines.append("the rule has no pattern (kind, regex and relations only)")
    return lines


def _metavars(pattern: Pattern) -> set[str]:
    return {("$$$" if metavar.multi else "$") + metavar.name for metavar in pattern_metavars(pattern)}


def node_tree(node: Node, field: str | None = None, depth: int = 0) -> list[str]:
    """Named nodes, indented: ``field: kind`` with a leaf's text, a metavariable as ``$X``."""
    label = f"{field}: " if field else ""
    metavar = metavar_of(node)
    indent = "  " * depth
    if metavar is not None:
        mark = ("$$$" if metavar.multi else "$") + metavar.name
        return [f"{indent}{label}{mark}  (metavariable, {'zero or more nodes' if metavar.multi else 'one node'})"]
    if node.named_child_count == 0:
        text = (node.text or b"").decode("utf-8", errors="replace")
        return [f"{indent}{label}{node.type} {text!r}"]
    lines = [f"{indent}{label}{node.type}"]
    for index, child in enumerate(node.children):
        if child.is_named:
            lines += node_tree(child, node.field_name_for_child(index), depth + 1)
    return lines


# --- candidates on a line --------------------------------------------------------


def explain_line(recipe: Recipe, source: bytes, rel_path: str, line: int, go_version: str | None = None) -> list[str]:
    """For each node starting on ``line`` (1-based) of the file: does the recipe match it, and if not, why.
    ``rel_path`` (relative to the repository) and ``go_version`` say whether a run applies the recipe at all."""

    tree = parse(source)
    count = source.count(b"\n") + (not source.endswith(b"\n"))
    if not 1 <= line <= count:
        raise UsageError(f"{rel_path}: no line {line} (the file has {count} line{'s' * (count != 1)})")
    ctx = MatchContext(source, tree.root_node, recipe.utils)
    matched = _matches_on(recipe, tree.root_node, ctx, line)
    kinds = _root_kinds(recipe)
    candidates = [
        node
        for node in _starting_on(tree.root_node, line)
        if (node.type in kinds if kinds is not None else node.named_child_count > 0)
    ]
    note = _left_out(recipe, rel_path, go_version)
    lines = [note] if note else []
    if not candidates:
        wanted = " or ".join(sorted(kinds)) if kinds is not None else "node with children"
        return [*lines, f"{rel_path}:{line}: no {wanted} starts on this line: nothing there can match"]
    why = RuleWhy(recipe, ctx)
    for node in candidates[:MAX_CANDIDATES]:
        where = f"{rel_path}:{node.start_point[0] + 1}:{node.start_point[1] + 1}: {node.type} {snippet(node)}"
        verdict = matched.get((node.start_byte, node.end_byte, node.type))
        if verdict is not None:
            lines.append(f"{where}: {verdict}")
            continue
        env, reason = why.check(recipe.raw["rule"], ("rule",), node, {})
        if reason is None and env is not None:
            reason = why.constraints(env) or "the rule matches, but the search does not offer this node"
        lines.append(f"{where}: no: {reason}")
    if len(candidates) > MAX_CANDIDATES:
        lines.append(f"... and {len(candidates) - MAX_CANDIDATES} more nodes on this line")
    return lines


def _matches_on(recipe: Recipe, root: Node, ctx: MatchContext, line: int) -> dict[tuple[int, int, str], str]:
    """The engine's matches (constraints holding) that start on ``line``, by (start, end, kind) of the
    node or of the first statement of a run (a sequence pattern), with the verdict to print."""
    why = RuleWhy(recipe, ctx)
    found = {}
    for target, env in recipe.rule.search(root, ctx, {}, recipe.search_hints):
        first = target if isinstance(target, Node) else target.nodes[0]
        if first.start_point[0] + 1 == line and why.constraints(env) is None:
            count = 1 if isinstance(target, Node) else len(target.nodes)
            verdict = "matches" if count == 1 else f"matches (the first of a run of {count} statements)"
            found[(first.start_byte, first.end_byte, first.type)] = verdict
    return found


def _root_kinds(recipe: Recipe) -> frozenset[str] | None:
    """The node kinds the rule's top level can match (its ``kind``, its pattern's root), None when any."""

    def kinds_of(rule: Rule) -> frozenset[str] | None:
        if isinstance(rule, KindRule):
            return frozenset({rule.kind})
        if isinstance(rule, PatternRule):
            return None if rule.pattern.is_sequence else candidate_kinds(rule.pattern)
        if isinstance(rule, AnyRule):
            alternatives = [kinds_of(part) for part in rule.rules]
            known = [k for k in alternatives if k is not None]
            return frozenset().union(*known) if len(known) == len(alternatives) else None
        if isinstance(rule, AllRule):
            return next((k for k in map(kinds_of, rule.rules) if k is not None), None)
        return None

    return kinds_of(recipe.rule)


def _starting_on(root: Node, line: int) -> Iterator[Node]:
    """Named nodes starting on ``line``, outermost first (a node and its only child with the same span: both)."""
    row = line - 1
    stack = [root]
    while stack:
        node = stack.pop()
        if node.end_point[0] < row or node.start_point[0] > row:
            continue
        if node.start_point[0] == row and node.is_named and node.type != "comment" and node is not root:
            yield node
        stack.extend(reversed(node.children))


def _left_out(recipe: Recipe, rel_path: str, go_version: str | None) -> str | None:
    """Why a run does not apply ``recipe`` to the file at all (its Go version, files, ignores), or None."""

    if recipe_applies(recipe, rel_path, go_version):
        return None
    if not recipe_applies(recipe, rel_path, None):
        return f"note: a run leaves {rel_path} out: not in the recipe's files, or in its ignores"
    return f"note: a run leaves {rel_path} out: the recipe needs Go {recipe.go}, the file's Go version is {go_version}"


# --- the command ----------------------------------------------------------------


def choose_recipe(selector: str, recipe_id: str | None, recipe_dirs: list[str]) -> Recipe:
    """The recipe ``--recipe`` names: a recipe file (with ``--id`` when it defines several) or an id."""

    if Path(selector).is_file():
        recipes, _ = load_file(Path(selector))
        ids = [recipe.id for recipe in recipes]
        if recipe_id is not None:
            if recipe_id not in ids:
                raise UsageError(f"{selector} defines no recipe {recipe_id!r} (it defines: {', '.join(ids) or 'none'})")
            return recipes[ids.index(recipe_id)]
        if len(recipes) != 1:
            raise UsageError(f"{selector} defines {len(recipes)} recipes: choose one with --id ({', '.join(ids)})")
        return recipes[0]
    if recipe_id is not None:
        raise UsageError("--id chooses among the recipes of a recipe file: give --recipe FILE")
    recipes = load_recipes([selector], extra_dirs=recipe_dirs)
    if len(recipes) != 1:
        raise UsageError(f"{selector} is a bundle of {len(recipes)} recipes: name one of them")
    return recipes[0]


def explain(recipe: Recipe, file: Path | None = None, line: int | None = None) -> list[str]:
    """What ``gocodemod explain`` prints: the recipe's patterns, then the nodes on ``line`` of ``file``."""
    lines = [f"recipe {recipe.id} ({recipe.source_path})", *describe_patterns(recipe)]
    if file is None or line is None:
        return lines

    try:
        source = file.read_bytes()
    except OSError as error:
        raise UsageError(f"{file}: {error.strerror or error}") from None
    absolute = file.resolve()
    workspace = open_workspace(absolute.parent)
    rel_path = absolute.relative_to(workspace.root).as_posix()
    rel_dir = rel_path.rpartition("/")[0] or "."
    versions = GoVersions(WorkingTree(workspace.root), workspace.config.go_versions)
    return [*lines, "", *explain_line(recipe, source, rel_path, line, versions.for_directory(rel_dir))]
