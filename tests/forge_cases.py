"""GitHub and GitLab as one shape, for the tests that check the same behaviour on both.

A :class:`ForgeCase` builds its stateful fake (tests/fake_github.py,
tests/fake_gitlab.py), connects the real client to it, reads a pull or merge
request back out of the fake in the forge's own words (``head.ref`` or
``source_branch``, ``body`` or ``description``, ...), and knows the few wire
facts a shared test asserts (paths, messages, rate-limit headers). The
:class:`World` is the bot's end-to-end setting on one forge: the fake, real
bare repositories behind it, recipe files, and a way to run the bot.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from fake_forge_common import FakeClock, git
from fake_github import FakeGitHub
from fake_gitlab import FakeGitLab

from codemod.bot.forge.base import RepoSlug
from codemod.bot.forge.github import GitHubClient, GitHubForge
from codemod.bot.forge.gitlab import GitLabClient, GitLabForge
from codemod.bot.launch import InlineExecutor
from codemod.bot.reconcile import BotOptions, BotReport, run_bot
from codemod.recipes.load import load_recipes

HUMAN = ("-c", "user.name=Human", "-c", "user.email=human@example.com")
BRANCH = "gocodemod/rename-foo"
TITLE = "gocodemod(rename-foo): Call Bar instead of Foo"

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


class ForgeCase:
    """What a shared test needs to know about one forge and its fake."""

    name: str  # the --forge value
    service: str  # as messages name it
    token_env: str
    web_host: str  # the fake's web host, for clone URLs
    api_path: str  # the API's path below the host
    feature: str  # the second branch of the ``bare_repo`` fixture repository
    pr_path: str  # in the path of every pull/merge request call, for injected faults
    client_class: type

    def __repr__(self) -> str:
        return self.name

    # -- the fake and the client -------------------------------------------------

    def new_fake(self) -> Any:
        raise NotImplementedError

    def add_repo(self, fake: Any, full_name: str, bare: Path) -> None:
        raise NotImplementedError

    def forge_of(self, client: Any) -> Any:
        raise NotImplementedError

    def connect(self, fake: Any, clock: FakeClock, *, token: str = "test-token", **kwargs: Any) -> Any:
        """The real forge, talking to ``fake`` through a mock transport."""
        client = self.client_class(token, api_url=fake.api_url, transport=fake.transport(), clock=clock, **kwargs)
        return self.forge_of(client)

    # -- what the fake holds -----------------------------------------------------

    def records(self, fake: Any, repo: str) -> dict[int, dict[str, Any]]:
        """The fake's stored pull/merge requests of ``repo`` by number, for a person's edits."""
        raise NotImplementedError

    def open_prs(self, fake: Any, repo: str = "acme/widgets") -> list[dict[str, Any]]:
        raise NotImplementedError

    def pr(self, fake: Any, repo: str, number: int) -> dict[str, Any]:
        raise NotImplementedError

    def comments(self, fake: Any, repo: str, number: int) -> list[str]:
        raise NotImplementedError

    def stored_open_pr(self, number: int) -> dict[str, Any]:
        """A stored open request numbered ``number`` on branch ``b<number>``, as the fake keeps them."""
        raise NotImplementedError

    def closed_by_a_person(self, record: dict[str, Any], merged: bool) -> None:
        raise NotImplementedError

    body_key: str  # the stored record's description field

    # -- a pull/merge request as the forge's API shows it --------------------------

    def number(self, pr: dict[str, Any]) -> int:
        raise NotImplementedError

    def head_ref(self, pr: dict[str, Any]) -> str:
        raise NotImplementedError

    def base_ref(self, pr: dict[str, Any]) -> str:
        raise NotImplementedError

    def head_sha(self, pr: dict[str, Any]) -> str:
        raise NotImplementedError

    def title(self, pr: dict[str, Any]) -> str:
        return pr["title"]

    def body(self, pr: dict[str, Any]) -> str:
        raise NotImplementedError

    def labels(self, pr: dict[str, Any]) -> list[str]:
        raise NotImplementedError

    def reviewers(self, pr: dict[str, Any]) -> list[str]:
        raise NotImplementedError

    def url(self, pr: dict[str, Any]) -> str:
        raise NotImplementedError

    def wire_title(self, title: str, draft: bool) -> str:
        """The title as the forge stores it."""
        return title

    # -- wire facts -----------------------------------------------------------------

    def retry_after_fault(self, seconds: int) -> dict[str, Any]:
        """``inject`` arguments for a rate limit that says how long to wait."""
        raise NotImplementedError

    def quota_fault(self, reset: int) -> dict[str, Any]:
        """``inject`` arguments for a used-up quota that says when it resets (epoch seconds)."""
        raise NotImplementedError

    def repo_answer(self, default_branch: str, clone_url: str) -> dict[str, Any]:
        """The smallest repository/project JSON the client reads."""
        raise NotImplementedError

    def repo_api_url(self, api_url: str, slug: RepoSlug) -> str:
        raise NotImplementedError

    def has_token(self, request: httpx.Request, token: str) -> bool:
        raise NotImplementedError

    def rejected_credentials(self, repo: str) -> str:
        """The 401 message for a wrong token."""
        raise NotImplementedError

    not_found_detail: str  # regex after "<repo>: not found on <api_url>"
    missing_head: str  # a branch that is not there
    missing_head_messages: tuple[str, ...]  # regexes the validation error must match

    def create_url(self, fake: Any, repo: str) -> str:
        raise NotImplementedError

    def comment_url(self, fake: Any, repo: str, number: int) -> str:
        raise NotImplementedError

    def dry_run_calls(self, fake: Any, repo: str) -> list[str]:
        """The writes a dry run that would open a request with the default label describes."""
        raise NotImplementedError

    def update_call(self, repo: str, number: int) -> tuple[str, str]:
        raise NotImplementedError

    def delete_branch_path(self, repo: str, branch: str) -> str:
        raise NotImplementedError

    close_methods: list[str]  # the writes that close a request: note, close, delete the branch
    nested_owner: str  # an owner as deep as the forge allows (GitLab: nested groups)
    forge_option: tuple[str, ...]  # how the command line is told the forge (GitHub is the default)
    requests: str  # what the forge calls pull requests
    cli_target: str  # a --repo value the command line takes for this forge
    git_user: str  # the user name in the basic auth header git sends

    comment_path: str  # the end of the path comments are posted to, for injected faults

    def prepare_for_rate_limits(self, fake: Any) -> None:
        """Have the fake send its usual rate-limit headers, if it has such."""

    def rename(self, fake: Any, full_name: str, new_full_name: str) -> None:
        """Rename (move) a repository on the fake, the way the forge does it."""
        raise NotImplementedError


class GitHubCase(ForgeCase):
    name = "github"
    service = "GitHub"
    token_env = "GITHUB_TOKEN"
    web_host = "github.test"
    api_path = ""
    feature = "feature"
    pr_path = "/pulls"
    client_class = GitHubClient
    body_key = "body"
    not_found_detail = ""
    missing_head = "no-such-branch"
    missing_head_messages = ("acme/widgets: Validation Failed", "PullRequest head invalid")
    close_methods = ["POST", "PATCH", "DELETE"]
    git_user = "x-access-token"
    nested_owner = "acme"
    forge_option = ()
    requests = "pull requests"
    cli_target = "acme/widgets"  # a bare slug means GitHub

    def new_fake(self) -> FakeGitHub:
        return FakeGitHub()

    def add_repo(self, fake: FakeGitHub, full_name: str, bare: Path) -> None:
        owner, name = full_name.split("/")
        fake.add_repository(owner, name, bare)

    def forge_of(self, client: GitHubClient) -> GitHubForge:
        return GitHubForge(client)

    def records(self, fake: FakeGitHub, repo: str) -> dict[int, dict[str, Any]]:
        return fake.repos[repo.lower()].pulls

    def open_prs(self, fake: FakeGitHub, repo: str = "acme/widgets") -> list[dict[str, Any]]:
        return fake.open_pulls(repo)

    def pr(self, fake: FakeGitHub, repo: str, number: int) -> dict[str, Any]:
        return fake.pull(repo, number)

    def comments(self, fake: FakeGitHub, repo: str, number: int) -> list[str]:
        return fake.comments_on(repo, number)

    def stored_open_pr(self, number: int) -> dict[str, Any]:
        return {
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

    def closed_by_a_person(self, record: dict[str, Any], merged: bool) -> None:
        record.update(state="closed", merged=merged)

    def number(self, pr: dict[str, Any]) -> int:
        return pr["number"]

    def head_ref(self, pr: dict[str, Any]) -> str:
        return pr["head"]["ref"]

    def base_ref(self, pr: dict[str, Any]) -> str:
        return pr["base"]["ref"]

    def head_sha(self, pr: dict[str, Any]) -> str:
        return pr["head"]["sha"]

    def body(self, pr: dict[str, Any]) -> str:
        return pr["body"]

    def labels(self, pr: dict[str, Any]) -> list[str]:
        return [label["name"] for label in pr["labels"]]

    def reviewers(self, pr: dict[str, Any]) -> list[str]:
        return [user["login"] for user in pr["requested_reviewers"]]

    def url(self, pr: dict[str, Any]) -> str:
        return pr["html_url"]

    def retry_after_fault(self, seconds: int) -> dict[str, Any]:
        return {
            "headers": {"Retry-After": str(seconds)},
            "body": {
                "message": "You have exceeded a secondary rate limit",
                "documentation_url": "https://docs.github.com",
            },
        }

    def quota_fault(self, reset: int) -> dict[str, Any]:
        return {
            "status": 403,
            "headers": {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)},
            "body": {"message": "API rate limit exceeded", "documentation_url": "https://docs.github.com"},
        }

    def repo_answer(self, default_branch: str, clone_url: str) -> dict[str, Any]:
        return {"default_branch": default_branch, "clone_url": clone_url}

    def repo_api_url(self, api_url: str, slug: RepoSlug) -> str:
        return f"{api_url}/repos/{slug}"

    def has_token(self, request: httpx.Request, token: str) -> bool:
        return request.headers["Authorization"] == f"Bearer {token}"

    def rejected_credentials(self, repo: str) -> str:
        return f"{repo}: GitHub rejected the credentials (HTTP 401: Bad credentials); check GITHUB_TOKEN"

    def create_url(self, fake: FakeGitHub, repo: str) -> str:
        return f"{fake.api_url}/repos/{repo}/pulls"

    def comment_url(self, fake: FakeGitHub, repo: str, number: int) -> str:
        return f"{fake.api_url}/repos/{repo}/issues/{number}/comments"

    def dry_run_calls(self, fake: FakeGitHub, repo: str) -> list[str]:
        # labels are a call of their own, on the request not yet opened (number 0)
        return [f"POST {self.create_url(fake, repo)}", f"POST {fake.api_url}/repos/{repo}/issues/0/labels"]

    def update_call(self, repo: str, number: int) -> tuple[str, str]:
        return ("PATCH", f"/repos/{repo}/pulls/{number}")

    def delete_branch_path(self, repo: str, branch: str) -> str:
        return f"/repos/{repo}/git/refs/heads/{branch}"

    def prepare_for_rate_limits(self, fake: FakeGitHub) -> None:
        fake.rate_limit_headers = True

    comment_path = "/comments"

    def rename(self, fake: FakeGitHub, full_name: str, new_full_name: str) -> None:
        owner, name = new_full_name.split("/")
        fake.rename(full_name, owner, name)


class GitLabCase(ForgeCase):
    name = "gitlab"
    service = "GitLab"
    token_env = "GITLAB_TOKEN"
    web_host = "gitlab.test"
    api_path = "/api/v4"
    feature = "feature/x"
    pr_path = "/merge_requests"
    client_class = GitLabClient
    body_key = "description"
    not_found_detail = " .*404 Project Not Found"
    missing_head = "nope"
    missing_head_messages = (r'^acme/widgets: Source branch "nope" does not exist$',)
    close_methods = ["POST", "PUT", "DELETE"]
    git_user = "oauth2"
    nested_owner = "platform/go"
    forge_option = ("--forge", "gitlab")
    requests = "merge requests"
    cli_target = "https://gitlab.com/acme/widgets.git"

    def new_fake(self) -> FakeGitLab:
        fake = FakeGitLab()
        fake.add_user("alice")
        return fake

    def add_repo(self, fake: FakeGitLab, full_name: str, bare: Path) -> None:
        fake.add_project(full_name, bare)

    def forge_of(self, client: GitLabClient) -> GitLabForge:
        return GitLabForge(client)

    def records(self, fake: FakeGitLab, repo: str) -> dict[int, dict[str, Any]]:
        return fake.projects[repo.lower()].merge_requests

    def open_prs(self, fake: FakeGitLab, repo: str = "acme/widgets") -> list[dict[str, Any]]:
        return [fake.merge_request(repo, mr["iid"]) for mr in fake.open_merge_requests(repo)]

    def pr(self, fake: FakeGitLab, repo: str, number: int) -> dict[str, Any]:
        return fake.merge_request(repo, number)

    def comments(self, fake: FakeGitLab, repo: str, number: int) -> list[str]:
        return fake.notes_on(repo, number)

    def stored_open_pr(self, number: int) -> dict[str, Any]:
        return {
            "id": number,
            "iid": number,
            "state": "opened",
            "title": f"t{number}",
            "description": None,
            "source_branch": f"b{number}",
            "target_branch": "main",
            "sha": "0" * 40,
            "labels": [],
            "reviewer_ids": [],
            "remove_source_branch": True,
        }

    def closed_by_a_person(self, record: dict[str, Any], merged: bool) -> None:
        record["state"] = "merged" if merged else "closed"

    def number(self, pr: dict[str, Any]) -> int:
        return pr["iid"]

    def head_ref(self, pr: dict[str, Any]) -> str:
        return pr["source_branch"]

    def base_ref(self, pr: dict[str, Any]) -> str:
        return pr["target_branch"]

    def head_sha(self, pr: dict[str, Any]) -> str:
        return pr["sha"]

    def body(self, pr: dict[str, Any]) -> str:
        return pr["description"]

    def labels(self, pr: dict[str, Any]) -> list[str]:
        return pr["labels"]

    def reviewers(self, pr: dict[str, Any]) -> list[str]:
        return [user["username"] for user in pr["reviewers"]]

    def url(self, pr: dict[str, Any]) -> str:
        return pr["web_url"]

    def wire_title(self, title: str, draft: bool) -> str:
        return f"Draft: {title}" if draft else title

    def retry_after_fault(self, seconds: int) -> dict[str, Any]:
        return {
            "headers": {"Retry-After": str(seconds), "RateLimit-Limit": "600", "RateLimit-Remaining": "0"},
            "body": "Retry later\n",
        }

    def quota_fault(self, reset: int) -> dict[str, Any]:
        return {"status": 429, "headers": {"RateLimit-Reset": str(reset)}, "body": "Retry later\n"}

    def repo_answer(self, default_branch: str, clone_url: str) -> dict[str, Any]:
        return {"default_branch": default_branch, "http_url_to_repo": clone_url}

    def repo_api_url(self, api_url: str, slug: RepoSlug) -> str:
        return f"{api_url}/projects/{slug.owner}%2F{slug.name}"

    def has_token(self, request: httpx.Request, token: str) -> bool:
        return request.headers["PRIVATE-TOKEN"] == token

    def rejected_credentials(self, repo: str) -> str:
        return f"{repo}: GitLab rejected the credentials (HTTP 401: 401 Unauthorized); check GITLAB_TOKEN"

    def create_url(self, fake: FakeGitLab, repo: str) -> str:
        return f"{fake.api_url}/projects/{repo.replace('/', '%2F')}/merge_requests"

    def comment_url(self, fake: FakeGitLab, repo: str, number: int) -> str:
        return f"{fake.api_url}/projects/{repo.replace('/', '%2F')}/merge_requests/{number}/notes"

    def dry_run_calls(self, fake: FakeGitLab, repo: str) -> list[str]:
        return [f"POST {self.create_url(fake, repo)}"]  # labels go with the create call

    def update_call(self, repo: str, number: int) -> tuple[str, str]:
        return ("PUT", f"/api/v4/projects/{repo.replace('/', '%2F')}/merge_requests/{number}")

    def delete_branch_path(self, repo: str, branch: str) -> str:
        return f"/api/v4/projects/{repo.replace('/', '%2F')}/repository/branches/{branch.replace('/', '%2F')}"

    comment_path = "/notes"

    def rename(self, fake: FakeGitLab, full_name: str, new_full_name: str) -> None:
        fake.rename(full_name, new_full_name)


GITHUB = GitHubCase()
GITLAB = GitLabCase()
FORGES = [GITHUB, GITLAB]


class Remote:
    """A bare repository standing for the forge side, plus a person's clone of it."""

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
    """One forge's fake, its repositories, the recipes, and a way to run the bot."""

    def __init__(self, tmp: Path, forge: ForgeCase):
        self.tmp = tmp
        self.case = forge
        self.fake = forge.new_fake()
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
        self.case.add_repo(self.fake, f"{owner}/{name}", remote.bare)
        return remote

    def forge(self, token: str = "test-token", dry_run: bool = False) -> Any:
        return self.case.connect(self.fake, self.clock, token=token, dry_run=dry_run, echo=self.output.append)

    def run(
        self,
        targets: tuple[str, ...] = ("acme/widgets",),
        recipes: tuple[str, ...] = ("rename-foo",),
        token: str = "test-token",
        executor=None,
        lock_wait: float = 60.0,
        echo: Callable[[str], None] | None = None,
        **options,
    ) -> BotReport:
        loaded = load_recipes([str(self.recipe_dir / f"{r}.yaml") for r in recipes], include_builtin=False)
        return run_bot(
            list(targets),
            loaded,
            self.forge(token, options.get("dry_run", False)),
            BotOptions(**options),
            workspace=self.tmp / "workspace",
            forge_host=self.case.web_host,
            executor=executor or InlineExecutor(),
            echo=echo or self.output.append,
            lock_wait=lock_wait,
            clock=self.clock,
        )

    # -- what the forge holds, in its own words --------------------------------------

    def open_prs(self, repo: str = "acme/widgets") -> list[dict[str, Any]]:
        return self.case.open_prs(self.fake, repo)

    def only_pr(self, repo: str = "acme/widgets") -> dict[str, Any]:
        [pr] = self.open_prs(repo)
        return pr

    def records(self, repo: str = "acme/widgets") -> dict[int, dict[str, Any]]:
        return self.case.records(self.fake, repo)


def actions(report: BotReport) -> list[tuple[str, str, str]]:
    return [(line.repo, line.recipe, line.action) for line in report.lines]
