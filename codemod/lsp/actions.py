"""Code actions: each fix as a quick fix, every fix of a recipe, and ``source.fixAll.gocodemod``.

Every action's edit is the difference between the buffer and what an engine
run gives for it (:mod:`codemod.lsp.analysis`): one change with all of its
edits, imports and gofmt (the bytes ``gocodemod run --write`` writes for
that change alone); every change of one recipe (``run -r ID --write``); or,
for ``source.fixAll.gocodemod``, every change of the selected ``safe``
recipes (``run --write`` without the unsafe ones: an editor may apply this
kind on save, unseen, so a fix that changes behaviour on purpose is never
part of it; unsafe fixes are offered one by one and per recipe, their
titles saying "unsafe"). An edit is a list of line-range replacements of
the buffer's version the action was computed for (a client refuses it once
the buffer has changed, when it supports versioned edits).

Each edit costs an engine run, so a client that can resolve an action's
edit later (``codeAction/resolve``) gets the actions without edits and a
:class:`Fix` in ``data``; the others get the edits at once. Either way a
cancelled request stops before its next engine run (:class:`Cancelled`).
"""

from __future__ import annotations

import difflib
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from lsprotocol import types

from codemod.lsp.analysis import Analysis, FixKey, fix_all, fix_one, fix_recipe
from codemod.lsp.diagnostics import SOURCE
from codemod.lsp.documents import FileJob, decode, lsp_position, split_lines
from codemod.model import FileResult, Position, Safety, Status
from codemod.recipes.load import Recipe

FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.{SOURCE}"
_LINE = re.compile(r"[^\n]*\n|[^\n]+")


class Cancelled(Exception):
    """The client cancelled the request this work was for."""


@dataclass(frozen=True)
class Buffer:
    """One Go buffer at one version, and what the worker needs to compute edits of it."""

    uri: str
    version: int | None
    text: str
    job: FileJob
    recipes: tuple[Recipe, ...]
    encoding: str
    versioned: bool  # the client takes TextDocumentEdits with a version (documentChanges)
    cancelled: threading.Event
    failures: list[str] = field(default_factory=list)  # why a fix gave no edit: the engine refused its result


@dataclass(frozen=True)
class Fix:
    """What an action applies: one change (``key``), every change of a recipe, or every safe change."""

    scope: str  # "change" | "recipe" | "safe"
    recipe_id: str = ""
    key: FixKey | None = None

    def data(self, buffer: Buffer) -> dict[str, Any]:
        key = self.key
        where = {"start": list(key.start), "end": list(key.end)} if key else {}
        return {"uri": buffer.uri, "version": buffer.version, "scope": self.scope, "recipe": self.recipe_id, **where}

    @classmethod
    def from_data(cls, data: Any) -> Fix | None:
        if not isinstance(data, dict) or data.get("scope") not in ("change", "recipe", "safe"):
            return None
        key = None
        if data["scope"] == "change":
            start: Any = data.get("start")
            end: Any = data.get("end")
            try:
                key = FixKey(str(data.get("recipe")), (int(start[0]), int(start[1])), (int(end[0]), int(end[1])))
            except (TypeError, ValueError, IndexError, KeyError):
                return None  # not data this server made
        return cls(data["scope"], str(data.get("recipe") or ""), key)

    def run(self, buffer: Buffer) -> FileResult:
        if buffer.cancelled.is_set():
            raise Cancelled
        if self.key is not None:
            return fix_one(buffer.job, buffer.recipes, self.key)
        if self.scope == "recipe":
            return fix_recipe(buffer.job, buffer.recipes, self.recipe_id)
        return fix_all(buffer.job, [recipe for recipe in buffer.recipes if recipe.safety is Safety.SAFE])


def code_actions(
    buffer: Buffer,
    analysis: Analysis,
    requested: types.Range,
    only: Sequence[str] | None,
    diagnostics: Sequence[types.Diagnostic],
    *,
    resolve_later: bool,
) -> list[types.CodeAction]:
    """The actions for ``requested``: its quick fixes, then one per recipe, then the file's fix-all."""
    by_id = {recipe.id: recipe for recipe in buffer.recipes}
    lines = split_lines(buffer.text)
    offered: list[tuple[str, str, Fix, list[types.Diagnostic] | None, bool]] = []
    if _wanted(only, types.CodeActionKind.QuickFix):
        here = [
            change
            for change in analysis.changes
            if _overlaps(
                requested,
                lsp_position(lines, change.start, buffer.encoding),
                lsp_position(lines, change.end, buffer.encoding),
            )
        ]
        for change in here:
            key = FixKey.of(change)
            unsafe = _unsafe(by_id.get(change.recipe_id))
            recipe = by_id.get(change.recipe_id)
            what = change.message or (recipe.description if recipe else change.recipe_id)
            title = f"{'Apply unsafe fix (changes behaviour)' if unsafe else 'Fix'}: {what} [{change.recipe_id}]"
            named = [d for d in diagnostics if _names(d, key)] or None
            offered.append(
                (title, types.CodeActionKind.QuickFix, Fix("change", change.recipe_id, key), named, not unsafe)
            )
        for recipe_id in dict.fromkeys(change.recipe_id for change in here):
            count = sum(change.recipe_id == recipe_id for change in analysis.changes)
            unsafe_note = " (unsafe: changes behaviour)" if _unsafe(by_id.get(recipe_id)) else ""
            title = f"Fix all {recipe_id} in this file{unsafe_note} ({count} found)"
            offered.append((title, types.CodeActionKind.QuickFix, Fix("recipe", recipe_id), None, False))
    if _wanted(only, FIX_ALL_KIND):
        safe = {recipe.id for recipe in buffer.recipes if recipe.safety is Safety.SAFE}
        if any(change.recipe_id in safe for change in analysis.changes):
            offered.append(("Fix all safe gocodemod changes", FIX_ALL_KIND, Fix("safe"), None, False))
    actions = []
    for title, kind, fix, named, preferred in offered:
        action = types.CodeAction(title=title, kind=kind, diagnostics=named, is_preferred=preferred or None)
        if resolve_later:
            action.data = fix.data(buffer)
        else:
            action.edit = workspace_edit(buffer, fix.run(buffer))
            if action.edit is None:
                continue  # the run changed nothing, or failed (workspace_edit says why in buffer.failures)
        actions.append(action)
    return actions


def _unsafe(recipe: Recipe | None) -> bool:
    return recipe is not None and recipe.safety is Safety.UNSAFE


def _wanted(only: Sequence[str] | None, kind: str) -> bool:
    """Whether the client asked for actions of ``kind`` (no ``only``: every kind; ``source`` covers ``source.x``)."""
    return only is None or any(kind == asked or kind.startswith(asked + ".") for asked in only)


def _overlaps(requested: types.Range, start: types.Position, end: types.Position) -> bool:
    return _before_or_at(start, requested.end) and _before_or_at(requested.start, end)


def _before_or_at(a: types.Position, b: types.Position) -> bool:
    return (a.line, a.character) <= (b.line, b.character)


def _names(diagnostic: types.Diagnostic, key: FixKey) -> bool:
    data = diagnostic.data
    return (
        diagnostic.source == SOURCE
        and isinstance(data, dict)
        and data.get("recipe") == key.recipe_id
        and tuple(data.get("start") or ()) == key.start
        and tuple(data.get("end") or ()) == key.end
    )


def workspace_edit(buffer: Buffer, result: FileResult) -> types.WorkspaceEdit | None:
    """The buffer's edit to ``result``'s new bytes; None when the run changed nothing (or failed)."""
    if result.status is Status.FAILED:
        buffer.failures.append(result.reason)
    if result.status is not Status.CHANGED or result.new_source is None:
        return None
    edits = text_edits(buffer.text, decode(result.new_source), buffer.encoding)
    if not edits:
        return None
    if buffer.versioned:
        document = types.OptionalVersionedTextDocumentIdentifier(uri=buffer.uri, version=buffer.version)
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=document, edits=edits)])
    return types.WorkspaceEdit(changes={buffer.uri: edits})


def text_edits(old: str, new: str, encoding: str) -> list[types.TextEdit]:
    """Replacements of whole lines that turn ``old`` into ``new``, in order and not overlapping."""
    old_lines, new_lines = _LINE.findall(old), _LINE.findall(new)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    edits = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        start = _line_start(old_lines, i1, encoding)
        end = _line_start(old_lines, i2, encoding)
        edits.append(types.TextEdit(range=types.Range(start=start, end=end), new_text="".join(new_lines[j1:j2])))
    return edits


def _line_start(lines: list[str], index: int, encoding: str) -> types.Position:
    """The start of line ``index``; past the last line, the end of the text."""
    if index < len(lines) or not lines or lines[-1].endswith("\n"):
        return types.Position(line=index, character=0)
    end = lsp_position([lines[-1]], Position(1, len(lines[-1]) + 1), encoding)
    return types.Position(line=len(lines) - 1, character=end.character)
