"""Every CLI command and option is documented in CONTRIBUTING.md or README.md.

Introspects the click group, so a new command or option without a line in the docs
fails here (the sqlite-utils approach).
"""

from __future__ import annotations

import click
import pytest

from generator.cli import main
from tests.conftest import ROOT

DOC_LINES = [
    line
    for name in ("CONTRIBUTING.md", "README.md")
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines()
]


def _lines_for(command: str) -> list[str]:
    return [line for line in DOC_LINES if f"papercat {command}" in line]


COMMANDS = sorted(main.commands)
OPTIONS = [
    (name, opt)
    for name in COMMANDS
    for param in main.commands[name].params
    if isinstance(param, click.Option)
    for opt in param.opts
    if opt.startswith("--") and opt != "--help"
]


@pytest.mark.parametrize("command", COMMANDS)
def test_command_is_documented(command):
    assert _lines_for(command), f"`papercat {command}` is not in CONTRIBUTING/README"


@pytest.mark.parametrize(("command", "option"), OPTIONS, ids=[f"{c} {o}" for c, o in OPTIONS])
def test_option_is_documented_with_its_command(command, option):
    assert any(option in line for line in _lines_for(command)), (
        f"`{option}` of `papercat {command}` is not documented"
    )


def test_the_introspection_sees_the_commands():
    assert {"check", "new", "fmt", "build"} <= set(COMMANDS)
    assert ("new", "--bibtex") in OPTIONS and ("fmt", "--check") in OPTIONS
