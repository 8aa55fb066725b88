"""The reconcile decision: what should happen to one recipe's branch and PR.

Pure logic, no I/O. The inputs are what a repository's worker found (the
commit the recipe produces on the current base, the remote branch head and
whether it is still the bot's own commit) and what the forge says (the open
PR for the branch, if any). :func:`decide` returns one :class:`Decision`;
:meth:`Caps.admit` then holds back new PRs past the open-PR and per-run caps.

    no PR, changes              -> CREATE (push branch, open PR)
    PR, same base/recipe/diff   -> UP_TO_DATE (no write call at all)
    PR, base/recipe/diff moved  -> REBUILD (push with lease, update title/body)
    branch has others' commits  -> FOREIGN (leave it, comment once)
    PR, no changes any more     -> CLOSE (comment, close, delete branch)
    a person closed the PR      -> DECLINED (not reopened until the recipe changes)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from codemod.bot.forge.base import PullRequest
from codemod.bot.texts import Marker, find_marker


class Action(str, Enum):
    CREATE = "create"
    REBUILD = "rebuild"
    UP_TO_DATE = "up-to-date"
    FOREIGN = "foreign"
    CLOSE = "close"
    DELETE_STALE = "delete-stale"
    NO_CHANGES = "no-changes"
    BLOCKED = "blocked"
    DECLINED = "declined"
    CAPPED = "capped"
    FAILED = "failed"


@dataclass(frozen=True)
class RecipeState:
    """What a worker found for one recipe on one repository (pickleable)."""

    recipe_id: str
    branch: str
    title: str = ""
    body: str = ""
    commit: str | None = None  # the commit the branch should point at; None: no changes
    marker: Marker | None = None  # the marker describing ``commit``
    files: int = 0
    edits: int = 0
    remote_head: str | None = None
    remote_head_is_bot: bool = False
    error: str = ""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    action: Action
    state: RecipeState
    pull_request: PullRequest | None = None
    reasons: tuple[str, ...] = field(default=())

    @property
    def needs_push(self) -> bool:
        return (
            self.action in (Action.CREATE, Action.REBUILD)
            and self.state.commit is not None
            and self.state.commit != self.state.remote_head
        )


def _what_moved(old: Marker, new: Marker) -> tuple[str, ...]:
    reasons = []
    if old.base != new.base:
        reasons.append(f"base moved {old.base[:12]} -> {new.base[:12]}")
    if old.recipe_hash != new.recipe_hash:
        reasons.append("recipe changed")
    if old.diff_hash != new.diff_hash and not reasons:
        reasons.append("the change differs")
    return tuple(reasons)


def decide(
    state: RecipeState, pr: PullRequest | None, base_branch: str, declined: PullRequest | None = None
) -> Decision:
    """The one thing to do for this recipe, before caps.

    ``pr`` is the open PR of the recipe's branch; ``declined`` a PR for the
    same recipe version that a person closed without merging.
    """
    if state.error:
        return Decision(Action.FAILED, state, pr, (state.error,))
    foreign = state.remote_head is not None and not state.remote_head_is_bot
    if pr is None:
        if state.commit is None:
            if state.remote_head is not None and not foreign:
                return Decision(Action.DELETE_STALE, state, None, ("left-over bot branch without a PR",))
            return Decision(Action.NO_CHANGES, state)
        if foreign:
            return Decision(Action.BLOCKED, state, None, ("the branch has commits the bot did not make",))
        if declined is not None:
            return Decision(
                Action.DECLINED,
                state,
                declined,
                (f"#{declined.number} was closed without merging; not reopened until the recipe changes",),
            )
        return Decision(Action.CREATE, state)
    old = find_marker(pr.body)
    if old is None or old.recipe != state.recipe_id:
        return Decision(Action.BLOCKED, state, pr, ("the PR has no gocodemod marker for this recipe",))
    if foreign:
        return Decision(Action.FOREIGN, state, pr, (f"someone else pushed {(state.remote_head or '')[:12]}",))
    if state.commit is None:
        return Decision(Action.CLOSE, state, pr, ("the recipe no longer changes anything",))
    assert state.marker is not None
    reasons = _what_moved(old, state.marker)
    if state.remote_head is None:
        reasons += ("the branch was deleted",)
    if pr.base_ref != base_branch:
        reasons += (f"base branch is now {base_branch}",)
    if not reasons:
        return Decision(Action.UP_TO_DATE, state, pr)
    return Decision(Action.REBUILD, state, pr, reasons)


@dataclass
class Caps:
    """Limits on bot PRs: open per repository and new per run (None: unlimited)."""

    max_open: int
    max_new: int | None
    opened_this_run: int = 0

    def admit(self, decisions: list[Decision], open_bot_prs: int) -> list[Decision]:
        """Turn CREATEs past a cap into CAPPED; counts CLOSEs as freeing a slot."""
        open_count = open_bot_prs - sum(1 for d in decisions if d.action is Action.CLOSE)
        admitted = []
        for decision in decisions:
            if decision.action is Action.CREATE:
                if open_count >= self.max_open:
                    decision = Decision(
                        Action.CAPPED,
                        decision.state,
                        None,
                        (f"{open_count} open gocodemod PRs reached --max-open {self.max_open}",),
                    )
                elif self.max_new is not None and self.opened_this_run >= self.max_new:
                    decision = Decision(
                        Action.CAPPED,
                        decision.state,
                        None,
                        (f"{self.opened_this_run} new PRs this run reached --max-new {self.max_new}",),
                    )
                else:
                    open_count += 1
                    self.opened_this_run += 1
            admitted.append(decision)
        return admitted
