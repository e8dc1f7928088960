"""pgfplots figures whose data is written into the ``.tex`` (no plotting library needed).

Coordinates are rounded to three significant digits so the text is short and stable.

>>> print(fd_error_figure({"float64": [(1e-2, 1e-5), (1e-5, 1e-11)]}).splitlines()[0])
\\begin{figure}[htbp]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["bench_figure", "bench_meta", "bench_rows", "fd_error_figure"]

_STYLES = {"float32": "color=refuted, mark=square*", "float64": "color=proved, mark=*"}


def _coord(v: float) -> str:
    return f"{float(v):.3g}"


def fd_error_figure(
    curves: Mapping[str, Sequence[tuple[float, float]]],
    tolerances: Mapping[str, float] | None = None,
) -> str:
    """Relative error of central finite differences against the step ``h``, log–log.

    ``curves`` maps a dtype name to ``(h, relative error)`` points; ``tolerances`` (optional)
    draws each dtype's check tolerance as a dashed line.
    """
    plots = []
    for dtype in sorted(curves):
        pts = " ".join(f"({_coord(h)},{_coord(e)})" for h, e in curves[dtype] if e > 0 and h > 0)
        style = _STYLES.get(dtype, "mark=*")
        plots.append(f"\\addplot+[{style}, mark size=1.5pt] coordinates {{{pts}}};")
        plots.append(f"\\addlegendentry{{\\texttt{{{dtype}}}}}")
    for dtype, tol in sorted((tolerances or {}).items()):
        style = _STYLES.get(dtype, "").split(",")[0]
        plots.append(
            f"\\addplot[{style}, dashed, domain=1e-12:1, samples=2, forget plot] {{{_coord(tol)}}};"
        )
    body = "\n".join(plots)
    if tolerances:
        tol_text = ("which is why the finite-difference check holds each data type to its own "
               "tolerance (dashed line of the same colour).")
    else:
        tol_text = "which is why the finite-difference check uses a looser tolerance for float32."
    return (
        "\\begin{figure}[htbp]\n\\centering\n\\begin{tikzpicture}\n"
        "\\begin{loglogaxis}[width=0.8\\linewidth, height=6.2cm,\n"
        "  xlabel={step size $h$ (units of $\\theta_{ij}$, dimensionless)},\n"
        "  ylabel={relative error (dimensionless)},\n"
        "  xtickten={-12,-10,-8,-6,-4,-2,0}, grid=major, legend pos=south east]\n"
        f"{body}\n"
        "\\end{loglogaxis}\n\\end{tikzpicture}\n"
        "\\caption{Central finite differences of the loss against the proven gradient, by step "
        "size $h$. For large $h$ the truncation error ($\\propto h^2$) dominates, for small $h$ "
        "the rounding error ($\\propto \\varepsilon/h$): the curve has its minimum near "
        "$h \\approx \\varepsilon^{1/3}$, about $10^{-5}$ in \\texttt{float64} and $10^{-2}$ in "
        "\\texttt{float32}, " + tol_text.replace("float32", "\\texttt{float32}") + "}\n"
        "\\label{fig:fd}\n\\end{figure}"
    )


_IMPLS = (
    ("generated_ms", "generated kernel"),
    ("numpy_ms", "hand-written NumPy"),
    ("jax_ms", "JAX jit"),
    ("torch_ms", "PyTorch"),
    ("limit_ms", "physical limit"),
)


def bench_rows(data: Any) -> dict[str, dict[str, float]]:
    """The timed runs of ``derive bench --json``: ``{run name: {key: value}}``.

    Tolerant of the file's layout: per-dtype objects at the top level, or a list of runs
    (at the top level or under ``runs``/``results``) each naming its ``dtype`` and, when
    several sizes were timed, its ``K``. Anything else gives ``{}`` (the report then says
    the file holds nothing it can read).

    >>> bench_rows({"float32": {"numpy_ms": 40.0}, "shape": {"N": 60000}, "repeats": 15})
    {'float32': {'numpy_ms': 40.0}}
    >>> bench_rows({"runs": [{"dtype": "float64", "K": 100, "numpy_ms": 9.0}]})
    {'float64 K100': {'dtype': 'float64', 'K': 100, 'numpy_ms': 9.0}}
    """
    if not isinstance(data, Mapping | list):
        return {}
    if isinstance(data, Mapping):
        rows = {
            str(k): dict(v)
            for k, v in data.items()
            if str(k) in ("float16", "float32", "float64") and isinstance(v, Mapping)
        }
        if rows:
            return rows
        data = data.get("runs", data.get("results", []))
    out: dict[str, dict[str, float]] = {}
    for run in data if isinstance(data, list) else []:
        if not isinstance(run, Mapping) or not any(str(k).endswith("_ms") for k in run):
            continue
        k = run.get("K", run.get("k", (run.get("shape") or {}).get("K")))
        name = str(run.get("dtype", "run")) + (f" K{k}" if k is not None else "")
        out[name] = dict(run)
    return out


def bench_meta(data: Any) -> dict[str, Any]:
    """What the benchmark file says about its setting (sizes, machine, versions, notes)."""
    if not isinstance(data, Mapping):
        return {}
    return {str(k): v for k, v in data.items()
            if str(k) not in ("float16", "float32", "float64", "runs", "results")}


def bench_figure(rows: Mapping[str, Mapping[str, float]], sizes: str = "") -> str:
    """Bar chart: each implementation's time as a ratio to hand-written NumPy, per dtype."""
    dtypes = sorted(rows)
    impls = [
        (key, label) for key, label in _IMPLS
        if key != "numpy_ms" and any(rows[d].get(key) for d in dtypes)
    ]
    ratios = [float(rows[d][k]) / float(rows[d]["numpy_ms"]) for d in dtypes for k, _ in impls
              if rows[d].get(k) and rows[d].get("numpy_ms")]
    ymax = max([1.2, *(1.1 * r for r in ratios)])
    plots = []
    for key, label in impls:
        pts = " ".join(
            f"({d},{float(rows[d][key]) / float(rows[d]['numpy_ms']):.3f})"
            for d in dtypes
            if rows[d].get(key) and rows[d].get("numpy_ms")
        )
        plots.append(f"\\addplot coordinates {{{pts}}};\n\\addlegendentry{{{label}}}")
    return (
        "\\begin{figure}[htbp]\n\\centering\n\\begin{tikzpicture}\n"
        "\\begin{axis}[ybar, width=0.8\\linewidth, height=6.2cm, bar width=10pt,\n"
        f"  symbolic x coords={{{','.join(dtypes)}}}, xtick=data,\n"
        f"  enlarge x limits=0.4, ymin=0, ymax={ymax:.2f},\n"
        "  xlabel={" + ("run (" + sizes + ")" if sizes else "run") + "},\n"
        "  ylabel={time / NumPy time (ratio, lower is faster)},\n"
        "  extra y ticks={1}, extra y tick style={grid=major},\n"
        "  legend style={at={(0.5,-0.28)}, anchor=north, legend columns=-1, font=\\small}]\n"
        + "\n".join(plots)
        + "\n\\end{axis}\n\\end{tikzpicture}\n"
        "\\caption{Gradient-kernel time as a ratio to the hand-written NumPy reference "
        "(median of repeated runs, one run of \\texttt{derive bench}); the line at 1 is NumPy. "
        "Absolute times in milliseconds are in Table~\\ref{tab:bench}.}\n"
        "\\label{fig:bench}\n\\end{figure}"
    )
