"""``gocodemod new ID``: a recipe file that works, with golden cases, ready for ``gocodemod test``.

Writes ``DIR/ID.yaml`` (a first line naming the recipe schema for editors
that run the YAML language server, then a small safe recipe with an inline
example) and two golden cases in ``DIR/golden/ID/`` (:mod:`codemod.run.recipetests`
finds ``golden/`` next to a recipe's file): one the recipe changes, one it
must leave alone. Nothing is written when any of these files exists already
or when the id is taken (a built-in recipe or bundle).
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from codemod.errors import RecipeError, UsageError
from codemod.recipes.check import ID_RE
from codemod.recipes.load import load_catalog

RECIPE = """\
# yaml-language-server: $schema={schema}
# A recipe: what to match (rule), what it becomes (fix), and why (message).
# The format: docs/recipe-format.md in gocodemod's repository. Test it: gocodemod test {path}
id: {id}
description: Use time.Since(t) instead of time.Now().Sub(t)
severity: info
safety: safe  # the fix keeps behaviour (unsafe: changes it on purpose; report: no fix)
rule:
  pattern: time.Now().Sub($T)
fix: time.Since($T)
message: time.Since says it directly
examples:
  - before: |
      package p

      import "time"

      func age(t time.Time) time.Duration {{ return time.Now().Sub(t) }}
    after: |
      package p

      import "time"

      func age(t time.Time) time.Duration {{ return time.Since(t) }}
"""

CHANGED_INPUT = """\
package demo

import "time"

// Elapsed says how long ago start was.
func Elapsed(start time.Time) time.Duration {
	return time.Now().Sub(start) // keeps this comment
}
"""

UNCHANGED = """\
package demo

import "time"

// Until is not Since: the recipe leaves it alone.
func Until(deadline time.Time) time.Duration {
	return deadline.Sub(time.Now())
}
"""


def schema_path() -> Path:
    """The recipe JSON schema of this installation."""
    return Path(str(importlib.resources.files("codemod.recipes") / "recipe.schema.json"))


def scaffold(recipe_id: str, directory: Path, extra_dirs: list[str]) -> list[Path]:
    """Write a new recipe ``recipe_id`` and its golden cases under ``directory``; return the paths written.

    ``extra_dirs``: the workspace's ``recipe_dirs``, whose ids (like the built-in ones) are taken.
    Raises UsageError, or RecipeError when the existing recipes do not load."""
    if not ID_RE.match(recipe_id):
        raise UsageError(f"{recipe_id!r}: a recipe id is kebab-case, e.g. my-recipe")
    catalog, problems = load_catalog(extra_dirs)
    if problems:
        raise RecipeError(problems)
    if recipe_id in catalog.recipes or recipe_id in catalog.bundles:
        raise UsageError(f"{recipe_id!r}: a recipe or bundle of that id exists already (see 'gocodemod list')")
    recipe_path = directory / f"{recipe_id}.yaml"
    golden = directory / "golden" / recipe_id
    files = {
        recipe_path: RECIPE.format(schema=schema_path(), id=recipe_id, path=recipe_path),
        golden / "basic.input.go": CHANGED_INPUT,
        golden / "basic.golden.go": CHANGED_INPUT.replace("time.Now().Sub(start)", "time.Since(start)"),
        golden / "leaves-until-alone.input.go": UNCHANGED,
        golden / "leaves-until-alone.golden.go": UNCHANGED,
    }
    existing = [str(path) for path in files if path.exists()]
    if existing:
        raise UsageError(f"not overwriting {', '.join(existing)}")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    return list(files)
