"""The HTTP layer every forge client shares: retries, rate limits, redirects, write spacing, dry run.

:class:`ForgeClient` talks to a forge's REST API on httpx. Each forge's
subclass (:mod:`codemod.bot.forge.github`, :mod:`codemod.bot.forge.gitlab`)
says how it authenticates, signals a rate limit and reports errors.
:class:`Clock` is the seam through which it waits, so tests inject a fake
clock and never really sleep, and :class:`Backoff` is the capped exponential
back-off policy. A write that is not idempotent (a comment) is repeated after
a lost answer only once the forge shows it did not take effect.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

from codemod.bot.forge.base import Backoff, ForgeError, ForgeRateLimitError, RepoSlug


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


def parse_retry_after(value: str, now: float, fallback: float) -> float:
    """Seconds to wait from a ``Retry-After`` value (seconds or an HTTP date)."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return email.utils.parsedate_to_datetime(value).timestamp() - now
    except (TypeError, ValueError):
        return fallback


_REDIRECTS = (301, 302, 307, 308)


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
        return self._read(path, repo, params).json()

    def _read(self, url: str, repo: RepoSlug, params: dict[str, Any] | None) -> httpx.Response:
        response = self._send("GET", url, repo, params=params)
        assert response is not None  # only a write that took effect comes back without an answer
        return response

    def get_all(self, path: str, repo: RepoSlug, params: dict[str, Any] | None = None) -> list[Any]:
        """GET every page of a list endpoint, following ``Link: <...>; rel="next"``."""
        items: list[Any] = []
        url: str | None = path
        query: dict[str, Any] | None = {"per_page": 100, **(params or {})}
        while url:
            response = self._read(url, repo, query)
            items.extend(response.json())
            url = response.links.get("next", {}).get("url")
            query = None  # the next link carries its own query string
        return items

    def write(
        self,
        method: str,
        path: str,
        repo: RepoSlug,
        payload: dict[str, Any] | None = None,
        *,
        took_effect: Callable[[], bool] | None = None,
    ) -> Any:
        """POST/PUT/PATCH/DELETE; returns the decoded answer, or None in dry run, on 204, or
        when the answer was lost but ``took_effect`` says the write was done.

        A write that is not idempotent passes ``took_effect``: after a 5xx answer or a
        connection lost once the request may have arrived, it is asked (after the
        back-off wait) before the write is repeated, so the write never happens twice.
        """
        if self.dry_run:
            shown = f" {json.dumps(payload, indent=2, sort_keys=True)}" if payload is not None else ""
            self.echo(f"would call {method} {self.api_url}{path}{shown}")
            return None
        self._space_writes()
        response = self._send(method, path, repo, json_body=payload, took_effect=took_effect)
        return response.json() if response is not None and response.content else None

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
        took_effect: Callable[[], bool] | None = None,
    ) -> httpx.Response | None:
        attempt = 0
        redirected = False
        while True:
            try:
                response = self._http.request(method, url, params=params, json=json_body)
            except httpx.TransportError as exc:
                message = f"{repo}: cannot reach {self.api_url} ({exc.__class__.__name__}: {exc})"
                unsent = isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout))
                if self._retry_or_done(attempt, message, None if unsent else took_effect):
                    return None
                attempt += 1
                continue
            status = response.status_code
            if status in _REDIRECTS and method == "GET" and not redirected:
                url = self._redirect_target(response, repo, method, url)
                params = None if urlsplit(url).query else params
                redirected = True  # followed once: a renamed repository
                continue
            if status in self.rate_limit_statuses:
                wait = self.rate_limit_wait(response, attempt)
                if wait is not None:
                    self._wait_for_rate_limit(wait, attempt, repo)
                    attempt += 1
                    continue
            if status >= 500:
                message = (
                    f"{repo}: {self.service} answered HTTP {status} to {method} {url} (after {attempt + 1} attempts)"
                )
                if self._retry_or_done(attempt, message, took_effect):
                    return None
                attempt += 1
                continue
            if status < 300:
                return response
            raise self.error_for(response, repo, method, url)

    def _redirect_target(self, response: httpx.Response, repo: RepoSlug, method: str, url: str) -> str:
        """Where a redirect points, if it stays within the API (the token goes nowhere else)."""
        location = response.headers.get("Location", "")
        target = response.url.join(location) if location else None
        api = urlsplit(self.api_url)
        inside = f"{api.path.rstrip('/')}/"
        if (
            target is None
            or (target.scheme, target.netloc.decode()) != (api.scheme, api.netloc)
            or not target.path.startswith(inside)
        ):
            raise ForgeError(
                f"{repo}: {self.service} redirects {method} {url} to {location or 'nowhere'}; "
                f"only redirects within {self.api_url} are followed",
                status=response.status_code,
            )
        return str(target)

    def _retry_or_done(self, attempt: int, message: str, took_effect: Callable[[], bool] | None) -> bool:
        """After a failed attempt: wait to retry (False), or True when ``took_effect`` says the
        write was done although its answer was lost; raise once attempts are used up."""
        if took_effect is None:
            self._wait_or_give_up(attempt, message)
            return False
        last = attempt + 1 >= self.backoff.attempts
        if not last:
            self.clock.sleep(self.backoff.delay(attempt))
        if took_effect():
            return True
        if last:
            raise ForgeError(f"{message}; it did not take effect")
        return False

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
