"""The go-regexp rule key: Go string literals decoded as Go does, and patterns judged valid only when Go agrees.

The differential test compiles every pattern with Go's own regexp package: a
pattern the key calls valid must compile there (the key may refuse valid
ones: a doubt is a refusal, never a panic moved to program start).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from codemod.rules.extensions.go_regexp import go_string_value, is_valid_go_regexp
from tests.gotoolchain import GoToolchain

PATTERNS = [
    r"^\d{4}-\d{2}-\d{2}$",
    r"[a-z]+",
    r"(\w+)=(\S+)",
    r"(?i)hello",
    r"(?P<year>\d{4})",
    r"(?<year>\d{4})",
    r"\pL+",
    r"\p{Greek}",
    r"\p{Nko}",
    r"[[:alpha:]]+",
    r"\Q.*\E",
    r"a\C",
    r"(",
    r"a**",
    r"a*?",
    r"a{2}{3}",
    r"x{1001}",
    r"x{1000}",
    r"(x{100}){100}",
    r"\b\w+\b",
    r"\z",
    r"[]a]",
    r"[^\x00-\x{10FFFF}]",
    r"\8",
    r"(?=a)",
    r"a|ab",
    r"\d+",
    "a\x00b",
]


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        (b'"a\\tb"', b"a\tb"),
        (b'"\\\\d+"', b"\\d+"),
        (b'"\\x41\\101\\u00e9"', b"AA\xc3\xa9"),
        (b'"\\xff"', b"\xff"),
        (b"`a\\d\r\nb`", b"a\\d\nb"),
        (b'"\\q"', None),
        (b'"\\ud800"', None),
        (b"x", None),
    ],
)
def test_string_literals_decode_as_in_go(literal: bytes, value: bytes | None) -> None:
    assert go_string_value(literal) == value


def test_doubts_are_refused() -> None:
    assert is_valid_go_regexp(rb"^\d+$")
    assert not is_valid_go_regexp(rb"a\C")  # RE2 takes it, Go does not
    assert not is_valid_go_regexp(rb"(?<n>a)")  # Go 1.22 and later only
    assert not is_valid_go_regexp(b"\xff")  # not UTF-8
    assert not is_valid_go_regexp(rb"\d", "posix")
    assert is_valid_go_regexp(rb"[[:digit:]]+", "posix")


@pytest.mark.slow
def test_valid_means_go_compiles_it(go_toolchain: GoToolchain, tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module check\n\ngo 1.21\n")
    (tmp_path / "main.go").write_text(
        "package main\n\n"
        'import (\n\t"encoding/json"\n\t"fmt"\n\t"os"\n\t"regexp"\n)\n\n'
        "func main() {\n"
        "\tvar patterns []string\n"
        "\tif err := json.NewDecoder(os.Stdin).Decode(&patterns); err != nil {\n\t\tpanic(err)\n\t}\n"
        "\tfor _, p := range patterns {\n"
        "\t\t_, perl := regexp.Compile(p)\n"
        "\t\t_, posix := regexp.CompilePOSIX(p)\n"
        "\t\tfmt.Println(perl == nil, posix == nil)\n"
        "\t}\n"
        "}\n"
    )
    done = subprocess.run(
        [go_toolchain.go, "run", "."],
        cwd=tmp_path,
        input=json.dumps(PATTERNS),
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "GOTOOLCHAIN": "local", "GOPROXY": "off", "GOFLAGS": "-mod=mod"},
    )
    assert done.returncode == 0, done.stderr
    answers = [line.split() for line in done.stdout.splitlines()]
    accepted = 0
    for pattern, (perl, posix) in zip(PATTERNS, answers, strict=True):
        for syntax, go_ok in (("perl", perl == "true"), ("posix", posix == "true")):
            if is_valid_go_regexp(pattern.encode(), syntax):
                accepted += 1
                assert go_ok, f"{pattern!r} ({syntax}) judged valid but Go rejects it"
    assert accepted >= 10
