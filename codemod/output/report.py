"""What a run says: the report on stdout (``diff``, ``stat``, ``json``, ``sarif``), the summary on stderr.

Every format is deterministic: files sorted by path, changes in file order,
no timestamps or absolute paths, so two runs over the same tree print the
same bytes. The JSON document is described by
``codemod/output/report.schema.json`` (``schema_version`` 1); SARIF lives in
:mod:`codemod.output.sarif`, the summary's content and layouts in
:mod:`codemod.output.summary`.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from codemod import __version__
from codemod.model import Change, FileResult, Finding, Position, Status, VerifyNote
from codemod.output.console import LazyConsole
from codemod.output.diff import displayable, file_diff, file_diffs, render_plain, render_rich
from codemod.output.sarif import to_sarif
from codemod.output.summary import print_rich, recipe_rows, summarize
from codemod.output.summary import render_plain as render_plain_summary

if TYPE_CHECKING:
    from rich.console import Console

    from codemod.run.runner import RunResult

SCHEMA_VERSION = 1
FORMATS = ("diff", "stat", "json", "sarif")


def _position(position: Position) -> dict[str, int]:
    return {"line": position.line, "column": position.column}


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _verification(note: VerifyNote) -> dict[str, Any]:
    return {
        "status": note.status.value,
        "level": note.level,
        "reason": note.reason,
        "message": list(note.message),
        "tests": list(note.tests),
    }


def _change(change: Change) -> dict[str, Any]:
    verification = {"verification": _verification(change.verification)} if change.verification else {}
    return verification | {
        "recipe_id": change.recipe_id,
        "start": _position(change.start),
        "end": _position(change.end),
        "before": change.before,
        "after": change.after,
        "message": change.message,
        "pass": change.pass_index,
        "edits": [{"start": e.start, "end": e.end, "text": _text(e.text)} for e in change.edits],
    }


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "recipe_id": finding.recipe_id,
        "start": _position(finding.start),
        "end": _position(finding.end),
        "severity": finding.severity,
        "message": finding.message,
        "snippet": finding.snippet,
    }


def _file(run: RunResult, result: FileResult) -> dict[str, Any]:
    diff = displayable(file_diff(run, result).text) if result.changed else None
    return {
        "path": result.path,
        "status": result.status.value,
        "reason": result.reason,
        "recipes": result.recipe_ids(),
        "changes": [_change(change) for change in result.changes] if result.changed else [],
        "findings": [_finding(finding) for finding in result.findings],
        "warnings": list(result.warnings),
        "diff": diff,
    } | ({"withheld": [_change(change) for change in result.withheld]} if result.withheld else {})


def _reported(result: FileResult) -> bool:
    return result.status is not Status.UNCHANGED or bool(result.findings or result.warnings or result.withheld)


def to_json(run: RunResult) -> str:
    """The JSON report (see the schema); ends with a newline."""
    counts = run.status_counts()
    rows = recipe_rows(run)
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "gocodemod", "version": __version__},
        "revision": run.revision,
        "recipes": [{k: row[k] for k in ("id", "description", "safety", "severity")} for row in rows],
        "summary": {
            "files": {"scanned": len(run.results), **counts},
            "changes": sum(len(result.changes) for result in run.changed),
            "findings": run.finding_count(),
            "by_recipe": [{k: row[k] for k in ("id", "files", "changes", "findings")} for row in rows],
        },
        "files": [_file(run, result) for result in run.results if _reported(result)],
    }
    if run.verification is not None:
        document["verification"] = dataclasses.asdict(run.verification)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def to_stat(run: RunResult) -> str:
    """``git diff --stat`` style lines, each followed by the recipes that changed the file."""
    diffs = file_diffs(run)
    if not diffs:
        return ""
    width = max(len(diff.path) for diff in diffs)
    lines: list[str] = []
    inserted_total = deleted_total = 0
    for diff in diffs:
        inserted, deleted = diff.line_counts()
        inserted_total += inserted
        deleted_total += deleted
        recipes = ", ".join(rid for rid, _ in diff.recipes)
        lines.append(f" {diff.path:<{width}} | {inserted + deleted:>4} {'+' * inserted}{'-' * deleted}  ({recipes})")
    noun = "file" if len(diffs) == 1 else "files"
    insertions = f"insertion{'s' * (inserted_total != 1)}(+)"
    deletions = f"deletion{'s' * (deleted_total != 1)}(-)"
    lines.append(f" {len(diffs)} {noun} changed, {inserted_total} {insertions}, {deleted_total} {deletions}")
    return "\n".join(lines) + "\n"


def render(run: RunResult, fmt: str) -> str:
    """The report of ``run`` in one of :data:`FORMATS` (``diff`` is the plain patch)."""
    if fmt == "diff":
        return render_plain(file_diffs(run))
    if fmt == "stat":
        return to_stat(run)
    if fmt == "json":
        return to_json(run)
    if fmt == "sarif":
        return to_sarif(run)
    raise ValueError(f"unknown format {fmt!r}")


def print_summary(
    console: Console, run: RunResult, *, left_out_unsafe: Sequence[str] = (), quiet: bool = False
) -> None:
    """The end-of-run summary (:mod:`codemod.output.summary`): as plain text when the
    console is a :class:`~codemod.output.console.LazyConsole` off a terminal (rich not
    imported), else through rich. ``left_out_unsafe``: the unsafe recipes the default set left out.
    ``quiet`` (``-q``): only the failures and the error findings, which are never hidden."""
    summary = summarize(run, left_out_unsafe, quiet=quiet)
    if quiet and not summary.failures and not summary.findings:
        return
    if isinstance(console, LazyConsole) and not console.built and sys.platform != "win32" and not console.is_terminal:
        console.file.write(render_plain_summary(summary, getattr(console.file, "encoding", None) or "utf-8"))
        console.file.flush()
        return
    print_rich(getattr(console, "real", console), summary)


@contextmanager
def progress_bar(console: Console, enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A transient progress bar fed ``(done, total)`` file counts; ``None`` when disabled."""
    if not enabled:
        yield None
        return
    # rich is imported here, not above: only a terminal shows a progress bar (tens of milliseconds otherwise).
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("gocodemod"), BarColumn(), MofNCompleteColumn(), TextColumn("files"), TimeElapsedColumn())
    with Progress(*columns, console=getattr(console, "real", console), transient=True) as progress:
        task = progress.add_task("files", total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield update


def emit(run: RunResult, fmt: str, console: Console) -> None:
    """Print the report: a highlighted diff on a terminal, exact text otherwise."""
    if fmt == "diff" and console.is_terminal:
        render_rich(console, file_diffs(run))
        return
    text = render(run, fmt)
    console.file.flush()
    buffer = getattr(console.file, "buffer", None)
    if buffer is None:
        console.file.write(text)
        return
    buffer.write(text.encode("utf-8", errors="surrogateescape"))  # a patch keeps non-UTF-8 bytes exact
    buffer.flush()
