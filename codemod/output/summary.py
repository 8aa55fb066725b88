"""The end-of-run summary: per-recipe counts, totals, skips with reasons, failures, findings.

:func:`summarize` gathers what the summary says; :func:`print_rich` prints it
with rich (a table with a heavy header rule). Most runs print it to a stream
that is not a terminal (a CI log, a file), where rich adds no styling:
:func:`render_plain` writes the very same characters without importing rich
(which costs more than a warm run's whole lookup), and gives up (None) on
anything whose rendering it does not reproduce exactly: a table wider than
the console (rich would shrink it), a non-UTF-8 stream (rich would draw the
table in ASCII), text with tabs or control characters, or markup-like text
in a failure line.

User text (paths, reasons, finding messages) is printed with rich's emoji
codes off: ``x.go:100:2:`` is a position, not ``:100:`` (💯).
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from codemod.run.runner import RunResult

TITLE = "gocodemod summary"
COLUMNS = ("recipe", "safety", "files", "changes", "findings")
RIGHT_ALIGNED = frozenset({"files", "changes", "findings"})
DEFAULT_WIDTH = 80  # rich's width when no terminal tells it one


@dataclass(frozen=True)
class Summary:
    rows: tuple[tuple[str, ...], ...]  # one per recipe with changed files or findings, cells in COLUMNS order
    totals: str
    skipped: tuple[str, ...]  # one line per skip reason
    failures: tuple[tuple[str, str], ...]  # (path, reason)
    findings: tuple[str, ...]  # "path:line:column: severity: message [recipe]"


def summarize(run: RunResult) -> Summary:
    from codemod.output.report import recipe_rows

    counts = run.status_counts()
    rows = tuple(
        (row["id"], row["safety"], str(row["files"]), str(row["changes"]), str(row["findings"]))
        for row in recipe_rows(run)
        if row["files"] or row["findings"]
    )
    findings = run.finding_count()
    totals = (
        f"{len(run.results)} files scanned: {counts['changed']} changed, {counts['unchanged']} unchanged, "
        f"{counts['skipped']} skipped, {counts['failed']} failed; {findings} finding{'s' * (findings != 1)}"
    )
    by_reason: dict[str, list[str]] = defaultdict(list)
    for result in run.skipped:
        by_reason[result.reason or "skipped"].append(result.path)
    skipped = []
    for reason in sorted(by_reason):
        paths = by_reason[reason]
        shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        skipped.append(f"skipped {len(paths)} ({reason}): {shown}")
    lines = tuple(
        f"{result.path}:{finding.start.line}:{finding.start.column}: {finding.severity}: {finding.message} [{finding.recipe_id}]"
        for result in run.results
        for finding in result.findings
    )
    return Summary(rows, totals, tuple(skipped), tuple((r.path, r.reason) for r in run.failed), lines)


def print_rich(console: Any, summary: Summary) -> None:
    """Print ``summary`` on a rich console."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=TITLE, title_justify="left", show_edge=False)
    for column in COLUMNS:
        table.add_column(column, justify="right" if column in RIGHT_ALIGNED else "left")
    for row in summary.rows:
        table.add_row(*row)
    if table.row_count:
        console.print(table)
    console.print(summary.totals, highlight=False, soft_wrap=True)
    for line in summary.skipped:
        console.print(line, highlight=False, markup=False, emoji=False, soft_wrap=True)
    for path, reason in summary.failures:
        console.print(
            f"[red]failed[/red] {escape(path)}: {escape(reason)}", highlight=False, emoji=False, soft_wrap=True
        )
    for line in summary.findings:
        console.print(line, highlight=False, markup=False, emoji=False, soft_wrap=True)


def render_plain(summary: Summary, width: int | None, encoding: str) -> str | None:
    """What :func:`print_rich` prints on a console of ``width`` columns (see
    :func:`console_width`) that is not a terminal, writing to a stream of
    ``encoding``; None when that is not certain."""
    if width is None or not encoding.lower().startswith("utf"):
        return None
    failures = [f"failed {path}: {reason}" for path, reason in summary.failures]
    if any("[" in line or "\\" in line for line in failures):
        return None  # markup escapes: leave them to rich
    lines = _plain_table(summary.rows, width) if summary.rows else []
    if lines is None:
        return None
    texts = [summary.totals, *summary.skipped, *failures, *summary.findings]
    if not all(text.isprintable() for text in texts):
        return None  # tabs are expanded and control codes dropped by rich
    return "".join(line + "\n" for line in lines + texts)


def _plain_table(rows: tuple[tuple[str, ...], ...], width: int) -> list[str] | None:
    """rich's ``Table(title=..., title_justify="left", show_edge=False)`` at its natural width."""
    if not all(
        cell.isascii() and cell.isprintable() and "[" not in cell and ":" not in cell for row in rows for cell in row
    ):
        return None
    widths = [max(len(column), *(len(row[index]) for row in rows)) for index, column in enumerate(COLUMNS)]
    table_width = sum(widths) + 2 * len(widths) + len(widths) - 1
    if table_width > width or len(TITLE) > table_width:
        return None

    def line(cells: tuple[str, ...], separator: str) -> str:
        padded = (
            cell.rjust(size) if column in RIGHT_ALIGNED else cell.ljust(size)
            for cell, size, column in zip(cells, widths, COLUMNS)
        )
        return separator.join(f" {cell} " for cell in padded)

    rule = "╇".join("━" * (size + 2) for size in widths)
    return [TITLE.ljust(table_width), line(COLUMNS, "┃"), rule, *(line(row, "│") for row in rows)]


def console_width(environ: os._Environ[str] | dict[str, str] = os.environ) -> int | None:
    """The width rich gives a console that is not a terminal: ``$COLUMNS``, else the
    size of the first standard stream that is a terminal, else 80 (None for ``COLUMNS=0``)."""
    columns = environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns) or None
    for descriptor in (0, 1, 2):
        try:
            return os.get_terminal_size(descriptor).columns or DEFAULT_WIDTH
        except (AttributeError, ValueError, OSError):
            continue
    return DEFAULT_WIDTH
