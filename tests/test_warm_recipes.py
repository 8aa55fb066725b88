"""Recipe files loaded before are not parsed again, and recipes compile only when used."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from gitfixtures import RECIPES_YAML

import codemod.recipes.load as recipe_module
from codemod.cache import keys as cachekeys
from codemod.cache.store import DB_NAME, RecipeFileStore, ResultCache
from codemod.errors import RecipeError
from codemod.recipes.load import load_recipes

BUNDLE = "---\nbundle: everything\nrecipes: [time-since, {id: no-println, severity: info}]\n"


@pytest.fixture(autouse=True)
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The recipe files really parsed (the parse still happens)."""
    seen: list[str] = []
    real = recipe_module._parse_file

    def counting(path, text, data):
        seen.append(Path(path).name)
        return real(path, text, data)

    monkeypatch.setattr(recipe_module, "_parse_file", counting)
    return seen


@pytest.fixture
def store(tmp_path: Path):
    cache = ResultCache(tmp_path / "cache" / DB_NAME)
    yield RecipeFileStore(cache)
    cache.close()


def _described(recipes: list) -> list[tuple]:
    return [
        (r.id, r.description, r.severity, r.safety, r.go, r.message, r.content_hash, r.source_path, r.raw)
        for r in recipes
    ]


def test_a_file_loaded_cleanly_is_not_parsed_again_and_gives_the_same_recipes(tmp_path, parses, store) -> None:
    path = tmp_path / "recipes.yaml"
    path.write_text(RECIPES_YAML + BUNDLE)
    first = load_recipes([str(path), "everything"], include_builtin=False, extra_dirs=[str(tmp_path)], memo=store)
    assert parses.count("recipes.yaml") >= 1
    parses.clear()
    again = load_recipes([str(path), "everything"], include_builtin=False, extra_dirs=[str(tmp_path)], memo=store)
    assert parses == []
    assert (
        _described(again)
        == _described(first)
        == _described(load_recipes([str(path), "everything"], include_builtin=False, extra_dirs=[str(tmp_path)]))
    )
    assert [r.severity for r in again] == ["warning", "error"] and again[0].compiled is None
    assert again[0].rule is not None and again[0].fix is not None and again[0].compiled is not None


def test_an_edited_file_or_another_engine_is_parsed_again(tmp_path, parses, store, monkeypatch) -> None:
    path = tmp_path / "recipes.yaml"
    path.write_text(RECIPES_YAML)
    load_recipes([str(path)], include_builtin=False, memo=store)
    path.write_text(RECIPES_YAML.replace("println left in code", "println still here"))
    [_, edited] = load_recipes([str(path)], include_builtin=False, memo=store)
    assert edited.message == "println still here" and parses == ["recipes.yaml", "recipes.yaml"]
    monkeypatch.setattr(cachekeys, "engine_fingerprint", lambda: "another engine")
    load_recipes([str(path)], include_builtin=False, memo=store)
    assert len(parses) == 3


def test_a_file_with_a_problem_is_never_remembered(tmp_path, parses, store) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: broken\nrule:\n  pattern: 'func ( {'\nfix: x\n")
    for _ in range(2):
        with pytest.raises(RecipeError) as raised:
            load_recipes([str(path)], include_builtin=False, memo=store)
        assert "broken.yaml:" in str(raised.value)
    assert parses == ["broken.yaml", "broken.yaml"]
    path.write_bytes(b"id: x\ndescription: \xff\n")
    with pytest.raises(RecipeError, match="not UTF-8"):
        load_recipes([str(path)], include_builtin=False, memo=store)


def test_recipes_pickle_as_their_spec_and_compile_on_first_use(tmp_path) -> None:
    path = tmp_path / "recipes.yaml"
    path.write_text(RECIPES_YAML)
    [since, _] = load_recipes([str(path)], include_builtin=False)
    assert since.compiled is not None  # loading compiles, to report problems
    clone = pickle.loads(pickle.dumps(since))
    assert clone.compiled is None and clone.content_hash == since.content_hash and clone.safety == since.safety
    assert type(clone.rule) is type(since.rule) and clone.compiled is not None
    stricter = since.with_severity("error")
    assert stricter.severity == "error" and since.severity == "warning" and stricter.compiled is None


def test_built_in_recipes_load_the_same_from_the_memo(store) -> None:
    assert (
        _described(load_recipes([], memo=store))
        == _described(load_recipes([], memo=store))
        == _described(load_recipes([]))
    )
