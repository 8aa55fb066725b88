"""The small forge interface the bot talks to, and the values that cross it.

A *forge* hosts repositories and their pull requests (GitHub; GitLab merge
requests would be a second implementation). The bot only needs a handful of
operations, listed in :class:`Forge`; everything it gets back is one of the
frozen dataclasses below, so the reconcile logic never sees HTTP or JSON.

Retrying and rate limiting belong to the forge client: :class:`ForgeClient`
is the HTTP layer every forge shares (retries, rate-limit waits, write
spacing, dry run), :class:`Clock` is the seam through which it waits, so
tests inject a fake clock and never really sleep, and :class:`Backoff` is the
capped exponential back-off policy. Each forge's client subclass says how it
authenticates, signals a rate limit and reports errors.
"""

from __future__ import annotations

import base64
import email.utils
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

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


class Forge(Protocol):
    """The operations the bot uses. Write methods must honour the client's dry-run mode:
    in dry run they describe the request (method, URL, payload) and send nothing."""

    def get_repository(self, slug: RepoSlug) -> Repository: ...

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

    def comment(self, slug: RepoSlug, number: int, body: str) -> None: ...

    def branch_sha(self, slug: RepoSlug, branch: str) -> str | None: ...

    def delete_branch(self, slug: RepoSlug, branch: str) -> None: ...

    def git_auth_env(self, clone_url: str) -> dict[str, str]:
        """Environment for ``git fetch``/``git push`` to ``clone_url`` (credentials), or {}."""
        ...


class Clock(Protocol):
    """Where a client reads the time and waits; injectable so tests never sleep."""

    def time(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock."""

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


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


def parse_retry_after(value: str, now: float, fallback: float) -> float:
    """Seconds to wait from a ``Retry-After`` value (seconds or an HTTP date)."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return email.utils.parsedate_to_datetime(value).timestamp() - now
    except (TypeError, ValueError):
        return fallback


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


class ForgeClient:
    """HTTP access to a forge's REST API with retries, rate limits, write spacing and dry run.

    Answers with a status in ``rate_limit_statuses`` are retried after
    :meth:`rate_limit_wait` seconds when it says they are a rate limit; 5xx
    answers and dropped connections are retried with :class:`Backoff`; other
    failures become the :class:`ForgeError` that :meth:`error_for` builds.
    Subclasses set ``service`` (for messages), the headers, and those two methods.
    """

    service = "the forge"
    rate_limit_statuses: tuple[int, ...] = (429,)

    def __init__(
        self,
        token: str | None,
        *,
        api_url: str,
        headers: dict[str, str],
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
        self._http = httpx.Client(base_url=self.api_url, headers=headers, transport=transport, timeout=timeout)
        self._last_write: float | None = None

    def rate_limit_wait(self, response: httpx.Response, attempt: int) -> float | None:
        """Seconds to wait before retrying, or None when the answer is not a rate limit."""
        raise NotImplementedError

    def error_for(self, response: httpx.Response, repo: RepoSlug, method: str, url: str) -> ForgeError:
        """The error for a failed answer; its message starts with the repository."""
        raise NotImplementedError

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
        """POST/PUT/PATCH/DELETE; returns the decoded answer, or None in dry run or on 204."""
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
            if status in self.rate_limit_statuses:
                wait = self.rate_limit_wait(response, attempt)
                if wait is not None:
                    self._wait_for_rate_limit(wait, attempt, repo)
                    attempt += 1
                    continue
            if status >= 500:
                self._wait_or_give_up(
                    attempt,
                    f"{repo}: {self.service} answered HTTP {status} to {method} {url} (after {attempt + 1} attempts)",
                )
                attempt += 1
                continue
            if status < 300:
                return response
            raise self.error_for(response, repo, method, url)

    def _wait_or_give_up(self, attempt: int, message: str) -> None:
        if attempt + 1 >= self.backoff.attempts:
            raise ForgeError(message)
        self.clock.sleep(self.backoff.delay(attempt))

    def _wait_for_rate_limit(self, wait: float, attempt: int, repo: RepoSlug) -> None:
        if wait > self.backoff.max_rate_limit_wait or attempt + 1 >= self.backoff.attempts:
            raise ForgeRateLimitError(
                f"{repo}: {self.service} rate limit; it asks to wait {wait:.0f}s, more than allowed "
                f"(waited {attempt} times already); run again later",
                status=429,
            )
        self.clock.sleep(wait)
