"""Command line: dispatch ``derive [check|verify|kernels|bench|report] ...``.

Each subsystem registers its own subcommand (``register(subparsers)`` in
``derive/<subsystem>/cli.py``); this module only dispatches, reads ``[tool.derive]`` from
``pyproject.toml``, and turns a :class:`DeriveError` into a one-line message (exit 2) and
Ctrl-C into one line (exit 130), so a user never sees a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from derive.errors import DeriveError

# Order is the order of ``derive --help``.
SUBSYSTEMS = ("derive.check_command", "derive.latex.cli", "derive.kernels.cli", "derive.report.cli")

#: the subsystem that registers each command: ``derive verify ...`` builds only its own
#: subcommand, so it never imports the report and kernel layers (SymPy printing, every
#: family), about half a second a file (tests/test_cli_commands.py checks the table)
COMMANDS = {"check": "derive.check_command", "verify": "derive.latex.cli",
            "kernels": "derive.kernels.cli", "bench": "derive.kernels.cli",
            "report": "derive.report.cli"}

INTERRUPTED = 130  #: the shell's code for a command stopped by Ctrl-C (128 + SIGINT)

DESCRIPTION = """\
derive checks derivations of softmax regression and its relatives: it proves closed forms
for symbolic sizes, checks the steps of your LaTeX/Markdown notes, and emits NumPy kernels
whose gradients it has proved.

A bare `derive` (no command) runs the main job: it proves the catalogue and refutes its
wrong variants, checks the kernels, and writes the report into ./reports/ of the current
folder (softmax-regression.tex, and the PDF when TeX is installed)."""

EPILOG = """\
`derive COMMAND --help` says more about each command. `derive verify` exits 0 when every
step is proved (or there is nothing to check), 1 when a step is refuted, 3 when only
unknown steps are left, 2 on a usage or input error; every command exits 130 on Ctrl-C.
Defaults for `derive verify` can be set in pyproject.toml under [tool.derive]."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 with one line
        self.print_usage(sys.stderr)
        print(f"derive: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser(subsystems: Sequence[str] = SUBSYSTEMS) -> argparse.ArgumentParser:
    """derive's parser with the subcommands of ``subsystems`` (default: all of them)."""
    from derive import __version__
    from derive.optional import optional_module

    parser = _Parser(prog="derive", description=DESCRIPTION, epilog=EPILOG,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"derive {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no progress line on stderr (it is shown only on a terminal)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND",
                                title="commands (none: the main job, see above)")
    for modname in subsystems:
        module = optional_module(modname)
        if module is not None:  # a subsystem may not be built into this install
            module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``derive`` console script; returns the exit code."""
    try:
        return _run(argv)
    except KeyboardInterrupt:
        print("derive: interrupted (Ctrl-C)", file=sys.stderr)
        # CPython marks a KeyboardInterrupt that leaves code run by exec/eval of a string
        # (SymPy's parsing, dataclass and namedtuple creation) as unhandled, and then ends
        # the process by SIGINT (exit -2) even though it was handled here; running a string
        # clears that mark, so the process exits 130 as returned
        exec("None")
        return INTERRUPTED
    except BrokenPipeError:  # `derive check --json | head` is not an error
        sys.stderr.close()
        return 0


def _run(argv: Sequence[str] | None) -> int:
    try:
        argv = sys.argv[1:] if argv is None else list(argv)
        # `derive check ...` (or verify, ...) registers only its own subcommand: the others
        # import the report and kernel layers (SymPy, every family), which it never needs
        own = COMMANDS.get(argv[0]) if argv else None
        parser = build_parser((own,) if own else SUBSYSTEMS)
        args = parser.parse_args(argv)
        from derive.config import load_config

        args.config = load_config()
        if args.config.get("quiet") and not getattr(args, "quiet", False):
            args.quiet = True
        if args.command is None:
            from derive.pipeline import main_job

            handler = main_job
        else:
            handler = args.func
        return int(handler(args) or 0)
    except DeriveError as exc:
        print(f"derive: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
