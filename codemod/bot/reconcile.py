"""The bot: one pull request per recipe per repository, reconciled on every run.

A run has three stages:

1. *Look* (parent, forge reads): for each repository, its default branch,
   clone URL and open pull requests.
2. *Build* (workers, through a ``concurrent.futures`` executor):
   :func:`codemod.bot.prepare.prepare_repository` mirrors the repository and
   builds each recipe's commit on the base head. No network writes.
3. *Reconcile* (parent, sequential): :func:`codemod.bot.plan.decide` per
   recipe, caps applied in order, then pushes and forge writes. Every forge
   call stays in this one process, behind the client's rate limiting.

After the first lookup a repository goes by the name the forge gives it
(its spelling, or its new name after a rename, which the report says), so a
rerun recognises its own pull requests and writes nothing when nothing moved.
A run holds the workspace's lock (:mod:`codemod.bot.lock`) from start to end.

A failure in one repository or recipe becomes a failed :class:`ReportLine`
and the run goes on. A branch is pushed only right before its PR is opened
or updated, and a failure after the push says so in its report line.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from codemod.bot.branch import (
    Author,
    ChangeProducer,
    GitError,
    cache_path,
    git,
    push_branch,
    push_command,
    run_recipe_at,
)
from codemod.bot.forge.base import Forge, PullRequest, PullRequestSpec, Repository, RepoSlug, slug_from_url
from codemod.bot.forge.client import Clock
from codemod.bot.lock import DEFAULT_WAIT, workspace_lock
from codemod.bot.plan import Action, Caps, Decision, RecipeState, decide
from codemod.bot.prepare import RepoJob, RepoPrep, describe_error, prepare_repository
from codemod.bot.texts import (
    FOREIGN_COMMITS,
    OBSOLETE,
    find_marker,
    foreign_commits_comment,
    has_comment,
    obsolete_comment,
    with_marker,
)
from codemod.errors import UsageError


@dataclass(frozen=True)
class BotOptions:
    base: str | None = None  # None: the repository's default branch
    branch_prefix: str = "gocodemod/"
    labels: tuple[str, ...] = ("gocodemod",)
    draft: bool = False
    reviewers: tuple[str, ...] = ()
    max_open: int = 10
    max_new: int | None = None
    dry_run: bool = False
    author: Author = Author()
    verify: str | None = None  # build | vet | test: check each recipe's changes with the Go toolchain first


@dataclass(frozen=True)
class ReportLine:
    """One line of the run's report: a repository (and recipe) and what happened."""

    repo: str
    recipe: str
    action: str
    detail: str = ""
    url: str = ""
    failed: bool = False

    def __str__(self) -> str:
        parts = [self.repo, self.recipe or "-", self.action]
        if self.detail:
            parts.append(self.detail)
        if self.url:
            parts.append(self.url)
        return "  ".join(parts)


@dataclass
class BotReport:
    lines: list[ReportLine] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(line.failed for line in self.lines)


def resolve_target(target: str) -> RepoSlug:
    """``owner/name`` for a ``--repo`` value: a clone URL, ``owner/name``, or a local clone."""
    path = Path(target).expanduser()
    if path.exists():
        try:
            url = git(path, "config", "--get", "remote.origin.url")
        except GitError:
            raise UsageError(f"{target}: a local repository needs an 'origin' remote on the forge") from None
        slug = slug_from_url(url)
        if slug is None:
            raise UsageError(f"{target}: cannot tell owner/name from its origin URL {url!r}")
        return slug
    slug = slug_from_url(target)
    if slug is None:
        raise UsageError(f"{target}: neither an existing path nor a repository URL or owner/name")
    return slug


_DONE = {
    Action.CREATE: ("opened", "would open"),
    Action.REBUILD: ("updated", "would update"),
    Action.UP_TO_DATE: ("up to date", "up to date"),
    Action.FOREIGN: ("left alone", "would leave alone"),
    Action.CLOSE: ("closed", "would close"),
    Action.DELETE_STALE: ("deleted branch", "would delete branch"),
    Action.NO_CHANGES: ("no changes", "no changes"),
    Action.BLOCKED: ("blocked", "blocked"),
    Action.DECLINED: ("declined", "declined"),
    Action.CAPPED: ("waiting", "waiting"),
    Action.FAILED: ("failed", "failed"),
}


class Reconciler:
    """Carries out decisions for one repository: pushes and forge writes."""

    def __init__(
        self,
        forge: Forge,
        repo: Repository,
        job: RepoJob,
        base_sha: str,
        options: BotOptions,
        echo: Callable[[str], None],
    ):
        self.forge = forge
        self.repo = repo
        self.job = job
        self.base_sha = base_sha
        self.options = options
        self.echo = echo

    def carry_out(self, decision: Decision) -> ReportLine:
        state = decision.state
        done, would = _DONE[decision.action]
        handler = getattr(self, f"_{decision.action.name.lower()}", None)
        pushed = False
        try:
            if decision.needs_push:
                self._push(state)
                pushed = True
            url = handler(decision) if handler else ""
        except Exception as error:  # reported; the run goes on with the next recipe
            detail = describe_error(error)
            if pushed:
                detail = f"pushed {state.branch} but then failed: {detail}; the next run finishes the job"
            return self._line(state, "failed", detail, failed=True)
        detail = "; ".join(decision.reasons + tuple(f"warning: {w}" for w in state.warnings))
        if decision.action in (Action.CREATE, Action.REBUILD):
            counts = f"{_plural(state.files, 'file')}, {_plural(state.edits, 'edit')}"
            detail = "; ".join(filter(None, [counts, detail]))
        return self._line(
            state,
            would if self.options.dry_run else done,
            detail,
            url=url or "",
            failed=decision.action is Action.FAILED,
        )

    def _line(self, state: RecipeState, action: str, detail: str, url: str = "", failed: bool = False) -> ReportLine:
        return ReportLine(str(self.repo.slug), state.recipe_id, action, detail, url, failed)

    def _push(self, state: RecipeState) -> None:
        assert state.commit is not None
        if self.options.dry_run:
            self.echo(
                f"would push {state.branch} to {self.repo.slug}: "
                f"{push_command(state.branch, state.commit, state.remote_head)}"
            )
            return
        push_branch(self.job.cache, state.commit, state.branch, state.remote_head, self.job.git_env)

    def _show_pr(self, verb: str, state: RecipeState) -> None:
        if self.options.dry_run:
            self.echo(f"would {verb} PR {state.branch} -> {self.job.base_branch}: {state.title}")
            self.echo("\n".join(f"    {line}" for line in state.body.splitlines()))

    def _create(self, decision: Decision) -> str:
        state, slug = decision.state, self.repo.slug
        self._show_pr("open", state)
        spec = PullRequestSpec(
            state.title,
            state.body,
            state.branch,
            self.job.base_branch,
            self.options.draft,
            self.options.labels,
            self.options.reviewers,
        )
        pr = self.forge.create_pull_request(slug, spec)
        self.forge.add_labels(slug, pr.number, spec.labels)
        self.forge.request_reviewers(slug, pr.number, spec.reviewers)
        return pr.html_url

    def _rebuild(self, decision: Decision) -> str:
        state, pr = decision.state, decision.pull_request
        assert pr is not None
        self._show_pr("update", state)
        base = self.job.base_branch if pr.base_ref != self.job.base_branch else None
        self.forge.update_pull_request(self.repo.slug, pr.number, title=state.title, body=state.body, base=base)
        return pr.html_url

    def _foreign(self, decision: Decision) -> str:
        pr, state = decision.pull_request, decision.state
        assert pr is not None and state.remote_head is not None
        bodies = [c.body for c in self.forge.list_comments(self.repo.slug, pr.number)]
        if not has_comment(bodies, FOREIGN_COMMITS):
            self.forge.comment(self.repo.slug, pr.number, foreign_commits_comment(state.branch, state.remote_head))
        return pr.html_url

    def _close(self, decision: Decision) -> str:
        pr, state = decision.pull_request, decision.state
        assert pr is not None
        bodies = [c.body for c in self.forge.list_comments(self.repo.slug, pr.number)]
        if not has_comment(bodies, OBSOLETE):
            comment = obsolete_comment(state.recipe_id, self.job.base_branch, self.base_sha)
            self.forge.comment(self.repo.slug, pr.number, comment)
        old = find_marker(pr.body)
        body = with_marker(pr.body, replace(old, closed_by_bot=True)) if old else None
        self.forge.update_pull_request(self.repo.slug, pr.number, state="closed", body=body)
        self._delete_if_still(state)
        return pr.html_url

    def _delete_stale(self, decision: Decision) -> str:
        self._delete_if_still(decision.state)
        return ""

    def _delete_if_still(self, state: RecipeState) -> None:
        """Delete the remote branch only if it still points at the bot's commit."""
        if state.remote_head is None or not state.remote_head_is_bot:
            return
        if self.forge.branch_sha(self.repo.slug, state.branch) == state.remote_head:
            self.forge.delete_branch(self.repo.slug, state.branch)


@dataclass
class _Looked:
    repo: Repository
    pulls: list[PullRequest]
    job: RepoJob


def run_bot(
    targets: Sequence[str],
    recipes: Sequence[Any],
    forge: Forge,
    options: BotOptions,
    *,
    workspace: Path,
    forge_host: str,
    executor: Executor,
    recipe_refs: Sequence[str] | None = None,
    produce: ChangeProducer = run_recipe_at,
    echo: Callable[[str], None] = print,
    lock_wait: float = DEFAULT_WAIT,
    clock: Clock | None = None,
) -> BotReport:
    """Reconcile every selected recipe's PR on every target repository.

    The run holds the workspace's lock throughout (see :mod:`codemod.bot.lock`);
    it waits at most ``lock_wait`` seconds for another run to finish.
    """
    with workspace_lock(workspace, wait=lock_wait, echo=echo, clock=clock):
        return _run_locked(
            targets, recipes, forge, options, workspace, forge_host, executor, recipe_refs, produce, echo
        )


def _run_locked(
    targets: Sequence[str],
    recipes: Sequence[Any],
    forge: Forge,
    options: BotOptions,
    workspace: Path,
    forge_host: str,
    executor: Executor,
    recipe_refs: Sequence[str] | None,
    produce: ChangeProducer,
    echo: Callable[[str], None],
) -> BotReport:
    report = BotReport()
    refs = tuple(recipe_refs) if recipe_refs is not None else tuple(r.id for r in recipes)
    looked: list[_Looked] = []
    for target in targets:
        item = _look(target, forge, options, workspace, forge_host, refs, report)
        if item is not None and all(item.repo.slug.key != seen.repo.slug.key for seen in looked):
            looked.append(item)  # a repository listed twice is processed once
    futures: list[Future[RepoPrep]] = [
        executor.submit(prepare_repository, item.job, list(recipes), produce) for item in looked
    ]
    caps = Caps(options.max_open, options.max_new)
    for item, future in zip(looked, futures):
        slug = str(item.repo.slug)
        try:
            prep = future.result()
        except Exception as error:  # a crashed worker takes only its repository down
            prep = RepoPrep(error=describe_error(error))
        if prep.error:
            report.lines.append(ReportLine(slug, "", "failed", prep.error, failed=True))
            continue
        _reconcile(item, prep, forge, options, caps, report, echo)
    return report


def _look(
    target: str,
    forge: Forge,
    options: BotOptions,
    workspace: Path,
    forge_host: str,
    refs: tuple[str, ...],
    report: BotReport,
) -> _Looked | None:
    try:
        named = resolve_target(target)
        repo = forge.get_repository(named)
        slug = repo.slug  # the forge's own spelling from here on (case, a rename)
        pulls = forge.list_open_pull_requests(slug)
    except Exception as error:  # reported; the run goes on with the next repository
        report.lines.append(ReportLine(target, "", "failed", describe_error(error), failed=True))
        return None
    if named.key != slug.key:
        detail = f"{named} is now {slug}; the bot used the new name (update the repository list)"
        report.lines.append(ReportLine(str(slug), "", "renamed", detail))
    env = forge.git_auth_env(repo.clone_url)
    job = RepoJob(
        slug,
        cache_path(workspace, forge_host, slug),
        repo.clone_url,
        options.base or repo.default_branch,
        options.branch_prefix,
        env,
        options.author,
        refs,
        options.verify,
    )
    return _Looked(repo, pulls, job)


def _reconcile(
    item: _Looked,
    prep: RepoPrep,
    forge: Forge,
    options: BotOptions,
    caps: Caps,
    report: BotReport,
    echo: Callable[[str], None],
) -> None:
    key = item.repo.slug.key
    bot_pulls = {
        pr.head_ref: pr
        for pr in item.pulls
        if pr.head_ref.startswith(options.branch_prefix) and pr.head_repo.lower() == key
    }
    open_bot_prs = sum(1 for pr in bot_pulls.values() if _is_marked(pr))
    decisions = []
    for state in prep.states:
        pr = bot_pulls.get(state.branch)
        declined = None
        if pr is None:
            try:
                declined = _declined(forge, item.repo.slug, state)
            except Exception as error:  # reported as this recipe's failure
                state = replace(state, error=describe_error(error))
        decisions.append(decide(state, pr, item.job.base_branch, declined))
    reconciler = Reconciler(forge, item.repo, item.job, prep.base_sha, options, echo)
    for decision in caps.admit(decisions, open_bot_prs):
        report.lines.append(reconciler.carry_out(decision))


def _declined(forge: Forge, slug: RepoSlug, state: RecipeState) -> PullRequest | None:
    """A PR for this recipe version that a person closed without merging, if any."""
    if state.marker is None or (state.remote_head is not None and not state.remote_head_is_bot):
        return None
    for pr in forge.pull_requests_for_branch(slug, state.branch, "closed"):
        marker = find_marker(pr.body)
        if (
            not pr.merged
            and marker is not None
            and marker.recipe == state.recipe_id
            and marker.recipe_hash == state.marker.recipe_hash
            and not marker.closed_by_bot
        ):
            return pr
    return None


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _is_marked(pr: PullRequest) -> bool:
    return find_marker(pr.body) is not None


def default_workspace() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gocodemod" / "bot"
