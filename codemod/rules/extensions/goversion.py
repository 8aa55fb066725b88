"""The ``go-version`` rule key: the Go version of the file being matched.

A recipe's ``go:`` key says the newest Go feature its fix needs (a minimum).
Some findings are about the opposite: behaviour that only older Go has, such
as timers and tickers the garbage collector could not recover before Go 1.23.
``go-version`` tests the file's language version (the ``go`` line of the
nearest go.mod, or a ``//go:build go1.N`` line, as the engine reads it):

```yaml
go-version: {below: "1.23"}               # Go 1.22 and older
go-version: {at-least: "1.21", below: "1.23"}
```

A file whose version is unknown satisfies no ``go-version`` rule: a recipe
that reports old behaviour stays quiet rather than guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from codemod.golang.versions import version_at_least
from codemod.rules.accepts import Schema, options
from codemod.rules.core import CompileRule, Rule, RuleError
from codemod.rules.extensions.options import options_of

_VERSION: Schema = {"type": "string", "pattern": r"^1\.\d+(\.\d+)?$", "description": 'a Go version, quoted: "1.23"'}
GO_VERSION_OPTIONS: dict[str, Schema] = {"at-least": _VERSION, "below": _VERSION}
GO_VERSION_VALUE: Schema = {**options(GO_VERSION_OPTIONS), "minProperties": 1}


@dataclass
class GoVersionRule(Rule):
    """Holds when the file's Go version is at least ``at_least`` and below ``below`` (each optional)."""

    at_least: str | None = None
    below: str | None = None

    def match(self, target, ctx, env):
        have = ctx.go_version
        if have is None:
            return None
        if self.at_least is not None and not version_at_least(have, self.at_least):
            return None
        if self.below is not None and version_at_least(have, self.below):
            return None
        return env


def compile_go_version(raw: Any, path: tuple, util_names: frozenset[str], compile_rule: CompileRule) -> GoVersionRule:
    raw = options_of(raw, path, GO_VERSION_OPTIONS)
    if not raw:
        raise RuleError("go-version needs at-least, below or both", path)
    for key, value in raw.items():
        if not isinstance(value, str) or not re.fullmatch(_VERSION["pattern"], value):
            raise RuleError(f'{key} must be a quoted Go version such as "1.23"', path + (key,))
    return GoVersionRule(raw.get("at-least"), raw.get("below"))
