"""The end-of-run summary: per-recipe counts, totals, skips with reasons, failures, findings.

:func:`summarize` gathers what the summary says (its per-recipe counts,
:func:`recipe_rows`, are the JSON report's too). It is printed two ways:

* :func:`print_rich` on a terminal (or any rich console the caller built):
  a rich table, styled by rich;
* :func:`render_plain` everywhere else (a CI log, a file, a pipe), where no
  styling shows: this module's own plain-text layout, a table at its natural
  width (a title, a header, a heavy rule, the rows) and the lines after it,
  written without importing rich (which costs more than a warm run's whole
  lookup). It resembles rich's table but is not rich's output: its bytes
  are this module's, pinned by its tests, whatever rich's version.

User text (paths, reasons, finding messages) is printed with rich's emoji
codes off: ``x.go:100:2:`` is a position, not ``:100:`` (💯).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from codemod.run.runner import RunResult

TITLE = "gocodemod summary"
COLUMNS = ("recipe", "safety", "files", "changes", "findings")
RIGHT_ALIGNED = frozenset({"files", "changes", "findings"})
# The plain table's lines: (header separator, cell separator, rule, rule crossing), drawn
# with box-drawing characters where the stream's encoding has them, in ASCII elsewhere.
BOX_LINES = ("┃", "│", "━", "╇")
ASCII_LINES = ("|", "|", "-", "+")


@dataclass(frozen=True)
class Summary:
    rows: tuple[tuple[str, ...], ...]  # one per recipe with changed files or findings, cells in COLUMNS order
    totals: str
    skipped: tuple[str, ...]  # one line per skip reason
    failures: tuple[tuple[str, str], ...]  # (path, reason)
    findings: tuple[str, ...]  # "path:line:column: severity: message [recipe]"
    notes: tuple[str, ...] = ()  # what the run left out and how to include it


def recipe_rows(run: RunResult) -> list[dict[str, Any]]:
    """Per recipe, in recipe order: changed files, changes and findings."""
    files = run.files_by_recipe()
    changes = run.changes_by_recipe()
    findings = Counter(f.recipe_id for result in run.results for f in result.findings)
    return [
        {
            "id": recipe.id,
            "safety": recipe.safety.value,
            "severity": recipe.severity,
            "description": recipe.description,
            "files": files.get(recipe.id, 0),
            "changes": changes.get(recipe.id, 0),
            "findings": findings.get(recipe.id, 0),
        }
        for recipe in run.recipes
    ]


def left_out_note(left_out_unsafe: Sequence[str]) -> str | None:
    """The line saying which unsafe recipes a run without ``-r`` left out, and how to run them."""
    if not left_out_unsafe:
        return None
    count = len(left_out_unsafe)
    return (
        f"{count} unsafe recipe{'s' * (count != 1)} not run ({', '.join(left_out_unsafe)}): "
        "name one with -r ID, or add --unsafe"
    )


def summarize(run: RunResult, left_out_unsafe: Sequence[str] = (), *, quiet: bool = False) -> Summary:
    """What the summary says; ``quiet`` (``-q``): only what is never hidden, the failures and the error findings."""
    if quiet:
        errors = tuple(line for line, severity in _finding_lines(run) if severity == "error")
        return Summary((), "", (), tuple((r.path, r.reason) for r in run.failed), errors)
    counts = run.status_counts()
    rows = tuple(
        (row["id"], row["safety"], str(row["files"]), str(row["changes"]), str(row["findings"]))
        for row in recipe_rows(run)
        if row["files"] or row["findings"]
    )
    findings = run.finding_count()
    scanned = len(run.results)
    totals = (
        f"{scanned} file{'s' * (scanned != 1)} scanned: {counts['changed']} changed, {counts['unchanged']} unchanged, "
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
    lines = tuple(line for line, _ in _finding_lines(run))
    note = left_out_note(left_out_unsafe)
    failures = tuple((r.path, r.reason) for r in run.failed)
    return Summary(rows, totals, tuple(skipped), failures, lines, (note,) if note else ())


def _finding_lines(run: RunResult) -> list[tuple[str, str]]:
    """Each finding's line, ``path:line:column: severity: message [recipe]``, and its severity."""
    return [
        (
            f"{result.path}:{finding.start.line}:{finding.start.column}: {finding.severity}: {finding.message} [{finding.recipe_id}]",
            finding.severity,
        )
        for result in run.results
        for finding in result.findings
    ]


def print_rich(console: Any, summary: Summary) -> None:
    """Print ``summary`` on a rich console."""
    # rich is imported here, not above: the plain path (most runs) never needs it (tens of milliseconds).
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=TITLE, title_justify="left", show_edge=False)
    for column in COLUMNS:
        table.add_column(column, justify="right" if column in RIGHT_ALIGNED else "left")
    for row in summary.rows:
        table.add_row(*row)
    if table.row_count:
        console.print(table)
    if summary.totals:
        console.print(summary.totals, highlight=False, soft_wrap=True)
    for line in summary.notes:
        console.print(line, highlight=False, markup=False, emoji=False, soft_wrap=True)
    for line in summary.skipped:
        console.print(line, highlight=False, markup=False, emoji=False, soft_wrap=True)
    for path, reason in summary.failures:
        console.print(
            f"[red]failed[/red] {escape(path)}: {escape(reason)}", highlight=False, emoji=False, soft_wrap=True
        )
    for line in summary.findings:
        console.print(line, highlight=False, markup=False, emoji=False, soft_wrap=True)


def render_plain(summary: Summary, encoding: str = "utf-8") -> str:
    """``summary`` as plain text for a stream of ``encoding``: the table, then one line per total,
    skip reason, failure and finding, each text as it is (no markup, no wrapping)."""
    table = _plain_table(summary.rows, _lines_for(encoding)) if summary.rows else []
    failures = [f"failed {path}: {reason}" for path, reason in summary.failures]
    totals = [summary.totals] if summary.totals else []
    lines = [*table, *totals, *summary.notes, *summary.skipped, *failures, *summary.findings]
    return "".join(line + "\n" for line in lines)


def _lines_for(encoding: str) -> tuple[str, str, str, str]:
    try:
        "".join(BOX_LINES).encode(encoding)
    except (LookupError, UnicodeEncodeError):
        return ASCII_LINES
    return BOX_LINES


def _plain_table(rows: tuple[tuple[str, ...], ...], lines: tuple[str, str, str, str]) -> list[str]:
    """The title padded to the table's width, the header, a rule, the rows; one space either side of each cell."""
    header_separator, separator, rule, crossing = lines
    widths = [max(len(column), *(len(row[index]) for row in rows)) for index, column in enumerate(COLUMNS)]
    table_width = sum(widths) + 3 * len(widths) - 1

    def line(cells: tuple[str, ...], between: str) -> str:
        padded = (
            cell.rjust(size) if column in RIGHT_ALIGNED else cell.ljust(size)
            for cell, size, column in zip(cells, widths, COLUMNS)
        )
        return between.join(f" {cell} " for cell in padded)

    return [
        TITLE.ljust(table_width),
        line(COLUMNS, header_separator),
        crossing.join(rule * (size + 2) for size in widths),
        *(line(row, separator) for row in rows),
    ]
