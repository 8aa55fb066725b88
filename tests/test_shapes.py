"""Shape prefilter: token sequences derived from patterns, regex rules and statement keywords.

Each shape must admit every file the engine can match (tested on golden
cases in test_prefilter.py and on real code here) and reject the common
near-misses that made token-only prefiltering parse every file.
"""

from __future__ import annotations

import re
import subprocess
import textwrap
from pathlib import Path

import pytest

from codemod.engine.core import run_file
from codemod.pattern.compile import compile_pattern
from codemod.prefilter.regexshape import regex_shape
from codemod.prefilter.requirements import Prefilter
from codemod.prefilter.shapes import keyword_shape, pattern_shapes
from codemod.recipes.load import load_recipe_text, load_recipes


def _recipe(yaml_text: str):
    (only,) = load_recipe_text(textwrap.dedent(yaml_text))
    return only


def _found(pattern: str, source: str, names: tuple[str, ...] = ()) -> bool:
    """Whether every shape of ``pattern`` is in ``source`` (what the prefilter asks)."""
    shapes = pattern_shapes(compile_pattern(pattern), frozenset(names))
    assert shapes, f"{pattern!r} gave no shape"
    return all(shape.found_in(source.encode()) for shape in shapes)


# -- repeated names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "v := v",
        "v:=v",
        "v := /* copy */ v",
        "v := // copy\n\t\tv",
        "ünï := ünï",
        "a, b := a, b",
        "a,\n\t\tb := a, b",
        "a, /* x */ b := a, b",
        "v := v // shadow the loop variable",
        "if v := v; v > 0 {",
    ],
)
def test_a_copy_of_a_name_is_found_however_it_is_spelled(line: str) -> None:
    source = f"package p\nfunc f() {{\n\tfor _, v := range xs {{\n\t\t{line}\n\t}}\n}}\n"
    assert _found("$A := $A", source)


@pytest.mark.parametrize(
    "line",
    [
        "v := w",
        "v := v.Elem()",
        "v := vv",
        "vv := v",
        "v := v + 1",
        "v := v[0]",
        "v := f(v)",
        "// v := v",
    ],
)
def test_other_declarations_are_not_copies(line: str) -> None:
    source = f"package p\nfunc f() {{\n\t{line}\n}}\n"
    expected = line.startswith("//")  # text in comments is not told apart: admitting more is safe
    assert _found("$A := $A", source) is expected


def test_a_keyword_is_never_taken_for_a_name() -> None:
    assert not _found("$A := $A", "package p\nfunc f() {\n\tfor _, x := range x {}\n}\n")


def test_a_name_list_copy_must_repeat_its_first_name() -> None:
    assert _found("$A, $B := $A, $B", "package p\nfunc f() {\n\ta, b := a, b\n}\n")
    assert not _found("$A, $B := $A, $B", "package p\nfunc f() {\n\ta, b := c, d\n}\n")
    assert not _found("$A, $B := $A, $B", "package p\nfunc f() {\n\ta, b := a, f(b)\n}\n")


def test_names_the_recipe_declares_take_part_in_the_shape() -> None:
    source = "package p\nfunc f() {\n\tif cache == nil {\n\t\tcache = load()\n\t}\n}\n"
    assert _found("if $V == nil { $$$BODY }", source, ("V",))
    assert not _found("if $V == nil { $$$BODY }", source.replace("cache == nil", "c.cache == nil"), ("V",))
    # Without knowing that $V is a name, the shape stops at $V.
    shapes = pattern_shapes(compile_pattern("if $V == nil { $$$BODY }"), frozenset())
    assert all("$V" not in shape.description for shape in shapes)


def test_operators_are_not_confused_with_longer_ones() -> None:
    source = "package p\nfunc f() {\n\tif x == nil {\n\t}\n}\n"
    assert not _found("$X.y = 1", "package p\nfunc f() {\n\tif a.y == 1 {\n\t}\n}\n")
    assert _found("$X.y = 1", "package p\nfunc f() {\n\ta.y = 1\n}\n")
    assert source  # the `=` of `==` is not an assignment


# -- statement keywords ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source, expected",
    [
        ("func f() {\n\tgo run()\n}", True),
        ("func f() { go run() }", True),
        ("func f() {\n\tselect {\n\tcase <-c: go run()\n\t}\n}", True),
        ("func f() {\n\tx(); go run()\n}", True),
        ("func f() {\n\t/* start */ go run()\n}", True),
        ("func f() {\n\tL: go run()\n}", True),
        ("// Run with go test.\nfunc f() {}", False),
        ('func f() { print("go run") }', False),
        ("//go:build linux\nfunc f() {}", False),
        ("func f() { goto L; L: }", False),
    ],
)
def test_go_must_begin_a_statement(source: str, expected: bool) -> None:
    shape = keyword_shape(b"go")
    assert shape is not None
    assert shape.found_in(f"package p\n{source}\n".encode()) is expected


def test_only_statement_keywords_get_a_keyword_shape() -> None:
    assert keyword_shape(b"defer") is not None
    assert keyword_shape(b"func") is None  # also a type and a literal


# -- regex rules -------------------------------------------------------------------------------------


def test_an_anchored_regex_is_searched_in_the_whole_file() -> None:
    shape = regex_shape(re.compile(r"^interface\s*\{\s*\}$"))
    assert shape is not None
    assert shape.found_in(b"package p\nvar x interface {  }\n")
    assert not shape.found_in(b"package p\ntype I interface { M() }\n")


def test_a_regex_at_a_node_start_is_not_found_in_a_comment_or_a_string() -> None:
    shape = regex_shape(re.compile(r"^interface\s*\{\s*\}$"))
    assert shape is not None and shape.at_node_start
    for text in (
        b"// a map[string]interface{} here\n",
        b"x := 1 // interface{}\n",
        b"var s = `raw\n// interface{}\n`\n",  # a raw string begun above: a `//` in it opens nothing
    ):
        assert not shape.found_in(b"package p\n" + text), text
    for text in (
        b'var s = "http://" + f(interface{}(nil))\n',  # the `//` is in a string: unsure, so found
        b"/* a\n// b */ var x interface{}\n",  # the block comment ends before the literal
        b"var s = `a\n// b` + f(interface{}(nil))\n",  # the raw string ends before the literal
        b"// note\nvar x interface{}\n",  # a comment on another line
    ):
        assert shape.found_in(b"package p\n" + text), text
    unanchored = regex_shape(re.compile(r"interface\s*\{\s*\}"))
    assert unanchored is not None and not unanchored.at_node_start  # may match inside a node's comment
    assert unanchored.found_in(b"package p\n// interface{}\n")
    assert not regex_shape(re.compile(r"^//\s*TODO\s*\w")).at_node_start  # a comment node starts so


@pytest.mark.parametrize(
    "regex",
    [r"(?m)^\s*go\b", r"^[\w\s,]+:=\s*range\b", r"x(?=y)z", r"(?i)^interface\{\}$", r"^init$", r"^a\B"],
)
def test_regexes_that_look_outside_their_match_or_start_slowly_give_no_shape(regex: str) -> None:
    assert regex_shape(re.compile(regex)) is None


def test_an_escaped_dollar_is_kept() -> None:
    shape = regex_shape(re.compile(r"^cost\s*\$"))
    assert shape is not None and shape.found_in(b"cost $") and not shape.found_in(b"cost ")


# -- on real code ----------------------------------------------------------------------------------------


def _goroot_src() -> Path:
    root = subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip()
    return Path(root) / "src"


@pytest.mark.slow
@pytest.mark.usefixtures("go_toolchain")
@pytest.mark.parametrize("package", ["net/http", "go/types", "runtime", "cmd/go/internal/modload"])
def test_every_file_a_recipe_matches_in_real_packages_is_admitted(package: str) -> None:
    """Differential check: a recipe that changes or reports a file must be admitted for it."""
    recipes = load_recipes([])
    prefilter = Prefilter.from_recipes(recipes)
    directory = _goroot_src() / package
    sources = {path.name: path.read_bytes() for path in sorted(directory.glob("*.go"))}
    checked = 0
    for name, data in sources.items():
        admitted = prefilter.may_match(data)
        for recipe in recipes:
            if recipe.id in admitted:
                continue
            result = run_file(name, data, [recipe], package_sources=sources, format_with_gofmt=False)
            assert not result.changes and not result.findings, (
                f"{recipe.id} matches {package}/{name} but was filtered out"
            )
            checked += 1
    assert checked > 0


@pytest.mark.usefixtures("go_toolchain")
def test_the_shapes_make_token_less_recipes_selective() -> None:
    """forvar and once-lazy-init used to parse every file; now only those holding their shapes."""
    recipes = {recipe.id: recipe for recipe in load_recipes([])}
    files = sorted((_goroot_src() / "strings").glob("*.go"))
    for recipe_id in ("forvar", "once-lazy-init", "interface-any", "defer-go-explicit"):
        prefilter = Prefilter.from_recipes([recipes[recipe_id]])
        admitted = [path for path in files if prefilter.may_match(path.read_bytes())]
        assert len(admitted) < len(files) / 2, recipe_id
