"""Tests for the lock rule keys: ``lock-escape`` and ``lock-to-exit`` (codemod/rules/extensions/lockpaths.py),
``lock-held`` (lockheld.py) and ``locks-receiver`` (methodlocks.py), on real Go parsed by tree-sitter,
and for what recipes see of them: ``bind-<what>`` options bind, refusals cite ``$X.line``."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from codemod.api import apply
from codemod.golang.scope import walk
from codemod.recipes.load import load_recipe_text
from codemod.rules.compile import compile_rule
from codemod.rules.core import MatchContext, RuleError
from codemod.rules.extensions.lockfacts import Mutex, enclosing_function, function_body, lock_call, own_nodes
from codemod.rules.extensions.lockheld import _function_around, held_lock
from codemod.syntax.tree import parse


def matches(rule_yaml: str, source: str, *others: str, bound: str | None = None) -> list[str]:
    """Lines (1-based) of every target the rule matches, or with ``bound`` the text bound to it."""
    rule = compile_rule(yaml.safe_load(textwrap.dedent(rule_yaml)))
    data = textwrap.dedent(source).encode()
    tree = parse(data)
    other_trees = [parse(textwrap.dedent(text).encode()) for text in others]
    ctx = MatchContext(data, tree.root_node, {}, lambda: [t.root_node for t in other_trees])
    out = []
    for target, env in rule.search(tree.root_node, ctx, {}):
        if bound is None:
            out.append(str(target.start_point[0] + 1))
            continue
        value = env[bound]
        nodes = value if isinstance(value, tuple) else (value,)
        out.append(" | ".join(data[n.start_byte : n.end_byte].decode() for n in nodes))
    return out


ESCAPE = "{all: [{pattern: $MU.Lock()}, {lock-escape: {bind: $EXIT}}]}"
TO_EXIT = "{all: [{pattern: $MU.Lock()}, {lock-to-exit: {bind: $REST}}]}"


@pytest.mark.parametrize(
    "body,exits",
    [
        # an early return skips the unlock
        ("mu.Lock()\nif x { return }\nmu.Unlock()", ["return"]),
        # unlocked on both paths
        ("mu.Lock()\nif x { mu.Unlock(); return }\nmu.Unlock()", []),
        # a deferred unlock covers every path
        ("mu.Lock()\ndefer mu.Unlock()\nif x { return }", []),
        # never unlocked here: the function means to return locked, or unlocks elsewhere
        ("mu.Lock()\nif x { return }", []),
        # continue goes round to the lock again
        ("for range xs {\nmu.Lock()\nif x { continue }\nmu.Unlock()\n}", ["continue"]),
        # break leaves the loop and skips the unlock inside it
        ("for range xs {\nmu.Lock()\nif x { break }\nmu.Unlock()\n}", ["break"]),
        # break out of a switch inside the section stays in it
        ("mu.Lock()\nswitch { case x: break }\nmu.Unlock()", []),
        # a panic ends the path
        ('mu.Lock()\nif x { panic("no") }\nmu.Unlock()', []),
        # a helper named like unlock releases
        ("mu.Lock()\nif x { unlockAll(); return }\nmu.Unlock()", []),
        # held across iterations, re-taken at the end of the body: a loop invariant
        ("mu.Lock()\nfor {\nif x { break }\nmu.Unlock()\nwork()\nmu.Lock()\n}\nmu.Unlock()", []),
        # a conditional lock is not followed out of its if
        ("if x { mu.Lock() }\nwork()\nif x { mu.Unlock() }", []),
        # a goto is not followed
        ("mu.Lock()\nif x { goto out }\nmu.Unlock()\nout:\nwork()", []),
        # a return inside a closure is not this function's
        ("mu.Lock()\nf := func() { return }\nf()\nmu.Unlock()", []),
    ],
)
def test_lock_escape(body: str, exits: list[str]) -> None:
    source = "package p\nfunc f() {\n" + body + "\n}\n"
    assert matches(ESCAPE, source, bound="EXIT") == exits


def test_lock_escape_is_quiet_where_the_doc_comment_speaks_of_the_lock() -> None:
    body = "func (s *S) open() bool {\ns.mu.Lock()\nif s.ok { return true }\ns.mu.Unlock()\nreturn false\n}\n"
    assert matches(ESCAPE, "package p\n\n" + body, bound="EXIT") == ["return true"]
    assert matches(ESCAPE, "package p\n// open returns true with s.mu held.\n" + body) == []


def test_lock_escape_read_locks() -> None:
    source = "package p\nfunc f() {\nmu.RLock()\nif x { return }\nmu.RUnlock()\n}\n"
    assert matches("{all: [{pattern: $MU.RLock()}, {lock-escape: true}]}", source) == ["3"]
    # a Lock's release is Unlock, not RUnlock
    source = "package p\nfunc f() {\nmu.Lock()\nif x { mu.RUnlock(); return }\nmu.Unlock()\n}\n"
    assert matches(ESCAPE, source, bound="EXIT") == ["return"]


@pytest.mark.parametrize(
    "body,deferrable",
    [
        ("mu.Lock()\nif x { return 1 }\nv := m[k]\nmu.Unlock()\nreturn v", True),
        ("mu.Lock()\nif x { return len(m) }\nmu.Unlock()\nreturn 0", True),
        # a call in the return would run under the lock
        ("mu.Lock()\nif x { return 1 }\nmu.Unlock()\nreturn g()", False),
        # something runs after the unlock
        ("mu.Lock()\nif x { return 1 }\nmu.Unlock()\nwork()\nreturn 0", False),
        # the lock is taken again later
        ("mu.Lock()\nif x { return 1 }\nmu.Unlock()\nmu.Lock()\nmu.Unlock()\nreturn 0", False),
        # a goroutine or a defer after the lock
        ("mu.Lock()\ngo work()\nif x { return 1 }\nmu.Unlock()\nreturn 0", False),
        # an unlock inside a closure
        ("mu.Lock()\nf := func() { mu.Unlock() }\nif x { return 1 }\nf()\nreturn 0", False),
    ],
)
def test_lock_to_exit(body: str, deferrable: bool) -> None:
    source = "package p\nfunc f() int {\n" + body + "\n}\n"
    assert (matches(TO_EXIT, source) == ["3"]) is deferrable


def test_lock_to_exit_needs_the_lock_in_the_function_body() -> None:
    source = "package p\nfunc f() {\nif y {\nmu.Lock()\nif x { return }\nmu.Unlock()\n}\n}\n"
    assert matches(TO_EXIT, source) == []
    source = "package p\nfunc f() {\nmu.Lock()\nif x { return }\nmu.Unlock()\n}\n"
    assert matches(TO_EXIT, source, bound="REST") == ["if x { return } | mu.Unlock()"]


HELD = """
    package p

    func (s *S) f() {
        s.mu.Lock()
        a()
        if x {
            s.mu.Unlock()
            return
        }
        b()
        s.mu.Unlock()
        c()
        s.rw.RLock()
        defer s.rw.RUnlock()
        d()
        go func() { e() }()
    }
"""


CALL = "{pattern: $F(), has: {field: function, regex: '^[a-e]$'}}"


def test_lock_held() -> None:
    rule = "{all: [CALL, {lock-held: {bind-mutex: $MU, bind: $L}}]}".replace("CALL", CALL)
    assert matches(rule, HELD, bound="F") == ["a", "b", "d"]
    assert matches(rule, HELD, bound="MU") == ["s.mu", "s.mu", "s.rw"]
    assert matches(rule, HELD, bound="L") == ["s.mu.Lock()", "s.mu.Lock()", "s.rw.RLock()"]
    assert matches("{all: [CALL, {lock-held: {mode: read}}]}".replace("CALL", CALL), HELD, bound="F") == ["d"]
    assert matches("{all: [CALL, {lock-held: {mode: write}}]}".replace("CALL", CALL), HELD, bound="F") == ["a", "b"]
    # a mutex bound before must be the one held
    only_rw = "{all: [{pattern: $MU.RLock()}, {not: {lock-held: true}}]}"
    assert matches(only_rw, HELD) == ["14"]


HELD_MEMO = """
    package p

    func g() {
        m.Lock()
        m.Unlock()
    }

    func (s *S) f() {
        a()
        s.mu.Lock()
        b()
        if x {
            s.mu.Unlock()
            return
        }
        c()
        if y {
            s.mu.UNLOCK()
        }
        d()
        e()
    }
"""


def test_lock_held_memo_agrees_with_fresh_answers_in_any_order() -> None:
    """A ``Lock()`` before the function does not count; the first release of a lock in its block,
    remembered per lock, is the same whichever target asks first (the release named ``UNLOCK``
    counts: the text skipped holds no ``unlock`` in any case)."""
    rule = "{all: [CALL, {lock-held: true}]}".replace("CALL", CALL)
    assert matches(rule, HELD_MEMO, bound="F") == ["b", "c"]
    data = textwrap.dedent(HELD_MEMO).encode()
    root = parse(data).root_node
    calls = [n for n in walk(root) if n.type == "call_expression" and (n.text or b"")[:1] in b"abcde"]
    shared = MatchContext(data, root)
    for call in reversed(calls):
        fresh = held_lock(call, "any", None, MatchContext(data, root))
        assert held_lock(call, "any", None, shared) == fresh, call.text
        assert (fresh is not None) == (call.text in (b"b()", b"c()")), call.text


def test_lock_held_option_errors() -> None:
    with pytest.raises(RuleError, match="mode must be one of"):
        compile_rule({"lock-held": {"mode": "both"}})
    with pytest.raises(RuleError, match="unknown key"):
        compile_rule({"lock-held": {"mutex": "$MU"}})
    with pytest.raises(RuleError, match="not a rule"):
        compile_rule({"lock-escape": False})


METHODS = """
    package p

    func (c *C) Len() int {
        c.mu.RLock()
        defer c.mu.RUnlock()
        return len(c.m)
    }

    func (c *C) indirect() { c.put() }

    func (c *C) Put(k string) {
        c.mu.Lock()
        defer c.mu.Unlock()
        c.Len()
        c.indirect()
        c.other()
        c.fromOtherFile()
        c.upgrade()
        c.byName()
    }

    // upgrade must be called with c.mu read-held.
    func (c *C) upgrade() {
        c.mu.RUnlock()
        c.mu.Lock()
        c.mu.Unlock()
    }

    func (c *C) byName() {
        c = c.parent
        c.mu.Lock()
        c.mu.Unlock()
    }

    func (c *C) other() { c.otherMu.Lock(); c.otherMu.Unlock() }
"""
OTHER_FILE = """
    package p

    func (x *C) put() { x.mu.Lock(); x.mu.Unlock() }

    func (x *C) fromOtherFile() { x.mu.Lock(); x.mu.Unlock() }
"""


def test_locks_receiver() -> None:
    rule = "{all: [{pattern: $R.$M()}, {lock-held: {bind-mutex: $MU}}, {locks-receiver: {mutex: $MU}}]}"
    assert matches(rule, METHODS, OTHER_FILE, bound="M") == ["Len", "indirect", "fromOtherFile"]
    only_write = (
        "{all: [{pattern: $R.$M()}, {lock-held: {bind-mutex: $MU}}, {locks-receiver: {mutex: $MU, locks: [Lock]}}]}"
    )
    assert matches(only_write, METHODS, OTHER_FILE, bound="M") == ["indirect", "fromOtherFile"]
    any_field = "{all: [{pattern: $R.$M()}, {inside: {kind: method_declaration, stopBy: end}}, {locks-receiver: {}}]}"
    assert "other" in matches(any_field, METHODS, OTHER_FILE, bound="M")
    with pytest.raises(RuleError, match="locks must be a list"):
        compile_rule({"locks-receiver": {"locks": ["TryLock"]}})


RECIPE = """
id: lock-cite
description: cite lines in a refusal
safety: unsafe
rule:
  all:
    - pattern: $MU.Lock()
    - lock-held: {bind: $OUTER}
fix:
  refuse:
    - when: {pattern: $MU.Lock()}
      because: "$MU locked again while the lock of line $OUTER.line is held"
  replace: $MU.Lock()
"""


def test_bind_options_bind_and_refusals_cite_lines() -> None:
    recipes = load_recipe_text(RECIPE)
    source = b"package p\n\nfunc f() {\n\tmu.Lock()\n\tmu.Lock()\n}\n"
    result = apply(source, recipes)
    assert [(f.start.line, f.message) for f in result.findings] == [
        (5, "mu locked again while the lock of line 4 is held")
    ]


WORKERS = """
    package p

    func (c *C) worker() {
        defer c.wg.Done()
        c.mu.Lock()
        c.mu.Unlock()
    }

    func (c *C) reader() {
        defer c.rg.Done()
        c.mu.RLock()
        c.mu.RUnlock()
    }

    func (c *C) Stop() {
        c.mu.Lock()
        defer c.mu.Unlock()
        c.wg.Wait()
        c.rg.Wait()
        c.other.Wait()
    }
"""


def test_some_method_calls() -> None:
    rule = """
        all:
          - pattern: $W.Wait()
          - lock-held: {bind-mutex: $MU}
          - some-method-calls: [{of: $W, calls: [Done]}, {of: $MU, calls: [LOCKS]}]
    """
    assert matches(rule.replace("LOCKS", "Lock, RLock"), WORKERS, bound="W") == ["c.wg", "c.rg"]
    assert matches(rule.replace("LOCKS", "Lock"), WORKERS, bound="W") == ["c.wg"]
    # the method that waits is not its own worker
    lazy_worker = WORKERS.replace("defer c.wg.Done()\n        c.mu.Lock()\n        c.mu.Unlock()", "defer c.wg.Done()")
    assert matches(rule.replace("LOCKS", "Lock"), lazy_worker) == []
    waits_and_works = lazy_worker.replace("c.wg.Wait()", "c.wg.Wait()\n        c.wg.Done()")
    assert matches(rule.replace("LOCKS", "Lock"), waits_and_works) == []
    with pytest.raises(RuleError, match="list of"):
        compile_rule({"some-method-calls": {"of": "$W", "calls": ["Done"]}})
    with pytest.raises(RuleError, match="each item needs"):
        compile_rule({"some-method-calls": [{"of": "$W", "calls": []}]})


FUNCTIONS = """
    package p

    func lookup() int { mu.RLock(); defer mu.RUnlock(); return n }

    func clear() { mu.Lock(); n = 0; mu.Unlock() }

    func reset() { clear() }

    func shadowed(mu *M) { mu.Lock(); mu.Unlock() }

    func Register() {
        mu.Lock()
        defer mu.Unlock()
        lookup()
        reset()
        shadowed(other)
        len(xs)
    }
"""


def test_locks_receiver_follows_package_functions() -> None:
    rule = "{all: [{pattern: $F($$$)}, {lock-held: {bind-mutex: $MU}}, {locks-receiver: {mutex: $MU}}]}"
    assert matches(rule, FUNCTIONS, bound="F") == ["lookup", "reset"]
    only_write = (
        "{all: [{pattern: $F($$$)}, {lock-held: {bind-mutex: $MU}}, {locks-receiver: {mutex: $MU, locks: [Lock]}}]}"
    )
    assert matches(only_write, FUNCTIONS, bound="F") == ["reset"]


RELEASES = """
package p

func f() {
	mu.Lock()
	if x {
		mu.Unlock()
		return
	}
	defer mu.Unlock()
	defer func() { mu.Unlock() }()
	go func() { mu.Unlock() }()
	g := func() { defer mu.Unlock() }
	s.UNLOCK()
	unlockAll()
	defer note("mu.Un lock(")
	x := "mu.Unlock() in a string"
	// mu.Unlock() in a comment
	rw.RUnlock()
}

func h() {
	mu.Lock()
	defer note("mu.Un lock(")
}
"""


def _walked_releases(mutex: Mutex) -> tuple[list[tuple[int, int]], bool]:
    """What a walk over every node of the function's body (function literals excluded) finds."""
    body = function_body(mutex.function)
    nodes = list(own_nodes(body)) if body is not None else []
    spans = sorted((n.start_byte, n.end_byte) for n in nodes if n.type == "expression_statement" and mutex.releases(n))
    return spans, any(mutex.deferred_release(n) for n in nodes)


def _found_releases(mutex: Mutex) -> tuple[list[tuple[int, int]], bool]:
    return sorted((n.start_byte, n.end_byte) for n in mutex.explicit_releases()), mutex.deferred_anywhere()


def _mutexes(root) -> list[Mutex]:
    found = []
    for node in walk(root):
        lock = lock_call(node) if node.type == "expression_statement" else None
        function = enclosing_function(node) if lock is not None else None
        if lock is not None and function is not None:
            found.append(Mutex(lock[0], lock[1], function))
    return found


def test_releases_found_from_their_text_are_those_of_a_full_walk(go_toolchain) -> None:
    """Explicit and deferred releases are found from the text ``unlock`` (any case, letters maybe
    apart) upwards: the same as walking every node of the function, here and on lock-heavy standard
    library packages."""
    root = parse(RELEASES.encode()).root_node
    f, h = (n for n in walk(root) if n.type == "function_declaration")
    for text, method in ((b"mu", "Lock"), (b"mu", "RLock"), (b"rw", "RLock"), (b"s", "Lock"), (b"note", "Lock")):
        for function in (f, h):
            mutex = Mutex(text, method, function)
            assert _found_releases(mutex) == _walked_releases(mutex), (text, method)
    assert _found_releases(Mutex(b"mu", "Lock", h)) == ([], True)  # `mu.Un lock(` without blanks
    assert len(_found_releases(Mutex(b"mu", "Lock", f))[0]) == 3  # mu.Unlock() in the if, s.UNLOCK(), unlockAll()
    checked = 0
    for package in ("sync", "net/http", "database/sql", "runtime/testdata/testgoroutineleakprofile/goker"):
        for path in sorted((go_toolchain.goroot / "src" / package).glob("*.go")):
            for mutex in _mutexes(parse(path.read_bytes()).root_node):
                assert _found_releases(mutex) == _walked_releases(mutex), (path, mutex.text)
                checked += 1
    assert checked > 300


def test_the_function_around_a_node_is_found_from_func_keywords_as_by_walking_up(go_toolchain) -> None:
    """Every node's innermost function, found from the file's ``func`` keywords (trees without errors),
    is the one a walk up finds; nodes that span a function exactly (its only child's parent, the
    function itself) and trees with errors are walked."""
    sources = [
        b"package p\n\n// func f\nvar s = `func`\n\nfunc (r *T) m() {\n\tf := func() { g(func(x int) {}) }\n\tf()\n}\n"
    ]
    for package in ("sync", "go/types", "runtime/testdata/testgoroutineleakprofile/goker"):
        sources += [path.read_bytes() for path in sorted((go_toolchain.goroot / "src" / package).glob("*.go"))[:25]]
    sources.append(b"\n\npackage p\nfunc f() { x := func() { g( }\n")  # with errors
    checked = 0
    for data in sources:
        root = parse(data).root_node
        ctx = MatchContext(data, root)
        for node in walk(root):
            assert _function_around(node, ctx) == enclosing_function(node), (node.type, node.start_point)
            checked += 1
    assert checked > 100_000
