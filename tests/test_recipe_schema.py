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


# -- the schema is generated from the loader's tables ---------------------------------------------


def test_the_published_file_is_the_generated_schema() -> None:
    from codemod.recipes.schema import SCHEMA_PATH, schema_text

    assert SCHEMA_PATH.read_text() == schema_text(), "regenerate it: python -m codemod.recipes.schema"


def _unknown_keys(raw: dict, validate) -> list[str]:
    """The keys of ``raw`` that ``validate`` (which returns problem messages) calls unknown."""
    return [key for key in raw for message in validate(raw) if f"unknown key {key!r}" in message]


def _recipe_problems(raw: dict) -> list[str]:
    from codemod.recipes.check import validate_recipe
    from codemod.recipes.yamlpos import PositionedDocument

    problems: list = []
    validate_recipe(raw, PositionedDocument(Path("r.yaml"), raw), problems)
    return [problem.message for problem in problems]


def _bundle_problems(raw: dict) -> list[str]:
    from codemod.recipes.check import load_bundle
    from codemod.recipes.yamlpos import PositionedDocument

    problems: list = []
    load_bundle(raw, PositionedDocument(Path("b.yaml"), raw), problems)
    return [problem.message.replace("unknown bundle key", "unknown key") for problem in problems]


def test_recipe_and_bundle_keys_are_the_ones_the_loader_accepts() -> None:
    recipe = SCHEMA["$defs"]["recipe"]["properties"]
    assert _unknown_keys({key: None for key in recipe}, _recipe_problems) == []
    assert _unknown_keys({**dict.fromkeys(recipe), "colour": "blue"}, _recipe_problems) == ["colour"]
    bundle = SCHEMA["$defs"]["bundle"]["properties"]
    assert _unknown_keys({"bundle": "b", **dict.fromkeys(bundle)}, _bundle_problems) == []
    assert _unknown_keys({"bundle": "b", "colour": "blue"}, _bundle_problems) == ["colour"]


def _rule_problems(raw: dict) -> list[str]:
    from codemod.rules.compile import compile_rule
    from codemod.rules.core import RuleError

    try:
        compile_rule(raw, ("rule",), frozenset({"u"}))
    except RuleError as error:
        return [str(inner) for inner in error.errors]
    return []


def _is_unknown(messages: list[str], key: str) -> bool:
    return any(message.startswith(f"unknown {what}key {key!r}") for message in messages for what in ("", "rule "))


def test_rule_keys_are_the_ones_the_compiler_accepts() -> None:
    from codemod.rules.compile import known_rule_keys

    rule = SCHEMA["$defs"]["rule"]["properties"]
    assert set(rule) == set(known_rule_keys())
    assert SCHEMA["$defs"]["rule"]["additionalProperties"] is False
    for key in rule:
        assert not _is_unknown(_rule_problems({key: None}), key)
    assert _is_unknown(_rule_problems({"colour": "blue"}), "colour")


def _mappings(schema: dict) -> list[dict]:
    """The mapping schemas (with their own properties) a value schema allows."""
    return [choice for choice in [schema, *schema.get("oneOf", [])] if "properties" in choice]


@pytest.mark.parametrize("key", sorted(SCHEMA["$defs"]["rule"]["properties"]))
def test_the_options_of_every_rule_key_are_the_ones_its_compiler_accepts(key: str) -> None:
    """For a pattern mapping and each extension key taking a mapping: the schema's options, no more, no less."""
    for mapping in _mappings(SCHEMA["$defs"]["rule"]["properties"][key]):
        required = {option: "$X" for option in mapping.get("required", [])}
        for option in mapping["properties"]:
            problems = _rule_problems({key: {**required, option: None}})
            assert not any(f"key {option!r}" in message for message in problems), (option, problems)
        problems = _rule_problems({key: {**required, "colour": "blue"}})
        assert any("key 'colour'" in message for message in problems), problems


def test_a_relation_takes_a_rule_and_its_own_options() -> None:
    from codemod.rules.compile import RELATION_OPTIONS

    relation = SCHEMA["$defs"]["relation"]["properties"]
    assert (
        set(relation)
        == set(SCHEMA["$defs"]["rule"]["properties"]) | {"stopBy", "field"}
        == set(SCHEMA["$defs"]["rule"]["properties"]) | set(RELATION_OPTIONS)
    )
    for option in RELATION_OPTIONS:
        problems = _rule_problems({"inside": {"kind": "block", option: None}})
        assert not _is_unknown(problems, option), problems
    assert _is_unknown(_rule_problems({"inside": {"kind": "block", "colour": 1}}), "colour")


def _fix_problems(raw) -> list[str]:
    from codemod.fix.spec import compile_fix
    from codemod.rules.core import RuleError

    try:
        compile_fix(raw)
    except RuleError as error:
        return [str(error)]
    return []


def test_fix_keys_and_edit_keys_are_the_ones_the_fix_compiler_accepts() -> None:
    from codemod.fix.spec import EDIT_ACTIONS, FIX_KEYS

    fix = SCHEMA["$defs"]["fix"]["oneOf"][1]["properties"]
    assert tuple(fix) == FIX_KEYS
    assert not any("unknown fix key" in message for message in _fix_problems(dict.fromkeys(fix)))
    assert _fix_problems({"colour": "blue"}) == [
        "unknown fix key 'colour' (known: replace, edits, fresh, rewrite, refuse, comments)"
    ]
    edit = fix["edits"]["items"]
    assert [next(iter(choice["required"])) for choice in edit["oneOf"]] == list(EDIT_ACTIONS)
    for option in set(edit["properties"]) - set(EDIT_ACTIONS):
        assert _fix_problems({"edits": [{"delete": "$X", option: "$Y"}]}) == [], option
    assert _fix_problems({"edits": [{"delete": "$X", "colour": "$Y"}]}) != []
