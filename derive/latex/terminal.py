"""Step verdicts as terminal lines: a refutation in one or two readable lines.

A refuted step says, in the notes' notation, where it was refuted (the sizes, the index
values and the inputs), what each side evaluates to there, and their difference; when an
annotated report was written it names it. ``--json`` keeps the full record.

>>> rec = {"file": "n.md", "line": 4, "column": 9, "chain": 1, "step": 2,
...        "verdict": "refuted", "formula": "\\\\sigma_k(1-\\\\sigma_k) = \\\\sigma_k",
...        "counterexample": {"sizes": {"K": 2}, "indices": {"k": 1},
...                           "values": {"\\\\theta": [1, 0]}, "lhs": 0.25, "rhs": 0.5}}
>>> print(explain(rec))
    at K = 2, k = 1, θ = [1, 0]:
    σ_k(1-σ_k) = 0.25 but σ_k = 0.5 (difference -0.25)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from derive.latex.step_result import StepResult
from derive.verdicts import PASSING

__all__ = ["explain", "format_results", "plain", "quote_steps"]

_GREEK = {name: chr(code) for name, code in (
    ("alpha", 0x3B1), ("beta", 0x3B2), ("gamma", 0x3B3), ("delta", 0x3B4),
    ("epsilon", 0x3B5), ("varepsilon", 0x3B5), ("zeta", 0x3B6), ("eta", 0x3B7),
    ("theta", 0x3B8), ("vartheta", 0x3D1), ("iota", 0x3B9), ("kappa", 0x3BA),
    ("lambda", 0x3BB), ("mu", 0x3BC), ("nu", 0x3BD), ("xi", 0x3BE), ("pi", 0x3C0),
    ("rho", 0x3C1), ("sigma", 0x3C3), ("tau", 0x3C4), ("upsilon", 0x3C5), ("phi", 0x3C6),
    ("varphi", 0x3C6), ("chi", 0x3C7), ("psi", 0x3C8), ("omega", 0x3C9), ("Gamma", 0x393),
    ("Delta", 0x394), ("Theta", 0x398), ("Lambda", 0x39B), ("Xi", 0x39E), ("Pi", 0x3A0),
    ("Sigma", 0x3A3), ("Phi", 0x3A6), ("Psi", 0x3A8), ("Omega", 0x3A9))}
_SYMBOLS = {"sum": "Σ", "prod": "Π", "partial": "∂", "cdot": "·", "times": "×",
            "neq": "≠", "ne": "≠", "le": "≤", "ge": "≥", "infty": "∞", "nabla": "∇"}
_LONG = 70  # a side longer than this is shortened in the terminal


def plain(tex: str) -> str:
    """LaTeX as a terminal shows it: Greek letters and ∂, Σ as characters, spacing and
    font commands dropped.

    >>> plain(r"\\frac{\\partial L}{\\partial \\theta_{k}} = \\mathbf{x}\\,\\sigma_k")
    '\\\\frac{∂ L}{∂ θ_{k}} = x σ_k'
    """
    text = re.sub(r"\\(?:mathbf|mathrm|boldsymbol|bm|textbf|mathit|operatorname)\{([^{}]*)\}",
                  r"\1", tex)
    text = re.sub(r"\\(?:left|right|displaystyle)(?![A-Za-z])", "", text)
    text = re.sub(r"\\[,;:! ]|\\q?quad(?![A-Za-z])|~", " ", text)

    def symbol(m: re.Match[str]) -> str:
        name = m.group(1)
        return _GREEK.get(name) or _SYMBOLS.get(name) or m.group()

    text = re.sub(r"\\([A-Za-z]+)(?![A-Za-z])", symbol, text)
    return re.sub(r"\s+", " ", text).strip()


def _short(text: str) -> str:
    return text if len(text) <= _LONG else text[: _LONG - 1].rstrip() + "…"


def _number(v: Any) -> str:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    if float(v) == int(v) and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.6g}"


def _value(v: Any) -> str:
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_value(e) for e in v) + "]"
    return _number(v)


def _name(name: str) -> str:
    return plain(name) if name.startswith("\\") else name


def explain(record: Mapping[str, Any], report: str | None = None,
            markdown: bool = False) -> str:
    """Why a refuted step is refuted, as two indented lines (or "" for another verdict);
    ``markdown``: one line, the two sides as ``$…$`` maths (for a notebook cell)."""
    cex = record.get("counterexample")
    if record.get("verdict") != "refuted" or not isinstance(cex, Mapping):
        return ""
    where = [f"{k} = {_value(v)}" for part in ("sizes", "indices", "values")
             for k, v in (cex.get(part) or {}).items()]
    where = [re.sub(r"^\\[A-Za-z]+", lambda m: _name(m.group()), w) for w in where]
    left, right = "previous line", "this line"
    formula = record.get("formula")
    if formula and " = " in formula:
        a, b = formula.split(" = ", 1)
        left, right = (f"${a}$", f"${b}$") if markdown else (_short(plain(a)), _short(plain(b)))
    lines = []
    if where:
        lines.append("at " + ", ".join(where) + ":")
    shapes = cex.get("shapes")
    lhs, rhs = cex.get("lhs"), cex.get("rhs")
    if shapes:
        lines.append(f"{left} is a {shapes[0]} but {right} is a {shapes[1]}")
    elif "entry" in cex:
        r, c = cex["entry"]
        lines.append(f"entry ({r}, {c}): {left} has {_value(lhs[r - 1][c - 1])} but {right} "
                     f"has {_value(rhs[r - 1][c - 1])} (difference {cex.get('difference')}, "
                     "exact arithmetic)")
    elif isinstance(lhs, (int, float)) and isinstance(rhs, (int, float)):
        lines.append(f"{left} = {_number(lhs)} but {right} = {_number(rhs)} "
                     f"(difference {_number(lhs - rhs)})")
    elif lhs is not None or rhs is not None:
        lines.append(f"{left} = {_value(lhs)} but {right} = {_value(rhs)}")
    if report:
        lines[-1:] = [lines[-1] + f"; explained in {report}"] if lines else [
            f"explained in {report}"]
    if markdown:
        return " ".join(lines)
    return "\n".join("    " + line for line in lines)


def _where(r: Mapping[str, Any]) -> str:
    cell = f"cell {r['cell']}:" if r.get("cell") is not None else ""
    return f"{r['file']}:{cell}{r['line']}"


def format_results(results: Sequence[Mapping[str, Any]],
                   reports: Mapping[str, str] | None = None, as_read: bool = False) -> str:
    """``file:line: verdict`` per step; the first step neither proved nor a definition in
    each file is marked;
    a refuted step is explained (:func:`explain`), naming the file's annotated report
    when ``reports`` (notes file -> report written) has one. With ``as_read`` (``derive
    verify --explain``), each step is followed by the formula as derive read it, and an
    ambiguous step by each of its readings."""
    lines = []
    marked: set[str] = set()
    for r in results:
        text = f"{_where(r)}: {r['verdict']}  (chain {r['chain']}, step {r['step']})"
        if r["verdict"] not in PASSING and r["file"] not in marked:
            marked.add(r["file"])
            text += "  <-- first step not proved"
        if r.get("note"):
            text += f"  [{r['note']}]"
        lines.append(text)
        why = explain(r, (reports or {}).get(str(r["file"])))
        if why:
            lines.append(why)
        if as_read:
            lines.extend(_as_read_lines(r))
    return "\n".join(lines)


def _as_read_lines(r: Mapping[str, Any]) -> list[str]:
    """The formula as read (``read``), and for an ambiguous step each reading's."""
    out = [f"    as read: {r['read']}"] if r.get("read") else []
    for reading in r.get("readings") or ():
        out.append(f"    reading {reading['reading']}: {reading['verdict']}")
        if reading.get("read"):
            out.append(f"        as read: {reading['read']}")
    return out


def _paired(tex: str) -> bool:
    """Are the round and square brackets of a quoted member paired (an '=' inside
    ``p(y = k)`` cuts a member short)?"""
    depth = {"(": 0, "[": 0}
    for ch in re.sub(r"\\[{}\[\]()]|\\left.|\\right.", "", tex):
        if ch in "([":
            depth[ch] += 1
        elif ch in ")]":
            depth["(" if ch == ")" else "["] -= 1
    return not any(depth.values())


def quote_steps(math: str, results: Sequence[StepResult]) -> list[StepResult]:
    """The records with ``formula``: the step's two members as the notes write them
    (``math`` is the notes' text with what is not mathematics blanked), where they can be
    quoted alone."""
    from derive.report.notes import place_steps

    out = []
    for placed, r in zip(place_steps(math, results), results, strict=True):
        if placed.previous and placed.this and "formula" not in r and all(
                _paired(m) for m in (placed.previous, placed.this)):
            r = r.evolve(formula=f"{placed.previous} = {placed.this}")
        out.append(r)
    return out
