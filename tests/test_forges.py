"""What the bot and its forge clients do the same on GitHub and on GitLab, checked on both.

Every test taking ``forge`` runs once per forge (tests/forge_cases.py says how each
forge's fake is built and read). The real client talks to the stateful fake
(tests/fake_github.py, tests/fake_gitlab.py) through a mock transport; the bot
end to end pushes to real bare repositories behind it. What only one API does
(its wire details, its checker) is tested in test_github.py and test_gitlab.py.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from fake_forge_common import FakeClock, git, serve_on_localhost
from forge_cases import BRANCH, FORGES, MAIN_GO, RENAME_FOO, RENAME_QUX, TITLE, ForgeCase, World, actions

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
from codemod.bot.texts import Marker, find_marker, with_marker
from codemod.cli.bot import bot_command

SLUG = RepoSlug("acme", "widgets")


@pytest.fixture(params=FORGES, ids=lambda case: case.name)
def forge(request: pytest.FixtureRequest) -> ForgeCase:
    return request.param


@pytest.fixture
def bare(forge: ForgeCase, make_bare: Callable[[str], Path]) -> Path:
    """A bare repository with ``main`` and the forge's feature branch."""
    return make_bare(forge.feature)


@pytest.fixture
def fake(forge: ForgeCase, bare: Path) -> Any:
    """The forge's fake with ``acme/widgets`` (the ``bare`` repository) and a user ``alice``."""
    service = forge.new_fake()
    forge.add_repo(service, "acme/widgets", bare)
    return service


@pytest.fixture
def world(tmp_path: Path, forge: ForgeCase) -> World:
    return World(tmp_path, forge)


# -- the client and the forge mapping ------------------------------------------------


def test_reads_repository_and_refs(forge: ForgeCase, fake: Any, bare: Path) -> None:
    api = forge.connect(fake, FakeClock())
    repo = api.get_repository(SLUG)
    assert (repo.default_branch, repo.clone_url) == ("main", str(bare))
    assert api.branch_sha(SLUG, forge.feature) == git(bare, "rev-parse", f"refs/heads/{forge.feature}")
    assert api.branch_sha(SLUG, "nope") is None


def test_create_update_label_comment_delete(forge: ForgeCase, fake: Any, bare: Path) -> None:
    clock = FakeClock()
    api = forge.connect(fake, clock)
    body = "text\n" + Marker("r", "h", "b", "d").render()
    pr = api.create_pull_request(SLUG, PullRequestSpec("Title", body, forge.feature, "main", draft=True))
    assert (pr.number, pr.head_ref, pr.draft) == (1, forge.feature, True)
    assert pr.head_sha == git(bare, "rev-parse", f"refs/heads/{forge.feature}")
    api.add_labels(SLUG, pr.number, ("gocodemod", "bot"))
    api.request_reviewers(SLUG, pr.number, ("alice",))
    api.update_pull_request(SLUG, pr.number, title="New title")
    api.comment(SLUG, pr.number, "hello")
    [listed] = api.list_open_pull_requests(SLUG)
    assert (listed.title, listed.labels, listed.body) == ("New title", ("gocodemod", "bot"), body)
    assert [c.body for c in api.list_comments(SLUG, pr.number)] == ["hello"]
    assert forge.reviewers(forge.pr(fake, "acme/widgets", 1)) == ["alice"]
    api.delete_branch(SLUG, forge.feature)
    assert api.branch_sha(SLUG, forge.feature) is None
    api.delete_branch(SLUG, forge.feature)  # already gone: not an error
    # writes were spaced by the minimum interval, on the injected clock
    assert clock.sleeps and all(s == pytest.approx(1.0) for s in clock.sleeps)


def test_create_rejects_a_missing_head_branch(forge: ForgeCase, fake: Any) -> None:
    api = forge.connect(fake, FakeClock())
    with pytest.raises(ForgeValidationError) as caught:
        api.create_pull_request(SLUG, PullRequestSpec("T", "B", forge.missing_head, "main"))
    for expected in forge.missing_head_messages:
        assert re.search(expected, str(caught.value)), (expected, str(caught.value))


def test_create_returns_the_existing_one_when_an_earlier_attempt_got_through(forge: ForgeCase, fake: Any) -> None:
    api = forge.connect(fake, FakeClock())
    first = api.create_pull_request(SLUG, PullRequestSpec("T", "B", forge.feature, "main"))
    again = api.create_pull_request(SLUG, PullRequestSpec("T", "B", forge.feature, "main"))
    assert again.number == first.number
    assert len(forge.open_prs(fake)) == 1


def test_429_with_retry_after_waits_on_the_clock(forge: ForgeCase, fake: Any) -> None:
    clock = FakeClock()
    fake.inject(429, **forge.retry_after_fault(30))
    assert forge.connect(fake, clock).get_repository(SLUG).default_branch == "main"
    assert clock.sleeps == [30.0]
    assert len(fake.calls) == 2


def test_exhausted_quota_waits_until_reset(forge: ForgeCase, fake: Any) -> None:
    clock = FakeClock()
    fake.inject(**forge.quota_fault(int(clock.now) + 120))
    forge.connect(fake, clock).get_repository(SLUG)
    assert clock.sleeps == [pytest.approx(121.0)]


def test_rate_limit_longer_than_allowed_fails_without_waiting(forge: ForgeCase, fake: Any) -> None:
    clock = FakeClock()
    fake.inject(429, headers={"Retry-After": "7200"})
    with pytest.raises(ForgeRateLimitError, match=f"acme/widgets: {forge.service} rate limit"):
        forge.connect(fake, clock).get_repository(SLUG)
    assert clock.sleeps == []


def test_502_then_success_and_giving_up_on_5xx(forge: ForgeCase, fake: Any) -> None:
    clock = FakeClock()
    fake.inject(502)
    assert forge.connect(fake, clock).list_open_pull_requests(SLUG) == []
    assert clock.sleeps == [1.0]
    fake.inject(503, times=10)
    with pytest.raises(ForgeError, match=f"acme/widgets: {forge.service} answered HTTP 503"):
        forge.connect(fake, clock).get_repository(SLUG)


def test_server_errors_back_off_exponentially_then_give_up(forge: ForgeCase, fake: Any) -> None:
    clock = FakeClock()
    fake.inject(503, times=10)
    api = forge.connect(fake, clock, backoff=Backoff(attempts=6, cap=5.0))
    with pytest.raises(ForgeError, match=f"acme/widgets: {forge.service} answered HTTP 503"):
        api.get_repository(SLUG)
    assert clock.sleeps == [1.0, 2.0, 4.0, 5.0, 5.0]


def test_connection_errors_are_retried(forge: ForgeCase) -> None:
    attempts = []

    def flaky(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        if len(attempts) < 3:
            raise httpx.ConnectError("connection refused", request=request)
        assert forge.has_token(request, "t")
        return httpx.Response(200, json=forge.repo_answer("trunk", "https://x/y.git"))

    clock = FakeClock()
    api_url = f"https://{forge.web_host}{forge.api_path}"
    client = forge.client_class("t", api_url=api_url, transport=httpx.MockTransport(flaky), clock=clock)
    assert forge.forge_of(client).get_repository(SLUG).default_branch == "trunk"
    assert clock.sleeps == [1.0, 2.0]
    assert str(attempts[0].url) == forge.repo_api_url(api_url, SLUG)


def test_401_names_the_repository_and_the_token(forge: ForgeCase, fake: Any) -> None:
    with pytest.raises(ForgeAuthError) as caught:
        forge.connect(fake, FakeClock(), token="wrong").get_repository(SLUG)
    assert str(caught.value) == forge.rejected_credentials("acme/widgets")
    assert caught.value.status == 401


def test_404_names_the_repository(forge: ForgeCase, fake: Any) -> None:
    not_found = rf"^acme/gone: not found on {re.escape(fake.api_url)}{forge.not_found_detail}"
    with pytest.raises(ForgeNotFoundError, match=not_found):
        forge.connect(fake, FakeClock()).get_repository(RepoSlug("acme", "gone"))
    with pytest.raises(ForgeNotFoundError):
        forge.connect(fake, FakeClock()).update_pull_request(SLUG, 99, title="x")


def test_list_follows_pagination(forge: ForgeCase, fake: Any) -> None:
    stored = forge.records(fake, "acme/widgets")
    for number in range(1, 251):
        stored[number] = forge.stored_open_pr(number)
    pulls = forge.connect(fake, FakeClock()).list_open_pull_requests(SLUG)
    assert [pr.number for pr in pulls] == list(range(1, 251))
    assert len(fake.calls) == 3


def test_dry_run_describes_writes_and_sends_none(forge: ForgeCase, fake: Any) -> None:
    said: list[str] = []
    api = forge.connect(fake, FakeClock(), dry_run=True, echo=said.append)
    pr = api.create_pull_request(SLUG, PullRequestSpec("Title", "Body", forge.feature, "main"))
    api.comment(SLUG, 7, "hi")
    assert pr.number == 0
    assert fake.write_calls == []
    assert said[0].startswith(f"would call POST {forge.create_url(fake, 'acme/widgets')} {{")
    assert '"title": "Title"' in said[0]
    assert said[1].startswith(f"would call POST {forge.comment_url(fake, 'acme/widgets', 7)}")


def test_git_auth_env_scopes_the_token_to_the_clone_host(forge: ForgeCase, fake: Any, monkeypatch) -> None:
    import base64

    monkeypatch.delenv("GIT_CONFIG_COUNT", raising=False)
    api = forge.connect(fake, FakeClock())
    env = api.git_auth_env("https://forge.example/acme/widgets.git")
    assert env["GIT_CONFIG_COUNT"] == "1"
    assert env["GIT_CONFIG_KEY_0"] == "http.https://forge.example/.extraheader"
    credentials = base64.b64encode(f"{forge.git_user}:test-token".encode()).decode()
    assert env["GIT_CONFIG_VALUE_0"] == f"Authorization: Basic {credentials}"
    assert api.git_auth_env("/srv/git/widgets.git") == {}
    assert api.git_auth_env("git@forge.example:acme/widgets.git") == {}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/acme/widgets.git", "acme/widgets"),
        ("https://ghe.example/acme/widgets", "acme/widgets"),
        ("git@github.com:acme/widgets.git", "acme/widgets"),
        ("ssh://git@github.com/acme/widgets.git", "acme/widgets"),
        ("acme/widgets", "acme/widgets"),
        ("widgets", None),
        ("https://gitlab.com/platform/go/widgets.git", "platform/go/widgets"),  # nested groups are kept
        ("git@gitlab.com:platform/go/widgets.git", "platform/go/widgets"),
        ("platform/go/widgets", "platform/go/widgets"),
        ("https://gitlab.com/acme/widgets", "acme/widgets"),
    ],
)
def test_slug_from_url(url: str, expected: str | None) -> None:
    slug = slug_from_url(url)
    assert (str(slug) if slug else None) == expected


# -- the bot end to end ---------------------------------------------------------------


def test_first_run_pushes_the_branch_and_opens_a_request(world: World) -> None:
    forge = world.case
    remote = world.add_repo()
    main_before = remote.sha("main")
    report = world.run(draft=True, reviewers=("alice",), labels=("gocodemod", "go"))
    assert actions(report) == [("acme/widgets", "rename-foo", "opened")]
    assert "1 file, 2 edits" in report.lines[0].detail
    assert not report.failed
    # the branch: one commit on top of main, with the recipe applied; main untouched
    head = remote.sha(BRANCH)
    assert git(remote.bare, "rev-parse", f"{head}^") == main_before == remote.sha("main")
    assert "\tBar(1)\n\tBar(2, 3)\n\tQux()" in remote.show(BRANCH, "main.go")
    # the request: title, body with safety, table, reproduce command and marker; labels, draft, reviewers
    pr = world.only_pr()
    assert (forge.head_ref(pr), forge.base_ref(pr), forge.head_sha(pr)) == (BRANCH, "main", head)
    assert forge.title(pr) == forge.wire_title(TITLE, draft=True)
    assert pr["draft"] is True
    body = forge.body(pr)
    assert "**Safety:** safe: keeps behaviour" in body
    assert "| `main.go` | 2 |" in body
    assert "gocodemod run -r " in body and f"git checkout {main_before}" in body
    marker = find_marker(body)
    assert marker is not None and (marker.recipe, marker.base) == ("rename-foo", main_before)
    assert forge.labels(pr) == ["gocodemod", "go"]
    assert forge.reviewers(pr) == ["alice"]
    assert report.lines[0].url == forge.url(pr)


@pytest.mark.parametrize("options", [{}, {"draft": True, "reviewers": ("alice",)}], ids=["plain", "draft-reviewers"])
def test_rerun_with_nothing_changed_makes_no_write_call(world: World, options: dict) -> None:
    remote = world.add_repo()
    world.run(**options)
    writes, head = len(world.fake.write_calls), remote.sha(BRANCH)
    report = world.run(**options)
    assert actions(report) == [("acme/widgets", "rename-foo", "up to date")]
    assert len(world.fake.write_calls) == writes
    assert remote.sha(BRANCH) == head


@pytest.mark.parametrize("draft", [False, True], ids=["ready", "draft"])
def test_base_moved_rebuilds_the_branch_and_updates_the_request(world: World, draft: bool) -> None:
    forge = world.case
    remote = world.add_repo()
    world.run(draft=draft)
    number, old_head = forge.number(world.only_pr()), remote.sha(BRANCH)
    new_main = remote.commit({"more.go": "package main\n\nfunc more() { Foo(9) }\n"}, "more work")
    writes = len(world.fake.write_calls)
    report = world.run(draft=draft)
    assert actions(report) == [("acme/widgets", "rename-foo", "updated")]
    assert "base moved" in report.lines[0].detail
    head = remote.sha(BRANCH)
    assert head != old_head and git(remote.bare, "rev-parse", f"{head}^") == new_main
    assert "Bar(9)" in remote.show(BRANCH, "more.go")
    pr = world.only_pr()
    assert forge.number(pr) == number == 1
    assert forge.title(pr) == forge.wire_title(TITLE, draft=draft)
    assert pr["draft"] is draft  # a draft stays one
    assert find_marker(forge.body(pr)).base == new_main  # type: ignore[union-attr]
    assert "| `more.go` | 1 |" in forge.body(pr)
    assert world.fake.write_calls[writes:] == [forge.update_call("acme/widgets", 1)]


def test_edited_recipe_rebuilds_on_the_same_base(world: World) -> None:
    forge = world.case
    remote = world.add_repo()
    world.run()
    old_hash = find_marker(forge.body(world.only_pr())).recipe_hash  # type: ignore[union-attr]
    world.write_recipe("rename-foo", RENAME_FOO.replace("Bar($$$A)", "Baz($$$A)"))
    report = world.run()
    assert actions(report) == [("acme/widgets", "rename-foo", "updated")]
    assert "recipe changed" in report.lines[0].detail
    assert "\tBaz(1)" in remote.show(BRANCH, "main.go")
    assert git(remote.bare, "rev-parse", f"{BRANCH}^") == remote.sha("main")
    assert find_marker(forge.body(world.only_pr())).recipe_hash != old_hash  # type: ignore[union-attr]


@pytest.mark.parametrize("base_moves", [False, True], ids=["same-base", "base-moves"])
def test_human_commit_on_the_bot_branch_is_left_alone_and_commented_once(world: World, base_moves: bool) -> None:
    forge = world.case
    remote = world.add_repo()
    world.run()
    human_head = remote.commit({"notes.txt": "mine\n"}, "my fix on top", branch=BRANCH)
    if base_moves:
        remote.commit({"more.go": "package main\n\nfunc more() { Foo(9) }\n"}, "base moves too")
    report = world.run()
    assert actions(report) == [("acme/widgets", "rename-foo", "left alone")]
    assert "someone else pushed" in report.lines[0].detail
    assert remote.sha(BRANCH) == human_head
    number = forge.number(world.only_pr())
    assert len(forge.comments(world.fake, "acme/widgets", number)) == 1
    writes = len(world.fake.write_calls)
    world.run()
    assert len(world.fake.write_calls) == writes  # said once, not again
    assert remote.sha(BRANCH) == human_head


def test_recipe_no_longer_applies_closes_the_request_and_deletes_the_branch(world: World) -> None:
    forge = world.case
    remote = world.add_repo()
    world.run()
    number = forge.number(world.only_pr())
    remote.commit({"main.go": MAIN_GO.replace("Foo", "Bar")}, "fixed by hand")
    report = world.run()
    assert actions(report) == [("acme/widgets", "rename-foo", "closed")]
    assert world.open_prs() == []
    closed = forge.pr(world.fake, "acme/widgets", number)
    assert closed["state"] == "closed"
    assert find_marker(forge.body(closed)).closed_by_bot  # type: ignore[union-attr]
    [comment] = forge.comments(world.fake, "acme/widgets", number)
    assert "no longer changes anything" in comment
    assert remote.sha(BRANCH) is None
    assert [method for method, _ in world.fake.write_calls[-3:]] == forge.close_methods
    assert world.fake.write_calls[-1][1] == forge.delete_branch_path("acme/widgets", BRANCH)
    assert actions(world.run()) == [("acme/widgets", "rename-foo", "no changes")]


def test_a_request_a_person_closed_is_not_reopened_until_the_recipe_changes(world: World) -> None:
    forge = world.case
    world.add_repo()
    world.run()
    forge.closed_by_a_person(world.records()[1], merged=False)  # "no thanks"
    writes = len(world.fake.write_calls)
    report = world.run()
    assert [line.action for line in report.lines] == ["declined"]
    assert "#1 was closed without merging" in report.lines[0].detail
    assert len(world.fake.write_calls) == writes
    world.write_recipe("rename-foo", RENAME_FOO.replace("Call Bar", "Please call Bar"))
    assert [line.action for line in world.run().lines] == ["opened"]
    assert forge.number(world.only_pr()) == 2


def test_after_the_bot_closed_or_a_person_merged_a_new_request_opens_when_needed(world: World) -> None:
    forge = world.case
    remote = world.add_repo()
    world.run()
    remote.commit({"main.go": MAIN_GO.replace("Foo", "Bar")}, "fixed by hand")
    assert [line.action for line in world.run().lines] == ["closed"]
    remote.commit({"main.go": MAIN_GO}, "Foo is back")
    assert [line.action for line in world.run().lines] == ["opened"]
    forge.closed_by_a_person(world.records()[2], merged=True)
    remote.commit({"again.go": "package main\n\nfunc again() { Foo() }\n"}, "and again")
    assert [line.action for line in world.run().lines] == ["opened"]
    assert forge.number(world.only_pr()) == 3


def test_caps_hold_back_new_requests_until_a_later_run(world: World) -> None:
    forge = world.case
    world.write_recipe("rename-qux", RENAME_QUX)
    remote = world.add_repo()
    report = world.run(recipes=("rename-foo", "rename-qux"), max_open=1)
    assert [line.action for line in report.lines] == ["opened", "waiting"]
    assert "--max-open 1" in report.lines[1].detail
    assert remote.sha("gocodemod/rename-qux") is None  # nothing pushed for a capped recipe
    report = world.run(recipes=("rename-foo", "rename-qux"), max_new=0)
    assert [line.action for line in report.lines] == ["up to date", "waiting"]
    assert "--max-new 0" in report.lines[1].detail
    report = world.run(recipes=("rename-foo", "rename-qux"))
    assert [line.action for line in report.lines] == ["up to date", "opened"]
    qux = [pr for pr in world.open_prs() if forge.head_ref(pr) == "gocodemod/rename-qux"]
    assert "unsafe: intentionally changes behaviour" in forge.body(qux[0])


def test_dry_run_prints_everything_and_writes_nothing(world: World) -> None:
    forge = world.case
    remote = world.add_repo()
    report = world.run(dry_run=True)
    assert actions(report) == [("acme/widgets", "rename-foo", "would open")]
    assert world.fake.write_calls == []
    assert remote.sha(BRANCH) is None
    text = "\n".join(world.output)
    assert f"would push {BRANCH} to acme/widgets: git push --force-with-lease=refs/heads/{BRANCH}: origin " in text
    assert "would open PR gocodemod/rename-foo -> main: gocodemod(rename-foo): Call Bar instead of Foo" in text
    assert "    | `main.go` | 2 |" in text
    calls = [line.split(" {")[0].removeprefix("would call ") for line in world.output if line.startswith("would call")]
    assert calls == forge.dry_run_calls(world.fake, "acme/widgets")


def test_rate_limit_and_server_error_are_ridden_out(world: World) -> None:
    forge = world.case
    remote = world.add_repo()
    forge.prepare_for_rate_limits(world.fake)
    world.fake.inject(429, **forge.retry_after_fault(45), method="POST", path_contains=forge.pr_path)
    world.fake.inject(502, method="GET", path_contains=forge.pr_path)
    report = world.run()
    assert actions(report) == [("acme/widgets", "rename-foo", "opened")]
    assert 45.0 in world.clock.sleeps and 1.0 in world.clock.sleeps
    assert len(world.open_prs()) == 1
    assert remote.sha(BRANCH) is not None


def test_bad_token_fails_clearly_naming_the_repository(world: World) -> None:
    world.add_repo()
    report = world.run(token="expired")
    [line] = report.lines
    assert report.failed and line.action == "failed"
    assert line.detail.startswith(world.case.rejected_credentials("acme/widgets"))


def test_one_failing_repository_does_not_stop_the_others(world: World) -> None:
    world.add_repo()
    broken = world.add_repo("acme", "gadgets")
    subprocess.run(["rm", "-rf", str(broken.bare)], check=True)  # fetch will fail
    report = world.run(targets=("acme/gadgets", "acme/missing", "acme/widgets"))
    by_repo = {line.repo: line for line in report.lines}
    assert by_repo["acme/gadgets"].failed and "git fetch failed" in by_repo["acme/gadgets"].detail
    assert by_repo["acme/missing"].failed and by_repo["acme/missing"].detail.startswith("acme/missing: not found")
    assert by_repo["acme/widgets"].action == "opened"
    assert report.failed


def test_a_push_whose_request_could_not_be_opened_is_reported_and_finished_later(world: World) -> None:
    forge = world.case
    remote = world.add_repo()
    world.fake.inject(500, method="POST", path_contains=forge.pr_path, times=5)
    report = world.run()
    [line] = report.lines
    assert line.failed and f"pushed {BRANCH} but then failed" in line.detail
    pushed = remote.sha(BRANCH)
    assert pushed is not None and world.open_prs() == []
    report = world.run()
    assert actions(report) == [("acme/widgets", "rename-foo", "opened")]
    assert remote.sha(BRANCH) == pushed  # the same commit, not pushed again
    assert forge.head_sha(world.only_pr()) == pushed


def test_a_left_over_bot_branch_is_deleted_once_nothing_changes(world: World) -> None:
    remote = world.add_repo()
    world.fake.inject(500, method="POST", path_contains=world.case.pr_path, times=5)
    world.run()
    assert remote.sha(BRANCH) is not None and world.open_prs() == []
    remote.commit({"main.go": MAIN_GO.replace("Foo", "Bar")}, "fixed by hand")
    assert [line.action for line in world.run().lines] == ["deleted branch"]
    assert remote.sha(BRANCH) is None


def test_a_request_without_the_marker_is_not_touched(world: World) -> None:
    world.add_repo()
    world.run()
    world.records()[1][world.case.body_key] = "rewritten by a person"
    world.write_recipe("rename-foo", RENAME_FOO.replace("Bar($$$A)", "Baz($$$A)"))
    writes = len(world.fake.write_calls)
    report = world.run()
    assert [line.action for line in report.lines] == ["blocked"]
    assert "no gocodemod marker" in report.lines[0].detail
    assert len(world.fake.write_calls) == writes


def test_a_foreign_branch_without_a_request_is_not_touched(world: World) -> None:
    remote = world.add_repo()
    theirs = remote.commit({"x.go": "package main\n"}, "someone else's branch", branch=BRANCH)
    report = world.run()
    assert [line.action for line in report.lines] == ["blocked"]
    assert remote.sha(BRANCH) == theirs and world.fake.write_calls == []


def test_repos_run_in_worker_processes(world: World) -> None:
    first, second = world.add_repo(), world.add_repo("acme", "gadgets")
    with ProcessPoolExecutor(2) as pool:
        report = world.run(
            targets=("acme/widgets", f"https://{world.case.web_host}/acme/gadgets.git", "acme/widgets"),
            executor=pool,
        )
    assert actions(report) == [("acme/widgets", "rename-foo", "opened"), ("acme/gadgets", "rename-foo", "opened")]
    assert first.sha(BRANCH) and second.sha(BRANCH)


def test_marker_is_json_in_an_html_comment(world: World) -> None:
    world.add_repo()
    world.run()
    body = world.case.body(world.only_pr())
    last = body.strip().splitlines()[-1]
    assert last.startswith("<!-- gocodemod: {") and last.endswith("} -->")
    assert set(json.loads(last[len("<!-- gocodemod: ") : -len(" -->")])) == {
        "recipe",
        "recipe_hash",
        "base",
        "diff_hash",
    }


def test_marker_round_trip_ignores_look_alikes_in_the_description() -> None:
    marker = Marker("r", "hash", "base", "diff")
    body = 'quoted: <!-- gocodemod: {"recipe": "x", "recipe_hash": "", "base": "", "diff_hash": ""} -->\n\n'
    body += marker.render()
    assert find_marker(body) == marker
    closed = with_marker(body, Marker("r", "hash", "base", "diff", closed_by_bot=True))
    assert find_marker(closed).closed_by_bot and closed.startswith('quoted: <!-- gocodemod: {"recipe": "x"')  # type: ignore[union-attr]
    assert find_marker("no marker here") is None
    assert find_marker("<!-- gocodemod: {not json} -->") is None


# -- the command line ------------------------------------------------------------------


def test_command_line_against_the_fake_served_over_http(world: World, monkeypatch) -> None:
    forge = world.case
    owner = forge.nested_owner
    world.add_repo(owner, "widgets")
    monkeypatch.setenv(forge.token_env, "test-token")
    for other in FORGES:
        if other is not forge:
            monkeypatch.delenv(other.token_env, raising=False)
    (world.tmp / "repos.txt").write_text(f"# our services\n{owner}/widgets\n\n")
    with serve_on_localhost(world.fake) as base:
        result = CliRunner().invoke(
            bot_command,
            [
                *forge.forge_option,
                "--repos",
                str(world.tmp / "repos.txt"),
                "-r",
                str(world.recipe_dir / "rename-foo.yaml"),
                "--api-url",
                f"{base}{forge.api_path}",
                "--workspace",
                str(world.tmp / "ws"),
                "--executor",
                "inline",
                "--verify",
                "none",  # the fixture's Go code does not build on its own; verification has tests of its own
                "--label",
                "codemod",
                "--reviewer",
                "alice",
                "--author",
                "Robot <robot@example.com>",
            ],
        )
    assert result.exit_code == 0, result.output
    assert f"{owner}/widgets  rename-foo  opened" in result.output
    pr = world.only_pr(f"{owner}/widgets")
    assert (forge.labels(pr), forge.reviewers(pr)) == (["codemod"], ["alice"])
    assert f"gocodemod run -r {world.recipe_dir / 'rename-foo.yaml'} --write" in forge.body(pr)
    author = git(world.tmp / "remotes" / owner / "widgets.git", "log", "-1", "--format=%an <%ae>", BRANCH)
    assert author == "Robot <robot@example.com>"


def test_command_line_needs_the_forge_token_unless_dry_run(forge: ForgeCase, monkeypatch) -> None:
    monkeypatch.delenv(forge.token_env, raising=False)
    for other in FORGES:
        if other is not forge:
            monkeypatch.setenv(other.token_env, "not-this-one")
    result = CliRunner().invoke(bot_command, ["--repo", forge.cli_target, "-r", "rename-foo"])
    assert result.exit_code == 2
    assert f"{forge.token_env} is not set: the bot needs a token to push and open {forge.requests}" in result.output
    dry = CliRunner().invoke(bot_command, ["--repo", forge.cli_target, "-r", "no-such-recipe", "--dry-run"])
    assert f"{forge.token_env} is not set" not in dry.output
