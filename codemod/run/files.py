"""Which Go files a run touches, and which Go version each one may use.

Inside a git repository the file set is the tracked ``.go`` files plus the
untracked ones that ``.gitignore`` does not ignore; outside one, the
directory is walked (hidden directories skipped). In both cases ``vendor/``
and ``testdata/`` directories (and, as the go tool does, directories and
files whose names begin with ``_`` or ``.``) are skipped unless asked for, configured
exclude globs apply, paths given on the command line narrow the set, and
symbolic links are never followed: a linked file is reached through its real
path when that lies inside the tree. A :class:`GitRevision` lists and reads
the files of a commit instead of the working tree (used by ``--commit``).

Paths handed out are POSIX paths relative to the tree's root, sorted.
Generated files are recognised by the engine (``include_generated``).
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Protocol

from codemod.errors import UsageError
from codemod.golang.versions import go_version_of_mod, version_at_least

SKIPPABLE_DIRS = ("vendor", "testdata")


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """Translate a glob with ``**`` (any depth), ``*`` and ``?`` into a regex."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def glob_matches(pattern: str, rel_path: str) -> bool:
    """Whether ``rel_path`` (or one of its parent directories) matches ``pattern``.

    A pattern without ``/`` is tried against every path component, the way
    ``.gitignore`` does (``*_mock.go``, ``mocks``); one with ``/`` is anchored
    at the root (``internal/legacy``, ``**/zz_*.go``).
    """
    pattern = pattern.strip("/")
    parts = rel_path.split("/")
    if "/" not in pattern:
        regex = _glob_regex(pattern)
        return any(regex.match(part) for part in parts)
    regex = _glob_regex(pattern)
    return any(regex.match("/".join(parts[:n])) for n in range(1, len(parts) + 1))


@dataclass(frozen=True)
class FileFilter:
    """The default skips and configured excludes, applied to relative paths."""

    include_vendor: bool = False
    include_testdata: bool = False
    excludes: tuple[str, ...] = ()

    def skipped_dirs(self) -> frozenset[str]:
        skipped = set(SKIPPABLE_DIRS)
        if self.include_vendor:
            skipped.discard("vendor")
        if self.include_testdata:
            skipped.discard("testdata")
        return frozenset(skipped)

    @cached_property
    def _skipped(self) -> frozenset[str]:
        return self.skipped_dirs()

    @cached_property
    def _rejected(self) -> re.Pattern[str] | None:
        """One search for the built-in skips: a skipped directory anywhere on the path and,
        like the go tool (unless testdata is included), a component named ``_*`` or ``.*``."""
        alternatives = [f"(?:{'|'.join(sorted(map(re.escape, self._skipped)))})/"] if self._skipped else []
        if not self.include_testdata:
            alternatives.append("[_.]")
        return re.compile(f"(?:^|/)(?:{'|'.join(alternatives)})") if alternatives else None

    def admits(self, rel_path: str) -> bool:
        return bool(self.admitted([rel_path]))

    def admitted(self, rel_paths: Iterable[str]) -> list[str]:
        """The paths of ``rel_paths`` this filter admits, in order."""
        rejected = self._rejected.search if self._rejected is not None else None
        found = [rel for rel in rel_paths if rel.endswith(".go") and not (rejected and rejected(rel))]
        if self.excludes:
            found = [rel for rel in found if not any(glob_matches(pattern, rel) for pattern in self.excludes)]
        return found

    def may_enter(self, name: str) -> bool:
        """False for a directory every path through which :meth:`admits` rejects (a walk skips it)."""
        return name not in self._skipped and (self.include_testdata or name[:1] not in ("_", "."))


class SourceTree(Protocol):
    """A set of files to run over: the working tree or a git revision."""

    root: Path

    def list_files(self, may_enter: Callable[[str], bool] | None = None, under: Sequence[str] = ()) -> list[str]:
        """Every file's relative path; a walk may skip directories ``may_enter`` rejects by name,
        and may look only at the paths ``under`` names (files, or directories with all below them)."""
        ...

    def read(self, rel_path: str) -> bytes | None: ...

    def why_unreadable(self, rel_path: str) -> str:
        """Why :meth:`read` of ``rel_path`` gave None, for the file's failed result."""
        ...


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def _scan(root: Path, rel_dir: str) -> list[os.DirEntry]:
    """The entries of a root-relative directory (none when it cannot be read)."""
    try:
        with os.scandir(f"{root}/{rel_dir}" if rel_dir else root) as entries:
            return list(entries)
    except OSError:
        return []


class _RealFiles:
    """Answers "is this relative path a regular file, with no link on its way?"
    from one ``scandir`` per directory (its entries know their type without a
    further system call)."""

    def __init__(self, root: Path):
        self._root = root
        self._listings: dict[str, tuple[frozenset[str], frozenset[str]]] = {}

    def contains(self, rel_path: str) -> bool:
        rel_dir, _, name = rel_path.rpartition("/")
        return name in self.listing(rel_dir)[0]

    def listing(self, rel_dir: str) -> tuple[frozenset[str], frozenset[str]]:
        """(regular files, directories) of ``rel_dir``; both empty when it is not a real directory."""
        if rel_dir not in self._listings:
            parent, _, name = rel_dir.rpartition("/")
            real = not rel_dir or name in self.listing(parent)[1]
            entries = _scan(self._root, rel_dir) if real else []
            files = frozenset(e.name for e in entries if e.is_file(follow_symlinks=False))
            dirs = frozenset(e.name for e in entries if e.is_dir(follow_symlinks=False))
            self._listings[rel_dir] = (files, dirs)
        return self._listings[rel_dir]


class WorkingTree:
    """Files on disk under ``root``; git-aware when ``root`` is in a repository."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self.repo_root = find_repo_root(self.root)
        self._prefix = str(self.root) + os.sep
        self._unreadable: dict[str, str] = {}  # why a read failed, by path

    def list_files(self, may_enter: Callable[[str], bool] | None = None, under: Sequence[str] = ()) -> list[str]:
        if self.repo_root is None:
            return sorted(set(self._walk_files(may_enter, under)))
        is_real_file = _RealFiles(self.root).contains
        return sorted(rel for rel in set(self._git_candidates()) if is_real_file(rel))

    def _git_candidates(self) -> Iterable[str]:
        command = ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
        env = {**os.environ, "LANGUAGE": "C", "LC_ALL": "C"}
        done = subprocess.run(command, cwd=self.root, env=env, capture_output=True)
        if done.returncode != 0:
            reason = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
            raise UsageError(
                f"git ls-files failed in {self.root}: {reason[0] if reason else f'exit {done.returncode}'}"
            )
        output = done.stdout.decode("utf-8", errors="surrogateescape")
        return (name for name in output.split("\0") if name.endswith(".go"))

    def _walk_files(self, may_enter: Callable[[str], bool] | None, under: Sequence[str] = ()) -> Iterable[str]:
        """Regular ``.go`` files under the root, never entering linked or hidden
        directories, nor those ``may_enter`` rejects; only those ``under`` the paths
        given, when given (a walk of the root would find exactly those of them)."""
        pending: list[str] = []
        real = _RealFiles(self.root)  # one scan per directory on the way to the paths given
        for start in [""] if not under or "." in under or "" in under else under:
            parent, _, name = start.rpartition("/")
            if not start:
                pending.append(start)
                continue
            if parent and not all(self._may_descend(part, may_enter) for part in parent.split("/")):
                continue
            files, dirs = real.listing(parent)  # empty unless every directory on the way is real
            if name in dirs and self._may_descend(name, may_enter):
                pending.append(start)
            elif name in files and name.endswith(".go"):
                yield start
        while pending:
            rel_dir = pending.pop()
            prefix = f"{rel_dir}/" if rel_dir else ""
            for entry in _scan(self.root, rel_dir):
                name = entry.name
                if name.endswith(".go") and entry.is_file(follow_symlinks=False):
                    yield prefix + name
                elif entry.is_dir(follow_symlinks=False) and self._may_descend(name, may_enter):
                    pending.append(prefix + name)

    @staticmethod
    def _may_descend(name: str, may_enter: Callable[[str], bool] | None) -> bool:
        """Whether a walk goes into the (real) directory ``name``: not hidden, nor rejected by ``may_enter``."""
        return not name.startswith(".") and (may_enter is None or may_enter(name))

    def path_of(self, rel_path: str) -> str:
        """The file's path on disk (a string: thousands are built per run)."""
        return self._prefix + rel_path

    def read(self, rel_path: str) -> bytes | None:
        try:  # non-blocking: a named pipe put in a file's place must not stop the run
            with open(os.open(self._prefix + rel_path, os.O_RDONLY | os.O_NONBLOCK), "rb", buffering=0) as handle:
                if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    self._unreadable[rel_path] = f"not a regular file ({file_kind(handle.fileno())})"
                    return None
                return handle.readall()  # unbuffered: one read, no copy
        except OSError as error:
            self._unreadable[rel_path] = error.strerror or str(error)
        except ValueError:
            self._unreadable[rel_path] = "a NUL byte in its name"
        return None

    def why_unreadable(self, rel_path: str) -> str:
        return self._unreadable.get(rel_path, "unknown reason")


class GitRevision:
    """The files of one commit of the repository at ``root``, read from git objects."""

    def __init__(self, root: Path, revision: str):
        import git

        self.root = root.resolve()
        self.repo = git.Repo(self.root)
        self.commit = self.repo.commit(revision)
        items: Iterable[Any] = self.commit.tree.traverse()  # GitPython's own annotation is too wide to use
        self._blobs: dict[str, Any] = {
            item.path: item for item in items if item.type == "blob" and item.mode != 0o120000
        }

    def list_files(self, may_enter: Callable[[str], bool] | None = None, under: Sequence[str] = ()) -> list[str]:
        return sorted(path for path in self._blobs if path.endswith(".go"))

    def read(self, rel_path: str) -> bytes | None:
        blob = self._blobs.get(rel_path)
        return blob.data_stream.read() if blob is not None else None

    def why_unreadable(self, rel_path: str) -> str:
        return f"not a file of commit {self.commit.hexsha[:12]}"


def find_repo_root(start: Path) -> Path | None:
    """The top of the git working tree containing ``start``, if any (GitPython's answer).

    The two common cases are answered from a few ``stat`` calls, without
    importing GitPython: no ``.git`` entry (and nothing that looks like a git
    directory) at or above ``start`` means no repository; a plain ``.git``
    directory (not bare, no linked work tree, no includes in its config, no
    git environment overrides) marks the top. Anything else asks GitPython.
    """
    text = str(start)
    if not os.path.exists(text):
        return None
    if "$" in text or "~" in text or any(name in os.environ for name in _GIT_LOCATION_VARIABLES):
        return _repo_root_by_gitpython(start)
    for folder in (start, *start.parents):
        dotgit = folder / ".git"
        if os.path.isdir(dotgit) and _plain_git_dir(dotgit):
            return folder.resolve()
        if os.path.lexists(dotgit) or (os.path.lexists(folder / "HEAD") and os.path.lexists(folder / "refs")):
            return _repo_root_by_gitpython(start)
    return None


_GIT_LOCATION_VARIABLES = ("GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY", "GIT_WORK_TREE")
_BARE_OR_INCLUDE = re.compile(rb"(?im)^\s*(?:bare\s*=\s*(?:true|yes|on|1)\s*$|\[include)")
_HEAD = re.compile(rb"ref:\s*refs/|[0-9A-Fa-f]{40}")


def _plain_git_dir(dotgit: Path) -> bool:
    """A ``.git`` directory of an ordinary, non-bare repository whose top is its parent."""
    try:
        head = (dotgit / "HEAD").read_bytes()[:256]
        config = (dotgit / "config").read_bytes()
    except OSError:
        return False
    return (
        bool(_HEAD.match(head))
        and os.path.isdir(dotgit / "objects")
        and os.path.isdir(dotgit / "refs")
        and not os.path.lexists(dotgit / "commondir")
        and not _BARE_OR_INCLUDE.search(config)
    )


def _repo_root_by_gitpython(start: Path) -> Path | None:
    import git

    try:
        repo = git.Repo(start, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None
    if repo.bare or repo.working_tree_dir is None:
        return None
    return Path(repo.working_tree_dir).resolve()


def narrowing_prefixes(
    root: Path, paths: Sequence[Path], *, cwd: Path | None = None, must_exist: bool = True
) -> list[str]:
    """Command-line paths as root-relative prefixes (``"."`` means everything)."""
    base = (cwd or Path.cwd()).resolve()
    prefixes: list[str] = []
    for given in map(package_directory, paths):
        try:
            absolute = (base / given).resolve()
        except (OSError, RuntimeError):  # a symbolic link loop (RuntimeError before Python 3.13)
            raise UsageError(f"{given}: too many levels of symbolic links") from None
        if must_exist and not absolute.exists():
            raise UsageError(f"{given}: no such file or directory")
        if must_exist and not (absolute.is_dir() or absolute.is_file()):
            raise UsageError(f"{given}: not a regular file or directory ({file_kind(absolute)})")
        if not _inside(absolute, root.resolve()):
            raise UsageError(f"{given}: outside the tree being processed ({root})")
        prefixes.append(absolute.relative_to(root.resolve()).as_posix())
    return prefixes


def package_directory(given: Path) -> Path:
    """A Go package pattern's directory: ``./...`` is ``.``, ``./pkg/...`` is ``./pkg`` (a directory
    always covers the packages below it); a ``...`` elsewhere in a path is not a pattern gocodemod knows."""
    text = given.as_posix()
    if text == "..." or text.endswith("/..."):
        return Path(text[: -len("...")] or ".")
    if "..." in given.parts:
        raise UsageError(f"{given}: only a trailing /... is understood (a directory covers the packages below it)")
    return given


def file_kind(file: Path | int) -> str:
    """What a path or open file is, in words: "a named pipe", "a socket", "a device", ..."""
    mode = os.stat(file).st_mode
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a directory" if stat.S_ISDIR(mode) else "a special file"


def _under(rel_path: str, prefix: str) -> bool:
    return rel_path == prefix or rel_path.startswith(prefix + "/")


def discover(tree: SourceTree, file_filter: FileFilter, prefixes: Sequence[str] = ()) -> list[str]:
    """The sorted root-relative ``.go`` paths a run covers."""
    files = file_filter.admitted(tree.list_files(file_filter.may_enter, prefixes))
    if prefixes and "." not in prefixes:
        files = [rel for rel in files if any(_under(rel, prefix) for prefix in prefixes)]
    return files


def directory_matches(pattern: str, rel_dir: str) -> bool:
    """Go's package patterns for directories: ``dir`` is that directory, ``dir/...``
    it and everything below, ``...`` every directory."""
    if pattern == "...":
        return True
    if pattern.endswith("/..."):
        base = pattern[: -len("/...")]
        return rel_dir == base or rel_dir.startswith(base + "/")
    return rel_dir == pattern


def parse_go_directive(go_mod: bytes) -> str | None:
    """The version on the ``go`` line of a go.mod file (``"1.22"``), if any."""
    return go_version_of_mod(go_mod.decode("utf-8", errors="replace"))


class GoVersions:
    """Finds the nearest go.mod above each directory and remembers its ``go`` line,
    lowered where ``limits`` (``.gocodemod.yaml``'s ``go_versions``) say so."""

    def __init__(self, tree: SourceTree, limits: Sequence[tuple[str, str]] = ()):
        self._tree = tree
        self._limits = tuple(limits)
        self._by_dir: dict[str, str | None] = {}

    def for_directory(self, rel_dir: str) -> str | None:
        """The Go version governing files in ``rel_dir`` ("." is the root)."""
        version = self._module_version(rel_dir)
        for pattern, limit in self._limits:
            if directory_matches(pattern, rel_dir) and (version is None or not version_at_least(limit, version)):
                version = limit
        return version

    def _module_version(self, rel_dir: str) -> str | None:
        """The ``go`` line of the nearest go.mod at or above ``rel_dir``."""
        if rel_dir not in self._by_dir:
            go_mod = self._tree.read("go.mod" if rel_dir == "." else f"{rel_dir}/go.mod")
            if go_mod is not None:
                self._by_dir[rel_dir] = parse_go_directive(go_mod)
            elif rel_dir == ".":
                self._by_dir[rel_dir] = self._above_root()
            else:
                self._by_dir[rel_dir] = self._module_version(rel_dir.rpartition("/")[0] or ".")
        return self._by_dir[rel_dir]

    def _above_root(self) -> str | None:
        """A go.mod in a directory above the tree's root (the tree is a sub-directory)."""
        if not isinstance(self._tree, WorkingTree):
            return None
        for directory in self._tree.root.parents:
            go_mod = directory / "go.mod"
            if go_mod.is_file():
                return parse_go_directive(go_mod.read_bytes())
        return None
