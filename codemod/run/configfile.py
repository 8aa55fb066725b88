"""Parsing ``.gocodemod.yaml`` (see :mod:`codemod.run.config`): YAML nodes to a validated :class:`Config`.

Every problem is collected and reported as ``file:line:column: message``.
Kept apart from :mod:`codemod.run.config` so that a run in a repository without
a configuration file never imports the YAML library.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from codemod.errors import LocatedMessage, Location
from codemod.model import SEVERITIES, VERIFY_LEVELS
from codemod.recipes.yamlguard import shape_problem
from codemod.recipes.yamlpos import read_utf8
from codemod.run.config import Config, ConfigError, Located

_HIGHEST_FIRST = tuple(reversed(SEVERITIES))  # as the messages have always listed them

_LIST_KEYS = ("recipe_dirs", "enable", "disable", "exclude")
_KEYS = (*_LIST_KEYS, "severity", "go_versions", "verify")
_VERIFY_VALUES = ("none", *VERIFY_LEVELS)
_GO_VERSION_RE = re.compile(r"1\.\d+")


def _valid_directory_pattern(pattern: str) -> bool:
    """``...``, ``dir`` or ``dir/...`` with a relative, normalised ``dir``."""
    if pattern == "...":
        return True
    parts = pattern.removesuffix("/...").split("/")
    return all(part not in ("", ".", "..") and "..." not in part and not set(part) & set("\\*?[") for part in parts)


def _location(path: Path, node: yaml.Node) -> Location:
    return Location(str(path), node.start_mark.line + 1, node.start_mark.column + 1)


class _Parser:
    """Validates the YAML node tree, collecting every problem."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[LocatedMessage] = []

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(LocatedMessage(_location(self.path, node), message))

    def strings(self, key: str, node: yaml.Node) -> list[Located]:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"'{key}' must be a list of strings")
            return []
        items: list[Located] = []
        for item in node.value:
            if isinstance(item, yaml.ScalarNode) and item.tag == "tag:yaml.org,2002:str" and item.value:
                items.append(Located(item.value, _location(self.path, item)))
            else:
                self.problem(item, f"'{key}' entries must be non-empty strings")
        return items

    def severity(self, node: yaml.Node) -> dict[str, Located]:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, "'severity' must map recipe ids to " + "|".join(_HIGHEST_FIRST))
            return {}
        overrides: dict[str, Located] = {}
        for key_node, value_node in node.value:
            if not isinstance(value_node, yaml.ScalarNode) or value_node.value not in SEVERITIES:
                self.problem(value_node, f"severity must be one of {', '.join(_HIGHEST_FIRST)}")
                continue
            if str(key_node.value) in overrides:
                self.problem(key_node, f"duplicate key '{key_node.value}'")
                continue
            overrides[str(key_node.value)] = Located(value_node.value, _location(self.path, value_node))
        return overrides

    def go_versions(self, node: yaml.Node) -> tuple[tuple[str, str], ...]:
        """``{"dir/...": "1.22"}``: relative directory patterns to Go language versions."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, "'go_versions' must map paths (dir or dir/...) to Go versions such as \"1.22\"")
            return ()
        limits: dict[str, str] = {}
        for key_node, value_node in node.value:
            pattern = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else ""
            if not _valid_directory_pattern(pattern):
                self.problem(
                    key_node, f"go_versions path must be a relative directory, dir/... or ..., not {pattern!r}"
                )
                continue
            if pattern in limits:
                self.problem(key_node, f"duplicate key '{pattern}'")
                continue
            value = value_node.value if isinstance(value_node, yaml.ScalarNode) else None
            if value_node.tag != "tag:yaml.org,2002:str" or not _GO_VERSION_RE.fullmatch(str(value)):
                self.problem(value_node, 'a Go version must be a quoted language version such as "1.22"')
                continue
            limits[pattern] = str(value)
        return tuple(limits.items())

    def verify(self, node: yaml.Node) -> str | None:
        """``verify: build|vet|test|none``: the level of ``--verify`` when the flag is not given."""
        if not isinstance(node, yaml.ScalarNode) or node.value not in _VERIFY_VALUES:
            self.problem(node, f"'verify' must be one of {', '.join(_VERIFY_VALUES)}")
            return None
        return str(node.value)

    def recipe_dirs(self, items: list[Located]) -> tuple[Path, ...]:
        dirs: list[Path] = []
        for item in items:
            directory = (self.path.parent / item.value).resolve()
            if directory.is_dir():
                dirs.append(directory)
            else:
                self.problems.append(LocatedMessage(item.location, f"recipe directory not found: {item.value}"))
        return tuple(dirs)

    def config(self, root: yaml.Node | None) -> Config:
        if root is None:
            return Config(path=self.path)
        if not isinstance(root, yaml.MappingNode):
            self.problem(root, "the configuration must be a mapping of keys " + ", ".join(_KEYS))
            return Config(path=self.path)
        values: dict[str, Any] = {}
        for key_node, value_node in root.value:
            key = str(key_node.value)
            if key in values:
                self.problem(key_node, f"duplicate key '{key}'")
            elif key not in _KEYS:
                self.problem(key_node, f"unknown key '{key}' (expected one of {', '.join(_KEYS)})")
            elif key == "severity":
                values[key] = self.severity(value_node)
            elif key == "go_versions":
                values[key] = self.go_versions(value_node)
            elif key == "verify":
                values[key] = self.verify(value_node)
            else:
                values[key] = self.strings(key, value_node)
        return Config(
            path=self.path,
            recipe_dirs=self.recipe_dirs(values.get("recipe_dirs", [])),
            enable=tuple(values.get("enable", [])),
            disable=tuple(values.get("disable", [])),
            exclude=tuple(item.value for item in values.get("exclude", [])),
            severity=values.get("severity", {}),
            go_versions=values.get("go_versions", ()),
            verify=values.get("verify"),
        )


def parse_config(path: Path) -> Config:
    """Read and validate one configuration file; raises :class:`ConfigError`."""
    unreadable: list[LocatedMessage] = []
    text = read_utf8(path, unreadable, "configuration")
    if text is None:
        raise ConfigError(unreadable)
    return parse_config_text(path, text)


def parse_config_text(path: Path, text: str) -> Config:
    """Validate ``text`` as the configuration file ``path`` (an editor's unsaved buffer); raises :class:`ConfigError`."""
    shape = shape_problem(text, path)
    if shape is not None:
        raise ConfigError([shape])
    try:
        root = yaml.compose(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        location = Location(str(path), mark.line + 1, mark.column + 1) if mark else Location(str(path), 1, 1)
        raise ConfigError([LocatedMessage(location, f"invalid YAML: {error.problem or error.context}")]) from None
    except yaml.YAMLError as error:
        raise ConfigError([LocatedMessage(Location(str(path), 1, 1), f"invalid YAML: {error}")]) from None
    parser = _Parser(path)
    config = parser.config(root)
    if parser.problems:
        raise ConfigError(parser.problems)
    return config
