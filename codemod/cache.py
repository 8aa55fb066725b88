"""Incremental result cache: a rerun over unchanged packages reads results instead of parsing.

Results are cached per package task (every selected file of one directory,
since a file's result may depend on its siblings). The key hashes:

* the engine: ``codemod.__version__``, the bytes of every module of the
  package, the tree-sitter and tree-sitter-go versions, the Python version,
  and the identity of the gofmt binary when the gofmt pass is on;
* the recipe set, in order: each recipe's content hash and severity;
* the engine options and the package's Go version (from go.mod);
* every file's path and bytes.

The store is one SQLite file (stdlib :mod:`sqlite3`) in
``$GOCODEMOD_CACHE_DIR``, in the repository's ``.gocodemod/`` when that
directory exists (it then ignores itself in git), or in the user cache
directory (keys hold no paths outside the tree, so clones share entries). It is safe for concurrent runs (WAL journal,
busy timeout, ``INSERT OR REPLACE``). Payloads are pickled
:class:`~codemod.model.FileResult` lists signed with a per-user secret, so a
row that was damaged, or planted by someone else, is never unpickled: it is a
miss. A file SQLite cannot read is rebuilt with a warning.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import importlib.metadata
import json
import logging
import os
import pickle
import sqlite3
import sys
import time
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

import codemod
from codemod.model import FileResult, Status

if TYPE_CHECKING:
    from codemod.recipe import Recipe
    from codemod.runner import Executor, PackageTask

CACHE_DIR_ENV = "GOCODEMOD_CACHE_DIR"
DB_NAME = "cache.sqlite"
SCHEMA = 1
KEEP_SECONDS = 30 * 24 * 3600  # rows unused this long are pruned
WRITE_BATCH = 200
log = logging.getLogger("gocodemod.cache")


def user_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gocodemod"


def default_cache_path(repo_root: Path | None) -> Path:
    """``$GOCODEMOD_CACHE_DIR``, else ``<repo>/.gocodemod/`` if it exists, else the user cache dir.

    A run never creates files in the repository on its own: a team that wants
    the cache next to the code creates ``.gocodemod/`` once.
    """
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit) / DB_NAME
    if repo_root is not None and (repo_root / ".gocodemod").is_dir():
        return repo_root / ".gocodemod" / DB_NAME
    return user_cache_dir() / DB_NAME


@functools.lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """Changes whenever anything that could change a result changes (gofmt aside)."""
    digest = hashlib.blake2b(digest_size=16)
    package_dir = Path(codemod.__file__).resolve().parent
    for path in sorted(package_dir.rglob("*.py")):
        digest.update(path.relative_to(package_dir).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for dist in ("tree-sitter", "tree-sitter-go"):
        digest.update(f"{dist}={_dist_version(dist)};".encode())
    digest.update(f"{codemod.__version__};{sys.version_info[:2]}".encode())
    return digest.hexdigest()


def _dist_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def _gofmt_identity() -> str:
    from codemod import gofmt

    binary = gofmt.find_gofmt()
    if binary is None:
        return "none"
    stat = Path(binary).stat()
    return f"{binary}:{stat.st_size}:{stat.st_mtime_ns}"


def run_key(recipes: Sequence["Recipe"], engine_options: dict[str, Any]) -> bytes:
    """The part of every task key shared by one run: engine, recipes, options."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(engine_fingerprint().encode())
    digest.update(json.dumps([[r.id, r.content_hash, r.severity] for r in recipes]).encode())
    digest.update(json.dumps(engine_options, sort_keys=True, default=str).encode())
    if engine_options.get("format_with_gofmt", True):
        digest.update(_gofmt_identity().encode())
    return digest.digest()


def task_key(shared: bytes, task: "PackageTask") -> str:
    """The cache key of one package task."""
    digest = hashlib.blake2b(shared, digest_size=20)
    digest.update(f"go={task.go_version}\0".encode())
    for path in sorted(task.files):
        data = task.files[path]
        digest.update(f"{path}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def cacheable(results: list[FileResult]) -> bool:
    """Results worth keeping: not the mark of a crash (which may not recur)."""
    return not any(r.status is Status.FAILED and r.reason.startswith("internal error") for r in results)


def _secret() -> bytes:
    """A per-user key that signs payloads (created on first use, readable by the user only)."""
    path = user_cache_dir() / "secret"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another run created it meanwhile
        return path.read_bytes()
    with os.fdopen(fd, "wb") as handle:
        handle.write(os.urandom(32))
    return path.read_bytes()


class ResultCache:
    """Package results in a SQLite file; every failure degrades to a miss, never a wrong result."""

    def __init__(self, path: Path):
        self.path = path
        self._pending: list[tuple[str, bytes, bytes, int]] = []
        self._used: list[str] = []
        self._secret = _secret()
        self._db: sqlite3.Connection | None = None
        self._db = self._open()

    def _open(self) -> sqlite3.Connection | None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.parent.name == ".gocodemod":
            _ignore_in_git(self.path.parent)
        try:
            return _connect(self.path)
        except sqlite3.OperationalError as error:  # locked or unwritable: another run's file, leave it
            log.warning("gocodemod: warning: running without the result cache (%s)", error)
            return None
        except sqlite3.DatabaseError as error:
            return self._rebuild(error)

    def _rebuild(self, error: Exception) -> sqlite3.Connection | None:
        """Replace a file SQLite cannot read (not a database, malformed) by an empty cache."""
        log.warning("gocodemod: warning: the result cache %s was unreadable (%s); rebuilt it", self.path, error)
        if self._db is not None:
            self._db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        try:
            return _connect(self.path)
        except sqlite3.Error as again:
            log.warning("gocodemod: warning: running without the result cache (%s)", again)
            return None

    def get(self, key: str) -> list[FileResult] | None:
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT digest, payload FROM results WHERE key = ?", (key,)).fetchone()
        except sqlite3.OperationalError:
            row = None
        except sqlite3.DatabaseError as error:
            self._db = self._rebuild(error)
            row = None
        results = self._verified(key, row) if row is not None else None
        if results is not None:
            self._used.append(key)
        return results

    def _verified(self, key: str, row: tuple[bytes, bytes]) -> list[FileResult] | None:
        digest, payload = row
        if not hmac.compare_digest(digest, self._sign(key, payload)):
            return None
        try:
            return pickle.loads(payload)
        except Exception:  # signed by us yet unreadable: an older model, say; recompute
            return None

    def _sign(self, key: str, payload: bytes) -> bytes:
        return hmac.new(self._secret, key.encode() + b"\0" + payload, hashlib.blake2b).digest()

    def put(self, key: str, results: list[FileResult]) -> None:
        if self._db is None or not cacheable(results):
            return
        payload = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
        self._pending.append((key, self._sign(key, payload), payload, int(time.time())))
        if len(self._pending) >= WRITE_BATCH:
            self.flush()

    def flush(self) -> None:
        if self._db is None or not self._pending:
            return
        rows, self._pending = self._pending, []
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO results (key, digest, payload, used) VALUES (?, ?, ?, ?)", rows)
        except sqlite3.OperationalError as error:  # locked past the timeout, disk full: stay a cache
            log.debug("gocodemod: cache write skipped: %s", error)
        except sqlite3.DatabaseError as error:
            self._db = self._rebuild(error)

    def close(self) -> None:
        """Write what is pending, refresh the rows used, prune old ones."""
        self.flush()
        if self._db is None:
            return
        now = int(time.time())
        try:
            with self._db:
                for start in range(0, len(self._used), 500):
                    chunk = self._used[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    self._db.execute(f"UPDATE results SET used = ? WHERE used < ? AND key IN ({marks})", (now, now - 3600, *chunk))
                self._db.execute("DELETE FROM results WHERE used < ?", (now - KEEP_SECONDS,))
        except sqlite3.DatabaseError as error:
            log.debug("gocodemod: cache upkeep skipped: %s", error)
        self._db.close()
        self._db = None


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        db.execute("PRAGMA busy_timeout = 30000")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
        db.execute(
            "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, digest BLOB NOT NULL, payload BLOB NOT NULL, used INTEGER NOT NULL)"
        )
        db.execute("CREATE INDEX IF NOT EXISTS results_used ON results (used)")
        db.execute("INSERT OR IGNORE INTO meta (name, value) VALUES ('schema', ?)", (str(SCHEMA),))
        (schema,) = db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
        if schema != str(SCHEMA):
            raise sqlite3.DatabaseError(f"schema {schema}, expected {SCHEMA}")
    except BaseException:
        db.close()
        raise
    db.isolation_level = "DEFERRED"
    return db


def _ignore_in_git(directory: Path) -> None:
    marker = directory / ".gitignore"
    if not marker.exists():
        marker.write_text("# Created by gocodemod: the result cache is local.\n*\n")


class CachedExecutor:
    """Wraps an executor: hits are answered from the cache, misses run and are stored."""

    def __init__(self, inner: "Executor", cache: ResultCache, shared_key: bytes):
        self.inner, self.cache, self.shared_key = inner, cache, shared_key

    def map_tasks(self, tasks: Iterable["PackageTask"]) -> Iterator[tuple["PackageTask", list[FileResult]]]:
        answered: deque[tuple["PackageTask", list[FileResult]]] = deque()
        keys: dict[str, str] = {}

        def misses() -> Iterator["PackageTask"]:
            for task in tasks:
                key = task_key(self.shared_key, task)
                cached = self.cache.get(key)
                if cached is not None:
                    answered.append((task, cached))
                else:
                    keys[task.directory] = key
                    yield task

        try:
            for task, results in self.inner.map_tasks(misses()):
                self.cache.put(keys.pop(task.directory), results)
                yield from drain(answered)
                yield task, results
            yield from drain(answered)
        finally:
            self.cache.close()


def drain(items: deque) -> Iterator:
    """Yield and remove every item of ``items`` (answers waiting to be merged in)."""
    while items:
        yield items.popleft()
