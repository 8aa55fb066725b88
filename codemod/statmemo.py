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
from typing import NamedTuple

RACY_WINDOW_NS = 1_000_000_000
COARSE_RACY_WINDOW_NS = 3_000_000_000
_SECOND_NS = 1_000_000_000


class Identity(NamedTuple):
    """What ``stat`` says about a file, as far as its content is concerned."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    device: int

    @classmethod
    def of(cls, result: os.stat_result) -> "Identity":
        return cls(result.st_size, result.st_mtime_ns, result.st_ctime_ns, result.st_ino, result.st_dev)

    def racy(self, stat_time_ns: int) -> bool:
        """True when the file may have changed within the timestamp tick it was stat'ed in."""
        newest = max(self.mtime_ns, self.ctime_ns)
        coarse = self.mtime_ns % _SECOND_NS == 0 or self.ctime_ns % _SECOND_NS == 0
        return newest > stat_time_ns - (COARSE_RACY_WINDOW_NS if coarse else RACY_WINDOW_NS)


def content_hash(data: bytes) -> bytes:
    """The hash the cache keys files by (16 bytes of BLAKE2b)."""
    return hashlib.blake2b(data, digest_size=16).digest()


def stat_identity(path: str) -> Identity | None:
    """The identity of the file at ``path`` (links followed, as reading does); None if it cannot be stat'ed."""
    try:
        return Identity.of(os.stat(path))
    except (OSError, ValueError):
        return None


class StatMemo:
    """Per relative path: the identity a file had when read and the hash of what was read.

    Entries are kept as stored (plain tuples compare equal to an :class:`Identity`
    with the same fields), so loading a memo of thousands of files costs one unpickling.
    """

    def __init__(self, entries: dict[str, tuple[tuple[int, ...], bytes]] | None = None):
        self._entries: dict[str, tuple[tuple[int, ...], bytes]] = entries if entries is not None else {}
        self._seen: set[str] = set()
        self.changed = False

    def lookup(self, rel_path: str, identity: Identity) -> bytes | None:
        """The remembered hash when ``identity`` is exactly the remembered one."""
        self._seen.add(rel_path)
        entry = self._entries.get(rel_path)
        if entry is None or entry[0] != identity:
            return None
        return entry[1]

    def record(self, rel_path: str, identity: Identity, digest: bytes, stat_time_ns: int) -> None:
        """Remember ``digest`` for bytes read after ``identity`` was taken at ``stat_time_ns``
        (a time taken before the ``stat``); a racy identity is forgotten instead."""
        self._seen.add(rel_path)
        if identity.racy(stat_time_ns):
            self.forget(rel_path)
        elif self._entries.get(rel_path) != (identity, digest):
            self._entries[rel_path] = (tuple(identity), digest)
            self.changed = True

    def forget(self, rel_path: str) -> None:
        if self._entries.pop(rel_path, None) is not None:
            self.changed = True

    def keep_only_seen(self) -> None:
        """Drop entries of files this run did not look at (after a run over the whole tree)."""
        gone = self._entries.keys() - self._seen
        for rel_path in gone:
            del self._entries[rel_path]
        self.changed |= bool(gone)

    def __len__(self) -> int:
        return len(self._entries)

    def to_payload(self) -> dict[str, tuple[tuple[int, ...], bytes]]:
        """The entries as plain values, for storage."""
        return self._entries

    @classmethod
    def from_payload(cls, payload: object) -> "StatMemo":
        """The memo stored by :meth:`to_payload`; an empty one when ``payload`` is not one."""
        valid = isinstance(payload, dict) and all(
            isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], bytes) for value in payload.values()
        )
        return cls(payload if valid else None)  # type: ignore[arg-type]
