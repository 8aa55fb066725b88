"""The GitHub client against the stateful fake: retries, rate limits, errors, shapes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest
from fake_github import FakeClock, FakeGitHub, OpenApiChecker, git

from codemod.bot.forge.base import (
    Backoff,
    ForgeAuthError,
    ForgeError,
    ForgeNotFoundError,
    ForgeRateLimitError,
    ForgeValidationError,
    PullRequestSpec,
    RepoSlug,
    slug_from_url,
)
from codemod.bot.forge.github import GitHubClient, GitHubForge
from codemod.bot.texts import Marker

SLUG = RepoSlug("acme", "widgets")


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    """A bare repository with ``main`` and a ``feature`` branch."""
    work = tmp_path / "work"
    subprocess.run(["git", "init", "-q", "-b", "main", str(work)], check=True)
    (work / "main.go").write_text("package main\n")
    git(work, "add", ".")
    git(work, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qm", "init")
    git(work, "branch", "feature")
    path = tmp_path / "widgets.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(path)], check=True)
    return path


@pytest.fixture
def fake(bare: Path) -> FakeGitHub:
    service = FakeGitHub()
    service.add_repository("acme", "widgets", bare)
    return service


def make_forge(fake: FakeGitHub, clock: FakeClock, *, token: str = "test-token", **kwargs) -> GitHubForge:
    client = GitHubClient(token, api_url=fake.api_url, transport=fake.transport(), clock=clock, **kwargs)
    return GitHubForge(client)


def test_reads_repository_and_refs(fake: FakeGitHub, bare: Path) -> None:
    forge = make_forge(fake, FakeClock())
    repo = forge.get_repository(SLUG)
    assert (repo.default_branch, repo.clone_url) == ("main", str(bare))
    assert forge.branch_sha(SLUG, "feature") == git(bare, "rev-parse", "refs/heads/feature")
    assert forge.branch_sha(SLUG, "nope") is None


def test_create_update_label_comment_delete(fake: FakeGitHub, bare: Path) -> None:
    clock = FakeClock()
    forge = make_forge(fake, clock)
    body = "text\n" + Marker("r", "h", "b", "d").render()
    pr = forge.create_pull_request(SLUG, PullRequestSpec("Title", body, "feature", "main", draft=True))
    assert (pr.number, pr.head_ref, pr.draft) == (1, "feature", True)
    assert pr.head_sha == git(bare, "rev-parse", "refs/heads/feature")
    forge.add_labels(SLUG, pr.number, ("gocodemod", "bot"))
    forge.request_reviewers(SLUG, pr.number, ("alice",))
    forge.update_pull_request(SLUG, pr.number, title="New title")
    forge.comment(SLUG, pr.number, "hello")
    [listed] = forge.list_open_pull_requests(SLUG)
    assert (listed.title, listed.labels, listed.body) == ("New title", ("gocodemod", "bot"), body)
    assert [c.body for c in forge.list_comments(SLUG, pr.number)] == ["hello"]
    assert fake.pull("acme/widgets", 1)["requested_reviewers"][0]["login"] == "alice"
    forge.delete_branch(SLUG, "feature")
    assert forge.branch_sha(SLUG, "feature") is None
    forge.delete_branch(SLUG, "feature")  # already gone: GitHub's 422 is not an error here
    # writes were spaced by the minimum interval, on the injected clock
    assert clock.sleeps and all(s == pytest.approx(1.0) for s in clock.sleeps)


def test_create_rejects_missing_head_like_github(fake: FakeGitHub) -> None:
    forge = make_forge(fake, FakeClock())
    with pytest.raises(ForgeValidationError) as caught:
        forge.create_pull_request(SLUG, PullRequestSpec("T", "B", "no-such-branch", "main"))
    assert "acme/widgets: Validation Failed" in str(caught.value)
    assert "PullRequest head invalid" in str(caught.value)


def test_create_returns_existing_pr_when_an_earlier_attempt_got_through(fake: FakeGitHub) -> None:
    forge = make_forge(fake, FakeClock())
    first = forge.create_pull_request(SLUG, PullRequestSpec("T", "B", "feature", "main"))
    again = forge.create_pull_request(SLUG, PullRequestSpec("T", "B", "feature", "main"))
    assert again.number == first.number
    assert len(fake.open_pulls("acme/widgets")) == 1


def test_429_with_retry_after_waits_on_the_clock(fake: FakeGitHub) -> None:
    clock = FakeClock()
    fake.inject(
        429,
        headers={"Retry-After": "30"},
        body={"message": "You have exceeded a secondary rate limit", "documentation_url": "https://docs.github.com"},
    )
    assert make_forge(fake, clock).get_repository(SLUG).default_branch == "main"
    assert clock.sleeps == [30.0]
    assert len(fake.calls) == 2


def test_403_with_exhausted_quota_waits_until_reset(fake: FakeGitHub) -> None:
    clock = FakeClock()
    reset = int(clock.now) + 120
    fake.inject(
        403,
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)},
        body={"message": "API rate limit exceeded", "documentation_url": "https://docs.github.com"},
    )
    make_forge(fake, clock).get_repository(SLUG)
    assert clock.sleeps == [pytest.approx(121.0)]


def test_rate_limit_longer_than_allowed_fails_without_waiting(fake: FakeGitHub) -> None:
    clock = FakeClock()
    fake.inject(429, headers={"Retry-After": "7200"})
    with pytest.raises(ForgeRateLimitError, match="acme/widgets: GitHub rate limit"):
        make_forge(fake, clock).get_repository(SLUG)
    assert clock.sleeps == []


def test_403_that_is_not_a_rate_limit_is_not_retried(fake: FakeGitHub) -> None:
    fake.inject(403, body={"message": "Resource not accessible by integration", "documentation_url": "x"})
    with pytest.raises(ForgeError, match=r"acme/widgets: HTTP 403 .*Resource not accessible"):
        make_forge(fake, FakeClock()).get_repository(SLUG)
    assert len(fake.calls) == 1


def test_502_then_success(fake: FakeGitHub) -> None:
    clock = FakeClock()
    fake.inject(502)
    assert make_forge(fake, clock).list_open_pull_requests(SLUG) == []
    assert clock.sleeps == [1.0]


def test_server_errors_back_off_exponentially_then_give_up(fake: FakeGitHub) -> None:
    clock = FakeClock()
    fake.inject(503, times=10)
    forge = make_forge(fake, clock, backoff=Backoff(attempts=6, cap=5.0))
    with pytest.raises(ForgeError, match="acme/widgets: GitHub answered HTTP 503"):
        forge.get_repository(SLUG)
    assert clock.sleeps == [1.0, 2.0, 4.0, 5.0, 5.0]


def test_connection_errors_are_retried() -> None:
    attempts = []

    def flaky(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        if len(attempts) < 3:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200, json={"default_branch": "trunk", "clone_url": "https://x/y.git"})

    clock = FakeClock()
    client = GitHubClient("t", api_url="https://api.github.test", transport=httpx.MockTransport(flaky), clock=clock)
    assert GitHubForge(client).get_repository(SLUG).default_branch == "trunk"
    assert clock.sleeps == [1.0, 2.0]


def test_401_names_the_repository_and_the_token(fake: FakeGitHub) -> None:
    with pytest.raises(ForgeAuthError) as caught:
        make_forge(fake, FakeClock(), token="wrong").get_repository(SLUG)
    message = str(caught.value)
    assert message.startswith("acme/widgets: GitHub rejected the credentials (HTTP 401: Bad credentials)")
    assert "GITHUB_TOKEN" in message


def test_404_names_the_repository(fake: FakeGitHub) -> None:
    with pytest.raises(ForgeNotFoundError, match=r"^acme/gone: not found on https://api.github.test"):
        make_forge(fake, FakeClock()).get_repository(RepoSlug("acme", "gone"))
    with pytest.raises(ForgeNotFoundError):
        make_forge(fake, FakeClock()).update_pull_request(SLUG, 99, title="x")


def test_list_follows_pagination(fake: FakeGitHub) -> None:
    repo = fake.repos["acme/widgets"]
    for number in range(1, 251):
        repo.pulls[number] = {
            "id": number,
            "number": number,
            "state": "open",
            "title": f"t{number}",
            "body": None,
            "head": f"b{number}",
            "base": "main",
            "head_sha": "0" * 40,
            "draft": False,
            "labels": [],
            "reviewers": [],
        }
    pulls = make_forge(fake, FakeClock()).list_open_pull_requests(SLUG)
    assert [pr.number for pr in pulls] == list(range(1, 251))
    assert len(fake.calls) == 3


def test_dry_run_describes_writes_and_sends_none(fake: FakeGitHub) -> None:
    said: list[str] = []
    forge = make_forge(fake, FakeClock(), dry_run=True, echo=said.append)
    pr = forge.create_pull_request(SLUG, PullRequestSpec("Title", "Body", "feature", "main"))
    forge.comment(SLUG, 7, "hi")
    assert pr.number == 0
    assert fake.write_calls == []
    assert said[0].startswith("would call POST https://api.github.test/repos/acme/widgets/pulls {")
    assert '"title": "Title"' in said[0]
    assert said[1].startswith("would call POST https://api.github.test/repos/acme/widgets/issues/7/comments")


def test_enterprise_api_url_with_path_prefix(bare: Path) -> None:
    fake = FakeGitHub(api_url="https://ghe.example/api/v3")
    fake.add_repository("acme", "widgets", bare)
    assert make_forge(fake, FakeClock()).get_repository(SLUG).default_branch == "main"
    assert fake.calls == [("GET", "/api/v3/repos/acme/widgets")]


def test_git_auth_env_scopes_the_token_to_the_clone_host(fake: FakeGitHub, monkeypatch) -> None:
    monkeypatch.delenv("GIT_CONFIG_COUNT", raising=False)
    forge = make_forge(fake, FakeClock())
    env = forge.git_auth_env("https://github.com/acme/widgets.git")
    assert env["GIT_CONFIG_COUNT"] == "1"
    assert env["GIT_CONFIG_KEY_0"] == "http.https://github.com/.extraheader"
    assert env["GIT_CONFIG_VALUE_0"].startswith("Authorization: Basic ")
    assert forge.git_auth_env("/srv/git/widgets.git") == {}
    assert forge.git_auth_env("git@github.com:acme/widgets.git") == {}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/acme/widgets.git", "acme/widgets"),
        ("https://ghe.example/acme/widgets", "acme/widgets"),
        ("git@github.com:acme/widgets.git", "acme/widgets"),
        ("ssh://git@github.com/acme/widgets.git", "acme/widgets"),
        ("acme/widgets", "acme/widgets"),
        ("widgets", None),
    ],
)
def test_slug_from_url(url: str, expected: str | None) -> None:
    slug = slug_from_url(url)
    assert (str(slug) if slug else None) == expected


def test_openapi_checker_rejects_wrong_shapes() -> None:
    checker = OpenApiChecker()
    with pytest.raises(AssertionError, match="'clone_url' is a required property"):
        checker.check(
            "/repos/{owner}/{repo}",
            "GET",
            200,
            {
                "id": 1,
                "node_id": "R",
                "name": "w",
                "full_name": "a/w",
                "private": False,
                "html_url": "h",
                "description": None,
                "fork": False,
                "url": "u",
                "default_branch": "main",
                "owner": {
                    "login": "a",
                    "id": 1,
                    "node_id": "U",
                    "avatar_url": "a",
                    "url": "u",
                    "html_url": "h",
                    "type": "User",
                    "site_admin": False,
                },
            },
        )
    with pytest.raises(AssertionError, match="'documentation_url' is a required property"):
        checker.check("/repos/{owner}/{repo}/pulls", "POST", 422, {"message": "Validation Failed"})
    with pytest.raises(AssertionError, match="not in the vendored OpenAPI subset"):
        checker.check("/repos/{owner}/{repo}/issues", "GET", 200, [])
