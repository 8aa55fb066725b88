"""Pieces shared by the stateful forge fakes (tests/fake_github.py, tests/fake_gitlab.py).

A fake clock for the clients' waits, branch heads read from a real bare
repository, injected faults, a checker of answers against a vendored OpenAPI
subset, and a way to serve a fake over real HTTP on 127.0.0.1.
"""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

import httpx
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


class FakeClock:
    """A clock whose ``sleep`` only moves time forward and remembers the waits."""

    def __init__(self, now: float = 1_767_225_600.0):
        self.now = now
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout.strip()


class ReadsBareBranches:
    """For a fake repository whose branches live in the bare repository at ``self.path``.

    Heads are read once per request (``forget_refs`` at the start of each),
    so a push made between requests shows up like on the real forge.
    """

    path: Path
    _heads: dict[str, str] | None

    def branch_sha(self, branch: str) -> str | None:
        """The branch head as the bare repository has it now."""
        if self._heads is None:
            listing = git(self.path, "for-each-ref", "--format=%(refname:lstrip=2) %(objectname)", "refs/heads")
            self._heads = dict(line.split(" ", 1) for line in listing.splitlines())
        return self._heads.get(branch)

    def forget_refs(self) -> None:
        self._heads = None


@dataclass
class Fault:
    """An answer to give instead of the real one, ``times`` times.

    With ``after_acting`` the fake first does what the request asks and only
    then answers with the fault: the server acted but its answer was lost.
    """

    status: int
    headers: dict[str, str]
    body: Any  # JSON, or a str sent as plain text
    method: str | None
    path_contains: str | None
    times: int
    after_acting: bool = False

    def applies(self, request: httpx.Request) -> bool:
        return (self.method is None or request.method == self.method) and (
            self.path_contains is None or self.path_contains in request.url.path
        )


def take_fault(faults: list[Fault], request: httpx.Request) -> Fault | None:
    """The first injected fault that still applies to ``request``, used up by one."""
    for fault in faults:
        if fault.times > 0 and fault.applies(request):
            fault.times -= 1
            return fault
    return None


class OpenApiSubsetChecker:
    """Validates an answer's JSON against the response schema in a vendored OpenAPI subset.

    ``error_schema`` names the schema (under ``components/schemas``) that an
    error status the subset does not document must still match.
    """

    def __init__(self, path: Path, urn: str, error_schema: str):
        self.document = json.loads(path.read_text())
        self.urn = urn
        self.error_schema = error_schema
        resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(urn, resource)

    def schema_pointer(self, template: str, method: str, status: int) -> str | None:
        """The JSON pointer of the documented response schema, or None if it has no JSON body."""
        operation = self.document["paths"].get(template, {}).get(method.lower())
        if operation is None:
            raise AssertionError(f"{method} {template} is not in the vendored OpenAPI subset")
        response = operation["responses"].get(str(status))
        if response is None:
            return None
        if "$ref" in response:
            name = response["$ref"].rsplit("/", 1)[1]
            base = f"#/components/responses/{name}"
            response = self.document["components"]["responses"][name]
        else:
            escaped = quote(template.replace("~", "~0").replace("/", "~1"))
            base = f"#/paths/{escaped}/{method.lower()}/responses/{status}"
        if "application/json" not in response.get("content", {}):
            return None
        return f"{self.urn}{base}/content/application~1json/schema"

    def check(self, template: str, method: str, status: int, body: Any) -> None:
        """Raise AssertionError when ``body`` does not match the documented shape."""
        pointer = self.schema_pointer(template, method, status)
        if pointer is None:
            if status >= 400:  # undocumented error statuses still carry the basic error
                pointer = f"{self.urn}#/components/schemas/{self.error_schema}"
            else:
                return
        validator = Draft202012Validator({"$ref": pointer}, registry=self.registry)
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
        if errors:
            raise AssertionError(f"{method} {template} -> {status}: {errors[0].message} at {list(errors[0].path)}")


class HandlesRequests(Protocol):
    def handle(self, request: httpx.Request) -> httpx.Response: ...


@contextmanager
def serve_on_localhost(fake: HandlesRequests) -> Iterator[str]:
    """Serve ``fake`` over real HTTP on 127.0.0.1; yields the server's base URL."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            host, port = self.server.server_address[:2]
            request = httpx.Request(
                self.command, f"http://{host}:{port}{self.path}", headers=dict(self.headers.items()), content=body
            )
            response = fake.handle(request)
            self.send_response(response.status_code)
            for key, value in response.headers.items():
                if key.lower() not in ("content-length", "transfer-encoding", "content-encoding"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(response.content)))
            self.end_headers()
            self.wfile.write(response.content)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
