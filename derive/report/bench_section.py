"""The benchmark part of "Numerical behaviour", read tolerantly from ``derive bench --json``.

Every run the file holds is shown (each K, each data type), each implementation with its
median and min–max over rounds, its ratios to NumPy and JAX, and the measured limit. What
the file does not hold is said, never invented. Where a competitor's median is below the
generated kernel's, the text says so by name, with both spreads.

>>> runs = bench_runs({"runs": [{"K": 10, "dtype": "float64", "impls": {
...     "generated": {"ms": 2.0, "min_ms": 1.9, "max_ms": 2.2},
...     "torch": {"ms": 1.0, "min_ms": 0.9, "max_ms": 1.1}}}]})
>>> [(r.dtype, r.k, sorted(r.impls)) for r in runs]
[('float64', 10, ['generated', 'torch'])]
>>> print(faster_sentences(runs)[0].replace(" median", "\\nmedian"))
At $K = 10$ in \\texttt{float64}, PyTorch is faster than the generated kernel:
median $1$ ms (min--max $0.9$--$1.1$) against $2$ ms ($1.9$--$2.2$).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from derive.report.tables import escape_text, fmt_number

__all__ = ["IMPL_NAMES", "BenchRun", "Timing", "bench_runs", "bench_section",
           "faster_sentences"]

#: implementation key -> the name the text uses (unknown keys are shown as they are)
IMPL_NAMES: dict[str, str] = {
    "generated": "the generated kernel",
    "numpy": "hand-written NumPy",
    "gemm": "the two GEMMs alone",
    "gemm_blocked": "the two GEMMs per row block",
    "jax": "JAX (jit)",
    "torch": "PyTorch",
    "limit": "the measured limit",
}
_COMPETITORS = ("numpy", "jax", "torch")  # what the generated kernel is compared against
_ORDER = ("generated", "numpy", "jax", "torch", "gemm", "gemm_blocked", "limit")


@dataclass(frozen=True)
class Timing:
    """One implementation in one run: median and spread (ms), and what else the file says."""

    ms: float
    min_ms: float | None = None
    max_ms: float | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def spread(self) -> str:
        if self.min_ms is None or self.max_ms is None:
            return "--"
        return f"${_ms(self.min_ms)}$--${_ms(self.max_ms)}$"


@dataclass(frozen=True)
class BenchRun:
    """One (data type, K) of the benchmark."""

    dtype: str
    k: int | None
    impls: Mapping[str, Timing]

    def where(self) -> str:
        at = f"$K = {self.k}$ in " if self.k is not None else ""
        return f"{at}\\texttt{{{escape_text(self.dtype)}}}"


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if f == f else None


def _ms(v: float) -> str:
    """Milliseconds to three significant digits, at most one decimal above 100."""
    if abs(v) >= 100:
        return fmt_number(round(v))
    return fmt_number(float(f"{v:.3g}"))


def _timing(obj: Any) -> Timing | None:
    if isinstance(obj, Mapping):
        ms = _num(obj.get("ms", obj.get("median_ms")))
        if ms is None:
            return None
        return Timing(ms, _num(obj.get("min_ms")), _num(obj.get("max_ms")), dict(obj))
    ms = _num(obj)
    return None if ms is None else Timing(ms)


def _flat_impls(run: Mapping[str, Any]) -> dict[str, Timing]:
    """``{"numpy_ms": 9.0, "numpy_min_ms": ...}``: the older flat layout."""
    out = {}
    for key, v in run.items():
        key = str(key)
        if key.endswith("_ms") and not key.endswith(("_min_ms", "_max_ms")):
            name = key[: -len("_ms")]
            ms = _num(v)
            if ms is not None and name not in ("limit_flop", "limit_read_x"):
                out[name] = Timing(ms, _num(run.get(f"{name}_min_ms")),
                                   _num(run.get(f"{name}_max_ms")))
    return out


def _k(run: Mapping[str, Any]) -> int | None:
    k = run.get("K", run.get("k"))
    if k is None and isinstance(run.get("shape"), Mapping):
        k = run["shape"].get("K")
    try:
        return None if k is None else int(k)
    except (TypeError, ValueError):
        return None


def bench_runs(data: Any) -> list[BenchRun]:
    """Every (dtype, K) run in a bench file, in the order (dtype, K); ``[]`` if none.

    Reads ``runs`` (or ``results``): a list of objects with ``dtype``, ``K`` and either
    ``impls: {name: {ms, min_ms, max_ms, ...}}`` or flat ``<name>_ms`` keys. Only when there
    is no such list, the top-level ``float32``/``float64`` summaries are read (one K).
    """
    if isinstance(data, list):
        listed: Any = data
    elif isinstance(data, Mapping):
        listed = data.get("runs", data.get("results"))
    else:
        return []
    out = []
    for run in listed if isinstance(listed, list) else []:
        if not isinstance(run, Mapping):
            continue
        raw = run.get("impls")
        impls = ({str(n): t for n, v in raw.items() if (t := _timing(v)) is not None}
                 if isinstance(raw, Mapping) else _flat_impls(run))
        if impls:
            out.append(BenchRun(str(run.get("dtype", "run")), _k(run), impls))
    if not out and isinstance(data, Mapping):
        k = _k(data) if not isinstance(data.get("shape", {}).get("K"), list) else None
        for dtype in ("float16", "float32", "float64"):
            if isinstance(data.get(dtype), Mapping):
                impls = _flat_impls(data[dtype])
                if impls:
                    out.append(BenchRun(dtype, k, impls))
    return sorted(out, key=lambda r: (r.dtype, r.k if r.k is not None else -1))


def _name(impl: str) -> str:
    return IMPL_NAMES.get(impl, escape_text(impl))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def faster_sentences(runs: Sequence[BenchRun]) -> list[str]:
    """One sentence per run where a competitor's median is below the generated kernel's."""
    out = []
    for run in runs:
        gen = run.impls.get("generated")
        if gen is None:
            continue
        for impl in _COMPETITORS:
            t = run.impls.get(impl)
            if t is None or t.ms >= gen.ms:
                continue
            overlap = (t.max_ms is not None and gen.min_ms is not None
                       and t.max_ms >= gen.min_ms)
            spread = (f" (min--max {t.spread()})" if t.min_ms is not None else "")
            gspread = (f" ({gen.spread()})" if gen.min_ms is not None else "")
            out.append(
                f"At {run.where()}, {_name(impl)} is faster than the generated kernel: median "
                f"${_ms(t.ms)}$ ms{spread} against ${_ms(gen.ms)}$ ms{gspread}."
                + (" The ranges overlap, so on this machine the order is not settled."
                   if overlap else ""))
    return out


def _ratio(run: BenchRun, impl: str, base: str) -> str:
    t, b = run.impls.get(impl), run.impls.get(base)
    if t is None or b is None or b.ms <= 0:
        return "--"
    return f"${t.ms / b.ms:.2f}$"


def _table(runs: Sequence[BenchRun], dtype: str) -> str:
    rows = []
    for run in (r for r in runs if r.dtype == dtype):
        names = [i for i in _ORDER if i in run.impls] + sorted(
            i for i in run.impls if i not in _ORDER)
        for pos, impl in enumerate(names):
            t = run.impls[impl]
            k = (f"${run.k}$" if run.k is not None else "--") if pos == 0 else ""
            rows.append(f"{k} & {_cap(_name(impl))} & ${_ms(t.ms)}$ & {t.spread()} & "
                        f"{_ratio(run, impl, 'numpy')} & {_ratio(run, impl, 'jax')} & "
                        f"{_ratio(run, impl, 'limit')} \\\\")
        rows.append(r"\addlinespace")
    if rows:
        rows.pop()
    return (
        "\\begin{center}\\small\n\\begin{longtable}{rlrrrrr}\n"
        f"\\caption{{Gradient evaluation in \\texttt{{{escape_text(dtype)}}}: median time and "
        "its min--max over the rounds, and the median's ratio to NumPy, JAX and the measured "
        "limit (-- where the file has no such timing).}"
        f"\\label{{tab:bench-{escape_text(dtype)}}}\\\\\n"
        "\\toprule\n$K$ & implementation & median (ms) & min--max (ms) & / NumPy & / JAX & "
        "/ limit \\\\\n\\midrule\n\\endfirsthead\n\\toprule\n$K$ & implementation & median (ms) "
        "& min--max (ms) & / NumPy & / JAX & / limit \\\\\n\\midrule\n\\endhead\n"
        + "\n".join(rows) + "\n\\bottomrule\n\\end{longtable}\n\\end{center}"
    )


def _figure(runs: Sequence[BenchRun]) -> str:
    """Ratio to NumPy per K, one panel per data type (log scale: K spans decades)."""
    panels = []
    impls = [i for i in _ORDER if i not in ("numpy",)
             and any(i in r.impls and "numpy" in r.impls for r in runs)]
    for dtype in sorted({r.dtype for r in runs}):
        mine = [r for r in runs if r.dtype == dtype and r.k is not None and "numpy" in r.impls]
        if not mine:
            continue
        ks = ",".join(str(r.k) for r in mine)
        plots = []
        for impl in impls:
            pts = " ".join(f"({r.k},{r.impls[impl].ms / r.impls['numpy'].ms:.3f})"
                           for r in mine if impl in r.impls)
            if pts:
                plots.append(f"\\addplot+[mark size=1.5pt] coordinates {{{pts}}};\n"
                             f"\\addlegendentry{{{_name(impl)}}}")
        panels.append(
            "\\begin{tikzpicture}\n\\begin{semilogxaxis}[width=0.49\\linewidth, height=5.6cm,\n"
            f"  title={{\\texttt{{{escape_text(dtype)}}}}}, ymin=0,\n"
            # K as written (2, 10, ...), not as a power of ten (10^{0.3})
            f"  xtick={{{ks}}}, xticklabels={{{ks}}},\n"
            "  xlabel={$K$ (classes)}, ylabel={time / NumPy time},\n"
            "  extra y ticks={1}, extra y tick style={grid=major},\n"
            "  legend to name=benchlegend, legend columns=3,\n"
            "  legend style={font=\\footnotesize}]\n" + "\n".join(plots)
            + "\n\\end{semilogxaxis}\n\\end{tikzpicture}")
    if not panels:
        return ""
    return (
        "\\begin{figure}[htbp]\n\\centering\n" + "%\n\\hfill\n".join(panels)
        + "\n\n\\ref{benchlegend}\n"
        "\\caption{Median time of one gradient evaluation as a ratio to hand-written NumPy, "
        "for every $K$ the benchmark ran (lower is faster; the line at 1 is NumPy). The "
        "spreads are in Tables~" + ", ".join(
            f"\\ref{{tab:bench-{escape_text(d)}}}" for d in sorted({r.dtype for r in runs}))
        + ".}\n\\label{fig:bench}\n\\end{figure}"
    )


def _blas(runs: Sequence[BenchRun]) -> str:
    seen = []
    for run in runs:
        for impl in ("generated", "numpy"):
            t = run.impls.get(impl)
            for th in (t.extra.get("threads") if t is not None else None) or []:
                if not isinstance(th, Mapping):
                    continue
                text = " ".join(str(th[k]) for k in ("internal_api", "version") if th.get(k))
                if th.get("architecture"):
                    text += f" ({th['architecture']}"
                    text += f", {th['num_threads']} threads)" if th.get("num_threads") else ")"
                if text and text not in seen:
                    seen.append(text)
    return "; ".join(escape_text(s) for s in seen)


def _limit(runs: Sequence[BenchRun]) -> str:
    notes = set()
    for run in runs:
        t = run.impls.get("limit")
        if t is not None and t.extra.get("note"):
            notes.add(str(t.extra["note"]))
    if notes:
        return ("The limit is measured in the same run: " + "; ".join(
            escape_text(n) for n in sorted(notes)) + ".")
    peaks: dict[str, list[float]] = {}
    for r in runs:
        t = r.impls.get("limit")
        if t is not None and t.extra.get("limit_flop_ms") is not None:
            got = _num(t.extra.get("peak_gflops"))
            peaks.setdefault(r.dtype, []).extend([got] if got is not None else [])
    if peaks:
        rates = ", ".join(
            f"${fmt_number(min(v))}$--${fmt_number(max(v))}$ GFLOP/s in "
            f"\\texttt{{{escape_text(d)}}}" for d, v in sorted(peaks.items()) if v)
        return ("The limit is measured in the same run, in its own processes: the larger of "
                "the two GEMMs' floating-point work at this machine's measured peak"
                + (f" ({rates})" if rates else "") + " and one read of $X$ from memory.")
    if any("limit" in r.impls for r in runs):
        return "The file times a limit but does not say how it was measured."
    return "The file holds no measured limit, so no ratio to it is shown."


def _breakable(text: str) -> str:
    """Escaped text that may break after a ``-`` and nowhere else: a platform string such
    as ``Linux-6.18.44-fc-v657-x86_64-with-glibc2.36`` is one long word, and a break inside
    ``x86_64`` or ``6.18.44`` reads as two words, so each piece between hyphens is one
    unbreakable box (no break, no hyphenation). Spaces stay spaces, and a plain word (no
    ``-``, ``_`` or ``.``) stays plain text.

    >>> print(_breakable("Linux-6.18-x86_64 glibc"))
    \\mbox{Linux}-\\allowbreak{}\\mbox{6.18}-\\allowbreak{}\\mbox{x86\\_64} glibc
    """
    words = []
    for word in str(text).split(" "):
        if not any(ch in word for ch in "-_."):
            words.append(escape_text(word))
            continue
        pieces = [rf"\mbox{{{escape_text(p)}}}" if p else "" for p in word.split("-")]
        words.append(r"-\allowbreak{}".join(pieces))
    return " ".join(words)


def _setting(data: Mapping[str, Any], runs: Sequence[BenchRun]) -> str:
    said = []
    shape = data.get("shape")
    if isinstance(shape, Mapping) and shape:
        said.append("Sizes: " + ", ".join(
            f"${escape_text(str(k))} = {escape_text(', '.join(map(str, v)))}$"
            if isinstance(v, list) else f"${escape_text(str(k))} = {fmt_number(v)}$"
            for k, v in shape.items()) + ".")
    machine = data.get("machine")
    if isinstance(machine, Mapping) and machine:
        bits = [_breakable(str(machine[k])) for k in ("cpu", "platform") if machine.get(k)]
        if machine.get("cpu_count") is not None:
            bits.append(f"{escape_text(str(machine['cpu_count']))} CPU cores"
                        + (f" ({escape_text(str(machine['usable_cpus']))} usable)"
                           if machine.get("usable_cpus") is not None else ""))
        if machine.get("python"):
            bits.append(f"Python {escape_text(str(machine['python']))}")
        load = machine.get("load_average_at_start")
        if isinstance(load, list) and load:
            bits.append(f"load average {float(load[0]):.1f} at the start (the machine was "
                        "shared: ratios within one run are the evidence, not absolute times)")
        said.append("Machine: " + "; ".join(bits) + ".")
    else:
        said.append("The file does not record the machine.")
    blas = _blas(runs)
    said.append(f"BLAS: {blas}." if blas else "The file does not record the BLAS library.")
    versions = data.get("versions")
    if isinstance(versions, Mapping) and versions:
        said.append("Versions: " + ", ".join(
            f"{escape_text(str(k))} {escape_text(str(v))}" for k, v in sorted(versions.items()))
            + ".")
    else:
        said.append("The file does not record library versions.")
    if data.get("method"):
        said.append(f"Method: {escape_text(str(data['method']))}.")
    notes = data.get("notes")
    if isinstance(notes, list) and notes:
        said.append("Notes of the run: " + "; ".join(escape_text(str(n)) for n in notes) + ".")
    return " ".join(said)


def _missing(runs: Sequence[BenchRun]) -> str:
    """Which data types, K and competitors the file does not hold."""
    said = []
    dtypes = {r.dtype for r in runs}
    for dt in ("float32", "float64"):
        if dt not in dtypes:
            said.append(f"no \\texttt{{{dt}}} run")
    for impl in ("numpy", "jax", "torch"):
        absent = [r for r in runs if impl not in r.impls]
        if len(absent) == len(runs):
            said.append(f"no timing of {_name(impl)}")
        elif absent:
            said.append(f"no timing of {_name(impl)} at " + ", ".join(r.where() for r in absent))
    if any(r.k is None for r in runs):
        said.append("runs that do not say their $K$")
    return ("The file holds " + "; ".join(said) + ".") if said else ""


def bench_section(data: Any, file_name: str) -> str:
    """The benchmark paragraphs, figure and tables; ``""`` when the file holds no run."""
    runs = bench_runs(data)
    if not runs:
        return ""
    meta = data if isinstance(data, Mapping) else {}
    ks = sorted({r.k for r in runs if r.k is not None})
    dtypes = sorted({r.dtype for r in runs})
    faster = faster_sentences(runs)
    fastest = [r.where() for r in runs if "generated" in r.impls and all(
        r.impls[c].ms >= r.impls["generated"].ms for c in _COMPETITORS if c in r.impls)]
    verdict = (" ".join(faster) if faster
               else "No competitor's median is below the generated kernel's in any run.")
    if faster and fastest:
        verdict += " Elsewhere (" + ", ".join(fastest) + ") the generated kernel's median is " \
                   "the lowest."
    intro = (
        "The generated gradient kernel is timed against hand-written NumPy and, where "
        "installed, JAX and PyTorch, " + (f"at $K = {', '.join(map(str, ks))}$ " if ks else "")
        + "in " + " and ".join(f"\\texttt{{{escape_text(d)}}}" for d in dtypes)
        + f". The numbers are read from the committed file \\texttt{{{escape_text(file_name)}}} "
        "(one run of \\texttt{derive bench -{}-json}); the report itself times nothing. "
        + _limit(runs) + " " + _missing(runs)
    ).strip()
    parts = [intro, verdict, _setting(meta, runs)]
    fig = _figure(runs)
    if fig:
        parts.append(fig)
    parts.extend(_table(runs, d) for d in dtypes)
    return "\n\n".join(parts)
