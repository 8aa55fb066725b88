"""GitHub REST client (httpx) and the :class:`~codemod.forge.Forge` it implements.

:class:`GitHubClient` is the HTTP layer: bearer token, JSON, pagination, and
the fault handling the bot relies on. On 403/429 it waits as long as
``Retry-After`` or ``X-RateLimit-Reset`` says; it retries 5xx answers and
dropped connections with capped exponential back-off; it spaces write calls
(GitHub asks integrators not to fire content-creating requests concurrently);
and it turns 401/404/422 into :class:`~codemod.forge.ForgeError` subclasses
whose one-line message names the repository. All waiting goes through an
injectable :class:`~codemod.forge.Clock`. In dry-run mode a write request is
described (method, URL, JSON payload) and never sent.

:class:`GitHubForge` maps the bot's operations onto endpoints and JSON onto
the forge dataclasses. ``api_url`` points it at GitHub Enterprise
(``https://HOST/api/v3``) or at a test double.
"""

from __future__ import annotations

import base64
import email.utils
import json
import os
from typing import Any, Callable
from urllib.parse import quote, urlsplit

import httpx

from codemod.forge import (
    Backoff,
    Clock,
    Comment,
    ForgeAuthError,
    ForgeError,
    ForgeNotFoundError,
    ForgeRateLimitError,
    ForgeValidationError,
    PullRequest,
    PullRequestSpec,
    Repository,
    RepoSlug,
    SystemClock,
)

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
SECONDARY_RATE_LIMIT_WAIT = 60.0


class GitHubClient:
    """HTTP access to the GitHub REST API with retries, rate limits and dry run."""

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
        self.token = token
        self.api_url = api_url.rstrip("/")
        self.clock = clock or SystemClock()
        self.backoff = backoff
        self.dry_run = dry_run
        self.echo = echo
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": "gocodemod-bot",
        }
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.Client(
            base_url=self.api_url, headers=headers, transport=transport, timeout=timeout
        )
        self._last_write: float | None = None

    def close(self) -> None:
        self._http.close()

    def get(self, path: str, repo: RepoSlug, params: dict[str, Any] | None = None) -> Any:
        return self._send("GET", path, repo, params=params).json()

    def get_all(self, path: str, repo: RepoSlug, params: dict[str, Any] | None = None) -> list[Any]:
        """GET every page of a list endpoint, following ``Link: <...>; rel="next"``."""
        items: list[Any] = []
        url: str | None = path
        query: dict[str, Any] | None = {"per_page": 100, **(params or {})}
        while url:
            response = self._send("GET", url, repo, params=query)
            items.extend(response.json())
            url = response.links.get("next", {}).get("url")
            query = None  # the next link carries its own query string
        return items

    def write(self, method: str, path: str, repo: RepoSlug, payload: dict[str, Any] | None = None) -> Any:
        """POST/PATCH/DELETE; returns the decoded answer, or None in dry run or on 204."""
        if self.dry_run:
            shown = f" {json.dumps(payload, indent=2, sort_keys=True)}" if payload is not None else ""
            self.echo(f"would call {method} {self.api_url}{path}{shown}")
            return None
        self._space_writes()
        response = self._send(method, path, repo, json_body=payload)
        return response.json() if response.content else None

    def _space_writes(self) -> None:
        now = self.clock.time()
        if self._last_write is not None:
            remaining = self.backoff.min_write_interval - (now - self._last_write)
            if remaining > 0:
                self.clock.sleep(remaining)
        self._last_write = self.clock.time()

    def _send(
        self,
        method: str,
        url: str,
        repo: RepoSlug,
        *,
        params: dict[str, Any] | None = None,
        json_body: dict[str, Any] | None = None,
    ) -> httpx.Response:
        attempt = 0
        while True:
            try:
                response = self._http.request(method, url, params=params, json=json_body)
            except httpx.TransportError as exc:
                self._wait_or_give_up(attempt, f"{repo}: cannot reach {self.api_url} ({exc.__class__.__name__}: {exc})")
                attempt += 1
                continue
            status = response.status_code
            if status in (403, 429):
                wait = self._rate_limit_wait(response, attempt)
                if wait is not None:
                    self._wait_for_rate_limit(wait, attempt, repo)
                    attempt += 1
                    continue
            if status >= 500:
                self._wait_or_give_up(attempt, f"{repo}: GitHub answered HTTP {status} to {method} {url} (after {attempt + 1} attempts)")
                attempt += 1
                continue
            if status < 300:
                return response
            raise _error_for(response, repo, method, url, self.api_url)

    def _wait_or_give_up(self, attempt: int, message: str) -> None:
        if attempt + 1 >= self.backoff.attempts:
            raise ForgeError(message)
        self.clock.sleep(self.backoff.delay(attempt))

    def _wait_for_rate_limit(self, wait: float, attempt: int, repo: RepoSlug) -> None:
        if wait > self.backoff.max_rate_limit_wait or attempt + 1 >= self.backoff.attempts:
            raise ForgeRateLimitError(
                f"{repo}: GitHub rate limit; it asks to wait {wait:.0f}s, more than allowed "
                f"(waited {attempt} times already); run again later",
                status=429,
            )
        self.clock.sleep(wait)

    def _rate_limit_wait(self, response: httpx.Response, attempt: int) -> float | None:
        """Seconds to wait before retrying, or None when a 403 is not a rate limit."""
        headers = response.headers
        retry_after = headers.get("Retry-After")
        if retry_after:
            return max(0.0, _parse_retry_after(retry_after, self.clock.time()))
        if headers.get("X-RateLimit-Remaining") == "0" and headers.get("X-RateLimit-Reset"):
            try:
                reset = float(headers["X-RateLimit-Reset"])
            except ValueError:
                return SECONDARY_RATE_LIMIT_WAIT
            return max(1.0, reset - self.clock.time() + 1.0)
        if response.status_code == 429 or "rate limit" in _message(response).lower():
            return max(SECONDARY_RATE_LIMIT_WAIT, self.backoff.delay(attempt))
        return None


def _parse_retry_after(value: str, now: float) -> float:
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return email.utils.parsedate_to_datetime(value).timestamp() - now
    except (TypeError, ValueError):
        return SECONDARY_RATE_LIMIT_WAIT


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
            details.append(item.get("message") or " ".join(str(item.get(k, "")) for k in ("resource", "field", "code")).strip())
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
        data = self.client.get(_repo_path(slug), slug)
        return Repository(
            slug=slug,
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
        self.client.write("POST", f"{_repo_path(slug)}/issues/{number}/comments", slug, {"body": body})

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
        """Send the token to git as an HTTP header scoped to the clone URL's host.

        It travels in ``GIT_CONFIG_*`` environment variables of the git
        process only: never written to a config file, never on a command line.
        """
        parts = urlsplit(clone_url)
        if not self.client.token or parts.scheme != "https":
            return {}
        credentials = base64.b64encode(f"x-access-token:{self.client.token}".encode()).decode()
        index = int(os.environ.get("GIT_CONFIG_COUNT", "0") or 0)
        return {
            "GIT_CONFIG_COUNT": str(index + 1),
            f"GIT_CONFIG_KEY_{index}": f"http.https://{parts.netloc}/.extraheader",
            f"GIT_CONFIG_VALUE_{index}": f"Authorization: Basic {credentials}",
        }
