"""What only GitLab does: merge-request wire details, nested groups, the fake's checker, guessing the forge.

The behaviour GitLab shares with GitHub (retries, rate limits, errors, the bot
end to end) is tested on both forges in test_forges.py.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from fake_forge_common import FakeClock, git
from fake_gitlab import FakeGitLab, GitLabChecker
from forge_cases import BRANCH, GITLAB, MAIN_GO, RENAME_FOO, World, actions

from codemod.bot.forge.base import ForgeAuthError, ForgeValidationError, PullRequestSpec, RepoSlug
from codemod.bot.forge.gitlab import GitLabClient, GitLabForge
from codemod.bot.launch import default_api_url, guess_forge
from codemod.errors import UsageError

SLUG = RepoSlug("acme", "widgets")


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path, GITLAB)


@pytest.fixture
def fake(make_bare) -> FakeGitLab:
    """A fake GitLab with ``acme/widgets`` (branches ``main`` and ``feature/x``) and a user ``alice``."""
    service = FakeGitLab()
    service.add_project("acme/widgets", make_bare("feature/x"))
    service.add_user("alice")
    return service


def make_forge(fake: FakeGitLab, clock: FakeClock, *, token: str = "test-token", **kwargs) -> GitLabForge:
    return GitLabForge(GitLabClient(token, api_url=fake.api_url, transport=fake.transport(), clock=clock, **kwargs))


# -- the bot on GitLab -------------------------------------------------------------


def test_first_run_sends_labels_and_reviewers_with_the_one_create_call(world: World) -> None:
    world.add_repo()
    report = world.run(draft=True, reviewers=("alice",), labels=("gocodemod", "go"))
    mr = world.only_pr()
    assert mr["source_project_id"] == mr["target_project_id"]
    assert report.lines[0].url == mr["web_url"] == "https://gitlab.test/acme/widgets/-/merge_requests/1"
    # labels and reviewers travelled with the create call: one write in all
    assert world.fake.write_calls == [("POST", "/api/v4/projects/acme%2Fwidgets/merge_requests")]


def test_nested_group_project_by_url(world: World) -> None:
    remote = world.add_repo("platform/go", "widgets")
    report = world.run(targets=("https://gitlab.test/platform/go/widgets.git",))
    assert actions(report) == [("platform/go/widgets", "rename-foo", "opened")]
    assert remote.sha(BRANCH) is not None
    assert ("GET", "/api/v4/projects/platform%2Fgo%2Fwidgets") in world.fake.calls


def test_every_endpoint_the_bot_uses_answered_in_the_documented_shape(world: World) -> None:
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


def test_403_names_the_missing_api_scope(fake: FakeGitLab) -> None:
    fake.inject(403, body={"message": "403 Forbidden"})
    with pytest.raises(ForgeAuthError, match=r"^acme/widgets: GitLab refused .*'api' scope"):
        make_forge(fake, FakeClock()).comment(SLUG, 1, "x")


def test_forks_are_not_the_projects_own_branches(fake: FakeGitLab) -> None:
    forge = make_forge(fake, FakeClock())
    forge.create_pull_request(SLUG, PullRequestSpec("T", "B", "feature/x", "main"))
    fake.projects["acme/widgets"].merge_requests[1]["source_project_id"] = 4242
    [pr] = forge.list_open_pull_requests(SLUG)
    assert pr.head_repo == "project 4242"
    assert forge.pull_requests_for_branch(SLUG, "feature/x", "open") == []


def test_dry_run_shows_labels_reviewers_and_closing_as_gitlab_takes_them(fake: FakeGitLab) -> None:
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
