"""The recipe format as a JSON Schema, generated from the tables the loader uses.

:func:`recipe_schema` puts the schema together from the keys a recipe and a
bundle may have (:data:`codemod.recipes.check.RECIPE_FIELDS`,
:data:`codemod.recipes.check.BUNDLE_FIELDS`), the keys of a fix
(:data:`codemod.fix.spec.FIX_FIELDS`, its edit actions and options) and the rule keys,
extension keys and their options included (:data:`codemod.rules.compile.RULE_KEYS`).
The published ``recipe.schema.json`` next to this module is its output;
after changing a table, regenerate it with ``python -m codemod.recipes.schema``
(a test checks that the file is up to date).
"""

from __future__ import annotations

import json
from pathlib import Path

from codemod.fix.spec import FIX_FIELDS, TEMPLATE
from codemod.recipes.check import (
    BUNDLE_FIELDS,
    RECIPE_FIELDS,
    REQUIRED_BUNDLE_KEYS,
    REQUIRED_RECIPE_KEYS,
)
from codemod.rules.accepts import Schema, one_of, options
from codemod.rules.compile import RELATION_OPTIONS, RULE_KEYS

SCHEMA_PATH = Path(__file__).with_name("recipe.schema.json")


def rule_fields() -> dict[str, Schema]:
    """What each rule key's value may be, extension keys included, in the order they compile."""
    return {name: key.accepts for name, key in RULE_KEYS.items()}


def recipe_schema() -> Schema:
    """The JSON Schema (draft 2020-12) of a recipe document or a bundle document."""
    rule = rule_fields()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://gocodemod.invalid/schemas/recipe.schema.json",
        "title": "gocodemod recipe or bundle",
        "oneOf": [{"$ref": "#/$defs/recipe"}, {"$ref": "#/$defs/bundle"}],
        "$defs": {
            "recipe": options(RECIPE_FIELDS, required=REQUIRED_RECIPE_KEYS),
            "bundle": options(BUNDLE_FIELDS, required=REQUIRED_BUNDLE_KEYS),
            "fix": one_of(TEMPLATE, options(FIX_FIELDS)),
            "rule": {**options(rule), "minProperties": 1},
            "relation": {
                **options({**rule, **RELATION_OPTIONS}),
                "minProperties": 1,
                "description": "a rule object, plus where the related node is looked for",
            },
        },
    }


def schema_text() -> str:
    """The schema as the published file holds it."""
    return json.dumps(recipe_schema(), indent=2) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(schema_text())
