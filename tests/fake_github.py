"""An in-process, stateful fake of the GitHub REST endpoints the bot uses.

Served to :class:`codemod.bot.forge.github.GitHubClient` through ``httpx.MockTransport``.
Each fake repository is backed by a real bare git repository (the bot really
pushes to it); branch heads in answers are read from that repository, so a
commit pushed by a "human" in a test shows up in ``head.sha`` like on GitHub.

It answers like GitHub where the bot depends on it: 401 for a wrong token,
404 for unknown repositories, pull requests and refs, 422 with ``message`` and
``errors`` when a pull request for that head already exists or the head
branch is missing, ``Link`` pagination, and rate-limit headers on demand.
Faults (429 with ``Retry-After``, 502, ...) are injected with :meth:`inject`.
Every answer can be checked against the vendored OpenAPI subset
(:class:`OpenApiChecker`); every call is recorded so tests count writes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx
from fake_forge_common import (
    FakeClock,
    Fault,
    OpenApiSubsetChecker,
    ReadsBareBranches,
    git,
    serve_on_localhost,
    take_fault,
)

__all__ = ["FakeClock", "FakeGitHub", "OpenApiChecker", "git", "serve_on_localhost"]

OPENAPI_PATH = Path(__file__).parent / "data" / "github-openapi-subset.json"
DOCS = "https://docs.github.com/rest"
TIMESTAMP = "2026-01-01T00:00:00Z"


def _user(login: str, ident: int) -> dict[str, Any]:
    return {
        "login": login,
        "id": ident,
        "node_id": f"U_{ident}",
        "avatar_url": f"https://avatars.example/{login}",
        "url": f"https://api.github.test/users/{login}",
        "html_url": f"https://github.test/{login}",
        "type": "User",
        "site_admin": False,
    }


class OpenApiChecker(OpenApiSubsetChecker):
    """Validates answers against the vendored GitHub OpenAPI subset."""

    def __init__(self, path: Path = OPENAPI_PATH):
        super().__init__(path, "urn:github-openapi", "basic-error")


@dataclass
class FakeRepo(ReadsBareBranches):
    owner: str
    name: str
    path: Path
    default_branch: str
    ident: int
    pulls: dict[int, dict[str, Any]] = field(default_factory=dict)
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    next_number: int = 1
    _heads: dict[str, str] | None = None  # read once per request

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


Handler = Callable[[FakeRepo, httpx.Request, dict[str, str]], tuple[int, Any]]


class FakeGitHub:
    """The fake service. ``transport()`` plugs it into an httpx client."""

    def __init__(self, token: str = "test-token", *, api_url: str = "https://api.github.test"):
        self.token = token
        self.api_url = api_url
        self.path_prefix = urlsplit(api_url).path.rstrip("/")  # "/api/v3" for GitHub Enterprise
        self.repos: dict[str, FakeRepo] = {}  # by full name in lower case: GitHub ignores case
        self.renamed: dict[str, FakeRepo] = {}  # old full name in lower case -> the repository
        self.calls: list[tuple[str, str]] = []
        self.faults: list[Fault] = []
        self.rate_limit_headers = False
        self.checker = OpenApiChecker()
        self.checked: list[tuple[str, str, int]] = []
        self._next_id = 1000
        self._routes: list[tuple[str, re.Pattern[str], str, Handler]] = [
            ("GET", re.compile(r"^$"), "/repos/{owner}/{repo}", self._get_repo),
            ("GET", re.compile(r"^/pulls$"), "/repos/{owner}/{repo}/pulls", self._list_pulls),
            ("POST", re.compile(r"^/pulls$"), "/repos/{owner}/{repo}/pulls", self._create_pull),
            (
                "PATCH",
                re.compile(r"^/pulls/(?P<n>\d+)$"),
                "/repos/{owner}/{repo}/pulls/{pull_number}",
                self._update_pull,
            ),
            (
                "POST",
                re.compile(r"^/pulls/(?P<n>\d+)/requested_reviewers$"),
                "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
                self._request_reviewers,
            ),
            (
                "POST",
                re.compile(r"^/issues/(?P<n>\d+)/labels$"),
                "/repos/{owner}/{repo}/issues/{issue_number}/labels",
                self._add_labels,
            ),
            (
                "GET",
                re.compile(r"^/issues/(?P<n>\d+)/comments$"),
                "/repos/{owner}/{repo}/issues/{issue_number}/comments",
                self._list_comments,
            ),
            (
                "POST",
                re.compile(r"^/issues/(?P<n>\d+)/comments$"),
                "/repos/{owner}/{repo}/issues/{issue_number}/comments",
                self._create_comment,
            ),
            ("GET", re.compile(r"^/git/ref/(?P<ref>.+)$"), "/repos/{owner}/{repo}/git/ref/{ref}", self._get_ref),
            (
                "DELETE",
                re.compile(r"^/git/refs/(?P<ref>.+)$"),
                "/repos/{owner}/{repo}/git/refs/{ref}",
                self._delete_ref,
            ),
        ]

    # -- set-up and inspection -------------------------------------------------

    def add_repository(self, owner: str, name: str, bare_path: Path, default_branch: str = "main") -> FakeRepo:
        self._next_id += 1
        repo = FakeRepo(owner, name, bare_path, default_branch, self._next_id)
        self.repos[repo.full_name.lower()] = repo
        return repo

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def inject(
        self,
        status: int,
        *,
        headers: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
        method: str | None = None,
        path_contains: str | None = None,
        times: int = 1,
        after_acting: bool = False,
    ) -> None:
        """Answer the next matching ``times`` requests with ``status`` instead (``after_acting``:
        after doing what they ask, as when a gateway loses the answer)."""
        default = {"message": httpx.codes.get_reason_phrase(status), "documentation_url": DOCS}
        self.faults.append(Fault(status, headers or {}, body or default, method, path_contains, times, after_acting))

    def rename(self, full_name: str, new_owner: str, new_name: str) -> None:
        """Rename a repository; its old name then answers ``301`` to ``/repositories/{id}``, like GitHub."""
        repo = self.repos.pop(full_name.lower())
        repo.owner, repo.name = new_owner, new_name
        self.repos[repo.full_name.lower()] = repo
        self.renamed[full_name.lower()] = repo

    @property
    def write_calls(self) -> list[tuple[str, str]]:
        return [call for call in self.calls if call[0] != "GET"]

    def open_pulls(self, full_name: str) -> list[dict[str, Any]]:
        repo = self.repos[full_name.lower()]
        repo.forget_refs()
        return [self._pull_json(repo, pr) for pr in repo.pulls.values() if pr["state"] == "open"]

    def pull(self, full_name: str, number: int) -> dict[str, Any]:
        repo = self.repos[full_name.lower()]
        repo.forget_refs()
        return self._pull_json(repo, repo.pulls[number])

    def comments_on(self, full_name: str, number: int) -> list[str]:
        return [c["body"] for c in self.repos[full_name.lower()].comments.get(number, [])]

    # -- dispatch --------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.calls.append((request.method, request.url.path))
        fault = take_fault(self.faults, request)
        if fault is not None:
            answer = self._respond(None, request.method, fault.status, fault.body, fault.headers)
            if not fault.after_acting:
                return answer
            self._answer(request)
            return answer
        return self._answer(request)

    def _answer(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return self._respond(None, request.method, 401, {"message": "Bad credentials", "documentation_url": DOCS})
        path = request.url.path.removeprefix(self.path_prefix)
        by_id = re.match(r"^/repositories/(?P<id>\d+)(?P<rest>.*)$", path)
        found = by_id or re.match(r"^/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)(?P<rest>.*)$", path)
        if not found:
            return self._respond(None, request.method, 404, {"message": "Not Found", "documentation_url": DOCS})
        if by_id:
            repo = next((r for r in self.repos.values() if r.ident == int(by_id["id"])), None)
        else:
            name = f"{found['owner']}/{found['name']}".lower()
            if name in self.renamed and name not in self.repos:
                return self._moved(request, self.renamed[name], found["rest"])
            repo = self.repos.get(name)
        if repo is not None:
            repo.forget_refs()  # someone may have pushed since the last request
        for method, pattern, template, handler in self._routes:
            match = pattern.match(found["rest"])
            if method == request.method and match:
                if repo is None:
                    return self._respond(template, method, 404, {"message": "Not Found", "documentation_url": DOCS})
                status, body = handler(repo, request, match.groupdict())
                headers = {}
                if isinstance(body, tuple):
                    body, headers = body
                return self._respond(template, method, status, body, headers)
        return self._respond(None, request.method, 404, {"message": "Not Found", "documentation_url": DOCS})

    def _moved(self, request: httpx.Request, repo: FakeRepo, rest: str) -> httpx.Response:
        """GitHub's answer for a renamed repository's old name (301 for reads, 307 for writes)."""
        location = f"{self.api_url}/repositories/{repo.ident}{rest}"
        if request.url.query:
            location += f"?{request.url.query.decode()}"
        status = 301 if request.method == "GET" else 307
        body = {"message": "Moved Permanently", "url": location, "documentation_url": DOCS}
        return self._respond(None, request.method, status, body, {"Location": location})

    def _respond(
        self, template: str | None, method: str, status: int, body: Any, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        if template is not None:
            self.checker.check(template, method, status, body)
            self.checked.append((method, template, status))
        all_headers = dict(headers or {})
        if self.rate_limit_headers:
            all_headers.setdefault("X-RateLimit-Limit", "5000")
            all_headers.setdefault("X-RateLimit-Remaining", "4999")
            all_headers.setdefault("X-RateLimit-Reset", "1767225600")
            all_headers.setdefault("X-RateLimit-Used", "1")
            all_headers.setdefault("X-RateLimit-Resource", "core")
        if body is None:
            return httpx.Response(status, headers=all_headers)
        return httpx.Response(status, json=body, headers=all_headers)

    # -- JSON builders -----------------------------------------------------------

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _repo_json(self, repo: FakeRepo, full: bool) -> dict[str, Any]:
        data = {
            "id": repo.ident,
            "node_id": f"R_{repo.ident}",
            "name": repo.name,
            "full_name": repo.full_name,
            "owner": _user(repo.owner, 1),
            "private": False,
            "html_url": f"https://github.test/{repo.full_name}",
            "description": None,
            "fork": False,
            "url": f"{self.api_url}/repos/{repo.full_name}",
            "clone_url": str(repo.path),
            "ssh_url": f"git@github.test:{repo.full_name}.git",
            "default_branch": repo.default_branch,
            "archived": False,
            "visibility": "public",
        }
        if full:
            data.update(
                disabled=False,
                pushed_at=TIMESTAMP,
                created_at=TIMESTAMP,
                updated_at=TIMESTAMP,
                subscribers_count=0,
                network_count=0,
            )
        return data

    def _ref_json(self, repo: FakeRepo, branch: str, sha: str) -> dict[str, Any]:
        return {
            "label": f"{repo.owner}:{branch}",
            "ref": branch,
            "sha": sha,
            "user": _user(repo.owner, 1),
            "repo": self._repo_json(repo, full=False),
        }

    def _pull_json(self, repo: FakeRepo, pr: dict[str, Any], full: bool = True) -> dict[str, Any]:
        head_sha = repo.branch_sha(pr["head"]) or pr["head_sha"]
        pr["head_sha"] = head_sha
        url = f"{self.api_url}/repos/{repo.full_name}/pulls/{pr['number']}"
        html = f"https://github.test/{repo.full_name}/pull/{pr['number']}"
        data = {
            "url": url,
            "id": pr["id"],
            "node_id": f"PR_{pr['id']}",
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "issue_url": f"{self.api_url}/repos/{repo.full_name}/issues/{pr['number']}",
            "number": pr["number"],
            "state": pr["state"],
            "locked": False,
            "title": pr["title"],
            "user": _user("gocodemod-bot", 2),
            "body": pr["body"],
            "labels": pr["labels"],
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "closed_at": TIMESTAMP if pr["state"] == "closed" else None,
            "merged_at": TIMESTAMP if pr.get("merged") else None,
            "merge_commit_sha": None,
            "requested_reviewers": [_user(login, 3) for login in pr["reviewers"]],
            "head": self._ref_json(repo, pr["head"], head_sha),
            "base": self._ref_json(repo, pr["base"], repo.branch_sha(pr["base"]) or ""),
            "author_association": "CONTRIBUTOR",
            "draft": pr["draft"],
        }
        if full:
            data.update(
                merged=bool(pr.get("merged")),
                mergeable=None,
                rebaseable=None,
                mergeable_state="unknown",
                comments=len(repo.comments.get(pr["number"], [])),
                review_comments=0,
                maintainer_can_modify=False,
                commits=1,
                additions=0,
                deletions=0,
                changed_files=0,
            )
        return data

    @staticmethod
    def _validation(message: str, *errors: dict[str, Any]) -> tuple[int, Any]:
        return 422, {"message": message, "errors": list(errors), "documentation_url": DOCS}

    @staticmethod
    def _not_found() -> tuple[int, Any]:
        return 404, {"message": "Not Found", "documentation_url": DOCS}

    # -- handlers ----------------------------------------------------------------

    def _get_repo(self, repo: FakeRepo, request: httpx.Request, _: dict[str, str]) -> tuple[int, Any]:
        return 200, self._repo_json(repo, full=True)

    def _list_pulls(self, repo: FakeRepo, request: httpx.Request, _: dict[str, str]) -> tuple[int, Any]:
        params = request.url.params
        state = params.get("state", "open")
        head = params.get("head")
        pulls = [pr for pr in repo.pulls.values() if state == "all" or pr["state"] == state]
        if head:
            owner, _, branch = head.partition(":")
            pulls = [pr for pr in pulls if owner.lower() == repo.owner.lower() and pr["head"] == branch]
        per_page = int(params.get("per_page", 30))
        page = int(params.get("page", 1))
        chunk = pulls[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(pulls):
            next_params = request.url.params.set("page", str(page + 1))
            headers["Link"] = f'<{request.url.copy_with(params=next_params)}>; rel="next"'
        return 200, ([self._pull_json(repo, pr, full=False) for pr in chunk], headers)

    def _create_pull(self, repo: FakeRepo, request: httpx.Request, _: dict[str, str]) -> tuple[int, Any]:
        payload = json.loads(request.content)
        head, base = payload.get("head", ""), payload.get("base", "")
        branch = head.split(":", 1)[-1]
        if repo.branch_sha(branch) is None:
            return self._validation(
                "Validation Failed", {"resource": "PullRequest", "field": "head", "code": "invalid"}
            )
        if repo.branch_sha(base) is None:
            return self._validation(
                "Validation Failed", {"resource": "PullRequest", "field": "base", "code": "invalid"}
            )
        if any(pr["head"] == branch and pr["state"] == "open" for pr in repo.pulls.values()):
            return self._validation(
                "Validation Failed",
                {
                    "resource": "PullRequest",
                    "code": "custom",
                    "message": f"A pull request already exists for {repo.owner}:{branch}.",
                },
            )
        number = repo.next_number
        repo.next_number += 1
        repo.pulls[number] = {
            "id": self._new_id(),
            "number": number,
            "state": "open",
            "title": payload.get("title", ""),
            "body": payload.get("body"),
            "head": branch,
            "base": base,
            "head_sha": repo.branch_sha(branch),
            "draft": bool(payload.get("draft", False)),
            "labels": [],
            "reviewers": [],
        }
        return 201, self._pull_json(repo, repo.pulls[number])

    def _pull_or_none(self, repo: FakeRepo, groups: dict[str, str]) -> dict[str, Any] | None:
        return repo.pulls.get(int(groups["n"]))

    def _update_pull(self, repo: FakeRepo, request: httpx.Request, groups: dict[str, str]) -> tuple[int, Any]:
        pr = self._pull_or_none(repo, groups)
        if pr is None:
            return self._not_found()
        payload = json.loads(request.content)
        if "state" in payload and payload["state"] not in ("open", "closed"):
            return self._validation(
                "Validation Failed", {"resource": "PullRequest", "field": "state", "code": "invalid"}
            )
        if "base" in payload and repo.branch_sha(payload["base"]) is None:
            return self._validation(
                "Validation Failed", {"resource": "PullRequest", "field": "base", "code": "invalid"}
            )
        for key in ("title", "body", "state", "base"):
            if key in payload:
                pr[key] = payload[key]
        return 200, self._pull_json(repo, pr)

    def _request_reviewers(self, repo: FakeRepo, request: httpx.Request, groups: dict[str, str]) -> tuple[int, Any]:
        pr = self._pull_or_none(repo, groups)
        if pr is None:
            return self._not_found()
        for login in json.loads(request.content).get("reviewers", []):
            if login not in pr["reviewers"]:
                pr["reviewers"].append(login)
        return 201, self._pull_json(repo, pr, full=False)

    def _add_labels(self, repo: FakeRepo, request: httpx.Request, groups: dict[str, str]) -> tuple[int, Any]:
        pr = self._pull_or_none(repo, groups)
        if pr is None:
            return self._not_found()
        for name in json.loads(request.content).get("labels", []):
            if name not in [label["name"] for label in pr["labels"]]:
                ident = self._new_id()
                pr["labels"].append(
                    {
                        "id": ident,
                        "node_id": f"L_{ident}",
                        "name": name,
                        "description": None,
                        "url": f"{self.api_url}/repos/{repo.full_name}/labels/{name}",
                        "color": "ededed",
                        "default": False,
                    }
                )
        return 200, pr["labels"]

    def _comment_json(self, repo: FakeRepo, number: int, ident: int, body: str) -> dict[str, Any]:
        return {
            "id": ident,
            "node_id": f"IC_{ident}",
            "body": body,
            "url": f"{self.api_url}/repos/{repo.full_name}/issues/comments/{ident}",
            "html_url": f"https://github.test/{repo.full_name}/pull/{number}#issuecomment-{ident}",
            "issue_url": f"{self.api_url}/repos/{repo.full_name}/issues/{number}",
            "user": _user("gocodemod-bot", 2),
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "author_association": "CONTRIBUTOR",
        }

    def _list_comments(self, repo: FakeRepo, request: httpx.Request, groups: dict[str, str]) -> tuple[int, Any]:
        number = int(groups["n"])
        if number not in repo.pulls:
            return self._not_found()
        return 200, repo.comments.get(number, [])

    def _create_comment(self, repo: FakeRepo, request: httpx.Request, groups: dict[str, str]) -> tuple[int, Any]:
        number = int(groups["n"])
        if number not in repo.pulls:
            return self._not_found()
        body = json.loads(request.content).get("body")
        if not body:
            return self._validation(
                "Validation Failed", {"resource": "IssueComment", "field": "body", "code": "missing_field"}
            )
        comment = self._comment_json(repo, number, self._new_id(), body)
        repo.comments.setdefault(number, []).append(comment)
        return 201, comment

    def _get_ref(self, repo: FakeRepo, request: httpx.Request, groups: dict[str, str]) -> tuple[int, Any]:
        ref = unquote(groups["ref"])
        sha = repo.branch_sha(ref.removeprefix("heads/")) if ref.startswith("heads/") else None
        if sha is None:
            return self._not_found()
        return 200, {
            "ref": f"refs/{ref}",
            "node_id": f"REF_{sha[:8]}",
            "url": f"{self.api_url}/repos/{repo.full_name}/git/refs/{ref}",
            "object": {"type": "commit", "sha": sha, "url": f"{self.api_url}/repos/{repo.full_name}/git/commits/{sha}"},
        }

    def _delete_ref(self, repo: FakeRepo, request: httpx.Request, groups: dict[str, str]) -> tuple[int, Any]:
        ref = unquote(groups["ref"])
        if not ref.startswith("heads/") or repo.branch_sha(ref.removeprefix("heads/")) is None:
            return self._validation("Reference does not exist")
        git(repo.path, "update-ref", "-d", f"refs/{ref}")
        repo.forget_refs()
        return 204, None
