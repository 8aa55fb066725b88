"""Cache keys of package verifications: what a package's verdict depends on.

A verdict is reused only when all of these are the same: the gocodemod
engine (:func:`codemod.cache.keys.engine_fingerprint`), the level, the Go
version and the variables of :data:`~codemod.verify.toolchain.ENV_KEYS`, the
package and its build configuration, the replacement text of every changed
file of the run, and the files of the module (or of the go.work workspace):
for a working tree each file's path, size and modification time, for a
commit the commit itself.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path

from codemod.cache.keys import engine_fingerprint
from codemod.verify.packages import Package
from codemod.verify.toolchain import GoTool

_SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules"})


def workspace_of(module: Path) -> Path:
    """The go.work directory above ``module`` when there is one (GOWORK=off: none), else the module."""
    if os.environ.get("GOWORK") == "off":
        return module
    for candidate in (module, *module.parents):
        if (candidate / "go.work").is_file():
            return candidate
    return module


def tree_stamp(directory: Path) -> str:
    """A digest of the path, size and modification time of every file under ``directory``."""
    digest = hashlib.blake2b(digest_size=20)
    for current, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
        for name in sorted(files):
            path = os.path.join(current, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def replacements_digest(replacements: Mapping[str, bytes]) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for path in sorted(replacements):
        digest.update(path.encode("utf-8", "surrogateescape") + b"\0" + hashlib.blake2b(replacements[path]).digest())
    return digest.hexdigest()


def verdict_key(tool: GoTool, level: str, package: Package, replacements: str, tree: str) -> str:
    """The cache key of ``package``'s verdict at ``level`` with the replacements whose digest is given,
    in the tree ``tree`` names (:func:`tree_stamp` of its workspace, or the commit)."""
    parts = [
        "verify-1",
        engine_fingerprint(),
        level,
        tool.version,
        repr(tool.environment()),
        repr((package.directory, package.config)),
        os.path.relpath(package.module, package.root or "/"),
        replacements,
        tree,
    ]
    return "verify:" + hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogateescape"), digest_size=24).hexdigest()
