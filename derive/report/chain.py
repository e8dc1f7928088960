"""A proof as a chain of equalities in an ``align*`` block, broken to fit the page.

Each line is ``&= <expression>`` with what the engine did as a tag on the right. A line
whose expression is too wide for the text block is broken after a ``+``/``-`` of its
outermost sum (or of the sum inside its outermost brackets), never inside a fraction.

>>> import sympy as sp
>>> from derive.models.softmax import y, k
>>> print(chain_latex(r"L", [("definition", -sp.log(y[k]))]))
\\begin{align*}
L &= - \\log y_{k} \\tag*{\\footnotesize definition}
\\end{align*}
"""

from __future__ import annotations

import re

import sympy as sp

from derive.report.printer import ReportPrinter, ordered_terms

__all__ = ["chain_latex", "split_lines", "tex_width"]

LINE_EM = 30.0  #: width budget of one chain line, in em (text block ≈ 43 em, minus the tag)

_CMD = re.compile(r"\\([A-Za-z]+|.)")


def _group(tex: str, pos: int) -> tuple[str, int]:
    """The brace group starting at ``tex[pos] == '{'`` and the index after it."""
    depth = 0
    for end in range(pos, len(tex)):
        if tex[end] == "{":
            depth += 1
        elif tex[end] == "}":
            depth -= 1
            if depth == 0:
                return tex[pos + 1 : end], end + 1
    return tex[pos + 1 :], len(tex)


def tex_width(tex: str) -> float:
    """A rough width in em of display-math ``tex``, to decide where to break lines.

    >>> tex_width(r"\\frac{a}{b}") < tex_width("a + b")
    True
    """
    width, pos = 0.0, 0
    while pos < len(tex):
        ch = tex[pos]
        if ch == "\\":
            m = _CMD.match(tex, pos)
            assert m is not None
            name, pos = m.group(1), m.end()
            if name == "frac":
                top, pos = _group(tex, pos)
                bottom, pos = _group(tex, pos)
                width += max(tex_width(top), tex_width(bottom)) + 0.3
            elif name in ("left", "right", "Bigl", "Bigr", "bigl", "bigr"):
                continue  # the delimiter that follows is counted
            elif name == "sum":
                width += 1.6
            elif name in (",", ";", " ", "quad"):
                width += {"quad": 1.0}.get(name, 0.2)
            elif name in ("qquad",):
                width += 2.0
            else:
                width += 0.6
        elif ch in "_^":
            if pos + 1 < len(tex) and tex[pos + 1] == "{":
                inner, pos = _group(tex, pos + 1)
            else:
                inner, pos = tex[pos + 1 : pos + 2], pos + 2
            width += 0.7 * tex_width(inner)
        elif ch in "+-=":
            width += 1.2
            pos += 1
        elif ch in "{} ":
            pos += 1
        else:
            width += 0.55
            pos += 1
    return width


def split_lines(expr: sp.Expr, printer: ReportPrinter, budget: float = LINE_EM) -> list[str]:
    """``expr`` printed as one or more lines, each (if possible) within ``budget`` em.

    >>> from derive.models.softmax import y, k
    >>> len(split_lines(sum(y[q] for q in range(1, 30)), ReportPrinter(), budget=10)) > 1
    True
    """
    tex = printer.doprint(expr)
    if tex_width(tex) <= budget:
        return [tex]
    if isinstance(expr, sp.Add):
        pieces: list[str] = []
        for pos, term in enumerate(ordered_terms(expr)):
            sign = ""
            if term.could_extract_minus_sign():
                sign, term = "- ", -term
            elif pos:
                sign = "+ "
            sub = split_lines(term, printer, budget - 1.5)
            pieces.append(sign + sub[0])
            pieces.extend(sub[1:])
        return _pack(pieces, budget)
    if isinstance(expr, sp.Mul):
        tails = [f for f in expr.args if isinstance(f, sp.Add | sp.Sum)]
        if len(tails) == 1:
            head = printer.doprint(sp.Mul(*[f for f in expr.args if f is not tails[0]]))
            head = {"1": "", "-1": "-"}.get(head, head)
            return _wrap(head, tails[0], printer, budget)
    if isinstance(expr, sp.Sum):
        head = printer.doprint(sp.Sum(sp.Symbol("BODY"), *expr.limits))
        head = head.replace(r"\operatorname{BODY}", "").replace("BODY", "")
        return _wrap(head.rstrip(), expr.function, printer, budget)
    return [tex]


def _wrap(head: str, inner: sp.Expr, printer: ReportPrinter, budget: float) -> list[str]:
    lines = split_lines(inner, printer, budget - tex_width(head) / 2)
    if len(lines) == 1:
        return [f"{head} {lines[0]}".strip()]
    if isinstance(inner, sp.Add) or inner.could_extract_minus_sign():
        return [rf"{head} \Bigl({lines[0]}", *lines[1:-1], rf"{lines[-1]}\Bigr)"]
    return [f"{head} {lines[0]}", *lines[1:]]


def _pack(pieces: list[str], budget: float) -> list[str]:
    lines: list[str] = []
    for piece in pieces:
        if lines and tex_width(lines[-1] + " " + piece) <= budget:
            lines[-1] += " " + piece
        else:
            lines.append(piece)
    return lines


def chain_latex(
    lhs_tex: str,
    steps: list[tuple[str, sp.Expr]],
    *,
    printer: ReportPrinter | None = None,
    budget: float = LINE_EM,
) -> str:
    """An ``align*`` chain ``lhs = step₁ = step₂ …``, each step tagged with its label."""
    printer = printer or ReportPrinter()
    rows: list[str] = []
    for pos, (label, expr) in enumerate(steps):
        first = lhs_tex if pos == 0 else ""
        lines = split_lines(expr, printer, budget)
        tag = rf" \tag*{{\footnotesize {label}}}" if label else ""
        if len(lines) == 1:
            rows.append(f"{first} &= {lines[0]}{tag}")
            continue
        rows.append(f"{first} &= {lines[0]} \\notag")
        rows.extend(rf"&\qquad {line} \notag" for line in lines[1:-1])
        rows.append(rf"&\qquad {lines[-1]}{tag}")
    return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"
