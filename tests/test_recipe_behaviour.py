"""End-to-end behaviour of the built-in recipes: real Go, built and run before and after.

Each case is a small program in its own module (``go 1.25``, stdlib only).
The recipe runs through ``codemod.engine.core.run_package``; the rewritten module
must pass ``go vet`` and print what the original printed (for ``safe``
recipes: exactly the same behaviour; for the unsafe ones checked here: the
same output on a program where the change is meant to be invisible). The
programs reproduce bugs found by adversarial QA: a fix that deadlocked
(``waitgroup-go`` with a deferred send), one that did not compile
(``sleep-to-waitgroup`` under a local ``sync``, a goto over a new
declaration), and ``forvar`` copies that kept a three-clause loop's counter
apart. A unit test covers the engine's refusal of a fix whose added import
is hidden by a local declaration. Skipped when ``go`` is missing.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

import pytest
from gotoolchain import require_go

from codemod.engine.core import run_file, run_package
from codemod.model import Status
from codemod.recipes.load import load_recipe_text, load_recipes

needs_go = pytest.mark.usefixtures("go_toolchain")
GO_ENV = {**os.environ, "GOTOOLCHAIN": "local", "GOPROXY": "off", "GOFLAGS": "-mod=mod"}


def _go(text: str) -> bytes:
    return textwrap.dedent(text).lstrip("\n").encode()


def _module(root: Path, program: bytes) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "go.mod").write_text("module qa\n\ngo 1.25\n")
    (root / "main.go").write_bytes(program)
    return root


def _run(module: Path) -> str:
    binary = module / "prog"
    subprocess.run(
        [require_go().go, "build", "-o", str(binary), "."], cwd=module, env=GO_ENV, check=True, capture_output=True
    )
    done = subprocess.run([str(binary)], cwd=module, capture_output=True, text=True, timeout=20)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _rewrite(module: Path, recipe_id: str) -> list:
    files = {str(path): path.read_bytes() for path in sorted(module.glob("*.go"))}
    results = run_package(files, load_recipes([recipe_id]), go_version="1.25")
    for result in results:
        assert result.status != Status.FAILED, result.reason
        if result.status == Status.CHANGED:
            Path(result.path).write_bytes(result.new_source)
    # lostcancel is off: a refused `ctx, _ = ...` is what the finding reports.
    vet = subprocess.run(
        [require_go().go, "vet", "-lostcancel=false", "."], cwd=module, env=GO_ENV, capture_output=True, text=True
    )
    assert vet.returncode == 0, vet.stderr
    return results


def _same_behaviour(tmp_path: Path, recipe_id: str, program: bytes) -> list:
    module = _module(tmp_path / recipe_id, program)
    before = _run(module)
    results = _rewrite(module, recipe_id)
    assert any(result.status == Status.CHANGED for result in results), "the recipe should change something"
    assert _run(module) == before
    return results


WAITGROUP_GO = _go(
    """
    package main

    import (
    	"fmt"
    	"sort"
    	"sync"
    )

    type S struct {
    	sync.WaitGroup
    	mu  sync.Mutex
    	out []string
    }

    func (s *S) add(v string) { s.mu.Lock(); s.out = append(s.out, v); s.mu.Unlock() }

    // Done before the deferred send: wg.Go would call Done after it (deadlock).
    func deferInBody() {
    	var wg sync.WaitGroup
    	ch := make(chan int)
    	wg.Add(1)
    	go func() {
    		defer func() { ch <- 1 }()
    		wg.Done()
    	}()
    	wg.Wait()
    	fmt.Println("got", <-ch)
    }

    func embedded() {
    	s := &S{}
    	for i := range 3 {
    		s.Add(1)
    		go func() {
    			defer s.Done()
    			s.add(fmt.Sprint("e", i))
    		}()
    	}
    	s.Wait()
    	sort.Strings(s.out)
    	fmt.Println(s.out)
    }

    func generic[T any](xs []T) []string {
    	var wg sync.WaitGroup
    	out := make([]string, len(xs))
    	for i, x := range xs {
    		wg.Add(1)
    		go func() { defer wg.Done(); out[i] = fmt.Sprint(x) }()
    	}
    	wg.Wait()
    	return out
    }

    func main() {
    	deferInBody()
    	embedded()
    	fmt.Println(generic([]int{1, 2, 3}))
    }
    """
)

FORVAR = _go(
    """
    package main

    import "fmt"

    type cursor struct{ pos int }

    type pair [2]int

    func main() {
    	var fs []func() int
    	for i := 0; i < 3; i++ {
    		i := i
    		fs = append(fs, func() int { return i })
    	}
    	for c := (cursor{}); c.pos < 3; c.pos++ {
    		c := c
    		p := &c.pos
    		*p += 10
    		fmt.Println("c", c.pos)
    	}
    	for a := (pair{}); a[0] < 2; a[0]++ {
    		a := a
    		s := a[:]
    		s[0] += 5
    		fmt.Println("a", a[0])
    	}
    	for c := (cursor{}); c.pos < 2; c.pos++ {
    		c := c
    		c.pos += 4
    		fmt.Println("f", c.pos)
    	}
    	for k, v := range []string{"x", "y"} {
    		k, v := k, v
    		fs = append(fs, func() int { return k + len(v) })
    	}
    	for _, f := range fs {
    		fmt.Print(f(), " ")
    	}
    	fmt.Println()
    }
    """
)

INTERFACE_ANY = _go(
    """
    package main

    import "fmt"

    type G[T interface{}] struct{ v T }

    func (g G[any]) M(x interface{}) interface{} { return fmt.Sprintf("%T", g.v) }

    func lit() func(interface{}) string {
    	type any = int
    	return func(x interface{}) string { return fmt.Sprintf("%T", any(0)) }
    }

    func kind(v interface{}) string {
    	switch v.(type) {
    	case interface{}:
    		return "iface"
    	}
    	return ""
    }

    func main() {
    	m := map[string]interface{}{"a": []interface{}{1}}
    	fmt.Println(G[int]{3}.M(nil), lit()(nil), kind(1), m)
    }
    """
)

SLEEP_TO_WAITGROUP = _go(
    """
    package main

    import (
    	"fmt"
    	"os"
    	"time"
    )

    var results = make([]int, 3)

    func gotoOver(skip bool) {
    	if skip {
    		goto end
    	}
    	go func() { results[0] = 1 }()
    	time.Sleep(50 * time.Millisecond)
    end:
    	fmt.Println("goto", results[0])
    }

    func shadowed() {
    	sync := "local"
    	go func() { results[1] = 2 }()
    	time.Sleep(50 * time.Millisecond)
    	fmt.Println(sync, results[1])
    }

    func plain() {
    	go func() { results[2] = 3 }()
    	time.Sleep(50 * time.Millisecond)
    	fmt.Println("plain", results[2])
    }

    func main() {
    	gotoOver(len(os.Args) > 5)
    	shadowed()
    	plain()
    }
    """
)

CONTEXT_GOTO = _go(
    """
    package main

    import (
    	"context"
    	"fmt"
    )

    func fetch(parent context.Context) (err error) {
    	var ctx context.Context
    	if parent == nil {
    		goto out
    	}
    	ctx, _ = context.WithCancel(parent)
    	err = ctx.Err()
    out:
    	return
    }

    func fetch2(parent context.Context) error {
    	ctx, _ := context.WithCancel(parent)
    	return ctx.Err()
    }

    func main() {
    	fmt.Println(fetch(context.Background()), fetch2(context.Background()))
    }
    """
)


@pytest.mark.slow
@needs_go
@pytest.mark.parametrize(
    "recipe_id, program",
    [
        ("waitgroup-go", WAITGROUP_GO),
        ("forvar", FORVAR),
        ("interface-any", INTERFACE_ANY),
        ("sleep-to-waitgroup", SLEEP_TO_WAITGROUP),
        ("context-defer-cancel", CONTEXT_GOTO),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_rewritten_program_vets_and_prints_the_same(tmp_path, recipe_id, program):
    _same_behaviour(tmp_path, recipe_id, program)


@pytest.mark.slow
@needs_go
def test_forvar_keeps_copies_that_keep_the_counter_apart(tmp_path):
    [result] = _same_behaviour(tmp_path, "forvar", FORVAR)
    text = result.new_source.decode()
    assert "\t\ti := i\n" not in text and "k, v := k, v" not in text
    assert text.count("c := c") == 2 and "a := a" in text


@pytest.mark.slow
@needs_go
def test_sleep_to_waitgroup_refuses_where_it_could_not_compile(tmp_path):
    [result] = _same_behaviour(tmp_path, "sleep-to-waitgroup", SLEEP_TO_WAITGROUP)
    messages = [finding.message for finding in result.findings]
    assert any("goto" in message for message in messages)
    assert any("local declaration named sync hides it" in message for message in messages)
    assert result.new_source.decode().count("wg.Wait()") == 1


HIDDEN_IMPORT_RECIPE = """
id: shout
description: upper-case through the strings package
safety: safe
rule: {pattern: shout($X)}
fix: strings.ToUpper($X)
imports: {add: [strings]}
"""


def test_fix_whose_added_import_is_hidden_by_a_local_is_refused():
    [recipe] = load_recipe_text(HIDDEN_IMPORT_RECIPE)
    source = _go(
        """
        package p

        func a(strings []string) string { return shout("a") }

        func b() string {
        	strings := 1
        	_ = strings
        	return shout("b")
        }

        func c() string { return shout("c") }

        func shout(s string) string { return s }
        """
    )
    result = run_file("p.go", source, [recipe])
    assert result.status == Status.CHANGED
    text = result.new_source.decode()
    assert 'return strings.ToUpper("c")' in text and 'import "strings"' in text
    assert 'shout("a")' in text and 'shout("b")' in text
    hidden = [f for f in result.findings if "a local declaration named strings hides it" in f.message]
    assert [f.start.line for f in hidden] == [3, 8]


def test_hidden_import_respects_an_existing_alias():
    [recipe] = load_recipe_text(HIDDEN_IMPORT_RECIPE)
    source = _go(
        """
        package p

        import str "strings"

        var _ = str.TrimSpace

        func a() string {
        	strings := 1
        	_ = strings
        	return shout("a")
        }

        func shout(s string) string { return s }
        """
    )
    result = run_file("p.go", source, [recipe])
    assert result.status == Status.CHANGED, result.findings
    assert 'return str.ToUpper("a")' in result.new_source.decode()
