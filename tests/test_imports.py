"""Tests for codemod.golang.imports: reading imports and the add/remove post-pass.

Every rewritten file is checked with the real gofmt: the engine promises
gofmt-clean output for gofmt-clean input.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from gotoolchain import require_go

from codemod.golang.imports import (
    ImportInfo,
    default_package_name,
    fix_imports,
    imports_of,
    local_name,
    package_references,
)
from codemod.golang.resolution import Resolver
from codemod.golang.scope import walk
from codemod.syntax.tree import error_count, parse


def gofmt(source: bytes) -> bytes:
    result = subprocess.run([require_go().gofmt], input=source, capture_output=True, check=True)
    return result.stdout


def fixed(source: str, add: tuple[str, ...] = (), remove: tuple[str, ...] = ()) -> str:
    """Run the post-pass and prove the result gofmt-clean and parseable."""
    assert gofmt(source.encode()) == source.encode(), "test input must be gofmt-clean"
    result = fix_imports(source.encode(), add=add, remove_if_unused=remove)
    assert gofmt(result) == result, result.decode()
    assert error_count(parse(result)) == 0
    return result.decode()


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("fmt", "fmt"),
        ("net/http", "http"),
        ("github.com/x/y/v2", "y"),
        ("gopkg.in/yaml.v3", "yaml"),
        ("github.com/x/go-foo", "foo"),
        ("github.com/x/foo-bar", "foo"),
        ("math/rand/v2", "rand"),
        ("v2", "v2"),
    ],
)
def test_default_package_name(path: str, name: str) -> None:
    assert default_package_name(path) == name


READ = b"""package p

import (
	"fmt"
	str "strings"
	. "math"
	_ "embed"
)

import "os"
"""


def test_imports_of_and_local_name() -> None:
    tree = parse(READ)
    infos = imports_of(tree)
    assert [(i.path, i.name) for i in infos] == [
        ("fmt", None),
        ("strings", "str"),
        ("math", "."),
        ("embed", "_"),
        ("os", None),
    ]
    first = infos[0]
    assert first == ImportInfo("fmt", None, READ.index(b'"fmt"'), READ.index(b'"fmt"') + 5)
    assert local_name(tree, "fmt") == "fmt"
    assert local_name(tree, "strings") == "str"
    assert local_name(tree, "math") is None  # dot import
    assert local_name(tree, "embed") is None  # blank import
    assert local_name(tree, "sync") is None


def test_package_references_skip_shadowed_names() -> None:
    source = b"""package p

import "time"

var d time.Duration

func f(time int) int { return time.x }

func g() {
	time.Sleep(d)
	if time := 3; time > 0 {
		_ = time.Hour
	}
	_ = []time.Time{}
}
"""
    assert package_references(parse(source), "time") == 3
    assert package_references(parse(source), "fmt") == 0


def _walked_references(tree, name: str) -> int:
    """The count as a walk over every selector and qualified type of the file gives it."""
    resolver = Resolver()
    count = 0
    for node in walk(tree.root_node):
        field = {"selector_expression": "operand", "qualified_type": "package"}.get(node.type)
        qualifier = node.child_by_field_name(field) if field is not None else None
        if (
            qualifier is not None
            and qualifier.type in ("identifier", "package_identifier")
            and qualifier.text == name.encode()
            and resolver.is_package_level(qualifier)
        ):
            count += 1
    return count


def test_package_references_found_from_names_agree_with_a_walk_on_standard_library_files() -> None:
    """Qualifiers found from the name's bytes: the same count as walking every node, for every
    import of the files (and names in comments, strings and longer words do not count)."""
    goroot = require_go().goroot
    source = b'package p\n\nimport "time"\n\n// time.Sleep\nvar s = "time.Now" + xtime.Y + time.Z\n'
    assert package_references(parse(source), "time") == 1 == _walked_references(parse(source), "time")
    checked = 0
    for package in ("sync", "net/http", "go/types"):
        for path in sorted((goroot / "src" / package).glob("*.go"))[:40]:
            tree = parse(path.read_bytes())
            for info in imports_of(tree):
                name = info.name or default_package_name(info.path)
                assert package_references(tree, name) == _walked_references(tree, name), (path, name)
                checked += 1
    assert checked > 300


BLOCK = """package p

import (
	"fmt"
	"os" // files

	"github.com/x/y"
)

func f() { fmt.Println(os.Args, y.Z) }
"""


def test_add_into_block_goes_to_the_sorted_standard_library_group() -> None:
    result = fixed(BLOCK, add=("sync",))
    assert result == BLOCK.replace('"os" // files\n', '"os" // files\n\t"sync"\n')
    assert fixed(BLOCK, add=("bufio",)) == BLOCK.replace('\t"fmt"\n', '\t"bufio"\n\t"fmt"\n')
    assert fixed(BLOCK, add=("net/http",)) == BLOCK.replace('\t"os"', '\t"net/http"\n\t"os"')


def test_add_third_party_goes_to_the_last_third_party_group() -> None:
    result = fixed(BLOCK, add=("github.com/a/b",))
    assert result == BLOCK.replace('\t"github.com/x/y"', '\t"github.com/a/b"\n\t"github.com/x/y"')
    only_std = 'package p\n\nimport (\n\t"fmt"\n\t"os"\n)\n'
    assert fixed(only_std, add=("example.com/m",)) == (
        'package p\n\nimport (\n\t"fmt"\n\t"os"\n\n\t"example.com/m"\n)\n'
    )


def test_add_standard_library_before_a_lone_third_party_group() -> None:
    source = 'package p\n\nimport (\n\t// Deps.\n\t"github.com/x/y"\n)\n'
    assert fixed(source, add=("sync",)) == ('package p\n\nimport (\n\t"sync"\n\n\t// Deps.\n\t"github.com/x/y"\n)\n')


def test_add_to_a_single_import_makes_a_block() -> None:
    source = 'package p\n\nimport "fmt" // printing\n\nfunc f() { fmt.Println() }\n'
    assert fixed(source, add=("sync",)) == (
        'package p\n\nimport (\n\t"fmt" // printing\n\t"sync"\n)\n\nfunc f() { fmt.Println() }\n'
    )
    assert fixed(source, add=("bytes",)).startswith('package p\n\nimport (\n\t"bytes"\n\t"fmt" // printing\n)\n')
    assert fixed(source, add=("github.com/x/y",)).startswith(
        'package p\n\nimport (\n\t"fmt" // printing\n\n\t"github.com/x/y"\n)\n'
    )
    aliased = 'package p\n\nimport y "github.com/x/y"\n\nvar _ = y.Z\n'
    assert fixed(aliased, add=("sync",)).startswith('package p\n\nimport (\n\t"sync"\n\n\ty "github.com/x/y"\n)\n')


def test_add_without_imports_after_the_package_clause() -> None:
    source = '// Package p does things.\npackage p // import "example.com/p"\n\n// F is.\nfunc F() {}\n'
    assert fixed(source, add=("sync",)) == source.replace('example.com/p"\n', 'example.com/p"\n\nimport "sync"\n')
    assert fixed("package p\n", add=("sync",)) == 'package p\n\nimport "sync"\n'
    assert fixed(source, add=("sync", "github.com/x/y", "context")) == source.replace(
        'example.com/p"\n',
        'example.com/p"\n\nimport (\n\t"context"\n\t"sync"\n\n\t"github.com/x/y"\n)\n',
    )


def test_several_adds_at_once() -> None:
    result = fixed(BLOCK, add=("sync", "context", "github.com/a/b", "sync"))
    assert result == (
        'package p\n\nimport (\n\t"context"\n\t"fmt"\n\t"os" // files\n\t"sync"\n\n'
        '\t"github.com/a/b"\n\t"github.com/x/y"\n)\n\nfunc f() { fmt.Println(os.Args, y.Z) }\n'
    )


def test_add_is_a_no_op_when_already_imported() -> None:
    source = 'package p\n\nimport (\n\tf "fmt"\n\t"os"\n)\n\nvar _, _ = f.Println, os.Args\n'
    assert fixed(source, add=("fmt", "os")) == source


def test_add_beside_a_blank_or_dot_import() -> None:
    source = 'package p\n\nimport (\n\t_ "embed"\n\t. "fmt"\n)\n'
    assert fixed(source, add=("embed",)) == 'package p\n\nimport (\n\t"embed"\n\t_ "embed"\n\t. "fmt"\n)\n'


def test_add_never_merges_into_the_cgo_import() -> None:
    source = 'package p\n\n// #include <stdio.h>\nimport "C"\n\nfunc f() { C.puts(nil) }\n'
    assert fixed(source, add=("sync",)) == source.replace('import "C"\n', 'import "C"\n\nimport "sync"\n')


def test_add_keeps_comments_in_place() -> None:
    source = 'package p\n\nimport (\n\t"fmt" // a\n\t// Files.\n\t"os"\n)\n'
    assert fixed(source, add=("io",)) == source.replace("\t// Files.", '\t"io"\n\t// Files.')
    assert fixed(source, add=("path",)) == source.replace('"os"\n', '"os"\n\t"path"\n')
    inline = 'package p\n\nimport (\n\t"fmt" // a\n\t/* b */ "os"\n)\n'
    assert fixed(inline, add=("io",)) == inline.replace("\t/* b */", '\t"io"\n\t/* b */')


def test_add_into_an_empty_block() -> None:
    assert fixed("package p\n\nimport ()\n", add=("sync",)) == 'package p\n\nimport (\n\t"sync"\n)\n'


USED_AND_UNUSED = """package p

import (
	"fmt"
	"strings" // text
	"time"

	"github.com/x/y"
)

func f() {
	fmt.Println(y.Z)
}
"""


def test_remove_unused_import_and_its_trailing_comment() -> None:
    result = fixed(USED_AND_UNUSED, remove=("strings", "time"))
    assert result == USED_AND_UNUSED.replace('\t"strings" // text\n\t"time"\n', "")


def test_keep_imports_that_are_used() -> None:
    assert fixed(USED_AND_UNUSED, remove=("fmt", "github.com/x/y")) == USED_AND_UNUSED
    typed = 'package p\n\nimport "time"\n\nvar d time.Duration\n'
    assert fixed(typed, remove=("time",)) == typed


def test_a_shadowed_name_does_not_keep_the_import() -> None:
    source = """package p

import (
	"fmt"
	"time"
)

func f() {
	time := clock()
	fmt.Println(time.Now())
}
"""
    assert fixed(source, remove=("time",)) == source.replace('\t"time"\n', "")


def test_removing_the_last_import_removes_the_declaration() -> None:
    block = 'package p\n\nimport (\n\t"time"\n)\n\nfunc f() {}\n'
    assert fixed(block, remove=("time",)) == "package p\n\nfunc f() {}\n"
    single = 'package p\n\nimport "time"\n\nfunc f() {}\n'
    assert fixed(single, remove=("time",)) == "package p\n\nfunc f() {}\n"
    at_end = 'package p\n\nimport "time"\n'
    assert fixed(at_end, remove=("time",)) == "package p\n"


def test_removing_a_whole_group_leaves_no_double_blank_line() -> None:
    source = 'package p\n\nimport (\n\t"fmt"\n\n\t"github.com/x/y"\n\n\t"example.com/z"\n)\n\nvar _ = fmt.Sprint\n'
    assert fixed(source, remove=("github.com/x/y",)) == source.replace('\t"github.com/x/y"\n\n', "")
    assert fixed(source, remove=("example.com/z",)) == source.replace('\n\n\t"example.com/z"', "")
    assert fixed(source, remove=("fmt",)) == source  # still used
    lone_first = source.replace("var _ = fmt.Sprint\n", "var _ = z.Sprint\n")
    assert fixed(lone_first, remove=("fmt", "github.com/x/y")) == (
        'package p\n\nimport (\n\t"example.com/z"\n)\n\nvar _ = z.Sprint\n'
    )


def test_aliased_import_is_removed_by_its_alias() -> None:
    source = 'package p\n\nimport (\n\t"strings"\n\tstr "strings"\n)\n\nvar _ = strings.ToUpper\n'
    assert fixed(source, remove=("strings",)) == source.replace('\tstr "strings"\n', "")


def test_dot_and_blank_imports_are_never_touched() -> None:
    source = 'package p\n\nimport (\n\t_ "embed"\n\t. "strings"\n)\n'
    assert fixed(source, remove=("embed", "strings")) == source


def test_crlf_and_bom_are_preserved() -> None:
    lf = BLOCK
    crlf = ("\ufeff" + lf.replace("\n", "\r\n")).encode()
    result = fix_imports(crlf, add=("sync", "github.com/a/b"), remove_if_unused=("os",))
    assert result.startswith("\ufeff".encode())
    assert b"\n" not in result.replace(b"\r\n", b"")
    expected = fixed(lf, add=("sync", "github.com/a/b"), remove=("os",))
    assert result == ("\ufeff" + expected.replace("\n", "\r\n")).encode()
    bare = b"package p\r\n\r\nfunc f() {}\r\n"
    assert fix_imports(bare, add=("sync",)) == b'package p\r\n\r\nimport "sync"\r\n\r\nfunc f() {}\r\n'


def test_untouched_bytes_stay_identical() -> None:
    source = BLOCK.replace("func f()", "// odd   spacing   kept\nfunc f()")
    result = fixed(source, add=("sync",))
    head, tail = source.split('\t"os" // files\n')
    assert result.startswith(head) and result.endswith(tail)


STANDARD_PACKAGES = ("sort", "bufio", "strings", "net/url", "encoding/json", "text/template")


def _standard_library_files() -> list[Path]:
    src = require_go().src
    return sorted(p for package in STANDARD_PACKAGES for p in (src / package).glob("*.go"))


@pytest.mark.slow
def test_standard_library_files_stay_gofmt_clean(tmp_path: Path) -> None:
    """Real files: removing used imports changes nothing; adds stay gofmt-clean."""
    for index, path in enumerate(_standard_library_files()):
        source = path.read_bytes()
        imported = [info.path for info in imports_of(parse(source)) if info.path != "C"]
        assert fix_imports(source, remove_if_unused=imported) == source, path
        result = fix_imports(source, add=("sync", "context", "example.com/new/dep"))
        assert error_count(parse(result)) == 0, path
        (tmp_path / f"{index}.go").write_bytes(result)
    unformatted = subprocess.run([require_go().gofmt, "-l", str(tmp_path)], capture_output=True, text=True, check=True)
    assert unformatted.stdout == ""
