"""What result cache keys are made of: the engine, the recipe set, the options, gofmt, the files.

A row is used only when every input that could change a result is the same:

* :func:`engine_fingerprint`: ``codemod.__version__``, the bytes of every
  module of the package, the tree-sitter and tree-sitter-go versions, the
  Python version (Dask workers must report the same one);
* :func:`run_key`: that fingerprint, the recipe set in order (content hash and
  severity), the engine options and, with the gofmt pass on, the identity of
  the gofmt binary (path, size, mtime);
* :func:`package_content`: the package's Go version (from go.mod) and each
  file's path and content hash; :func:`package_key` combines the two.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import codemod

if TYPE_CHECKING:
    from codemod.recipes.load import Recipe


@functools.lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """Changes whenever anything that could change a result changes (gofmt aside)."""
    digest = hashlib.blake2b(digest_size=16)
    package_dir = os.path.dirname(os.path.realpath(codemod.__file__))
    for rel_path in _module_files(package_dir):
        with open(os.path.join(package_dir, rel_path), "rb") as handle:
            digest.update(rel_path.encode() + b"\0" + handle.read() + b"\0")
    for dist in ("tree-sitter", "tree-sitter-go"):
        digest.update(f"{dist}={_dist_version(dist)};".encode())
    digest.update(f"{codemod.__version__};{sys.version_info[:2]}".encode())
    return digest.hexdigest()


def _module_files(package_dir: str) -> list[str]:
    """Every ``.py`` file under the package, as sorted POSIX paths relative to it."""
    found: list[str] = []
    for directory, subdirs, files in os.walk(package_dir):
        subdirs[:] = [name for name in subdirs if name != "__pycache__"]
        rel_dir = os.path.relpath(directory, package_dir).replace(os.sep, "/")
        found += [name if rel_dir == "." else f"{rel_dir}/{name}" for name in files if name.endswith(".py")]
    return sorted(found)


def _dist_version(name: str) -> str:
    """The installed version of distribution ``name``: read from the name of its
    ``.dist-info`` directory next to the module (no :mod:`importlib.metadata`
    import, which alone costs more than a warm run's lookups), else asked."""
    import importlib.util

    module = name.replace("-", "_")
    spec = importlib.util.find_spec(module)
    if spec is not None and spec.origin:
        site_dir = os.path.dirname(os.path.dirname(spec.origin))
        prefix = f"{module}-"
        try:
            infos = [
                entry for entry in os.listdir(site_dir) if entry.startswith(prefix) and entry.endswith(".dist-info")
            ]
        except OSError:
            infos = []
        if len(infos) == 1:
            return infos[0][len(prefix) : -len(".dist-info")]
    import importlib.metadata

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def _gofmt_identity() -> str:
    from codemod.golang.gofmt import gofmt_path

    binary = gofmt_path()
    if binary is None:
        return "none"
    stat = Path(binary).stat()
    return f"{binary}:{stat.st_size}:{stat.st_mtime_ns}"


def run_key(recipes: Sequence[Recipe], engine_options: dict[str, Any]) -> bytes:
    """The part of every task key shared by one run: engine, recipes, options."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(engine_fingerprint().encode())
    digest.update(json.dumps([[r.id, r.content_hash, r.severity] for r in recipes]).encode())
    digest.update(json.dumps(engine_options, sort_keys=True, default=str).encode())
    if engine_options.get("format_with_gofmt", True):
        digest.update(_gofmt_identity().encode())
    return digest.digest()


def package_content(go_version: str | None, file_hashes: Iterable[tuple[str, bytes]]) -> bytes:
    """What a package's key says about the package itself: its Go version and each
    file's path and content hash (:func:`codemod.cache.statmemo.content_hash`), sorted by path."""
    digest = hashlib.blake2b(f"go={go_version}\0".encode(), digest_size=20)
    for path, file_hash in sorted(file_hashes):
        digest.update(path.encode() + b"\0" + file_hash)
    return digest.digest()


def package_key(shared: bytes, content: bytes) -> str:
    """The cache key of one package: the run's shared part (:func:`run_key`) and its content."""
    return hashlib.blake2b(shared + content, digest_size=20).hexdigest()
