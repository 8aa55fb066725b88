"""Open buffers as the engine sees them: a file's bytes, its package, its Go version, and LSP positions.

A :class:`FileJob` is one open Go buffer ready for the engine: its path
relative to the workspace root (as ``gocodemod run`` names it, so recipes'
``files``/``ignores`` globs and ``.gocodemod.yaml``'s ``go_versions`` see the
same path), its bytes, and its package: the other ``.go`` files of its
directory that a run would take (the default skips and the configured
``exclude``), read from disk, or from their open buffers where open. Files
on disk are read once and kept while their size and modification time stay
the same (:class:`SiblingReader`), so a package whose other files did not
change costs no reads.

LSP positions count in the encoding the client and server agreed on
(UTF-16 unless the client offers another); the engine's are 1-based lines
and columns in characters: :func:`lsp_position` converts.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types

from codemod.model import Position
from codemod.run.config import Config
from codemod.run.files import FileFilter, GoVersions, WorkingTree


@dataclass(frozen=True)
class FileJob:
    """One Go buffer and its package, as the engine takes them."""

    path: str  # relative to the workspace root, posix
    data: bytes
    package: Mapping[str, bytes]  # every file of its directory that a run takes, this one included
    go_version: str | None
    root: Path  # the workspace root the paths are relative to


def encode(text: str) -> bytes:
    """A buffer's bytes (undecodable bytes an editor kept as surrogates come back as they were)."""
    return text.encode("utf-8", "surrogateescape")


def decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


class SiblingReader:
    """Reads the files of a package from disk, once per (size, modification time); keeps the
    :data:`KEPT` files read last (a long session across many packages does not hold them all)."""

    KEPT = 4096

    def __init__(self) -> None:
        self._files: OrderedDict[str, tuple[tuple[int, int], bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def read(self, path: Path) -> bytes | None:
        try:
            stat = path.stat()
        except OSError:
            return None
        key = (stat.st_size, stat.st_mtime_ns)
        name = str(path)
        with self._lock:
            known = self._files.get(name)
            if known is not None and known[0] == key:
                self._files.move_to_end(name)
                return known[1]
        try:
            data = path.read_bytes()
        except OSError:
            return None
        with self._lock:
            self._files[name] = (key, data)
            self._files.move_to_end(name)
            while len(self._files) > self.KEPT:
                self._files.popitem(last=False)
        return data


def go_versions(root: Path, config: Config) -> GoVersions:
    """The Go version of each directory under ``root`` (go.mod's ``go`` line, lowered by ``go_versions``);
    it remembers what it read: made again when a go.mod or the configuration changes."""
    return GoVersions(WorkingTree(root), config.go_versions)


def file_job(
    root: Path,
    config: Config,
    versions: GoVersions,
    path: Path,
    data: bytes,
    open_buffers: Mapping[Path, bytes],
    reader: SiblingReader,
) -> FileJob | None:
    """The job for ``path`` (holding ``data``) under ``root``; None when a run would not take the file."""
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
    file_filter = FileFilter(excludes=config.exclude)
    if not file_filter.admits(rel):
        return None
    rel_dir = rel.rpartition("/")[0] or "."
    directory = path.parent
    names = [rel]
    try:
        with os.scandir(directory) as entries:
            names += [
                f"{rel_dir}/{entry.name}" if rel_dir != "." else entry.name
                for entry in entries
                if entry.name.endswith(".go") and entry.name != path.name and entry.is_file()
            ]
    except OSError:
        pass
    package: dict[str, bytes] = {rel: data}
    for name in file_filter.admitted(names[1:]):
        sibling = directory / name.rpartition("/")[2]
        content = open_buffers.get(sibling.resolve())
        if content is None:
            content = reader.read(sibling)
        if content is not None:
            package[name] = content
    return FileJob(rel, data, package, versions.for_directory(rel_dir), root)


def lsp_position(lines: list[str], position: Position, encoding: str) -> types.Position:
    """The LSP position of an engine position (1-based line, column in characters) in a text split into lines."""
    line = position.line - 1
    if line >= len(lines):
        return types.Position(line=max(0, len(lines) - 1), character=_units(lines[-1], encoding) if lines else 0)
    return types.Position(line=line, character=_units(lines[line][: position.column - 1], encoding))


def _units(text: str, encoding: str) -> int:
    if encoding == types.PositionEncodingKind.Utf8:
        return len(encode(text))
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def split_lines(text: str) -> list[str]:
    """Lines as LSP counts them (a CRLF ends one line; the CR is not in the line)."""
    return [line.removesuffix("\r") for line in text.split("\n")]
