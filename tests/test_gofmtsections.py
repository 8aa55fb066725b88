"""gofmt on the changed top-level sections only: the same bytes as gofmt on the whole file."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from gotoolchain import require_go

from codemod.golang import gofmt
from codemod.golang.gofmtsections import format_edited, pieces
from codemod.syntax.tree import parse
from tests.helpers import go, run

pytestmark = pytest.mark.usefixtures("go_toolchain")

FILE = go(
    """
    // Copyright notice.

    package p

    import "fmt"

    const (
        a   = 1 // one
        bcd = 2 // two
    )

    var x = 1  // x
    var yy = 2 // yy

    func f() string {
        s := `raw

    text`

        return fmt.Sprint(s)
    }
    """
).encode()


def _local(original: bytes, new: bytes) -> bytes | None:
    return format_edited(original, parse(original).root_node, new, parse(new).root_node, gofmt.format_source)


def test_pieces_are_the_file_cut_at_top_level_blank_lines() -> None:
    cut = pieces(FILE, parse(FILE).root_node)
    assert b"".join(text for text, _ in cut) == FILE
    sections = [text for text, gap in cut if not gap]
    assert sections[0] == b"// Copyright notice.\n"
    assert sections[-1].startswith(b"func f()") and sections[-1].endswith(b"}\n")  # blank lines inside stay inside
    assert all(gap == (set(text) <= set(b" \t\r\n")) for text, gap in cut)
    assert [gap for _, gap in cut] == [i % 2 == 1 for i in range(len(cut))]  # sections and gaps alternate


def test_a_changed_section_is_realigned_as_gofmt_would() -> None:
    assert gofmt.format_source(FILE).text == FILE
    new = FILE.replace(b"var yy = 2", b"var yyyyyy = 2")  # the section's trailing comments realign
    expected = gofmt.format_source(new).text
    assert expected != new and _local(FILE, new) == expected


def test_a_change_in_the_header_is_formatted_from_the_start_of_the_file() -> None:
    new = FILE.replace(b'import "fmt"', b'import (\n"sync"\n  "fmt"\n)')
    assert _local(FILE, new) == gofmt.format_source(new).text


def test_a_changed_gap_and_a_removed_section_are_formatted_as_gofmt_would() -> None:
    extra_blank_lines = FILE.replace(b"var x = 1  // x\n", b"var x = 1  // x\n\n\n\nvar z  = 3\n")
    removed = FILE.replace(b"var x = 1  // x\nvar yy = 2 // yy\n\n", b"")
    assert removed != FILE != extra_blank_lines
    for new in (extra_blank_lines, removed):
        assert _local(FILE, new) == gofmt.format_source(new).text


def test_a_section_gofmt_rejects_is_none() -> None:
    assert _local(FILE, FILE.replace(b"var x = 1", b"var x = = 1")) is None


_FILLER = "".join(f"\n// f{i} does nothing.\nfunc f{i}() {{}}\n" for i in range(40))
_BLOCK = "package p\n\nvar (\n\ta  = 1 // a\n\tbb = 2 // bb\n)\n" + _FILLER


def _gofmt_inputs(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    seen: list[bytes] = []
    real = gofmt.format_source
    monkeypatch.setattr(gofmt, "format_source", lambda source: seen.append(source) or real(source))
    return seen


def test_the_engine_gives_gofmt_only_the_changed_section(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _gofmt_inputs(monkeypatch)
    result = run("id: r\ndescription: d\nrule: {pattern: bb}\nfix: cc\n", _BLOCK)
    assert result.new_source == _BLOCK.replace("\tbb =", "\tcc =").encode()
    assert seen == [b"package p\n\nvar (\n\ta  = 1 // a\n\tcc = 2 // bb\n)\n"]


def test_a_section_gofmt_changes_is_formatted_after_a_look_at_the_whole_original(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = _gofmt_inputs(monkeypatch)
    result = run("id: r\ndescription: d\nrule: {pattern: bb}\nfix: bbbbbb\n", _BLOCK)
    assert result.new_source == gofmt.format_source(result.new_source).text
    assert b"\ta      = 1 // a\n\tbbbbbb = 2 // bb\n" in result.new_source
    assert seen[1] == _BLOCK.encode() and len(seen[0]) < len(_BLOCK) // 4  # the section, then the original whole


def _goroot_src() -> Path:
    return require_go().src


_NAME = re.compile(rb"\b[a-z][A-Za-z0-9]{2,}\b")


def _variants(original: bytes, rnd: random.Random) -> list[bytes]:
    """Edits of one or two top-level sections of a gofmt-clean file: lost alignment, a longer name, blank lines, a removal."""
    cut = pieces(original, parse(original).root_node)
    sections = [i for i, (_, gap) in enumerate(cut) if not gap][1:]  # the header too is covered by a test above
    if len(sections) < 2:
        return []
    one, two = rnd.sample(sections, 2)

    def changed(edits: dict[int, bytes], drop: int | None = None) -> bytes:
        texts = [edits.get(i, text) for i, (text, _) in enumerate(cut)]
        return b"".join(text for i, text in enumerate(texts) if drop is None or i not in (drop, drop + 1))

    text = cut[one][0]
    names = _NAME.findall(text)
    variants = [
        changed({one: re.sub(rb"(?m)^\t+", b"", re.sub(rb"  +", b" ", text))}),
        changed({one: text.replace(b"\n", b"\n\n\n", 1)}),
        changed({one: text, two: cut[two][0].replace(b"\n", b" // note\n", 1)}),
        changed({}, drop=one),
    ]
    if names:
        name = rnd.choice(names)
        variants.append(changed({one: re.sub(rb"\b" + name + rb"\b", name + b"Longer", text)}))
    return [variant for variant in variants if variant != original]


@pytest.mark.slow
@pytest.mark.parametrize("package", ["text/tabwriter", "go/ast", "sync", "encoding/csv", "net/textproto"])
def test_on_the_standard_library_it_agrees_with_gofmt_on_the_whole_file(package: str) -> None:
    rnd = random.Random(package)
    compared = 0
    for path in sorted((_goroot_src() / package).glob("*.go"))[:6]:
        original = path.read_bytes()
        if gofmt.format_source(original).text != original:
            continue
        for new in _variants(original, rnd):
            if parse(new).root_node.has_error:
                continue
            whole = gofmt.format_source(new).text
            local = _local(original, new)
            assert local == whole, f"{path.name}: formatting the changed sections differs from gofmt"
            compared += 1
    assert compared >= 10
