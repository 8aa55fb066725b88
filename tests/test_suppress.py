"""Suppression comments: what they cover, which recipes, usage, and every path that applies changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitfixtures import git, write_files
from helpers import go, recipe

from codemod.apply.commit import commit_run
from codemod.cli.main import main
from codemod.engine.core import run_file
from codemod.engine.suppress import Suppressions, parse_directive, parse_nolint
from codemod.syntax.tree import parse

SOURCE = go("""
    //go:build linux

    // Copyright 2026 The Authors.

    //gocodemod:ignore-file legacy-recipe

    package demo

    //gocodemod:ignore
    func Outer() {
        defer func() {
            if ok {
                go deep()
            }
        }()
    }

    func g() {
        //gocodemod:ignore one,two -- reviewed by hand
        defer func() {
            go first()
        }()
        go sibling()
        b() //gocodemod:ignore three
        c()
        defer func() { //gocodemod:ignore four
            go inTrailing()
        }()
        go afterTrailing()
        s := "//gocodemod:ignore"
        _ = s
        // gocodemod:ignore spaced
        e()
        switch x {
        //gocodemod:ignore five
        case 1:
            go inCase()
        case 2:
            go otherCase()
        }
        //gocodemod:ignore six

        go afterBlank()
    }

    //gocodemod:ignore-file too-late
""").encode()


def at(needle: str, source: bytes = SOURCE) -> int:
    return source.index(needle.encode())


def test_no_marker_means_no_suppressions() -> None:
    sup = Suppressions.from_source(b"package p\n\nfunc f() {}\n")
    assert len(sup) == 0
    assert sup.allows("anything", 0)
    assert sup.unused() == []


def test_a_directive_above_a_function_covers_everything_nested_in_it() -> None:
    sup = Suppressions.from_source(SOURCE)
    assert not sup.allows("any-recipe", at("go deep()"))
    assert not sup.allows("any-recipe", at("func Outer"))
    assert sup.allows("any-recipe", at("func g()"))


def test_a_directive_above_a_multi_line_statement_covers_it_but_not_the_next_sibling() -> None:
    sup = Suppressions.from_source(SOURCE)
    assert not sup.allows("one", at("go first()"))
    assert not sup.allows("two", at("defer func() {\n\t\tgo first"))
    assert sup.allows("three", at("go first()"))  # not one of its ids
    assert sup.allows("one", at("go sibling()"))


def test_a_trailing_directive_covers_its_line_and_the_nodes_that_start_on_it() -> None:
    sup = Suppressions.from_source(SOURCE)
    assert not sup.allows("three", at("b() //"))
    assert sup.allows("three", at("\tc()\n"))  # the next line is a sibling
    assert not sup.allows("four", at("go inTrailing()"))
    assert sup.allows("four", at("go afterTrailing()"))


def test_a_directive_above_a_case_clause_covers_that_clause_only() -> None:
    sup = Suppressions.from_source(SOURCE)
    assert not sup.allows("five", at("go inCase()"))
    assert sup.allows("five", at("go otherCase()"))


def test_a_directive_at_the_end_of_a_block_does_not_reach_out_of_it() -> None:
    source = b"package p\n\nfunc f() {\n\tswitch {\n\tcase a:\n\t\tx()\n\t\t//nolint:gocodemod\n\tcase b:\n\t\tgo g()\n\t}\n}\n"
    sup = Suppressions.from_source(source)
    assert sup.allows("any", at("case b", source))
    assert sup.allows("any", at("go g()", source))
    assert sup.unused() == [(7, "//nolint:gocodemod")]


def test_a_directive_above_a_label_covers_the_labelled_statement_as_gofmt_indents_it() -> None:
    source = b"package p\n\nfunc f() {\n\tx()\n\t//gocodemod:ignore\nloop:\n\tfor {\n\t\tgo g()\n\t}\n\tgo h()\n}\n"
    sup = Suppressions.from_source(source)
    assert not sup.allows("any", at("go g()", source))
    assert sup.allows("any", at("go h()", source))


def test_a_blank_line_detaches_a_directive() -> None:
    sup = Suppressions.from_source(SOURCE)
    assert sup.allows("six", at("go afterBlank()"))


def test_ignore_file_before_package_covers_the_whole_file() -> None:
    sup = Suppressions.from_source(SOURCE)
    assert not sup.allows("legacy-recipe", at("\tc()\n"))
    assert not sup.allows("legacy-recipe", len(SOURCE) - 1)
    assert sup.allows("too-late", at("\tc()\n"))  # the ignore-file below `package` is inert


def test_a_directive_right_above_package_covers_the_whole_file() -> None:
    source = b"// Package p does things.\n//\n//nolint:gocodemod\npackage p\n\nfunc f() {\n\tgo g()\n}\n"
    assert not Suppressions.from_source(source).allows("any", at("go g()", source))


def test_a_directive_above_a_doc_comment_covers_the_declaration() -> None:
    source = b"package p\n\n//gocodemod:ignore\n// F starts g.\nfunc F() {\n\tgo g()\n}\n\nfunc H() {\n\tgo g()\n}\n"
    sup = Suppressions.from_source(source)
    assert not sup.allows("any", at("go g()", source))
    assert sup.allows("any", source.rindex(b"go g()"))


def test_text_inside_strings_is_not_a_comment() -> None:
    sup = Suppressions.from_source(SOURCE)
    assert sup.allows("x", at("_ = s"))


def test_space_after_slashes_is_accepted() -> None:
    sup = Suppressions.from_source(SOURCE)
    assert not sup.allows("spaced", at("e()"))
    assert sup.allows("other", at("e()"))


def test_unused_lists_suppressions_that_matched_nothing() -> None:
    sup = Suppressions.from_source(SOURCE)
    assert not sup.allows("one", at("go first()"))
    assert not sup.allows("any", at("go deep()"))
    unused = sup.unused()
    assert [line for line, _ in unused] == [5, 24, 26, 32, 35, 41, 46]
    assert unused[0][1] == "//gocodemod:ignore-file legacy-recipe"
    assert unused[-1][1] == "//gocodemod:ignore-file too-late"


def test_nolint_spellings_name_gocodemod_or_recipes() -> None:
    source = go("""
        package p

        func f() {
            go a() //nolint
            go b() //nolint:all
            go c() //nolint:gocodemod // why
            go d() //nolint:errcheck, Defer-Go-Explicit // why
            go e() //nolint:errcheck // another linter only
            go f() //nolintx
        }
    """).encode()
    sup = Suppressions.from_source(source)
    assert not sup.allows("defer-go-explicit", at("go a()", source))
    assert not sup.allows("defer-go-explicit", at("go b()", source))
    assert not sup.allows("defer-go-explicit", at("go c()", source))
    assert not sup.allows("defer-go-explicit", at("go d()", source))
    assert sup.allows("forvar", at("go d()", source))
    assert sup.allows("defer-go-explicit", at("go e()", source))
    assert sup.allows("defer-go-explicit", at("go f()", source))


def test_unused_nolint_is_reported_only_when_it_names_gocodemod_or_a_recipe_of_the_run() -> None:
    source = b"package p\n\nvar a = 1 //nolint\nvar b = 2 //nolint:errcheck\nvar c = 3 //nolint:gocodemod\nvar d = 4 //nolint:forvar,errcheck\n"
    unused = Suppressions.from_source(source).unused(["forvar", "interface-any"])
    assert [line for line, _ in unused] == [5, 6]


def test_parse_directive_grammar() -> None:
    assert parse_directive("//gocodemod:ignore") == (False, frozenset())
    assert parse_directive("//gocodemod:ignore a,b") == (False, frozenset({"a", "b"}))
    assert parse_directive("//gocodemod:ignore -- because") == (False, frozenset())
    assert parse_directive("//gocodemod:ignore-file x -- generated by hand") == (True, frozenset({"x"}))
    assert parse_directive("//gocodemod:ignored") is None
    assert parse_directive("// see gocodemod:ignore") is None


def test_parse_nolint_grammar() -> None:
    assert parse_nolint("//nolint") == frozenset()
    assert parse_nolint("//nolint // why") == frozenset()
    assert parse_nolint("//nolint:all") == frozenset()
    assert parse_nolint("// nolint:a, B // why") == frozenset({"a", "b"})
    assert parse_nolint("//nolint:lll,gocodemod") == frozenset({"lll", "gocodemod"})
    assert parse_nolint("//nolintlint") is None
    assert parse_nolint("// see nolint") is None


def test_follow_recomputes_ranges_for_a_later_pass_and_keeps_usage() -> None:
    before = b"package p\n\nfunc f() {\n\t//gocodemod:ignore\n\tdefer func() {\n\t\tgo g()\n\t}()\n\tgo h()\n}\n"
    after = before.replace(b"func f() {\n", b"func f() {\n\tx := 1\n\t_ = x\n")
    sup = Suppressions.from_source(before)
    later = sup.follow(after, parse(after).root_node)
    assert not later.allows("any", at("go g()", after))
    assert later.allows("any", at("go h()", after))
    assert sup.unused() == [] and later.unused() == []


def test_follow_ignores_a_directive_a_fix_brought_in() -> None:
    before = b"package p\n\nfunc f() {\n\tgo g()\n}\n"
    after = b"package p\n\nfunc f() {\n\t//gocodemod:ignore\n\tgo g()\n}\n"
    later = Suppressions.from_source(before).follow(after, parse(after).root_node)
    assert later.allows("any", at("go g()", after))


# -- through the engine and every path that applies changes ----------------------------------------

DEFER_GO = """
id: sync-go
description: d
rule: {pattern: "go $CALL", inside: {stopBy: end, kind: defer_statement}}
fix: $CALL
"""


def test_the_engine_leaves_a_covered_match_and_fixes_the_sibling() -> None:
    result = run_file(
        "a.go",
        go("""
        package p

        func f() {
            //gocodemod:ignore sync-go
            defer func() {
                go g()
            }()
            defer func() {
                go h()
            }()
        }
        """).encode(),
        recipe(DEFER_GO),
        format_with_gofmt=False,
    )
    assert [(change.recipe_id, change.start.line) for change in result.changes] == [("sync-go", 9)]
    assert b"\t\tgo g()\n" in (result.new_source or b"")
    assert b"\t\th()\n" in (result.new_source or b"")


def test_the_engine_reports_an_unused_nolint_of_ours() -> None:
    source = go("""
        package p

        func f() {
            g() //nolint:sync-go
            h() //nolint:errcheck
        }
        """).encode()
    result = run_file("a.go", source, recipe(DEFER_GO), report_unused_ignores=True)
    assert [(f.recipe_id, f.start.line) for f in result.findings] == [("gocodemod:unused-ignore", 4)]


COVERED = """
//gocodemod:ignore time-since -- measured by hand
func Covered(t time.Time) time.Duration {
\tif t.IsZero() {
\t\treturn 0
\t}
\treturn time.Now().Sub(t)
}

//nolint:errcheck,time-since // golangci-lint's spelling
func Nolint(t time.Time) time.Duration {
\treturn time.Now().Sub(t)
}

func Sibling(t time.Time) time.Duration {
\treturn time.Now().Sub(t)
}
"""


@pytest.fixture
def covered_repo(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture repository with a committed file whose functions carry directives."""
    original = (repo / "pkg/util/clean.go").read_text()
    write_files(repo, {"pkg/util/clean.go": original.replace("\n", '\n\nimport "time"\n', 1) + COVERED})
    git(repo, "add", "pkg/util/clean.go")
    git(repo, "commit", "-q", "-m", "covered functions")
    monkeypatch.chdir(repo)
    return repo


def _expected_clean(repo: Path) -> str:
    text = (repo / "pkg/util/clean.go").read_text()
    head, sibling = text.split("func Sibling")
    return head + "func Sibling" + sibling.replace("time.Now().Sub(t)", "time.Since(t)")


def test_cli_write_and_dry_run_honour_the_directives(covered_repo: Path, recipes_file: Path) -> None:
    expected = _expected_clean(covered_repo)
    dry = CliRunner().invoke(main, ["run", "-q", "-r", str(recipes_file), "pkg/util/clean.go"])
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.count("+\treturn time.Since(t)") == 1
    written = CliRunner().invoke(main, ["run", "--write", "-q", "-r", str(recipes_file), "pkg/util/clean.go"])
    assert written.exit_code == 0, written.output
    assert (covered_repo / "pkg/util/clean.go").read_text() == expected


def test_cli_reports_no_unused_directive_when_both_suppress(covered_repo: Path, recipes_file: Path) -> None:
    args = ["run", "--format", "json", "--report-unused-ignores", "-r", str(recipes_file), "pkg/util/clean.go"]
    document = json.loads(CliRunner().invoke(main, args).stdout)
    (entry,) = document["files"]
    assert [f for f in entry["findings"] if f["recipe"] == "gocodemod:unused-ignore"] == []


def test_commit_honours_the_directives(covered_repo: Path, recipes: list) -> None:
    expected = _expected_clean(covered_repo)
    _, outcomes = commit_run(covered_repo, recipes)
    assert [outcome.recipe_id for outcome in outcomes] == ["time-since"]
    assert git(covered_repo, "show", "gocodemod/time-since:pkg/util/clean.go") == expected
