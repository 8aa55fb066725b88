"""What ``--verify`` says on stderr: a line for the level and outcome, then one per change not kept.

Each change withheld (or kept unverified) is named with its file, line,
recipe and reason, followed by the first lines of the toolchain's message
(and, for ``go test``, the failing tests), so the run's log says why without
rerunning anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codemod.model import Change, FileResult, Verification, VerifySummary

if TYPE_CHECKING:
    from codemod.run.runner import RunResult

DETAIL_LINES = 3  # toolchain lines shown per change on stderr (the JSON report holds more)


def summary_line(summary: VerifySummary) -> str:
    """``verify (go vet): 4 packages, 3 pass, 1 failing before; 2 changes withheld; 1.2s``."""
    noun = "package" if summary.packages == 1 else "packages"
    parts = [f"{summary.packages} {noun}", f"{summary.passed} pass"]
    if summary.failing_before:
        parts.append(f"{summary.failing_before} failing before the changes")
    withheld = f"{summary.withheld} change{'s' * (summary.withheld != 1)} withheld"
    cached = f", {summary.cached} from the cache" if summary.cached else ""
    return f"verify (go {summary.level}): {', '.join(parts)}; {withheld}; {summary.seconds:.1f}s{cached}"


def change_lines(path: str, change: Change, *, kept: bool) -> list[str]:
    """``withheld x.go:3:9 recipe: breaks go build`` and the toolchain's first lines under it."""
    note = change.verification
    if note is None:
        return []
    if kept:
        head, hint = "kept unverified", ""
    else:
        head = "withheld"
        hint = " (--keep-unverified keeps it)" if note.status is Verification.UNVERIFIED else ""
    lines = [f"{head} {path}:{change.start.line}:{change.start.column} {change.recipe_id}: {note.reason}{hint}"]
    if note.tests:
        lines.append("    failing tests: " + ", ".join(note.tests))
    lines += [f"    {line}" for line in note.message[:DETAIL_LINES]]
    return lines


def file_lines(result: FileResult) -> list[str]:
    lines: list[str] = []
    for change in result.withheld:
        lines += change_lines(result.path, change, kept=False)
    for change in result.changes:  # kept although not verified (--keep-unverified)
        if change.verification is not None and change.verification.status is Verification.UNVERIFIED:
            lines += change_lines(result.path, change, kept=True)
    return lines


def verification_lines(run: RunResult) -> list[str]:
    """The verification summary line and the lines of each change not verified; none without --verify."""
    lines = [summary_line(run.verification)] if run.verification is not None else []
    for result in run.results:
        lines += file_lines(result)
    return lines
