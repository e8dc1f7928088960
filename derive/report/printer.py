"""A LaTeX printer for the mathematics of a model family, in the notation it declares.

SymPy's own printer writes ``{\\theta}_{i,j}``, ``\\delta_{c j}`` and the full softmax
fraction. :class:`ReportPrinter` writes what a person would: ``\\theta_{ij}``,
``\\delta_{cj}``, ``\\sigma_k`` (the expanded forms are folded back by
:func:`derive.report.fold.fold` with the family's
:class:`~derive.models.family.Notation`), ``\\sum_{c=1}^{K}``, ``\\frac{\\partial
L}{\\partial \\theta_{ij}}``, with factors in the order the notation gives (for softmax
regression: weights, inputs, probabilities, labels), then Kronecker deltas, sums and
brackets.

>>> from derive.models.softmax import NOTATION, softmax, theta, x, i, j, k
>>> import sympy as sp
>>> report_latex(x[i] * softmax(j) * (sp.KroneckerDelta(j, k) - softmax(k)), NOTATION)
'x_{i} \\\\sigma_{j} \\\\left(\\\\delta_{jk} - \\\\sigma_{k}\\\\right)'
"""

from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter

from derive.models.family import Notation
from derive.report.fold import fold, merge, tidy_dummies

__all__ = ["ReportPrinter", "every_family", "ordered_terms", "report_latex"]

_GREEK_NAMES = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega",
}


def every_family() -> Notation:
    """The notations of all families in one (for expressions of no family in particular)."""
    from derive.models import FAMILIES

    return merge(f.notation for f in FAMILIES if f.notation is not None)


def _ranks(notation: Notation) -> dict[str, float]:
    """Factor order inside a product, by quantity name: the notation's groups in order
    (between plain symbols, rank 1, and anything else, rank 5)."""
    ranks: dict[str, float] = {}
    for pos, group in enumerate(notation.factor_order):
        for q in group:
            name = str(q.label) if isinstance(q, sp.IndexedBase) else str(q)
            ranks.setdefault(name, 1.5 + pos * 3.5 / max(len(notation.factor_order), 1))
    return ranks


def _simple_index(idx: sp.Basic) -> bool:
    if isinstance(idx, sp.Symbol):
        return len(idx.name) == 1
    return bool(idx.is_Integer and 0 <= idx < 10)


def _factor_rank(f: sp.Basic, ranks: dict[str, float]) -> float:
    base = f.as_base_exp()[0] if isinstance(f, sp.Pow) else f
    if f.is_Number:
        return 0
    if isinstance(base, sp.Symbol):
        return 1
    if isinstance(base, sp.Indexed):
        return ranks.get(str(base.base.label), 5)
    if isinstance(base, sp.KroneckerDelta):
        return 7
    if isinstance(base, sp.Sum):
        return 8
    if isinstance(base, sp.Add):
        return 9
    if isinstance(base, sp.Derivative):
        return 10
    if isinstance(base, sp.log):
        # last: "\log(1 - s)(1 - y)" and "\log s\,(1 - y)" read as the log of a product
        return 11
    return 6


def ordered_terms(expr: sp.Expr) -> list[sp.Expr]:
    """The terms of a sum in print order: SymPy's order, a positive term first if any.

    >>> from derive.models.softmax import y, k
    >>> ordered_terms(-y[k] + 1)
    [1, -y[k]]
    """
    terms = list(sp.Add.make_args(expr))
    terms.sort(key=lambda t: (t.could_extract_minus_sign(), sp.default_sort_key(t)))
    return terms


class ReportPrinter(LatexPrinter):
    """``LatexPrinter`` with compact index notation; see the module docstring.

    >>> from derive.models.softmax import theta, i, j
    >>> ReportPrinter().doprint(theta[i, j])
    '\\\\theta_{ij}'
    """

    printmethod = "_report_latex"

    def __init__(self, settings: dict[str, Any] | None = None,
                 notation: Notation | None = None) -> None:
        super().__init__({"mul_symbol": None, **(settings or {})})
        self.notation = notation or Notation()
        self._names = dict(self.notation.names)
        self._ranks = _ranks(self.notation)

    def _name(self, name: str) -> str:
        if name in self._names:
            return self._names[name]
        return "\\" + name if name in _GREEK_NAMES else name

    # -- atoms -----------------------------------------------------------------
    def _print_Symbol(self, expr: sp.Symbol, style: str = "plain") -> str:
        if expr.name in self._names:
            return self._names[expr.name]
        if expr.name.isalpha() and len(expr.name) > 1 and expr.name.isascii():
            if expr.name not in _GREEK_NAMES:
                return rf"\operatorname{{{expr.name}}}"
        return super()._print_Symbol(expr, style=style)

    def _print_Function(self, expr: sp.Function, exp: Any = None) -> str:
        """A function the notation names (``σ(t)``) is written ``\\sigma(t)``."""
        if not isinstance(expr, AppliedUndef):
            return super()._print_Function(expr, exp)
        args = ", ".join(self._print(a) for a in expr.args)
        tex = rf"{self._name(expr.func.__name__)}\left({args}\right)"
        return rf"{tex}^{{{exp}}}" if exp is not None else tex

    def _print_IndexedBase(self, expr: sp.IndexedBase) -> str:
        return self._name(str(expr.label))

    def _indices(self, indices: tuple[sp.Basic, ...]) -> str:
        sep = "" if all(_simple_index(i) for i in indices) else ","
        return sep.join(self._print(i) for i in indices)

    def _print_Indexed(self, expr: sp.Indexed) -> str:
        return f"{self._print(expr.base)}_{{{self._indices(expr.indices)}}}"

    def _print_KroneckerDelta(self, expr: sp.KroneckerDelta, exp: Any = None) -> str:
        a, b = sorted(expr.args[:2], key=str)  # δ is symmetric: print δ_jk, not δ_kj
        tex = rf"\delta_{{{self._indices((a, b))}}}"
        return f"{tex}^{{{exp}}}" if exp is not None else tex

    # -- operators ---------------------------------------------------------------
    def _print_Sum(self, expr: sp.Sum) -> str:
        limits = list(expr.limits)
        dummies = {v for v, _, _ in limits}
        if not any((lo.free_symbols | hi.free_symbols) & dummies for _, lo, hi in limits):
            limits.reverse()  # independent limits commute: print them in the order given
        head = "".join(
            rf"\sum_{{{self._print(v)}={self._print(lo)}}}^{{{self._print(hi)}}} "
            for v, lo, hi in reversed(limits)
        )
        body = expr.function
        tex = self._print(body)
        if isinstance(body, sp.Add) or body.could_extract_minus_sign():
            tex = rf"\left({tex}\right)"
        return head + tex

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> str:
        tex = ""
        for pos, term in enumerate(ordered_terms(expr)):
            if pos and term.could_extract_minus_sign():
                tex += " - "
                term = -term
            elif pos:
                tex += " + "
            tex += self._print(term)
        return tex

    def _factors(self, factors: list[sp.Expr]) -> str:
        factors = sorted(factors, key=lambda f: (_factor_rank(f, self._ranks),
                                                 sp.default_sort_key(f)))
        parts = []
        for pos, f in enumerate(factors):
            tex = self._print(f)
            last = pos == len(factors) - 1
            if isinstance(f, sp.Add) or (isinstance(f, sp.Sum | sp.Derivative) and not last):
                tex = rf"\left({tex}\right)"
            parts.append(tex)
        return " ".join(parts)

    def _print_Mul(self, expr: sp.Mul) -> str:
        coeff, rest = expr.as_coeff_Mul()
        sign = ""
        if coeff.is_negative:
            sign, coeff = "- ", -coeff
        num: list[sp.Expr] = []
        den: list[sp.Expr] = []
        for f in sp.Mul.make_args(rest):
            base, power = f.as_base_exp()
            if power.is_Number and power.is_negative and not isinstance(f, sp.exp):
                den.append(base ** (-power))
            else:
                num.append(f)
        p, q = (coeff.p, coeff.q) if coeff.is_Rational else (coeff, 1)
        if p != 1:
            num.insert(0, sp.Integer(p) if coeff.is_Rational else coeff)
        if not den and q == 1:
            return sign + (self._factors(num) if num else "1")
        if q != 1:
            den.insert(0, sp.Integer(q))
        den_tex = self._factors(den)
        if len(den) == 1 and isinstance(den[0], sp.Add):  # a lone sum needs no brackets
            den_tex = self._print(den[0])
        if self._settings["fold_short_frac"] and len(den) == 1 and len(num) <= 1:
            if isinstance(den[0], sp.Symbol | sp.Indexed):
                return sign + f"{self._factors(num) if num else '1'}/{den_tex}"
        inside = [f for f in num if not isinstance(f, sp.Sum | sp.Add | sp.Derivative)]
        outside = [f for f in num if f not in inside]
        head = rf"\frac{{{self._factors(inside) if inside else '1'}}}{{{den_tex}}}"
        return sign + (head + " " + self._factors(outside) if outside else head)

    def _print_Pow(self, expr: sp.Pow, exp: Any = None) -> str:
        base, power = expr.as_base_exp()
        if power.is_Rational and power.is_negative and not isinstance(base, sp.exp):
            return self._print_Mul(sp.Mul(sp.S.One, expr, evaluate=False))  # 1/(1 + e^{-t})
        if power.is_Integer and power > 1:
            tex = self._print(base)
            if not isinstance(base, sp.Symbol | sp.Indexed | sp.KroneckerDelta):
                tex = rf"\left({tex}\right)"
            return f"{tex}^{{{self._print(power)}}}"
        return super()._print_Pow(expr)

    def _print_exp(self, expr: sp.exp, exp: Any = None) -> str:
        arg = expr.args[0]
        inline = self._settings["fold_short_frac"]
        self._settings["fold_short_frac"] = True
        try:
            arg_tex = self._print(arg)
        finally:
            self._settings["fold_short_frac"] = inline
        if arg.has(sp.Sum):
            tex = rf"\exp\left({arg_tex}\right)"
        else:
            tex = f"e^{{{arg_tex}}}"
        return f"\\left({tex}\\right)^{{{exp}}}" if exp is not None else tex

    def _print_log(self, expr: sp.log, exp: Any = None) -> str:
        arg = expr.args[0]
        arg_tex = self._print(arg)
        if not isinstance(arg, sp.Symbol | sp.Indexed | AppliedUndef):
            arg_tex = rf"\left({arg_tex}\right)"
        head = rf"\log^{{{exp}}}" if exp is not None else r"\log"
        return rf"{head} {arg_tex}"

    # Matrix forms of the kernels, in the notation of the notes.
    def _print_Softmax(self, expr: Any) -> str:
        return rf"\operatorname{{softmax}}\left({self._print(expr.args[0])}\right)"

    def _print_LogSoftmax(self, expr: Any) -> str:
        return rf"\log\operatorname{{softmax}}\left({self._print(expr.args[0])}\right)"

    def _print_DiagMatrix(self, expr: Any) -> str:
        return rf"\operatorname{{diag}}\left({self._print(expr.args[0])}\right)"

    def _print_OneMatrix(self, expr: Any) -> str:
        return r"\mathbf{1}"

    def _print_Partial(self, expr: Any) -> str:
        """``∂_{jm} A(η)`` of an undefined function of a vector: its argument by name when
        the notation folds it to ``η_q`` (``η_n`` for sample n), else as ``q ↦ η_q``."""
        var, body = expr.arg.variables[0], expr.arg.expr
        if (isinstance(body, sp.Indexed) and body.indices[-1] == var
                and var not in body.indices[:-1]):
            rest = "".join(self._print(r) for r in body.indices[:-1])
            arg = self._print(body.base) + (f"_{{{rest}}}" if rest else "")
        else:
            arg = rf"{self._print(var)} \mapsto {self._print(body)}"
        idx = "".join(self._print(o) for o in expr.order)
        head = expr.name if not expr.order else rf"\partial_{{{idx}}} {expr.name}"
        return rf"{head}\left({arg}\right)"

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        order = sum(cnt for _, cnt in expr.variable_count)
        wrt = r"\, ".join(
            rf"\partial {self._print(v)}" + (f"^{{{cnt}}}" if cnt > 1 else "")
            for v, cnt in expr.variable_count
        )
        top = r"\partial" if order == 1 else rf"\partial^{{{order}}}"
        inner = expr.expr
        if isinstance(inner, sp.Symbol | sp.Indexed):
            return rf"\frac{{{top} {self._print(inner)}}}{{{wrt}}}"
        return rf"\frac{{{top}}}{{{wrt}}} \left({self._print(inner)}\right)"


def report_latex(expr: sp.Expr, notation: Notation | None = None, *, folded: bool = True,
                 **settings: Any) -> str:
    """LaTeX for ``expr`` in ``notation`` (by default every family's), its declared forms
    folded back into their symbols unless told not to.

    >>> from derive.models.softmax import theta, i, j
    >>> report_latex(theta[i, j] ** 2)
    '\\\\theta_{ij}^{2}'
    """
    notation = notation if notation is not None else every_family()
    if folded:
        expr = tidy_dummies(fold(expr, notation), notation)
    return ReportPrinter(settings, notation).doprint(expr)
