"""LaTeX reports: the proofs of the catalogue as a document people can put in their notes.

``derive report`` writes ``reports/softmax-regression.tex`` and, when a TeX engine is
installed, compiles it to ``reports/softmax-regression.pdf``.

>>> from derive.report import write_report
>>> result = write_report("reports", compile_pdf=False)   # doctest: +SKIP
>>> result["tex"]                                          # doctest: +SKIP
'reports/softmax-regression.tex'
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from pathlib import Path
from typing import Any

__all__ = ["REPORT_NAME", "ReportPrinter", "report_latex", "write_annotated_notes", "write_report"]

REPORT_NAME = "softmax-regression"

#: the names this package re-exports, each loaded from its module on first use: ``derive
#: verify`` imports :mod:`derive.report.notes` to quote its steps and must not pay for the
#: catalogue's printer (``printer``, ``fold``, ``derive.models.family``) on every run
_LAZY = {"ReportPrinter": "derive.report.printer", "report_latex": "derive.report.printer",
         "write_annotated_notes": "derive.report.notes", "atomic_write": "derive.report.compile",
         "compile_pdf": "derive.report.compile"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def write_report(
    out_dir: str = "reports",
    compile_pdf: bool = True,
    verdicts: Mapping[str, Any] | None = None,
    kernel_rows: list[dict[str, Any]] | None = None,
    quiet: bool = True,
    stamp: Any = None,
) -> dict[str, Any]:
    """Prove the catalogue and write ``<out_dir>/softmax-regression.tex`` (atomically);
    compile it to PDF when asked and a TeX engine is installed. ``stamp`` (a
    :class:`~derive.report.stamp.Stamp`) fixes the title page's date, versions and commit;
    by default they are this run's.

    Returns ``{"tex": path, "pdf": path or None, "compiled": bool, "problems": [...],
    "messages": [lines to print], "message": the same joined}``; a missing TeX engine is
    not an error (the message says how to
    get the PDF).
    """
    from derive.report.compile import atomic_write
    from derive.report.document import BENCH_FILE, FD_FILE, collect, render

    out = Path(out_dir)
    data = collect(bench_path=out / BENCH_FILE, fd_path=out / FD_FILE, verdicts=verdicts,
                   kernel_rows=kernel_rows, quiet=quiet)
    tex = atomic_write(out / f"{REPORT_NAME}.tex", render(data, stamp=stamp))
    messages = [f"report: wrote {tex}"]
    if "bench" in data.missing:
        messages.append(f"report: no benchmark ratios: {data.missing['bench']} "
                        f"(create it with `derive bench --json > {out / BENCH_FILE}`)")
    result: dict[str, Any] = {"tex": tex, "pdf": None, "compiled": False, "problems": []}
    if compile_pdf:
        built = _compile(tex)
        result.update(pdf=built.pdf, compiled=built.pdf is not None, problems=built.problems)
        messages.append(f"report: {built.message}")
        messages.extend(f"report: {p}" for p in built.problems)
    result["messages"] = messages
    result["message"] = "\n".join(messages)
    return result


def _compile(tex: str):  # a seam for tests
    from derive.report.compile import compile_pdf

    return compile_pdf(tex)
