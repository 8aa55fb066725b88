"""Where the built-in recipes and their golden cases are, installed or in a checkout.

The repository keeps them at its top level (``recipes/`` and ``golden/``);
the wheel maps that folder into the package as ``codemod/data/`` (see
``[tool.setuptools.package-dir]`` in ``pyproject.toml``), found here through
:mod:`importlib.resources`. A checkout, editable installs included, has no
``codemod/data/`` and uses the top-level folders themselves, so an edit
to a built-in recipe takes effect without reinstalling.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

PACKAGED_NAME = "data"  # no leading underscore: recipes ignore `_*` directories, as the go tool does


def builtin_root() -> Path:
    """The folder holding ``recipes/`` and ``golden/``: the packaged copy, else the checkout's top level."""
    packaged = Path(str(importlib.resources.files("codemod") / PACKAGED_NAME))
    checkout = Path(__file__).resolve().parents[2]
    if not packaged.is_dir() and (checkout / "recipes").is_dir() and (checkout / "pyproject.toml").is_file():
        return checkout
    return packaged


_ROOT = builtin_root()
BUILTIN_DIR = _ROOT / "recipes"
GOLDEN_DIR = _ROOT / "golden"
