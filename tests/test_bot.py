"""The PR bot end to end: real recipes, real bare repositories, the stateful fake GitHub."""

from __future__ import annotations

import json
import subprocess
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_github import FakeClock, FakeGitHub, git, serve_on_localhost

from codemod.bot.forge.github import GitHubClient, GitHubForge
from codemod.bot.launch import InlineExecutor
from codemod.bot.reconcile import BotOptions, BotReport, run_bot
from codemod.bot.texts import find_marker
from codemod.cli.bot import bot_command
from codemod.recipes.load import load_recipes

HUMAN = ("-c", "user.name=Human", "-c", "user.email=human@example.com")
BRANCH = "gocodemod/rename-foo"

RENAME_FOO = """\
id: rename-foo
description: Call Bar instead of Foo.
rule:
  pattern: Foo($$$A)
fix: Bar($$$A)
safety: safe
"""

RENAME_QUX = """\
id: rename-qux
description: Call Quux instead of Qux.
rule:
  pattern: Qux($$$A)
fix: Quux($$$A)
safety: unsafe
"""

MAIN_GO = "package main\n\nfunc main() {\n\tFoo(1)\n\tFoo(2, 3)\n\tQux()\n}\n"


class Remote:
    """A bare repository standing for the GitHub side, plus a person's clone of it."""

    def __init__(self, root: Path, owner: str, name: str, files: dict[str, str]):
        self.bare = root / "remotes" / owner / f"{name}.git"
        self.work = root / "people" / owner / name
        self.bare.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(self.bare)], check=True)
        subprocess.run(["git", "init", "-q", "-b", "main", str(self.work)], check=True)
        git(self.work, "remote", "add", "origin", str(self.bare))
        self._commit_and_push(files, message="initial", branch="main")

    def commit(self, files: dict[str, str], message: str, branch: str = "main") -> str:
        """A person commits ``files`` on ``branch`` (as it is on the remote) and pushes."""
        git(self.work, "fetch", "-q", "origin")
        git(self.work, "checkout", "-q", "-B", branch, f"origin/{branch if self.sha(branch) else 'main'}")
        return self._commit_and_push(files, message, branch)

    def _commit_and_push(self, files: dict[str, str], message: str, branch: str) -> str:
        for path, text in files.items():
            (self.work / path).parent.mkdir(parents=True, exist_ok=True)
            (self.work / path).write_text(text)
        git(self.work, "add", ".")
        git(self.work, *HUMAN, "commit", "-qm", message)
        git(self.work, "push", "-q", "origin", f"{branch}:{branch}")
        return self.sha(branch)  # type: ignore[return-value]

    def sha(self, branch: str) -> str | None:
        done = subprocess.run(
            ["git", "-C", str(self.bare), "rev-parse", "-q", "--verify", f"refs/heads/{branch}"],
            capture_output=True,
            text=True,
        )
        return done.stdout.strip() or None

    def show(self, branch: str, path: str) -> str:
        return git(self.bare, "show", f"{branch}:{path}")


class World:
    """The fake GitHub, its repositories, the recipes, and a way to run the bot."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.fake = FakeGitHub()
        self.clock = FakeClock()
        self.recipe_dir = tmp / "recipes"
        self.recipe_dir.mkdir()
        self.write_recipe("rename-foo", RENAME_FOO)
        self.output: list[str] = []

    def write_recipe(self, name: str, text: str) -> None:
        (self.recipe_dir / f"{name}.yaml").write_text(text)

    def add_repo(self, owner: str = "acme", name: str = "widgets", files: dict[str, str] | None = None) -> Remote:
        remote = Remote(
            self.tmp, owner, name, files or {"go.mod": "module example.com/w\n\ngo 1.22\n", "main.go": MAIN_GO}
        )
        self.fake.add_repository(owner, name, remote.bare)
        return remote

    def forge(self, token: str = "test-token", dry_run: bool = False) -> GitHubForge:
        client = GitHubClient(
            token,
            api_url=self.fake.api_url,
            transport=self.fake.transport(),
            clock=self.clock,
            dry_run=dry_run,
            echo=self.output.append,
        )
        return GitHubForge(client)

    def run(
        self,
        targets: tuple[str, ...] = ("acme/widgets",),
        recipes: tuple[str, ...] = ("rename-foo",),
        token: str = "test-token",
        executor=None,
        **options,
    ) -> BotReport:
        loaded = load_recipes([str(self.recipe_dir / f"{r}.yaml") for r in recipes], include_builtin=False)
        return run_bot(
            list(targets),
            loaded,
            self.forge(token, options.get("dry_run", False)),
            BotOptions(**options),
            workspace=self.tmp / "workspace",
            forge_host="github.test",
            executor=executor or InlineExecutor(),
            echo=self.output.append,
        )


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path)


def actions(report: BotReport) -> list[tuple[str, str, str]]:
    return [(line.repo, line.recipe, line.action) for line in report.lines]


def only_pr(world: World, repo: str = "acme/widgets") -> dict:
    [pr] = world.fake.open_pulls(repo)
    return pr


def test_first_run_pushes_the_branch_and_opens_a_pr(world: World) -> None:
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
    # the PR: title, body with safety, table, reproduce command and marker; labels, draft, reviewers
    pr = only_pr(world)
    assert (pr["head"]["ref"], pr["base"]["ref"], pr["head"]["sha"]) == (BRANCH, "main", head)
    assert pr["title"] == "gocodemod(rename-foo): Call Bar instead of Foo"
    assert "**Safety:** safe: keeps behaviour" in pr["body"]
    assert "| `main.go` | 2 |" in pr["body"]
    assert "gocodemod run -r " in pr["body"] and f"git checkout {main_before}" in pr["body"]
    marker = find_marker(pr["body"])
    assert marker is not None and (marker.recipe, marker.base) == ("rename-foo", main_before)
    assert [label["name"] for label in pr["labels"]] == ["gocodemod", "go"]
    assert pr["draft"] is True
    assert [user["login"] for user in pr["requested_reviewers"]] == ["alice"]
    assert report.lines[0].url == pr["html_url"]


def test_rerun_with_nothing_changed_makes_no_write_call(world: World) -> None:
    remote = world.add_repo()
    world.run()
    writes, head = len(world.fake.write_calls), remote.sha(BRANCH)
    report = world.run()
    assert actions(report) == [("acme/widgets", "rename-foo", "up to date")]
    assert len(world.fake.write_calls) == writes
    assert remote.sha(BRANCH) == head


def test_base_moved_rebuilds_the_branch_and_updates_the_pr(world: World) -> None:
    remote = world.add_repo()
    world.run()
    number, old_head = only_pr(world)["number"], remote.sha(BRANCH)
    new_main = remote.commit({"more.go": "package main\n\nfunc more() { Foo(9) }\n"}, "more work")
    writes = len(world.fake.write_calls)
    report = world.run()
    assert actions(report) == [("acme/widgets", "rename-foo", "updated")]
    assert "base moved" in report.lines[0].detail
    head = remote.sha(BRANCH)
    assert head != old_head and git(remote.bare, "rev-parse", f"{head}^") == new_main
    assert "Bar(9)" in remote.show(BRANCH, "more.go")
    pr = only_pr(world)
    assert pr["number"] == number
    assert find_marker(pr["body"]).base == new_main  # type: ignore[union-attr]
    assert "| `more.go` | 1 |" in pr["body"]
    assert [call[0] for call in world.fake.write_calls[writes:]] == ["PATCH"]


def test_edited_recipe_rebuilds_on_the_same_base(world: World) -> None:
    remote = world.add_repo()
    world.run()
    old_hash = find_marker(only_pr(world)["body"]).recipe_hash  # type: ignore[union-attr]
    world.write_recipe("rename-foo", RENAME_FOO.replace("Bar($$$A)", "Baz($$$A)"))
    report = world.run()
    assert actions(report) == [("acme/widgets", "rename-foo", "updated")]
    assert "recipe changed" in report.lines[0].detail
    assert "\tBaz(1)" in remote.show(BRANCH, "main.go")
    assert git(remote.bare, "rev-parse", f"{BRANCH}^") == remote.sha("main")
    assert find_marker(only_pr(world)["body"]).recipe_hash != old_hash  # type: ignore[union-attr]


def test_human_commit_on_the_bot_branch_is_left_alone_and_commented_once(world: World) -> None:
    remote = world.add_repo()
    world.run()
    human_head = remote.commit({"notes.txt": "mine\n"}, "my fix on top", branch=BRANCH)
    remote.commit({"more.go": "package main\n\nfunc more() { Foo(9) }\n"}, "base moves too")
    report = world.run()
    assert actions(report) == [("acme/widgets", "rename-foo", "left alone")]
    assert "someone else pushed" in report.lines[0].detail
    assert remote.sha(BRANCH) == human_head
    number = only_pr(world)["number"]
    assert len(world.fake.comments_on("acme/widgets", number)) == 1
    writes = len(world.fake.write_calls)
    world.run()
    assert len(world.fake.write_calls) == writes  # said once, not again
    assert remote.sha(BRANCH) == human_head


def test_recipe_no_longer_applies_closes_the_pr_and_deletes_the_branch(world: World) -> None:
    remote = world.add_repo()
    world.run()
    number = only_pr(world)["number"]
    remote.commit({"main.go": MAIN_GO.replace("Foo", "Bar")}, "fixed by hand")
    report = world.run()
    assert actions(report) == [("acme/widgets", "rename-foo", "closed")]
    assert world.fake.open_pulls("acme/widgets") == []
    assert world.fake.pull("acme/widgets", number)["state"] == "closed"
    [comment] = world.fake.comments_on("acme/widgets", number)
    assert "no longer changes anything" in comment
    assert remote.sha(BRANCH) is None
    assert actions(world.run()) == [("acme/widgets", "rename-foo", "no changes")]


def test_a_pr_a_person_closed_is_not_reopened_until_the_recipe_changes(world: World) -> None:
    world.add_repo()
    world.run()
    world.fake.repos["acme/widgets"].pulls[1]["state"] = "closed"  # "no thanks"
    writes = len(world.fake.write_calls)
    report = world.run()
    assert [line.action for line in report.lines] == ["declined"]
    assert "#1 was closed without merging" in report.lines[0].detail
    assert len(world.fake.write_calls) == writes
    world.write_recipe("rename-foo", RENAME_FOO.replace("Call Bar", "Please call Bar"))
    assert [line.action for line in world.run().lines] == ["opened"]
    assert only_pr(world)["number"] == 2


def test_after_the_bot_closed_or_a_person_merged_a_new_pr_opens_when_needed(world: World) -> None:
    remote = world.add_repo()
    world.run()
    remote.commit({"main.go": MAIN_GO.replace("Foo", "Bar")}, "fixed by hand")
    assert [line.action for line in world.run().lines] == ["closed"]
    remote.commit({"main.go": MAIN_GO}, "Foo is back")
    assert [line.action for line in world.run().lines] == ["opened"]
    pulls = world.fake.repos["acme/widgets"].pulls
    pulls[2].update(state="closed", merged=True)
    remote.commit({"again.go": "package main\n\nfunc again() { Foo() }\n"}, "and again")
    assert [line.action for line in world.run().lines] == ["opened"]
    assert only_pr(world)["number"] == 3


def test_caps_hold_back_new_prs_until_a_later_run(world: World) -> None:
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
    qux = [pr for pr in world.fake.open_pulls("acme/widgets") if pr["head"]["ref"] == "gocodemod/rename-qux"]
    assert "unsafe: intentionally changes behaviour" in qux[0]["body"]


def test_dry_run_prints_everything_and_writes_nothing(world: World) -> None:
    remote = world.add_repo()
    report = world.run(dry_run=True)
    assert actions(report) == [("acme/widgets", "rename-foo", "would open")]
    assert world.fake.write_calls == []
    assert remote.sha(BRANCH) is None
    text = "\n".join(world.output)
    assert f"would push {BRANCH} to acme/widgets: git push --force-with-lease=refs/heads/{BRANCH}: origin " in text
    assert "would open PR gocodemod/rename-foo -> main: gocodemod(rename-foo): Call Bar instead of Foo" in text
    assert "    | `main.go` | 2 |" in text
    assert "would call POST https://api.github.test/repos/acme/widgets/pulls" in text
    assert "would call POST https://api.github.test/repos/acme/widgets/issues/0/labels" in text


def test_rate_limit_and_server_error_are_ridden_out(world: World) -> None:
    remote = world.add_repo()
    world.fake.rate_limit_headers = True
    world.fake.inject(429, headers={"Retry-After": "45"}, method="POST", path_contains="/pulls")
    world.fake.inject(502, method="GET", path_contains="/pulls")
    report = world.run()
    assert actions(report) == [("acme/widgets", "rename-foo", "opened")]
    assert 45.0 in world.clock.sleeps and 1.0 in world.clock.sleeps
    assert len(world.fake.open_pulls("acme/widgets")) == 1
    assert remote.sha(BRANCH) is not None


def test_bad_token_fails_clearly_naming_the_repository(world: World) -> None:
    world.add_repo()
    report = world.run(token="expired")
    [line] = report.lines
    assert report.failed and line.action == "failed"
    assert line.detail.startswith("acme/widgets: GitHub rejected the credentials (HTTP 401")


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


def test_a_push_whose_pr_could_not_be_opened_is_reported_and_finished_later(world: World) -> None:
    remote = world.add_repo()
    world.fake.inject(500, method="POST", path_contains="/pulls", times=5)
    report = world.run()
    [line] = report.lines
    assert line.failed and f"pushed {BRANCH} but then failed" in line.detail
    pushed = remote.sha(BRANCH)
    assert pushed is not None and world.fake.open_pulls("acme/widgets") == []
    report = world.run()
    assert actions(report) == [("acme/widgets", "rename-foo", "opened")]
    assert remote.sha(BRANCH) == pushed  # the same commit, not pushed again
    assert only_pr(world)["head"]["sha"] == pushed


def test_a_left_over_bot_branch_is_deleted_once_nothing_changes(world: World) -> None:
    remote = world.add_repo()
    world.fake.inject(500, method="POST", path_contains="/pulls", times=5)
    world.run()
    assert remote.sha(BRANCH) is not None and world.fake.open_pulls("acme/widgets") == []
    remote.commit({"main.go": MAIN_GO.replace("Foo", "Bar")}, "fixed by hand")
    assert [line.action for line in world.run().lines] == ["deleted branch"]
    assert remote.sha(BRANCH) is None


def test_a_pr_without_the_marker_is_not_touched(world: World) -> None:
    world.add_repo()
    world.run()
    world.fake.repos["acme/widgets"].pulls[1]["body"] = "rewritten by a person"
    world.write_recipe("rename-foo", RENAME_FOO.replace("Bar($$$A)", "Baz($$$A)"))
    writes = len(world.fake.write_calls)
    report = world.run()
    assert [line.action for line in report.lines] == ["blocked"]
    assert "no gocodemod marker" in report.lines[0].detail
    assert len(world.fake.write_calls) == writes


def test_a_foreign_branch_without_a_pr_is_not_touched(world: World) -> None:
    remote = world.add_repo()
    theirs = remote.commit({"x.go": "package main\n"}, "someone else's branch", branch=BRANCH)
    report = world.run()
    assert [line.action for line in report.lines] == ["blocked"]
    assert remote.sha(BRANCH) == theirs and world.fake.write_calls == []


def test_repos_run_in_worker_processes(world: World) -> None:
    first, second = world.add_repo(), world.add_repo("acme", "gadgets")
    with ProcessPoolExecutor(2) as pool:
        report = world.run(
            targets=("acme/widgets", "https://github.test/acme/gadgets.git", "acme/widgets"), executor=pool
        )
    assert actions(report) == [("acme/widgets", "rename-foo", "opened"), ("acme/gadgets", "rename-foo", "opened")]
    assert first.sha(BRANCH) and second.sha(BRANCH)


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


def test_command_line_against_the_fake_served_over_http(world: World, monkeypatch) -> None:
    world.add_repo()
    monkeypatch.setenv("GITHUB_TOKEN", "test-token")
    (world.tmp / "repos.txt").write_text("# our services\nacme/widgets\n\n")
    with serve_on_localhost(world.fake) as api_url:
        result = CliRunner().invoke(
            bot_command,
            [
                "--repos",
                str(world.tmp / "repos.txt"),
                "-r",
                str(world.recipe_dir / "rename-foo.yaml"),
                "--api-url",
                api_url,
                "--workspace",
                str(world.tmp / "ws"),
                "--executor",
                "inline",
                "--label",
                "codemod",
                "--author",
                "Robot <robot@example.com>",
            ],
        )
    assert result.exit_code == 0, result.output
    assert "acme/widgets  rename-foo  opened" in result.output
    pr = only_pr(world)
    assert [label["name"] for label in pr["labels"]] == ["codemod"]
    assert f"gocodemod run -r {world.recipe_dir / 'rename-foo.yaml'} --write" in pr["body"]
    author = git(world.fake.repos["acme/widgets"].path, "log", "-1", "--format=%an <%ae>", BRANCH)
    assert author == "Robot <robot@example.com>"


def test_command_line_needs_a_token_unless_dry_run(world: World, monkeypatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    result = CliRunner().invoke(bot_command, ["--repo", "acme/widgets", "-r", "rename-foo"])
    assert result.exit_code == 2
    assert "GITHUB_TOKEN is not set" in result.output


def test_marker_is_json_in_an_html_comment(world: World) -> None:
    world.add_repo()
    world.run()
    body = only_pr(world)["body"]
    last = body.strip().splitlines()[-1]
    assert last.startswith("<!-- gocodemod: {") and last.endswith("} -->")
    assert set(json.loads(last[len("<!-- gocodemod: ") : -len(" -->")])) == {
        "recipe",
        "recipe_hash",
        "base",
        "diff_hash",
    }


def test_marker_round_trip_ignores_look_alikes_in_the_description() -> None:
    from codemod.bot.texts import Marker, with_marker

    marker = Marker("r", "hash", "base", "diff")
    body = 'quoted: <!-- gocodemod: {"recipe": "x", "recipe_hash": "", "base": "", "diff_hash": ""} -->\n\n'
    body += marker.render()
    assert find_marker(body) == marker
    closed = with_marker(body, Marker("r", "hash", "base", "diff", closed_by_bot=True))
    assert find_marker(closed).closed_by_bot and closed.startswith('quoted: <!-- gocodemod: {"recipe": "x"')  # type: ignore[union-attr]
    assert find_marker("no marker here") is None
    assert find_marker("<!-- gocodemod: {not json} -->") is None
