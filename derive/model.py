"""The symbolic model of softmax regression: sizes, indices, quantities, builders.

Everything here is plain SymPy (``IndexedBase``, ``Sum``, ``exp``, ``log``), so SymPy
differentiates it; what SymPy cannot do with the result (sum Kronecker deltas over
symbolic ranges) is the job of :mod:`derive.algebra`.

Indices are 1-based, as in the notes people write: ``θ`` is D×K with entries
``θ[i, j]``, ``i`` in 1..D and ``j`` in 1..K.

>>> from derive.model import softmax, k
>>> softmax(k)
exp(Sum(theta[l, k]*x[l], (l, 1, D)))/Sum(exp(Sum(theta[l, c]*x[l], (l, 1, D))), (c, 1, K))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import sympy as sp

__all__ = [
    "D",
    "K",
    "N",
    "Scope",
    "T",
    "X",
    "Y",
    "as_expr",
    "b",
    "dataset_loss",
    "lam",
    "log_softmax",
    "logit",
    "nll",
    "softmax",
    "theta",
    "x",
    "y",
    "z",
]

# Sizes: positive integers, never instantiated by a proof.
K, D, N = sp.symbols("K D N", integer=True, positive=True)

# Index letters and their default ranges (1-based, inclusive).
i, l = sp.symbols("i l", integer=True)  # features, 1..D
j, k, m, c = sp.symbols("j k m c", integer=True)  # classes, 1..K
n = sp.Symbol("n", integer=True)  # samples, 1..N

# Quantities.
theta = sp.IndexedBase("theta", shape=(D, K))
x = sp.IndexedBase("x", shape=(D,))
X = sp.IndexedBase("X", shape=(N, D))
y = sp.IndexedBase("y", shape=(K,))
Y = sp.IndexedBase("Y", shape=(N, K))
b = sp.IndexedBase("b", shape=(K,))
z = sp.IndexedBase("z", shape=(K,))
lam = sp.Symbol("lambda", nonnegative=True)
T = sp.Symbol("T", positive=True)


def as_expr(value: object) -> sp.Expr:
    """A number or SymPy object as a SymPy expression; a string is refused, never parsed.

    >>> as_expr(3) + K
    K + 3
    """
    return sp.sympify(value, strict=True)


@dataclass(frozen=True)
class Scope:
    """What the prover needs to know about the symbols of a claim.

    ``index_ranges`` gives each free index letter its inclusive range; ``label_bases``
    lists index-valued quantities (an integer label ``t_n`` in 1..K is used as a
    subscript, as in ``f_{y_i}``); ``shapes`` overrides or supplies the shape of an
    ``IndexedBase`` that has none.

    >>> Scope.default().range_of(j)
    (1, K)
    """

    index_ranges: Mapping[sp.Symbol, tuple[sp.Expr, sp.Expr]]
    label_bases: Mapping[sp.IndexedBase, tuple[sp.Expr, sp.Expr]] = field(default_factory=dict)
    shapes: Mapping[sp.IndexedBase, tuple[sp.Expr, ...]] = field(default_factory=dict)

    @staticmethod
    def default() -> Scope:
        one = sp.Integer(1)
        ranges = {i: (one, D), l: (one, D), j: (one, K), k: (one, K), m: (one, K)}
        ranges |= {c: (one, K), n: (one, N)}
        return Scope(index_ranges=ranges)

    def range_of(self, index: sp.Symbol) -> tuple[sp.Expr, sp.Expr] | None:
        if isinstance(index, sp.Idx) and index.lower is not None:
            return (index.lower, index.upper)
        return self.index_ranges.get(index)

    def shape_of(self, base: sp.IndexedBase) -> tuple[sp.Expr, ...] | None:
        if base in self.shapes:
            return tuple(self.shapes[base])
        return tuple(base.shape) if base.shape is not None else None


def _sum(body: sp.Expr, index: sp.Symbol, size: sp.Expr) -> sp.Expr:
    return sp.Sum(body, (index, 1, size))


def logit(cls: sp.Expr, *, sample: sp.Expr | None = None, bias: bool = False) -> sp.Expr:
    """``z_c = Σ_l θ_lc x_l (+ b_c)``; with ``sample=n`` the input is row ``X[n, :]``.

    >>> logit(j)
    Sum(theta[l, j]*x[l], (l, 1, D))
    """
    feat = sp.Symbol("l", integer=True)
    inp = x[feat] if sample is None else X[sample, feat]
    z_c = _sum(theta[feat, cls] * inp, feat, D)
    return z_c + b[cls] if bias else z_c


def softmax(
    cls: sp.Expr,
    *,
    sample: sp.Expr | None = None,
    bias: bool = False,
    logits: sp.IndexedBase | None = None,
    temperature: sp.Expr | None = None,
) -> sp.Expr:
    """``σ_cls = exp(z_cls) / Σ_c exp(z_c)``.

    The logits are built from θ and x (or X[sample]) unless ``logits`` names an
    indexed quantity such as ``z``; ``temperature`` divides every logit.

    >>> softmax(k, logits=z)
    exp(z[k])/Sum(exp(z[c]), (c, 1, K))
    """
    dummy = sp.Symbol("c", integer=True)

    def zz(q: sp.Expr) -> sp.Expr:
        val = logits[q] if logits is not None else logit(q, sample=sample, bias=bias)
        return val / temperature if temperature is not None else val

    return sp.exp(zz(cls)) / _sum(sp.exp(zz(dummy)), dummy, K)


def log_softmax(cls: sp.Expr, **kw: object) -> sp.Expr:
    """``log σ_cls`` written as the log of the softmax fraction, as notes do."""
    return sp.log(softmax(cls, **kw))  # type: ignore[arg-type]


def nll(*, labels: sp.IndexedBase | None = None, sample: sp.Expr | None = None, **kw: object):
    """Per-sample cross-entropy ``L = −Σ_k y_k log σ_k`` (``Y[n, k]`` with ``sample=n``).

    >>> nll(logits=z)
    -Sum(log(exp(z[k])/Sum(exp(z[c]), (c, 1, K)))*y[k], (k, 1, K))
    """
    cls = sp.Symbol("k", integer=True)
    lab = labels if labels is not None else (y if sample is None else Y)
    y_k = lab[cls] if sample is None else lab[sample, cls]
    return -_sum(y_k * log_softmax(cls, sample=sample, **kw), cls, K)


def dataset_loss(*, reduction: str = "mean", l2: bool = False, bias: bool = False) -> sp.Expr:
    """``J = (1/N) Σ_n L_n (+ λ Σ_ij θ_ij²)``; ``reduction="sum"`` drops the 1/N.

    >>> dataset_loss(reduction="sum").has(N)
    True
    """
    if reduction not in ("mean", "sum"):
        from derive.errors import DeriveError

        raise DeriveError(f"reduction={reduction!r}: expected 'mean' or 'sum'")
    smp = sp.Symbol("n", integer=True)
    total = _sum(nll(sample=smp, bias=bias), smp, N)
    loss = total / N if reduction == "mean" else total
    if l2:
        p, q = sp.symbols("p q", integer=True)
        loss += lam * _sum(_sum(theta[p, q] ** 2, p, D), q, K)
    return loss
