"""derive's command table: each command is registered by the subsystem ``derive.cli.COMMANDS``
names, and a command builds only its own subsystem (``derive verify`` imports neither the
kernel layer nor the report command)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from derive.cli import COMMANDS, SUBSYSTEMS, build_parser


def _commands(parser) -> set[str]:
    sub = next(a for a in parser._actions if a.dest == "command")
    return set(sub.choices)


def test_every_command_of_the_full_parser_is_in_the_table():
    assert _commands(build_parser(SUBSYSTEMS)) == set(COMMANDS)


@pytest.mark.parametrize(("command", "module"), sorted(COMMANDS.items()))
def test_the_named_subsystem_registers_the_command(command, module):
    assert command in _commands(build_parser((module,)))


def test_verify_imports_neither_kernels_nor_the_report_command(tmp_path):
    notes = tmp_path / "n.md"
    notes.write_text("$$ 1 + 1 = 2 $$\n", encoding="utf-8")
    code = (f"import sys; from derive.cli import main; rc = main(['verify', '-q', {str(notes)!r}]); "
            "print(rc, sorted(m for m in sys.modules if m.startswith(('derive.report.cli', "
            "'derive.kernels'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300).stdout.strip().split("\n")
    assert out[-1] == "0 []", out
