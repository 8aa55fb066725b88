"""Compiling a validated recipe mapping into what matching needs: rule, fix, constraints, utils.

The compilers (rules, fixes, the prefilter's hints) are imported when a
recipe first compiles, not with this module: a run whose recipe files and
results all come from the cache never loads the parser behind them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from codemod.fix.spec import FixSpec
    from codemod.rules.core import Rule, RuleError


# A rule with its utils expanded: deeper recursion than Python allows, or more rules than analyses
# can walk (utils that each use the next twice double at every step), is a load error.
MAX_EXPANDED_DEPTH = 120
MAX_EXPANDED_SIZE = 50_000


class CompiledParts(NamedTuple):
    """What matching needs from a recipe: its rule, fix, constraints and utils, compiled."""

    rule: Rule
    fix: FixSpec | None
    constraints: dict[str, Rule]
    utils: dict[str, Rule]
    search_hints: dict[str, tuple[bytes, ...]]  # see Recipe.search_hints


def compile_parts(raw: dict) -> CompiledParts:
    """Compile a recipe mapping's rules and fix; raises RuleError carrying every problem."""
    from codemod.fix.spec import compile_fix
    from codemod.prefilter.requirements import constraint_hints
    from codemod.rules.compile import compile_rule
    from codemod.rules.core import RuleError, collecting, raise_collected
    from codemod.rules.memokeys import remember_metavars
    from codemod.rules.visit import extent, same_node_cycle

    errors: list[RuleError] = []
    utils_raw = raw.get("utils") or {}
    util_names = frozenset(utils_raw)
    utils = {
        name: collecting(errors, compile_rule, rule, ("utils", name), util_names) for name, rule in utils_raw.items()
    }
    rule = collecting(errors, compile_rule, raw["rule"], ("rule",), util_names)
    constraints = {
        str(name).lstrip("$"): collecting(errors, compile_rule, value, ("constraints", name), util_names)
        for name, value in (raw.get("constraints") or {}).items()
    }
    fix = collecting(errors, compile_fix, raw["fix"], ("fix",), util_names) if raw.get("fix") is not None else None
    raise_collected(errors)
    cycle = same_node_cycle(utils)
    if cycle:
        ring = " -> ".join(cycle)
        raise RuleError(
            f"utils match each other on the same node ({ring}): matching would never end", ("utils", cycle[0])
        )
    for path, part in [(("rule",), rule)] + [(("constraints", name), value) for name, value in constraints.items()]:
        depth, size = extent(part, utils, MAX_EXPANDED_DEPTH)
        if depth > MAX_EXPANDED_DEPTH:
            raise RuleError(f"rules nested deeper than {MAX_EXPANDED_DEPTH} levels once utils are expanded", path)
        if size > MAX_EXPANDED_SIZE:
            raise RuleError(f"rules expand to {size} rules once utils are expanded (at most {MAX_EXPANDED_SIZE})", path)
    remember_metavars(utils, utils_raw, [rule, *constraints.values()])  # `matches` and deep `has` then remember answers
    return CompiledParts(rule, fix, constraints, utils, constraint_hints(constraints))
