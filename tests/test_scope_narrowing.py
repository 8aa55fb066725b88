"""Fixes placed in a scope narrower than the variables they touch: refused, with
real Go modules whose ``go test`` passes before and after the rewrite.

context-defer-cancel inside a function literal that assigns a context or
cancel function declared outside it would defer the cancel in the literal,
cancelling the context as soon as the literal returns. The `var` forms
(``var ctx, cancel = ...``, ``var _, cancel = ...``) are fixed like ``:=``.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

import pytest

from codemod.engine.core import run_package
from codemod.model import Status
from codemod.recipes.load import load_recipes
from tests.gotoolchain import GoToolchain

GO_ENV = {**os.environ, "GOTOOLCHAIN": "local", "GOPROXY": "off", "GOFLAGS": "-mod=mod"}

CONTEXT_LITERAL = textwrap.dedent(
    """\
    package ctxlit

    import (
    	"context"
    	"time"
    )

    // Setup assigns outer variables from a literal (as tests with t.Cleanup-style
    // helpers do); the context must still be live after the literal returns.
    func Setup(parent context.Context, quick bool) error {
    	var ctx context.Context
    	var cancel context.CancelFunc
    	func() {
    		ctx, cancel = context.WithTimeout(parent, time.Minute)
    	}()
    	if quick {
    		return ctx.Err()
    	}
    	err := ctx.Err()
    	cancel()
    	return err
    }

    func OuterContext(parent context.Context) error {
    	var ctx context.Context
    	func() {
    		var cancel context.CancelFunc
    		ctx, cancel = context.WithCancel(parent)
    		if parent == nil {
    			return
    		}
    		_ = cancel
    	}()
    	return ctx.Err()
    }

    func VarForm(parent context.Context, quick bool) error {
    	var ctx, cancel = context.WithCancel(parent)
    	if quick {
    		return ctx.Err()
    	}
    	cancel()
    	return nil
    }
    """
)

CONTEXT_LITERAL_TEST = textwrap.dedent(
    """\
    package ctxlit

    import (
    	"context"
    	"testing"
    )

    func TestContextsAreLiveWhereUsed(t *testing.T) {
    	for _, quick := range []bool{true, false} {
    		if err := Setup(context.Background(), quick); err != nil {
    			t.Fatalf("Setup(quick=%v): %v", quick, err)
    		}
    		if err := VarForm(context.Background(), quick); err != nil {
    			t.Fatalf("VarForm(quick=%v): %v", quick, err)
    		}
    	}
    	if err := OuterContext(context.Background()); err != nil {
    		t.Fatal(err)
    	}
    }
    """
)


def _go_test(go: GoToolchain, module: Path) -> None:
    done = subprocess.run([go.go, "test", "-count=1", "."], cwd=module, env=GO_ENV, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_context_defer_cancel_refuses_literals_assigning_outer_variables(
    go_toolchain: GoToolchain, tmp_path: Path
) -> None:
    module = tmp_path / "ctxlit"
    module.mkdir()
    (module / "go.mod").write_text("module ctxlit\n\ngo 1.22\n")
    (module / "ctx.go").write_text(CONTEXT_LITERAL)
    (module / "ctx_test.go").write_text(CONTEXT_LITERAL_TEST)
    _go_test(go_toolchain, module)

    files = {str(path): path.read_bytes() for path in sorted(module.glob("*.go"))}
    (result, _) = run_package(files, load_recipes(["context-defer-cancel"]), go_version="1.22")
    assert result.status is Status.CHANGED, result.reason
    assert [finding.start.line for finding in result.findings] == [14, 28]  # the two literals: reported
    new = result.new_source.decode()
    assert new.count("defer cancel()") == 1  # only VarForm's
    assert "\tvar ctx, cancel = context.WithCancel(parent)\n\tdefer cancel()\n" in new
    Path(result.path).write_bytes(result.new_source)
    _go_test(go_toolchain, module)
