"""Recipes: read YAML, validate every key, compile rules and fixes.

A recipe file holds one or more YAML documents (``---``); each is a recipe
or a bundle (``bundle: <id>`` with an ordered ``recipes`` list). Every
problem in every document is collected and reported together as
``file:line:column: message`` (the checks live in :mod:`codemod.recipes.check`).

Loading compiles every rule once (:mod:`codemod.recipes.compiled`), to report
its problems; a :class:`Recipe` keeps the compiled parts, or compiles them on first use when
it was built without (unpickled in a worker process, or described from a
recipe file a :class:`RecipeFileMemo` vouches for: the same bytes already
loaded without a problem under the same engine). Recipes pickle as their raw
spec, so worker processes can receive them.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from codemod.errors import LocatedMessage, Location, RecipeError
from codemod.model import Safety
from codemod.recipes.builtin import BUILTIN_DIR
from codemod.recipes.check import Bundle, load_bundle, rule_parts, unbound_template_vars, validate_recipe
from codemod.recipes.compiled import CompiledParts, compile_parts

if TYPE_CHECKING:
    from codemod.fix.spec import FixSpec
    from codemod.recipes.yamlpos import PositionedDocument
    from codemod.rules.core import Rule, RuleError


@dataclass(frozen=True)
class Example:
    before: str
    after: str | None  # None: must not change


@dataclass(frozen=True)
class ImportChanges:
    add: tuple[str, ...] = ()
    remove_if_unused: tuple[str, ...] = ()


@dataclass(eq=False)
class Recipe:
    """A recipe. ``raw`` is the validated YAML mapping it came from; the compiled
    parts (:attr:`rule`, :attr:`fix`, :attr:`constraints`, :attr:`utils`) are
    built on first use unless given."""

    id: str
    description: str
    raw: dict
    severity: str = "warning"
    safety: Safety = Safety.SAFE
    go: str | None = None
    files: tuple[str, ...] = ()
    ignores: tuple[str, ...] = ()
    message: str = ""
    imports: ImportChanges = ImportChanges()
    examples: tuple[Example, ...] = ()
    source_path: str = "<memory>"
    content_hash: str = ""
    compiled: CompiledParts | None = field(default=None, repr=False)

    def parts(self) -> CompiledParts:
        if self.compiled is None:
            self.compiled = compile_parts(self.raw)
        return self.compiled

    @property
    def rule(self) -> Rule:
        return self.parts().rule

    @property
    def fix(self) -> FixSpec | None:
        return self.parts().fix

    @property
    def constraints(self) -> dict[str, Rule]:
        return self.parts().constraints

    @property
    def utils(self) -> dict[str, Rule]:
        return self.parts().utils

    @property
    def search_hints(self) -> dict[str, tuple[bytes, ...]]:
        """Texts the code a constrained metavariable binds must hold in every match (``$WITH`` holds ``With``).

        A match that binds it to code without them fails its constraints, so
        the search may skip such candidates (:meth:`codemod.rules.core.Rule.search`).
        """
        return self.parts().search_hints

    def __reduce__(self):
        return (_rebuild, (self.raw, self.source_path, self.severity))

    def with_severity(self, severity: str) -> Recipe:
        return _rebuild(self.raw, self.source_path, severity)


def _rebuild(raw: dict, source_path: str, severity: str) -> Recipe:
    recipe = _described_cached(json.dumps(raw, sort_keys=True), source_path)
    if severity == recipe.severity:
        return recipe
    clone = describe(raw, source_path)
    clone.severity = severity
    return clone


@functools.lru_cache(maxsize=512)
def _described_cached(raw_json: str, source_path: str) -> Recipe:
    """One recipe object per spec and process, so its rules are compiled once."""
    return describe(json.loads(raw_json), source_path)


def content_hash(raw: dict) -> str:
    return hashlib.sha256(json.dumps(raw, sort_keys=True).encode()).hexdigest()[:16]


def describe(raw: dict, source_path: str, compiled: CompiledParts | None = None) -> Recipe:
    """The recipe of a validated raw mapping; its rules compile on first use unless ``compiled`` is given."""
    imports_raw = raw.get("imports") or {}
    imports = ImportChanges(tuple(imports_raw.get("add") or ()), tuple(imports_raw.get("remove-if-unused") or ()))
    examples = tuple(Example(item["before"], item.get("after")) for item in raw.get("examples") or ())
    return Recipe(
        id=raw["id"],
        description=raw.get("description", ""),
        raw=raw,
        severity=raw.get("severity", "warning"),
        safety=Safety(raw.get("safety", "report" if raw.get("fix") is None else "safe")),
        go=str(raw["go"]) if raw.get("go") is not None else None,
        files=tuple(raw.get("files") or ()),
        ignores=tuple(raw.get("ignores") or ()),
        message=raw.get("message", ""),
        imports=imports,
        examples=examples,
        source_path=source_path,
        content_hash=content_hash(raw),
        compiled=compiled,
    )


def _compile_recipe(raw: dict, source_path: str) -> Recipe:
    """Compile a validated raw mapping; raises RuleError (carrying every problem)."""
    return describe(raw, source_path, compile_parts(raw))


class RecipeFileMemo(Protocol):
    """Remembers recipe files that loaded without a problem: their bytes -> recipe mappings and bundles."""

    def get(self, path: Path, data: bytes) -> tuple[list[dict], list[Bundle]] | None: ...

    def put(self, path: Path, data: bytes, raws: list[dict], bundles: list[Bundle]) -> None: ...


def _located(doc: PositionedDocument, error: RuleError) -> LocatedMessage:
    return LocatedMessage(doc.location(error.key_path, error.offset), str(error))


def load_file(
    path: Path, text: str | None = None, memo: RecipeFileMemo | None = None
) -> tuple[list[Recipe], list[Bundle]]:
    """Load every recipe and bundle of one YAML file, or raise RecipeError with all problems.

    With a ``memo``, a file whose bytes it vouches for is not parsed again (its
    recipes compile on first use), and a file that loads cleanly is remembered."""
    data: bytes | None = None
    if memo is not None and text is None:
        try:
            data = path.read_bytes()
        except OSError:
            data = None  # parse as usual, which reports it
        if data is not None:
            known = memo.get(path, data)
            if known is not None:
                raws, bundles = known
                return [describe(raw, str(path)) for raw in raws], list(bundles)
    recipes, bundles = _parse_file(path, text, data)
    if memo is not None and data is not None:
        memo.put(path, data, [recipe.raw for recipe in recipes], bundles)
    return recipes, bundles


def _parse_file(path: Path, text: str | None, data: bytes | None) -> tuple[list[Recipe], list[Bundle]]:
    """Parse, validate and compile one file (its ``text``, else its bytes ``data``, else read)."""
    from codemod.recipes.yamlpos import decode_utf8, load_documents
    from codemod.rules.core import RuleError

    problems: list[LocatedMessage] = []
    recipes: list[Recipe] = []
    bundles: list[Bundle] = []
    seen: set[str] = set()
    if text is None and data is not None:
        text = decode_utf8(data, path, problems, "recipe file")
        if text is None:
            raise RecipeError(problems)
    for doc in load_documents(path, problems, text):
        raw = doc.value
        if raw is None:
            continue
        if isinstance(raw, dict) and "bundle" in raw:
            bundle = load_bundle(raw, doc, problems)
            if bundle is not None and _first_in_file(bundle.id, ("bundle",), doc, seen, problems):
                bundles.append(bundle)
            continue
        valid = validate_recipe(raw, doc, problems)
        if not isinstance(raw, dict) or "rule" not in raw:
            continue
        try:
            recipe = _compile_recipe(raw if valid else rule_parts(raw), str(path))
        except RuleError as error:
            problems.extend(_located(doc, inner) for inner in error.errors)
            continue
        unbound = unbound_template_vars(raw, doc)
        problems.extend(unbound)
        if valid and not unbound and _first_in_file(recipe.id, ("id",), doc, seen, problems):
            recipes.append(recipe)
    if problems:
        raise RecipeError(problems)
    return recipes, bundles


def _first_in_file(
    name: str, key: tuple, doc: PositionedDocument, seen: set[str], problems: list[LocatedMessage]
) -> bool:
    """False (with a problem) when an earlier document of the file already used ``name``."""
    if name in seen:
        problems.append(
            LocatedMessage(doc.location(key), f"duplicate id {name!r}: an earlier document of this file uses it")
        )
        return False
    seen.add(name)
    return True


@dataclass
class Catalog:
    """Recipes and bundles from the built-in dir and any extra files or dirs."""

    recipes: dict[str, Recipe] = field(default_factory=dict)
    bundles: dict[str, Bundle] = field(default_factory=dict)
    bundle_locations: dict[str, tuple[Path, int]] = field(default_factory=dict)
    memo: RecipeFileMemo | None = None

    def add_path(self, path: Path, problems: list[LocatedMessage]) -> list[str]:
        """Load a file or directory; return the ids (recipes and bundles) it defined."""
        files = sorted(path.rglob("*.y*ml")) if path.is_dir() else [path]
        defined: list[str] = []
        for file in files:
            try:
                recipes, bundles = load_file(file, memo=self.memo)
            except RecipeError as error:
                problems.extend(error.problems)
                continue
            for recipe in recipes:
                if recipe.id in self.recipes and self.recipes[recipe.id].source_path != recipe.source_path:
                    problems.append(
                        LocatedMessage(
                            Location(str(file), 1, 1),
                            f"duplicate recipe id {recipe.id!r} (also in {self.recipes[recipe.id].source_path})",
                        )
                    )
                if recipe.id in self.bundles:
                    problems.append(
                        LocatedMessage(
                            Location(str(file), 1, 1),
                            f"recipe id {recipe.id!r} is also a bundle id (in {self.bundles[recipe.id].source_path})",
                        )
                    )
                self.recipes[recipe.id] = recipe
                defined.append(recipe.id)
            for bundle in bundles:
                if bundle.id in self.recipes:
                    problems.append(
                        LocatedMessage(
                            Location(str(file), 1, 1),
                            f"bundle id {bundle.id!r} is also a recipe id (in {self.recipes[bundle.id].source_path})",
                        )
                    )
                self.bundles[bundle.id] = bundle
                defined.append(bundle.id)
        return defined

    def expand(self, selector: str, problems: list[LocatedMessage]) -> list[Recipe]:
        if selector in self.bundles:
            bundle = self.bundles[selector]
            out = []
            for index, (member, overrides) in enumerate(bundle.members):
                recipe = self.recipes.get(member)
                if recipe is None:
                    problems.append(
                        LocatedMessage(_bundle_entry_location(bundle, index), self._not_a_recipe(bundle, member))
                    )
                    continue
                out.append(recipe.with_severity(overrides["severity"]) if "severity" in overrides else recipe)
            return out
        if selector in self.recipes:
            return [self.recipes[selector]]
        problems.append(LocatedMessage(None, f"unknown recipe or bundle {selector!r} (see 'gocodemod list')"))
        return []

    def _not_a_recipe(self, bundle: Bundle, member: str) -> str:
        if member in self.bundles:
            return f"bundle {bundle.id!r} names bundle {member!r}: a bundle lists recipes, not bundles"
        return f"bundle {bundle.id!r} names unknown recipe {member!r}"


def _bundle_entry_location(bundle: Bundle, index: int) -> Location:
    from codemod.recipes.yamlpos import load_documents

    problems: list[LocatedMessage] = []
    for doc in load_documents(Path(bundle.source_path), problems):
        if isinstance(doc.value, dict) and doc.value.get("bundle") == bundle.id:
            return doc.location(("recipes", index))
    return Location(bundle.source_path, 1, 1)


def load_catalog(
    extra: Sequence[str] = (), include_builtin: bool = True, memo: RecipeFileMemo | None = None
) -> tuple[Catalog, list[LocatedMessage]]:
    catalog = Catalog(memo=memo)
    problems: list[LocatedMessage] = []
    if include_builtin and BUILTIN_DIR.is_dir():
        catalog.add_path(BUILTIN_DIR, problems)
    for item in extra:
        catalog.add_path(Path(item), problems)
    return catalog, problems


def load_recipes(
    selectors: Sequence[str] = (),
    *,
    include_builtin: bool = True,
    extra_dirs: Sequence[str] = (),
    memo: RecipeFileMemo | None = None,
) -> list[Recipe]:
    """Resolve ids, bundle ids, files and directories into an ordered list of recipes.

    With no selectors: every recipe found (built-in and extra dirs). Raises
    RecipeError listing every problem, or saying that no recipe was loaded.
    ``memo`` spares re-reading files loaded before.
    """
    paths = [s for s in selectors if Path(s).exists() and (s.endswith((".yaml", ".yml")) or Path(s).is_dir())]
    catalog, problems = load_catalog(list(extra_dirs), include_builtin, memo)
    defined: dict[str, list[str]] = {}  # every file and directory is loaded before any selector is expanded
    for selector in paths:
        known = len(problems)
        defined[selector] = catalog.add_path(Path(selector), problems)
        if not defined[selector] and len(problems) == known:
            problems.append(LocatedMessage(None, f"{selector}: no recipes found"))
    chosen: list[Recipe] = []
    for selector in selectors:
        if selector in paths:
            root = Path(selector).resolve()
            # its recipes and the members of its bundles, file by file as defined (a recipe both
            # defined and listed runs once, as defined); what a later file redefined is not this path's
            for name in defined[selector]:
                source = (
                    catalog.bundles[name].source_path if name in catalog.bundles else catalog.recipes[name].source_path
                )
                if Path(source).resolve().is_relative_to(root):
                    chosen.extend(catalog.expand(name, problems))
            continue
        if "/" in selector or selector.endswith((".yaml", ".yml")):
            reason = (
                "not a recipe file (.yaml, .yml) or directory"
                if Path(selector).exists()
                else "no such file or directory"
            )
            problems.append(LocatedMessage(None, f"{selector}: {reason}"))
            continue
        chosen.extend(catalog.expand(selector, problems))
    if not selectors:
        chosen = [catalog.recipes[name] for name in sorted(catalog.recipes)]
    if problems:
        raise RecipeError(problems)
    unique: dict[str, Recipe] = {}
    for recipe in chosen:
        unique.setdefault(recipe.id, recipe)
    if not unique:
        where = f"built-in recipes expected in {BUILTIN_DIR}" if include_builtin else "no built-in recipes asked for"
        raise RecipeError([LocatedMessage(None, f"no recipes loaded ({where}; see 'gocodemod list')")])
    return list(unique.values())


def load_recipe_text(text: str, source_path: str = "<memory>") -> list[Recipe]:
    """Compile recipes from YAML text (tests and the API); raises RecipeError."""
    recipes, _ = load_file(Path(source_path), text)
    return recipes
