"""``gocodemod lsp``: the language server's state and work (its messages are wired in :mod:`codemod.lsp.handlers`).

Go buffers get diagnostics on open, on change (after a pause of
:data:`DEBOUNCE` seconds) and on save; recipe files and ``.gocodemod.yaml``
get theirs too (:mod:`codemod.lsp.recipes`). Code actions come from
:mod:`codemod.lsp.actions`. Every engine run happens on one worker thread,
never on the event loop, so a slow package delays only its own answer:
requests, cancellations and edits keep being read meanwhile. A request
cancelled by the client (``$/cancelRequest``) is answered as cancelled at
once and its result, if the worker already started it, is dropped; an
analysis of a buffer that has changed since is not started, and its
result is not published.

Nothing stops the server but ``exit`` (or its input ending): a file that
does not parse, a recipe that fails or an internal error becomes a line in
``window/logMessage``.

The recipes are the workspace folder's selection (:class:`~codemod.lsp.recipes.WorkspaceRecipes`),
read again when ``.gocodemod.yaml``, a recipe file of the selection or a
``go.mod`` is saved or changes on disk (``workspace/didChangeWatchedFiles``, registered
when the client can). Initialization option ``docsBaseUrl``: see
:mod:`codemod.lsp.diagnostics`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from codemod import __version__
from codemod.lsp.actions import Buffer, Cancelled, Fix, code_actions
from codemod.lsp.analysis import Analysis, AnalysisMemo, analyse, job_key
from codemod.lsp.diagnostics import go_diagnostics, problem_diagnostics
from codemod.lsp.documents import FileJob, SiblingReader, encode, file_job, go_versions
from codemod.lsp.recipes import Selected, WorkspaceRecipes, check_config, check_recipe_text, is_recipe_text
from codemod.model import Status
from codemod.run.config import CONFIG_NAME
from codemod.run.files import GoVersions

DEBOUNCE = 0.15  # seconds of quiet after the last change before a buffer is analysed
SLOW = 10.0  # seconds after which an analysis still running is logged
WATCHED = ("**/*.yaml", "**/*.yml", f"**/{CONFIG_NAME}", "**/go.mod")


@dataclass
class Request:
    """A code action request on an open Go buffer, as read on the event loop for the worker."""

    uri: str
    path: Path
    version: int | None
    text: str
    buffers: dict[Path, bytes]  # the open Go buffers of its directory
    versioned: bool  # the client takes TextDocumentEdits with a version (documentChanges)
    resolve_later: bool  # the client resolves an action's edit later (codeAction/resolve)
    cancelled: threading.Event = field(default_factory=threading.Event)
    range: types.Range | None = None
    only: tuple[str, ...] | None = None
    diagnostics: tuple[types.Diagnostic, ...] = ()


class GocodemodServer(LanguageServer):
    """The server's state: open buffers (pygls's workspace), recipe selections, the worker and its memo."""

    def __init__(self) -> None:
        super().__init__("gocodemod", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gocodemod-lsp")
        self.memo = AnalysisMemo()
        self.reader = SiblingReader()
        self.folders: list[Path] = []
        self.selections: dict[Path, WorkspaceRecipes] = {}
        self.versions: dict[Path, GoVersions] = {}  # workspace root -> GoVersions, made again on reload
        self.docs_base_url: str | None = None
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.latest: dict[str, int | None] = {}  # uri -> the version the next analysis is for
        self.notes: dict[str, str] = {}  # uri -> the last skip or failure logged for it (not repeated)
        self.tasks: set[asyncio.Future] = set()
        self.loop: asyncio.AbstractEventLoop | None = None

    # -- logging from any thread

    def log(self, message: str, kind: types.MessageType = types.MessageType.Warning) -> None:
        params = types.LogMessageParams(type=kind, message=f"gocodemod: {message}")
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self.window_log_message, params)

    # -- recipes

    def selection_for(self, path: Path) -> WorkspaceRecipes:
        folder = max((f for f in self.folders if path.is_relative_to(f)), key=lambda f: len(f.parts), default=None)
        folder = folder or path.parent
        if folder not in self.selections:
            self.selections[folder] = WorkspaceRecipes(folder)
        return self.selections[folder]

    def selected(self, path: Path) -> Selected:
        """The recipes for ``path``; their problems are logged once per folder and load."""
        selection = self.selection_for(path)
        selected = selection.current
        if selected.problems:
            what = "recipe files left out (the others run)" if selected.recipes else "no recipes loaded"
            self._note(f"recipes of {selection.folder}", f"{what}: " + "; ".join(map(str, selected.problems)))
        return selected

    def affects_recipes(self, path: Path) -> bool:
        """Whether a change to ``path`` may change a selection or the Go versions."""
        return path.name == "go.mod" or any(selection.concerns(path) for selection in list(self.selections.values()))

    def preload(self) -> None:
        """Load each workspace folder's recipes before the first buffer asks for them (in the worker)."""
        try:
            for folder in self.folders:
                self.selected(folder)
        except Exception as error:
            self.log(f"loading the recipes failed: {type(error).__name__}: {error}", types.MessageType.Error)

    def reload(self) -> None:
        """Read every selection again (in the worker); forget what depended on the old ones."""
        for selection in list(self.selections.values()):
            selection.reload()
        self.versions.clear()
        self.memo.clear()

    # -- analysis (worker thread)

    def job(self, path: Path, text: str, selected: Selected, buffers: dict[Path, bytes]) -> FileJob | None:
        root = selected.root
        if root is None:
            return None
        versions = self.versions.get(root)
        if versions is None:
            versions = self.versions[root] = go_versions(root, selected.config)
        return file_job(root, selected.config, versions, path, encode(text), buffers, self.reader)

    def analysis(self, job: FileJob, selected: Selected) -> Analysis:
        key = ("analysis", job_key(job, selected.recipes))
        known = self.memo.get(key)
        if isinstance(known, Analysis):
            return known
        result = analyse(job, selected.recipes)
        self.memo.put(key, result)
        return result

    def diagnose(self, uri: str, version: int | None, text: str, buffers: dict[Path, bytes]) -> list | None:
        """The diagnostics of one buffer; None when a newer version is on its way (nothing to publish)."""
        if self.latest.get(uri, version) != version:
            return None
        path = Path(to_fs_path(uri) or "")
        if path.suffix == ".go":
            selected = self.selected(path)
            job = self.job(path, text, selected, buffers)
            if job is None or not selected.recipes:
                return []
            analysis = self.analysis(job, selected)
            if analysis.status in (Status.SKIPPED, Status.FAILED):
                self._note(uri, f"{path}: {analysis.reason}")
            else:
                self.notes.pop(uri, None)
            return go_diagnostics(text, analysis, selected.recipes, self.encoding, self.docs_base_url)
        if path.name == CONFIG_NAME:
            return problem_diagnostics(text, check_config(path, text), path, self.encoding)
        if is_recipe_text(path, text, self.selection_for(path).current.config):
            return problem_diagnostics(text, check_recipe_text(path, text), path, self.encoding)
        return []

    def _note(self, key: str, message: str) -> None:
        if self.notes.get(key) != message:
            self.notes[key] = message
            self.log(message, types.MessageType.Info)

    @property
    def encoding(self) -> str:
        return str(self.workspace.position_encoding or types.PositionEncodingKind.Utf16)

    # -- scheduling (event loop)

    def buffers_near(self, path: Path) -> dict[Path, bytes]:
        """The open Go buffers of ``path``'s directory (its package's unsaved state)."""
        out = {}
        for uri, document in self.workspace.text_documents.items():
            other = to_fs_path(uri)
            if other and other.endswith(".go") and Path(other).parent == path.parent:
                out[Path(other).resolve()] = encode(document.source)
        return out

    def schedule(self, uri: str, delay: float) -> None:
        """Analyse ``uri`` after ``delay`` seconds, unless another change comes first."""
        self.loop = asyncio.get_running_loop()
        handle = self.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        self.latest[uri] = self.workspace.get_text_document(uri).version
        self.pending[uri] = self.loop.call_later(delay, self._start, uri)

    def _start(self, uri: str) -> None:
        self.pending.pop(uri, None)
        task = asyncio.ensure_future(self.publish(uri))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def publish(self, uri: str) -> None:
        if uri not in self.workspace.text_documents:
            return
        document = self.workspace.get_text_document(uri)
        version, text = document.version, document.source
        buffers = self.buffers_near(Path(to_fs_path(uri) or ""))
        try:
            work = asyncio.get_running_loop().run_in_executor(self.worker, self.diagnose, uri, version, text, buffers)
            done, _ = await asyncio.wait({work}, timeout=SLOW)
            if not done:
                self.log(
                    f"{to_fs_path(uri)}: still analysing after {SLOW:.0f} s (a large package?)", types.MessageType.Info
                )
            diagnostics = await work
        except Exception as error:  # never let one buffer stop the server
            self.log(f"{to_fs_path(uri)}: internal error: {type(error).__name__}: {error}", types.MessageType.Error)
            return
        if diagnostics is None or uri not in self.workspace.text_documents:
            return
        if self.workspace.get_text_document(uri).version != version:
            return  # changed meanwhile: the next analysis publishes
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    def reanalyse_all(self) -> None:
        for uri in list(self.workspace.text_documents):
            self.schedule(uri, 0)

    async def reload_and_reanalyse(self) -> None:
        try:
            await asyncio.get_running_loop().run_in_executor(self.worker, self.reload)
        except Exception as error:
            self.log(f"reloading the recipes failed: {type(error).__name__}: {error}", types.MessageType.Error)
        self.reanalyse_all()

    # -- code actions (worker thread)

    def buffer(self, request: Request) -> tuple[Buffer, Analysis] | None:
        """The buffer of a code action request, and its analysis; None when no recipe applies to it."""
        selected = self.selected(request.path)
        job = self.job(request.path, request.text, selected, request.buffers)
        if job is None or not selected.recipes:
            return None
        buffer = Buffer(
            request.uri,
            request.version,
            request.text,
            job,
            selected.recipes,
            self.encoding,
            request.versioned,
            request.cancelled,
        )
        return buffer, self.analysis(job, selected)

    def actions(self, request: Request) -> list[types.CodeAction]:
        found = self.buffer(request)
        if found is None or not found[1].changes or request.range is None:
            return []
        buffer, analysis = found
        actions = code_actions(
            buffer, analysis, request.range, request.only, request.diagnostics, resolve_later=request.resolve_later
        )
        self._tell_failures(buffer)
        return actions

    def resolve(self, request: Request, fix: Fix) -> types.WorkspaceEdit | None:
        found = self.buffer(request)
        if found is None:
            return None
        edit = fix.edit(found[0])
        self._tell_failures(found[0])
        return edit

    def _tell_failures(self, buffer: Buffer) -> None:
        for reason in dict.fromkeys(buffer.failures):
            self.log(f"{buffer.job.path}: no fix offered: {reason}", types.MessageType.Warning)

    def request_for(self, uri: str) -> Request | None:
        """What the worker needs to know of an open Go buffer (read on the event loop)."""
        path = Path(to_fs_path(uri) or "")
        if path.suffix != ".go" or uri not in self.workspace.text_documents:
            return None
        document = self.workspace.get_text_document(uri)
        capabilities = self.client_capabilities
        edit = capabilities.workspace and capabilities.workspace.workspace_edit
        action = capabilities.text_document and capabilities.text_document.code_action
        resolvable = action and action.resolve_support and "edit" in action.resolve_support.properties
        return Request(
            uri,
            path,
            document.version,
            document.source,
            self.buffers_near(path),
            versioned=bool(edit and edit.document_changes),
            resolve_later=bool(resolvable),
        )

    async def in_worker(self, request: Request, work: Callable[..., Any], *args: Any) -> Any:
        """``work(request, *args)`` on the worker; a cancelled request stops it before its next engine run."""
        try:
            return await asyncio.get_running_loop().run_in_executor(self.worker, work, request, *args)
        except asyncio.CancelledError:
            request.cancelled.set()
            raise
        except Cancelled:
            return None
        except Exception as error:
            self.log(f"{request.path}: code actions failed: {type(error).__name__}: {error}", types.MessageType.Error)
            return None
