"""The "Numerical behaviour" section: finite-difference error curves and benchmark ratios,
read from the measurements committed next to the report (the report times nothing).

>>> from derive.report.data import ReportData
>>> "No benchmark ratios" in numeric_section(ReportData(claims=[], mutants=[]))
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from derive.report.bench_section import bench_section
from derive.report.data import BENCH_FILE, FD_FILE, ReportData
from derive.report.figures import bench_figure, fd_error_figure
from derive.report.kernel_section import sizes_sentence
from derive.report.marks import tt
from derive.report.tables import escape_text, fmt_number

__all__ = ["numeric_section"]


def numeric_section(data: ReportData) -> str:
    """Finite-difference error curves and the benchmark, from the committed measurements."""
    parts = [r"\section{Numerical behaviour}\label{sec:numeric}"]
    if data.fd_curves:
        tol = ""
        if data.fd_tolerances:
            tol = (" The dashed lines are the tolerances the finite-difference check holds "
                   "each data type to (" + ", ".join(
                       rf"${fmt_number(v)}$ for \texttt{{{escape_text(k)}}}"
                       for k, v in sorted(data.fd_tolerances.items())) + ").")
        parts.append(
            "Figure~\\ref{fig:fd} shows the error of central finite differences against the "
            "proven gradient as the step $h$ shrinks, and why the finite-difference check "
            "needs a tolerance per data type."
            + sizes_sentence(data.check_sizes, "The loss is evaluated on") + tol
            + " The curves are measured once and "
            f"kept as data (\\texttt{{{FD_FILE}}}), so the report is the same on every CPU."
        )
        parts.append(fd_error_figure(data.fd_curves, data.fd_tolerances))
    else:
        parts.append("The finite-difference error curves need \\texttt{derive.kernels}.")
    section = bench_section(data.bench_raw, BENCH_FILE) if data.bench_raw is not None else ""
    if section:
        parts.append(section)
    elif data.bench:
        parts.append(
            "Figure~\\ref{fig:bench} and Table~\\ref{tab:bench} compare the generated "
            "gradient kernel with hand-written NumPy and, where installed, JAX and PyTorch\\@. "
            f"The numbers are read from the committed file \\texttt{{{BENCH_FILE}}} (one run "
            f"of {tt('derive bench --json')}); the report itself times nothing, so it is the "
            "same on every regeneration. " + _bench_setup(data.bench_meta)
        )
        parts.append(bench_figure(data.bench, _sizes_text(data.bench_meta)))
        parts.append(_bench_table(data.bench, data.bench_meta))
    else:
        # no path here: the same proofs give the same bytes wherever the report is written
        parts.append(
            f"No benchmark ratios: no readable \\texttt{{{BENCH_FILE}}} was found next to this "
            f"report. Create it with {tt(f'derive bench --json > {BENCH_FILE}')} in the "
            "report's folder and regenerate the report."
        )
    return "\n\n".join(parts)


def _sizes_text(meta: Mapping[str, Any]) -> str:
    shape = meta.get("shape")
    if isinstance(shape, Mapping) and shape:
        return ", ".join(f"${escape_text(str(k))} = {fmt_number(v)}$"
                         for k, v in shape.items())
    return ""


def _bench_setup(meta: Mapping[str, Any]) -> str:
    """Sizes, machine, threads and versions, as far as the benchmark file records them."""
    said = []
    sizes = _sizes_text(meta)
    if sizes:
        said.append(f"Sizes: {sizes}.")
    if meta.get("cpu_count") is not None:
        said.append(f"Machine: {fmt_number(meta['cpu_count'])} CPU cores, shared with other "
                    "work while measuring (ratios within one run are the evidence, not the "
                    "absolute times).")
    for key, what in (("threads", "BLAS threads"), ("blas_threads", "BLAS threads"),
                      ("numpy", "NumPy"), ("python", "Python"), ("platform", "platform"),
                      ("statistic", "statistic"), ("repeats", "timed calls per implementation")):
        if meta.get(key) is not None:
            said.append(f"{what}: {escape_text(str(meta[key]))}.")
    notes = meta.get("notes")
    if isinstance(notes, list) and notes:
        said.append("Versions and threads of the others: "
                    + "; ".join(escape_text(str(n)) for n in sorted(set(map(str, notes)))) + ".")
    if not said:
        said.append("The benchmark file records no machine, sizes or versions.")
    return " ".join(said)


def _bench_table(rows: dict[str, dict[str, float]], meta: Mapping[str, Any]) -> str:
    keys = [k for k in ("generated_ms", "numpy_ms", "jax_ms", "torch_ms", "limit_ms")
            if any(k in r for r in rows.values())]
    head = " & ".join(["run"] + [escape_text(k.removesuffix("_ms")) + " (ms)" for k in keys])
    body = "\n".join(
        " & ".join([rf"\texttt{{{escape_text(d)}}}"] + [
            f"${fmt_number(round(float(r[k]), 1))}$" if r.get(k) is not None else "--"
            for k in keys
        ]) + r" \\"
        for d, r in sorted(rows.items())
    )
    sizes = _sizes_text(meta)
    at = f" at {sizes}" if sizes else ""
    return (
        "\\begin{table}[tbp]\n\\centering\\small\n"
        f"\\begin{{tabular}}{{l{'r' * len(keys)}}}\n\\toprule\n{head} \\\\\n\\midrule\n{body}\n"
        "\\bottomrule\n\\end{tabular}\n"
        f"\\caption{{Median times in milliseconds of one gradient evaluation{at}.}}\n"
        "\\label{tab:bench}\n\\end{table}"
    )
