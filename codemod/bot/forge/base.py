"""The small forge interface the bot talks to, and the values that cross it.

A *forge* hosts repositories and their pull requests (GitHub; GitLab merge
requests would be a second implementation). The bot only needs a handful of
operations, listed in :class:`Forge`; everything it gets back is one of the
frozen dataclasses below, so the reconcile logic never sees HTTP or JSON.

Retrying and rate limiting belong to the forge client
(:mod:`codemod.bot.forge.client`); the errors it raises are defined here.
Repository names compare the way both forges compare them, ignoring case
(:attr:`RepoSlug.key`), and :meth:`Forge.get_repository` answers with the
canonical name, which the bot uses for everything after that first lookup.
"""

from __future__ import annotations

import base64
import os
import re
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from codemod.errors import EXIT_FAILED, GocodemodError


class ForgeError(GocodemodError):
    """A forge call failed; the message names the repository."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str, *, status: int | None = None):
        self.status = status
        super().__init__(message)


class ForgeAuthError(ForgeError):
    """The forge rejected the credentials (HTTP 401) or they are missing."""


class ForgeNotFoundError(ForgeError):
    """The repository, pull request or ref does not exist (or is invisible to the token)."""


class ForgeValidationError(ForgeError):
    """The forge refused the request as invalid (GitHub: HTTP 422)."""

    def __init__(self, message: str, *, status: int | None = None, details: tuple[str, ...] = ()):
        self.details = details
        super().__init__(message, status=status)


class ForgeRateLimitError(ForgeError):
    """Still rate limited after waiting as long as the client is allowed to."""


@dataclass(frozen=True)
class RepoSlug:
    """``owner/name`` of a repository on a forge (GitLab: ``owner`` may be ``group/subgroup``)."""

    owner: str
    name: str

    def __str__(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def key(self) -> str:
        """The name as GitHub and GitLab compare it: ``Acme/App`` and ``acme/app`` are one repository."""
        return str(self).lower()


_SCP_LIKE = re.compile(r"^[\w.-]+@[\w.-]+:(?P<path>.+)$")
_URL_LIKE = re.compile(r"^[a-z][a-z0-9+.-]*://[^/]+/(?P<path>.+)$")
_SHORTHAND = re.compile(r"^(?P<path>[\w.-]+(/[\w.-]+)+)$")


def slug_from_url(url: str) -> RepoSlug | None:
    """``owner/name`` from a clone URL, an scp-like ssh address or ``owner/name``.

    Everything before the last path segment is the owner, so GitLab's nested
    groups (``group/subgroup/name``) keep their whole namespace.
    Returns None when ``url`` is none of these (for example a local path).
    """
    for form in (_URL_LIKE, _SCP_LIKE, _SHORTHAND):
        found = form.match(url.strip())
        if found:
            parts = [p for p in found.group("path").split("/") if p]
            if len(parts) < 2:
                return None
            owner, name = "/".join(parts[:-1]), parts[-1]
            name = name[:-4] if name.endswith(".git") else name
            return RepoSlug(owner, name) if owner and name else None
    return None


@dataclass(frozen=True)
class Repository:
    """What the bot needs to know about a hosted repository."""

    slug: RepoSlug
    default_branch: str
    clone_url: str
    html_url: str = ""


@dataclass(frozen=True)
class PullRequest:
    """An open (or just closed) pull request as the bot sees it."""

    number: int
    state: str  # "open" or "closed"
    title: str
    body: str
    head_ref: str  # branch name, without refs/heads/
    head_sha: str
    head_repo: str  # "owner/name" the head branch lives in ("" if deleted)
    base_ref: str
    draft: bool = False
    labels: tuple[str, ...] = ()
    html_url: str = ""
    merged: bool = False


@dataclass(frozen=True)
class PullRequestSpec:
    """Everything needed to open a pull request."""

    title: str
    body: str
    head: str
    base: str
    draft: bool = False
    labels: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Comment:
    """A comment on a pull request's conversation."""

    id: int
    body: str


def posted(comments: list[Comment], body: str) -> bool:
    """Whether ``body`` is among ``comments`` (the check after a comment's answer was lost).

    The bot's comment bodies carry a hidden marker of their kind and are
    only posted when no comment has it, so an equal body is the bot's post.
    """
    wanted = _normalised(body)
    return any(_normalised(comment.body) == wanted for comment in comments)


def _normalised(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


class Forge(Protocol):
    """The operations the bot uses. Write methods must honour the client's dry-run mode:
    in dry run they describe the request (method, URL, payload) and send nothing."""

    def get_repository(self, slug: RepoSlug) -> Repository:
        """The repository under its canonical name (the forge's spelling, after a rename)."""
        ...

    def list_open_pull_requests(self, slug: RepoSlug) -> list[PullRequest]: ...

    def pull_requests_for_branch(self, slug: RepoSlug, branch: str, state: str) -> list[PullRequest]:
        """PRs whose head is ``branch`` of this repository; ``state``: open, closed or all."""
        ...

    def create_pull_request(self, slug: RepoSlug, spec: PullRequestSpec) -> PullRequest: ...

    def update_pull_request(
        self,
        slug: RepoSlug,
        number: int,
        *,
        title: str | None = None,
        body: str | None = None,
        base: str | None = None,
        state: str | None = None,
    ) -> None: ...

    def add_labels(self, slug: RepoSlug, number: int, labels: tuple[str, ...]) -> None: ...

    def request_reviewers(self, slug: RepoSlug, number: int, reviewers: tuple[str, ...]) -> None: ...

    def list_comments(self, slug: RepoSlug, number: int) -> list[Comment]: ...

    def comment(self, slug: RepoSlug, number: int, body: str) -> None:
        """Post ``body`` once: after a lost answer, repeated only if no comment has that body."""
        ...

    def branch_sha(self, slug: RepoSlug, branch: str) -> str | None: ...

    def delete_branch(self, slug: RepoSlug, branch: str) -> None: ...

    def git_auth_env(self, clone_url: str) -> dict[str, str]:
        """Environment for ``git fetch``/``git push`` to ``clone_url`` (credentials), or {}."""
        ...


@dataclass(frozen=True)
class Backoff:
    """Capped exponential back-off for server errors and dropped connections.

    Attempt ``n`` (0-based) waits ``min(cap, base * factor**n)`` seconds;
    after ``attempts`` tries the error is raised. ``max_rate_limit_wait`` caps
    how long a single rate-limit pause may be before the client gives up, and
    ``min_write_interval`` spaces write calls (GitHub asks for one second).
    """

    attempts: int = 5
    base: float = 1.0
    factor: float = 2.0
    cap: float = 30.0
    max_rate_limit_wait: float = 900.0
    min_write_interval: float = 1.0

    def delay(self, attempt: int) -> float:
        return min(self.cap, self.base * self.factor**attempt)


def git_basic_auth_env(clone_url: str, user: str, token: str | None) -> dict[str, str]:
    """Send ``token`` to git as an HTTP Basic header scoped to the clone URL's host.

    It travels in ``GIT_CONFIG_*`` environment variables of the git process
    only: never written to a config file, never on a command line. Nothing
    for non-https URLs or without a token.
    """
    parts = urlsplit(clone_url)
    if not token or parts.scheme != "https":
        return {}
    credentials = base64.b64encode(f"{user}:{token}".encode()).decode()
    index = int(os.environ.get("GIT_CONFIG_COUNT", "0") or 0)
    return {
        "GIT_CONFIG_COUNT": str(index + 1),
        f"GIT_CONFIG_KEY_{index}": f"http.https://{parts.netloc}/.extraheader",
        f"GIT_CONFIG_VALUE_{index}": f"Authorization: Basic {credentials}",
    }
