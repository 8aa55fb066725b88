"""``gocodemod lsp`` latency: diagnostics for a 2,000-line Go file after the last keystroke.

Copies a standard-library package holding a file of about 2,000 lines
(default ``go/printer``, whose ``nodes.go`` has 2,016) into a temporary Go
module (``go 1.25``, so every version-gated recipe runs), starts the server
(``python -m codemod.cli lsp``) with pygls's client, opens the file, and
times, from the ``didChange`` that ends a burst of edits to the
``publishDiagnostics`` for that version, minus the server's debounce:

- cold: the first analysis after open (recipes loaded, the package read);
- edit: each of several edits that give new text (a new line in a function);
- warm: an edit back to text the server analysed before (its memo answers).

Prints each in milliseconds against the issue's budget (300 ms after the
debounce), and the peer measured in the same run: the engine alone on the
same texts in this process (``run_file``, as ``gocodemod run`` calls it), with
the ratio. Not a test: it asserts nothing. Usage:

    python benchmarks/lsp.py [package-dir-under-GOROOT/src] [file-name]
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

from codemod.lsp.server import DEBOUNCE

BUDGET_MS = 300
EDITS = 8


class Timed(LanguageClient):
    """A client that remembers when each version's diagnostics arrived."""

    def __init__(self) -> None:
        super().__init__("gocodemod-benchmark", "1")
        self.arrived: dict[int | None, tuple[float, int]] = {}
        self.event = asyncio.Event()


async def measure(root: Path, path: Path) -> None:
    client = Timed()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params: types.PublishDiagnosticsParams) -> None:
        client.arrived[params.version] = (time.perf_counter(), len(params.diagnostics))
        client.event.set()

    @client.feature(types.WINDOW_LOG_MESSAGE)
    def log(params: types.LogMessageParams) -> None:
        print(f"  server: {params.message[:160]}", file=sys.stderr)

    await client.start_io(sys.executable, "-m", "codemod.cli", "lsp", cwd=str(root))
    capabilities = types.ClientCapabilities(
        text_document=types.TextDocumentClientCapabilities(
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True)
        )
    )
    await client.initialize_async(
        types.InitializeParams(capabilities=capabilities, root_uri=root.as_uri(), process_id=None)
    )
    client.initialized(types.InitializedParams())
    uri, text = path.as_uri(), path.read_text()

    async def wait_for(version: int, sent: float) -> tuple[float, int]:
        while version not in client.arrived:
            client.event.clear()
            await asyncio.wait_for(client.event.wait(), 120)
        arrived, count = client.arrived[version]
        return (arrived - sent) * 1000, count

    sent = time.perf_counter()
    document = types.TextDocumentItem(uri=uri, language_id="go", version=1, text=text)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=document))
    cold, count = await wait_for(1, sent)
    print(f"{path.name}: {len(text.splitlines())} lines, {count} diagnostics")
    print(f"cold (open, recipes loaded, package read): {cold:.0f} ms")

    texts = edited(text)
    edits = [await change(client, uri, version, new_text, wait_for) for version, new_text in enumerate(texts, 2)]
    warm = await change(client, uri, 2 + len(texts), text, wait_for)  # the text analysed at open
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    engine = engine_times(root, path, texts)
    print(
        f"edit (new text), after the {DEBOUNCE * 1000:.0f} ms debounce: median {statistics.median(edits):.0f} ms,"
        f" max {max(edits):.0f} ms over {len(edits)} edits (budget {BUDGET_MS} ms)"
    )
    print(
        f"peer: the engine on the same texts in this process (what gocodemod run spends on the file):"
        f" median {statistics.median(engine):.0f} ms; server / engine {statistics.median(edits) / statistics.median(engine):.2f}"
    )
    print(f"warm (text seen before), after the debounce: {warm:.0f} ms")


def edited(text: str) -> list[str]:
    """:data:`EDITS` texts, each ``text`` with a different new line in its first function."""
    lines = text.splitlines(keepends=True)
    anchor = next(i for i, line in enumerate(lines) if line.startswith("func ") and line.rstrip().endswith("{"))
    head, tail = "".join(lines[: anchor + 1]), "".join(lines[anchor + 1 :])
    return [f"{head}\t_ = {version}\n{tail}" for version in range(2, 2 + EDITS)]


def engine_times(root: Path, path: Path, texts: list[str]) -> list[float]:
    """Milliseconds of one engine run (``run_file`` with the file's package, as a run gives it) per text."""
    from codemod.engine.core import run_file
    from codemod.run.files import GoVersions, WorkingTree
    from codemod.run.workspace import open_workspace, select_recipes

    config = open_workspace(root).config
    recipes = select_recipes(config, [])
    rel = path.relative_to(root).as_posix()
    package = {f"{rel.rpartition('/')[0]}/{p.name}": p.read_bytes() for p in path.parent.glob("*.go")}
    version = GoVersions(WorkingTree(root), config.go_versions).for_directory(rel.rpartition("/")[0])
    run_file(rel, path.read_bytes(), recipes, go_version=version, package_sources=package)  # recipes compiled
    times = []
    for text in texts:
        data = text.encode()
        started = time.perf_counter()
        run_file(rel, data, recipes, go_version=version, package_sources={**package, rel: data})
        times.append((time.perf_counter() - started) * 1000)
    return times


async def change(client: Timed, uri: str, version: int, text: str, wait_for) -> float:
    """Send one full-text change; the time from it to its diagnostics, minus the debounce, in ms."""
    sent = time.perf_counter()
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    elapsed, _ = await wait_for(version, sent)
    return elapsed - DEBOUNCE * 1000


def main() -> None:
    package = sys.argv[1] if len(sys.argv) > 1 else "go/printer"
    name = sys.argv[2] if len(sys.argv) > 2 else "nodes.go"
    goroot = subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary) / "module"
        shutil.copytree(Path(goroot) / "src" / package, root / package, ignore=shutil.ignore_patterns("testdata"))
        (root / "go.mod").write_text("module std\n\ngo 1.25\n")
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        asyncio.run(measure(root, root / package / name))


if __name__ == "__main__":
    main()
