"""GitHub REST client (httpx) and the :class:`~codemod.bot.forge.base.Forge` it implements.

:class:`GitHubClient` is the HTTP layer (a :class:`~codemod.bot.forge.base.ForgeClient`
that knows GitHub's headers, rate limits and errors): bearer token, JSON,
pagination, and the fault handling the bot relies on. On 403/429 it waits as long as
``Retry-After`` or ``X-RateLimit-Reset`` says; it retries 5xx answers and
dropped connections with capped exponential back-off; it spaces write calls
(GitHub asks integrators not to fire content-creating requests concurrently);
and it turns 401/404/422 into :class:`~codemod.bot.forge.base.ForgeError` subclasses
whose one-line message names the repository. All waiting goes through an
injectable :class:`~codemod.bot.forge.base.Clock`. In dry-run mode a write request is
described (method, URL, JSON payload) and never sent.

:class:`GitHubForge` maps the bot's operations onto endpoints and JSON onto
the forge dataclasses. ``api_url`` points it at GitHub Enterprise
(``https://HOST/api/v3``) or at a test double.
"""

from __future__ import annotations

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

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
SECONDARY_RATE_LIMIT_WAIT = 60.0


class GitHubClient(ForgeClient):
    """HTTP access to the GitHub REST API with retries, rate limits and dry run."""

    service = "GitHub"
    rate_limit_statuses = (403, 429)

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
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": "gocodemod-bot",
        }
        if token:
            headers["Authorization"] = f"Bearer {token}"
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
        """Seconds to wait before retrying, or None when a 403 is not a rate limit."""
        headers = response.headers
        retry_after = headers.get("Retry-After")
        if retry_after:
            return max(0.0, parse_retry_after(retry_after, self.clock.time(), SECONDARY_RATE_LIMIT_WAIT))
        if headers.get("X-RateLimit-Remaining") == "0" and headers.get("X-RateLimit-Reset"):
            try:
                reset = float(headers["X-RateLimit-Reset"])
            except ValueError:
                return SECONDARY_RATE_LIMIT_WAIT
            return max(1.0, reset - self.clock.time() + 1.0)
        if response.status_code == 429 or "rate limit" in _message(response).lower():
            return max(SECONDARY_RATE_LIMIT_WAIT, self.backoff.delay(attempt))
        return None

    def error_for(self, response: httpx.Response, repo: RepoSlug, method: str, url: str) -> ForgeError:
        return _error_for(response, repo, method, url, self.api_url)


def _message(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text.strip()[:200]
    return str(data.get("message", "")) if isinstance(data, dict) else ""


def _error_details(response: httpx.Response) -> tuple[str, ...]:
    try:
        errors = response.json().get("errors", [])
    except (ValueError, AttributeError):
        return ()
    details = []
    for item in errors if isinstance(errors, list) else []:
        if isinstance(item, dict):
            details.append(
                item.get("message") or " ".join(str(item.get(k, "")) for k in ("resource", "field", "code")).strip()
            )
        else:
            details.append(str(item))
    return tuple(details)


def _error_for(response: httpx.Response, repo: RepoSlug, method: str, url: str, api_url: str) -> ForgeError:
    status = response.status_code
    message = _message(response) or response.reason_phrase
    if status == 401:
        return ForgeAuthError(
            f"{repo}: GitHub rejected the credentials (HTTP 401: {message}); check GITHUB_TOKEN",
            status=status,
        )
    if status == 404:
        return ForgeNotFoundError(
            f"{repo}: not found on {api_url} (HTTP 404 for {method} {url}); "
            "check the repository name and that the token can see it",
            status=status,
        )
    if status == 422:
        details = _error_details(response)
        suffix = f": {'; '.join(details)}" if details else ""
        return ForgeValidationError(f"{repo}: {message}{suffix}", status=status, details=details)
    return ForgeError(f"{repo}: HTTP {status} for {method} {url}: {message}", status=status)


def _repo_path(slug: RepoSlug) -> str:
    return f"/repos/{quote(slug.owner, safe='')}/{quote(slug.name, safe='')}"


def _pull_request(data: dict[str, Any]) -> PullRequest:
    head = data.get("head") or {}
    head_repo = head.get("repo") or {}
    return PullRequest(
        number=int(data["number"]),
        state=str(data["state"]),
        title=data.get("title") or "",
        body=data.get("body") or "",
        head_ref=head.get("ref", ""),
        head_sha=head.get("sha", ""),
        head_repo=head_repo.get("full_name", ""),
        base_ref=(data.get("base") or {}).get("ref", ""),
        draft=bool(data.get("draft", False)),
        labels=tuple(label["name"] for label in data.get("labels", [])),
        html_url=data.get("html_url", ""),
        merged=data.get("merged_at") is not None,
    )


class GitHubForge:
    """The bot's forge operations on GitHub (github.com or GitHub Enterprise)."""

    name = "github"

    def __init__(self, client: GitHubClient):
        self.client = client

    def get_repository(self, slug: RepoSlug) -> Repository:
        data = self.client.get(_repo_path(slug), slug)  # a renamed repository's 301 is followed
        return Repository(
            slug=slug_from_url(str(data.get("full_name") or "")) or slug,
            default_branch=data["default_branch"],
            clone_url=data["clone_url"],
            html_url=data.get("html_url", ""),
        )

    def list_open_pull_requests(self, slug: RepoSlug) -> list[PullRequest]:
        items = self.client.get_all(f"{_repo_path(slug)}/pulls", slug, {"state": "open"})
        return [_pull_request(item) for item in items]

    def create_pull_request(self, slug: RepoSlug, spec: PullRequestSpec) -> PullRequest:
        payload = {"title": spec.title, "body": spec.body, "head": spec.head, "base": spec.base, "draft": spec.draft}
        try:
            data = self.client.write("POST", f"{_repo_path(slug)}/pulls", slug, payload)
        except ForgeValidationError as exc:
            existing = self.pull_requests_for_branch(slug, spec.head, "open") if "already exists" in str(exc) else []
            if not existing:
                raise
            return existing[0]  # an earlier attempt got through before its answer was lost
        if data is None:  # dry run
            return PullRequest(0, "open", spec.title, spec.body, spec.head, "", str(slug), spec.base, spec.draft)
        return _pull_request(data)

    def pull_requests_for_branch(self, slug: RepoSlug, branch: str, state: str) -> list[PullRequest]:
        params = {"state": state, "head": f"{slug.owner}:{branch}"}
        return [_pull_request(item) for item in self.client.get_all(f"{_repo_path(slug)}/pulls", slug, params)]

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
        fields = {"title": title, "body": body, "base": base, "state": state}
        payload = {key: value for key, value in fields.items() if value is not None}
        if payload:
            self.client.write("PATCH", f"{_repo_path(slug)}/pulls/{number}", slug, payload)

    def add_labels(self, slug: RepoSlug, number: int, labels: tuple[str, ...]) -> None:
        if labels:
            self.client.write("POST", f"{_repo_path(slug)}/issues/{number}/labels", slug, {"labels": list(labels)})

    def request_reviewers(self, slug: RepoSlug, number: int, reviewers: tuple[str, ...]) -> None:
        if reviewers:
            path = f"{_repo_path(slug)}/pulls/{number}/requested_reviewers"
            self.client.write("POST", path, slug, {"reviewers": list(reviewers)})

    def list_comments(self, slug: RepoSlug, number: int) -> list[Comment]:
        items = self.client.get_all(f"{_repo_path(slug)}/issues/{number}/comments", slug)
        return [Comment(id=int(item["id"]), body=item.get("body") or "") for item in items]

    def comment(self, slug: RepoSlug, number: int, body: str) -> None:
        path = f"{_repo_path(slug)}/issues/{number}/comments"
        # not idempotent: after a lost answer, the comment is looked for before posting again
        self.client.write(
            "POST", path, slug, {"body": body}, took_effect=lambda: posted(self.list_comments(slug, number), body)
        )

    def branch_sha(self, slug: RepoSlug, branch: str) -> str | None:
        try:
            data = self.client.get(f"{_repo_path(slug)}/git/ref/heads/{quote(branch)}", slug)
        except ForgeNotFoundError:
            return None
        return data["object"]["sha"]

    def delete_branch(self, slug: RepoSlug, branch: str) -> None:
        try:
            self.client.write("DELETE", f"{_repo_path(slug)}/git/refs/heads/{quote(branch)}", slug)
        except ForgeValidationError as exc:
            if "does not exist" not in str(exc):
                raise

    def git_auth_env(self, clone_url: str) -> dict[str, str]:
        """The token for git over https, as GitHub wants it (see :func:`git_basic_auth_env`)."""
        return git_basic_auth_env(clone_url, "x-access-token", self.client.token)
