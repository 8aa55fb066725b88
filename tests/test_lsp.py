"""``gocodemod lsp`` spoken to by a real client: a subprocess, JSON-RPC over its standard input and output.

Each test starts the server (``python -m codemod.cli lsp``) in a temporary Go
module that is a git repository, and checks what an editor sees: diagnostics,
code actions whose edits, applied to the buffer, are byte for byte what
``gocodemod run --write`` writes, no crash on a file that does not parse,
recipe-file problems at their line and column, cancellation, and a reload
when the configuration changes. Every wait has a timeout: a server that
hangs fails the test.
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

import pytest

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


@pytest.fixture
def module(tmp_path: Path) -> Path:
    """A Go module (go 1.22) in a git repository, with one committed file."""
    root = tmp_path / "mod"
    root.mkdir()
    (root / "go.mod").write_text("module example.com/m\n\ngo 1.22\n")
    (root / "main.go").write_text(INTERFACE_ANY)
    git(root, "init", "-q")
    git(root, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "--allow-empty", "-m", "init")
    return root


@pytest.fixture
def client(module: Path) -> Iterator[Client]:
    client = Client(module)
    capabilities = {
        "workspace": {
            "workspaceEdit": {"documentChanges": True},
            "didChangeWatchedFiles": {"dynamicRegistration": True},
        },
        "textDocument": {"publishDiagnostics": {"versionSupport": True}},
    }
    client.call(
        "initialize",
        {"processId": os.getpid(), "rootUri": module.as_uri(), "capabilities": capabilities, "workspaceFolders": None},
    )
    client.notify("initialized", {})
    yield client
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


def test_diagnostics_and_quick_fix_match_run_write(client: Client, module: Path, tmp_path: Path) -> None:
    uri = client.open(module / "main.go")
    diagnostics = client.diagnostics(uri)
    assert [d["code"] for d in diagnostics] == ["interface-any"] * 3
    first = diagnostics[0]
    assert first["source"] == "gocodemod" and first["severity"] in (1, 2, 3, 4)
    assert first["range"]["start"] == {"line": 4, "character": 12}
    assert first["codeDescription"]["href"].endswith("/docs/recipes/interface-any.md")

    actions = client.call(
        "textDocument/codeAction",
        {"textDocument": {"uri": uri}, "range": first["range"], "context": {"diagnostics": [first]}},
    )
    quick = [a for a in actions if a["kind"] == "quickfix" and a["title"].startswith("Fix:")]
    assert len(quick) == 1 and quick[0]["diagnostics"] == [first]
    fixed_one = apply_edit(INTERFACE_ANY, quick[0]["edit"])
    assert fixed_one == INTERFACE_ANY.replace("v interface{}", "v any", 1)

    per_recipe = next(a for a in actions if a["title"].startswith("Fix all interface-any"))
    assert apply_edit(INTERFACE_ANY, per_recipe["edit"]) == written_by_run(
        module, tmp_path, "main.go", INTERFACE_ANY, "-r", "interface-any"
    )
    fix_all = client.call(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": whole(INTERFACE_ANY),
            "context": {"diagnostics": [], "only": ["source.fixAll"]},
        },
    )
    assert [a["kind"] for a in fix_all] == ["source.fixAll.gocodemod"]
    assert apply_edit(INTERFACE_ANY, fix_all[0]["edit"]) == written_by_run(module, tmp_path, "main.go", INTERFACE_ANY)


LAZY = """package config

import "strings"

var hosts []string

var ports []string

func Hosts() []string {
	if hosts == nil {
		hosts = strings.Split("a,b", ",")
	}
	return hosts
}

func Ports() []string {
	if ports == nil {
		ports = strings.Split("1,2", ",")
	}
	return ports
}
"""


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


def test_one_unsafe_fix_with_imports_matches_accepting_only_it(client: Client, module: Path, tmp_path: Path) -> None:
    """Of two changes, the quick fix applies the first alone, with its import (sync) and gofmt: the bytes
    --interactive writes when only that change is accepted. Its title says it is unsafe."""
    config = module / ".gocodemod.yaml"
    config.write_text("enable: [once-lazy-init]\n")
    path = module / "lazy.go"
    path.write_text(LAZY)
    uri = client.open(path)
    diagnostics = client.diagnostics(uri)
    assert [d["code"] for d in diagnostics] == ["once-lazy-init"] * 2
    assert "unsafe" in diagnostics[0]["message"]
    actions = client.call(
        "textDocument/codeAction",
        {"textDocument": {"uri": uri}, "range": diagnostics[0]["range"], "context": {"diagnostics": diagnostics}},
    )
    quick = [a for a in actions if a["title"].startswith("Apply unsafe fix")]
    assert len(quick) == 1 and not quick[0].get("isPreferred")
    fixed = apply_edit(LAZY, quick[0]["edit"])
    assert '"sync"' in fixed and "if ports == nil" in fixed and "if hosts == nil" not in fixed
    assert fixed == accepted_interactively(module, tmp_path, "lazy.go", LAZY, "yn", "-r", "once-lazy-init")
    fix_all = client.call(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": whole(LAZY),
            "context": {"diagnostics": [], "only": ["source.fixAll"]},
        },
    )
    assert fix_all == []  # an unsafe recipe is never part of the fix-all an editor may run on save


def test_edits_resolved_later_when_the_client_can(module: Path, tmp_path: Path) -> None:
    client = Client(module)
    try:
        resolve = {"codeAction": {"resolveSupport": {"properties": ["edit"]}}}
        capabilities = {"workspace": {"workspaceEdit": {"documentChanges": True}}, "textDocument": resolve}
        client.call("initialize", {"processId": os.getpid(), "rootUri": module.as_uri(), "capabilities": capabilities})
        client.notify("initialized", {})
        uri = client.open(module / "main.go")
        first = client.diagnostics(uri)[0]
        actions = client.call(
            "textDocument/codeAction",
            {"textDocument": {"uri": uri}, "range": first["range"], "context": {"diagnostics": [first]}},
        )
        assert actions and all("edit" not in action for action in actions)
        resolved = client.call("codeAction/resolve", actions[0])
        assert apply_edit(INTERFACE_ANY, resolved["edit"]) == INTERFACE_ANY.replace("v interface{}", "v any", 1)
    finally:
        client.close()


def test_change_is_debounced_and_republished(client: Client, module: Path) -> None:
    uri = client.open(module / "main.go")
    assert len(client.diagnostics(uri)) == 3
    changed = INTERFACE_ANY.replace("a interface{}, b interface{}", "a, b int")
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": changed}]},
    )
    assert [d["range"]["start"]["line"] for d in client.diagnostics(uri, version=2)] == [4]


def test_syntax_error_is_logged_and_the_server_keeps_serving(client: Client, module: Path) -> None:
    broken = module / "broken.go"
    broken.write_text("package main\n\nfunc broken( {\n")
    uri = client.open(broken)
    assert client.diagnostics(uri) == []
    log = client.notification("window/logMessage", lambda p: "broken.go" in p["message"])
    assert "syntax error" in log["message"]
    assert len(client.diagnostics(client.open(module / "main.go"))) == 3


def test_recipe_file_errors_at_their_line_and_column(client: Client, module: Path) -> None:
    recipe = module / "my.yaml"
    text = "id: my-recipe\ndescription: d\nrule:\n  pattern: fmt.Println($X)\nfix: log.Println($X)\nbogus: 1\n"
    recipe.write_text(text)
    diagnostics = client.diagnostics(client.open(recipe, language="yaml"))
    assert len(diagnostics) == 1
    assert diagnostics[0]["range"]["start"] == {"line": 5, "character": 0}
    assert "bogus" in diagnostics[0]["message"]


def test_failing_example_reported_on_the_example(client: Client, module: Path) -> None:
    recipe = module / "ex.yaml"
    text = (
        "id: no-println\ndescription: d\nrule:\n  pattern: fmt.Println($X)\nfix: fmt.Print($X)\n"
        'examples:\n  - before: "package p\\nfunc f() { fmt.Println(1) }\\n"\n'
        '    after: "package p\\nfunc f() { fmt.Println(2) }\\n"\n'
    )
    recipe.write_text(text)
    diagnostics = client.diagnostics(client.open(recipe, language="yaml"))
    assert len(diagnostics) == 1
    assert diagnostics[0]["range"]["start"]["line"] == 6
    assert "example 1 fails" in diagnostics[0]["message"]


def test_cancelled_code_action_is_answered_as_cancelled(client: Client, module: Path) -> None:
    text = INTERFACE_ANY + "".join(f"\nfunc f{i}(v interface{{}}) {{ show(v) }}\n" for i in range(700))
    path = module / "big.go"
    path.write_text(text)
    uri = client.open(path)
    client.diagnostics(uri)
    request = client.request(
        "textDocument/codeAction", {"textDocument": {"uri": uri}, "range": whole(text), "context": {"diagnostics": []}}
    )
    client.notify("$/cancelRequest", {"id": request})
    answer = client.response(request)
    assert answer.get("error", {}).get("code") == -32800, answer
    assert len(client.diagnostics(client.open(module / "main.go"))) == 3  # still serving


def test_config_change_reloads_the_selection(client: Client, module: Path) -> None:
    uri = client.open(module / "main.go")
    assert len(client.diagnostics(uri)) == 3
    config = module / ".gocodemod.yaml"
    config.write_text("disable: [interface-any]\n")
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 1}]})
    assert client.diagnostics(uri) == []


def test_package_facts_come_from_open_buffers_of_other_files(client: Client, module: Path) -> None:
    """once-lazy-init needs the variable to be package-level: declared only in another file's unsaved buffer."""
    (module / ".gocodemod.yaml").write_text("enable: [once-lazy-init]\n")
    lazy = module / "lazy.go"
    lazy.write_text(LAZY.replace("var hosts []string\n\nvar ports []string\n\n", ""))
    other = module / "other.go"
    other.write_text("package config\n")
    uri = client.open(lazy)
    assert client.diagnostics(uri) == []  # on disk, hosts and ports are declared nowhere
    client.open(other, "package config\n\nvar hosts []string\n")
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": lazy.read_text()}]},
    )
    diagnostics = client.diagnostics(uri, version=2)
    assert [(d["code"], d["range"]["start"]["line"]) for d in diagnostics] == [("once-lazy-init", 5)]


def test_positions_count_utf16_units(client: Client, module: Path) -> None:
    line = 'func f(a [len("é😀")]int, v interface{}) { _, _ = a, v }'
    text = f"package main\n\n{line}\n"
    path = module / "wide.go"
    path.write_text(text)
    uri = client.open(path)
    (diagnostic,) = client.diagnostics(uri)
    prefix = line[: line.index("interface{}")]
    assert diagnostic["range"]["start"] == {"line": 2, "character": len(prefix) + 1}  # the emoji is two units
    actions = client.call(
        "textDocument/codeAction",
        {"textDocument": {"uri": uri}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}},
    )
    assert apply_edit(text, actions[0]["edit"]) == written_by_run(module, module.parent, "wide.go", text)


def test_configuration_buffer_problems_at_their_line_and_column(client: Client, module: Path) -> None:
    config = module / ".gocodemod.yaml"
    text = "enable: [interface-any, no-such-recipe]\nbogus: 1\n"
    diagnostics = client.diagnostics(client.open(config, text, language="yaml"))
    found = sorted((d["range"]["start"]["line"], d["range"]["start"]["character"], d["message"]) for d in diagnostics)
    assert [(line, column) for line, column, _ in found] == [(1, 0)]  # the unknown key stops the parse first
    assert "unknown key 'bogus'" in found[0][2]
    fixed = "enable: [interface-any, no-such-recipe]\n"
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": config.as_uri(), "version": 2}, "contentChanges": [{"text": fixed}]},
    )
    (diagnostic,) = client.diagnostics(config.as_uri(), version=2)
    assert diagnostic["range"]["start"] == {"line": 0, "character": 24}
    assert "no-such-recipe" in diagnostic["message"]


def test_suppression_comments_are_respected(client: Client, module: Path) -> None:
    text = INTERFACE_ANY.replace("func show(", "//gocodemod:ignore interface-any -- kept for the API\nfunc show(")
    path = module / "main.go"
    path.write_text(text)
    diagnostics = client.diagnostics(client.open(path))
    assert [d["range"]["start"]["line"] for d in diagnostics] == [9, 9]  # pair's two, not show's


def test_a_fix_spread_over_files_edits_every_file_of_the_package(client: Client, module: Path, tmp_path: Path) -> None:
    """mutex-to-rwmutex: the field is here, the read-only section in another file. Changing one without
    the other would not compile (RLock on a Mutex), so the fix edits both, as run --write does."""
    (module / ".gocodemod.yaml").write_text("enable: [mutex-to-rwmutex]\n")
    golden = Path(__file__).parents[1] / "golden" / "mutex-to-rwmutex"
    files = {
        "store.go": (golden / "field-in-other-file.input.go").read_text(),
        "lookup.go": (golden / "field-in-other-file.pkg" / "lookup.go").read_text(),
    }
    for name, text in files.items():
        (module / name).write_text(text)
    (module / "main.go").unlink()
    uri = client.open(module / "store.go")
    diagnostics = client.diagnostics(uri)
    assert {d["code"] for d in diagnostics} == {"mutex-to-rwmutex"}
    actions = client.call(
        "textDocument/codeAction",
        {"textDocument": {"uri": uri}, "range": diagnostics[0]["range"], "context": {"diagnostics": diagnostics}},
    )
    assert [a["title"] for a in actions] == [
        "Fix all mutex-to-rwmutex in this package (unsafe: changes behaviour): its changes span files"
    ]
    edit = actions[0]["edit"]
    assert {change["textDocument"]["uri"] for change in edit["documentChanges"]} == {
        (module / name).as_uri() for name in files
    }
    fixed = {name: apply_edit(text, edit, (module / name).as_uri()) for name, text in files.items()}
    assert fixed == run_write(module, tmp_path, files, "-r", "mutex-to-rwmutex")
    assert "RLock" in fixed["lookup.go"]
