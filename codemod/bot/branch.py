"""The bot's git work: the workspace cache, building a recipe's commit, pushing it.

Each repository is mirrored into a bare repository under the workspace
(``<workspace>/<forge host>/<owner>/<name>.git``) that fetches the base branch
and the bot's branches into ``refs/remotes/origin/``. A recipe runs on the
base commit straight from git objects (:func:`codemod.run.runner.run` with a
``revision``), and its commit is built in a temporary index by the same
plumbing ``--commit`` uses (:mod:`codemod.apply.commit`): no working tree is checked out, and nobody's working tree is ever
touched. The commit's ``Gocodemod-Diff`` trailer (see :mod:`codemod.bot.texts`)
lets a later run check that a branch head is still exactly the bot's commit.
Pushes use ``--force-with-lease`` against the head the bot saw.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codemod.apply.commit import parse_identity, tree_with
from codemod.bot.forge.base import RepoSlug
from codemod.bot.texts import ChangeSummary, RecipeInfo, commit_message, diff_trailer, verification_section
from codemod.errors import EXIT_FAILED, GocodemodError
from codemod.model import FileResult, VerifySummary
from codemod.output.verifytext import change_lines
from codemod.run.runner import run
from codemod.run.tasks import RunOptions
from codemod.verify.session import VerifyRequest


class GitError(GocodemodError):
    """A git command the bot ran failed; the message says which and why."""

    exit_code = EXIT_FAILED


@dataclass(frozen=True)
class Author:
    """The identity on the bot's commits."""

    name: str = "gocodemod-bot"
    email: str = "gocodemod-bot@users.noreply.github.com"

    @classmethod
    def parse(cls, text: str) -> Author:
        """``"Name <email>"``; raises :class:`~codemod.errors.UsageError` otherwise."""
        return cls(*parse_identity(text))

    def env(self) -> dict[str, str]:
        return {
            "GIT_AUTHOR_NAME": self.name,
            "GIT_AUTHOR_EMAIL": self.email,
            "GIT_COMMITTER_NAME": self.name,
            "GIT_COMMITTER_EMAIL": self.email,
        }


def git(repo: Path, *args: str, env: dict[str, str] | None = None, stdin: bytes | None = None) -> str:
    """Run ``git -C repo ARGS`` and return stdout; raise :class:`GitError` on failure."""
    full_env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})}
    result = subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True, env=full_env)
    if result.returncode != 0:
        detail = result.stderr.decode(errors="replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed in {repo}: {detail[-1] if detail else 'exit ' + str(result.returncode)}")
    return result.stdout.decode(errors="replace").strip()


def cache_path(workspace: Path, forge_host: str, slug: RepoSlug) -> Path:
    return workspace / forge_host / slug.owner / f"{slug.name}.git"


def sync_cache(cache: Path, clone_url: str, base_branch: str, prefix: str, env: dict[str, str]) -> None:
    """Create or refresh the bare mirror of the base branch and the bot's branches."""
    if not (cache / "HEAD").exists():
        cache.mkdir(parents=True, exist_ok=True)
        git(cache, "init", "--bare", "--quiet")
        git(cache, "remote", "add", "origin", clone_url)
    else:
        git(cache, "remote", "set-url", "origin", clone_url)
    git(
        cache,
        "fetch",
        "--prune",
        "--no-tags",
        "--quiet",
        "origin",
        f"+refs/heads/{base_branch}:refs/remotes/origin/{base_branch}",
        f"+refs/heads/{prefix}*:refs/remotes/origin/{prefix}*",
        env=env,
    )


def remote_sha(cache: Path, branch: str) -> str | None:
    """The head of ``branch`` on the remote as of the last fetch, or None."""
    try:
        return git(cache, "rev-parse", "--verify", "--quiet", f"refs/remotes/origin/{branch}^{{commit}}")
    except GitError:
        return None


@dataclass(frozen=True)
class RecipeRun:
    """A recipe's effect on one base commit: the changed files, files it failed on, and with
    ``--verify`` what the toolchain said (the changes it withheld are in no file of ``changed``)."""

    changed: tuple[FileResult, ...]
    failures: tuple[str, ...] = ()
    verification: VerifySummary | None = None
    withheld: tuple[FileResult, ...] = ()  # files with changes --verify withheld

    def withheld_lines(self) -> tuple[str, ...]:
        """One report line per withheld change (with the toolchain's first line)."""
        return tuple(
            f"{line} ({detail[0].strip()})" if detail else line
            for result in self.withheld
            for change in result.withheld
            for line, *detail in [change_lines(result.path, change, kept=False)]
        )

    def verification_text(self) -> str:
        """The PR body's verification section ("" without --verify)."""
        return verification_section(self.verification, self.withheld) if self.verification is not None else ""


ChangeProducer = Callable[[Path, str, Any, "str | None"], RecipeRun]


def run_recipe_at(cache: Path, base_sha: str, recipe: Any, verify: str | None = None) -> RecipeRun:
    """Run one recipe over the files of ``base_sha``, read from git objects; with ``verify`` (a level),
    check its changes with the Go toolchain on that commit's files and keep only what passes."""
    options = RunOptions(revision=base_sha)
    result = run(cache, [recipe], options=options)
    if verify is not None:
        VerifyRequest(verify, options).apply(result)
    failures = tuple(f"{r.path}: {r.reason}" for r in result.failed)
    withheld = tuple(r for r in result.results if r.withheld)
    return RecipeRun(tuple(result.changed), failures, result.verification, withheld)


@dataclass(frozen=True)
class BuiltCommit:
    """The bot's commit for one recipe on one base, not pushed yet."""

    sha: str
    diff_hash: str
    summary: ChangeSummary


def diff_hash(cache: Path, old: str, new: str) -> str:
    """A hash of the change between two trees or commits (paths, modes, blob ids)."""
    raw = git(cache, "diff-tree", "-r", "--no-renames", old, new)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def build_commit(cache: Path, base_sha: str, recipe: RecipeInfo, run: RecipeRun, author: Author) -> BuiltCommit | None:
    """Commit ``run``'s files on top of ``base_sha``; None when the recipe changes nothing."""
    if not run.changed:
        return None
    tree = tree_with(cache, base_sha, run.changed)
    if tree == git(cache, "rev-parse", f"{base_sha}^{{tree}}"):
        return None
    digest = diff_hash(cache, base_sha, tree)
    summary = ChangeSummary(tuple(sorted((r.path, len(r.changes)) for r in run.changed)))
    message = commit_message(recipe, summary, digest)
    sha = git(cache, "commit-tree", tree, "-p", base_sha, "-F", "-", env=author.env(), stdin=message.encode())
    git(cache, "update-ref", f"refs/gocodemod/built/{recipe.id}", sha)  # keep it reachable until pushed
    return BuiltCommit(sha, digest, summary)


def is_bot_commit(cache: Path, sha: str, base_branch: str) -> bool:
    """Whether ``sha`` is exactly a commit the bot made on top of the base branch's history.

    True when it has one parent, that parent is on the base branch, and its
    ``Gocodemod-Diff`` trailer matches the change it really makes, so a
    commit added, amended or rebased by someone else is never mistaken for
    the bot's.
    """
    parents = git(cache, "rev-list", "--parents", "-n", "1", sha).split()[1:]
    if len(parents) != 1:
        return False
    claimed = diff_trailer(git(cache, "log", "-1", "--format=%B", sha))
    if claimed is None or claimed != diff_hash(cache, parents[0], sha):
        return False
    on_base = subprocess.run(
        ["git", "-C", str(cache), "merge-base", "--is-ancestor", parents[0], f"refs/remotes/origin/{base_branch}"],
        capture_output=True,
    )
    return on_base.returncode == 0


def same_change(cache: Path, sha: str, base_sha: str, digest: str) -> bool:
    """Whether commit ``sha`` sits directly on ``base_sha`` and makes the change ``digest``."""
    parents = git(cache, "rev-list", "--parents", "-n", "1", sha).split()[1:]
    return parents == [base_sha] and diff_hash(cache, base_sha, sha) == digest


def push_branch(cache: Path, sha: str, branch: str, expected: str | None, env: dict[str, str]) -> None:
    """Point the remote ``branch`` at ``sha`` if it is still at ``expected`` (None: absent).

    When the lease refuses because the branch moved since the bot fetched it,
    the error says so, with the head the bot expected and the one there now.
    """
    lease = f"--force-with-lease=refs/heads/{branch}:{expected or ''}"
    try:
        git(cache, "push", "--quiet", "--no-verify", lease, "origin", f"{sha}:refs/heads/{branch}", env=env)
    except GitError as refused:
        try:
            listed = git(cache, "ls-remote", "origin", f"refs/heads/{branch}", env=env)
        except GitError:
            raise refused from None
        now = listed.split()[0] if listed else None
        if now == expected:
            raise  # not the lease: the push failed for another reason, git's message says which
        raise GitError(
            f"did not push {branch}: it moved under the bot since it was fetched "
            f"(expected {_short(expected)}, the remote now has {_short(now)}); "
            "nothing was overwritten, the next run looks at it again"
        ) from None


def _short(sha: str | None) -> str:
    return sha[:12] if sha else "no branch"


def push_command(branch: str, sha: str, expected: str | None) -> str:
    """The push :func:`push_branch` runs, as a user would type it (for dry runs)."""
    return f"git push --force-with-lease=refs/heads/{branch}:{expected or ''} origin {sha}:refs/heads/{branch}"
