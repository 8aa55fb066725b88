"""The bot never writes twice: faults that used to make it repeat or lose a write, on both forges.

A repository named in another case, a comment whose answer is lost after the
forge acted, a renamed repository, a branch that moves between the bot's
fetch and its push, and two runs sharing one workspace. Each runs against the
stateful fakes (tests/fake_github.py, tests/fake_gitlab.py) with real bare
repositories behind them, and counts the writes the forge received.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from fake_forge_common import FakeClock
from forge_cases import BRANCH, FORGES, GITHUB, World, actions

from codemod.bot.forge.base import ForgeError, RepoSlug
from codemod.bot.launch import InlineExecutor
from codemod.bot.lock import LOCK_NAME, WorkspaceBusyError
from codemod.bot.texts import find_marker
from codemod.cli.bot import bot_command

SLUG = RepoSlug("acme", "widgets")
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=FORGES, ids=lambda case: case.name)
def world(request: pytest.FixtureRequest, tmp_path: Path) -> World:
    return World(tmp_path, request.param)


@pytest.fixture
def github(tmp_path: Path) -> World:
    """For what does not depend on the forge (the workspace lock): run once, on GitHub."""
    return World(tmp_path, GITHUB)


# -- names: case and renames ------------------------------------------------------------


def test_a_repository_named_in_another_case_reruns_without_a_write(world: World) -> None:
    forge = world.case
    remote = world.add_repo()
    report = world.run(targets=("Acme/Widgets",))
    assert actions(report) == [("acme/widgets", "rename-foo", "opened")]  # the forge's spelling
    writes = len(world.fake.write_calls)
    report = world.run(targets=("ACME/widgets",))
    assert actions(report) == [("acme/widgets", "rename-foo", "up to date")]
    assert len(world.fake.write_calls) == writes
    # after a base move the one request is updated in place, its body too
    new_main = remote.commit({"more.go": "package main\n\nfunc more() { Foo(9) }\n"}, "more work")
    report = world.run(targets=("Acme/WIDGETS", "acme/widgets"))  # listed twice: processed once
    assert actions(report) == [("acme/widgets", "rename-foo", "updated")]
    [pr] = world.open_prs()
    assert find_marker(forge.body(pr)).base == new_main  # type: ignore[union-attr]
    assert world.fake.write_calls[writes:] == [forge.update_call("acme/widgets", forge.number(pr))]


def test_a_renamed_repository_is_followed_and_its_new_name_reported(world: World) -> None:
    world.add_repo()
    world.run()
    writes = len(world.fake.write_calls)
    world.case.rename(world.fake, "acme/widgets", "acme/gadgets")
    report = world.run(targets=("acme/widgets",))
    assert actions(report) == [("acme/gadgets", "", "renamed"), ("acme/gadgets", "rename-foo", "up to date")]
    assert report.lines[0].detail.startswith("acme/widgets is now acme/gadgets")
    assert not report.failed
    assert len(world.fake.write_calls) == writes


def test_a_redirect_to_another_host_is_not_followed(world: World) -> None:
    forge = world.case
    sent: list[httpx.Request] = []

    def elsewhere(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(301, headers={"Location": "https://elsewhere.test/repos/acme/widgets"})

    api_url = f"https://{forge.web_host}{forge.api_path}"
    client = forge.client_class("secret", api_url=api_url, transport=httpx.MockTransport(elsewhere), clock=FakeClock())
    with pytest.raises(ForgeError, match=r"^acme/widgets: .* redirects GET .* to https://elsewhere.test/"):
        forge.forge_of(client).get_repository(SLUG)
    assert len(sent) == 1  # the token never went to the other host


# -- lost answers -------------------------------------------------------------------------


def _lose_answers_after_acting(fake: Any, path_end: str) -> httpx.MockTransport:
    """The fake acts on a POST to ``path_end`` and then the connection drops, once."""
    dropped: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        response = fake.handle(request)
        if request.method == "POST" and request.url.path.endswith(path_end) and not dropped:
            dropped.append(request)
            raise httpx.RemoteProtocolError("peer closed connection without sending a response", request=request)
        return response

    return httpx.MockTransport(handle)


@pytest.mark.parametrize("fault", ["502 after acting", "reset after acting", "502 before acting"])
def test_a_comment_whose_answer_is_lost_is_posted_exactly_once(world: World, fault: str) -> None:
    forge, fake = world.case, world.fake
    world.add_repo()
    world.run()
    number = forge.number(world.only_pr())
    api = forge.connect(fake, world.clock)
    if fault == "reset after acting":
        client = forge.client_class(
            "test-token",
            api_url=fake.api_url,
            transport=_lose_answers_after_acting(fake, forge.comment_path),
            clock=world.clock,
        )
        api = forge.forge_of(client)
    else:
        fake.inject(502, method="POST", path_contains=forge.comment_path, after_acting=fault == "502 after acting")
    api.comment(SLUG, number, "hello <!-- gocodemod-comment: test -->")
    assert forge.comments(fake, "acme/widgets", number) == ["hello <!-- gocodemod-comment: test -->"]
    posts = [call for call in fake.write_calls if call[1].endswith(forge.comment_path)]
    assert len(posts) == (2 if fault == "502 before acting" else 1)


def test_a_comment_that_never_gets_through_fails_saying_so(world: World) -> None:
    forge, fake = world.case, world.fake
    world.add_repo()
    world.run()
    number = forge.number(world.only_pr())
    api = forge.connect(fake, world.clock)
    fake.inject(503, method="POST", path_contains=forge.comment_path, times=10)
    with pytest.raises(ForgeError, match=r"answered HTTP 503 .*; it did not take effect$"):
        api.comment(SLUG, number, "hello")
    assert forge.comments(fake, "acme/widgets", number) == []


def test_the_bot_comments_once_when_the_answer_is_lost(world: World) -> None:
    forge = world.case
    remote = world.add_repo()
    world.run()
    remote.commit({"human.go": "package main\n"}, "a person's fix", branch=BRANCH)
    world.fake.inject(502, method="POST", path_contains=forge.comment_path, after_acting=True)
    report = world.run()
    assert actions(report) == [("acme/widgets", "rename-foo", "left alone")]
    [pr] = world.open_prs()
    assert len(forge.comments(world.fake, "acme/widgets", forge.number(pr))) == 1


def test_a_request_opened_although_its_answer_was_lost_is_opened_once(world: World) -> None:
    forge = world.case
    world.add_repo()
    world.fake.inject(502, method="POST", path_contains=forge.pr_path, after_acting=True)
    report = world.run()
    assert actions(report) == [("acme/widgets", "rename-foo", "opened")]
    assert len(world.open_prs()) == 1
    writes = len(world.fake.write_calls)
    assert actions(world.run()) == [("acme/widgets", "rename-foo", "up to date")]
    assert len(world.fake.write_calls) == writes


# -- a branch moved under the bot ---------------------------------------------------------


class ThenAPersonPushes(InlineExecutor):
    """Prepares each repository, then lets ``push`` run: between the bot's fetch and its push."""

    def __init__(self, push: Callable[[], str]):
        self.push = push
        self.pushed: list[str] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        self.pushed.append(self.push())
        return future


@pytest.mark.parametrize("existing", [False, True], ids=["new-branch", "bot-branch"])
def test_a_branch_moved_under_the_bot_is_not_overwritten_and_the_report_says_so(world: World, existing: bool) -> None:
    remote = world.add_repo()
    expected = "no branch"
    if existing:
        world.run()
        expected = remote.sha(BRANCH)[:12]  # type: ignore[index]
        remote.commit({"more.go": "package main\n\nfunc more() { Foo(9) }\n"}, "more work")
    person = ThenAPersonPushes(lambda: remote.commit({"human.go": "package main\n"}, "mine", branch=BRANCH))
    report = world.run(executor=person)
    [line] = report.lines
    [theirs] = person.pushed
    assert line.failed and line.action == "failed"
    assert line.detail == (
        f"did not push {BRANCH}: it moved under the bot since it was fetched "
        f"(expected {expected}, the remote now has {theirs[:12]}); "
        "nothing was overwritten, the next run looks at it again"
    )
    assert remote.sha(BRANCH) == theirs
    if not existing:
        assert world.open_prs() == []
    report = world.run()  # the next run sees someone else's commit and touches nothing
    assert [action for _, _, action in actions(report)] == ["left alone" if existing else "blocked"]
    assert remote.sha(BRANCH) == theirs


# -- one workspace, one run -----------------------------------------------------------------


def _hold_lock_in_another_process(workspace: Path) -> subprocess.Popen[str]:
    code = (
        "import sys; from pathlib import Path; from codemod.bot.lock import workspace_lock\n"
        "with workspace_lock(Path(sys.argv[1])):\n    print('locked', flush=True); sys.stdin.read()\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(workspace)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    return holder


def test_a_second_run_on_a_busy_workspace_waits_then_refuses_clearly(github: World) -> None:
    github.add_repo()
    holder = _hold_lock_in_another_process(github.tmp / "workspace")
    try:
        with pytest.raises(WorkspaceBusyError) as refused:
            github.run(lock_wait=30.0)
        assert str(refused.value) == (
            f"{github.tmp / 'workspace'}: another bot run (pid {holder.pid}) still uses this workspace after 30s; "
            "run again when it is done, or give this run its own --workspace"
        )
        assert github.output[0].startswith(
            f"waiting for another bot run using the workspace {github.tmp / 'workspace'}"
        )
        assert sum(github.clock.sleeps) >= 30.0  # on the fake clock: the test never really waits
        assert github.fake.calls == []  # nothing read, nothing written while refused
    finally:
        holder.communicate("")
    assert actions(github.run()) == [("acme/widgets", "rename-foo", "opened")]


def test_a_second_run_waits_for_the_first_and_then_goes_on(github: World) -> None:
    github.add_repo()
    (github.tmp / "workspace").mkdir()
    other = open(github.tmp / "workspace" / LOCK_NAME, "a+")  # another run's hold on the lock
    fcntl.flock(other.fileno(), fcntl.LOCK_EX)

    def echo_and_finish_the_other_run(text: str) -> None:
        github.output.append(text)
        if text.startswith("waiting for another bot run"):
            other.close()  # the other run finishes while this one waits

    report = github.run(echo=echo_and_finish_the_other_run)
    assert actions(report) == [("acme/widgets", "rename-foo", "opened")]
    assert any(line.startswith("waiting for another bot run") for line in github.output)


def test_a_killed_run_leaves_no_lock_behind(github: World) -> None:
    github.add_repo()
    holder = _hold_lock_in_another_process(github.tmp / "workspace")
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert actions(github.run(lock_wait=0.0)) == [("acme/widgets", "rename-foo", "opened")]
    assert not any(line.startswith("waiting") for line in github.output)


def test_a_run_whose_workers_outlive_it_does_not_keep_the_lock(github: World) -> None:
    github.add_repo()
    code = (
        "import multiprocessing, sys, time; from pathlib import Path; from codemod.bot.lock import workspace_lock\n"
        "with workspace_lock(Path(sys.argv[1])):\n"
        "    worker = multiprocessing.get_context('fork').Process(target=time.sleep, args=(600,))\n"
        "    worker.start(); print(worker.pid, flush=True); sys.stdin.read()\n"
    )
    run = subprocess.Popen(
        [sys.executable, "-c", code, str(github.tmp / "workspace")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert run.stdout is not None
    worker = int(run.stdout.readline())
    try:
        os.kill(run.pid, signal.SIGKILL)
        run.wait()
        assert actions(github.run(lock_wait=0.0)) == [("acme/widgets", "rename-foo", "opened")]
        assert not any(line.startswith("waiting") for line in github.output)
    finally:
        os.kill(worker, signal.SIGKILL)


def test_an_unusable_workspace_is_one_line_on_the_command_line(github: World, monkeypatch) -> None:
    (github.tmp / "not-a-dir").write_text("a file where the workspace should be\n")
    for case in FORGES:
        monkeypatch.delenv(case.token_env, raising=False)
    result = CliRunner().invoke(
        bot_command,
        [
            "--repo",
            "acme/widgets",
            "-r",
            str(github.recipe_dir / "rename-foo.yaml"),
            "--dry-run",
            "--workspace",
            str(github.tmp / "not-a-dir" / "ws"),
        ],
    )
    assert result.exit_code == 3
    assert result.output == (
        f"gocodemod: {github.tmp / 'not-a-dir' / 'ws'}: cannot use it as the bot's workspace (Not a directory); "
        "choose another with --workspace\n"
    )
