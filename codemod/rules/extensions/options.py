"""What the extension keys share: the subject ``of: $X`` names, and checks of their options.

A key that looks at one node looks at the node bound to the metavariable its
``of`` option names, or else at the rule's target (:func:`subject`). A key
whose value is a mapping of options rejects the keys its table does not list
(:func:`check_keys`, :func:`options_of`), with the same message everywhere;
metavariable and count options read the same way in every key
(:func:`metavar`, :func:`count_bounds`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tree_sitter import Node

from codemod.pattern.matcher import Env, Run, Target
from codemod.rules.core import RuleError


def subject(target: Target, env: Env, of: str | None, *, first: bool = False, runs: bool = True) -> Node | None:
    """The node a key looks at: the node bound to ``of`` (a metavariable name), else the target.

    Code of several nodes (a ``$$$`` binding, a run of statements) stands for
    its only node, or with ``first`` for its first one; with ``runs=False`` a
    run of statements as the target stands for nothing.
    """
    value = env.get(of) if of is not None else target
    if isinstance(value, Run):
        if not runs:
            return None
        value = value.nodes
    if isinstance(value, tuple):
        if first:
            return value[0] if value else None
        return value[0] if len(value) == 1 else None
    return value


def check_keys(raw: dict, path: tuple, known: Iterable[str]) -> None:
    """Reject the first key of ``raw`` that is not one of ``known``."""
    known = tuple(known)
    unknown = [key for key in raw if key not in known]
    if unknown:
        raise RuleError(f"unknown key {unknown[0]!r} (known: {', '.join(known)})", path + (unknown[0],))


def options_of(raw: Any, path: tuple, known: Iterable[str]) -> dict:
    """``raw`` as a mapping of options, each one of ``known``."""
    known = tuple(known)
    if not isinstance(raw, dict):
        raise RuleError(f"expected a mapping with some of: {', '.join(known)}", path)
    check_keys(raw, path, known)
    return raw


def metavar(raw: Any, path: tuple, identifier: bool = False) -> str:
    """The name of the metavariable ``$X`` (with ``identifier``: only a name that is a Python identifier)."""
    name = raw.lstrip("$") if isinstance(raw, str) and raw.startswith("$") else ""
    if not name or (identifier and not name.isidentifier()):
        raise RuleError("expected a metavariable such as $X", path)
    return name


def count_bounds(raw: Any, path: tuple) -> tuple[int | None, int | None]:
    """A count option: ``N`` (exactly) or ``{min: N, max: M}`` (either may be left out)."""

    def is_count(value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0

    if is_count(raw):
        return raw, raw
    if isinstance(raw, dict) and raw and set(raw) <= {"min", "max"}:
        low, high = raw.get("min"), raw.get("max")
        if all(bound is None or is_count(bound) for bound in (low, high)):
            return low, high
    raise RuleError("count must be a number or {min: N, max: M}", path)
