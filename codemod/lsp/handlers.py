"""The LSP messages ``gocodemod lsp`` answers, each handed to :class:`~codemod.lsp.server.GocodemodServer`.

Opening, changing and saving buffers schedule their analysis; saving or
changing (on disk) the configuration, a recipe file or a ``go.mod`` reloads
the recipes; code actions and their resolution run on the server's worker.
:func:`serve` runs the server on standard input and output.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types
from pygls.uris import to_fs_path

from codemod.lsp.actions import FIX_ALL_KIND, Fix
from codemod.lsp.server import DEBOUNCE, WATCHED, GocodemodServer

server = GocodemodServer()


@server.feature(types.INITIALIZE)
def initialize(ls: GocodemodServer, params: types.InitializeParams) -> None:
    folders = [to_fs_path(folder.uri) for folder in params.workspace_folders or []]
    if not folders and params.root_uri:
        folders = [to_fs_path(params.root_uri)]
    ls.folders = [Path(folder).resolve() for folder in folders if folder]
    options = params.initialization_options
    if isinstance(options, dict) and isinstance(options.get("docsBaseUrl"), str):
        ls.docs_base_url = options["docsBaseUrl"]


@server.feature(types.INITIALIZED)
async def initialized(ls: GocodemodServer, params: types.InitializedParams) -> None:
    ls.loop = asyncio.get_running_loop()
    ls.worker.submit(ls.preload)
    capability = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
    if capability and capability.dynamic_registration:
        watchers = [types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED]
        registration = types.Registration(
            id="gocodemod-watch",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
        )
        try:
            await ls.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
        except Exception as error:
            ls.log(f"could not watch recipe files: {error}", types.MessageType.Info)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: GocodemodServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, 0)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: GocodemodServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, DEBOUNCE)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: GocodemodServer, params: types.DidSaveTextDocumentParams) -> None:
    path = Path(to_fs_path(params.text_document.uri) or "")
    if ls.affects_recipes(path):
        task = asyncio.ensure_future(ls.reload_and_reanalyse())
        ls.tasks.add(task)
        task.add_done_callback(ls.tasks.discard)
    else:
        ls.schedule(params.text_document.uri, 0)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: GocodemodServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    handle = ls.pending.pop(uri, None)
    if handle is not None:
        handle.cancel()
    ls.latest.pop(uri, None)
    ls.notes.pop(uri, None)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
async def did_change_watched_files(ls: GocodemodServer, params: types.DidChangeWatchedFilesParams) -> None:
    paths = [Path(to_fs_path(change.uri) or "") for change in params.changes]
    if any(ls.affects_recipes(path) for path in paths):
        await ls.reload_and_reanalyse()


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND], resolve_provider=True),
)
async def code_action(ls: GocodemodServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    request = ls.request_for(params.text_document.uri)
    if request is None:
        return None
    request.range, request.diagnostics = params.range, tuple(params.context.diagnostics)
    request.only = tuple(params.context.only) if params.context.only else None
    return await ls.in_worker(request, ls.actions)


@server.feature(types.CODE_ACTION_RESOLVE)
async def code_action_resolve(ls: GocodemodServer, action: types.CodeAction) -> types.CodeAction:
    data = action.data if isinstance(action.data, dict) else {}
    fix, uri = Fix.from_data(data), data.get("uri")
    request = ls.request_for(uri) if isinstance(uri, str) else None
    if fix is None or request is None or request.version != data.get("version"):
        return action  # not ours, or the buffer changed since: no edit (the client asks for actions again)
    action.edit = await ls.in_worker(request, ls.resolve, fix)
    return action


@server.feature(types.SHUTDOWN)
def shutdown(ls: GocodemodServer, params: None) -> None:
    for handle in ls.pending.values():
        handle.cancel()
    ls.pending.clear()
    ls.worker.shutdown(wait=False, cancel_futures=True)


def serve() -> None:
    """Speak LSP on standard input and output until the client says ``exit``."""
    server.start_io()
