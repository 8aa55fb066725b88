"""The stat memo: a file's identity vouches for its hash only when it cannot be racy."""

from __future__ import annotations

import os
import time
from pathlib import Path

from codemod.cache import statmemo
from codemod.cache.statmemo import COARSE_RACY_WINDOW_NS, RACY_WINDOW_NS, StatMemo, content_hash, is_racy


def _identity(path: Path) -> statmemo.Identity:
    found = os.stat(path)
    return (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino, found.st_dev)


def _remembered(tmp_path: Path, name: str, text: bytes) -> tuple[Path, StatMemo]:
    """A real file and a memo that remembers it, as a run would long after it was written."""
    path = tmp_path / name
    path.write_bytes(text)
    memo = StatMemo()
    identity = _identity(path)
    memo.record(name, identity, content_hash(text), max(identity[1], identity[2]) + COARSE_RACY_WINDOW_NS + 1)
    return path, memo


def test_an_unchanged_file_is_vouched_for_without_reading(tmp_path: Path) -> None:
    path, memo = _remembered(tmp_path, "a.go", b"package a\n")
    known, unknown = memo.vouch(f"{tmp_path}/", ["a.go"])
    assert known == {"a.go": content_hash(b"package a\n")} and unknown == {}


def test_a_racy_file_is_not_remembered(tmp_path: Path) -> None:
    """A file stat'ed within the window after its last change could be rewritten in the
    same timestamp tick without its identity changing: its hash is not remembered."""
    path = tmp_path / "racy.go"
    path.write_bytes(b"package racy\n")
    identity = _identity(path)
    memo = StatMemo()
    memo.record("racy.go", identity, content_hash(b"package racy\n"), time.time_ns())
    assert len(memo) == 0 and not memo.changed
    known, unknown = memo.vouch(f"{tmp_path}/", ["racy.go"])
    assert known == {} and unknown == {"racy.go": identity}  # it will be read again


def test_the_racy_window_is_wider_for_whole_second_timestamps(tmp_path: Path) -> None:
    path = tmp_path / "coarse.go"
    path.write_bytes(b"package coarse\n")
    whole_second = (time.time_ns() // 1_000_000_000 - 10) * 1_000_000_000
    os.utime(path, ns=(whole_second, whole_second))
    identity = _identity(path)
    fine = (identity[0], whole_second + 1, whole_second + 1, identity[3], identity[4])
    coarse = (identity[0], whole_second, whole_second, identity[3], identity[4])
    two_seconds_later = whole_second + 2_000_000_000
    assert RACY_WINDOW_NS < 2_000_000_000 < COARSE_RACY_WINDOW_NS
    assert not is_racy(fine, two_seconds_later)
    assert is_racy(coarse, two_seconds_later)  # FAT stamps to 2 s: the same stamp could hide a rewrite
    assert is_racy(fine, whole_second)  # a timestamp in the future is racy too


def test_a_same_size_rewrite_that_keeps_mtime_is_seen_through_ctime(tmp_path: Path) -> None:
    path, memo = _remembered(tmp_path, "same.go", b"package same // 1\n")
    before = os.stat(path)
    time.sleep(0.02)  # let the kernel's clock tick, so the new ctime differs
    path.write_bytes(b"package same // 2\n")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `touch -r` or an archiver would
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    known, unknown = memo.vouch(f"{tmp_path}/", ["same.go"])
    assert known == {} and list(unknown) == ["same.go"]


def test_a_missing_file_is_neither_known_nor_stat_ed(tmp_path: Path) -> None:
    _, memo = _remembered(tmp_path, "gone.go", b"package gone\n")
    (tmp_path / "gone.go").unlink()
    assert memo.vouch(f"{tmp_path}/", ["gone.go"]) == ({}, {"gone.go": None})


def test_the_packed_memo_round_trips_and_rejects_junk(tmp_path: Path) -> None:
    memo = StatMemo()
    now = time.time_ns()
    for index in range(50):
        memo.record(
            f"dir{index % 7}/f{index}.go",
            (index, now - 10**10 + index, now - 10**10, 1000 + index, 2**40),
            content_hash(bytes([index])),
            now,
        )
    memo.record("ünïcode/ñ.go", (1, now - 10**10, now - 10**10, 7, 7), content_hash(b"u"), now)
    loaded = StatMemo.from_payload(memo.to_payload())
    assert loaded.to_payload() == memo.to_payload() and len(loaded) == 51
    assert loaded.vouch("", []) == ({}, {})
    for junk in (None, b"", b"\x00" * 15, memo.to_payload()[:-1], memo.to_payload() + b"x", "text"):
        assert len(StatMemo.from_payload(junk)) == 0
    assert len(StatMemo.from_payload(StatMemo().to_payload())) == 0


def test_keep_only_drops_files_no_longer_listed(tmp_path: Path) -> None:
    _, memo = _remembered(tmp_path, "kept.go", b"package kept\n")
    identity = _identity(tmp_path / "kept.go")
    memo.record("deleted.go", identity, content_hash(b"x"), identity[1] + COARSE_RACY_WINDOW_NS + 1)
    memo.changed = False
    memo.keep_only(["kept.go"])
    assert memo.changed and len(memo) == 1
    memo.forget("kept.go")
    assert len(memo) == 0
