"""The ``-overlay`` file ``go`` reads, and a checkout of a commit to verify against.

:func:`overlay` writes each replacement file and the JSON that maps the
original paths to them into one temporary directory, removed when the
``with`` block ends, also on Ctrl-C or an error. :func:`checkout` gives the
directory to run ``go`` in: the working tree itself, or for a run over a
commit (``--commit``, the bot) that commit's files unpacked with ``git
archive`` into a temporary directory, removed the same way.
"""

from __future__ import annotations

import json
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from codemod.errors import UsageError


@contextmanager
def overlay(root: Path, replacements: Mapping[str, bytes]) -> Iterator[tuple[Path | None, dict[str, str]]]:
    """An overlay file replacing ``root/path`` by the bytes given for each path (None when there are none),
    and each replacement file's name -> the path it stands for (``go`` may name the replacement in messages)."""
    if not replacements:
        yield None, {}
        return
    with tempfile.TemporaryDirectory(prefix="gocodemod-overlay-") as scratch:
        mapping: dict[str, str] = {}
        names: dict[str, str] = {}
        for index, (path, data) in enumerate(sorted(replacements.items())):
            target = Path(scratch) / f"{index}-{Path(path).name}"
            target.write_bytes(data)
            mapping[str((root / path).resolve())] = str(target)
            names[str(target)] = path
        document = Path(scratch) / "overlay.json"
        document.write_text(json.dumps({"Replace": mapping}, indent=1))
        yield document, names


@contextmanager
def checkout(root: Path, revision: str | None) -> Iterator[Path]:
    """Where the files of ``revision`` are on disk: ``root`` for the working tree, else a temporary copy."""
    if revision is None:
        yield root
        return
    with tempfile.TemporaryDirectory(prefix="gocodemod-verify-") as scratch:
        archive = Path(scratch) / "tree.tar"
        with archive.open("wb") as out:
            done = subprocess.run(
                ["git", "archive", "--format=tar", revision], cwd=root, stdout=out, stderr=subprocess.PIPE
            )
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
            raise UsageError(f"--verify: cannot unpack {revision[:12]}: {detail[-1] if detail else done.returncode}")
        tree = Path(scratch) / "tree"
        with tarfile.open(archive) as unpacked:
            unpacked.extractall(tree, filter="data")
        archive.unlink()
        yield tree
