"""``derive verify FILE|FOLDER|GLOB|- ...``: check LaTeX/Markdown notes step by step.

Exit codes (one table, also in the README and ``derive verify --help``):

==== ====================================================================================
code meaning
==== ====================================================================================
0    every step is proved (or a definition), or there was nothing to check (a note)
1    some step is refuted
3    no step is refuted but some are unknown
2    usage or input error (a file that cannot be read; the others are still checked)
==== ====================================================================================
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from importlib import resources
from typing import TYPE_CHECKING, Any

from derive.errors import DeriveError
from derive.latex.step_result import StepResult

if TYPE_CHECKING:
    from derive.latex.verify import Checked

__all__ = ["ALL_PROVED", "INPUT_ERROR", "REFUTED", "UNKNOWN", "example_paths", "exit_code",
           "format_results", "handler", "register"]

ALL_PROVED, REFUTED, INPUT_ERROR, UNKNOWN = 0, 1, 2, 3  #: ``derive verify``'s exit codes
STDIN = "<stdin>"  #: how notes read from ``-`` are named in messages


def example_paths() -> list[str]:
    """The transcribed seeds shipped in ``derive/examples``, sorted by name."""
    root = resources.files("derive") / "examples"
    return sorted(str(p) for p in root.iterdir()
                  if p.name.endswith((".md", ".tex")) and not p.name.startswith("."))


def format_results(results: list[StepResult],
                   reports: dict[str, str] | None = None, as_read: bool = False) -> str:
    """``file:line: verdict`` per step, a refuted step explained in the notes' notation
    (see :func:`derive.latex.terminal.format_results`)."""
    from derive.latex.terminal import format_results as lines

    return lines(results, reports, as_read)


def exit_code(results: list[StepResult], refused: bool) -> int:
    """``derive verify``'s exit code: input error, then refuted, then unknown, else 0.

    >>> exit_code([{"verdict": "proved"}, {"verdict": "unknown"}], refused=False)
    3
    >>> exit_code([{"verdict": "unknown"}, {"verdict": "refuted"}], refused=False)
    1
    >>> exit_code([{"verdict": "definition"}, {"verdict": "proved"}], refused=False)
    0
    >>> exit_code([], refused=False)
    0
    """
    from derive.verdicts import PASSING

    verdicts = {r["verdict"] for r in results}
    if refused:
        return INPUT_ERROR
    if "refuted" in verdicts:
        return REFUTED
    if verdicts - PASSING:
        return UNKNOWN
    return ALL_PROVED


def handler(args: argparse.Namespace) -> int:
    from derive.config import Config

    config = getattr(args, "config", None) or Config()
    _apply_config(args, config)
    if args.corpus:
        return _corpus(args)
    with tempfile.TemporaryDirectory(prefix="derive-stdin-") as tmp:
        stdin = os.path.join(tmp, f"stdin.{args.stdin_format}") if "-" in args.files else ""
        try:
            return _verify(args, config, stdin)
        except DeriveError as exc:
            raise DeriveError(str(exc).replace(stdin, STDIN) if stdin else str(exc)) from None


def _apply_config(args: argparse.Namespace, config: Any) -> None:
    """Fill the options not given on the command line from ``[tool.derive]``."""
    if args.json:
        if args.format not in (None, "json"):
            raise DeriveError(f"verify: --json and --format {args.format}: expected one of them")
        args.format = "json"
    args.format = args.format or config.get("format", "text")
    args.jobs = args.jobs or config.get("jobs")
    args.stdin_format = args.stdin_format or config.get("stdin-format", "md")
    if args.report is None and config.get("report"):
        args.report = config.resolve(config.get("report"))


def _verify(args: argparse.Namespace, config: Any, stdin: str) -> int:
    from derive.latex import corpus

    given = list(args.files)
    if not given and not args.examples and config.get("paths"):
        given = [config.resolve(p) for p in config.get("paths")]
    if stdin:
        if given.count("-") > 1:
            raise DeriveError("verify: '-' given twice: expected stdin once")
        with open(stdin, "w", encoding="utf-8") as fh:
            fh.write(sys.stdin.read())
    files = corpus.expand_paths([stdin if f == "-" else f for f in given])
    if args.examples:
        files += example_paths()
    if not files:
        raise DeriveError("verify: no notes given: expected FILE, FOLDER, GLOB or - (stdin), "
                          "--examples, --corpus, or paths in [tool.derive] of pyproject.toml")
    runs: list[Checked] = []
    if args.report or args.explain or len(files) == 1 or args.jobs == 1:
        # --explain prints what each run inferred: the runs are kept, in this process
        results, refused, empty, reports, runs = _one_after_another(args, files)
    else:  # several files: one process per file on all cores (no per-step progress line)
        results, refused, empty, reports = [], False, [], {}
        for path, found, error, _ in corpus.check_files(files, args.jobs):
            if found is None:  # one unusable file does not stop the others
                print(f"derive: error: {error.replace(stdin, STDIN) if stdin else error}",
                      file=sys.stderr)
                refused = True
                continue
            results.extend(found)
            if not found:
                empty.append(path)
    if stdin:  # the temporary file is named <stdin> in every field and message
        results = [StepResult.from_dict(_renamed(r.as_dict(), stdin, STDIN))
                   for r in results]
        empty = [STDIN if p == stdin else p for p in empty]
    for path in empty:  # nothing checked is said, and is not an error (a prose-only file)
        print(f"note: {path}: no checkable step (no display math with '='): nothing to check",
              file=sys.stderr)
    if args.explain:  # from the runs above: the files are not read again
        _explain(runs, shown={stdin: STDIN} if stdin else {})
    if args.format == "json":
        print(json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False))
    elif args.format == "github":
        from derive.latex.annotations import github_annotations

        for line in github_annotations(results):
            print(line)
        print(_summary(results))
    else:
        if results:
            print(format_results(results, reports, as_read=args.explain))
        print(_summary(results))
    return exit_code(results, refused)


def _renamed(obj: Any, old: str, new: str) -> Any:
    """``obj`` (JSON-like) with ``old`` replaced by ``new`` in every string."""
    if isinstance(obj, str):
        return obj.replace(old, new)
    if isinstance(obj, dict):
        return {k: _renamed(v, old, new) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return type(obj)(_renamed(v, old, new) for v in obj)
    return obj


def _summary(results: list[StepResult]) -> str:
    from derive.verdicts import summary_line

    return summary_line([r["verdict"] for r in results])


def _one_after_another(args: argparse.Namespace, files: list[str]
                       ) -> tuple[list[StepResult], bool, list[str], dict[str, str],
                                  list[Checked]]:
    """Files in this process, with the progress line and ``--report``; a single unusable
    file is an error (exit 2), among several it is reported and the others are checked.
    Returns the results, whether a file was refused, the files with no step, the
    annotated report written for each file, and each file's run."""
    from derive.engine.prover import prove_equal
    from derive.latex.verify import check_file
    from derive.progress import Progress

    names = _report_names(args.report, files) if args.report else []
    results: list[StepResult] = []
    runs: list[Checked] = []
    refused, empty, reports = False, [], {}
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
                checked = check_file(path, prove=counted if bar.enabled else None)
            except DeriveError as exc:
                if len(files) == 1:
                    raise
                print(f"derive: error: {exc}", file=sys.stderr)
                refused = True
                continue
            runs.append(checked)
            found = checked.records
            results.extend(found)
            if not found:
                empty.append(path)
            if args.report:  # from this run's records and text: the file is not read again
                bar.show(f"compiling {os.path.basename(path)}")
                reports[path] = _annotate(path, checked.text, found, args.report, names[n])
    return results, refused, empty, reports, runs


def _report_names(out_dir: str, files: list[str]) -> list[str]:
    """Refuse an unusable ``--report DIR`` before any proving; one output name per file."""
    from derive.outputs import check_output_dir, unique_stems

    check_output_dir(out_dir, "--report")
    return unique_stems(files)


def _annotate(path: str, text: str, found: list[StepResult], out_dir: str,
              name: str) -> str:
    """Write the annotated copy (a notebook for a notebook) of the notes at ``path``, whose
    characters ``text`` the verification run read, and compile it to PDF when TeX is
    installed; returns the path of what a reader opens."""
    from derive.report.compile import compile_pdf, tex_engine
    from derive.report.notes import write_annotated_notes

    if path.endswith(".ipynb"):
        from derive.latex.annotated_notebook import write_annotated_notebook

        os.makedirs(out_dir, exist_ok=True)
        written = write_annotated_notebook(path, found, out_dir, name=name, text=text)
        print(f"report: wrote {written}", file=sys.stderr)
        return written
    os.makedirs(out_dir, exist_ok=True)
    written = write_annotated_notes(path, text, found, out_dir, name=name)
    print(f"report: wrote {written}", file=sys.stderr)
    if path.endswith(".md"):  # the author's own medium too: Markdown that GitHub renders
        from derive.report.notes_md import write_annotated_markdown

        md = write_annotated_markdown(path, text, found, out_dir, name=name)
        print(f"report: wrote {md}", file=sys.stderr)
    if tex_engine() is None:
        print(f"report: no PDF for {written}: pdflatex is not installed "
              "(Debian/Ubuntu: `sudo bash .ci/install-tex`)", file=sys.stderr)
        return written
    built = compile_pdf(written)
    print(f"report: {built.message}", file=sys.stderr)
    for problem in built.problems:
        print(f"report: {problem}", file=sys.stderr)
    return str(built.pdf) if built.pdf else written


def _explain(runs: list[Checked], shown: dict[str, str] | None = None) -> None:
    """Print the declarations each run inferred from its file (copyable as they are);
    ``shown`` names a file otherwise (stdin's temporary file)."""
    shown = shown or {}
    for run in runs:
        print(f"{shown.get(run.path, run.path)}: {run.declarations} inferred declaration(s)")
        for line in run.inferred:
            print(line)


def _corpus(args: argparse.Namespace) -> int:
    from derive.latex import corpus

    root = args.files[0] if args.files else corpus.corpus_dir()
    files = corpus.corpus_files(root)
    if not files:
        raise DeriveError(f"verify --corpus: no NN_*.tex/.md files in {root!r}")
    expected = corpus.load_expected(root)
    rows = corpus.summarize(corpus.check_files(files, args.jobs), expected)
    if args.format == "json":
        print(json.dumps([vars(r) for r in rows], indent=2, ensure_ascii=False))
    else:
        print(corpus.format_table(rows))
    return 1 if any(r.false or r.error for r in rows) else 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``verify`` subcommand to the ``derive`` command line."""
    p = sub.add_parser(
        "verify", help="check the steps of LaTeX/Markdown notes (files, folders, globs, -)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Check every '=' step of the display maths in LaTeX or Markdown notes "
                    "with the proof engine,\nand print each step's verdict at file:line.",
        epilog="exit codes:\n  0  every step proved (or a definition), or nothing to check "
               "(a note says so)\n"
               "  1  some step refuted\n  3  no step refuted, some unknown\n"
               "  2  usage or input error\n  130  interrupted (Ctrl-C)\n\n"
               "Defaults (paths, format, jobs, report, stdin-format, quiet) can be set under "
               "[tool.derive]\nin pyproject.toml (looked up from the current folder upward); "
               "flags win.")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help=".tex or Markdown notes, folders of them, globs, or - for stdin")
    p.add_argument("--examples", action="store_true", help="also check the shipped examples")
    p.add_argument("--corpus", action="store_true",
                   help="check the published derivations shipped in derive/corpus (or the "
                        "folder given) and print the summary table")
    p.add_argument("--explain", action="store_true",
                   help="print the declarations inferred from each file")
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help="files checked in parallel (default: all cores)")
    p.add_argument("--format", choices=("text", "json", "github"), default=None,
                   help="text (default); json: a list of step verdicts; github: workflow "
                        "annotations (::error for refuted, ::warning for unknown)")
    p.add_argument("--json", action="store_true", help="the same as --format json")
    p.add_argument("--stdin-format", choices=("md", "tex"), default=None,
                   help="how to read notes given as - on stdin (default: md)")
    p.add_argument("--report", metavar="DIR", default=None,
                   help="write annotated notes (.tex, and .pdf when TeX is installed) into DIR")
    p.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                   help="no progress line on stderr")
    p.set_defaults(func=handler)
