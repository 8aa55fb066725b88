"""Ad-hoc recipes: ``gocodemod run -p PATTERN [--rewrite TEMPLATE]``, like ``gofmt -r`` and ``ast-grep -p -r``.

The command line's pattern and rewrite become a recipe document written in
the recipe format and loaded by :func:`codemod.recipes.load.load_recipe_text`,
the loader and checks every YAML recipe goes through: the same validation,
rule and template compilation, import handling, precedence (a template's
metavariables are parenthesised where their code needs it) and gofmt pass.
The pattern and the template are written as literal block scalars at a known
indentation, so a problem the loader locates inside them is reported as
``-p: LINE:COLUMN: message`` (or ``--rewrite: ...``), counted in the user's
own text.

Imports: a package the rewrite refers to (``pkg.Name``) that the pattern does
not is added; one the pattern refers to and the rewrite no longer does is
removed when no reference to it is left in the file. A package is known by
its import path: the standard library's one-element paths (``fmt``,
``errors``, ``strings``, ...) by their name, any other through ``--import
PATH`` (``--import math/rand``, ``--import example.com/x/errors``), whose
last element (goimports' guess) is the name the code uses; an added name
comes from its ``--import`` path first. A qualifier that
is neither (a local variable such as ``mu.Lock()``) is code, not an import,
and is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from codemod.errors import LocatedMessage, RecipeError, UsageError

if TYPE_CHECKING:
    from codemod.recipes.load import Recipe

ADHOC_ID = "ad-hoc"
SOURCE = "<command line>"
# The standard library's packages whose import path is one element: their name is their path.
STANDARD_TOP_LEVEL = frozenset(
    "bufio builtin bytes cmp context crypto embed errors expvar flag fmt hash html image io iter log maps "
    "math mime net os path plugin reflect regexp runtime slices sort strconv strings structs sync syscall "
    "testing time unicode unique unsafe weak".split()
)
_INDENT = "    "  # where the pattern's and the template's lines start in the generated document
# Code that is not a qualifier: string and rune literals, comments.
_NOT_CODE = re.compile(r'"(?:[^"\\\n]|\\.)*"|`[^`]*`|\'(?:[^\'\\\n]|\\.)*\'|//[^\n]*|/\*.*?\*/', re.S)
_QUALIFIER = re.compile(r"(?<![\w.$])([A-Za-z_]\w*)\s*\.\s*[A-Za-z_]")
_HEADER_LINES = 7  # the pattern block's header is the document's 7th line
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufeff]")  # what a YAML block scalar cannot hold


@dataclass(frozen=True)
class AdhocRequest:
    """What the command line said: the pattern, the rewrite (None: search only), import paths."""

    pattern: str
    rewrite: str | None = None
    imports: tuple[str, ...] = ()


def adhoc_request(pattern: str | None, rewrite: str | None, imports: Sequence[str] = ()) -> AdhocRequest | None:
    """The command line's ``-p``, ``--rewrite`` and ``--import``; None without ``-p``."""
    if pattern is None:
        if rewrite is not None or imports:
            raise UsageError(f"{'--rewrite' if rewrite is not None else '--import'} needs -p PATTERN")
        return None
    if imports and rewrite is None:
        raise UsageError("--import needs --rewrite (a search changes no imports)")
    return AdhocRequest(pattern, rewrite, tuple(imports))


def qualifiers(code: str) -> set[str]:
    """The names ``code`` uses as ``name.X`` (outside literals and comments, not ``$X.Y`` nor ``a.b.c``'s ``b``)."""
    return set(_QUALIFIER.findall(_NOT_CODE.sub(" ", code)))


def package_name(path: str) -> str:
    """The name code uses for an import path, as goimports guesses it (see docs/scope-and-imports.md)."""
    from codemod.golang.scope import default_package_name

    return default_package_name(path)


def import_changes(request: AdhocRequest) -> tuple[list[str], list[str]]:
    """(paths to add, paths to remove when unused) for a rewrite.

    A name added is imported from its ``--import`` path, else from the standard
    library; a name dropped may be either (``errors`` and
    ``github.com/pkg/errors``): every candidate path is listed, for the engine
    removes only an import the file has and no longer uses."""
    if request.rewrite is None:
        return [], []
    given = {package_name(path): path for path in request.imports}
    candidates: dict[str, set[str]] = {name: {name} for name in STANDARD_TOP_LEVEL}
    for path in request.imports:
        candidates.setdefault(package_name(path), set()).add(path)
    in_pattern, in_rewrite = qualifiers(request.pattern), qualifiers(request.rewrite)
    add = sorted(given.get(name, name) for name in in_rewrite - in_pattern if name in candidates)
    remove = sorted(path for name in in_pattern - in_rewrite for path in candidates.get(name, ()))
    return add, remove


def adhoc_document(request: AdhocRequest) -> str:
    """The recipe document for ``request``, in the recipe format."""
    add, remove = import_changes(request)
    summary = " ".join(request.pattern.split())
    lines = [
        f"id: {ADHOC_ID}",
        f"description: {_quoted(summary if request.rewrite is None else summary + ' => ' + ' '.join(request.rewrite.split()))}",
        "severity: info",
        f"safety: {'report' if request.rewrite is None else 'unsafe'}",
        'message: "matches the -p pattern"',
        "rule:",
        "  pattern: |2-",  # line _HEADER_LINES
        *_block(request.pattern),
    ]
    if request.rewrite is not None:
        lines += ["fix: |4-", *_block(request.rewrite)]
    if add or remove:
        lines += ["imports:", f"  add: {_flow(add)}", f"  remove-if-unused: {_flow(remove)}"]
    return "\n".join(lines) + "\n"


def adhoc_recipe(request: AdhocRequest) -> Recipe:
    """The recipe of ``request``; a problem is a :class:`UsageError` naming the option and where in its text."""
    from codemod.recipes.load import load_recipe_text

    for option, text in (("-p", request.pattern), ("--rewrite", request.rewrite)):
        if text is None:
            continue
        if not text.strip():
            raise UsageError(f"{option}: empty")
        bad = _FORBIDDEN.search(text)
        if bad:
            raise UsageError(f"{option}: a control character (U+{ord(bad.group()):04X}) is not Go code")
    for path in request.imports:
        if not path or path.strip() != path or '"' in path or "\\" in path:
            raise UsageError(f"--import {path!r}: not an import path")
    document = adhoc_document(request)
    try:
        recipes = load_recipe_text(document, SOURCE)
    except RecipeError as error:
        raise UsageError("\n".join(_on_command_line(problem, request) for problem in error.problems)) from None
    return recipes[0]


def _on_command_line(problem: LocatedMessage, request: AdhocRequest) -> str:
    """A problem located in the generated document, said of the option it came from: the
    document's lines are fixed (:func:`adhoc_document`) up to the pattern's block, then the template's."""
    if problem.location is None:
        return problem.message
    line = problem.location.line - 1  # 0-based, as the document's lines
    pattern_header = _HEADER_LINES - 1
    blocks = [("-p", pattern_header, _line_count(request.pattern))]
    if request.rewrite is not None:
        blocks.append(("--rewrite", pattern_header + 1 + blocks[0][2], _line_count(request.rewrite)))
    for option, header, count in blocks:
        if header < line <= header + count:
            column = max(1, problem.location.column - len(_INDENT))
            return f"{option}: {line - header}:{column}: {problem.message}"
        if line == header:
            return f"{option}: {problem.message}"
    return problem.message


def _line_count(text: str) -> int:
    return len(_block(text))


def _block(text: str) -> list[str]:
    return [_INDENT + line if line else "" for line in text.replace("\r\n", "\n").split("\n")]


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _flow(paths: Sequence[str]) -> str:
    return "[" + ", ".join(_quoted(path) for path in paths) + "]"
