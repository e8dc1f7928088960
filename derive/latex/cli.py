"""``derive verify FILE|FOLDER|GLOB ...``: check LaTeX/Markdown notes step by step.

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
    if args.report or len(files) == 1 or args.jobs == 1:
        results, refused, empty = _one_after_another(args, files)
    else:  # several files: one process per file on all cores (no per-step progress line)
        results, refused, empty = [], False, []
        for path, found, error, _ in corpus.check_files(files, args.jobs):
            if found is None:  # one unusable file does not stop the others
                print(f"derive: error: {error}", file=sys.stderr)
                refused = True
                continue
            results.extend(found)
            if not found:
                empty.append(path)
    for path in empty:  # nothing checked must not read as "all proved"
        print(f"warning: {path}: no checkable step (no display math with '='): "
              "nothing was verified", file=sys.stderr)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        print(format_results(results))
        counts = {v: sum(r["verdict"] == v for r in results)
                  for v in ("proved", "refuted", "unknown")}
        print(f"{len(results)} steps: " + ", ".join(f"{n} {v}" for v, n in counts.items()))
    if refused:
        return 2
    return 0 if all(r["verdict"] == "proved" for r in results) and not empty else 1


def _one_after_another(args: argparse.Namespace, files: list[str]
                       ) -> tuple[list[dict[str, Any]], bool, list[str]]:
    """Files in this process, with the progress line and ``--report``; a single unusable
    file is an error (exit 2), among several it is reported and the others are checked.
    Returns the results, whether a file was refused, and the files with no step."""
    from derive.engine.prover import prove_equal
    from derive.latex.verify import verify_file
    from derive.progress import Progress

    names = _report_names(args.report, files) if args.report else []
    results: list[dict[str, Any]] = []
    refused, empty = False, []
    with Progress("verifying: steps", quiet=getattr(args, "quiet", False)) as bar:
        for n, path in enumerate(files):
            where = f"in {os.path.basename(path)} ({n + 1}/{len(files)} files)"

            def counted(*a: Any, _where: str = where, **k: Any) -> Any:
                # the verifier's prover hook: one tick per step sent to the engine
                bar.show(_where)
                verdict = prove_equal(*a, **k)
                bar.step(_where)
                return verdict

            try:
                # only when the line is drawn: otherwise the verifier's own default prover
                found = verify_file(path, prove=counted if bar.enabled else None)
            except DeriveError as exc:
                if len(files) == 1:
                    raise
                print(f"derive: error: {exc}", file=sys.stderr)
                refused = True
                continue
            results.extend(found)
            if not found:
                empty.append(path)
            if args.report:
                bar.show(f"compiling {os.path.basename(path)}")
                _annotate(path, found, args.report, names[n])
    return results, refused, empty


def _report_names(out_dir: str, files: list[str]) -> list[str]:
    """Refuse an unusable ``--report DIR`` before any proving; one output name per file."""
    from derive.outputs import check_output_dir, unique_stems

    check_output_dir(out_dir, "--report")
    return unique_stems(files)


def _annotate(path: str, found: list[dict[str, Any]], out_dir: str, name: str) -> None:
    """Write the annotated copy and compile it to PDF when TeX is installed."""
    from derive.report.compile import compile_pdf, tex_engine
    from derive.report.notes import write_annotated_notes

    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    os.makedirs(out_dir, exist_ok=True)
    written = write_annotated_notes(path, text, found, out_dir, name=name)
    print(f"report: wrote {written}", file=sys.stderr)
    if tex_engine() is None:
        print(f"report: no PDF for {written}: pdflatex is not installed "
              "(Debian/Ubuntu: `sudo bash .ci/install-tex`)", file=sys.stderr)
        return
    built = compile_pdf(written)
    print(f"report: {built.message}", file=sys.stderr)
    for problem in built.problems:
        print(f"report: {problem}", file=sys.stderr)


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
                   help="check the published derivations shipped in derive/corpus (or the folder "
                        "given) and print the summary table")
    p.add_argument("--explain", action="store_true",
                   help="print the declarations inferred from each file")
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help="files checked in parallel (default: all cores)")
    p.add_argument("--json", action="store_true", help="print a JSON list of step verdicts")
    p.add_argument("--report", metavar="DIR", default=None,
                   help="write annotated notes (.tex, and .pdf when TeX is installed) into DIR")
    p.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                   help="no progress line on stderr")
    p.set_defaults(func=handler)
