"""One-line Unicode rendering of claims, in the notation of the notes.

>>> import sympy as sp
>>> from derive.models.softmax import theta, i, j, k
>>> sigma = sp.IndexedBase("sigma")
>>> unicode(sp.Eq(sp.Derivative(sigma[k], theta[i, j]), sigma[j] * sp.KroneckerDelta(j, k)))
'∂σ_k/∂θ_ij = σ_j δ_jk'
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.str import StrPrinter

__all__ = ["unicode"]

_GREEK = {"theta": "θ", "sigma": "σ", "lambda": "λ", "delta": "δ", "zeta": "ζ", "lse": "lse"}


def _name(s: str) -> str:
    return _GREEK.get(s, s)


class UnicodePrinter(StrPrinter):
    """``StrPrinter`` with subscripts, Greek letters, ∂, Σ and δ."""

    printmethod = None  # Indexed carries its own _sympystr; ours must win

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        return _name(expr.name.lstrip("_"))

    _print_Dummy = _print_Symbol

    def _print_IndexedBase(self, expr: sp.IndexedBase) -> str:
        return _name(str(expr.label))

    def _print_Indexed(self, expr: sp.Indexed) -> str:
        idx = [self._print(i) for i in expr.indices]
        sep = "" if all(len(s) == 1 for s in idx) else ","
        return f"{self._print(expr.base)}_{sep.join(idx)}"

    def _print_KroneckerDelta(self, expr: sp.KroneckerDelta) -> str:
        a, b = (self._print(q) for q in expr.args[:2])
        return f"δ_{a}{b}" if len(a) == len(b) == 1 else f"δ_{a},{b}"

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        f = self._print(expr.expr)
        f = f if expr.expr.is_Atom or isinstance(expr.expr, sp.Indexed) else f"({f})"
        den = "∂".join(self._print(v) for v in expr.variables)
        order = len(expr.variables)
        top = "∂" if order == 1 else f"∂{_sup(order)}"
        return f"{top}{f}/∂{den}"

    def _print_Sum(self, expr: sp.Sum) -> str:
        lims = ",".join(self._print(v) for v, *_ in expr.limits)
        body = self.parenthesize(expr.function, 1000) if expr.function.is_Add else self._print(
            expr.function
        )
        return f"Σ_{lims} {body}"

    def _print_Equality(self, expr: sp.Equality) -> str:
        return f"{self._print(expr.lhs)} = {self._print(expr.rhs)}"

    def _print_Add(self, expr: sp.Add, order=None) -> str:
        # Positive terms first, as people write them: δ_jk − σ_k, not −σ_k + δ_jk.
        terms = sorted(expr.args, key=lambda t: t.could_extract_minus_sign())
        out = self._print(terms[0])
        for t in terms[1:]:
            if t.could_extract_minus_sign():
                out += " − " + self.parenthesize(-t, 40)
            else:
                out += " + " + self._print(t)
        return out

    def _print_Mul(self, expr: sp.Mul) -> str:
        if expr.could_extract_minus_sign():
            return "−" + self.parenthesize(-expr, 50)
        num, den = sp.fraction(expr)
        if den != 1:
            return f"{self._print(num)}/{self.parenthesize(den, 50)}"
        # Scalars, then quantities, then bracketed sums: σ_j x_i (δ_jk − σ_k).
        factors = sorted(num.args, key=lambda f: (not f.is_Number, f.is_Add))
        return " ".join(self.parenthesize(f, 50) for f in factors)

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        # small whole powers as superscripts: (∂L/∂t)², s², not ∂L/∂t**2
        base, exp = expr.args
        if exp.is_Integer and 2 <= exp <= 9:
            inner = self._print(base)
            if not (base.is_Symbol or isinstance(base, sp.Indexed)):
                inner = f"({inner})"
            return inner + "⁰¹²³⁴⁵⁶⁷⁸⁹"[int(exp)]
        return super()._print_Pow(expr, rational)

    def _print_Exp1(self, expr) -> str:
        return "e"

    def _print_exp(self, expr: sp.exp) -> str:
        return f"exp({self._print(expr.args[0])})"


def _sup(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def unicode(expr: sp.Basic) -> str:
    """Render ``expr`` on one line: ``∂σ_k/∂θ_ij = x_i σ_j (δ_jk − σ_k)``."""
    return UnicodePrinter({"order": "none"}).doprint(expr)
