"""Command line: ``derive [check|verify|kernels|bench|report] ...``.

Each subsystem registers its own subcommand (``register(subparsers)`` in
``derive/<subsystem>/cli.py``); this module only dispatches and turns a
:class:`DeriveError` into a one-line message, so a user never sees a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from derive.errors import DeriveError
from derive.optional import optional_module

# Order is the order of ``derive --help``.
SUBSYSTEMS = ("derive.check_cli", "derive.latex.cli", "derive.kernels.cli", "derive.report.cli")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 with one line
        self.print_usage(sys.stderr)
        print(f"derive: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="derive", description=__doc__.splitlines()[0])
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no progress line on stderr (it is shown only on a terminal)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for modname in SUBSYSTEMS:
        module = optional_module(modname)
        if module is not None:  # a subsystem may not be built into this install
            module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``derive`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from derive.pipeline import main_job

        handler = main_job
    else:
        handler = args.func
    try:
        return int(handler(args) or 0)
    except DeriveError as exc:
        print(f"derive: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `derive check --json | head` is not an error
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
