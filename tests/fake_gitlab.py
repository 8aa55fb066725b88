"""An in-process, stateful fake of the GitLab REST v4 endpoints the bot uses.

Served to :class:`codemod.bot.forge.gitlab.GitLabClient` through ``httpx.MockTransport``
(or over HTTP with :func:`fake_forge_common.serve_on_localhost`). Each fake
project is backed by a real bare git repository that the bot really pushes
to; branch heads and merge-request ``sha`` values are read from it.

It answers like GitLab where the bot depends on it: projects addressed by
numeric id or URL-encoded path (``group%2Fsub%2Fname``), 401 ``{"message":
"401 Unauthorized"}`` without the right ``PRIVATE-TOKEN``, 404 ``"404 Project
Not Found"`` / ``"404 Not found"`` / ``"404 Branch Not Found"``, 409 with a
message list when another open merge request has the same source and target
branch or a branch is missing, 400 ``{"error": ...}`` when a required
attribute is missing, drafts by ``Draft:`` title prefix, ``state_event``
close/reopen, comma-separated ``labels`` / ``add_labels``, ``reviewer_ids``,
system notes, and ``Link`` / ``X-Next-Page`` pagination. Faults (429 with
``Retry-After`` and ``RateLimit-*`` headers, 502, ...) are injected with
:meth:`FakeGitLab.inject`. Every answer is checked against the hand-written
subset in ``tests/data/gitlab-api-v4-subset.json``; every call is recorded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
from fake_forge_common import Fault, OpenApiSubsetChecker, ReadsBareBranches, git, take_fault

SUBSET_PATH = Path(__file__).parent / "data" / "gitlab-api-v4-subset.json"
TIMESTAMP = "2026-01-01T00:00:00.000Z"
_DRAFT = re.compile(r"^\s*(\[draft\]|\(draft\)|draft:)", re.IGNORECASE)


class GitLabChecker(OpenApiSubsetChecker):
    """Validates answers against the hand-written GitLab API v4 subset."""

    def __init__(self, path: Path = SUBSET_PATH):
        super().__init__(path, "urn:gitlab-api-v4", "error")


@dataclass
class FakeProject(ReadsBareBranches):
    full_path: str  # path_with_namespace
    path: Path  # the bare repository
    default_branch: str
    ident: int
    merge_requests: dict[int, dict[str, Any]] = field(default_factory=dict)
    notes: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    next_iid: int = 1
    _heads: dict[str, str] | None = None


Handler = Callable[[FakeProject, httpx.Request, dict[str, str]], tuple[int, Any]]


class FakeGitLab:
    """The fake service. ``transport()`` plugs it into an httpx client."""

    def __init__(self, token: str = "test-token", *, api_url: str = "https://gitlab.test/api/v4"):
        self.token = token
        self.api_url = api_url
        self.web_url = api_url.removesuffix("/api/v4")
        self.projects: dict[str, FakeProject] = {}  # by path in lower case: GitLab ignores case
        self.moved: dict[str, FakeProject] = {}  # old path in lower case -> the project (redirect routes)
        self.users: dict[str, int] = {"gocodemod-bot": 2}
        self.calls: list[tuple[str, str]] = []
        self.faults: list[Fault] = []
        self.checker = GitLabChecker()
        self.checked: list[tuple[str, str, int]] = []
        self._next_id = 1000
        self._routes: list[tuple[str, re.Pattern[str], str, Handler]] = [
            ("GET", re.compile(r"^$"), "/projects/{id}", self._get_project),
            ("GET", re.compile(r"^/merge_requests$"), "/projects/{id}/merge_requests", self._list_mrs),
            ("POST", re.compile(r"^/merge_requests$"), "/projects/{id}/merge_requests", self._create_mr),
            (
                "GET",
                re.compile(r"^/merge_requests/(?P<iid>\d+)$"),
                "/projects/{id}/merge_requests/{merge_request_iid}",
                self._get_mr,
            ),
            (
                "PUT",
                re.compile(r"^/merge_requests/(?P<iid>\d+)$"),
                "/projects/{id}/merge_requests/{merge_request_iid}",
                self._update_mr,
            ),
            (
                "GET",
                re.compile(r"^/merge_requests/(?P<iid>\d+)/notes$"),
                "/projects/{id}/merge_requests/{merge_request_iid}/notes",
                self._list_notes,
            ),
            (
                "POST",
                re.compile(r"^/merge_requests/(?P<iid>\d+)/notes$"),
                "/projects/{id}/merge_requests/{merge_request_iid}/notes",
                self._create_note,
            ),
            (
                "GET",
                re.compile(r"^/repository/branches/(?P<branch>[^/]+)$"),
                "/projects/{id}/repository/branches/{branch}",
                self._get_branch,
            ),
            (
                "DELETE",
                re.compile(r"^/repository/branches/(?P<branch>[^/]+)$"),
                "/projects/{id}/repository/branches/{branch}",
                self._delete_branch,
            ),
        ]

    # -- set-up and inspection -------------------------------------------------

    def add_project(self, full_path: str, bare_path: Path, default_branch: str = "main") -> FakeProject:
        project = FakeProject(full_path, bare_path, default_branch, self._new_id())
        self.projects[full_path.lower()] = project
        return project

    def add_user(self, username: str) -> int:
        self.users[username] = self._new_id()
        return self.users[username]

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def inject(
        self,
        status: int,
        *,
        headers: dict[str, str] | None = None,
        body: Any = None,
        method: str | None = None,
        path_contains: str | None = None,
        times: int = 1,
        after_acting: bool = False,
    ) -> None:
        """Answer the next matching ``times`` requests with ``status`` instead (``after_acting``:
        after doing what they ask, as when a gateway loses the answer)."""
        default = {"message": f"{status} {httpx.codes.get_reason_phrase(status)}"}
        answer = default if body is None else body
        self.faults.append(Fault(status, headers or {}, answer, method, path_contains, times, after_acting))

    def rename(self, full_path: str, new_path: str) -> None:
        """Move a project; like GitLab, its old path keeps answering (a redirect route) with the project."""
        project = self.projects.pop(full_path.lower())
        project.full_path = new_path
        self.projects[new_path.lower()] = project
        self.moved[full_path.lower()] = project

    @property
    def write_calls(self) -> list[tuple[str, str]]:
        return [call for call in self.calls if call[0] != "GET"]

    def open_merge_requests(self, full_path: str) -> list[dict[str, Any]]:
        project = self.projects[full_path.lower()]
        project.forget_refs()
        return [self._mr_json(project, mr) for mr in project.merge_requests.values() if mr["state"] == "opened"]

    def merge_request(self, full_path: str, iid: int) -> dict[str, Any]:
        project = self.projects[full_path.lower()]
        project.forget_refs()
        return self._mr_json(project, project.merge_requests[iid], single=True)

    def notes_on(self, full_path: str, iid: int) -> list[str]:
        return [note["body"] for note in self.projects[full_path.lower()].notes.get(iid, []) if not note["system"]]

    # -- dispatch --------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        raw = request.url.raw_path.decode().split("?", 1)[0]
        self.calls.append((request.method, raw))
        fault = take_fault(self.faults, request)
        if fault is not None:
            answer = self._respond(None, request.method, fault.status, fault.body, fault.headers)
            if not fault.after_acting:
                return answer
            self._answer(request, raw)
            return answer
        return self._answer(request, raw)

    def _answer(self, request: httpx.Request, raw: str) -> httpx.Response:
        if request.headers.get("PRIVATE-TOKEN") != self.token:
            return self._respond(None, request.method, 401, {"message": "401 Unauthorized"})
        path = raw.removeprefix("/api/v4")
        if path == "/users" and request.method == "GET":
            return self._respond("/users", "GET", 200, self._list_users(request))
        found = re.match(r"^/projects/(?P<id>[^/]+)(?P<rest>.*)$", path)
        if not found:
            return self._respond(None, request.method, 404, {"message": "404 Not Found"})
        project = self._project(unquote(found["id"]))
        if project is not None:
            project.forget_refs()  # someone may have pushed since the last request
        for method, pattern, template, handler in self._routes:
            match = pattern.match(found["rest"])
            if method == request.method and match:
                if project is None:
                    return self._respond(template, method, 404, {"message": "404 Project Not Found"})
                status, body = handler(project, request, match.groupdict())
                headers: dict[str, str] = {}
                if isinstance(body, tuple):
                    body, headers = body
                return self._respond(template, method, status, body, headers)
        return self._respond(None, request.method, 404, {"error": "404 Not Found"})

    def _project(self, ident: str) -> FakeProject | None:
        if ident.isdigit():
            return next((p for p in self.projects.values() if p.ident == int(ident)), None)
        return self.projects.get(ident.lower()) or self.moved.get(ident.lower())

    def _respond(
        self, template: str | None, method: str, status: int, body: Any, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        if template is not None:
            self.checker.check(template, method, status, body)
            self.checked.append((method, template, status))
        if body is None:
            return httpx.Response(status, headers=headers)
        if isinstance(body, str):
            return httpx.Response(status, text=body, headers=headers)
        return httpx.Response(status, json=body, headers=headers)

    # -- JSON builders -----------------------------------------------------------

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _user_json(self, username: str) -> dict[str, Any]:
        return {
            "id": self.users[username],
            "username": username,
            "name": username.title(),
            "state": "active",
            "locked": False,
            "avatar_url": None,
            "web_url": f"{self.web_url}/{username}",
        }

    def _project_json(self, project: FakeProject) -> dict[str, Any]:
        namespace, _, name = project.full_path.rpartition("/")
        return {
            "id": project.ident,
            "description": None,
            "name": name,
            "name_with_namespace": project.full_path.replace("/", " / "),
            "path": name,
            "path_with_namespace": project.full_path,
            "created_at": TIMESTAMP,
            "default_branch": project.default_branch,
            "topics": [],
            "ssh_url_to_repo": f"git@gitlab.test:{project.full_path}.git",
            "http_url_to_repo": str(project.path),
            "web_url": f"{self.web_url}/{project.full_path}",
            "readme_url": None,
            "avatar_url": None,
            "forks_count": 0,
            "star_count": 0,
            "last_activity_at": TIMESTAMP,
            "visibility": "private",
            "archived": False,
            "empty_repo": False,
            "merge_requests_enabled": True,
            "remove_source_branch_after_merge": True,
            "namespace": {
                "id": project.ident + 1,
                "name": namespace.rsplit("/", 1)[-1],
                "path": namespace.rsplit("/", 1)[-1],
                "kind": "group",
                "full_path": namespace,
                "parent_id": None,
                "avatar_url": None,
                "web_url": f"{self.web_url}/groups/{namespace}",
            },
        }

    def _mr_json(self, project: FakeProject, mr: dict[str, Any], single: bool = False) -> dict[str, Any]:
        sha = project.branch_sha(mr["source_branch"]) or mr["sha"]
        mr["sha"] = sha
        state = mr["state"]
        data = {
            "id": mr["id"],
            "iid": mr["iid"],
            "project_id": project.ident,
            "title": mr["title"],
            "description": mr["description"],
            "state": state,
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "merged_by": None,
            "merge_user": None,
            "closed_by": None,
            "merged_at": TIMESTAMP if state == "merged" else None,
            "closed_at": TIMESTAMP if state == "closed" else None,
            "target_branch": mr["target_branch"],
            "source_branch": mr["source_branch"],
            "author": self._user_json("gocodemod-bot"),
            "assignees": [],
            "reviewers": [self._user_json(name) for name, ident in self.users.items() if ident in mr["reviewer_ids"]],
            "source_project_id": mr.get("source_project_id", project.ident),
            "target_project_id": project.ident,
            "labels": list(mr["labels"]),
            "draft": bool(_DRAFT.match(mr["title"])),
            "work_in_progress": bool(_DRAFT.match(mr["title"])),
            "merge_status": "can_be_merged",
            "detailed_merge_status": "mergeable",
            "sha": sha,
            "merge_commit_sha": None,
            "squash_commit_sha": None,
            "web_url": f"{self.web_url}/{project.full_path}/-/merge_requests/{mr['iid']}",
            "references": {
                "short": f"!{mr['iid']}",
                "relative": f"!{mr['iid']}",
                "full": f"{project.full_path}!{mr['iid']}",
            },
            "user_notes_count": len(self.notes_on(project.full_path, mr["iid"])),
            "upvotes": 0,
            "downvotes": 0,
            "discussion_locked": None,
            "should_remove_source_branch": None,
            "force_remove_source_branch": mr["remove_source_branch"],
            "squash": False,
            "has_conflicts": False,
            "blocking_discussions_resolved": True,
        }
        if single:
            base_sha = project.branch_sha(mr["target_branch"])
            data.update(
                subscribed=True,
                changes_count="1",
                first_contribution=False,
                user={"can_merge": True},
                diff_refs={"base_sha": base_sha, "head_sha": sha, "start_sha": base_sha},
            )
        return data

    def _note_json(self, iid: int, body: str, system: bool) -> dict[str, Any]:
        return {
            "id": self._new_id(),
            "type": None,
            "body": body,
            "author": self._user_json("gocodemod-bot"),
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "system": system,
            "noteable_id": iid + 500,
            "noteable_type": "MergeRequest",
            "noteable_iid": iid,
            "resolvable": False,
            "confidential": False,
            "internal": False,
        }

    @staticmethod
    def _conflict(*messages: str) -> tuple[int, Any]:
        return 409, {"message": list(messages)}

    # -- handlers ----------------------------------------------------------------

    def _list_users(self, request: httpx.Request) -> list[dict[str, Any]]:
        wanted = request.url.params.get("username")
        return [self._user_json(name) for name in self.users if wanted in (None, name)]

    def _get_project(self, project: FakeProject, request: httpx.Request, _: dict[str, str]) -> tuple[int, Any]:
        return 200, self._project_json(project)

    def _list_mrs(self, project: FakeProject, request: httpx.Request, _: dict[str, str]) -> tuple[int, Any]:
        params = request.url.params
        state = params.get("state", "all")
        mrs = [
            mr
            for mr in project.merge_requests.values()
            if (state == "all" or mr["state"] == state)
            and params.get("source_branch") in (None, mr["source_branch"])
            and params.get("target_branch") in (None, mr["target_branch"])
        ]
        per_page, page = min(int(params.get("per_page", 20)), 100), int(params.get("page", 1))
        chunk = mrs[(page - 1) * per_page : page * per_page]
        headers = {"X-Page": str(page), "X-Per-Page": str(per_page), "X-Total": str(len(mrs)), "X-Next-Page": ""}
        if page * per_page < len(mrs):
            next_url = request.url.copy_with(params=params.set("page", str(page + 1)))
            headers.update({"X-Next-Page": str(page + 1), "Link": f'<{next_url}>; rel="next"'})
        return 200, ([self._mr_json(project, mr) for mr in chunk], headers)

    def _create_mr(self, project: FakeProject, request: httpx.Request, _: dict[str, str]) -> tuple[int, Any]:
        payload = json.loads(request.content)
        for required in ("source_branch", "target_branch", "title"):
            if not payload.get(required):
                return 400, {"error": f"{required} is missing"}
        source, target = payload["source_branch"], payload["target_branch"]
        if project.branch_sha(source) is None:
            return self._conflict(f'Source branch "{source}" does not exist')
        if project.branch_sha(target) is None:
            return self._conflict(f'Target branch "{target}" does not exist')
        for other in project.merge_requests.values():
            if (other["source_branch"], other["target_branch"], other["state"]) == (source, target, "opened"):
                return self._conflict(
                    f"Another open merge request already exists for this source branch: !{other['iid']}"
                )
        unknown = [ident for ident in payload.get("reviewer_ids", []) if ident not in self.users.values()]
        if unknown:
            return 400, {"message": {"reviewers": [f"user {unknown[0]} does not exist"]}}
        iid, project.next_iid = project.next_iid, project.next_iid + 1
        project.merge_requests[iid] = {
            "id": self._new_id(),
            "iid": iid,
            "state": "opened",
            "title": payload["title"],
            "description": payload.get("description"),
            "source_branch": source,
            "target_branch": target,
            "sha": project.branch_sha(source),
            "labels": _split_labels(payload.get("labels", "")),
            "reviewer_ids": list(payload.get("reviewer_ids", [])),
            "remove_source_branch": bool(payload.get("remove_source_branch")),
        }
        return 201, self._mr_json(project, project.merge_requests[iid], single=True)

    def _get_mr(self, project: FakeProject, request: httpx.Request, groups: dict[str, str]) -> tuple[int, Any]:
        mr = project.merge_requests.get(int(groups["iid"]))
        if mr is None:
            return 404, {"message": "404 Not found"}
        return 200, self._mr_json(project, mr, single=True)

    def _update_mr(self, project: FakeProject, request: httpx.Request, groups: dict[str, str]) -> tuple[int, Any]:
        iid = int(groups["iid"])
        mr = project.merge_requests.get(iid)
        if mr is None:
            return 404, {"message": "404 Not found"}
        payload = json.loads(request.content)
        if "target_branch" in payload and project.branch_sha(payload["target_branch"]) is None:
            return self._conflict(f'Target branch "{payload["target_branch"]}" does not exist')
        event = payload.get("state_event")
        if event not in (None, "close", "reopen"):
            return 400, {"error": "state_event does not have a valid value"}
        for key in ("title", "description", "target_branch"):
            if key in payload:
                mr[key] = payload[key]
        if "labels" in payload:
            mr["labels"] = _split_labels(payload["labels"])
        mr["labels"] += [name for name in _split_labels(payload.get("add_labels", "")) if name not in mr["labels"]]
        if "reviewer_ids" in payload:
            mr["reviewer_ids"] = list(payload["reviewer_ids"])
        if event and mr["state"] != "merged":
            mr["state"] = "closed" if event == "close" else "opened"
            verb = "closed" if event == "close" else "reopened"
            project.notes.setdefault(iid, []).append(self._note_json(iid, verb, system=True))
        return 200, self._mr_json(project, mr, single=True)

    def _list_notes(self, project: FakeProject, request: httpx.Request, groups: dict[str, str]) -> tuple[int, Any]:
        iid = int(groups["iid"])
        if iid not in project.merge_requests:
            return 404, {"message": "404 Not found"}
        return 200, list(reversed(project.notes.get(iid, [])))  # newest first, GitLab's default

    def _create_note(self, project: FakeProject, request: httpx.Request, groups: dict[str, str]) -> tuple[int, Any]:
        iid = int(groups["iid"])
        if iid not in project.merge_requests:
            return 404, {"message": "404 Not found"}
        body = json.loads(request.content).get("body")
        if not body:
            return 400, {"error": "body is missing"}
        note = self._note_json(iid, body, system=False)
        project.notes.setdefault(iid, []).append(note)
        return 201, note

    def _get_branch(self, project: FakeProject, request: httpx.Request, groups: dict[str, str]) -> tuple[int, Any]:
        name = unquote(groups["branch"])
        sha = project.branch_sha(name)
        if sha is None:
            return 404, {"message": "404 Branch Not Found"}
        fields = git(project.path, "show", "-s", "--format=%s%n%an%n%ae%n%cn%n%ce%n%P", sha).split("\n")
        title, author, author_email, committer, committer_email = fields[:5]
        parents = fields[5].split() if len(fields) > 5 else []
        web = f"{self.web_url}/{project.full_path}"
        return 200, {
            "name": name,
            "merged": False,
            "protected": name == project.default_branch,
            "default": name == project.default_branch,
            "developers_can_push": False,
            "developers_can_merge": False,
            "can_push": True,
            "web_url": f"{web}/-/tree/{name}",
            "commit": {
                "id": sha,
                "short_id": sha[:8],
                "created_at": TIMESTAMP,
                "parent_ids": parents,
                "title": title,
                "message": title,
                "author_name": author,
                "author_email": author_email,
                "authored_date": TIMESTAMP,
                "committer_name": committer,
                "committer_email": committer_email,
                "committed_date": TIMESTAMP,
                "web_url": f"{web}/-/commit/{sha}",
            },
        }

    def _delete_branch(self, project: FakeProject, request: httpx.Request, groups: dict[str, str]) -> tuple[int, Any]:
        name = unquote(groups["branch"])
        if project.branch_sha(name) is None:
            return 404, {"message": "404 Branch Not Found"}
        git(project.path, "update-ref", "-d", f"refs/heads/{name}")
        project.forget_refs()
        return 204, None


def _split_labels(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]
