"""Stage files: a changed file's new bytes, fsynced next to it, until the rename.

Each file's new bytes go to a hidden stage file in the file's own directory
(``.<name>.<pid>-<random>.gocodemod``), with the file's permission bits.
Staging next to the file is deliberate: the rename that follows stays within
one directory, so it is atomic and cannot fail for crossing file systems
(a git directory elsewhere, bind mounts, linked work trees), and having
staged every file proves every target directory writable before the first
rename, so a failure leaves every file as it was.

A run killed with ``kill -9`` cannot remove its stage files, so two things
keep them harmless:

* before any stage file is created its path is recorded in a journal in the
  tool's state directory (:func:`codemod.apply.lock.state_dir`, inside the
  git directory), fsynced; the next writing run, holding the write lock,
  removes every file the journal lists (:meth:`Stager.clean_stale`);
* in a git repository the pattern ``.*.gocodemod`` is in
  ``<git dir>/info/exclude``, so ``git status`` and ``git add -A`` never
  see a stage file in between.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

STAGE_SUFFIX = ".gocodemod"
EXCLUDE_PATTERN = ".*" + STAGE_SUFFIX
JOURNAL_NAME = "stage-journal"
_EXCLUDE_NOTE = "# stage files of an interrupted gocodemod --write (its next run removes them)"


class Stager:
    """Stage files of one writing run; the caller holds the write lock of ``state``."""

    def __init__(self, state: Path, git_dir: Path | None):
        self.journal = state / JOURNAL_NAME
        self.git_dir = git_dir

    def clean_stale(self) -> list[Path]:
        """Remove the stage files an interrupted run left (listed in the journal); returns them."""
        try:
            listed = self.journal.read_bytes().split(b"\0")
        except OSError:
            return []  # none (the usual case), or unreadable: writing the new journal will say so
        removed = []
        for raw in filter(None, listed):
            path = Path(os.fsdecode(raw))
            try:
                if _is_stage_file(path):
                    path.unlink(missing_ok=True)
                    removed.append(path)
            except OSError:
                continue  # a directory that became read-only: the file stays ignored by git
        self.journal.unlink(missing_ok=True)
        return removed

    def plan(self, targets: Iterable[Path]) -> dict[Path, Path]:
        """A fresh stage path for each target, recorded (fsynced) in the journal before any exists."""
        planned = {target: target.parent / f".{target.name}.{os.getpid()}-{secrets.token_hex(6)}{STAGE_SUFFIX}"
                   for target in targets}  # fmt: skip
        if self.git_dir is not None:
            ignore_stage_files(self.git_dir)
        with open(self.journal, "wb") as handle:
            handle.write(b"".join(os.fsencode(path.absolute()) + b"\0" for path in planned.values()))
            handle.flush()
            os.fsync(handle.fileno())
        return planned

    def finish(self) -> None:
        """Every stage file is renamed or removed: the journal has nothing left to clean."""
        self.journal.unlink(missing_ok=True)


def write_stage_file(target: Path, stage_path: Path, data: bytes) -> None:
    """``data`` in a new ``stage_path``, fsynced, with ``target``'s permission bits."""
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o644
    descriptor = os.open(stage_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), mode)
    except BaseException:
        stage_path.unlink(missing_ok=True)
        raise


def ignore_stage_files(git_dir: Path) -> None:
    """Add :data:`EXCLUDE_PATTERN` to ``<git_dir>/info/exclude`` once."""
    exclude = git_dir / "info" / "exclude"
    try:
        text = exclude.read_text("utf-8", errors="replace")
    except OSError:
        text = ""
    if EXCLUDE_PATTERN in text.splitlines():
        return
    try:
        exclude.parent.mkdir(exist_ok=True)
        with open(exclude, "a", encoding="utf-8") as handle:
            handle.write(("\n" if text and not text.endswith("\n") else "") + f"{_EXCLUDE_NOTE}\n{EXCLUDE_PATTERN}\n")
    except OSError:
        pass  # best effort: the journal still lets the next run remove what a killed run leaves


def _is_stage_file(path: Path) -> bool:
    """Only what this module names and creates: a hidden regular file ending in the suffix."""
    if not (path.name.startswith(".") and path.name.endswith(STAGE_SUFFIX)):
        return False
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False
