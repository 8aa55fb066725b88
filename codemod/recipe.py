"""Recipes: read YAML, validate every key, compile rules and fixes.

A recipe file holds one or more YAML documents (``---``); each is a recipe
or a bundle (``bundle: <id>`` with an ordered ``recipes`` list). Every
problem in every document is collected and reported together as
``file:line:column: message``. Compiled recipes pickle as their raw spec and
recompile (once per process) on the other side, so worker processes can
receive them.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codemod.errors import Location, LocatedMessage, RecipeError
from codemod.fix import FixSpec, compile_fix
from codemod.model import Safety
from codemod.rule import Rule, RuleError, collecting, compile_rule, raise_collected
from codemod.yamlpos import PositionedDocument, load_documents

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "recipes"
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
RECIPE_KEYS = (
    "id", "description", "severity", "safety", "go", "files", "ignores", "rule", "constraints",
    "utils", "fix", "imports", "message", "examples", "note",
)  # fmt: skip
BUNDLE_KEYS = ("bundle", "description", "recipes")
SEVERITIES = ("info", "warning", "error")
GO_VERSION_RE = re.compile(r"^1\.\d+(\.\d+)?$")


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
    """A compiled recipe. ``raw`` is the validated YAML mapping it came from."""

    id: str
    description: str
    rule: Rule
    raw: dict
    severity: str = "warning"
    safety: Safety = Safety.SAFE
    go: str | None = None
    files: tuple[str, ...] = ()
    ignores: tuple[str, ...] = ()
    message: str = ""
    fix: FixSpec | None = None
    constraints: dict[str, Rule] = field(default_factory=dict)
    utils: dict[str, Rule] = field(default_factory=dict)
    imports: ImportChanges = ImportChanges()
    examples: tuple[Example, ...] = ()
    source_path: str = "<memory>"
    content_hash: str = ""

    def __reduce__(self):
        return (_rebuild, (self.raw, self.source_path, self.severity))

    def with_severity(self, severity: str) -> "Recipe":
        return _rebuild(self.raw, self.source_path, severity)


@dataclass(frozen=True)
class Bundle:
    id: str
    description: str
    members: tuple[tuple[str, dict], ...]  # (recipe id, overrides)
    source_path: str


def _rebuild(raw: dict, source_path: str, severity: str) -> Recipe:
    recipe = _compile_cached(json.dumps(raw, sort_keys=True), source_path)
    if severity == recipe.severity:
        return recipe
    clone = _compile_recipe(raw, source_path)
    clone.severity = severity
    return clone


@functools.lru_cache(maxsize=512)
def _compile_cached(raw_json: str, source_path: str) -> Recipe:
    return _compile_recipe(json.loads(raw_json), source_path)


def content_hash(raw: dict) -> str:
    return hashlib.sha256(json.dumps(raw, sort_keys=True).encode()).hexdigest()[:16]


def _compile_recipe(raw: dict, source_path: str) -> Recipe:
    """Compile a validated raw mapping; raises RuleError (carrying every problem)."""
    errors: list[RuleError] = []
    utils_raw = raw.get("utils") or {}
    util_names = frozenset(utils_raw)
    utils = {name: collecting(errors, compile_rule, rule, ("utils", name), util_names) for name, rule in utils_raw.items()}
    rule = collecting(errors, compile_rule, raw["rule"], ("rule",), util_names)
    constraints = {
        str(name).lstrip("$"): collecting(errors, compile_rule, value, ("constraints", name), util_names)
        for name, value in (raw.get("constraints") or {}).items()
    }
    fix = collecting(errors, compile_fix, raw["fix"], ("fix",), util_names) if raw.get("fix") is not None else None
    raise_collected(errors)
    imports_raw = raw.get("imports") or {}
    imports = ImportChanges(tuple(imports_raw.get("add") or ()), tuple(imports_raw.get("remove-if-unused") or ()))
    examples = tuple(Example(item["before"], item.get("after")) for item in raw.get("examples") or ())
    return Recipe(
        id=raw["id"],
        description=raw.get("description", ""),
        rule=rule,
        raw=raw,
        severity=raw.get("severity", "warning"),
        safety=Safety(raw.get("safety", "report" if fix is None else "safe")),
        go=str(raw["go"]) if raw.get("go") is not None else None,
        files=tuple(raw.get("files") or ()),
        ignores=tuple(raw.get("ignores") or ()),
        message=raw.get("message", ""),
        fix=fix,
        constraints=constraints,
        utils=utils,
        imports=imports,
        examples=examples,
        source_path=source_path,
        content_hash=content_hash(raw),
    )


def _validate(raw: Any, doc: PositionedDocument, problems: list[LocatedMessage]) -> bool:
    """Structural checks that need no compilation; True when compilation may proceed."""
    start = len(problems)

    def fail(path: tuple, message: str) -> None:
        problems.append(LocatedMessage(doc.location(path), message))

    if not isinstance(raw, dict):
        fail((), "a recipe document must be a mapping")
        return False
    for key in raw:
        if key not in RECIPE_KEYS:
            fail((key,), f"unknown key {key!r} (known: {', '.join(RECIPE_KEYS)})")
    recipe_id = raw.get("id")
    if not isinstance(recipe_id, str) or not ID_RE.match(recipe_id):
        fail(("id",) if "id" in raw else (), "id must be kebab-case, e.g. defer-go-explicit")
    if "rule" not in raw:
        fail((), "a recipe needs a 'rule'")
    if raw.get("severity", "warning") not in SEVERITIES:
        fail(("severity",), f"severity must be one of {', '.join(SEVERITIES)}")
    if raw.get("safety", "safe") not in [s.value for s in Safety]:
        fail(("safety",), "safety must be one of safe, unsafe, report")
    if raw.get("safety") in ("safe", "unsafe") and raw.get("fix") is None:
        fail(("safety",), "a safe or unsafe recipe needs a 'fix' (use safety: report for findings only)")
    if raw.get("safety") == "report" and raw.get("fix") is not None:
        fail(("fix",), "a report recipe has no fix")
    if "go" in raw and not (isinstance(raw["go"], str) and GO_VERSION_RE.match(raw["go"])):
        fail(("go",), "go must be a version such as \"1.22\", quoted (unquoted, YAML reads 1.20 as the number 1.2)")
    for key in ("description", "message", "note"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            fail((key,), f"{key} must be a string")
    for key in ("constraints", "utils"):
        if raw.get(key) is not None and not isinstance(raw[key], dict):
            fail((key,), f"{key} must be a mapping of names to rules")
    for key in ("files", "ignores"):
        if key in raw and not (isinstance(raw[key], list) and all(isinstance(g, str) for g in raw[key])):
            fail((key,), f"{key} must be a list of glob strings")
    imports = raw.get("imports")
    if imports is not None:
        if not isinstance(imports, dict) or set(imports) - {"add", "remove-if-unused"}:
            fail(("imports",), "imports takes 'add' and 'remove-if-unused' lists of import paths")
        else:
            for key, paths in imports.items():
                if paths is not None and not (isinstance(paths, list) and all(isinstance(p, str) for p in paths)):
                    fail(("imports", key), f"imports.{key} must be a list of import paths")
    examples = raw.get("examples")
    if examples is not None and not isinstance(examples, list):
        fail(("examples",), "examples must be a list of {before, after}")
        examples = []
    for index, example in enumerate(examples or []):
        if not isinstance(example, dict) or "before" not in example or set(example) - {"before", "after"}:
            fail(("examples", index), "an example needs 'before' and optionally 'after'")
        elif not isinstance(example["before"], str) or not isinstance(example.get("after", ""), (str, type(None))):
            fail(("examples", index), "an example's 'before' and 'after' must be Go source strings")
    return len(problems) == start


def _pattern_metavars(value: Any) -> set[str]:
    """Every metavariable a raw rule/fix value binds: in patterns, and ``bind: $X``
    options of extension keys (codemod/rulex/)."""
    from codemod.pattern import collect_metavars

    names: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, inner in item.items():
                if key in ("pattern", "text") and isinstance(inner, str):
                    names |= collect_metavars(inner)
                elif key == "bind" and isinstance(inner, str) and inner.startswith("$"):
                    names.add(inner.lstrip("$"))
                else:
                    stack.append(inner)
        elif isinstance(item, list):
            stack.extend(item)
    return names


def _unbound_template_vars(raw: dict, doc: PositionedDocument) -> list[LocatedMessage]:
    """Templates may only use metavariables some pattern binds, or fresh names."""
    from codemod.template import TEMPLATE_VAR_RE

    fix = raw.get("fix")
    bound = _pattern_metavars([raw.get("rule"), raw.get("utils"), fix]) | {"MATCH"}
    templates: list[tuple[tuple, str]] = []
    if isinstance(fix, str):
        templates.append((("fix",), fix))
    elif isinstance(fix, dict):
        bound |= {str(name).lstrip("$") for name in fix.get("fresh") or {}}
        stack: list[tuple[tuple, Any]] = [(("fix",), fix)]
        while stack:
            path, item = stack.pop()
            if isinstance(item, dict):
                for key, inner in item.items():
                    if key in ("rule", "when"):
                        continue
                    if isinstance(inner, str):
                        templates.append((path + (key,), inner))
                    else:
                        stack.append((path + (key,), inner))
            elif isinstance(item, list):
                stack.extend((path + (index,), inner) for index, inner in enumerate(item))
    if isinstance(raw.get("message"), str):
        templates.append((("message",), raw["message"]))
    problems = []
    for path, text in templates:
        for found in TEMPLATE_VAR_RE.finditer(text):
            name = found.group(1) or found.group(2) or found.group(3)
            if name not in bound:
                problems.append(LocatedMessage(doc.location(path), f"${name} is not bound by any pattern or fresh name"))
    return problems


def _rule_parts(raw: dict) -> dict:
    """Only the parts worth compiling for more error reports when validation failed."""
    parts = {"id": "invalid", "rule": raw["rule"]}
    for key in ("fix", "utils", "constraints"):
        if isinstance(raw.get(key), (dict, str)) and not (key != "fix" and isinstance(raw[key], str)):
            parts[key] = raw[key]
    return parts


def _located(doc: PositionedDocument, error: RuleError) -> LocatedMessage:
    return LocatedMessage(doc.location(error.key_path, error.offset), str(error))


def load_file(path: Path, text: str | None = None) -> tuple[list[Recipe], list[Bundle]]:
    """Load every recipe and bundle of one YAML file, or raise RecipeError with all problems."""
    problems: list[LocatedMessage] = []
    recipes: list[Recipe] = []
    bundles: list[Bundle] = []
    seen: set[str] = set()
    for doc in load_documents(path, problems, text):
        raw = doc.value
        if raw is None:
            continue
        if isinstance(raw, dict) and "bundle" in raw:
            bundle = _load_bundle(raw, doc, problems)
            if bundle is not None and _first_in_file(bundle.id, ("bundle",), doc, seen, problems):
                bundles.append(bundle)
            continue
        valid = _validate(raw, doc, problems)
        if not isinstance(raw, dict) or "rule" not in raw:
            continue
        try:
            recipe = _compile_recipe(raw if valid else _rule_parts(raw), str(path))
        except RuleError as error:
            problems.extend(_located(doc, inner) for inner in error.errors)
            continue
        unbound = _unbound_template_vars(raw, doc)
        problems.extend(unbound)
        if valid and not unbound and _first_in_file(recipe.id, ("id",), doc, seen, problems):
            recipes.append(recipe)
    if problems:
        raise RecipeError(problems)
    return recipes, bundles


def _first_in_file(name: str, key: tuple, doc: PositionedDocument, seen: set[str], problems: list[LocatedMessage]) -> bool:
    """False (with a problem) when an earlier document of the file already used ``name``."""
    if name in seen:
        problems.append(LocatedMessage(doc.location(key), f"duplicate id {name!r}: an earlier document of this file uses it"))
        return False
    seen.add(name)
    return True


def _load_bundle(raw: dict, doc: PositionedDocument, problems: list[LocatedMessage]) -> Bundle | None:
    start = len(problems)
    for key in raw:
        if key not in BUNDLE_KEYS:
            problems.append(LocatedMessage(doc.location((key,)), f"unknown bundle key {key!r} (known: {', '.join(BUNDLE_KEYS)})"))
    if not isinstance(raw["bundle"], str) or not ID_RE.match(raw["bundle"]):
        problems.append(LocatedMessage(doc.location(("bundle",)), "a bundle id must be kebab-case, e.g. go-modernize"))
    if raw.get("description") is not None and not isinstance(raw["description"], str):
        problems.append(LocatedMessage(doc.location(("description",)), "description must be a string"))
    members: list[tuple[str, dict]] = []
    entries = raw.get("recipes")
    if not isinstance(entries, list) or not entries:
        problems.append(LocatedMessage(doc.location(("bundle",)), "a bundle needs a non-empty 'recipes' list"))
        entries = []
    for index, entry in enumerate(entries):
        if isinstance(entry, str):
            members.append((entry, {}))
        elif isinstance(entry, dict) and isinstance(entry.get("id"), str) and set(entry) <= {"id", "severity"}:
            if entry.get("severity", "warning") not in SEVERITIES:
                problems.append(LocatedMessage(doc.location(("recipes", index, "severity")), f"severity must be one of {', '.join(SEVERITIES)}"))
            members.append((entry["id"], {k: v for k, v in entry.items() if k != "id"}))
        else:
            problems.append(LocatedMessage(doc.location(("recipes", index)), "a bundle entry is a recipe id or {id, severity}"))
    if len(problems) != start:
        return None
    return Bundle(raw["bundle"], raw.get("description", ""), tuple(members), str(doc.path))


@dataclass
class Catalog:
    """Recipes and bundles from the built-in dir and any extra files or dirs."""

    recipes: dict[str, Recipe] = field(default_factory=dict)
    bundles: dict[str, Bundle] = field(default_factory=dict)
    bundle_locations: dict[str, tuple[Path, int]] = field(default_factory=dict)

    def add_path(self, path: Path, problems: list[LocatedMessage]) -> list[str]:
        """Load a file or directory; return the ids (recipes and bundles) it defined."""
        files = sorted(path.rglob("*.y*ml")) if path.is_dir() else [path]
        defined: list[str] = []
        for file in files:
            try:
                recipes, bundles = load_file(file)
            except RecipeError as error:
                problems.extend(error.problems)
                continue
            for recipe in recipes:
                if recipe.id in self.recipes and self.recipes[recipe.id].source_path != recipe.source_path:
                    problems.append(LocatedMessage(Location(str(file), 1, 1), f"duplicate recipe id {recipe.id!r} (also in {self.recipes[recipe.id].source_path})"))
                if recipe.id in self.bundles:
                    problems.append(LocatedMessage(Location(str(file), 1, 1), f"recipe id {recipe.id!r} is also a bundle id (in {self.bundles[recipe.id].source_path})"))
                self.recipes[recipe.id] = recipe
                defined.append(recipe.id)
            for bundle in bundles:
                if bundle.id in self.recipes:
                    problems.append(LocatedMessage(Location(str(file), 1, 1), f"bundle id {bundle.id!r} is also a recipe id (in {self.recipes[bundle.id].source_path})"))
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
                    problems.append(LocatedMessage(_bundle_entry_location(bundle, index), f"bundle {bundle.id!r} names unknown recipe {member!r}"))
                    continue
                out.append(recipe.with_severity(overrides["severity"]) if "severity" in overrides else recipe)
            return out
        if selector in self.recipes:
            return [self.recipes[selector]]
        problems.append(LocatedMessage(None, f"unknown recipe or bundle {selector!r} (see 'gocodemod list')"))
        return []


def _bundle_entry_location(bundle: Bundle, index: int) -> Location:
    problems: list[LocatedMessage] = []
    for doc in load_documents(Path(bundle.source_path), problems):
        if isinstance(doc.value, dict) and doc.value.get("bundle") == bundle.id:
            return doc.location(("recipes", index))
    return Location(bundle.source_path, 1, 1)


def load_catalog(extra: list[str] = (), include_builtin: bool = True) -> tuple[Catalog, list[LocatedMessage]]:
    catalog = Catalog()
    problems: list[LocatedMessage] = []
    if include_builtin and BUILTIN_DIR.is_dir():
        catalog.add_path(BUILTIN_DIR, problems)
    for item in extra:
        catalog.add_path(Path(item), problems)
    return catalog, problems


def load_recipes(selectors: list[str] = (), *, include_builtin: bool = True, extra_dirs: list[str] = ()) -> list[Recipe]:
    """Resolve ids, bundle ids, files and directories into an ordered list of recipes.

    With no selectors: every recipe found (built-in and extra dirs). Raises
    RecipeError listing every problem.
    """
    paths = [s for s in selectors if Path(s).exists() and (s.endswith((".yaml", ".yml")) or Path(s).is_dir())]
    catalog, problems = load_catalog(list(extra_dirs), include_builtin)
    chosen: list[Recipe] = []
    for selector in selectors:
        if selector in paths:
            known = len(problems)
            defined = catalog.add_path(Path(selector), problems)
            if not defined and len(problems) == known:
                problems.append(LocatedMessage(None, f"{selector}: no recipes found"))
            for name in defined:
                if name in catalog.recipes and Path(catalog.recipes[name].source_path).resolve().is_relative_to(Path(selector).resolve()):
                    chosen.append(catalog.recipes[name])
            continue
        if "/" in selector or selector.endswith((".yaml", ".yml")):
            reason = "not a recipe file (.yaml, .yml) or directory" if Path(selector).exists() else "no such file or directory"
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
    return list(unique.values())


def load_recipe_text(text: str, source_path: str = "<memory>") -> list[Recipe]:
    """Compile recipes from YAML text (tests and the API); raises RecipeError."""
    recipes, _ = load_file(Path(source_path), text)
    return recipes
