"""``derive verify FILE ...``: check LaTeX/Markdown notes step by step.

Exit 0 when every step is proved, 1 when any is refuted or unknown or a file has no
checkable step (with a warning), 2 for unusable input (a :class:`DeriveError` raised here
and printed by the dispatcher).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from importlib import resources
from typing import Any

from derive.errors import DeriveError

__all__ = ["example_paths", "format_results", "handler", "register"]


def example_paths() -> list[str]:
    """The transcribed seeds shipped in ``derive/examples``, sorted by name."""
    root = resources.files("derive") / "examples"
    return sorted(str(p) for p in root.iterdir()
                  if p.name.endswith((".md", ".tex")) and not p.name.startswith("."))


def format_results(results: list[dict[str, Any]]) -> str:
    """``file:line: verdict`` per step; the first step not proved in each file is marked."""
    lines = []
    marked: set[str] = set()
    for r in results:
        text = f"{r['file']}:{r['line']}: {r['verdict']}  (chain {r['chain']}, step {r['step']})"
        if r["verdict"] != "proved" and r["file"] not in marked:
            marked.add(r["file"])
            text += "  <-- first step not proved"
        if r.get("note"):
            text += f"  [{r['note']}]"
        lines.append(text)
        cex = r.get("counterexample")
        if cex:
            lines.append(f"    counterexample: {json.dumps(cex, ensure_ascii=False)}")
    return "\n".join(lines)


def handler(args: argparse.Namespace) -> int:
    from derive.latex.verify import verify_file

    files = list(args.files)
    if args.examples:
        files += example_paths()
    if not files:
        raise DeriveError("verify: no notes given: expected FILE ... or --examples")
    results: list[dict[str, Any]] = []
    empty = []
    for path in files:
        found = verify_file(path)
        results.extend(found)
        if not found:  # nothing checked must not read as "all proved"
            empty.append(path)
            print(f"warning: {path}: no checkable step (no display math with '='): "
                  "nothing was verified", file=sys.stderr)
        if args.report:
            from derive.report.notes import write_annotated_notes

            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            os.makedirs(args.report, exist_ok=True)
            written = write_annotated_notes(path, text, found, args.report)
            print(f"report: {written}", file=sys.stderr)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        print(format_results(results))
        counts = {v: sum(r["verdict"] == v for r in results)
                  for v in ("proved", "refuted", "unknown")}
        print(f"{len(results)} steps: " + ", ".join(f"{n} {v}" for v, n in counts.items()))
    return 0 if all(r["verdict"] == "proved" for r in results) and not empty else 1


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``verify`` subcommand to the ``derive`` command line."""
    p = sub.add_parser("verify", help="check LaTeX derivations step by step",
                       description=__doc__.splitlines()[0])
    p.add_argument("files", nargs="*", metavar="FILE", help=".tex or Markdown notes")
    p.add_argument("--examples", action="store_true", help="also check the shipped examples")
    p.add_argument("--json", action="store_true", help="print a JSON list of step verdicts")
    p.add_argument("--report", metavar="DIR", default=None,
                   help="write annotated notes into DIR")
    p.set_defaults(func=handler)
