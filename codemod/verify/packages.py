"""Which Go packages a run's changes touch, and in which build configuration to check each.

A changed file belongs to the package of its directory, checked from the
module that holds it (the nearest ``go.mod`` above it; a ``go.work`` above
that is used by ``go`` as usual). ``go list`` says which files the default
configuration builds; a changed file it ignores is checked in the
configuration that builds it: GOOS/GOARCH from its name (``x_windows.go``,
``x_linux_arm64.go``) or from a simple ``//go:build`` line (identifiers joined
by ``&&``, the first such alternative of an ``||``); other names become
``-tags``. A file no configuration can be chosen for (``//go:build ignore``,
a negation, ``gccgo``) is not verified, and says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from codemod.verify.toolchain import GoTool

KNOWN_OS = frozenset(
    "aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris wasip1 "
    "windows zos".split()
)
KNOWN_ARCH = frozenset(
    "386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le ppc "
    "ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm".split()
)
# Systems the user's GOARCH (or GOOS) may not build for: the port to use instead.
_ARCH_FOR_OS = {"js": "wasm", "wasip1": "wasm", "ios": "arm64", "aix": "ppc64", "zos": "s390x"}
_OS_FOR_ARCH = {"wasm": "js"}
# Constraints no gc configuration satisfies: files kept out of every build, files only gccgo builds.
_UNCHOOSABLE = frozenset({"ignore", "gccgo"})
_BUILD_LINE = re.compile(r"^//go:build\s+(.+?)\s*$", re.MULTILINE)
_IDENT = re.compile(r"[A-Za-z0-9_.]+")


@dataclass(frozen=True, order=True)
class BuildConfig:
    """GOOS, GOARCH ("" = the user's) and build tags to check a package with."""

    goos: str = ""
    goarch: str = ""
    tags: tuple[str, ...] = ()

    def env(self) -> dict[str, str]:
        env = {"GOOS": self.goos} if self.goos else {}
        return {**env, "GOARCH": self.goarch} if self.goarch else env

    def flags(self) -> list[str]:
        return ["-tags=" + ",".join(self.tags)] if self.tags else []

    @property
    def foreign(self) -> bool:
        """Built for another system: its tests cannot run here."""
        return bool(self.goos or self.goarch)

    def describe(self) -> str:
        parts = [f"GOOS={self.goos}"] * bool(self.goos) + [f"GOARCH={self.goarch}"] * bool(self.goarch)
        return " ".join(parts + [f"-tags={','.join(self.tags)}"] * bool(self.tags)) or "default"


@dataclass(frozen=True, order=True)
class Package:
    """One package to check: its directory (relative to the tree), module directory and configuration."""

    directory: str
    module: str  # absolute path of the directory holding go.mod
    config: BuildConfig = BuildConfig()
    root: str = field(default="", compare=False)  # the tree's absolute root

    @property
    def directory_path(self) -> Path:
        return Path(self.root) / self.directory if self.directory != "." else Path(self.root)

    @property
    def relative(self) -> str:
        """The directory relative to the module's ("." for the module's own)."""
        if self.directory_path == Path(self.module):
            return "."
        return self.directory_path.relative_to(self.module).as_posix()

    @property
    def pattern(self) -> str:
        """The package as ``go`` names it from the module directory: ``./rel``."""
        return "./" + self.relative


@dataclass
class PackageMap:
    """The packages of a set of changed files, and the files that cannot be verified (path -> why)."""

    packages: dict[str, list[Package]] = field(default_factory=dict)  # changed file -> the packages checking it
    unverifiable: dict[str, str] = field(default_factory=dict)

    def all(self) -> list[Package]:
        return sorted({package for packages in self.packages.values() for package in packages})


def module_of(directory: Path) -> Path | None:
    """The nearest directory at or above ``directory`` holding a go.mod."""
    for candidate in (directory, *directory.parents):
        if (candidate / "go.mod").is_file():
            return candidate
    return None


def name_config(filename: str) -> BuildConfig:
    """GOOS/GOARCH implied by a file name (``_windows``, ``_arm64``, ``_linux_arm64``, before ``_test``)."""
    stem = filename.removesuffix(".go").removesuffix("_test")
    parts = stem.split("_")[1:]
    if len(parts) >= 2 and parts[-2] in KNOWN_OS and parts[-1] in KNOWN_ARCH:
        return BuildConfig(parts[-2], parts[-1])
    if parts and parts[-1] in KNOWN_OS:
        return BuildConfig(goos=parts[-1])
    if parts and parts[-1] in KNOWN_ARCH:
        return BuildConfig(goarch=parts[-1])
    return BuildConfig()


def constraint_config(source: bytes) -> BuildConfig | None:
    """The configuration a simple ``//go:build`` line asks for; None when it is not simple."""
    head = source.split(b"\npackage ", 1)[0].decode("utf-8", errors="replace")
    match = _BUILD_LINE.search(head)
    if match is None:
        return BuildConfig()
    expression = match.group(1).strip()
    if expression.startswith("(") and expression.endswith(")") and expression.count("(") == 1:
        expression = expression[1:-1]  # (a || b): the same alternatives
    if "(" in expression or ")" in expression:
        return None  # grouping inside: not simple
    for alternative in expression.split("||"):
        words = [word.strip() for word in alternative.split("&&")]
        if not all(_IDENT.fullmatch(word) for word in words) or _UNCHOOSABLE & set(words):
            continue
        goos = [word for word in words if word in KNOWN_OS]
        goarch = [word for word in words if word in KNOWN_ARCH]
        if len(goos) > 1 or len(goarch) > 1:
            continue
        tags = tuple(sorted(word for word in words if word not in KNOWN_OS and word not in KNOWN_ARCH))
        return BuildConfig(goos[0] if goos else "", goarch[0] if goarch else "", tags)
    return None


def merge(by_name: BuildConfig, by_line: BuildConfig) -> BuildConfig | None:
    """Both sources of a file's configuration together; None when they disagree."""
    goos = by_name.goos or by_line.goos
    goarch = by_name.goarch or by_line.goarch
    if (by_name.goos and by_line.goos and by_name.goos != by_line.goos) or (
        by_name.goarch and by_line.goarch and by_name.goarch != by_line.goarch
    ):
        return None
    goarch = goarch or _ARCH_FOR_OS.get(goos, "")
    goos = goos or _OS_FOR_ARCH.get(goarch, "")
    tags = tuple(sorted(set(by_line.tags) - {"unix", "cgo", "gc"}))
    return BuildConfig(goos, goarch, tags)


def _listed(tool: GoTool, module: Path, patterns: list[str]) -> list[dict]:
    fields = "Dir,GoFiles,CgoFiles,TestGoFiles,XTestGoFiles,IgnoredGoFiles"
    done = tool.run(["list", "-e", "-json=" + fields, *patterns], cwd=str(module))
    decoder, text, index = json.JSONDecoder(), done.stdout, 0
    listed: list[dict] = []
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            return listed
        try:
            item, index = decoder.raw_decode(text, index)
        except ValueError:
            return listed
        listed.append(item)


def map_packages(tool: GoTool, root: Path, sources: dict[str, bytes]) -> PackageMap:
    """The packages (and configurations) that check each changed file of ``sources`` (path -> new bytes)."""
    root = root.resolve()  # the modules found are resolved paths: the packages' directories must be too
    mapped = PackageMap()
    by_module: dict[Path, dict[str, list[str]]] = {}
    for path in sorted(sources):
        directory = path.rpartition("/")[0] or "."
        module = module_of((root / directory).resolve())
        if module is None:
            mapped.unverifiable[path] = "not in a Go module (no go.mod above it)"
        else:
            by_module.setdefault(module, {}).setdefault(directory, []).append(path)
    for module, directories in by_module.items():
        packages = {Package(d, str(module), root=str(root)) for d in directories}
        built = _built_files(tool, module, packages)
        for directory, paths in directories.items():
            package = Package(directory, str(module), root=str(root))
            for path in paths:
                _place(mapped, package, path, sources[path], built.get(str(package.directory_path.resolve()), {}))
    return mapped


def _built_files(tool: GoTool, module: Path, packages: Iterable[Package]) -> dict[str, dict[str, bool]]:
    """Per package directory: file name -> whether the default configuration builds it."""
    listed = _listed(tool, module, sorted({package.pattern for package in packages}))
    files: dict[str, dict[str, bool]] = {}
    for item in listed:
        built = {
            name: True for key in ("GoFiles", "CgoFiles", "TestGoFiles", "XTestGoFiles") for name in item.get(key) or ()
        }
        built.update({name: False for name in item.get("IgnoredGoFiles") or ()})
        files[str(Path(item.get("Dir", "")).resolve())] = built
    return files


def _place(mapped: PackageMap, package: Package, path: str, source: bytes, built: dict[str, bool]) -> None:
    name = path.rpartition("/")[2]
    if built.get(name, True):  # built by default (or new to go list: checked by default)
        mapped.packages[path] = [package]
        return
    by_line = constraint_config(source)
    config = merge(name_config(name), by_line) if by_line is not None else None
    if config is None or config == BuildConfig():
        line = _BUILD_LINE.search(source.split(b"\npackage ", 1)[0].decode("utf-8", errors="replace"))
        why = f"//go:build {line.group(1)}" if line else "its build constraints"
        mapped.unverifiable[path] = f"no build configuration gocodemod can check builds it ({why})"
        return
    mapped.packages[path] = [Package(package.directory, package.module, config, root=package.root)]
