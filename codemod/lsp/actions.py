"""Code actions: each fix as a quick fix, every fix of a recipe, and ``source.fixAll.gocodemod``.

Every action's edit is the difference between the buffer and what an engine
run gives for it (:mod:`codemod.lsp.analysis`): one change with all of its
edits, imports and gofmt (the bytes ``gocodemod run --write`` writes for
that change alone); every change of one recipe (``run -r ID --write``); or,
for ``source.fixAll.gocodemod``, every change of the selected ``safe``
recipes (``run --write`` without the unsafe ones: an editor may apply this
kind on save, unseen, so a fix that changes behaviour on purpose is never
part of it; unsafe fixes are offered one by one and per recipe, their
titles saying "unsafe"). A recipe whose fix may be spread over several
files of the package (mutex-to-rwmutex: a field here, its Lock calls
there) is one action that edits every file it changes, as ``run --write``
and ``--interactive`` apply it: one of its pieces alone might not compile.
An edit is a list of line-range replacements of the buffer's version the
action was computed for (a client refuses it once the buffer has changed,
when it supports versioned edits).

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

from codemod.engine.decisions import spans_matches
from codemod.lsp.analysis import Analysis, FixKey, fix_all, fix_one, fix_package, fix_recipe
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


_SCOPES = ("change", "recipe", "package", "safe")


@dataclass(frozen=True)
class Fix:
    """What an action applies: one change (``key``), every change of a recipe in this file, every change
    of a recipe in the package (a fix that may span files), or every change of the safe recipes."""

    scope: str  # one of _SCOPES
    recipe_id: str = ""
    key: FixKey | None = None

    def data(self, buffer: Buffer) -> dict[str, Any]:
        key = self.key
        where = {"start": list(key.start), "end": list(key.end)} if key else {}
        return {"uri": buffer.uri, "version": buffer.version, "scope": self.scope, "recipe": self.recipe_id, **where}

    @classmethod
    def from_data(cls, data: Any) -> Fix | None:
        if not isinstance(data, dict) or data.get("scope") not in _SCOPES:
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

    def edit(self, buffer: Buffer) -> types.WorkspaceEdit | None:
        """The edit this fix makes (an engine run); None when it changes nothing or the engine refused it."""
        if buffer.cancelled.is_set():
            raise Cancelled
        job = buffer.job
        if self.scope == "package":
            results = fix_package(job, buffer.recipes, self.recipe_id)
        elif self.key is not None:
            results = [fix_one(job, buffer.recipes, self.key)]
        elif self.scope == "recipe":
            results = [fix_recipe(job, buffer.recipes, self.recipe_id)]
        else:
            results = [fix_all(job, [recipe for recipe in buffer.recipes if _in_fix_all(recipe)])]
        buffer.failures.extend(result.reason for result in results if result.status is Status.FAILED)
        if any(result.status is Status.FAILED for result in results):
            return None  # all or nothing: a package fix with a file the engine refused is not offered
        return workspace_edit(buffer, [result for result in results if result.status is Status.CHANGED])


def _in_fix_all(recipe: Recipe) -> bool:
    """Safe, and its fix never needs other files' edits (those come per recipe, with the package)."""
    return recipe.safety is Safety.SAFE and not spans_matches(recipe.fix)


def code_actions(
    buffer: Buffer,
    analysis: Analysis,
    requested: types.Range,
    only: Sequence[str] | None,
    diagnostics: Sequence[types.Diagnostic],
    *,
    resolve_later: bool,
) -> list[types.CodeAction]:
    """The actions for ``requested``: its quick fixes, then one per recipe, then the file's fix-all.

    A recipe whose fix may be spread over several matches and files (:func:`spans_matches`) gets one
    action for its changes in the range: all of its changes in the package, in every file they touch."""
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
        spanning = {rid for rid in {c.recipe_id for c in here} if rid in by_id and spans_matches(by_id[rid].fix)}
        for change in here:
            if change.recipe_id in spanning:
                continue
            key = FixKey.of(change)
            recipe = by_id.get(change.recipe_id)
            unsafe = _unsafe(recipe)
            what = change.message or (recipe.description if recipe else change.recipe_id)
            title = f"{'Apply unsafe fix (changes behaviour)' if unsafe else 'Fix'}: {what} [{change.recipe_id}]"
            named = [d for d in diagnostics if _names(d, key)] or None
            offered.append(
                (title, types.CodeActionKind.QuickFix, Fix("change", change.recipe_id, key), named, not unsafe)
            )
        for recipe_id in dict.fromkeys(change.recipe_id for change in here):
            count = sum(change.recipe_id == recipe_id for change in analysis.changes)
            unsafe_note = " (unsafe: changes behaviour)" if _unsafe(by_id.get(recipe_id)) else ""
            if recipe_id in spanning:
                title = f"Fix all {recipe_id} in this package{unsafe_note}: its changes span files"
                named = [d for d in diagnostics if d.source == SOURCE and d.code == recipe_id] or None
                offered.append((title, types.CodeActionKind.QuickFix, Fix("package", recipe_id), named, False))
                continue
            title = f"Fix all {recipe_id} in this file{unsafe_note} ({count} found)"
            offered.append((title, types.CodeActionKind.QuickFix, Fix("recipe", recipe_id), None, False))
    if _wanted(only, FIX_ALL_KIND):
        if any(_in_fix_all(by_id[c.recipe_id]) for c in analysis.changes if c.recipe_id in by_id):
            offered.append(("Fix all safe gocodemod changes", FIX_ALL_KIND, Fix("safe"), None, False))
    actions = []
    for title, kind, fix, named, preferred in offered:
        action = types.CodeAction(title=title, kind=kind, diagnostics=named, is_preferred=preferred or None)
        if resolve_later:
            action.data = fix.data(buffer)
        else:
            action.edit = fix.edit(buffer)
            if action.edit is None:
                continue  # the run changed nothing, or the engine refused it (buffer.failures says why)
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


def workspace_edit(buffer: Buffer, results: Sequence[FileResult]) -> types.WorkspaceEdit | None:
    """The edit from the bytes the engine saw (the buffer, its package's buffers or files) to ``results``'
    new bytes; None when nothing changes. The buffer's own edit names its version; other files' none."""
    documents = []
    for result in results:
        before = buffer.job.package.get(result.path)
        if result.new_source is None or before is None:
            continue
        edits = text_edits(decode(before), decode(result.new_source), buffer.encoding)
        if not edits:
            continue
        this = result.path == buffer.job.path
        uri = buffer.uri if this else (buffer.job.root / result.path).as_uri()
        documents.append((uri, buffer.version if this else None, edits))
    if not documents:
        return None
    if buffer.versioned:
        return types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version), edits=edits
                )
                for uri, version, edits in documents
            ]
        )
    return types.WorkspaceEdit(changes={uri: edits for uri, _, edits in documents})


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
