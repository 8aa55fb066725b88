"""A stat memo in front of content hashing, like git's index: unchanged stat, known hash.

The result cache keys packages by the hashes of their files' bytes. Reading
and hashing every file on every run costs more than everything else a warm
run does, so :class:`StatMemo` remembers, per file of one tree, the
``lstat``-like identity it had when it was read (size, mtime, ctime, inode,
device) and the hash of the bytes read. A later run that finds the same
identity uses the remembered hash without reading the file.

The memo is only a shortcut to the hash; it must never stand in for bytes it
did not see. Two rules make sure of that:

* the identity is taken *before* the bytes are read, so a file changed
  between the two has a newer identity than the one remembered;
* racy entries are not remembered (git's "racy clean" problem): a file whose
  mtime or ctime is not safely older than the moment it was stat'ed could be
  rewritten with the same size within the same timestamp tick, leaving its
  identity unchanged. "Safely" is :data:`RACY_WINDOW_NS` for filesystems with
  sub-second timestamps and :data:`COARSE_RACY_WINDOW_NS` when a timestamp is
  a whole second (FAT, HFS+, ext3 keep seconds only). Such a file is simply
  read again next time, until it is old enough.

A rewrite that keeps size and mtime (``touch -r``, tools that restore times)
still changes ctime, which only the kernel sets. The memo assumes the clock
that stamps files and the local clock agree to within the window (a network
filesystem whose server clock lags by more than that defeats the racy check).
"""

from __future__ import annotations

import hashlib
import os
import struct
from array import array
from collections.abc import Iterable

RACY_WINDOW_NS = 1_000_000_000
COARSE_RACY_WINDOW_NS = 3_000_000_000
_SECOND_NS = 1_000_000_000
FIELDS = 5  # numbers in an Identity
HASH_SIZE = 16


Identity = tuple[int, int, int, int, int]
"""What ``stat`` says about a file as far as its content is concerned:
(size, mtime_ns, ctime_ns, inode, device). A plain tuple: thousands are made per run."""


def is_racy(identity: Identity, stat_time_ns: int) -> bool:
    """True when the file may change within the timestamp tick it was stat'ed in
    without changing ``identity`` (so its hash must not be remembered)."""
    _, mtime_ns, ctime_ns, _, _ = identity
    coarse = mtime_ns % _SECOND_NS == 0 or ctime_ns % _SECOND_NS == 0
    return max(mtime_ns, ctime_ns) > stat_time_ns - (COARSE_RACY_WINDOW_NS if coarse else RACY_WINDOW_NS)


def content_hash(data: bytes) -> bytes:
    """The hash the cache keys files by: the first 16 bytes of SHA-256 (which CPUs
    with SHA extensions compute about twice as fast as BLAKE2b)."""
    return hashlib.sha256(data).digest()[:HASH_SIZE]


class StatMemo:
    """Per relative path: the identity a file had when read and the hash of what was read."""

    def __init__(self, entries: dict[str, tuple[Identity, bytes]] | None = None):
        self._entries: dict[str, tuple[Identity, bytes]] = entries if entries is not None else {}
        self.changed = False

    def lookup(self, rel_path: str, identity: Identity) -> bytes | None:
        """The remembered hash when ``identity`` is exactly the remembered one."""
        entry = self._entries.get(rel_path)
        if entry is None or entry[0] != identity:
            return None
        return entry[1]

    def vouch(self, prefix: str, rel_paths: list[str]) -> tuple[dict[str, bytes], dict[str, Identity | None]]:
        """Stat each of ``rel_paths`` (``prefix`` + path on disk): the remembered hashes
        of those whose identity is unchanged, and the identities of the others
        (None for a file that cannot be stat'ed). One loop: this runs for every file."""
        known: dict[str, bytes] = {}
        unknown: dict[str, Identity | None] = {}
        entries, stat = self._entries, os.stat
        for rel_path in rel_paths:
            try:
                found = stat(prefix + rel_path)
            except (OSError, ValueError):
                unknown[rel_path] = None
                continue
            identity = (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino, found.st_dev)
            entry = entries.get(rel_path)
            if entry is not None and entry[0] == identity:
                known[rel_path] = entry[1]
            else:
                unknown[rel_path] = identity
        return known, unknown

    def record(self, rel_path: str, identity: Identity, digest: bytes, stat_time_ns: int) -> None:
        """Remember ``digest`` for bytes read after ``identity`` was taken at ``stat_time_ns``
        (a time taken before the ``stat``); a racy identity is forgotten instead."""
        if is_racy(identity, stat_time_ns):
            self.forget(rel_path)
        elif self._entries.get(rel_path) != (identity, digest):
            self._entries[rel_path] = (identity, digest)
            self.changed = True

    def forget(self, rel_path: str) -> None:
        if self._entries.pop(rel_path, None) is not None:
            self.changed = True

    def keep_only(self, rel_paths: Iterable[str]) -> None:
        """Drop the entries of files not in ``rel_paths`` (those of a run over the whole tree)."""
        gone = self._entries.keys() - set(rel_paths)
        for rel_path in gone:
            del self._entries[rel_path]
        self.changed |= bool(gone)

    def __len__(self) -> int:
        return len(self._entries)

    def to_payload(self) -> bytes:
        """The entries packed for storage: NUL-separated paths, then the identities
        as signed 64-bit integers, then the 16-byte hashes (pickling thousands of
        tuples of large integers would cost more than the rest of a warm run)."""
        paths = list(self._entries)
        numbers = array("q", [number for path in paths for number in self._entries[path][0]])
        names = "\0".join(paths).encode("utf-8", "surrogateescape")
        header = struct.pack("<QQ", len(paths), len(names))
        return header + names + numbers.tobytes() + b"".join(self._entries[path][1] for path in paths)

    @classmethod
    def from_payload(cls, payload: object) -> StatMemo:
        """The memo packed by :meth:`to_payload`; an empty one when ``payload`` is not one."""
        try:
            count, names_size = struct.unpack_from("<QQ", payload)  # type: ignore[arg-type]
            assert isinstance(payload, bytes)
            start = struct.calcsize("<QQ")
            paths = payload[start : start + names_size].decode("utf-8", "surrogateescape").split("\0") if count else []
            numbers = array("q")
            numbers.frombytes(payload[start + names_size : start + names_size + 8 * FIELDS * count])
            hashes_at = start + names_size + 8 * FIELDS * count
            if len(paths) != count or len(numbers) != FIELDS * count or len(payload) != hashes_at + HASH_SIZE * count:
                return cls()
        except (struct.error, TypeError, ValueError, AssertionError, UnicodeDecodeError):
            return cls()
        identities = zip(*[iter(numbers)] * FIELDS)
        hashes = (payload[at : at + HASH_SIZE] for at in range(hashes_at, len(payload), HASH_SIZE))
        return cls(dict(zip(paths, zip(identities, hashes))))
