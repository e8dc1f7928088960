"""The matrix vocabulary of kernels: row-wise nodes and their entries (what a family declares).

A matrix form is a SymPy matrix expression over ``MatrixSymbol`` quantities that a model
family declares (with their sizes) in its kernels block. Two views of one form matter:

* :func:`entry` turns entry ``(r, c)`` of a form into the indexed, 1-based SymPy
  expression the prover reads, in the family's quantities (its :class:`Vocabulary`);
* :class:`derive.kernels.matrix.KernelPrinter` prints the form as NumPy code (the kernels
  layer reads these declarations; nothing here imports it).

This module imports no model family, so a family can import it (and
:mod:`derive.declare.spec`) to declare its kernels.

>>> import sympy as sp
>>> N, K = sp.symbols("N K", integer=True, positive=True)
>>> j, n = sp.symbols("j n", integer=True)
>>> Z = sp.MatrixSymbol("Z", N, K)
>>> entry(Softmax(Z), n, j, Vocabulary({Z: sp.IndexedBase("z")}, (Z,), N, row_letters={K: "c"}))
exp(z[n, j])/Sum(exp(z[n, c]), (c, 1, K))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import sympy as sp
from sympy.matrices.expressions import MatrixExpr

from derive.engine.scope import as_expr

__all__ = [
    "ElemExp",
    "LogOneMinusSigmoid",
    "LogSigmoid",
    "LogSoftmax",
    "OneHot",
    "Sigmoid",
    "Softmax",
    "Vocabulary",
    "entry",
]


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


class Sigmoid(_RowWise):
    """The logistic function of every entry: ``1 / (1 + exp(−A[r, c]))``."""


class LogSigmoid(_RowWise):
    """``log σ(A)`` entry by entry, read by the prover as ``log(1/(1 + e^{−a}))`` (as notes
    write it) and printed stably as ``−softplus(−a)``: never ``log`` of a rounded 0."""


class LogOneMinusSigmoid(_RowWise):
    """``log(1 − σ(A))`` entry by entry, read by the prover as ``log(1 − 1/(1 + e^{−a}))``
    and printed stably as ``−softplus(a)`` (``1 − σ`` rounds to 0 for a > 37 in float64)."""


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


@dataclass(frozen=True)
class Vocabulary:
    """A family's matrix quantities, as the kernels layer reads them.

    ``indexed`` maps each ``MatrixSymbol`` to the family's indexed quantity (an
    ``IndexedBase``; a 1×1 matrix may map to a plain ``Symbol``, a scalar of the model).
    A column or row vector keeps one index. ``rows`` are the data quantities with one
    row per sample (a kernel sums over their row blocks); ``count`` is the number of
    rows (``N``). ``letters`` names the summation index of a contraction over a size,
    ``row_letters`` the index of a row-wise normaliser (``Σ_c exp(z_c)``), so entries
    read like the family's notes; any other size gets ``q``, ``q1``, ...
    """

    indexed: Mapping[sp.MatrixSymbol, sp.Basic]
    rows: tuple[sp.MatrixSymbol, ...]
    count: sp.Expr
    letters: Mapping[sp.Expr, str] = field(default_factory=dict)
    row_letters: Mapping[sp.Expr, str] = field(default_factory=dict)


class _Dummies:
    """Summation indices: the family's letter for the range, else a fresh one."""

    def __init__(self, taken: Iterable[sp.Symbol], vocab: Vocabulary) -> None:
        self.taken = {s.name for s in taken}
        self.vocab = vocab

    def new(self, size: sp.Expr, *, row_wise: bool = False) -> sp.Symbol:
        table = self.vocab.row_letters if row_wise else self.vocab.letters
        base = table.get(size, "q")
        name, count = base, 0
        while name in self.taken:
            count += 1
            name = f"{base}{count}"
        self.taken.add(name)
        return sp.Symbol(name, integer=True)

    def release(self, sym: sp.Symbol) -> None:
        self.taken.discard(sym.name)


def entry(form: MatrixExpr, r: sp.Expr, c: sp.Expr, vocab: Vocabulary) -> sp.Expr:
    """Entry ``(r, c)`` (1-based) of a matrix form as an indexed SymPy expression.

    Unlike ``form[r, c]`` (0-based, SymPy's own dummies) this yields the family's
    quantities and index letters (from ``vocab``), with every ``Sum`` running from 1.

    >>> import sympy as sp
    >>> N, D = sp.symbols("N D", integer=True, positive=True)
    >>> i, n = sp.symbols("i n", integer=True)
    >>> Xm, ym = sp.MatrixSymbol("X", N, D), sp.MatrixSymbol("y", N, 1)
    >>> vocab = Vocabulary({Xm: sp.IndexedBase("X"), ym: sp.IndexedBase("Y")}, (Xm, ym), N,
    ...                    letters={N: "n"})
    >>> entry(Xm.T * Sigmoid(ym), i, 1, vocab)
    Sum(X[n, i]/(1 + exp(-Y[n])), (n, 1, N))
    """
    free = {s for s in (as_expr(r).free_symbols | as_expr(c).free_symbols)}
    return _entry(form, as_expr(r), as_expr(c), _Dummies(free, vocab))


def _entry(e: sp.Expr, r: sp.Expr, c: sp.Expr, dum: _Dummies) -> sp.Expr:
    if isinstance(e, sp.Trace):
        d = dum.new(e.arg.shape[0])
        out = sp.Sum(_entry(e.arg, d, d, dum), (d, 1, e.arg.shape[0]))
        dum.release(d)
        return out
    if not isinstance(e, MatrixExpr):  # a scalar, possibly holding traces
        if e.has(sp.Trace):
            return e.func(*[_entry(a, r, c, dum) for a in e.args])
        return e
    if isinstance(e, sp.MatrixSymbol):
        base = dum.vocab.indexed.get(e)
        if base is None:
            raise ValueError(f"no indexed quantity for matrix symbol {e}")
        rows, cols = e.shape
        if not isinstance(base, sp.IndexedBase):  # a 1×1 matrix standing for a scalar
            return base
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
                d = dum.new(inner)
                bound.append((d, inner))
                idx.append(d)
        idx.append(c)
        body = sp.Mul(*[_entry(a, idx[p], idx[p + 1], dum) for p, a in enumerate(mats)])
        for d, size in reversed(bound):
            body = sp.Sum(body, (d, 1, size))
            dum.release(d)
        return out * body
    rule = _ENTRY_RULES.get(type(e))
    if rule is not None:
        return rule(e, r, c, dum)
    raise ValueError(f"no entry rule for {type(e).__name__}: {e}")


def _softmax_entry(e: Softmax | LogSoftmax, r: sp.Expr, c: sp.Expr, dum: _Dummies) -> sp.Expr:
    cols = e.arg.shape[1]
    d = dum.new(cols, row_wise=True)
    norm = sp.Sum(sp.exp(_entry(e.arg, r, d, dum)), (d, 1, cols))
    frac = sp.exp(_entry(e.arg, r, c, dum)) / norm
    dum.release(d)
    return sp.log(frac) if isinstance(e, LogSoftmax) else frac


def _sigmoid(a: sp.Expr) -> sp.Expr:
    return 1 / (1 + sp.exp(-a))


def _diag_entry(e: sp.DiagMatrix, r: sp.Expr, c: sp.Expr, dum: _Dummies) -> sp.Expr:
    vec = e.args[0]
    one = sp.Integer(1)
    val = _entry(vec, r, one, dum) if vec.shape[1] == 1 else _entry(vec, one, r, dum)
    return sp.KroneckerDelta(r, c) * val


# One entry rule per node (the dispatch table the prover's reading of a form goes through).
_ENTRY_RULES: dict[type, Callable[..., sp.Expr]] = {
    sp.HadamardProduct: lambda e, r, c, dum: sp.Mul(*[_entry(a, r, c, dum) for a in e.args]),
    sp.HadamardPower: lambda e, r, c, dum: _entry(e.base, r, c, dum) ** e.exp,
    Softmax: _softmax_entry,
    LogSoftmax: _softmax_entry,
    ElemExp: lambda e, r, c, dum: sp.exp(_entry(e.arg, r, c, dum)),
    Sigmoid: lambda e, r, c, dum: _sigmoid(_entry(e.arg, r, c, dum)),
    LogSigmoid: lambda e, r, c, dum: sp.log(_sigmoid(_entry(e.arg, r, c, dum))),
    LogOneMinusSigmoid: lambda e, r, c, dum: sp.log(1 - _sigmoid(_entry(e.arg, r, c, dum))),
    sp.DiagMatrix: _diag_entry,
    sp.Identity: lambda e, r, c, dum: sp.KroneckerDelta(r, c),
    sp.OneMatrix: lambda e, r, c, dum: sp.Integer(1),
    sp.ZeroMatrix: lambda e, r, c, dum: sp.Integer(0),
}
