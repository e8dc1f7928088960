"""The symbolic model of binary logistic regression: sizes, indices, quantities, builders.

One sample ``x`` (D features) gets the probability ``s = σ(t)`` of the label 1, with
the logit ``t = Σ_i w_i x_i + b`` and the logistic sigmoid ``σ(t) = 1/(1 + e^{−t})``;
its loss is the binary cross-entropy ``L = −[y log s + (1 − y) log(1 − s)]``. For a
data set ``X`` (N×D) with labels ``Y`` (N), ``J = (1/N) Σ_n L_n (+ λ Σ_i w_i²)``.

Everything is plain SymPy, written as the notes write it (``log(1 − s)`` stays the
log of ``1 − 1/(1 + e^{−t})``): closing those fractions is the engine's job.
Indices are 1-based: ``w_i`` with ``i`` in 1..D, ``X[n, i]`` with ``n`` in 1..N.

>>> from derive.models.logistic import logit, sigmoid
>>> logit()
b + Sum(w[l]*x[l], (l, 1, D))
>>> sigmoid(t)
1/(1 + exp(-t))
"""

from __future__ import annotations

import sympy as sp

from derive.engine.scope import Scope
from derive.models.family import Entry, Family, catalogue

__all__ = [
    "SCOPE",
    "D",
    "N",
    "X",
    "Y",
    "b",
    "bce",
    "dataset_loss",
    "lam",
    "logit",
    "sigmoid",
    "t",
    "w",
    "x",
    "y",
]

# Sizes: positive integers, never instantiated by a proof.
D, N = sp.symbols("D N", integer=True, positive=True)

# Index letters and their default ranges (1-based, inclusive).
i, l = sp.symbols("i l", integer=True)  # features, 1..D
n = sp.Symbol("n", integer=True)  # samples, 1..N

# Quantities. Labels are real numbers here: that y is 0 or 1 is an assumption a claim
# states when it needs it, never built into the symbol.
w = sp.IndexedBase("w", shape=(D,))  # weights
b = sp.Symbol("b", real=True)  # bias
x = sp.IndexedBase("x", shape=(D,))  # one sample's features
X = sp.IndexedBase("X", shape=(N, D))  # a data set, one sample per row
y = sp.Symbol("y", real=True)  # one sample's label
Y = sp.IndexedBase("Y", shape=(N,))  # a data set's labels, y_n = Y[n]
t = sp.Symbol("t", real=True)  # a logit
lam = sp.Symbol("lambda", nonnegative=True)  # L2 penalty weight

# The family's scope: every index letter above with its range.
SCOPE = Scope(
    index_ranges={
        **dict.fromkeys((i, l), (sp.Integer(1), D)),
        n: (sp.Integer(1), N),
    }
)


def _sum(body: sp.Expr, index: sp.Symbol, size: sp.Expr) -> sp.Expr:
    return sp.Sum(body, (index, 1, size))


def logit(*, sample: sp.Expr | None = None, bias: bool = True) -> sp.Expr:
    """``t = Σ_l w_l x_l + b``; with ``sample=n`` the input is row ``X[n, :]``.

    >>> logit(sample=n, bias=False)
    Sum(X[n, l]*w[l], (l, 1, D))
    """
    feat = sp.Symbol("l", integer=True)
    inp = x[feat] if sample is None else X[sample, feat]
    val = _sum(w[feat] * inp, feat, D)
    return val + b if bias else val


def sigmoid(arg: sp.Expr) -> sp.Expr:
    """The logistic function ``σ(t) = 1/(1 + e^{−t})``, as the notes write it.

    >>> sigmoid(0)
    1/2
    """
    return 1 / (1 + sp.exp(-sp.sympify(arg, strict=True)))


def bce(
    *,
    sample: sp.Expr | None = None,
    bias: bool = True,
    logits: sp.Expr | None = None,
    label: sp.Expr | None = None,
) -> sp.Expr:
    """Per-sample binary cross-entropy ``L = −[y log s + (1 − y) log(1 − s)]``, ``s = σ(t)``.

    ``t`` is built from ``w`` and ``x`` (or ``X[sample]``, with label ``Y[sample]``)
    unless ``logits`` gives it (a symbol such as ``t``); ``label`` overrides ``y``.

    >>> bce(logits=t)
    -y*log(1/(1 + exp(-t))) - (1 - y)*log(1 - 1/(1 + exp(-t)))
    """
    arg = logits if logits is not None else logit(sample=sample, bias=bias)
    lab = label if label is not None else (y if sample is None else Y[sample])
    s = sigmoid(arg)
    return -(lab * sp.log(s) + (1 - lab) * sp.log(1 - s))


def dataset_loss(*, reduction: str = "mean", l2: bool = False, bias: bool = True) -> sp.Expr:
    """``J = (1/N) Σ_n L_n (+ λ Σ_i w_i²)``; ``reduction="sum"`` drops the 1/N.

    The bias is not penalised (the usual convention: Bishop, PRML §5.5.1).

    >>> dataset_loss(reduction="sum").has(N)
    True
    >>> dataset_loss(l2=True).has(lam)
    True
    """
    if reduction not in ("mean", "sum"):
        from derive.errors import DeriveError

        raise DeriveError(f"reduction={reduction!r}: expected 'mean' or 'sum'")
    smp = sp.Symbol("n", integer=True)
    total = _sum(bce(sample=smp, bias=bias), smp, N)
    loss = total / N if reduction == "mean" else total
    if l2:
        p = sp.Symbol("p", integer=True)
        loss += lam * _sum(w[p] ** 2, p, D)
    return loss


# --------------------------------------------------------------------------- catalogue

_TABLE: list[Entry] = []

CLAIMS, MUTANTS = catalogue(_TABLE, SCOPE)


# --------------------------------------------------------------------------- notation
# How the report folds the expanded forms back into s, t (read by derive.report).

NOTATION = None


# --------------------------------------------------------------------------- kernels
# One specification row per kernel output (read by derive.kernels).

KERNELS: tuple = ()


FAMILY = Family(
    name="logistic",
    title="Binary logistic regression",
    scope=SCOPE,
    claims=CLAIMS,
    mutants=MUTANTS,
    notation=NOTATION,
    kernels=KERNELS,
)
