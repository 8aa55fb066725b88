"""``gocodemod lsp`` spoken to by a real client: diagnostics, and code actions whose edits are the CLI's bytes.

Each test starts the server in a temporary Go module (:mod:`lspclient`) and
checks what an editor sees: one diagnostic per change and finding, quick
fixes whose edits, applied to the buffer, are byte for byte what ``gocodemod
run --write`` (or ``--interactive``, accepting that change alone) writes,
package facts from other files' unsaved buffers, UTF-16 positions, and
suppression comments.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from lspclient import (
    INTERFACE_ANY,
    Client,
    accepted_interactively,
    apply_edit,
    make_module,
    run_write,
    started,
    whole,
    written_by_run,
)


@pytest.fixture
def module(tmp_path: Path) -> Path:
    return make_module(tmp_path)


@pytest.fixture
def client(module: Path) -> Iterator[Client]:
    yield from started(module)


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
