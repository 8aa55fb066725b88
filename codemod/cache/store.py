"""Incremental result cache: a rerun over unchanged packages reads results instead of parsing.

Results are cached per package task (every selected file of one directory,
since a file's result may depend on its siblings). The key
(:mod:`codemod.cache.keys`) hashes the engine, the recipe set, the engine
options, the gofmt binary, the package's Go version and every file's path
and content hash.

A warm run learns those hashes without reading the files, from a stat memo
(:mod:`codemod.cache.statmemo`) kept in the same store, and fetches the rows of
many packages with one query (:mod:`codemod.run.cached`).

The store is one SQLite file (stdlib :mod:`sqlite3`) in
``$GOCODEMOD_CACHE_DIR``, in the repository's ``.gocodemod/`` when that
directory exists (it then ignores itself in git), or in the user cache
directory (keys hold no paths outside the tree, so clones share entries). It is safe for concurrent runs (WAL journal,
busy timeout, ``INSERT OR REPLACE``). Payloads are pickled
(:class:`~codemod.model.FileResult` lists with the unified diff of each
changed file; stat memos; validated recipe files) and signed with a
per-user secret (keyed BLAKE2b), so a row that was damaged, or planted by
someone else, is never unpickled: it is a miss. A file SQLite cannot read is
rebuilt with a warning.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codemod.cache import keys as cachekeys
from codemod.model import FileResult, Status

if TYPE_CHECKING:
    import logging

    from codemod.recipes.load import Bundle

CACHE_DIR_ENV = "GOCODEMOD_CACHE_DIR"
DB_NAME = "cache.sqlite"
SCHEMA = 1
KEEP_SECONDS = 30 * 24 * 3600  # rows unused this long are pruned
WRITE_BATCH = 200
LOOKUP_BATCH = 500  # keys per SELECT (SQLite allows at least 999 parameters)
REFRESH_AFTER = 3600  # a used row's timestamp is rewritten at most once an hour
TABLES = ("results", "memo")  # package results; stat memos and validated recipe files


def _log() -> logging.Logger:
    """The cache's logger (logging is imported only when there is something to say)."""
    import logging

    return logging.getLogger("gocodemod.cache")


_warned: set[str] = set()  # what this process already said about its cache


def _without_cache(reason: str) -> None:
    """Say once per process that the run goes on without the cache, and why."""
    if "without" not in _warned:
        _warned.add("without")
        _log().warning("gocodemod: warning: running without the result cache (%s)", reason)


def _why(error: OSError) -> str:
    if isinstance(error, FileExistsError):  # from mkdir: something else holds the name
        return "a file is in the way of the directory"
    return error.strerror or str(error)


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
    """Package results and memos in a SQLite file; every failure degrades to a miss, never a wrong result."""

    def __init__(self, path: Path):
        self.path = path
        self._pending: dict[str, dict[str, tuple[str, bytes, bytes, int]]] = {
            table: {} for table in TABLES
        }  # not yet written
        self._stale: dict[str, list[str]] = {table: [] for table in TABLES}  # used rows whose timestamp is old
        self._db: sqlite3.Connection | None = None
        try:
            self._secret = hashlib.blake2b(_secret()).digest()  # a signing key of the size BLAKE2b takes
        except OSError as error:  # a directory or a file in its way, a read-only file system
            _without_cache(f"cannot use its key file {error.filename or user_cache_dir() / 'secret'}: {_why(error)}")
            self._secret = b""
            return
        self._db = self._open()

    def _open(self) -> sqlite3.Connection | None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.parent.name == ".gocodemod":
                _ignore_in_git(self.path.parent)
        except OSError as error:  # a file where the directory should be, a read-only file system
            _without_cache(f"cannot use {error.filename or self.path.parent}: {_why(error)}")
            return None
        try:
            return _connect(self.path)
        except sqlite3.OperationalError as error:  # locked or unwritable: another run's file, leave it
            _without_cache(f"{self.path}: {error}")
            return None
        except sqlite3.DatabaseError as error:
            return self._rebuild(error)

    def _rebuild(self, error: Exception) -> sqlite3.Connection | None:
        """Replace a file SQLite cannot read (not a database, malformed) by an empty cache."""
        _log().warning("gocodemod: warning: the result cache %s was unreadable (%s); rebuilt it", self.path, error)
        if self._db is not None:
            self._db.close()
        try:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return _connect(self.path)
        except OSError as again:
            _without_cache(f"cannot replace {again.filename or self.path}: {_why(again)}")
        except sqlite3.Error as again:
            _without_cache(f"{self.path}: {again}")
        return None

    def get(self, key: str) -> list[FileResult] | None:
        """The results stored under ``key``, if any."""
        found = self.get_many([key]).get(key)
        return found[0] if found is not None else None

    def get_many(self, keys: Sequence[str]) -> dict[str, tuple[list[FileResult], dict[str, str]]]:
        """``(results, diffs)`` for each of ``keys`` that has a valid row; one query per
        :data:`LOOKUP_BATCH` keys. ``diffs`` maps changed paths to their unified diff."""
        found: dict[str, tuple[list[FileResult], dict[str, str]]] = {}
        for key, value in self._select("results", keys).items():
            if (
                isinstance(value, tuple)
                and len(value) == 2
                and isinstance(value[0], list)
                and isinstance(value[1], dict)
            ):
                try:
                    found[key] = (_unpacked(value[0]), value[1])
                except (KeyError, IndexError, TypeError):  # not what put() stores: a miss
                    continue
        return found

    def get_value(self, key: str) -> Any:
        """A memo row's value (see :meth:`put_value`), or None."""
        return self._select("memo", [key]).get(key)

    def _select(self, table: str, keys: Sequence[str]) -> dict[str, Any]:
        pending = self._pending[table]
        found: dict[str, Any] = {key: pickle.loads(pending[key][2]) for key in keys if key in pending}
        keys = [key for key in keys if key not in found] if found else keys
        now = int(time.time())
        for start in range(0, len(keys), LOOKUP_BATCH):
            if self._db is None:
                break
            chunk = list(keys[start : start + LOOKUP_BATCH])
            marks = ",".join("?" * len(chunk))
            try:
                rows = self._db.execute(
                    f"SELECT key, CAST(digest AS BLOB), CAST(payload AS BLOB), used FROM {table} WHERE key IN ({marks})",
                    chunk,
                ).fetchall()  # CAST: a damaged row holding text must not fail the whole batch
            except sqlite3.OperationalError:
                rows = []
            except sqlite3.DatabaseError as error:
                self._db = self._rebuild(error)
                rows = []
            for key, digest, payload, used in rows:
                value = self._verified(key, digest, payload)
                if value is not None:
                    found[key] = value
                    if not isinstance(used, int) or used < now - REFRESH_AFTER:
                        self._stale[table].append(key)
        return found

    def _verified(self, key: str, digest: bytes, payload: bytes) -> Any:
        if not hmac.compare_digest(digest, self._sign(key, payload)):
            return None
        try:
            return pickle.loads(payload)
        except Exception:  # signed by us yet unreadable: an older model, say; recompute
            return None

    def _sign(self, key: str, payload: bytes) -> bytes:
        signer = hashlib.blake2b(key.encode() + b"\0", key=self._secret, digest_size=32)
        signer.update(payload)
        return signer.digest()

    def put(self, key: str, results: list[FileResult], diffs: dict[str, str] | None = None) -> None:
        """Store a package's results (not a crash's) and the diffs of its changed files."""
        if cacheable(results):
            self._queue("results", key, (_packed(results), diffs or {}))

    def put_value(self, key: str, value: Any) -> None:
        """Store a memo row: any picklable value."""
        self._queue("memo", key, value)

    def _queue(self, table: str, key: str, value: Any) -> None:
        if self._db is None:
            return
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self._pending[table][key] = (key, self._sign(key, payload), payload, int(time.time()))
        if sum(map(len, self._pending.values())) >= WRITE_BATCH:
            self.flush()

    def flush(self) -> None:
        if self._db is None or not any(self._pending.values()):
            return
        pending, self._pending = self._pending, {table: {} for table in TABLES}
        try:
            with self._db:
                for table, rows in pending.items():
                    if rows:
                        self._db.executemany(
                            f"INSERT OR REPLACE INTO {table} (key, digest, payload, used) VALUES (?, ?, ?, ?)",
                            rows.values(),
                        )
        except sqlite3.OperationalError as error:  # locked past the timeout, disk full: stay a cache
            _log().debug("gocodemod: cache write skipped: %s", error)
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
                for table, keys in self._stale.items():
                    for start in range(0, len(keys), LOOKUP_BATCH):
                        chunk = keys[start : start + LOOKUP_BATCH]
                        self._db.execute(
                            f"UPDATE {table} SET used = ? WHERE key IN ({','.join('?' * len(chunk))})", (now, *chunk)
                        )
                    self._db.execute(f"DELETE FROM {table} WHERE used < ?", (now - KEEP_SECONDS,))
        except sqlite3.DatabaseError as error:
            _log().debug("gocodemod: cache upkeep skipped: %s", error)
        self._db.close()
        self._db = None


_STATUSES = {status.value: status for status in Status}


def _packed(results: list[FileResult]) -> list[FileResult | tuple[str, str, str, int]]:
    """Results as stored: most files only have a status (and a reason), kept as a
    plain tuple, which unpickles several times faster than a dataclass."""
    return [
        (r.path, r.status.value, r.reason, r.passes)
        if r.new_source is None and not (r.changes or r.findings or r.warnings)
        else r
        for r in results
    ]


def _unpacked(items: list[Any]) -> list[FileResult]:
    return [
        FileResult(item[0], _STATUSES[item[1]], reason=item[2], passes=item[3]) if type(item) is tuple else item
        for item in items
    ]


class RecipeFileStore:
    """Recipe files that loaded without a problem, by engine, path and bytes (a
    :class:`codemod.recipes.load.RecipeFileMemo`): a run whose recipe files did not
    change neither parses nor compiles them until a rule is needed."""

    def __init__(self, cache: ResultCache):
        self.cache = cache

    def _key(self, path: Path, data: bytes) -> str:
        digest = hashlib.blake2b(f"{cachekeys.engine_fingerprint()}\0{path}\0".encode(), digest_size=20)
        digest.update(data)
        return "recipe:" + digest.hexdigest()

    def get(self, path: Path, data: bytes) -> tuple[list[dict], list[Bundle]] | None:
        value = self.cache.get_value(self._key(path, data))
        if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], list) and isinstance(value[1], list):
            return value
        return None

    def put(self, path: Path, data: bytes, raws: list[dict], bundles: list[Bundle]) -> None:
        self.cache.put_value(self._key(path, data), (raws, bundles))


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        db.execute("PRAGMA busy_timeout = 30000")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
        for table in TABLES:
            db.execute(
                f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, digest BLOB NOT NULL, payload BLOB NOT NULL, used INTEGER NOT NULL)"
            )
            db.execute(f"CREATE INDEX IF NOT EXISTS {table}_used ON {table} (used)")
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
