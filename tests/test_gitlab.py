"""GitLab merge requests: the client against the stateful fake, and the bot end to end on it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from fake_forge_common import FakeClock, git, serve_on_localhost
from fake_gitlab import FakeGitLab, GitLabChecker
from test_bot import BRANCH, MAIN_GO, RENAME_FOO, Remote, World

from codemod.bot.forge.base import (
    ForgeAuthError,
    ForgeError,
    ForgeNotFoundError,
    ForgeValidationError,
    PullRequestSpec,
    RepoSlug,
    slug_from_url,
)
from codemod.bot.forge.gitlab import GitLabClient, GitLabForge
from codemod.bot.launch import default_api_url, guess_forge
from codemod.bot.reconcile import BotReport
from codemod.bot.texts import find_marker
from codemod.cli.bot import bot_command
from codemod.errors import UsageError

SLUG = RepoSlug("acme", "widgets")
TITLE = "gocodemod(rename-foo): Call Bar instead of Foo"


class GitLabWorld(World):
    """test_bot's world with a fake GitLab in place of the fake GitHub."""

    def __init__(self, tmp: Path):
        super().__init__(tmp)
        self.fake = FakeGitLab()  # type: ignore[assignment]
        self.fake.add_user("alice")

    def add_repo(self, owner: str = "acme", name: str = "widgets", files: dict[str, str] | None = None) -> Remote:
        remote = Remote(
            self.tmp, owner, name, files or {"go.mod": "module example.com/w\n\ngo 1.22\n", "main.go": MAIN_GO}
        )
        self.fake.add_project(f"{owner}/{name}", remote.bare)
        return remote

    def forge(self, token: str = "test-token", dry_run: bool = False) -> GitLabForge:  # type: ignore[override]
        client = GitLabClient(
            token,
            api_url=self.fake.api_url,
            transport=self.fake.transport(),
            clock=self.clock,
            dry_run=dry_run,
            echo=self.output.append,
        )
        return GitLabForge(client)


@pytest.fixture
def world(tmp_path: Path) -> GitLabWorld:
    return GitLabWorld(tmp_path)


@pytest.fixture
def fake(tmp_path: Path) -> FakeGitLab:
    """A fake GitLab with ``acme/widgets`` (branches ``main`` and ``feature/x``) and a user ``alice``."""
    work = tmp_path / "work"
    subprocess.run(["git", "init", "-q", "-b", "main", str(work)], check=True)
    (work / "main.go").write_text("package main\n")
    git(work, "add", ".")
    git(work, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qm", "init")
    git(work, "branch", "feature/x")
    bare = tmp_path / "widgets.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True)
    service = FakeGitLab()
    service.add_project("acme/widgets", bare)
    service.add_user("alice")
    return service


def make_forge(fake: FakeGitLab, clock: FakeClock, *, token: str = "test-token", **kwargs) -> GitLabForge:
    return GitLabForge(GitLabClient(token, api_url=fake.api_url, transport=fake.transport(), clock=clock, **kwargs))


def actions(report: BotReport) -> list[tuple[str, str, str]]:
    return [(line.repo, line.recipe, line.action) for line in report.lines]


def only_mr(world: GitLabWorld, project: str = "acme/widgets") -> dict:
    [mr] = world.fake.open_merge_requests(project)
    return world.fake.merge_request(project, mr["iid"])


# -- the bot on GitLab -------------------------------------------------------------


def test_first_run_opens_a_merge_request(world: GitLabWorld) -> None:
    remote = world.add_repo()
    report = world.run(draft=True, reviewers=("alice",), labels=("gocodemod", "go"))
    assert actions(report) == [("acme/widgets", "rename-foo", "opened")]
    head = remote.sha(BRANCH)
    assert git(remote.bare, "rev-parse", f"{head}^") == remote.sha("main")
    mr = only_mr(world)
    assert (mr["source_branch"], mr["target_branch"], mr["sha"]) == (BRANCH, "main", head)
    assert mr["source_project_id"] == mr["target_project_id"]
    assert (mr["title"], mr["draft"]) == (f"Draft: {TITLE}", True)
    assert mr["labels"] == ["gocodemod", "go"]
    assert [user["username"] for user in mr["reviewers"]] == ["alice"]
    assert "| `main.go` | 2 |" in mr["description"]
    assert find_marker(mr["description"]).base == remote.sha("main")  # type: ignore[union-attr]
    assert report.lines[0].url == mr["web_url"] == "https://gitlab.test/acme/widgets/-/merge_requests/1"
    # labels and reviewers travelled with the create call: one write in all
    assert world.fake.write_calls == [("POST", "/api/v4/projects/acme%2Fwidgets/merge_requests")]


def test_rerun_with_nothing_changed_makes_no_write_call(world: GitLabWorld) -> None:
    remote = world.add_repo()
    world.run(draft=True, reviewers=("alice",))
    writes, head = len(world.fake.write_calls), remote.sha(BRANCH)
    report = world.run(draft=True, reviewers=("alice",))
    assert actions(report) == [("acme/widgets", "rename-foo", "up to date")]
    assert len(world.fake.write_calls) == writes
    assert remote.sha(BRANCH) == head


def test_base_moved_updates_the_merge_request_and_keeps_it_a_draft(world: GitLabWorld) -> None:
    remote = world.add_repo()
    world.run(draft=True)
    new_main = remote.commit({"more.go": "package main\n\nfunc more() { Foo(9) }\n"}, "more work")
    writes = len(world.fake.write_calls)
    report = world.run(draft=True)
    assert actions(report) == [("acme/widgets", "rename-foo", "updated")]
    assert git(remote.bare, "rev-parse", f"{BRANCH}^") == new_main
    mr = only_mr(world)
    assert (mr["iid"], mr["title"], mr["draft"]) == (1, f"Draft: {TITLE}", True)
    assert find_marker(mr["description"]).base == new_main  # type: ignore[union-attr]
    assert world.fake.write_calls[writes:] == [("PUT", "/api/v4/projects/acme%2Fwidgets/merge_requests/1")]


def test_recipe_no_longer_applies_closes_the_merge_request_and_deletes_the_branch(world: GitLabWorld) -> None:
    remote = world.add_repo()
    world.run()
    remote.commit({"main.go": MAIN_GO.replace("Foo", "Bar")}, "fixed by hand")
    report = world.run()
    assert actions(report) == [("acme/widgets", "rename-foo", "closed")]
    assert world.fake.open_merge_requests("acme/widgets") == []
    closed = world.fake.merge_request("acme/widgets", 1)
    assert closed["state"] == "closed"
    assert find_marker(closed["description"]).closed_by_bot  # type: ignore[union-attr]
    [note] = world.fake.notes_on("acme/widgets", 1)
    assert "no longer changes anything" in note
    assert remote.sha(BRANCH) is None
    assert [method for method, _ in world.fake.write_calls[-3:]] == ["POST", "PUT", "DELETE"]
    assert world.fake.write_calls[-1][1] == "/api/v4/projects/acme%2Fwidgets/repository/branches/gocodemod%2Frename-foo"
    assert actions(world.run()) == [("acme/widgets", "rename-foo", "no changes")]


def test_human_commit_is_left_alone_and_noted_once(world: GitLabWorld) -> None:
    remote = world.add_repo()
    world.run()
    human_head = remote.commit({"notes.txt": "mine\n"}, "my fix on top", branch=BRANCH)
    assert actions(world.run()) == [("acme/widgets", "rename-foo", "left alone")]
    assert len(world.fake.notes_on("acme/widgets", 1)) == 1
    writes = len(world.fake.write_calls)
    world.run()
    assert len(world.fake.write_calls) == writes
    assert remote.sha(BRANCH) == human_head


def test_declined_and_merged_merge_requests(world: GitLabWorld) -> None:
    remote = world.add_repo()
    world.run()
    world.fake.projects["acme/widgets"].merge_requests[1]["state"] = "closed"  # a person said no
    assert [line.action for line in world.run().lines] == ["declined"]
    world.write_recipe("rename-foo", RENAME_FOO.replace("Call Bar", "Please call Bar"))
    assert [line.action for line in world.run().lines] == ["opened"]
    world.fake.projects["acme/widgets"].merge_requests[2]["state"] = "merged"
    remote.commit({"again.go": "package main\n\nfunc again() { Foo() }\n"}, "and again")
    assert [line.action for line in world.run().lines] == ["opened"]
    assert only_mr(world)["iid"] == 3


def test_rate_limit_and_bad_gateway_are_ridden_out_by_the_bot(world: GitLabWorld) -> None:
    world.add_repo()
    world.fake.inject(
        429,
        headers={"Retry-After": "45", "RateLimit-Remaining": "0"},
        body="Retry later\n",
        method="POST",
        path_contains="/merge_requests",
    )
    world.fake.inject(502, method="GET", path_contains="/merge_requests")
    assert actions(world.run()) == [("acme/widgets", "rename-foo", "opened")]
    assert 45.0 in world.clock.sleeps and 1.0 in world.clock.sleeps
    assert len(world.fake.open_merge_requests("acme/widgets")) == 1


def test_bad_token_fails_naming_the_project(world: GitLabWorld) -> None:
    world.add_repo()
    report = world.run(token="expired")
    [line] = report.lines
    assert report.failed and line.action == "failed"
    assert line.detail.startswith("acme/widgets: GitLab rejected the credentials (HTTP 401: 401 Unauthorized)")
    assert "GITLAB_TOKEN" in line.detail


def test_nested_group_project_by_url(world: GitLabWorld) -> None:
    remote = world.add_repo("platform/go", "widgets")
    report = world.run(targets=("https://gitlab.test/platform/go/widgets.git",))
    assert actions(report) == [("platform/go/widgets", "rename-foo", "opened")]
    assert remote.sha(BRANCH) is not None
    assert ("GET", "/api/v4/projects/platform%2Fgo%2Fwidgets") in world.fake.calls


def test_every_endpoint_the_bot_uses_answered_in_the_documented_shape(world: GitLabWorld) -> None:
    remote = world.add_repo()
    world.run()  # list, create
    bot_head = remote.sha(BRANCH)
    remote.commit({"notes.txt": "mine\n"}, "human", branch=BRANCH)
    world.run()  # list notes, add a note
    git(remote.bare, "update-ref", f"refs/heads/{BRANCH}", bot_head)
    world.write_recipe("rename-foo", RENAME_FOO.replace("Bar($$$A)", "Baz($$$A)"))
    world.run()  # get the MR (draft or not), update it
    remote.commit({"main.go": MAIN_GO.replace("Foo", "Bar")}, "fixed by hand")
    assert [line.action for line in world.run().lines] == ["closed"]  # note, close, get branch, delete branch
    forge = world.forge()
    forge.request_reviewers(SLUG, 1, ("alice",))  # user lookup
    documented = {
        (method.upper(), path) for path, item in world.fake.checker.document["paths"].items() for method in item
    }
    assert {(method, path) for method, path, _ in world.fake.checked} == documented


# -- the client and forge mapping ------------------------------------------------------


def test_create_update_label_note_and_branches(fake: FakeGitLab) -> None:
    clock = FakeClock()
    forge = make_forge(fake, clock)
    sha = git(fake.projects["acme/widgets"].path, "rev-parse", "refs/heads/feature/x")
    assert forge.branch_sha(SLUG, "feature/x") == sha
    assert forge.branch_sha(SLUG, "nope") is None
    pr = forge.create_pull_request(SLUG, PullRequestSpec("Title", "Body", "feature/x", "main", labels=("a",)))
    assert (pr.number, pr.head_ref, pr.head_sha, pr.head_repo, pr.draft) == (1, "feature/x", sha, "acme/widgets", False)
    forge.add_labels(SLUG, 1, ("a",))  # already given on create: no call
    assert len(fake.write_calls) == 1
    forge.add_labels(SLUG, 1, ("b",))
    forge.update_pull_request(SLUG, 1, title="New", body="New body")
    forge.comment(SLUG, 1, "hello")
    [listed] = forge.list_open_pull_requests(SLUG)
    assert (listed.title, listed.body, listed.labels) == ("New", "New body", ("a", "b"))
    forge.update_pull_request(SLUG, 1, state="closed")
    assert [c.body for c in forge.list_comments(SLUG, 1)] == ["hello"]  # the system note is left out
    [closed] = forge.pull_requests_for_branch(SLUG, "feature/x", "closed")
    assert (closed.state, closed.merged) == ("closed", False)
    assert forge.pull_requests_for_branch(SLUG, "feature/x", "open") == []
    forge.delete_branch(SLUG, "feature/x")
    assert forge.branch_sha(SLUG, "feature/x") is None
    forge.delete_branch(SLUG, "feature/x")  # already gone: not an error
    assert clock.sleeps and all(s == pytest.approx(1.0) for s in clock.sleeps)


def test_draft_title_is_kept_on_update_and_hidden_when_read(fake: FakeGitLab) -> None:
    forge = make_forge(fake, FakeClock())
    pr = forge.create_pull_request(SLUG, PullRequestSpec("Title", "Body", "feature/x", "main", draft=True))
    assert (pr.title, pr.draft) == ("Title", True)
    forge.update_pull_request(SLUG, 1, title="Renamed")
    assert fake.merge_request("acme/widgets", 1)["title"] == "Draft: Renamed"
    fake.projects["acme/widgets"].merge_requests[1]["title"] = "Renamed"  # a person marked it ready
    forge.update_pull_request(SLUG, 1, title="Again")
    assert fake.merge_request("acme/widgets", 1)["draft"] is False


def test_create_returns_the_existing_merge_request_after_a_lost_answer(fake: FakeGitLab) -> None:
    forge = make_forge(fake, FakeClock())
    first = forge.create_pull_request(SLUG, PullRequestSpec("T", "B", "feature/x", "main"))
    again = forge.create_pull_request(SLUG, PullRequestSpec("T", "B", "feature/x", "main"))
    assert again.number == first.number
    assert len(fake.open_merge_requests("acme/widgets")) == 1


def test_create_rejects_a_missing_branch_and_an_unknown_reviewer(fake: FakeGitLab) -> None:
    forge = make_forge(fake, FakeClock())
    with pytest.raises(ForgeValidationError, match=r'^acme/widgets: Source branch "nope" does not exist$'):
        forge.create_pull_request(SLUG, PullRequestSpec("T", "B", "nope", "main"))
    with pytest.raises(ForgeValidationError, match="no GitLab user 'bob'"):
        forge.create_pull_request(SLUG, PullRequestSpec("T", "B", "feature/x", "main", reviewers=("bob",)))
    assert fake.write_calls == [("POST", "/api/v4/projects/acme%2Fwidgets/merge_requests")]


def test_request_reviewers_adds_to_the_existing_ones(fake: FakeGitLab) -> None:
    fake.add_user("bob")
    forge = make_forge(fake, FakeClock())
    forge.create_pull_request(SLUG, PullRequestSpec("T", "B", "feature/x", "main", reviewers=("alice",)))
    forge.request_reviewers(SLUG, 1, ("alice",))
    assert len(fake.write_calls) == 1
    make_forge(fake, FakeClock()).request_reviewers(SLUG, 1, ("bob", "alice"))  # a later run
    assert [u["username"] for u in fake.merge_request("acme/widgets", 1)["reviewers"]] == ["alice", "bob"]


def test_429_with_retry_after_waits_on_the_injected_clock(fake: FakeGitLab) -> None:
    clock = FakeClock()
    fake.inject(
        429, headers={"Retry-After": "30", "RateLimit-Limit": "600", "RateLimit-Remaining": "0"}, body="Retry later\n"
    )
    assert make_forge(fake, clock).get_repository(SLUG).default_branch == "main"
    assert clock.sleeps == [30.0]
    assert len(fake.calls) == 2


def test_429_with_ratelimit_reset_waits_until_then(fake: FakeGitLab) -> None:
    clock = FakeClock()
    fake.inject(429, headers={"RateLimit-Reset": str(int(clock.now) + 90)}, body="Retry later\n")
    make_forge(fake, clock).get_repository(SLUG)
    assert clock.sleeps == [pytest.approx(91.0)]


def test_502_then_success_and_giving_up_on_5xx(fake: FakeGitLab) -> None:
    clock = FakeClock()
    fake.inject(502)
    assert make_forge(fake, clock).list_open_pull_requests(SLUG) == []
    assert clock.sleeps == [1.0]
    fake.inject(503, times=10)
    with pytest.raises(ForgeError, match="acme/widgets: GitLab answered HTTP 503"):
        make_forge(fake, clock).get_repository(SLUG)


def test_401_names_the_project_and_the_token(fake: FakeGitLab) -> None:
    with pytest.raises(ForgeAuthError) as caught:
        make_forge(fake, FakeClock(), token="wrong").get_repository(SLUG)
    assert str(caught.value) == (
        "acme/widgets: GitLab rejected the credentials (HTTP 401: 401 Unauthorized); check GITLAB_TOKEN"
    )
    assert caught.value.status == 401


def test_403_and_404_name_the_project(fake: FakeGitLab) -> None:
    with pytest.raises(
        ForgeNotFoundError, match=r"^acme/gone: not found on https://gitlab.test/api/v4 .*404 Project Not Found"
    ):
        make_forge(fake, FakeClock()).get_repository(RepoSlug("acme", "gone"))
    fake.inject(403, body={"message": "403 Forbidden"})
    with pytest.raises(ForgeAuthError, match=r"^acme/widgets: GitLab refused .*'api' scope"):
        make_forge(fake, FakeClock()).comment(SLUG, 1, "x")


def test_list_follows_pagination(fake: FakeGitLab) -> None:
    project = fake.projects["acme/widgets"]
    for iid in range(1, 151):
        project.merge_requests[iid] = {
            "id": iid,
            "iid": iid,
            "state": "opened",
            "title": f"t{iid}",
            "description": None,
            "source_branch": f"b{iid}",
            "target_branch": "main",
            "sha": "0" * 40,
            "labels": [],
            "reviewer_ids": [],
            "remove_source_branch": True,
        }
    pulls = make_forge(fake, FakeClock()).list_open_pull_requests(SLUG)
    assert [pr.number for pr in pulls] == list(range(1, 151))
    assert len(fake.calls) == 2


def test_forks_are_not_the_projects_own_branches(fake: FakeGitLab) -> None:
    forge = make_forge(fake, FakeClock())
    forge.create_pull_request(SLUG, PullRequestSpec("T", "B", "feature/x", "main"))
    fake.projects["acme/widgets"].merge_requests[1]["source_project_id"] = 4242
    [pr] = forge.list_open_pull_requests(SLUG)
    assert pr.head_repo == "project 4242"
    assert forge.pull_requests_for_branch(SLUG, "feature/x", "open") == []


def test_dry_run_describes_writes_and_sends_none(fake: FakeGitLab) -> None:
    said: list[str] = []
    forge = make_forge(fake, FakeClock(), dry_run=True, echo=said.append)
    pr = forge.create_pull_request(
        SLUG, PullRequestSpec("Title", "Body", "feature/x", "main", labels=("a", "b"), reviewers=("alice",))
    )
    forge.add_labels(SLUG, pr.number, ("a", "b"))
    forge.update_pull_request(SLUG, 7, state="closed")
    assert fake.write_calls == []
    assert said[0].startswith("would call POST https://gitlab.test/api/v4/projects/acme%2Fwidgets/merge_requests {")
    assert '"labels": "a,b"' in said[0] and '"reviewer_ids": [' in said[0]
    assert said[1].startswith("would call PUT https://gitlab.test/api/v4/projects/acme%2Fwidgets/merge_requests/7")
    assert '"state_event": "close"' in said[1] and len(said) == 2


def test_git_auth_env_uses_the_oauth2_user(fake: FakeGitLab, monkeypatch) -> None:
    monkeypatch.delenv("GIT_CONFIG_COUNT", raising=False)
    env = make_forge(fake, FakeClock()).git_auth_env("https://gitlab.example/acme/widgets.git")
    assert env["GIT_CONFIG_KEY_0"] == "http.https://gitlab.example/.extraheader"
    assert env["GIT_CONFIG_VALUE_0"] == "Authorization: Basic b2F1dGgyOnRlc3QtdG9rZW4="  # oauth2:test-token
    assert make_forge(fake, FakeClock()).git_auth_env("git@gitlab.example:acme/widgets.git") == {}


def test_connection_errors_are_retried() -> None:
    attempts = []

    def flaky(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        if len(attempts) < 2:
            raise httpx.ConnectError("connection refused", request=request)
        assert request.headers["PRIVATE-TOKEN"] == "t"
        return httpx.Response(200, json={"default_branch": "trunk", "http_url_to_repo": "https://x/y.git"})

    clock = FakeClock()
    client = GitLabClient(
        "t", api_url="https://gitlab.example/api/v4", transport=httpx.MockTransport(flaky), clock=clock
    )
    assert GitLabForge(client).get_repository(SLUG).default_branch == "trunk"
    assert clock.sleeps == [1.0]
    assert str(attempts[0].url) == "https://gitlab.example/api/v4/projects/acme%2Fwidgets"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://gitlab.com/platform/go/widgets.git", "platform/go/widgets"),
        ("git@gitlab.com:platform/go/widgets.git", "platform/go/widgets"),
        ("platform/go/widgets", "platform/go/widgets"),
        ("https://gitlab.com/acme/widgets", "acme/widgets"),
    ],
)
def test_slugs_keep_nested_groups(url: str, expected: str) -> None:
    assert str(slug_from_url(url)) == expected


def test_checker_rejects_wrong_shapes() -> None:
    checker = GitLabChecker()
    with pytest.raises(AssertionError, match="'iid' is a required property"):
        checker.check("/projects/{id}/merge_requests", "GET", 200, [{"id": 1}])
    with pytest.raises(AssertionError, match="is not valid"):
        checker.check("/projects/{id}", "GET", 404, {"message": 404})


# -- the command line ----------------------------------------------------------------


def test_forge_is_guessed_from_the_repository_host(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("CI_API_V4_URL", raising=False)
    clone = tmp_path / "clone"
    subprocess.run(["git", "init", "-q", str(clone)], check=True)
    git(clone, "remote", "add", "origin", "git@gitlab.example.org:acme/widgets.git")
    assert guess_forge([str(clone), "acme/gadgets"]) == "gitlab"
    assert guess_forge(["https://gitlab.com/acme/widgets.git"]) == "gitlab"
    assert guess_forge(["https://github.com/acme/widgets.git", "acme/gadgets"]) == "github"
    assert guess_forge(["acme/widgets"]) == "github"
    with pytest.raises(UsageError, match="GitLab and other hosts"):
        guess_forge(["https://gitlab.com/a/b.git", "https://github.com/a/b.git"])
    assert default_api_url("gitlab", [str(clone)]) == "https://gitlab.example.org/api/v4"
    assert default_api_url("gitlab", ["acme/widgets"]) == "https://gitlab.com/api/v4"
    monkeypatch.setenv("CI_API_V4_URL", "https://git.corp/api/v4")
    assert default_api_url("gitlab", [str(clone)]) == "https://git.corp/api/v4"


def test_command_line_against_the_fake_gitlab_over_http(world: GitLabWorld, monkeypatch) -> None:
    world.add_repo("platform/go", "widgets")
    monkeypatch.setenv("GITLAB_TOKEN", "test-token")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    with serve_on_localhost(world.fake) as base:
        result = CliRunner().invoke(
            bot_command,
            [
                "--forge",
                "gitlab",
                "--repo",
                "platform/go/widgets",
                "-r",
                str(world.recipe_dir / "rename-foo.yaml"),
                "--api-url",
                f"{base}/api/v4",
                "--workspace",
                str(world.tmp / "ws"),
                "--executor",
                "inline",
                "--label",
                "codemod",
                "--reviewer",
                "alice",
            ],
        )
    assert result.exit_code == 0, result.output
    assert "platform/go/widgets  rename-foo  opened" in result.output
    mr = only_mr(world, "platform/go/widgets")
    assert (mr["labels"], [u["username"] for u in mr["reviewers"]]) == (["codemod"], ["alice"])


def test_command_line_needs_gitlab_token(monkeypatch) -> None:
    monkeypatch.delenv("GITLAB_TOKEN", raising=False)
    monkeypatch.setenv("GITHUB_TOKEN", "not-this-one")
    result = CliRunner().invoke(bot_command, ["--repo", "https://gitlab.com/acme/widgets.git", "-r", "x"])
    assert result.exit_code == 2
    assert "GITLAB_TOKEN is not set: the bot needs a token to push and open merge requests" in result.output
