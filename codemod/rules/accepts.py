"""What a rule key accepts, written as JSON Schema fragments.

Each rule key's entry (:data:`codemod.rules.compile.RULE_KEYS`) says what its
value may be with these fragments, and an extension key's options are a table
of them that its compiler also checks keys against; the recipe schema
(:func:`codemod.recipes.schema.recipe_schema`) is put together from them, so
the schema and the compilers cannot drift apart. A nested rule is the
reference :data:`RULE`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Schema = dict[str, Any]  # a JSON Schema fragment

RULE: Schema = {"$ref": "#/$defs/rule"}
FIX: Schema = {"$ref": "#/$defs/fix"}  # a nested fix (a rewrite's), defined by codemod.fix.spec
RELATION: Schema = {"$ref": "#/$defs/relation"}
STRING: Schema = {"type": "string"}
BOOLEAN: Schema = {"type": "boolean"}
METAVAR: Schema = {"type": "string", "pattern": "^\\$[A-Za-z_][A-Za-z0-9_]*$"}
_NATURAL: Schema = {"type": "integer", "minimum": 0}


def enum(values: Iterable[str]) -> Schema:
    return {"enum": list(values)}


def one_of(*schemas: Schema) -> Schema:
    return {"oneOf": list(schemas)}


def list_of(item: Schema, non_empty: bool = True) -> Schema:
    return {"type": "array", "minItems": 1, "items": item} if non_empty else {"type": "array", "items": item}


def one_or_list(item: Schema) -> Schema:
    """A value, or a non-empty list of such values."""
    return one_of(item, list_of(item))


def options(table: Mapping[str, Schema], required: Iterable[str] = ()) -> Schema:
    """A mapping whose keys are the options of ``table`` (and no others)."""
    schema: Schema = {"type": "object", "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    schema["properties"] = dict(table)
    return schema


# A number of sites or references: ``3`` or ``{min: 1, max: 2}``.
COUNT: Schema = one_of(_NATURAL, {**options({"min": _NATURAL, "max": _NATURAL}), "minProperties": 1})
