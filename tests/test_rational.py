"""Rational functions of exponentials and of sums (issue 10): the sigmoid, binary
cross-entropy, and softmax with two classes close; the assumption kinds ``binary``,
``one_hot`` and ``nonnegative`` act as rules and as sampling constraints.

Every "proved" below is a fact checked by hand next to it (and numerically by the
prover's own spot check); every "refuted" or "not proved" names the point that shows it.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive import binary, nonnegative, one_hot, prove, prove_equal, sums_to_one
from derive.engine import Claim, Scope
from derive.engine.algebra import is_zero, poly_sub, to_poly

t = sp.Symbol("t", real=True)
u = sp.Symbol("u")
N, D, K = sp.symbols("N D K", integer=True, positive=True)
i, l, n, c, k, j, m = sp.symbols("i l n c k j m", integer=True)
w = sp.IndexedBase("w", shape=(D,))
x = sp.IndexedBase("x", shape=(D,))
X = sp.IndexedBase("X", shape=(N, D))
Yv = sp.IndexedBase("Y", shape=(N,))
y = sp.Symbol("y")
b = sp.Symbol("b")
lam = sp.Symbol("lambda", positive=True)


def sig(a):
    return 1 / (1 + sp.exp(-a))


s = sig(t)
inner = sp.Sum(w[c] * x[c], (c, 1, D)) + b  # t = Σ_i w_i x_i + b
sx = sig(inner)
bce = -(y * sp.log(sx) + (1 - y) * sp.log(1 - sx))


def t_n(q):
    return sp.Sum(w[c] * X[q, c], (c, 1, D)) + b


def s_n(q):
    return sig(t_n(q))


mean_loss = (
    sp.Sum(-(Yv[n] * sp.log(s_n(n)) + (1 - Yv[n]) * sp.log(1 - s_n(n))), (n, 1, N)) / N
    + lam * sp.Sum(w[c] ** 2, (c, 1, D))
)
z2 = sp.IndexedBase("z", shape=(2,))
zK = sp.IndexedBase("z", shape=(K,))

# (name, lhs, rhs): each true for every real t, every w, x, X, y, Y, b, λ > 0 (by hand:
# s' = e^{-t}/(1+e^{-t})² = s·(1 − s); 1 − s = e^{-t}/(1+e^{-t}) = 1/(1+e^t);
# log s = −log(1+e^{-t}) = t − log(e^t + 1); the BCE derivative is (s − y)·∂t).
PROVED = [
    ("ds/dt = s(1-s)", sp.Derivative(s, t), s * (1 - s)),
    ("1 - s = 1/(1+e^t)", 1 - s, 1 / (1 + sp.exp(t))),
    ("log s = t - log(1+e^t)", sp.log(s), t - sp.log(1 + sp.exp(t))),
    ("log(1-s) = -log(1+e^t)", sp.log(1 - s), -sp.log(1 + sp.exp(t))),
    ("(1 - e^t/(1+e^t))^-1 = 1 + e^t", (1 - sp.exp(t) / (1 + sp.exp(t))) ** -1, 1 + sp.exp(t)),
    ("s' written e^-t/(1+e^-t)^2", sp.Derivative(s, t), sp.exp(-t) / (1 + sp.exp(-t)) ** 2),
    ("BCE dL/dw_i, no assumption on y", sp.Derivative(bce, w[i]), (sx - y) * x[i]),
    ("BCE dL/db", sp.Derivative(bce, b), sx - y),
    ("mean + λ‖w‖² gradient", sp.Derivative(mean_loss, w[i]),
     sp.Sum((s_n(n) - Yv[n]) * X[n, i], (n, 1, N)) / N + 2 * lam * w[i]),
    ("Hessian", sp.Derivative(mean_loss, w[i], w[l]),
     sp.Sum(s_n(n) * (1 - s_n(n)) * X[n, i] * X[n, l], (n, 1, N)) / N
     + 2 * lam * sp.KroneckerDelta(i, l)),
    ("Hessian, e^-t/(1+e^-t)^2 inside the sum", sp.Derivative(mean_loss, w[i], w[l]),
     sp.Sum(sp.exp(-t_n(n)) / (1 + sp.exp(-t_n(n))) ** 2 * X[n, i] * X[n, l], (n, 1, N)) / N
     + 2 * lam * sp.KroneckerDelta(i, l)),
    ("softmax K=2 (z a 2-vector) = σ(z1 - z2)",
     sp.exp(z2[1]) / sp.Sum(sp.exp(z2[c]), (c, 1, 2)), sig(z2[1] - z2[2])),
    ("softmax K literal 2, class 2 = σ(z2 - z1)",
     sp.exp(zK[2]) / sp.Sum(sp.exp(zK[c]), (c, 1, 2)), sig(zK[2] - zK[1])),
    ("log-odds: log(s/(1-s)) = t", sp.log(s / (1 - s)), t),
]


@pytest.mark.parametrize(("name", "lhs", "rhs"), PROVED, ids=[p[0] for p in PROVED])
def test_sigmoid_and_bce_forms_are_proved(name, lhs, rhs):
    v = prove_equal(lhs, rhs)
    assert v.status == "proved", (v.note, v.residual)


# (name, lhs, rhs): each false at a point given by hand.
REFUTED = [
    ("ds/dt = s(1+s)", sp.Derivative(s, t), s * (1 + s)),  # t=0: 1/4 vs 3/4
    ("1 - s = 1/(1+e^-t)", 1 - s, 1 / (1 + sp.exp(-t))),  # t=1: 0.27 vs 0.73
    ("BCE gradient sign", sp.Derivative(bce, w[i]), (y - sx) * x[i]),  # x=1, y=0, t=0
    ("BCE db without y", sp.Derivative(bce, b), sx),  # y=1: s − 1 ≠ s
    ("Hessian without 1 - s", sp.Derivative(mean_loss, w[i], w[l]),
     sp.Sum(s_n(n) * X[n, i] * X[n, l], (n, 1, N)) / N + 2 * lam * sp.KroneckerDelta(i, l)),
    ("softmax K symbolic is not σ(z1 - z2)",  # K = 3: e^{z1}/(e^{z1}+e^{z2}+e^{z3})
     sp.exp(zK[1]) / sp.Sum(sp.exp(zK[c]), (c, 1, K)), sig(zK[1] - zK[2])),
]


@pytest.mark.parametrize(("name", "lhs", "rhs"), REFUTED, ids=[p[0] for p in REFUTED])
def test_wrong_sigmoid_forms_are_refuted(name, lhs, rhs):
    v = prove_equal(lhs, rhs)
    assert v.status == "refuted", (v.note, v.residual)


def test_sigmoid_claim_with_an_abbreviation():
    sym = sp.Symbol("s")
    claim = Claim("sigmoid_grad", sp.Derivative(sym, t), sym * (1 - sym), defs={sym: lambda: s})
    assert prove(claim).status == "proved"


# ------------------------------------------------------------------ the normal form
SC = Scope(index_ranges={})


def nf(e):
    return to_poly(e, SC)


def test_both_spellings_of_a_base_meet_in_one_atom():
    """1 + e^{-t} = e^{-t}(e^t + 1): the two spellings give one normal form."""
    assert nf(1 / (1 + sp.exp(-t))) == nf(sp.exp(t) / (sp.exp(t) + 1))
    assert nf(1 / (2 + 2 * sp.exp(-t))) == nf(sp.exp(t) / (2 * sp.exp(t) + 2))
    assert nf(sp.log(1 + sp.exp(-t))) == nf(-t + sp.log(1 + sp.exp(t)))


def test_together_decides_zero_only_where_the_numerator_is_zero():
    a = 1 / (1 + sp.exp(-t)) ** 2 + sp.exp(-t) / (1 + sp.exp(-t)) ** 2
    assert is_zero(poly_sub(nf(a), nf(1 / (1 + sp.exp(-t)))))  # (1+e^-t)/(1+e^-t)^2
    assert not is_zero(poly_sub(nf(a), nf(1 / (1 + sp.exp(t)))))  # t=0 agrees, t=1 not


# ------------------------------------------------------------------ assumption kinds
yK = sp.IndexedBase("y", shape=(K,))
YN = sp.IndexedBase("Y", shape=(N, K))


def test_assumption_strings_in_notes_notation():
    assert str(sums_to_one(yK)) == "Σ_k y_k = 1"
    assert str(sums_to_one(YN)) == "Σ_k Y_nk = 1 for every n"
    assert str(sums_to_one(YN, axis=0)) == "Σ_n Y_nk = 1 for every k"
    assert str(nonnegative(yK)) == "y_k ≥ 0"
    assert str(binary(YN)) == "Y_nk ∈ {0, 1} for every n, k"
    assert str(one_hot(YN)) == "Y_nk ∈ {0, 1}, Σ_k Y_nk = 1 for every n"


square_sum = sp.Sum(yK[c] ** 2, (c, 1, K))
# (name, lhs, rhs, assumptions, verdict): Σ_k y_k² = 1 holds for one-hot rows only;
# soft labels (1/2, 1/2) give 1/2, signed rows (2, −1) give 5, {0,1} rows (1, 1) give 2.
ASSUMED = [
    ("Σy² = 1 | one_hot", square_sum, 1, [one_hot(yK)], "proved"),
    ("Σy² = 1 | sums_to_one (soft or signed rows)", square_sum, 1, [sums_to_one(yK)], "refuted"),
    ("Σy² = 1 | soft labels", square_sum, 1, [sums_to_one(yK), nonnegative(yK)], "refuted"),
    ("Σy² = 1 | binary", square_sum, 1, [binary(yK)], "refuted"),
    ("Σy² = 1 | binary + sums_to_one", square_sum, 1, [binary(yK), sums_to_one(yK)], "proved"),
    ("Σy² = Σy | binary", square_sum, sp.Sum(yK[c], (c, 1, K)), [binary(yK)], "proved"),
    ("Σy² = Σy | nonnegative", square_sum, sp.Sum(yK[c], (c, 1, K)), [nonnegative(yK)],
     "refuted"),
    ("y_j y_k = δ_jk y_k | one_hot", yK[j] * yK[k], sp.KroneckerDelta(j, k) * yK[k],
     [one_hot(yK)], "proved"),
    ("y_j y_k = δ_jk y_k | sums_to_one", yK[j] * yK[k], sp.KroneckerDelta(j, k) * yK[k],
     [sums_to_one(yK)], "refuted"),
    ("Σ_k Y_nk² = 1 | one_hot", sp.Sum(YN[n, c] ** 2, (c, 1, K)), 1, [one_hot(YN)], "proved"),
    ("Y_nk Y_mk = δ_nm Y_nk | one_hot along k (wrong axis)", YN[n, k] * YN[m, k],
     sp.KroneckerDelta(n, m) * YN[n, k], [one_hot(YN)], "refuted"),
    ("Y_nk Y_mk = δ_nm Y_nk | one_hot along n", YN[n, k] * YN[m, k],
     sp.KroneckerDelta(n, m) * YN[n, k], [one_hot(YN, axis=0)], "proved"),
    ("Y_n(1 − Y_n) = 0 | binary", Yv[n] * (1 - Yv[n]), 0, [binary(Yv)], "proved"),
    ("Y_n³ = Y_n | binary", Yv[n] ** 3, Yv[n], [binary(Yv)], "proved"),
    ("Y_n(1 − Y_n) = 0 | nonnegative", Yv[n] * (1 - Yv[n]), 0, [nonnegative(Yv)], "refuted"),
]


@pytest.mark.parametrize(("name", "lhs", "rhs", "assumed", "verdict"), ASSUMED,
                         ids=[a[0] for a in ASSUMED])
def test_assumption_kinds(name, lhs, rhs, assumed, verdict):
    v = prove_equal(lhs, rhs, assumptions=assumed)
    assert v.status == verdict, (v.note, v.residual)
    if verdict == "refuted":
        _check_satisfies(v.counterexample.values, assumed)


def _check_satisfies(values: dict, assumed) -> None:
    """The counterexample's inputs satisfy every assumption (checked here, by NumPy)."""
    for a in assumed:
        arr = np.asarray(values[str(a.base.label)], dtype=float)
        if a.kind in ("binary", "one_hot"):
            assert set(np.unique(arr)) <= {0.0, 1.0}
        if a.kind in ("sums_to_one", "one_hot"):
            assert np.allclose(arr.sum(axis=a.axis), 1.0)
        if a.kind == "nonnegative":
            assert (arr >= 0).all()


def test_soft_labels_are_drawn_for_nonnegative_and_sums_to_one():
    v = prove_equal(square_sum, 1, assumptions=[sums_to_one(yK), nonnegative(yK)])
    arr = np.asarray(v.counterexample.values["y"], dtype=float)
    assert ((arr > 0) & (arr < 1)).any()  # not one-hot


# ------------------------------------------------------------------ sums of such fractions
fK = sp.IndexedBase("f", shape=(K,))


def test_sums_of_sigmoid_fractions_keep_the_range_rules():
    # term by term e^{-a}/(1+e^{-a})² = σ(a)(1 − σ(a)), also over 3..K (empty for K ≤ 2)
    lhs = sp.Sum(sp.exp(-fK[c]) / (1 + sp.exp(-fK[c])) ** 2, (c, 3, K))
    rhs = sp.Sum(sig(fK[c]) * (1 - sig(fK[c])), (c, 3, K))
    assert prove_equal(lhs, rhs).status == "proved"
    # σ(a) + σ(−a) = 1 term by term, but the sum over 3..K is not K − 2 (K = 1: 0 vs −1)
    pairs = sp.Sum(sig(fK[c]) + sig(-fK[c]), (c, 3, K))
    assert prove_equal(pairs, sp.Sum(1, (c, 3, K))).status == "proved"
    assert prove_equal(pairs, K - 2).status == "refuted"
    # over 1..K it is K
    assert prove_equal(sp.Sum(sig(fK[c]) + sig(-fK[c]), (c, 1, K)), K).status == "proved"
