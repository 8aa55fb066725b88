"""A minimal LSP client for the ``gocodemod lsp`` tests, and what they share.

:class:`Client` starts the server (``python -m codemod.cli lsp``) as a
subprocess and speaks JSON-RPC to it over its standard input and output;
every wait has a timeout (:data:`WAIT`), so a server that hangs fails the
test. :func:`make_module` makes a temporary Go module (go 1.22) in a git
repository and :func:`started` a server initialized in it (the test modules'
``module`` and ``client`` fixtures). :func:`apply_edit` applies a returned WorkspaceEdit;
:func:`run_write` and :func:`accepted_interactively` give what the CLI
writes for the same files, to compare with byte for byte.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

WAIT = 60.0  # seconds: generous for a loaded machine; a hung server fails the test instead of hanging CI

INTERFACE_ANY = """package main

import "fmt"

func show(v interface{}) {
	fmt.Println(v)
}

func pair(a interface{}, b interface{}) {
	show(a)
	show(b)
}

func main() {
	pair(1, 2)
}
"""


class Client:
    """A minimal LSP client: frames, requests with ids, notifications, answers to the server's requests."""

    def __init__(self, cwd: Path):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.stderr = open(cwd.parent / "lsp-stderr.txt", "wb")  # noqa: SIM115  closed in close()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "codemod.cli", "lsp"],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env=env,
        )
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.responses: dict[int, dict[str, Any]] = {}
        self.notifications: list[dict[str, Any]] = []
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            headers: dict[str, str] = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode().partition(":")
                headers[name.strip().lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            self.messages.put(json.loads(body))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> int:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.next_id

    def _pump(self, until: Callable[[], Any]) -> Any:
        """Read messages until ``until()`` gives something, within :data:`WAIT` seconds."""
        import time

        deadline = time.monotonic() + WAIT
        while (found := until()) is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.process.poll() is not None:
                raise AssertionError(f"no answer from the server (exit code {self.process.poll()})")
            try:
                message = self.messages.get(timeout=min(remaining, 1.0))
            except queue.Empty:
                continue
            if "id" in message and "method" in message:  # a request from the server (registerCapability)
                self.send({"id": message["id"], "result": None})
            elif "id" in message:
                self.responses[message["id"]] = message
            else:
                self.notifications.append(message)
        return found

    def response(self, request_id: int) -> dict[str, Any]:
        return self._pump(lambda: self.responses.pop(request_id, None))

    def call(self, method: str, params: Any) -> Any:
        answer = self.response(self.request(method, params))
        assert "error" not in answer, answer
        return answer["result"]

    def notification(self, method: str, accept: Callable[[dict[str, Any]], bool] = lambda params: True) -> Any:
        def first() -> Any:
            for index, message in enumerate(self.notifications):
                if message["method"] == method and accept(message["params"]):
                    del self.notifications[index]
                    return message["params"]
            return None

        return self._pump(first)

    def diagnostics(self, uri: str, version: int | None = None) -> list[dict[str, Any]]:
        params = self.notification(
            "textDocument/publishDiagnostics",
            lambda p: p["uri"] == uri and (version is None or p.get("version") == version),
        )
        return params["diagnostics"]

    def open(self, path: Path, text: str | None = None, language: str = "go") -> str:
        uri = path.as_uri()
        content = path.read_text() if text is None else text
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": content}},
        )
        return uri

    def close(self) -> None:
        try:
            if self.process.poll() is None:
                self.response(self.request("shutdown", None))
                self.notify("exit", None)
                self.process.wait(timeout=WAIT)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self.stderr.close()


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def make_module(tmp_path: Path) -> Path:
    """A Go module (go 1.22) in a git repository, with ``main.go`` (:data:`INTERFACE_ANY`)."""
    root = tmp_path / "mod"
    root.mkdir()
    (root / "go.mod").write_text("module example.com/m\n\ngo 1.22\n")
    (root / "main.go").write_text(INTERFACE_ANY)
    git(root, "init", "-q")
    git(root, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "--allow-empty", "-m", "init")
    return root


def started(module: Path) -> Iterator[Client]:
    """A server initialized in ``module`` (versioned edits, watched files, versioned diagnostics); shut down after."""
    client = Client(module)
    capabilities = {
        "workspace": {
            "workspaceEdit": {"documentChanges": True},
            "didChangeWatchedFiles": {"dynamicRegistration": True},
        },
        "textDocument": {"publishDiagnostics": {"versionSupport": True}},
    }
    try:
        client.call(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": module.as_uri(),
                "capabilities": capabilities,
                "workspaceFolders": None,
            },
        )
        client.notify("initialized", {})
        yield client
    finally:
        client.close()


def apply_edit(text: str, edit: dict[str, Any], uri: str | None = None) -> str:
    """Apply a WorkspaceEdit's text edits (UTF-16 positions) for ``uri`` (or its only document) to ``text``."""
    documents = edit["documentChanges"]
    if uri is None:
        assert len(documents) == 1, documents
        uri = documents[0]["textDocument"]["uri"]
    edits = [e for change in documents if change["textDocument"]["uri"] == uri for e in change["edits"]]
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position: dict[str, int]) -> int:
        if position["line"] >= len(lines):
            return len(text)
        line = lines[position["line"]]
        units = position["character"]
        chars = 0
        while units > 0 and chars < len(line):
            units -= 2 if ord(line[chars]) > 0xFFFF else 1
            chars += 1
        return starts[position["line"]] + chars

    for item in sorted(
        edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]), reverse=True
    ):
        text = text[: offset(item["range"]["start"])] + item["newText"] + text[offset(item["range"]["end"]) :]
    return text


def written_by_run(module: Path, tmp_path: Path, name: str, text: str, *recipe_args: str) -> str:
    """What ``gocodemod run --write`` writes for ``text`` as ``name``, in a copy of the module."""
    return run_write(module, tmp_path, {name: text}, *recipe_args)[name]


def run_write(module: Path, tmp_path: Path, files: dict[str, str], *recipe_args: str) -> dict[str, str]:
    """What ``gocodemod run --write`` writes for ``files`` (names to texts), in a copy of the module."""
    copy = tmp_path / "copy"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(module, copy)
    for name, text in files.items():
        (copy / name).write_text(text)
    command = [sys.executable, "-m", "codemod.cli", "run", *recipe_args, "--write", "--allow-dirty", "--no-cache", "."]
    done = subprocess.run(command, cwd=copy, capture_output=True, timeout=WAIT)
    assert done.returncode in (0, 1), done.stderr.decode()
    return {name: (copy / name).read_text() for name in files}


def whole(text: str) -> dict[str, Any]:
    return {"start": {"line": 0, "character": 0}, "end": {"line": len(text.splitlines()) + 1, "character": 0}}


def accepted_interactively(module: Path, tmp_path: Path, name: str, text: str, keys: str, *recipe_args: str) -> str:
    """What ``gocodemod run --interactive --write`` writes for ``text`` when the changes are answered with ``keys``."""
    import pexpect

    copy = tmp_path / "copy"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(module, copy)
    (copy / name).write_text(text)
    args = ["-m", "codemod.cli", "run", "--interactive", "--allow-dirty", "--no-cache", *recipe_args, "."]
    child = pexpect.spawn(sys.executable, args, cwd=str(copy), encoding="utf-8", timeout=WAIT, dimensions=(60, 160))
    for key in keys:
        child.expect_exact("Apply this change?")
        child.send(key)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return (copy / name).read_text()
