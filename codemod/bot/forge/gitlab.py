"""GitLab REST v4 client (httpx) and the :class:`~codemod.bot.forge.base.Forge` it implements.

:class:`GitLabClient` is a :class:`~codemod.bot.forge.base.ForgeClient` that knows
GitLab's ways: the token goes in the ``PRIVATE-TOKEN`` header; a 429 is
retried after ``Retry-After`` or ``RateLimit-Reset``; 401/403/404 and
validation answers (400, 409, 422, whose ``message`` may be a string, a list
or an object of field errors) become one-line
:class:`~codemod.bot.forge.base.ForgeError` messages naming the project. Retries,
back-off, write spacing, dry run and pagination are the shared client's.

:class:`GitLabForge` maps the bot's pull requests onto merge requests:
projects are addressed by their URL-encoded path (nested groups included),
a PR number is the MR's ``iid``, comments are notes, labels and reviewers go
with the create call (reviewers by user id, looked up by username), closing
is ``state_event: close``, and a draft is an MR whose title starts with
``Draft:`` (kept on title updates). ``api_url`` points it at a self-hosted
instance (``https://HOST/api/v4``) or at a test double.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx

from codemod.bot.forge.base import (
    Backoff,
    Comment,
    ForgeAuthError,
    ForgeError,
    ForgeNotFoundError,
    ForgeValidationError,
    PullRequest,
    PullRequestSpec,
    Repository,
    RepoSlug,
    git_basic_auth_env,
    posted,
    slug_from_url,
)
from codemod.bot.forge.client import Clock, ForgeClient, parse_retry_after

DEFAULT_API_URL = "https://gitlab.com/api/v4"
DEFAULT_RATE_LIMIT_WAIT = 60.0
DRAFT_PREFIX = "Draft: "
_DRAFT_TITLE = re.compile(r"^\s*(\[draft\]|\(draft\)|draft:)\s*", re.IGNORECASE)


class GitLabClient(ForgeClient):
    """HTTP access to the GitLab REST API v4 with retries, rate limits and dry run."""

    service = "GitLab"

    def __init__(
        self,
        token: str | None,
        *,
        api_url: str = DEFAULT_API_URL,
        transport: httpx.BaseTransport | None = None,
        clock: Clock | None = None,
        backoff: Backoff = Backoff(),
        dry_run: bool = False,
        echo: Callable[[str], None] = print,
        timeout: float = 30.0,
    ):
        headers = {"Accept": "application/json", "User-Agent": "gocodemod-bot"}
        if token:
            headers["PRIVATE-TOKEN"] = token
        super().__init__(
            token,
            api_url=api_url,
            headers=headers,
            transport=transport,
            clock=clock,
            backoff=backoff,
            dry_run=dry_run,
            echo=echo,
            timeout=timeout,
        )

    def rate_limit_wait(self, response: httpx.Response, attempt: int) -> float | None:
        """GitLab answers 429 with ``Retry-After`` (seconds) and ``RateLimit-Reset`` (epoch)."""
        headers = response.headers
        retry_after = headers.get("Retry-After")
        if retry_after:
            return max(0.0, parse_retry_after(retry_after, self.clock.time(), DEFAULT_RATE_LIMIT_WAIT))
        reset = headers.get("RateLimit-Reset")
        if reset and reset.isdigit():
            return max(1.0, float(reset) - self.clock.time() + 1.0)
        return max(DEFAULT_RATE_LIMIT_WAIT, self.backoff.delay(attempt))

    def error_for(self, response: httpx.Response, repo: RepoSlug, method: str, url: str) -> ForgeError:
        status = response.status_code
        details = _messages(response)
        message = "; ".join(details) or response.reason_phrase
        if status == 401:
            return ForgeAuthError(
                f"{repo}: GitLab rejected the credentials (HTTP 401: {message}); check GITLAB_TOKEN",
                status=status,
            )
        if status == 403:
            return ForgeAuthError(
                f"{repo}: GitLab refused {method} {url} (HTTP 403: {message}); "
                "the token needs the 'api' scope and at least Developer access to the project",
                status=status,
            )
        if status == 404:
            return ForgeNotFoundError(
                f"{repo}: not found on {self.api_url} (HTTP 404 for {method} {url}: {message}); "
                "check the project path and that the token can see it",
                status=status,
            )
        if status in (400, 409, 422):
            return ForgeValidationError(f"{repo}: {message}", status=status, details=details)
        return ForgeError(f"{repo}: HTTP {status} for {method} {url}: {message}", status=status)


def _messages(response: httpx.Response) -> tuple[str, ...]:
    """GitLab's error texts: ``message`` (a string, a list, or field -> list) or ``error``."""
    try:
        data = response.json()
    except ValueError:
        text = response.text.strip()[:200]
        return (text,) if text else ()
    if not isinstance(data, dict):
        return ()
    message = data.get("message", data.get("error", ""))
    if isinstance(message, dict):
        return tuple(
            f"{field} {' '.join(map(str, errors)) if isinstance(errors, list) else errors}"
            for field, errors in message.items()
        )
    if isinstance(message, list):
        return tuple(map(str, message))
    return (str(message),) if message else ()


def _project_path(slug: RepoSlug) -> str:
    return f"/projects/{quote(str(slug), safe='')}"


def _merge_requests_path(slug: RepoSlug, iid: int | None = None) -> str:
    base = f"{_project_path(slug)}/merge_requests"
    return base if iid is None else f"{base}/{iid}"


def _branch_path(slug: RepoSlug, branch: str) -> str:
    return f"{_project_path(slug)}/repository/branches/{quote(branch, safe='')}"


def _without_draft_prefix(title: str) -> str:
    return _DRAFT_TITLE.sub("", title, count=1)


def _merge_request(data: dict[str, Any], slug: RepoSlug) -> PullRequest:
    state = str(data["state"])  # opened, closed, locked or merged
    draft = bool(data.get("draft", False))
    title = data.get("title") or ""
    source_project = data.get("source_project_id")
    same_project = source_project == data.get("target_project_id")
    return PullRequest(
        number=int(data["iid"]),
        state="closed" if state in ("closed", "merged") else "open",
        title=_without_draft_prefix(title) if draft else title,
        body=data.get("description") or "",
        head_ref=data.get("source_branch", ""),
        head_sha=data.get("sha") or "",
        head_repo=str(slug) if same_project else f"project {source_project}",
        base_ref=data.get("target_branch", ""),
        draft=draft,
        labels=tuple(data.get("labels") or ()),
        html_url=data.get("web_url", ""),
        merged=state == "merged",
    )


class GitLabForge:
    """The bot's forge operations on GitLab (gitlab.com or self-hosted): PRs are merge requests."""

    def __init__(self, client: GitLabClient):
        self.client = client
        self._user_ids: dict[str, int] = {}
        # what a create call already carried, so the bot's follow-up label and
        # reviewer calls do not repeat it: (project, iid) -> spec
        self._created: dict[tuple[str, int], PullRequestSpec] = {}

    def get_repository(self, slug: RepoSlug) -> Repository:
        data = self.client.get(_project_path(slug), slug)
        if not data.get("default_branch"):
            raise ForgeError(f"{slug}: the project has no default branch (is the repository empty?)")
        return Repository(  # GitLab answers an old path of a moved project with the project itself
            slug=slug_from_url(str(data.get("path_with_namespace") or "")) or slug,
            default_branch=data["default_branch"],
            clone_url=data["http_url_to_repo"],
            html_url=data.get("web_url", ""),
        )

    def list_open_pull_requests(self, slug: RepoSlug) -> list[PullRequest]:
        items = self.client.get_all(_merge_requests_path(slug), slug, {"state": "opened"})
        return [_merge_request(item, slug) for item in items]

    def pull_requests_for_branch(self, slug: RepoSlug, branch: str, state: str) -> list[PullRequest]:
        """MRs from ``branch`` of this project; ``closed`` includes merged ones, as on GitHub."""
        gitlab_state = {"open": "opened", "closed": "all", "all": "all"}[state]
        items = self.client.get_all(_merge_requests_path(slug), slug, {"state": gitlab_state, "source_branch": branch})
        found = [_merge_request(item, slug) for item in items]
        return [
            pr
            for pr in found
            if pr.head_repo == str(slug) and pr.head_ref == branch and (state == "all" or pr.state == state)
        ]

    def create_pull_request(self, slug: RepoSlug, spec: PullRequestSpec) -> PullRequest:
        payload: dict[str, Any] = {
            "source_branch": spec.head,
            "target_branch": spec.base,
            "title": f"{DRAFT_PREFIX}{spec.title}" if spec.draft else spec.title,
            "description": spec.body,
            "remove_source_branch": True,
        }
        if spec.labels:
            payload["labels"] = ",".join(spec.labels)
        if spec.reviewers:
            payload["reviewer_ids"] = self._ids_of(slug, spec.reviewers)
        try:
            data = self.client.write("POST", _merge_requests_path(slug), slug, payload)
        except ForgeValidationError as exc:
            existing = self.pull_requests_for_branch(slug, spec.head, "open") if "already exists" in str(exc) else []
            if not existing:
                raise
            return existing[0]  # an earlier attempt got through before its answer was lost
        if data is None:  # dry run
            pr = PullRequest(0, "open", spec.title, spec.body, spec.head, "", str(slug), spec.base, spec.draft)
        else:
            pr = _merge_request(data, slug)
        self._created[(str(slug), pr.number)] = spec
        return pr

    def update_pull_request(
        self,
        slug: RepoSlug,
        number: int,
        *,
        title: str | None = None,
        body: str | None = None,
        base: str | None = None,
        state: str | None = None,
    ) -> None:
        payload: dict[str, Any] = {}
        if title is not None:
            current = self.client.get(_merge_requests_path(slug, number), slug)
            payload["title"] = f"{DRAFT_PREFIX}{title}" if current.get("draft") else title
        if body is not None:
            payload["description"] = body
        if base is not None:
            payload["target_branch"] = base
        if state is not None:
            payload["state_event"] = {"closed": "close", "open": "reopen"}[state]
        if payload:
            self.client.write("PUT", _merge_requests_path(slug, number), slug, payload)

    def add_labels(self, slug: RepoSlug, number: int, labels: tuple[str, ...]) -> None:
        given = self._created.get((str(slug), number))
        missing = [label for label in labels if given is None or label not in given.labels]
        if missing:
            self.client.write("PUT", _merge_requests_path(slug, number), slug, {"add_labels": ",".join(missing)})

    def request_reviewers(self, slug: RepoSlug, number: int, reviewers: tuple[str, ...]) -> None:
        given = self._created.get((str(slug), number))
        missing = tuple(name for name in reviewers if given is None or name not in given.reviewers)
        if not missing:
            return
        current = self.client.get(_merge_requests_path(slug, number), slug)
        ids = [user["id"] for user in current.get("reviewers") or []]
        wanted = ids + [ident for ident in self._ids_of(slug, missing) if ident not in ids]
        if wanted != ids:  # reviewer_ids replaces the list, so send the whole of it
            self.client.write("PUT", _merge_requests_path(slug, number), slug, {"reviewer_ids": wanted})

    def list_comments(self, slug: RepoSlug, number: int) -> list[Comment]:
        items = self.client.get_all(f"{_merge_requests_path(slug, number)}/notes", slug)
        return [Comment(id=int(item["id"]), body=item.get("body") or "") for item in items if not item.get("system")]

    def comment(self, slug: RepoSlug, number: int, body: str) -> None:
        path = f"{_merge_requests_path(slug, number)}/notes"
        # not idempotent: after a lost answer, the comment is looked for before posting again
        self.client.write(
            "POST", path, slug, {"body": body}, took_effect=lambda: posted(self.list_comments(slug, number), body)
        )

    def branch_sha(self, slug: RepoSlug, branch: str) -> str | None:
        try:
            data = self.client.get(_branch_path(slug, branch), slug)
        except ForgeNotFoundError:
            return None
        return data["commit"]["id"]

    def delete_branch(self, slug: RepoSlug, branch: str) -> None:
        try:
            self.client.write("DELETE", _branch_path(slug, branch), slug)
        except ForgeNotFoundError:
            pass  # already gone

    def git_auth_env(self, clone_url: str) -> dict[str, str]:
        """The token for git over https, as GitLab takes it (user ``oauth2``; see :func:`git_basic_auth_env`)."""
        return git_basic_auth_env(clone_url, "oauth2", self.client.token)

    def _ids_of(self, slug: RepoSlug, usernames: tuple[str, ...]) -> list[int]:
        """User ids for usernames (``GET /users?username=``), looked up once per run."""
        for name in usernames:
            if name not in self._user_ids:
                found = self.client.get("/users", slug, {"username": name})
                if not found:
                    raise ForgeValidationError(f"{slug}: no GitLab user {name!r} to request a review from")
                self._user_ids[name] = int(found[0]["id"])
        return [self._user_ids[name] for name in usernames]
