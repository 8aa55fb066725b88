"""The published JSON Schema accepts every built-in recipe document and rejects bad ones."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from codemod.recipes.load import BUILTIN_DIR

SCHEMA = json.loads((Path(__file__).parent.parent / "codemod" / "recipes" / "recipe.schema.json").read_text())
DOCUMENTS = [
    (path.name, index, doc)
    for path in sorted(BUILTIN_DIR.glob("*.yaml"))
    for index, doc in enumerate(yaml.safe_load_all(path.read_text()))
    if doc is not None
]


def test_schema_is_valid() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("name,index,doc", DOCUMENTS, ids=[f"{n}#{i}" for n, i, _ in DOCUMENTS])
def test_builtin_documents_validate(name: str, index: int, doc: dict) -> None:
    jsonschema.validate(doc, SCHEMA)


@pytest.mark.parametrize(
    "doc",
    [
        {"id": "Bad", "rule": {"pattern": "x"}},
        {"id": "ok", "rule": {"pattern": "x"}, "colour": "blue"},
        {"id": "ok", "rule": {"pattern": "x"}, "safety": "maybe"},
        {"bundle": "b", "recipes": []},
    ],
)
def test_schema_rejects_bad_documents(doc: dict) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, SCHEMA)
