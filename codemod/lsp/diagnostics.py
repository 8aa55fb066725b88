"""Diagnostics: an analysis's changes and findings, and recipe-file problems, as LSP ``Diagnostic`` values.

One diagnostic per change (a fix the engine would make) and per finding (a
report, or a fix the recipe refused with its reason): ``source``
``gocodemod``, ``code`` the recipe id, the severity of the recipe (after
``.gocodemod.yaml``'s ``severity`` overrides), its message, and
``codeDescription`` pointing at the recipe's page (:func:`doc_url`).
A change's diagnostic carries its :class:`~codemod.lsp.analysis.FixKey` in
``data``, which the code actions use to find it again.

The recipe's page: with the ``docsBaseUrl`` initialization option (say
``https://github.com/acme/gocodemod/blob/main/docs/recipes/``) it is
``<docsBaseUrl><id>.md``; otherwise the ``file://`` URL of
``docs/recipes/<id>.md`` beside the folder holding the recipe's file (the
layout of a checkout of gocodemod: ``recipes/`` and ``docs/`` side by side)
when that page exists, else there is none.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lsprotocol import types

from codemod.errors import LocatedMessage
from codemod.lsp.analysis import Analysis, FixKey
from codemod.lsp.documents import lsp_position, split_lines
from codemod.model import Position, Safety
from codemod.recipes.load import Recipe

SOURCE = "gocodemod"
SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}


def doc_url(recipe: Recipe | None, recipe_id: str, base_url: str | None) -> str | None:
    """The page that documents a recipe (see the module docstring), or None."""
    if base_url:
        return f"{base_url if base_url.endswith('/') else base_url + '/'}{recipe_id}.md"
    if recipe is None or recipe.source_path.startswith("<"):
        return None
    page = Path(recipe.source_path).resolve().parent.parent / "docs" / "recipes" / f"{recipe_id}.md"
    return page.as_uri() if page.is_file() else None


def go_diagnostics(
    text: str, analysis: Analysis, recipes: Sequence[Recipe], encoding: str, base_url: str | None
) -> list[types.Diagnostic]:
    """The diagnostics of one Go buffer."""
    lines = split_lines(text)
    by_id = {recipe.id: recipe for recipe in recipes}
    out: list[types.Diagnostic] = []
    for change in analysis.changes:
        recipe = by_id.get(change.recipe_id)
        key = FixKey.of(change)
        unsafe = recipe is not None and recipe.safety is Safety.UNSAFE
        message = change.message or (recipe.description if recipe else change.recipe_id)
        out.append(
            _diagnostic(
                lines,
                encoding,
                change.start,
                change.end,
                change.recipe_id,
                f"{message} (unsafe fix: changes behaviour)" if unsafe else message,
                recipe.severity if recipe else "warning",
                doc_url(recipe, change.recipe_id, base_url),
                {"recipe": key.recipe_id, "start": list(key.start), "end": list(key.end)},
            )
        )
    for finding in analysis.findings:
        recipe = by_id.get(finding.recipe_id)
        out.append(
            _diagnostic(
                lines,
                encoding,
                finding.start,
                finding.end,
                finding.recipe_id,
                finding.message,
                finding.severity,
                doc_url(recipe, finding.recipe_id, base_url),
                None,
            )
        )
    return out


def _diagnostic(
    lines: list[str],
    encoding: str,
    start: Position,
    end: Position,
    code: str,
    message: str,
    severity: str,
    href: str | None,
    data: object,
) -> types.Diagnostic:
    return types.Diagnostic(
        range=types.Range(start=lsp_position(lines, start, encoding), end=lsp_position(lines, end, encoding)),
        message=message,
        severity=SEVERITY.get(severity, types.DiagnosticSeverity.Warning),
        code=code,
        code_description=types.CodeDescription(href=href) if href else None,
        source=SOURCE,
        data=data,
    )


def problem_diagnostics(
    text: str, problems: Sequence[LocatedMessage], path: Path, encoding: str
) -> list[types.Diagnostic]:
    """Recipe or configuration problems in the file ``path`` (holding ``text``), at their line and column
    (problems located in other files, or nowhere, are put on the first line)."""
    lines = split_lines(text)
    out = []
    for problem in problems:
        where = problem.location
        here = where is not None and Path(where.path).resolve() == path.resolve()
        position = Position(where.line, where.column) if here and where is not None else Position(1, 1)
        start = lsp_position(lines, position, encoding)
        line_end = lsp_position(lines, Position(position.line, len(lines[start.line]) + 1), encoding)
        end = line_end if line_end.line == start.line and line_end.character > start.character else start
        message = problem.message if here else str(problem)
        out.append(
            types.Diagnostic(
                range=types.Range(start=start, end=end),
                message=message,
                severity=types.DiagnosticSeverity.Error,
                source=SOURCE,
            )
        )
    return out
