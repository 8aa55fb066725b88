"""Which build configuration ``--verify`` checks a file in, from its name and its ``//go:build`` line."""

from __future__ import annotations

import pytest

from codemod.verify.packages import BuildConfig, constraint_config, merge, name_config


@pytest.mark.parametrize(
    ("name", "config"),
    [
        ("x.go", BuildConfig()),
        ("x_windows.go", BuildConfig(goos="windows")),
        ("x_windows_test.go", BuildConfig(goos="windows")),
        ("x_linux_arm64.go", BuildConfig("linux", "arm64")),
        ("x_arm64.go", BuildConfig(goarch="arm64")),
        ("windows.go", BuildConfig()),  # the whole name is not a suffix
        ("x_test.go", BuildConfig()),
    ],
)
def test_a_file_name_implies_goos_and_goarch(name: str, config: BuildConfig) -> None:
    assert name_config(name) == config


@pytest.mark.parametrize(
    ("header", "config"),
    [
        ("", BuildConfig()),
        ("//go:build windows\n", BuildConfig(goos="windows")),
        ("//go:build linux && arm64\n", BuildConfig("linux", "arm64")),
        ("//go:build integration && linux\n", BuildConfig(goos="linux", tags=("integration",))),
        ("//go:build (plan9 || windows)\n", BuildConfig(goos="plan9")),
        ("//go:build (linux || darwin) && race\n", None),  # grouping inside: not simple
        ("//go:build plan9 || windows\n", BuildConfig(goos="plan9")),  # the first simple alternative
        ("//go:build !linux\n", None),
        ("//go:build ignore\n", None),
        ("//go:build gccgo\n", None),  # gc never builds it
        ("// Copyright\n\n//go:build darwin\n", BuildConfig(goos="darwin")),
    ],
)
def test_a_simple_build_line_names_the_configuration(header: str, config: BuildConfig | None) -> None:
    assert constraint_config(f"{header}\npackage x\n".encode()) == config


def test_name_and_line_together_and_ports_that_need_a_partner() -> None:
    assert merge(name_config("x_js.go"), BuildConfig()) == BuildConfig("js", "wasm")
    assert merge(name_config("x_wasm.go"), BuildConfig()) == BuildConfig("js", "wasm")
    assert merge(name_config("x_windows.go"), BuildConfig(goos="linux")) is None  # they disagree: no config
    assert merge(name_config("x_linux.go"), BuildConfig(tags=("cgo", "race"))) == BuildConfig(
        goos="linux", tags=("race",)
    )
    assert BuildConfig("linux", "arm64", ("race",)).describe() == "GOOS=linux GOARCH=arm64 -tags=race"
    assert BuildConfig(goos="windows").env() == {"GOOS": "windows"}
