"""What only GitHub does: its wire details, the fake's OpenAPI checker, and the bot's endpoints on it.

The behaviour GitHub shares with GitLab (retries, rate limits, errors, the bot
end to end) is tested on both forges in test_forges.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_github import FakeClock, FakeGitHub, OpenApiChecker, git
from forge_cases import BRANCH, GITHUB, MAIN_GO, World

from codemod.bot.forge.base import ForgeError, RepoSlug
from codemod.bot.forge.github import GitHubClient, GitHubForge

SLUG = RepoSlug("acme", "widgets")


@pytest.fixture
def bare(make_bare) -> Path:
    """A bare repository with ``main`` and a ``feature`` branch."""
    return make_bare("feature")


@pytest.fixture
def fake(bare: Path) -> FakeGitHub:
    service = FakeGitHub()
    service.add_repository("acme", "widgets", bare)
    return service


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path, GITHUB)


def make_forge(fake: FakeGitHub, clock: FakeClock, *, token: str = "test-token", **kwargs) -> GitHubForge:
    client = GitHubClient(token, api_url=fake.api_url, transport=fake.transport(), clock=clock, **kwargs)
    return GitHubForge(client)


def test_403_that_is_not_a_rate_limit_is_not_retried(fake: FakeGitHub) -> None:
    fake.inject(403, body={"message": "Resource not accessible by integration", "documentation_url": "x"})
    with pytest.raises(ForgeError, match=r"acme/widgets: HTTP 403 .*Resource not accessible"):
        make_forge(fake, FakeClock()).get_repository(SLUG)
    assert len(fake.calls) == 1


def test_enterprise_api_url_with_path_prefix(bare: Path) -> None:
    fake = FakeGitHub(api_url="https://ghe.example/api/v3")
    fake.add_repository("acme", "widgets", bare)
    assert make_forge(fake, FakeClock()).get_repository(SLUG).default_branch == "main"
    assert fake.calls == [("GET", "/api/v3/repos/acme/widgets")]


def test_every_endpoint_the_bot_uses_answered_in_the_documented_shape(world: World) -> None:
    remote = world.add_repo()
    world.run(reviewers=("alice",))  # list, create, labels, reviewers
    bot_head = remote.sha(BRANCH)
    remote.commit({"notes.txt": "mine\n"}, "human", branch=BRANCH)
    world.run()  # list comments, comment on the foreign branch
    git(remote.bare, "update-ref", f"refs/heads/{BRANCH}", bot_head)  # the human undoes their push
    remote.commit({"main.go": MAIN_GO.replace("Foo", "Bar")}, "fixed by hand")
    assert [line.action for line in world.run().lines] == ["closed"]  # comment, close, get ref, delete ref
    documented = {
        (method.upper(), path) for path, item in world.fake.checker.document["paths"].items() for method in item
    }
    assert {(method, path) for method, path, _ in world.fake.checked} == documented


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
