"""``derive report [--out DIR] [--no-pdf]``: write the LaTeX report (and its PDF)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

__all__ = ["handler", "register"]


def register(sub: Any) -> None:
    """Add the ``report`` subcommand to ``derive``'s subparsers."""
    p = sub.add_parser(
        "report",
        help="write reports/softmax-regression.tex (and the PDF when TeX is installed)",
        description="Prove the catalogue and write it up as a LaTeX report.",
    )
    p.add_argument("--out", default="reports", metavar="DIR",
                   help="output folder (default: reports/)")
    p.add_argument("--no-pdf", action="store_true", help="write the .tex only")
    p.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                   help="no progress line on stderr")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    """Write the report; exit 0 unless LaTeX ran and failed (a missing TeX engine is fine)."""
    from derive.outputs import check_output_dir
    from derive.report import write_report

    check_output_dir(args.out, "--out")  # before any proving
    result = write_report(args.out, compile_pdf=not getattr(args, "no_pdf", False),
                          quiet=getattr(args, "quiet", False))
    print(result["message"])
    if result["problems"]:
        for problem in result["problems"]:
            print(f"derive report: {problem}", file=sys.stderr)
        return 1
    return 0
