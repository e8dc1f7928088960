"""Many notes at once: folders and globs, checked in parallel, and the corpus summary table.

``derive verify notes/ 'drafts/*.tex'`` expands folders (every ``.tex``/``.md`` below them)
and globs, and checks the files on all cores, one process per file. ``--corpus`` checks the
published derivations shipped in ``derive/corpus/`` and prints, per file, steps, proved / refuted /
unknown, blocks that could not be read, false verdicts against the expectations recorded
by hand in ``derive/corpus/expected.json``, declaration lines and seconds.

>>> row = FileRow("a.md", steps=3, proved=2, refuted=1, unknown=0, unread=0, false=0,
...               decl_lines=1, seconds=0.5)
>>> format_table([row]).splitlines()[2].split()[:4]
['a.md', '3', '2', '1']
"""

from __future__ import annotations

import glob
import json
import multiprocessing
import os
import re
import signal
import statistics
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from derive.errors import DeriveError

__all__ = ["FileRow", "check_files", "corpus_dir", "expand_paths", "format_table",
           "summarize"]

NOTES_SUFFIXES = (".tex", ".md", ".markdown", ".ipynb")  # derive.latex.sources.READERS
# directives that state what the symbols mean (where/prime/skip qualify one block)
DECLARATIONS = ("size", "index", "tensor", "label", "scalar", "let", "assume", "auto",
                "manual")


def expand_paths(args: list[str]) -> list[str]:
    """Files named, every notes file below a folder, and the matches of a glob, in order.

    >>> expand_paths(["/nonexistent/*.tex"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    derive.errors.DeriveError: verify: '/nonexistent/*.tex' matches no .tex or .md file (nor ...
    """
    out: list[str] = []
    for arg in args:
        if os.path.isdir(arg):
            found = sorted(str(p) for p in Path(arg).rglob("*")
                           if p.suffix in NOTES_SUFFIXES and p.is_file())
            if not found:
                raise DeriveError(f"verify: folder {arg!r} holds no .tex or .md file (nor any "
                                  ".ipynb notebook)")
            out += found
        elif any(ch in arg for ch in "*?[") and not os.path.exists(arg):
            found = sorted(p for p in glob.glob(arg, recursive=True)
                           if p.endswith(NOTES_SUFFIXES) and os.path.isfile(p))
            if not found:
                raise DeriveError(f"verify: {arg!r} matches no .tex or .md file (nor any .ipynb "
                                  "notebook)")
            out += found
        else:
            out.append(arg)
    seen: set[str] = set()
    return [p for p in out if not (p in seen or seen.add(p))]  # type: ignore[func-returns-value]


def _check_one(path: str) -> tuple[str, list[dict[str, Any]] | None, str, float]:
    """Worker: (path, results or None, error message, seconds). Runs in its own process."""
    from derive.latex.verify import verify_file

    started = time.perf_counter()
    try:
        results = verify_file(path)
    except DeriveError as exc:
        return path, None, str(exc), time.perf_counter() - started
    return path, results, "", time.perf_counter() - started


def check_files(paths: list[str], jobs: int | None = None
                ) -> list[tuple[str, list[dict[str, Any]] | None, str, float]]:
    """Verify every file, in parallel on ``jobs`` processes (all cores by default); the
    answers come back in the order of ``paths``."""
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(paths) == 1:
        return [_check_one(p) for p in paths]
    # Ctrl-C reaches every process of the terminal's group: the workers ignore it, the
    # parent gets the KeyboardInterrupt and leaving the ``with`` terminates them (no
    # worker traceback, no wait for the file each one is proving)
    with multiprocessing.Pool(min(jobs, len(paths)), initializer=_ignore_interrupts) as pool:
        return pool.map(_check_one, paths, chunksize=1)


def _ignore_interrupts() -> None:
    """Pool initializer: a worker leaves Ctrl-C to the parent, which ends the pool."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def corpus_dir() -> str:
    """``derive/corpus``: the published derivations ship with the package (a wheel too).

    >>> os.path.isfile(os.path.join(corpus_dir(), "expected.json"))
    True
    """
    root = resources.files("derive") / "corpus"
    if not root.is_dir():
        raise DeriveError("verify --corpus: derive/corpus/ is missing from this install: "
                          "expected the corpus as package data (reinstall derive)")
    return str(root)


def corpus_files(root: str) -> list[str]:
    return sorted(str(p) for p in Path(root).iterdir()
                  if re.match(r"\d\d_", p.name) and p.suffix in NOTES_SUFFIXES)


def declaration_lines(path: str) -> int:
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    return sum(1 for m in re.finditer(r"^[ \t]*%[ \t]*derive:[ \t]*([A-Za-z]+)", text, re.M)
               if m.group(1) in DECLARATIONS)


@dataclass
class FileRow:
    name: str
    steps: int = 0
    proved: int = 0
    refuted: int = 0
    unknown: int = 0
    unread: int = 0
    false: int = 0
    decl_lines: int = 0
    seconds: float = 0.0
    error: str = ""
    false_steps: list[str] = field(default_factory=list)
    unknown_steps: list[str] = field(default_factory=list)


def false_verdicts(results: list[dict[str, Any]], expected: dict[str, list[str]]
                   ) -> tuple[list[str], list[str]]:
    """Steps whose verdict contradicts the expectation, and unknown steps of true claims
    (``line: verdict``, expectations keyed by the line of the right-hand member)."""
    by_line: dict[int, list[dict[str, Any]]] = {}
    for r in results:
        by_line.setdefault(r["line"], []).append(r)
    false, unknown = [], []
    for line, recs in sorted(by_line.items()):
        for n, r in enumerate(recs):
            want = expected.get(str(line), [])[n : n + 1]
            got = r["verdict"]
            if (got == "proved" and want != ["p"]) or (got == "refuted" and want != ["r"]):
                false.append(f"{line}: {got}, expected {want[0] if want else 'nothing'}")
            elif got == "unknown" and want in (["p"], ["r"]):
                why = r.get("note") or f"the engine left the residual {r.get('residual')}"
                what = "true step" if want == ["p"] else "slip not caught"
                unknown.append(f"{line}: ({what}) {why}")
    return false, unknown


def summarize(answers: list[tuple[str, list[dict[str, Any]] | None, str, float]],
              expected: dict[str, dict[str, list[str]]] | None = None) -> list[FileRow]:
    rows = []
    for path, results, error, secs in answers:
        name = os.path.basename(path)
        row = FileRow(name, decl_lines=declaration_lines(path), seconds=secs, error=error)
        for r in results or []:
            row.steps += 1
            setattr(row, r["verdict"], getattr(row, r["verdict"]) + 1)
            row.unread += bool(r.get("unread"))
        if expected is not None and results is not None:
            row.false_steps, row.unknown_steps = false_verdicts(
                results, expected.get(name[:2], {}))
            row.false = len(row.false_steps)
        rows.append(row)
    return rows


def format_table(rows: list[FileRow]) -> str:
    head = (f"{'file':44} {'steps':>5} {'proved':>6} {'refuted':>7} {'unknown':>7} "
            f"{'unread':>6} {'false':>5} {'decl':>4} {'sec':>6}")
    lines = [head, "-" * len(head)]
    for r in rows:
        if r.error:
            lines.append(f"{r.name[:44]:44} refused: {r.error}")
            continue
        lines.append(f"{r.name[:44]:44} {r.steps:5} {r.proved:6} {r.refuted:7} {r.unknown:7} "
                     f"{r.unread:6} {r.false:5} {r.decl_lines:4} {r.seconds:6.2f}")
    ok = [r for r in rows if not r.error]
    tot = {k: sum(getattr(r, k) for r in ok)
           for k in ("steps", "proved", "refuted", "unknown", "unread", "false")}
    lines.append("-" * len(head))
    lines.append(
        f"{len(rows)} files ({len(rows) - len(ok)} refused), {tot['steps']} steps: "
        f"{tot['proved']} proved, {tot['refuted']} refuted, {tot['unknown']} unknown; "
        f"{tot['unread']} blocks not read; {tot['false']} false verdicts; median "
        f"declaration lines {statistics.median(r.decl_lines for r in rows) if rows else 0}; "
        f"median seconds per file {statistics.median(r.seconds for r in rows) if rows else 0:.2f}")
    for r in ok:
        for s in r.false_steps:
            lines.append(f"FALSE {r.name}:{s}")
        for s in r.unknown_steps:
            lines.append(f"unknown {r.name}:{s}")
    return "\n".join(lines)


def load_expected(root: str) -> dict[str, dict[str, list[str]]]:
    path = os.path.join(root, "expected.json")
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)
