"""``derive verify FILE|FOLDER|GLOB ...``: check LaTeX/Markdown notes step by step.

Exit 0 when every step is proved, 1 when any is refuted or unknown, 2 for unusable
input (a :class:`DeriveError` raised here and printed by the dispatcher).
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
    from derive.latex import corpus

    if args.corpus:
        return _corpus(args)
    files = corpus.expand_paths(list(args.files))
    if args.examples:
        files += example_paths()
    if not files:
        raise DeriveError("verify: no notes given: expected FILE, FOLDER or GLOB ... or "
                          "--examples or --corpus")
    if args.explain:
        _explain(files)
    if len(files) == 1 and not args.report:
        answers = corpus.check_files(files, 1)
        if answers[0][1] is None:
            raise DeriveError(answers[0][2])
    else:
        answers = corpus.check_files(files, args.jobs)
    results: list[dict[str, Any]] = []
    refused = False
    for path, found, error, _ in answers:
        if found is None:  # one unusable file does not stop the others
            print(f"derive: error: {error}", file=sys.stderr)
            refused = True
            continue
        results.extend(found)
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
    if refused:
        return 2
    return 0 if all(r["verdict"] == "proved" for r in results) else 1


def _explain(files: list[str]) -> None:
    """Print the declarations each file implies (copyable as they are)."""
    from derive.latex.chains import read_notes
    from derive.latex.infer import infer

    for path in files:
        try:
            inferred, conflicts = infer(read_notes(path))
        except DeriveError as exc:
            print(f"derive: error: {exc}", file=sys.stderr)
            continue
        print(f"{path}: {len(inferred)} inferred declaration(s)")
        for d in inferred:
            rest = " ".join(d.rest.split())
            print(f"% derive: {d.keyword} {rest}")
        for text in conflicts:
            print(f"% conflict: {text}")


def _corpus(args: argparse.Namespace) -> int:
    from derive.latex import corpus

    root = args.files[0] if args.files else corpus.corpus_dir()
    files = corpus.corpus_files(root)
    if not files:
        raise DeriveError(f"verify --corpus: no NN_*.tex/.md files in {root!r}")
    expected = corpus.load_expected(root)
    rows = corpus.summarize(corpus.check_files(files, args.jobs), expected)
    if args.json:
        print(json.dumps([vars(r) for r in rows], indent=2, ensure_ascii=False))
    else:
        print(corpus.format_table(rows))
    return 1 if any(r.false or r.error for r in rows) else 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``verify`` subcommand to the ``derive`` command line."""
    p = sub.add_parser("verify", help="check LaTeX derivations step by step",
                       description=__doc__.splitlines()[0])
    p.add_argument("files", nargs="*", metavar="FILE",
                   help=".tex or Markdown notes, folders of them, or globs")
    p.add_argument("--examples", action="store_true", help="also check the shipped examples")
    p.add_argument("--corpus", action="store_true",
                   help="check the published derivations of tests/corpus (or the folder "
                        "given) and print the summary table")
    p.add_argument("--explain", action="store_true",
                   help="print the declarations inferred from each file")
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help="files checked in parallel (default: all cores)")
    p.add_argument("--json", action="store_true", help="print a JSON list of step verdicts")
    p.add_argument("--report", metavar="DIR", default=None,
                   help="write annotated notes into DIR")
    p.set_defaults(func=handler)
