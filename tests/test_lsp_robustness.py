"""``gocodemod lsp`` under trouble: files that do not parse, broken recipe and configuration files,
cancellation, and a configuration that changes while the server runs (see :mod:`lspclient`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lspclient import INTERFACE_ANY, Client, make_module, started, whole


@pytest.fixture
def module(tmp_path: Path) -> Path:
    return make_module(tmp_path)


@pytest.fixture
def client(module: Path) -> Iterator[Client]:
    yield from started(module)


def test_syntax_error_is_logged_and_the_server_keeps_serving(client: Client, module: Path) -> None:
    broken = module / "broken.go"
    # interface{} lets a default recipe (interface-any) through the prefilter: the file is parsed, not ruled out unread
    broken.write_text("package main\n\nfunc broken(v interface{} {\n")
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


BAD_FIX = """id: bad-fix
description: a fix that breaks the code
rule:
  pattern: fmt.Println($X)
fix: "fmt.Println($X))"
"""


def test_a_fix_the_engine_refuses_is_not_offered_and_says_why(client: Client, module: Path) -> None:
    (module / "recipes").mkdir()
    (module / "recipes" / "bad.yaml").write_text(BAD_FIX)
    (module / ".gocodemod.yaml").write_text("recipe_dirs: [recipes]\nenable: [bad-fix]\n")
    uri = client.open(module / "main.go")
    (diagnostic,) = client.diagnostics(uri)
    assert diagnostic["code"] == "bad-fix"
    actions = client.call(
        "textDocument/codeAction",
        {"textDocument": {"uri": uri}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}},
    )
    assert actions == []
    log = client.notification("window/logMessage", lambda p: "no fix offered" in p["message"])
    assert "bad-fix produced code that does not parse" in log["message"]
