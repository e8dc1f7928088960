"""Small LaTeX tables: counterexamples and kernel checks, with deterministic number formats.

Numbers that come from floating point (relative errors) are printed as the decade that
bounds them, ``<10^{-15}``, so the report does not change when a last bit of a BLAS sum
does; inputs of counterexamples, which are small and exact, are printed exactly.

>>> fmt_number(0.25)
'0.25'
>>> fmt_bound(3.1e-16)
'<10^{-15}'
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

__all__ = [
    "MATH_CHARS",
    "counterexample_table",
    "escape_text",
    "fmt_bound",
    "fmt_number",
    "fmt_value",
    "kernel_table",
    "name_latex",
]

_GREEK = {"theta", "sigma", "lambda", "delta", "zeta", "mu", "alpha", "beta", "tau"}
_TEXT_ESCAPES = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
    "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}


MATH_CHARS = {
    "λ": r"\lambda", "θ": r"\theta", "Θ": r"\Theta", "σ": r"\sigma", "δ": r"\delta",
    "Σ": r"\Sigma", "ζ": r"\zeta", "‖": r"\Vert", "²": "^2", "≠": r"\neq", "≤": r"\le",
    "≥": r"\ge", "∂": r"\partial", "→": r"\to", "×": r"\times", "·": r"\cdot", "∈": r"\in",
}
_UNICODE_TEXT = {ch: rf"\ensuremath{{{tex}}}" for ch, tex in MATH_CHARS.items()}
MATH_CHARS |= {"∇": r"\nabla", "ᵀ": r"^{\mathsf{T}}", "α": r"\alpha", "β": r"\beta",
                "ε": r"\varepsilon", "π": r"\pi", "∑": r"\Sigma", "∞": r"\infty",
                "η": r"\eta", "μ": r"\mu"}
_UNICODE_TEXT = {ch: rf"\ensuremath{{{tex}}}" for ch, tex in MATH_CHARS.items()}
_UNICODE_TEXT |= {"−": "-", "–": "--", "—": "---", "§": r"\S{}"}
_HAT = "\u0302"  # a combining circumflex: p̂


def escape_text(text: str) -> str:
    """Text safe to put in a LaTeX paragraph (pdflatex): specials escaped, the math
    characters of the notes (``λ``, ``‖``, ``²`` …) as math, other non-ASCII as ``?``.

    >>> print(escape_text("a_b & 50% of λ²"))
    a\\_b \\& 50\\% of \\ensuremath{\\lambda}\\ensuremath{^2}
    """
    out: list[str] = []
    for ch in str(text):
        if ch == _HAT and out:  # p̂: the letter before it, with a hat
            out[-1] = rf"\ensuremath{{\hat{{{out[-1]}}}}}" if out[-1].isalpha() else out[-1]
            continue
        if ch in _TEXT_ESCAPES:
            out.append(_TEXT_ESCAPES[ch])
        elif ch in _UNICODE_TEXT:
            out.append(_UNICODE_TEXT[ch])
        elif ord(ch) < 128:
            out.append(ch)
        else:
            out.append("?")
    return "".join(out)


def name_latex(name: str) -> str:
    """A quantity's name in math mode: ``theta`` → ``\\theta``, ``X`` → ``X``.

    >>> name_latex("theta"), name_latex("lambda"), name_latex("y_true")
    ('\\\\theta', '\\\\lambda', '\\\\mathit{y\\\\_true}')
    """
    if name in _GREEK:
        return "\\" + name
    if re.fullmatch(r"\\[A-Za-z]+", name):  # the notes' own spelling, e.g. \\lambda
        return name
    if len(name) == 1 and name.isalpha():
        return name
    return r"\mathit{" + escape_text(name) + "}"


def fmt_number(v: Any) -> str:
    """An exact-looking short form of a number (math mode).

    >>> fmt_number(2.0), fmt_number(-0.125), fmt_number(Fraction(1, 3)), fmt_number(1e-20)
    ('2', '-0.125', '\\\\tfrac{1}{3}', '1\\\\times 10^{-20}')
    """
    if isinstance(v, bool):
        return r"\text{true}" if v else r"\text{false}"
    if isinstance(v, Fraction) or (hasattr(v, "p") and hasattr(v, "q")):
        p, q = (v.numerator, v.denominator) if isinstance(v, Fraction) else (v.p, v.q)
        if q == 1:
            return str(p)
        return ("-" if p < 0 else "") + rf"\tfrac{{{abs(p)}}}{{{q}}}"
    if isinstance(v, int):
        return str(v)
    try:
        f = float(v)
    except (TypeError, ValueError):
        return r"\text{" + escape_text(str(v)) + "}"
    if math.isnan(f) or math.isinf(f):
        return r"\text{" + str(f) + "}"
    if f == int(f) and abs(f) < 1e15:
        return str(int(f))
    text = f"{f:.6g}"
    if "e" in text:
        mant, ex = text.split("e")
        return rf"{mant}\times 10^{{{int(ex)}}}"
    return text


def fmt_bound(v: Any) -> str:
    """A nonnegative error as the decade above it: ``<10^{-15}``; exact zero stays 0."""
    f = abs(float(v))
    if f == 0.0:
        return "0"
    if math.isnan(f) or math.isinf(f):
        return r"\text{" + str(f) + "}"
    return f"<10^{{{math.floor(math.log10(f)) + 1}}}"


def _is_matrix(v: Any) -> bool:
    return isinstance(v, Sequence) and not isinstance(v, str)


def fmt_value(v: Any) -> str:
    """A number, vector (a row) or matrix as math: vectors are printed as columns' transposes.

    >>> fmt_value([1, 2])
    '\\\\begin{pmatrix}1 & 2\\\\end{pmatrix}^{\\\\mathsf{T}}'
    """
    if hasattr(v, "tolist"):
        v = v.tolist()
    if not _is_matrix(v):
        return fmt_number(v)
    if v and all(_is_matrix(r) for r in v):
        rows = [" & ".join(fmt_number(e) for e in r) for r in v]
        return r"\begin{pmatrix}" + r" \\ ".join(rows) + r"\end{pmatrix}"
    row = " & ".join(fmt_number(e) for e in v)
    return r"\begin{pmatrix}" + row + r"\end{pmatrix}^{\mathsf{T}}"


#: Sizes are listed samples, features, classes (the order of X: N × D and Θ: D × K).
_SIZE_ORDER = ("N", "D", "K")


def _size_rank(name: str) -> tuple[int, str]:
    up = name.upper()
    return (_SIZE_ORDER.index(up) if up in _SIZE_ORDER else len(_SIZE_ORDER), name)


def counterexample_table(
    cex: Mapping[str, Any],
    *,
    lhs: str | None = "",
    rhs: str | None = "",
    lhs_label: str = "true value",
    rhs_label: str = "claimed",
    with_sides: bool = True,
) -> str:
    """A two-column table: sizes, indices and inputs, then both sides' values.

    ``lhs``/``rhs`` are the two sides' LaTeX (shown before their values), labelled
    ``lhs_label``/``rhs_label``. Indices the engine introduced (a primed name such as
    ``d'``, the entry of a vector-valued side) are shown as that entry, not by name.

    >>> print(counterexample_table({"sizes": {"K": 2}, "indices": {}, "values": {},
    ...                              "lhs": 0.5, "rhs": -0.5}).splitlines()[3])
    sizes & $K = 2$ \\\\
    """
    rows: list[tuple[str, str]] = []
    sizes = dict(sorted((cex.get("sizes") or {}).items(), key=lambda kv: _size_rank(kv[0])))
    if sizes:
        rows.append(("sizes", ", ".join(f"{name_latex(k)} = {fmt_number(v)}"
                                         for k, v in sizes.items())))
    indices = {k: v for k, v in (cex.get("indices") or {}).items() if "'" not in k}
    entries = [v for k, v in (cex.get("indices") or {}).items() if "'" in k]
    if indices:
        rows.append(("indices", ", ".join(f"{name_latex(k)} = {fmt_number(v)}"
                                          for k, v in indices.items())))
    if entries:
        where = ", ".join(fmt_number(v) for v in entries)
        rows.append(("entry", rf"\text{{both sides compared at entry }} {where}"))
    if cex.get("entry"):
        where = ", ".join(fmt_number(v) for v in cex["entry"])
        rows.append(("entry", rf"\text{{first differing entry: }} ({where})"))
    for name, value in (cex.get("values") or {}).items():
        rows.append((f"${name_latex(name)}$", f"{name_latex(name)} = {fmt_value(value)}"))
    if with_sides:
        left = f"{lhs} = " if lhs else ""
        right = f"{rhs} = " if rhs else ""
        rows.append((lhs_label, f"{left}{fmt_value(cex.get('lhs'))}"))
        rows.append((rhs_label, f"{right}{fmt_value(cex.get('rhs'))}"))
    body = "\n".join(f"{a} & ${b}$ \\\\" for a, b in rows)
    return (
        "\\begin{center}\n\\begin{tabular}{ll}\n\\toprule\n"
        + body
        + "\n\\bottomrule\n\\end{tabular}\n\\end{center}"
    )


_KERNEL_HEADERS = (
    ("kernel", "kernel"),
    ("dtype", "dtype"),
    ("ref", "NumPy"),
    ("fd", "fin.\\ diff."),
    ("finite", "fin.\\ diff."),
    ("complex", "cplx.\\ step"),
    ("tolerance_fd", "tol.\\ f.d."),
    ("tol", "tol."),
    ("ok", "ok"),
)


def _header(key: str) -> str:
    low = key.lower()
    for pat, head in _KERNEL_HEADERS:
        if low == pat or low.startswith(pat):
            return head
    return escape_text(key.replace("_", " "))


def _cell(key: str, value: Any) -> str:
    low = key.lower()
    if value is None:
        return "--"
    if isinstance(value, bool):  # a numeric check passes or fails; it proves nothing
        return "yes" if value else r"\textbf{no}"
    if isinstance(value, str):
        return r"\texttt{" + escape_text(value) + "}"
    if low.startswith("tol"):
        return f"${fmt_number(value)}$"
    if isinstance(value, int | float):
        return f"${fmt_bound(value)}$"
    return escape_text(str(value))


def kernel_table(rows: Sequence[Mapping[str, Any]]) -> str:
    """The kernel checks as a ``booktabs`` table: one row per kernel and dtype.

    >>> "fin.\\\\ diff." in kernel_table([{"kernel": "grad", "fd_rel_error": 1e-9}])
    True
    """
    keys: list[str] = []
    for row in rows:
        keys.extend(k for k in row if k not in keys)
    cols = "".join("l" if k in ("kernel", "dtype") else "r" for k in keys)
    head = " & ".join(_header(k) for k in keys) + r" \\"
    body = "\n".join(" & ".join(_cell(k, row.get(k)) for k in keys) + r" \\" for row in rows)
    return (
        "\\begin{center}\\small\n"
        f"\\begin{{tabular}}{{{cols}}}\n\\toprule\n{head}\n\\midrule\n{body}\n"
        "\\bottomrule\n\\end{tabular}\n\\end{center}"
    )
