"""Matrix forms of the kernels: softmax nodes, their entries and their NumPy printing.

A matrix form is a SymPy matrix expression over ``MatrixSymbol`` quantities (``X`` is
N×D, ``W`` is D×K, ...). Two views of one form matter:

* :func:`entry` turns entry ``(r, c)`` of a form into the indexed, 1-based SymPy
  expression the prover reads (``X[n, l]``, ``theta[l, c]``, ``Sum(..., (n, 1, N))``);
* :class:`KernelPrinter` prints the form as NumPy code, with numerically stable
  softmax and log-softmax (max shift, log-sum-exp) and no Python loops.

>>> from derive.kernels.matrix import Softmax, Xm, Wm, entry
>>> from derive.models.softmax import j, n
>>> entry(Softmax(Xm * Wm), n, j)
exp(Sum(X[n, l]*theta[l, j], (l, 1, D)))/Sum(exp(Sum(X[n, l]*theta[l, c], (l, 1, D))), (c, 1, K))
"""

from __future__ import annotations

from collections.abc import Iterable

import sympy as sp
from sympy.matrices.expressions import MatrixExpr
from sympy.printing.numpy import NumPyPrinter

from derive.engine.scope import as_expr
from derive.models import softmax as model

__all__ = [
    "ElemExp",
    "KernelPrinter",
    "LogSoftmax",
    "OneHot",
    "Softmax",
    "Vm",
    "Wm",
    "Xm",
    "Ym",
    "bm",
    "entry",
    "xm",
    "zm",
]

N, D, K = model.N, model.D, model.K


class _RowWise(MatrixExpr):
    """A row-wise function of one matrix: same shape as its argument."""

    def __new__(cls, arg: MatrixExpr) -> _RowWise:
        if not isinstance(arg, MatrixExpr):
            raise TypeError(f"{cls.__name__} needs a matrix expression, got {type(arg).__name__}")
        return sp.Basic.__new__(cls, arg)

    @property
    def arg(self) -> MatrixExpr:
        return self.args[0]

    @property
    def shape(self) -> tuple[sp.Expr, sp.Expr]:
        return self.arg.shape


class Softmax(_RowWise):
    """Softmax of every row: ``S[r, j] = exp(A[r, j]) / Σ_c exp(A[r, c])``."""


class LogSoftmax(_RowWise):
    """Log-softmax of every row: ``log S[r, j]`` (printed as ``A − logsumexp(A)``)."""


class ElemExp(_RowWise):
    """Entry-wise ``exp``; only used to print ``Softmax(A)`` as ``exp(LogSoftmax(A))``
    so that a form needing both shares one log-sum-exp."""


class OneHot(MatrixExpr):
    """The n×K one-hot matrix of integer labels ``t`` (0-based in NumPy).

    It replaces ``Y`` in a form after the proof: its rows sum to one, so the
    assumption ``Σ_k Y_nk = 1`` holds by construction, and it prints as index
    arithmetic instead of an n×K temporary.
    """

    def __new__(cls, labels: sp.Symbol, rows: sp.Expr, classes: sp.Expr) -> OneHot:
        return sp.Basic.__new__(cls, labels, as_expr(rows), as_expr(classes))

    @property
    def labels(self) -> sp.Symbol:
        return self.args[0]

    @property
    def shape(self) -> tuple[sp.Expr, sp.Expr]:
        return (self.args[1], self.args[2])


# The quantities, as matrices. Vectors are columns (K×1) except a single logit row.
Xm = sp.MatrixSymbol("X", N, D)
Wm = sp.MatrixSymbol("W", D, K)
Ym = sp.MatrixSymbol("Y", N, K)
bm = sp.MatrixSymbol("b", K, 1)
Vm = sp.MatrixSymbol("V", D, K)  # the direction of a Hessian–vector product
xm = sp.MatrixSymbol("x", D, 1)
zm = sp.MatrixSymbol("z", 1, K)  # one row of logits

V = sp.IndexedBase("V", shape=(D, K))

# MatrixSymbol -> the model's IndexedBase; vectors keep one index.
_INDEXED: dict[sp.MatrixSymbol, sp.IndexedBase] = {
    Xm: model.X,
    Wm: model.theta,
    Ym: model.Y,
    bm: model.b,
    Vm: V,
    xm: model.x,
    zm: model.z,
}

# Summation letters per size, as the model writes them (so entries read like notes).
_LETTERS = {N: "n", D: "l", K: "c"}


class _Dummies:
    """Summation indices: the model's letter for the range, else a fresh one."""

    def __init__(self, taken: Iterable[sp.Symbol]) -> None:
        self.taken = {s.name for s in taken}

    def new(self, size: sp.Expr, prefer: str | None = None) -> sp.Symbol:
        base = prefer or _LETTERS.get(size, "q")
        name, count = base, 0
        while name in self.taken:
            count += 1
            name = f"{base}{count}"
        self.taken.add(name)
        return sp.Symbol(name, integer=True)

    def release(self, sym: sp.Symbol) -> None:
        self.taken.discard(sym.name)


def entry(form: MatrixExpr, r: sp.Expr, c: sp.Expr) -> sp.Expr:
    """Entry ``(r, c)`` (1-based) of a matrix form as an indexed SymPy expression.

    Unlike ``form[r, c]`` (0-based, SymPy's own dummies) this yields the model's
    quantities and index letters, with every ``Sum`` running from 1.

    >>> from derive.kernels.matrix import Xm, Ym, entry
    >>> from derive.models.softmax import i, j
    >>> entry(Xm.T * Ym, i, j)
    Sum(X[n, i]*Y[n, j], (n, 1, N))
    """
    free = {s for s in (as_expr(r).free_symbols | as_expr(c).free_symbols)}
    return _entry(form, as_expr(r), as_expr(c), _Dummies(free))


def _entry(e: sp.Expr, r: sp.Expr, c: sp.Expr, dum: _Dummies) -> sp.Expr:
    if isinstance(e, sp.Trace):
        # A trace over classes reads Σ_k, as the model's cross-entropy does.
        d = dum.new(e.arg.shape[0], "k" if e.arg.shape[0] == K else None)
        out = sp.Sum(_entry(e.arg, d, d, dum), (d, 1, e.arg.shape[0]))
        dum.release(d)
        return out
    if not isinstance(e, MatrixExpr):  # a scalar, possibly holding traces
        if e.has(sp.Trace):
            return e.func(*[_entry(a, r, c, dum) for a in e.args])
        return e
    if isinstance(e, sp.MatrixSymbol):
        base = _INDEXED.get(e)
        if base is None:
            raise ValueError(f"no indexed quantity for matrix symbol {e}")
        rows, cols = e.shape
        if cols == 1:
            return base[r]
        if rows == 1:
            return base[c]
        return base[r, c]
    if isinstance(e, sp.Transpose):
        return _entry(e.arg, c, r, dum)
    if isinstance(e, sp.MatAdd):
        return sp.Add(*[_entry(a, r, c, dum) for a in e.args])
    if isinstance(e, sp.MatMul):
        coeff, mats = e.as_coeff_matrices()
        out = coeff
        idx = [r]
        bound = []
        for a in mats[:-1]:
            inner = a.shape[1]
            if inner == 1:
                idx.append(sp.Integer(1))
            else:
                d = dum.new(inner, "k" if inner == K else None)  # Σ_k as in the model
                bound.append((d, inner))
                idx.append(d)
        idx.append(c)
        body = sp.Mul(*[_entry(a, idx[p], idx[p + 1], dum) for p, a in enumerate(mats)])
        for d, size in reversed(bound):
            body = sp.Sum(body, (d, 1, size))
            dum.release(d)
        return out * body
    if isinstance(e, sp.HadamardProduct):
        return sp.Mul(*[_entry(a, r, c, dum) for a in e.args])
    if isinstance(e, Softmax | LogSoftmax):
        cols = e.arg.shape[1]
        d = dum.new(cols)
        norm = sp.Sum(sp.exp(_entry(e.arg, r, d, dum)), (d, 1, cols))
        frac = sp.exp(_entry(e.arg, r, c, dum)) / norm
        dum.release(d)
        return sp.log(frac) if isinstance(e, LogSoftmax) else frac
    if isinstance(e, ElemExp):
        return sp.exp(_entry(e.arg, r, c, dum))
    if isinstance(e, sp.DiagMatrix):
        vec = e.args[0]
        one = sp.Integer(1)
        val = _entry(vec, r, one, dum) if vec.shape[1] == 1 else _entry(vec, one, r, dum)
        return sp.KroneckerDelta(r, c) * val
    if isinstance(e, sp.Identity):
        return sp.KroneckerDelta(r, c)
    if isinstance(e, sp.OneMatrix):
        return sp.Integer(1)
    if isinstance(e, sp.ZeroMatrix):
        return sp.Integer(0)
    raise ValueError(f"no entry rule for {type(e).__name__}: {e}")


class KernelPrinter(NumPyPrinter):
    """NumPy printing of matrix forms: ``@`` products, stable softmax helpers, labels.

    The helpers it names (``_softmax``, ``_log_softmax``, ``_sub_onehot``,
    ``_pick_sum``, ``_trace_ab``) live in :mod:`derive.kernels.runtime`. With
    ``batched=True`` a transpose swaps the last two axes, so a form written for
    one logit row also runs on a stack of rows.
    """

    def __init__(self, settings: dict | None = None, *, batched: bool = False) -> None:
        super().__init__(settings or {})
        self.batched = batched

    def _print_Softmax(self, e: Softmax) -> str:
        return f"_softmax({self._print(e.arg)})"

    def _print_LogSoftmax(self, e: LogSoftmax) -> str:
        return f"_log_softmax({self._print(e.arg)})"

    def _print_ElemExp(self, e: ElemExp) -> str:
        return f"numpy.exp({self._print(e.arg)})"

    def _print_OneHot(self, e: OneHot) -> str:  # only reached if a pattern below missed
        raise ValueError("a one-hot matrix must appear as 'A - Y' or 'trace(Y.T*A)'")

    def _print_Transpose(self, e: sp.Transpose) -> str:
        inner = self._print(e.arg)
        return f"numpy.swapaxes({inner}, -1, -2)" if self.batched else f"({inner}).T"

    def _print_Trace(self, e: sp.Trace) -> str:
        arg = e.arg
        if isinstance(arg, sp.MatMul):
            coeff, mats = arg.as_coeff_matrices()
            if len(mats) == 2 and isinstance(mats[1], sp.Transpose):  # trace(A·Bᵀ) = trace(Bᵀ·A)
                mats = (mats[1], mats[0])
            if len(mats) == 2 and isinstance(mats[0], sp.Transpose):
                left, right = mats[0].arg, mats[1]
                lead = "" if coeff == 1 else f"{self._print(coeff)}*"
                if isinstance(left, OneHot):
                    return f"{lead}_pick_sum({self._print(right)}, {self._print(left.labels)})"
                return f"{lead}_trace_ab({self._print(left)}, {self._print(right)})"
        return f"numpy.trace({self._print(arg)})"

    def _print_DiagMatrix(self, e: sp.DiagMatrix) -> str:
        vec = e.args[0]
        col = self._print(vec if vec.shape[1] == 1 else vec.T)
        return f"_diag({col})"

    def _print_HadamardProduct(self, e: sp.HadamardProduct) -> str:
        return "(" + " * ".join(self._print(a) for a in e.args) + ")"

    def _print_MatMul(self, e: sp.MatMul) -> str:
        coeff, mats = e.as_coeff_matrices()
        mats = list(mats)
        parts: list[str] = []
        # A row of ones on the left sums the columns: (1ᵀ·A)[c] = Σ_r A[r, c].
        if len(mats) >= 2 and isinstance(mats[0], sp.OneMatrix) and mats[0].shape[0] == 1:
            rest = sp.MatMul(*mats[1:]) if len(mats) > 2 else mats[1]
            body = f"({self._print(rest)}).sum(axis=-2, keepdims=True)"
        # A column of ones on the left broadcasts a row: (1·bᵀ)[r, c] = b[c].
        elif len(mats) == 2 and isinstance(mats[0], sp.OneMatrix) and mats[0].shape[1] == 1:
            body = self._print(mats[1])
        # A·1_{K×K} (SymPy's product 1_K·1_Kᵀ) repeats each row sum along the row.
        elif (
            len(mats) >= 2
            and isinstance(mats[-1], sp.OneMatrix)
            and mats[-1].shape[0] == mats[-1].shape[1]
        ):
            rest = sp.MatMul(*mats[:-1]) if len(mats) > 2 else mats[0]
            body = f"_rowsum_bcast({self._print(rest)})"
        # A column of ones on the right sums each row: (A·1)[r] = Σ_c A[r, c].
        elif len(mats) >= 2 and isinstance(mats[-1], sp.OneMatrix) and mats[-1].shape[1] == 1:
            rest = sp.MatMul(*mats[:-1]) if len(mats) > 2 else mats[0]
            body = f"({self._print(rest)}).sum(axis=-1, keepdims=True)"
        # Aᵀ·B (the data term's row contraction) through the helper that picks the
        # faster orientation of the same product.
        elif len(mats) == 2 and isinstance(mats[0], sp.Transpose) and not self.batched:
            body = f"_tmm({self._print(mats[0].arg)}, {self._print(mats[1])})"
        # A·B of two plain factors (the logits X·W): the helper picks the orientation.
        elif (len(mats) == 2 and not self.batched
              and not any(isinstance(m, sp.Transpose | sp.OneMatrix) for m in mats)):
            body = f"_mm({self._print(mats[0])}, {self._print(mats[1])})"
        else:
            parts = [self._print(m) for m in mats]
            body = " @ ".join(f"({p})" if " " in p and not p.endswith(")") else p for p in parts)
        if coeff == 1:
            return body
        if coeff == -1:
            return f"-({body})"
        return f"{self._print(coeff)}*({body})"

    def _print_MatAdd(self, e: sp.MatAdd) -> str:
        terms = list(e.args)
        onehot = [t for t in terms if _negated_onehot(t) is not None]
        rest = [t for t in terms if _negated_onehot(t) is None]
        if len(onehot) > 1:
            raise ValueError("at most one one-hot term per sum")
        body = " + ".join(self._print(t) for t in rest)
        if onehot:
            labels = _negated_onehot(onehot[0])
            inner = body if len(rest) == 1 else f"({body})"
            if inner.isidentifier():  # a shared subexpression: subtract from a copy
                inner = f"{inner}.copy()"
            return f"_sub_onehot({inner}, {self._print(labels)})"
        return f"({body})"


def _negated_onehot(term: sp.Expr) -> sp.Symbol | None:
    if isinstance(term, sp.MatMul):
        coeff, mats = term.as_coeff_matrices()
        if coeff == -1 and len(mats) == 1 and isinstance(mats[0], OneHot):
            return mats[0].labels
    return None
