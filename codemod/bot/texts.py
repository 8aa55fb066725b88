"""Texts the bot writes: PR title and body, the hidden marker, comments, commit messages.

The marker is an HTML comment at the end of the PR body,
``<!-- gocodemod: {"recipe": ..., "recipe_hash": ..., "base": ..., "diff_hash": ...} -->``,
invisible on the rendered page. It is how a later run recognises its own PR
and decides whether anything changed. Comments carry a marker of their own
(``<!-- gocodemod-comment: KIND -->``) so the bot never says the same thing twice.
The commit message ends with ``Gocodemod-*`` trailers; the ``Gocodemod-Diff``
trailer lets a later run prove that a branch head is still the bot's commit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Protocol

from codemod.model import FileResult, Safety, VerifySummary

MAX_TABLE_ROWS = 50
MAX_TITLE = 100

_MARKER = re.compile(r"<!--\s*gocodemod:\s*(\{.*?\})\s*-->", re.S)
_COMMENT_MARKER = "<!-- gocodemod-comment: {kind} -->"
DIFF_TRAILER = "Gocodemod-Diff"

SAFETY_NOTES = {
    Safety.SAFE: "safe: keeps behaviour",
    Safety.UNSAFE: "unsafe: intentionally changes behaviour, review carefully",
    Safety.REPORT: "report only",
}


class RecipeInfo(Protocol):
    """The parts of a recipe the bot's texts use."""

    id: str
    description: str
    safety: Safety
    content_hash: str


@dataclass(frozen=True)
class Marker:
    """What produced a PR: recipe, recipe content hash, base commit, diff hash."""

    recipe: str
    recipe_hash: str
    base: str
    diff_hash: str
    closed_by_bot: bool = False  # set when the bot closes the PR itself

    def render(self) -> str:
        data = asdict(self)
        if not self.closed_by_bot:
            del data["closed_by_bot"]
        return f"<!-- gocodemod: {json.dumps(data)} -->"


def with_marker(body: str, marker: Marker) -> str:
    """``body`` with its marker replaced by ``marker`` (appended if it had none)."""
    matches = list(_MARKER.finditer(body or ""))
    if not matches:
        return f"{body}\n\n{marker.render()}"
    last = matches[-1]
    return body[: last.start()] + marker.render() + body[last.end() :]


def find_marker(body: str) -> Marker | None:
    """The marker in a PR body, or None when there is none (or it was mangled)."""
    matches = list(_MARKER.finditer(body or ""))
    if not matches:
        return None
    found = matches[-1]  # the bot writes it last; a description cannot shadow it
    try:
        data = json.loads(found.group(1))
        return Marker(
            str(data["recipe"]),
            str(data["recipe_hash"]),
            str(data["base"]),
            str(data["diff_hash"]),
            bool(data.get("closed_by_bot", False)),
        )
    except (ValueError, KeyError, TypeError):
        return None


@dataclass(frozen=True)
class ChangeSummary:
    """What a recipe changed: ``(path, edits)`` per file, sorted by path."""

    files: tuple[tuple[str, int], ...]

    @property
    def edit_count(self) -> int:
        return sum(edits for _, edits in self.files)


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def pr_title(recipe: RecipeInfo) -> str:
    summary = _first_line(recipe.description).rstrip(".")
    title = f"gocodemod({recipe.id}): {summary}" if summary else f"gocodemod: apply {recipe.id}"
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"


def _table(summary: ChangeSummary) -> list[str]:
    rows = ["| File | Edits |", "|---|---:|"]
    rows += [f"| `{path}` | {edits} |" for path, edits in summary.files[:MAX_TABLE_ROWS]]
    hidden = summary.files[MAX_TABLE_ROWS:]
    if hidden:
        rows.append(f"| … and {len(hidden)} more files | {sum(e for _, e in hidden)} |")
    total = f"{len(summary.files)} file{'' if len(summary.files) == 1 else 's'}"
    rows.append(f"| **{total}** | **{summary.edit_count}** |")
    return rows


def verification_section(summary: VerifySummary, withheld: Sequence[FileResult]) -> str:
    """The PR body's lines on ``--verify``: level, packages, outcome, time, and the changes left out."""
    packages = f"{summary.packages} package{'s' * (summary.packages != 1)}"
    outcome = "passed" if summary.passed == summary.packages else f"{summary.passed} passed"
    if summary.failing_before:
        outcome += f", {summary.failing_before} already failing before (their changes are not in this PR)"
    lines = [
        "### Verification",
        "",
        f"`go {summary.level}` on {packages} with the changes: {outcome} ({summary.seconds:.1f}s).",
    ]
    left_out = [(result.path, change) for result in withheld for change in result.withheld]
    if left_out:
        lines += ["", f"Withheld, not in this pull request ({len(left_out)}):", ""]
        for path, change in left_out[:MAX_TABLE_ROWS]:
            note = change.verification
            reason = note.reason if note is not None else "not verified"
            first = f": `{note.message[0]}`" if note is not None and note.message else ""
            tests = f" (failing: {', '.join(note.tests)})" if note is not None and note.tests else ""
            lines.append(f"- `{path}:{change.start.line}` {reason}{tests}{first}")
        if len(left_out) > MAX_TABLE_ROWS:
            lines.append(f"- … and {len(left_out) - MAX_TABLE_ROWS} more")
    return "\n".join(lines)


def pr_body(
    recipe: RecipeInfo,
    recipe_ref: str,
    summary: ChangeSummary,
    base_branch: str,
    marker: Marker,
    verification: str = "",
    verify_level: str | None = None,
) -> str:
    """The PR description: what, how safe, where, (with --verify) what the toolchain said,
    how to reproduce, and the marker."""
    lines = [
        f"## gocodemod recipe `{recipe.id}`",
        "",
        recipe.description.strip() or "(no description)",
        "",
        f"**Safety:** {SAFETY_NOTES.get(recipe.safety, str(recipe.safety))}",
        "",
        *_table(summary),
        "",
        *([verification, ""] if verification else []),
        "### Reproduce locally",
        "",
        "```sh",
        f"git checkout {marker.base}",
        f"gocodemod run -r {recipe_ref}{f' --verify {verify_level}' if verify_level else ''} --write",
        "```",
        "",
        f"Base: `{base_branch}` at `{marker.base[:12]}` · recipe hash `{marker.recipe_hash[:12]}`",
        "",
        "<sub>Opened by the gocodemod bot. It rebuilds this pull request when the base branch or the "
        "recipe changes and closes it when the recipe no longer changes anything. "
        "If anyone else pushes to the branch, the bot leaves it alone.</sub>",
        "",
        marker.render(),
    ]
    return "\n".join(lines)


def comment_marker(kind: str) -> str:
    return _COMMENT_MARKER.format(kind=kind)


def has_comment(bodies: list[str], kind: str) -> bool:
    return any(comment_marker(kind) in body for body in bodies)


FOREIGN_COMMITS = "foreign-commits"
OBSOLETE = "obsolete"


def foreign_commits_comment(branch: str, head_sha: str) -> str:
    return (
        f"The branch `{branch}` now has commits that gocodemod did not make (head `{head_sha[:12]}`), "
        "so the bot will not rebuild or update this pull request any more. "
        "Close it to let the bot open a fresh one, or reset the branch to the bot's commit.\n\n"
        + comment_marker(FOREIGN_COMMITS)
    )


def obsolete_comment(recipe_id: str, base_branch: str, base_sha: str) -> str:
    return (
        f"Closing: recipe `{recipe_id}` no longer changes anything on `{base_branch}` at `{base_sha[:12]}` "
        "(the code was fixed, or the recipe changed). The branch is deleted.\n\n" + comment_marker(OBSOLETE)
    )


def commit_message(recipe: RecipeInfo, summary: ChangeSummary, diff_hash: str) -> str:
    description = recipe.description.strip()
    body = f"{description}\n\n" if description else ""
    return (
        f"{pr_title(recipe)}\n\n{body}"
        f"Files changed: {len(summary.files)}, edits: {summary.edit_count}.\n\n"
        f"Gocodemod-Recipe: {recipe.id}\n"
        f"Gocodemod-Recipe-Hash: {recipe.content_hash}\n"
        f"{DIFF_TRAILER}: {diff_hash}\n"
    )


def diff_trailer(message: str) -> str | None:
    """The ``Gocodemod-Diff`` trailer value of a commit message, if present."""
    found = re.search(rf"^{DIFF_TRAILER}: ([0-9a-f]+)\s*$", message, re.M)
    return found.group(1) if found else None
