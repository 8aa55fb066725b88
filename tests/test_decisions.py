"""The engine's ``decide`` hook: one question per fix, declined changes never asked again."""

from __future__ import annotations

from codemod.engine.core import run_file
from codemod.model import Change
from codemod.recipes.load import load_recipes
from tests.test_interactive import MUTEX, NESTED


def _ask(source: str, ids: list[str], answer) -> tuple[list[Change], object]:
    asked: list[Change] = []

    def decide(change: Change) -> bool:
        asked.append(change)
        return answer(change)

    result = run_file("f.go", source.encode(), load_recipes(ids), go_version="1.27", decide=decide)
    return asked, result


def test_pieces_of_one_fix_are_one_question() -> None:
    asked, result = _ask(MUTEX, ["mutex-to-rwmutex"], lambda change: False)
    assert len(asked) == 1 and len(asked[0].edits) == 3  # the field type, RLock, RUnlock
    assert result.new_source is None
    asked, result = _ask(MUTEX, ["mutex-to-rwmutex"], lambda change: True)
    plain = run_file("f.go", MUTEX.encode(), load_recipes(["mutex-to-rwmutex"]), go_version="1.27")
    assert len(asked) == 1 and result.new_source == plain.new_source
    assert len(result.changes) == 3  # still counted per site in the results


def test_a_declined_change_inside_a_rewritten_region_is_not_asked_again() -> None:
    asked, result = _ask(NESTED, ["defer-go-explicit", "waitgroup-go"], lambda c: c.recipe_id == "waitgroup-go")
    assert [(c.recipe_id, c.pass_index) for c in asked] == [("defer-go-explicit", 0), ("waitgroup-go", 0)]
    assert b"wg.Go(func() {" in result.new_source and b'go flush("x")' in result.new_source


def test_identical_sites_are_each_asked_in_the_first_pass() -> None:
    source = "package p\n\nfunc f() {\n\tdefer func() {\n\t\tgo g()\n\t}()\n\tdefer func() {\n\t\tgo g()\n\t}()\n}\n\nfunc g() {}\n"
    asked, _ = _ask(source, ["defer-go-explicit"], lambda change: False)
    assert len(asked) == 2
