"""The bot's build stage, run per repository in worker processes.

:func:`prepare_repository` mirrors one repository into the workspace cache,
then for each recipe: runs it alone on the base branch's head, builds its
commit, and checks whether the remote bot branch is still the bot's own
commit. It makes no network writes and returns plain pickleable values
(:class:`RepoPrep` holding one :class:`~codemod.bot.plan.RecipeState` per
recipe), so any ``concurrent.futures`` executor can run it. A failing recipe
becomes a state with an ``error``; a failing fetch, a prep with an ``error``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codemod.bot.branch import (
    Author,
    ChangeProducer,
    GitError,
    build_commit,
    is_bot_commit,
    remote_sha,
    same_change,
    sync_cache,
)
from codemod.bot.forge.base import RepoSlug
from codemod.bot.plan import RecipeState
from codemod.bot.texts import Marker, pr_body, pr_title
from codemod.errors import GocodemodError


@dataclass(frozen=True)
class RepoJob:
    """Everything a worker needs to prepare one repository (pickleable)."""

    slug: RepoSlug
    cache: Path
    clone_url: str
    base_branch: str
    prefix: str
    git_env: dict[str, str]
    author: Author
    recipe_refs: tuple[str, ...]
    verify: str | None = None  # --verify level; None: not verified


@dataclass(frozen=True)
class RepoPrep:
    base_sha: str = ""
    states: tuple[RecipeState, ...] = ()
    error: str = ""


def describe_error(error: BaseException) -> str:
    return str(error) if isinstance(error, GocodemodError) else f"{type(error).__name__}: {error}"


def prepare_repository(job: RepoJob, recipes: Sequence[Any], produce: ChangeProducer) -> RepoPrep:
    """Worker stage: fetch, then build every recipe's commit on the base head."""
    try:
        sync_cache(job.cache, job.clone_url, job.base_branch, job.prefix, job.git_env)
    except GitError as error:
        return RepoPrep(error=str(error))
    base_sha = remote_sha(job.cache, job.base_branch)
    if base_sha is None:
        return RepoPrep(error=f"{job.slug}: base branch {job.base_branch!r} not found")
    states = tuple(_recipe_state(job, base_sha, recipe, ref, produce) for recipe, ref in zip(recipes, job.recipe_refs))
    return RepoPrep(base_sha, states)


def _recipe_state(job: RepoJob, base_sha: str, recipe: Any, ref: str, produce: ChangeProducer) -> RecipeState:
    branch = job.prefix + recipe.id
    head = remote_sha(job.cache, branch)
    try:
        head_is_bot = head is not None and is_bot_commit(job.cache, head, job.base_branch)
        run = produce(job.cache, base_sha, recipe, job.verify)
        built = build_commit(job.cache, base_sha, recipe, run, job.author)
    except Exception as error:  # one recipe's failure must not stop the others
        return RecipeState(recipe.id, branch, remote_head=head, error=describe_error(error))
    warnings = run.failures + run.withheld_lines()
    if built is None:
        return RecipeState(recipe.id, branch, remote_head=head, remote_head_is_bot=head_is_bot, warnings=warnings)
    commit = built.sha
    if head is not None and head_is_bot and same_change(job.cache, head, base_sha, built.diff_hash):
        commit = head  # the branch already holds exactly this change: nothing to push
    marker = Marker(recipe.id, recipe.content_hash, base_sha, built.diff_hash)
    return RecipeState(
        recipe.id,
        branch,
        title=pr_title(recipe),
        body=pr_body(
            recipe,
            ref,
            built.summary,
            job.base_branch,
            marker,
            verification=run.verification_text(),
            verify_level=run.verification.level if run.verification is not None else None,
        ),
        commit=commit,
        marker=marker,
        files=len(built.summary.files),
        edits=built.summary.edit_count,
        remote_head=head,
        remote_head_is_bot=head_is_bot,
        warnings=warnings,
    )
