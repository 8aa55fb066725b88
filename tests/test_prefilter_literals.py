"""The prefilter's one-pass literal search: it may only rule out tokens that are really absent."""

from __future__ import annotations

import random

from codemod.prefilter import literals
from codemod.prefilter.literals import LiteralSet
from codemod.prefilter.requirements import Prefilter, contains_token
from codemod.recipes.load import load_recipes
from tests.helpers import go

_LITERALS = (b"Lock", b"RLock", b"go", b"defer", b" += ", b'"%d"', b"a.b", b"(x)", b"\\", b"[*]", b"\xc3\xa9t\xc3\xa9")


def test_present_literals_are_the_substrings_found_by_a_plain_search() -> None:
    searcher = LiteralSet(_LITERALS)
    rng = random.Random(20)
    alphabet = [*_LITERALS, b"x", b" ", b"\n", b"\xff", b"\x00", b"L", b"ock", b"%", b'"', b"."]
    for _ in range(500):
        text = b"".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))
        assert searcher.present(text) == {literal for literal in _LITERALS if literal in text}, text


def test_a_search_that_cannot_tell_answers_none(monkeypatch) -> None:
    class Refusing:
        def Match(self, data):  # noqa: N802 (RE2's name)
            return None  # what the binding gives when RE2 runs out of memory

    searcher = LiteralSet(_LITERALS)
    monkeypatch.setattr(searcher, "_set", Refusing())
    assert searcher.present(b"Lock") is None
    monkeypatch.setattr(literals, "_compiled", lambda texts: None)  # a set RE2 would not compile
    assert LiteralSet(_LITERALS).present(b"Lock") is None


def test_may_match_is_the_same_with_the_one_pass_search_and_without_it(monkeypatch) -> None:
    prefilter = Prefilter.from_recipes(load_recipes(["go-concurrency", "go-modernize", "go-gc", "go-leaks"]))
    sources = [
        go("func f() { mu.Lock(); defer mu.Unlock(); go work() }"),
        go('func f() { s := ""; for _, x := range xs { s += fmt.Sprintf("%d", x) } }'),
        go("func f() { t := time.NewTicker(time.Second); <-t.C }"),
        go("func f() { var lock sync.Mutex; lockx.RLockx() }"),
        go("// go defer select chan Lock\nfunc f() {}"),
        go("func f(ch chan int) { select { case <-ch: } }"),
    ]
    with_set = [prefilter.may_match(source.encode()) for source in sources]
    monkeypatch.setattr(LiteralSet, "present", lambda self, data: None)
    without = [prefilter.may_match(source.encode()) for source in sources]
    assert with_set == without
    assert any(with_set) and not all(with_set)


def test_a_literal_token_is_present_only_if_its_text_is_a_substring() -> None:
    prefilter = Prefilter.from_recipes(load_recipes(["go-concurrency", "go-leaks"]))
    tokens = {token for _, clauses in prefilter.requirements for clause in clauses for token in clause}
    literal_tokens = [token for token in tokens if token.shape is None]
    assert literal_tokens and set(prefilter.literals.literals) == {token.text for token in literal_tokens}
    data = go("func f() { mu.Lock(); x.Wait(); ch <- 1; go g(); defer h() }").encode()
    present = prefilter.literals.present(data)
    assert present is not None
    for token in literal_tokens:
        if contains_token(data, token):
            assert token.text in present


def test_a_few_literals_are_left_to_the_search_one_by_one() -> None:
    few = _LITERALS[: literals.SET_WORTHWHILE - 1]
    assert LiteralSet(few).present(b"Lock") is None  # no set: the prefilter checks each token itself
    assert LiteralSet(_LITERALS[: literals.SET_WORTHWHILE]).present(b"Lock") == {b"Lock"}
