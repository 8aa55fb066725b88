"""The rule keys and message features the go-leaks recipes stand on: ``unreceived-sends``,
``go-version`` and ``$X.line`` in messages, each through a real recipe run on Go source."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from codemod.engine.core import run_file
from codemod.errors import RecipeError
from codemod.fix.template import cite_lines
from codemod.recipes.load import load_recipes
from codemod.syntax.tree import parse


def _recipe(tmp_path: Path, body: str) -> list:
    path = tmp_path / "r.yaml"
    path.write_text("id: probe\ndescription: probe\nsafety: report\n" + textwrap.dedent(body))
    return load_recipes([str(path)], include_builtin=False)


def _messages(recipes: list, source: str, go_version: str | None = "1.21") -> list[str]:
    result = run_file("x.go", textwrap.dedent(source).encode(), recipes, go_version=go_version)
    return [f"{finding.start.line}: {finding.message}" for finding in result.findings]


SEND_RULE = """
rule:
  pattern: $CH := make(chan $T)
  unreceived-sends: {of: $CH, bind-send: $SEND, bind-exit: $EXIT%s}
message: send $SEND.line exit $EXIT.line $EXIT
"""

ABANDONED = """
package p

import "context"

func f(ctx context.Context, g func() int) int {
	ch := make(chan int)
	go func() {
		ch <- g()
	}()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}
"""


def test_the_send_and_the_way_out_are_bound_and_cited(tmp_path: Path) -> None:
    assert _messages(_recipe(tmp_path, SEND_RULE % ""), ABANDONED) == ["7: send 9 exit 14 <-ctx.Done()"]


@pytest.mark.parametrize(("sends", "found"), [("1", True), ("{min: 2}", False), ("unbounded", False)])
def test_sends_filters_by_the_count(tmp_path: Path, sends: str, found: bool) -> None:
    recipes = _recipe(tmp_path, SEND_RULE % f", sends: {sends}")
    assert bool(_messages(recipes, ABANDONED)) is found


def test_sends_in_a_loop_are_unbounded(tmp_path: Path) -> None:
    source = ABANDONED.replace("\t\tch <- g()\n", "\t\tfor {\n\t\t\tch <- g()\n\t\t}\n")
    assert _messages(_recipe(tmp_path, SEND_RULE % ", sends: unbounded"), source)


TWO_SENDERS = ABANDONED.replace(
    "\tgo func() {\n\t\tch <- g()\n\t}()\n",
    "\tgo func() {\n\t\tch <- g()\n\t}()\n\tgo func() { ch <- g() + 1 }()\n",
)
SENDS_TWICE = ABANDONED.replace("\t\tch <- g()\n", "\t\tif v := g(); v < 0 {\n\t\t\tch <- v\n\t\t}\n\t\tch <- g()\n")


@pytest.mark.parametrize(
    ("source", "each", "found"),
    [
        (TWO_SENDERS, "1", True),  # two goroutines, each sends once
        (TWO_SENDERS, "{min: 2}", False),
        (SENDS_TWICE, "1", False),  # one goroutine, two sends on one path
        (SENDS_TWICE, "{min: 2}", True),
        (ABANDONED.replace("\t\tch <- g()\n", "\t\tfor {\n\t\t\tch <- g()\n\t\t}\n"), "unbounded", True),
    ],
)
def test_each_sends_filters_by_the_most_one_goroutine_sends(
    tmp_path: Path, source: str, each: str, found: bool
) -> None:
    recipes = _recipe(tmp_path, SEND_RULE % f", each-sends: {each}")
    assert bool(_messages(recipes, source)) is found


def test_the_senders_are_bound_as_a_list_and_counted(tmp_path: Path) -> None:
    rule = SEND_RULE.replace("bind-exit: $EXIT", "bind-exit: $EXIT, bind-senders: $GO").replace(
        "message: send $SEND.line exit $EXIT.line $EXIT", "message: $#GO senders, the first at line $GO.line"
    )
    assert _messages(_recipe(tmp_path, rule % ""), TWO_SENDERS) == ["7: 2 senders, the first at line 8"]
    assert _messages(_recipe(tmp_path, rule % ""), SENDS_TWICE) == ["7: 1 senders, the first at line 8"]


def test_a_fix_writes_the_number_of_senders(tmp_path: Path) -> None:
    rule = SEND_RULE.replace("bind-exit: $EXIT", "bind-exit: $EXIT, bind-senders: $GO") + (
        "fix: $CH := make(chan $T, $#GO)\n"
    )
    path = tmp_path / "r.yaml"
    path.write_text("id: probe\ndescription: probe\nsafety: safe\n" + textwrap.dedent(rule % ""))
    recipes = load_recipes([str(path)], include_builtin=False)
    result = run_file("x.go", textwrap.dedent(TWO_SENDERS).encode(), recipes, go_version="1.21")
    assert result.new_source is not None
    assert b"\tch := make(chan int, 2)\n" in result.new_source


@pytest.mark.parametrize(
    "change",
    [
        ("\tselect {", "\tgoto out\nout:\n\tselect {"),  # a goto: the paths are not followed
        ("\tgo func() {", "\tuse(ch)\n\tgo func() {"),  # the channel is passed on
        ("make(chan int)", "make(chan int, 1)"),  # buffered
        ("\tcase <-ctx.Done():\n\t\treturn 0\n", ""),  # the receiver always receives
    ],
)
def test_no_answer_when_the_receiver_is_unknown_or_always_receives(tmp_path: Path, change: tuple[str, str]) -> None:
    assert change[0] in ABANDONED
    source = ABANDONED.replace(*change) + "\nfunc use(chan int) {}\n"
    assert _messages(_recipe(tmp_path, SEND_RULE % ""), source) == []


def test_unreceived_sends_options_are_checked(tmp_path: Path) -> None:
    with pytest.raises(RecipeError, match="unknown key 'send'"):
        _recipe(tmp_path, "rule:\n  kind: identifier\n  unreceived-sends: {send: $S}\n")
    with pytest.raises(RecipeError, match="count must be"):
        _recipe(tmp_path, "rule:\n  kind: identifier\n  unreceived-sends: {sends: many}\n")


VERSION_RULE = """
rule:
  pattern: time.Tick($D)
  go-version: %s
message: tick
"""
TICK = 'package p\n\nimport "time"\n\nvar c = time.Tick(1)\n'


@pytest.mark.parametrize(
    ("bounds", "version", "found"),
    [
        ('{below: "1.23"}', "1.22", True),
        ('{below: "1.23"}', "1.23", False),
        ('{below: "1.23"}', None, False),  # unknown: no answer
        ('{at-least: "1.21", below: "1.23"}', "1.20", False),
        ('{at-least: "1.21"}', "1.27.1", True),
    ],
)
def test_go_version_bounds(tmp_path: Path, bounds: str, version: str | None, found: bool) -> None:
    assert bool(_messages(_recipe(tmp_path, VERSION_RULE % bounds), TICK, version)) is found


@pytest.mark.parametrize("bounds", ["{}", '{below: "1.x"}', "{below: 1.23}", '{before: "1.23"}'])
def test_go_version_rejects_bad_values(tmp_path: Path, bounds: str) -> None:
    with pytest.raises(RecipeError):
        _recipe(tmp_path, VERSION_RULE % bounds)


def test_cite_lines_gives_the_first_line_of_the_binding_and_leaves_unbound_names() -> None:
    source = b"package p\n\nfunc f() {\n\tg()\n}\n"
    root = parse(source).root_node
    call = root.descendant_for_byte_range(source.index(b"g()"), source.index(b"g()") + 3)
    assert cite_lines("at $C.line, not $D.line; $C.lines", {"C": call}) == "at 4, not $D.line; $C.lines"
    assert cite_lines("run $R.line", {"R": (call, call)}) == "run 4"
