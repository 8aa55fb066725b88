"""End to end: once-atomic-flag and context-defer-cancel on a real Go module.

A small module (stdlib only) holds several instances of each hazard. The two
recipes run over the package with ``run_package``, the results are written,
and the real toolchain checks them: ``go build ./...`` must pass and ``go vet``'s
lostcancel findings must be exactly those of the calls the recipe refused on
purpose (the vet-visible refusals: loops and escaping contexts). Also unit
tests for the two general fix-rendering behaviours these recipes rely on.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import textwrap
from pathlib import Path

import pytest
from gotoolchain import require_go

from codemod.api import apply
from codemod.engine.core import run_package
from codemod.model import Status
from codemod.recipes.load import BUILTIN_DIR, load_recipe_text, load_recipes

pytestmark = pytest.mark.usefixtures("go_toolchain")
RECIPES = [BUILTIN_DIR / "once-atomic-flag.yaml", BUILTIN_DIR / "context-defer-cancel.yaml"]

CONTEXTS = """\
package hazards

import (
	"context"
	"errors"
	"time"
)

type job struct {
	stop context.CancelFunc
	ctx  context.Context
}

func do(ctx context.Context) error { return ctx.Err() }

func Timeout(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	if err := do(ctx); err != nil {
		cancel()
		return err
	}
	return nil
}

func Discarded(parent context.Context) error {
	ctx, _ := context.WithDeadline(parent, time.Now().Add(time.Second))
	return do(ctx)
}

func Cause(parent context.Context) error {
	ctx, cancel := context.WithCancelCause(parent)
	if err := do(ctx); err != nil {
		cancel(err)
		return err
	}
	return errors.New("done")
}

func Assigned(parent context.Context, long bool) error {
	var ctx context.Context
	var cancel context.CancelFunc
	if long {
		ctx, cancel = context.WithTimeout(parent, time.Minute)
	} else {
		ctx, cancel = context.WithCancel(parent)
	}
	if err := do(ctx); err != nil {
		cancel()
		return err
	}
	return nil
}

func InLoop(parent context.Context, n int) error {
	for i := 0; i < n; i++ {
		ctx, cancel := context.WithTimeout(parent, time.Second)
		if err := do(ctx); err != nil {
			cancel()
			return err
		}
	}
	return nil
}

func Escapes(parent context.Context) (context.Context, error) {
	ctx, cancel := context.WithCancel(parent)
	if err := do(ctx); err != nil {
		cancel()
		return nil, err
	}
	return ctx, nil
}

func Stored(j *job, parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	j.stop = cancel
	j.ctx = ctx
}

func Goroutine(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	if do(ctx) != nil {
		cancel()
		return
	}
	go do(ctx)
}
"""

ONCES = """\
package hazards

import (
	"fmt"
	"sync/atomic"
)

var initialised int32

var started atomic.Bool

var warmed uint32

func Init() {
	if atomic.CompareAndSwapInt32(&initialised, 0, 1) {
		fmt.Println("init")
	}
}

// Start starts once.
func Start() {
	if started.CompareAndSwap(false, true) {
		fmt.Println("start")
	}
}

func Warm() {
	if atomic.CompareAndSwapUint32(&warmed, 0, 1) {
		fmt.Println("warm")
	}
}

var armed int32

func Arm() {
	if atomic.CompareAndSwapInt32(&armed, 0, 1) {
		fmt.Println("armed")
	}
}
"""

READERS = """\
package hazards

import "sync/atomic"

func Running() bool { return started.Load() }

func IsWarm() bool { return atomic.LoadUint32(&warmed) == 1 }

func Disarm() { atomic.StoreInt32(&armed, 0) }
"""

# The refusals go vet can see (it does not follow a cancel function that escapes).
VET_VISIBLE = re.compile(r"inside a loop body|may outlive the function")


def _go(module: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GOTOOLCHAIN": "local", "GOPROXY": "off", "GOFLAGS": "-mod=mod"}
    return subprocess.run([require_go().go, *args], cwd=module, env=env, capture_output=True, text=True, timeout=300)


def _lostcancel_lines(module: Path) -> set[tuple[str, int]]:
    """(file, line of the derived-context call) for every lostcancel finding."""
    vet = _go(module, "vet", "./...")
    found: set[tuple[str, int]] = set()
    for line in vet.stderr.splitlines():
        hit = re.match(r"^\.?/?([\w.]+\.go):(\d+):\d+: (.*)$", line)
        if not hit:
            continue
        name, number, message = hit.group(1), int(hit.group(2)), hit.group(3)
        defined = re.search(r"the cancel var defined on line (\d+)", message)
        if defined:
            found.add((name, int(defined.group(1))))
        elif "cancel function" in message or "stop function" in message:
            found.add((name, number))
    return found


def _new_line(old: bytes, new: bytes, line: int) -> int:
    """Where 1-based ``line`` of ``old`` (unchanged by the fix) landed in ``new``."""
    matcher = difflib.SequenceMatcher(a=old.splitlines(), b=new.splitlines(), autojunk=False)
    for tag, i1, i2, j1, _ in matcher.get_opcodes():
        if tag == "equal" and i1 < line <= i2:
            return j1 + (line - i1)
    raise AssertionError(f"line {line} was changed by the fix")


@pytest.fixture()
def module(tmp_path: Path) -> Path:
    (tmp_path / "go.mod").write_text("module example.com/hazards\n\ngo 1.22\n")
    for name, text in (("contexts.go", CONTEXTS), ("onces.go", ONCES), ("readers.go", READERS)):
        (tmp_path / name).write_text(text)
    return tmp_path


@pytest.mark.slow
def test_module_builds_and_vet_keeps_only_refused_lostcancel(module: Path) -> None:
    assert _go(module, "build", "./...").returncode == 0
    before = _lostcancel_lines(module)
    assert len({line for name, line in before if name == "contexts.go"}) == 7

    files = {str(module / name): (module / name).read_bytes() for name in ("contexts.go", "onces.go", "readers.go")}
    recipes = load_recipes([str(path) for path in RECIPES], include_builtin=False)
    results = run_package(files, recipes)
    by_name = {Path(result.path).name: result for result in results}
    assert not [result.reason for result in results if result.status is Status.FAILED]
    for name, result in by_name.items():
        if result.changed:
            (module / name).write_bytes(result.new_source)

    built = _go(module, "build", "./...")
    assert built.returncode == 0, built.stderr

    contexts = by_name["contexts.go"]
    assert {c.recipe_id for c in contexts.changes} == {"context-defer-cancel"}
    assert len(contexts.changes) == 5
    refused = [(f.start.line, f.message) for f in contexts.findings]
    assert len(refused) == 4
    expected = {
        ("contexts.go", _new_line(files[str(module / "contexts.go")], contexts.new_source, line))
        for line, message in refused
        if VET_VISIBLE.search(message)
    }
    assert len(expected) == 3
    assert _lostcancel_lines(module) == expected

    onces = by_name["onces.go"]
    assert len(onces.changes) == 3
    assert [f.message for f in onces.findings] == [
        "armed is also written elsewhere in the package: a sync.Once cannot be reset or shared"
    ]
    text = onces.new_source.decode()
    assert "var initialised int32" not in text and "initialisedOnce.Do(func() {" in text
    assert "started.Store(true)" in text and "atomic.StoreUint32(&warmed, 1)" in text
    assert not by_name["readers.go"].changed

    again = run_package({path: Path(path).read_bytes() for path in files}, recipes)
    assert not any(result.changed for result in again)


def test_package_declaration_goes_above_a_doc_comment() -> None:
    recipe = load_recipe_text(
        textwrap.dedent(
            """
            id: declare-before
            description: test
            rule: {pattern: work()}
            fix:
              replace: done()
              edits:
                - {package-decl: "var calls int", after: $MATCH}
            """
        )
    )[0]
    source = "package p\n\n// F works.\n//\n//go:noinline\nfunc F() {\n\twork()\n}\n"
    result = apply(source, [recipe])
    assert result.new_source.decode() == (
        "package p\n\nvar calls int\n\n// F works.\n//\n//go:noinline\nfunc F() {\n\tdone()\n}\n"
    )


def test_a_comment_after_the_opening_brace_stays_on_the_opening_line() -> None:
    recipe = load_recipe_text(
        textwrap.dedent(
            """
            id: unwrap
            description: test
            rule: {pattern: "if ready() { $$$B }"}
            fix: |
              run(func() {
              	$$$B
              })
            """
        )
    )[0]
    source = "package p\n\nfunc f() {\n\tif ready() { // first\n\t\ta()\n\t\tb() // second\n\t}\n}\n"
    result = apply(source, [recipe])
    assert result.new_source.decode() == (
        "package p\n\nfunc f() {\n\trun(func() { // first\n\t\ta()\n\t\tb() // second\n\t})\n}\n"
    )
