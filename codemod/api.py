"""The small documented Python API: load recipes, apply them to Go source.

    from codemod.api import load_recipes, apply
    recipes = load_recipes(["defer-go-explicit"])
    result = apply(source_bytes, recipes)          # -> FileResult
    if result.changed:
        print(result.new_source.decode())

``run_file`` is the engine entry point used by runners and worker processes:
pure, never raises, returns a pickleable :class:`~codemod.model.FileResult`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from codemod.model import Change, FileResult
from codemod.recipes.load import Recipe, load_recipes  # noqa: F401  (re-exported)


def run_file(
    path: str,
    data: bytes,
    recipes: Iterable[Recipe],
    *,
    go_version: str | None = None,
    package_sources: Mapping[str, bytes] | None = None,
    decide: Callable[[Change], bool] | None = None,
    include_generated: bool = False,
    format_with_gofmt: bool = True,
) -> FileResult:
    """Run ``recipes`` over one file's bytes; see :func:`codemod.engine.core.run_file`."""
    from codemod.engine.core import run_file as _run_file

    return _run_file(
        path,
        data,
        list(recipes),
        go_version=go_version,
        package_sources=package_sources,
        decide=decide,
        include_generated=include_generated,
        format_with_gofmt=format_with_gofmt,
    )


def apply(
    source: bytes | str,
    recipes: Iterable[Recipe],
    *,
    path: str = "input.go",
    go_version: str | None = None,
) -> FileResult:
    """Apply recipes to one in-memory Go source; convenient in tests.

    A ``str`` is encoded as UTF-8 (undecodable bytes kept by ``surrogateescape``
    come back as they were). Arguments of the wrong type raise TypeError.
    """
    if isinstance(source, str):
        data = source.encode("utf-8", "surrogateescape")
    elif isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        raise TypeError(f"source must be bytes or str, not {type(source).__name__}")
    recipes = list(recipes)
    for recipe in recipes:
        if not isinstance(recipe, Recipe):
            raise TypeError(f"recipes must be Recipe objects (see load_recipes), not {type(recipe).__name__}")
    return run_file(path, data, recipes, go_version=go_version)
