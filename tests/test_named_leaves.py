"""``resolution.named_leaves`` (names found from their bytes) agrees with a walk of the whole subtree."""

from __future__ import annotations

from pathlib import Path

import pytest
from gotoolchain import GoToolchain
from tree_sitter import Node

from codemod.golang.resolution import Resolver, named_leaves, references, resolve
from codemod.golang.scope import REFERENCE_KINDS, walk
from codemod.syntax.tree import parse

LABELS = frozenset({"label_name"})
TRICKY = b"""package p

// x in a comment, x.y, "x" and `x`
import x "fmt"

type T struct{ x int }

func f(x int) (xx int) {
	x := x + xx // x
	_ = "x\\x78" + `x`
	x
x:
	for {
		goto x
	}
	var y T
	y.x = x
	return T{x: x}.x
}

func g() { x( }
"""


def walked(top: Node, text: bytes, kinds: frozenset[str]) -> list[Node]:
    return [node for node in walk(top) if node.type in kinds and node.text == text]


def names_of(top: Node) -> set[bytes]:
    return {node.text for node in walk(top) if node.type in REFERENCE_KINDS | LABELS and node.text}


@pytest.mark.parametrize("kinds", [REFERENCE_KINDS, LABELS])
def test_tricky_names_are_the_walks_nodes_in_document_order(kinds: frozenset[str]) -> None:
    root = parse(TRICKY).root_node
    assert root.has_error  # the broken call in g: the search still sees what the walk sees
    for name in names_of(root) | {b"x", b"xx", b"p", b"", b"missing"}:
        assert list(named_leaves(root, name, kinds)) == walked(root, name, kinds), name
    assert len(walked(root, b"x", REFERENCE_KINDS)) > 8


def test_a_subtree_finds_only_its_own_nodes() -> None:
    root = parse(TRICKY).root_node
    function = next(node for node in root.named_children if node.type == "function_declaration")
    found = list(named_leaves(function, b"x", REFERENCE_KINDS))
    assert found == walked(function, b"x", REFERENCE_KINDS)
    assert all(function.start_byte <= node.start_byte < function.end_byte for node in found)


def test_references_of_each_declaration_agree_on_standard_library_files(go_toolchain: GoToolchain) -> None:
    paths = sorted((go_toolchain.src / "sync").glob("*.go")) + sorted((go_toolchain.src / "strings").glob("*.go"))
    checked = 0
    for path in paths[:24]:
        root = parse(Path(path).read_bytes()).root_node
        shared = Resolver()  # one per tree, as scope facts pass it: the same answers as a fresh one per call
        for name in sorted(names_of(root)):
            nodes = walked(root, name, REFERENCE_KINDS)
            assert list(named_leaves(root, name, REFERENCE_KINDS)) == nodes, (path, name)
            decl = next((d for d in map(resolve, nodes) if d is not None), None)
            if decl is not None:
                expected = [node for node in nodes if resolve(node) == decl]
                assert references(root, decl) == expected, (path, name)
                assert references(root, decl, shared) == expected, (path, name)
                checked += 1
    assert checked > 300
