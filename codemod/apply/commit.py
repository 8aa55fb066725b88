"""``--commit``: one branch and commit per recipe, without touching the user's tree.

For each recipe that changes something, the recipe is run alone over the
files as they are in HEAD (never the working tree, so unsaved work cannot
leak into a commit), and the result is committed on ``<prefix><recipe-id>``
with git plumbing: a temporary index (``GIT_INDEX_FILE``), ``write-tree``,
``commit-tree`` and ``update-ref``. The user's HEAD, index, working tree
and current branch stay exactly as they were.

Rerunning updates the branch: a new commit on top when the branch already
grows from the current HEAD (nothing when its content is already right),
or a branch rebuilt on the new HEAD when HEAD moved. A branch checked out
in some worktree is never moved, nor is a branch of that name whose tip
gocodemod did not make (no ``Gocodemod-Recipe`` trailer naming the recipe):
that is someone's work. SHA-256 repositories are refused with one line.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

import git
from gitdb import IStream

from codemod import __version__
from codemod.errors import UsageError
from codemod.model import FileResult
from codemod.run.files import find_repo_root
from codemod.run.runner import ProgressCallback, RunResult, run
from codemod.run.tasks import RunOptions

if TYPE_CHECKING:
    from codemod.recipes.load import Recipe
    from codemod.verify.session import VerifyRequest

DEFAULT_PREFIX = "gocodemod/"
TRAILER = "Gocodemod-Recipe"  # names the recipe in every commit --commit makes: how its branches are known
_IDENTITY = re.compile(r"^\s*(?P<name>[^<>]+?)\s*<(?P<email>[^<>\s]+)>\s*$")
_MESSAGE_FILE_LIMIT = 50


@dataclass(frozen=True)
class CommitOutcome:
    """What ``--commit`` did for one recipe."""

    recipe_id: str
    branch: str
    action: str  # created | updated | rebuilt | unchanged | refused | follow-on | withheld
    commit: str | None = None
    previous: str | None = None
    files: int = 0
    changes: int = 0
    detail: str = ""

    def describe(self) -> str:
        counts = f"{self.files} file{'s' * (self.files != 1)}, {self.changes} change{'s' * (self.changes != 1)}"
        short = (self.commit or "")[:12]
        if self.action == "created":
            return f"{self.branch}: created at {short} ({counts})"
        if self.action == "updated":
            return f"{self.branch}: new commit {short} on top of {self.previous[:12]} ({counts})"  # type: ignore[index]
        if self.action == "rebuilt":
            return f"{self.branch}: rebuilt on the new HEAD at {short}, was {self.previous[:12]} ({counts})"  # type: ignore[index]
        if self.action == "follow-on":
            return (
                f"{self.branch}: {self.changes} change{'s' * (self.changes != 1)} in {self.files} "
                f"file{'s' * (self.files != 1)} on no branch: {self.detail}"
            )
        if self.action == "withheld":
            return f"{self.branch}: no branch: {counts} withheld by --verify ({self.detail})"
        if self.action == "unchanged":
            return (
                f"{self.branch}: left as is ({self.detail})"
                if self.detail
                else f"{self.branch}: already up to date at {short}"
            )
        return f"{self.branch}: not updated: {self.detail}"


def parse_identity(identity: str) -> tuple[str, str]:
    """``"Name <email>"`` as (name, email); raises :class:`UsageError` otherwise."""
    match = _IDENTITY.match(identity)
    if match is None:
        raise UsageError(f"--author must look like 'Name <email>', not {identity!r}")
    return match.group("name"), match.group("email")


def _git(repo_root: Path, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> str:
    completed = subprocess.run(
        ["git", *args], cwd=repo_root, input=stdin, capture_output=True, env={**os.environ, **(env or {})}
    )
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise UsageError(f"git {args[0]} failed: {message[-1] if message else completed.returncode}")
    return completed.stdout.decode("utf-8", errors="replace").strip()


def _resolve(repo_root: Path, rev: str) -> str | None:
    completed = subprocess.run(
        ["git", "rev-parse", "--verify", "-q", f"{rev}^{{commit}}"], cwd=repo_root, capture_output=True
    )
    return completed.stdout.decode().strip() if completed.returncode == 0 else None


def _check_branch_prefix(repo_root: Path, prefix: str, recipes: list[Recipe]) -> None:
    """Refuse, before any work, a --branch-prefix that makes no valid branch name."""
    sample = prefix + (recipes[0].id if recipes else "recipe")
    completed = subprocess.run(["git", "check-ref-format", "--branch", sample], cwd=repo_root, capture_output=True)
    if completed.returncode != 0:
        raise UsageError(f"--branch-prefix {prefix!r} does not make a valid git branch name ({sample!r})")


def _is_ancestor(repo_root: Path, ancestor: str, descendant: str) -> bool:
    completed = subprocess.run(["git", "merge-base", "--is-ancestor", ancestor, descendant], cwd=repo_root)
    return completed.returncode == 0


def _made_by_us(repo_root: Path, commit: str, recipe_id: str) -> bool:
    """Whether ``commit`` carries the trailer --commit writes for ``recipe_id``."""
    values = _git(repo_root, "log", "-1", f"--format=%(trailers:key={TRAILER},valueonly)", commit)
    return recipe_id in (value.strip() for value in values.splitlines())


def _check_object_format(repo_root: Path) -> None:
    """Refuse, with one line, a repository whose objects are named by SHA-256."""
    completed = subprocess.run(["git", "rev-parse", "--show-object-format"], cwd=repo_root, capture_output=True)
    object_format = completed.stdout.decode("ascii", "replace").strip() if completed.returncode == 0 else "sha1"
    if object_format != "sha1":
        raise UsageError(
            f"--commit does not support {object_format} repositories yet (this one was made with "
            f"--object-format={object_format}); use --write on a branch instead"
        )


def _checked_out_in(repo_root: Path, ref: str) -> str | None:
    """The worktree that has ``ref`` checked out, if any."""
    worktree = None
    for line in _git(repo_root, "worktree", "list", "--porcelain").splitlines():
        if line.startswith("worktree "):
            worktree = line[len("worktree ") :]
        elif line == f"branch {ref}":
            return worktree
    return None


def commit_message(recipe: Recipe, file_results: Sequence[FileResult]) -> str:
    """Names the recipe, its description and safety, and the counts per file."""
    changes = sum(len(result.changes) for result in file_results)
    safety = recipe.safety.value
    lines = [f"gocodemod: {recipe.id}", "", (recipe.description or recipe.id).strip(), ""]
    lines.append(f"Recipe {recipe.id} ({safety}) changed {len(file_results)} files with {changes} changes:")
    for result in file_results[:_MESSAGE_FILE_LIMIT]:
        lines.append(f"  {result.path} ({len(result.changes)})")
    if len(file_results) > _MESSAGE_FILE_LIMIT:
        lines.append(f"  ... and {len(file_results) - _MESSAGE_FILE_LIMIT} more files")
    lines += ["", f"{TRAILER}: {recipe.id}", f"Gocodemod-Version: {__version__}"]
    return "\n".join(lines) + "\n"


def tree_with(repo_root: Path, base: str, file_results: Sequence[FileResult]) -> str:
    """The tree of ``base`` with each result's new bytes, built in a temporary index."""
    odb = git.Repo(repo_root).odb
    paths = [result.path for result in file_results]
    modes = {}
    for line in _git(repo_root, "ls-tree", "-z", base, "--", *paths).split("\0"):
        if line:
            meta, path = line.split("\t", 1)
            modes[path] = meta.split(" ", 1)[0]
    entries = []
    for result in file_results:
        data = result.new_source or b""
        blob = odb.store(IStream("blob", len(data), BytesIO(data))).hexsha.decode("ascii")
        entries.append(f"{modes.get(result.path, '100644')} {blob}\t{result.path}\n")
    with tempfile.TemporaryDirectory(prefix="gocodemod-index-") as scratch:
        env = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
        _git(repo_root, "read-tree", base, env=env)
        _git(repo_root, "update-index", "--index-info", stdin="".join(entries).encode(), env=env)
        return _git(repo_root, "write-tree", env=env)


def _identity_env(author: str | None) -> dict[str, str]:
    if author is None:
        return {}
    name, email = parse_identity(author)
    return {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
    }


def commit_recipe_branch(
    repo_root: Path,
    base_rev: str,
    recipe: Recipe,
    file_results: Sequence[FileResult],
    *,
    branch: str,
    author: str | None = None,
) -> CommitOutcome:
    """Commit ``file_results`` (computed from ``base_rev``, paths relative to
    ``repo_root``) on ``branch``: create, update or rebuild it as needed."""
    ref = f"refs/heads/{branch}"
    changed = [result for result in file_results if result.changed]
    counts: dict[str, Any] = {"files": len(changed), "changes": sum(len(result.changes) for result in changed)}
    base = _resolve(repo_root, base_rev)
    if base is None:
        raise UsageError(f"{base_rev}: not a commit")
    previous = _resolve(repo_root, ref)
    holder = _checked_out_in(repo_root, ref)
    if holder is not None:
        return CommitOutcome(
            recipe.id, branch, "refused", previous=previous, detail=f"checked out in {holder}", **counts
        )
    if previous is not None and not _made_by_us(repo_root, previous, recipe.id):
        detail = (
            f"the branch exists and its tip {previous[:12]} was not made by gocodemod for {recipe.id} "
            f"(no '{TRAILER}: {recipe.id}' trailer); rename or delete it, or pass another --branch-prefix"
        )
        return CommitOutcome(recipe.id, branch, "refused", previous=previous, detail=detail, **counts)
    if not changed:
        return CommitOutcome(recipe.id, branch, "unchanged", previous, previous, detail="the recipe changes nothing")
    tree = tree_with(repo_root, base, changed)
    if previous is not None and _is_ancestor(repo_root, base, previous):
        if _git(repo_root, "rev-parse", f"{previous}^{{tree}}") == tree:
            return CommitOutcome(recipe.id, branch, "unchanged", commit=previous, previous=previous, **counts)
        parent, action = previous, "updated"
    else:
        parent, action = base, "rebuilt" if previous is not None else "created"
    message = commit_message(recipe, changed)
    commit = _git(
        repo_root, "commit-tree", tree, "-p", parent, "-F", "-", stdin=message.encode(), env=_identity_env(author)
    )
    _git(repo_root, "update-ref", "-m", f"gocodemod: {action} for {recipe.id}", ref, commit, previous or "")
    return CommitOutcome(recipe.id, branch, action, commit=commit, previous=previous, **counts)


def commit_run(
    root: Path,
    recipes: list[Recipe],
    *,
    paths: Sequence[Path] = (),
    jobs: int = 1,
    options: RunOptions = RunOptions(),
    prefix: str = DEFAULT_PREFIX,
    author: str | None = None,
    progress: ProgressCallback | None = None,
    verify: VerifyRequest | None = None,
) -> tuple[RunResult, list[CommitOutcome]]:
    """Run all recipes over HEAD, then commit each changing recipe on its own branch.

    With ``verify``, the combined result (the report) and each recipe's own
    result (its branch) are verified: a branch holds only verified changes, and
    a recipe whose changes all fail gets no branch but a line saying so."""
    repo_root = find_repo_root(root)
    if repo_root is None:
        raise UsageError("--commit needs a git repository")
    _check_object_format(repo_root)
    head = _resolve(repo_root, "HEAD")
    if head is None:
        raise UsageError("--commit needs a commit to start from (HEAD has none yet)")
    if author is not None:
        parse_identity(author)
    _check_branch_prefix(repo_root, prefix, recipes)
    at_head = dataclasses.replace(options, revision=head)
    combined = run(repo_root, recipes, paths=paths, jobs=jobs, options=at_head, progress=progress)
    if verify is not None:
        verify.apply(combined)
    outcomes: list[CommitOutcome] = []
    for recipe in recipes:
        touched = sorted(
            {
                str(Path(r.path).parent)
                for r in combined.results
                if recipe.id in r.recipe_ids() or any(c.recipe_id == recipe.id for c in r.withheld)
            }
        )
        if not touched:
            continue
        alone = run(repo_root, [recipe], paths=[repo_root / d for d in touched], jobs=jobs, options=at_head)
        if verify is not None:
            verify.apply(alone)
            if not alone.changed and any(r.withheld for r in alone.results):
                outcomes.append(_all_withheld(recipe.id, alone, prefix))
                continue
        if alone.changed:
            outcome = commit_recipe_branch(
                repo_root, head, recipe, alone.changed, branch=prefix + recipe.id, author=author
            )
            outcomes.append(outcome)
        follow_on = _follow_on(recipe.id, combined, alone, prefix)
        if follow_on is not None:
            outcomes.append(follow_on)
    return combined, outcomes


def _all_withheld(recipe_id: str, alone: RunResult, prefix: str) -> CommitOutcome:
    """The report line of a recipe whose every change ``--verify`` withheld: no branch."""
    withheld = [r for r in alone.results if r.withheld]
    reasons = sorted({c.verification.reason for r in withheld for c in r.withheld if c.verification is not None})
    return CommitOutcome(
        recipe_id,
        prefix + recipe_id,
        "withheld",
        files=len(withheld),
        changes=sum(len(r.withheld) for r in withheld),
        detail="; ".join(reasons) or "not verified",
    )


def _follow_on(recipe_id: str, combined: RunResult, alone: RunResult, prefix: str) -> CommitOutcome | None:
    """A report line for the changes of ``recipe_id`` that appear only after other recipes' fixes.

    A branch holds what the recipe does alone on HEAD; a change that needs
    another recipe's fix first (waitgroup-go on the goroutines
    sleep-to-waitgroup writes) is on no branch, and the summary counts it."""
    mine = {r.path: sum(c.recipe_id == recipe_id for c in r.changes) for r in combined.changed}
    alone_counts = {r.path: sum(c.recipe_id == recipe_id for c in r.changes) for r in alone.changed}
    missing = {path: count - alone_counts.get(path, 0) for path, count in mine.items()}
    missing = {path: count for path, count in missing.items() if count > 0}
    if not missing:
        return None
    before = sorted({rid for r in combined.changed if r.path in missing for rid in r.recipe_ids() if rid != recipe_id})
    after = ", ".join(prefix + rid for rid in before) or "other fixes"
    return CommitOutcome(
        recipe_id,
        prefix + recipe_id,
        "follow-on",
        files=len(missing),
        changes=sum(missing.values()),
        detail=f"they appear only after the fixes of {after}; run --commit again once those are merged",
    )
