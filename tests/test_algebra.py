"""The normal form: equal things look equal, unequal things never do."""

import pytest
import sympy as sp

from derive.engine import Scope
from derive.engine.algebra import Unsupported, is_zero, make_rule, poly_sub, to_poly
from derive.models.softmax import SCOPE, D, K, N, X, Y, c, i, j, k, l, n, theta, x, y, z

S = SCOPE
d = sp.KroneckerDelta
p, q = sp.symbols("p q", integer=True)


def zero(a, b, rules=()):
    return is_zero(poly_sub(to_poly(a, S, rules), to_poly(b, S, rules)), rules)


# (description, lhs, rhs, equal for all sizes?)
CASES = [
    ("δ over 1..D, j in 1..K stays", sp.Sum(d(c, j) * y[c], (c, 1, D)), y[j], False),
    ("δ sum picks the class", sp.Sum(d(c, j) * y[c], (c, 1, K)), y[j], True),
    ("δ both ways round", sp.Sum(d(j, c) * y[c], (c, 1, K)), y[j], True),
    ("δ out of range stays", sp.Sum(d(c, i) * y[c], (c, 1, K)), y[i], False),
    ("δ with a constant index", sp.Sum(d(c, 2) * y[c], (c, 1, K)), y[2], False),
    ("alpha-equivalent sums", sp.Sum(sp.exp(z[c]), (c, 1, K)), sp.Sum(sp.exp(z[p]), (p, 1, K)), True),
    ("different ranges differ", sp.Sum(y[c], (c, 1, K)), sp.Sum(y[c], (c, 2, K)), False),
    ("linearity", sp.Sum(2 * y[c] + z[c], (c, 1, K)), 2 * sp.Sum(y[c], (c, 1, K)) + sp.Sum(z[c], (c, 1, K)), True),
    ("constant factor out", sp.Sum(x[i] * y[c], (c, 1, K)), x[i] * sp.Sum(y[c], (c, 1, K)), True),
    ("sum of a constant", sp.Sum(x[i], (c, 1, K)), K * x[i], True),
    ("product of sums", sp.Sum(y[c], (c, 1, K)) ** 2, sp.Sum(sp.Sum(y[c] * y[p], (c, 1, K)), (p, 1, K)), True),
    ("S·S⁻² = S⁻¹", sp.Sum(sp.exp(z[c]), (c, 1, K)) / sp.Sum(sp.exp(z[p]), (p, 1, K)) ** 2, 1 / sp.Sum(sp.exp(z[c]), (c, 1, K)), True),
    ("softmax sums to one", sp.Sum(sp.exp(z[c]) / sp.Sum(sp.exp(z[p]), (p, 1, K)), (c, 1, K)), sp.Integer(1), True),
    ("exp·exp⁻¹", sp.exp(z[k]) * sp.exp(-z[k]), sp.Integer(1), True),
    ("log of softmax splits", sp.log(sp.exp(z[k]) / sp.Sum(sp.exp(z[c]), (c, 1, K))), z[k] - sp.log(sp.Sum(sp.exp(z[c]), (c, 1, K))), True),
    ("log of a signed product stays", sp.log(x[i] * x[l]), sp.log(x[i]) + sp.log(x[l]), False),
    ("δ case split", d(j, k) * y[j], d(j, k) * y[k], True),
    ("δ case split, wrong", d(j, k) * y[j], y[k], False),
    ("nested sums, inner picked", sp.Sum(sp.Sum(theta[l, c] * d(c, j), (c, 1, K)) * x[l], (l, 1, D)), sp.Sum(theta[l, j] * x[l], (l, 1, D)), True),
    ("two dummies one δ", sp.Sum(sp.Sum(d(c, p) * y[c] * z[p], (c, 1, K)), (p, 1, K)), sp.Sum(y[c] * z[c], (c, 1, K)), True),
    ("distinct samples differ", sp.Sum(X[n, i], (n, 1, N)), N * X[1, i], False),
]


@pytest.mark.parametrize(("what", "a", "b", "equal"), CASES, ids=[c_[0] for c_ in CASES])
def test_normal_form(what, a, b, equal):
    assert zero(a, b) is equal


def test_assumption_rewrites_only_its_own_sum():
    rule = make_rule(sp.Sum(y[k], (k, 1, K)), sp.Integer(1), {}, "Σ_k y_k = 1")
    assert zero(sp.Sum(y[c], (c, 1, K)) * x[i], x[i], [rule])
    assert not zero(sp.Sum(y[c], (c, 1, K)) * x[i], x[i])
    assert not zero(sp.Sum(y[c] ** 2, (c, 1, K)), sp.Integer(1), [rule])
    assert not zero(sp.Sum(z[c], (c, 1, K)), sp.Integer(1), [rule])


def test_assumption_with_a_free_row_index():
    a = sp.Symbol("a", integer=True)
    rule = make_rule(sp.Sum(Y[a, k], (k, 1, K)), sp.Integer(1), {a: (1, N)}, "Σ_k Y_ak = 1")
    lhs = sp.Sum(X[n, i] * sp.Sum(Y[n, c], (c, 1, K)), (n, 1, N))
    assert zero(lhs, sp.Sum(X[n, i], (n, 1, N)), [rule])


@pytest.mark.parametrize(
    "expr",
    [sp.Sum(c, (c, 1, K)), sp.Sum(y[c], (c, 1, k)), y[k + 1], sp.Piecewise((1, K > 2), (0, True))],
    ids=["index as number", "bound on an index", "index arithmetic", "piecewise"],
)
def test_outside_the_fragment(expr):
    with pytest.raises(Unsupported):
        to_poly(expr, S)


def test_case_split_against_a_label_index():
    """δ_{k,t_i} g(k) = δ_{k,t_i} g(t_i) for an integer label t_i in 1..K."""
    t = sp.IndexedBase("t")
    scope = Scope(index_ranges=S.index_ranges, label_bases={t: (1, K)})
    a = sp.KroneckerDelta(k, t[i]) * z[k]
    b = sp.KroneckerDelta(k, t[i]) * z[t[i]]
    assert is_zero(poly_sub(to_poly(a, scope), to_poly(b, scope)))
    assert not is_zero(poly_sub(to_poly(a, scope), to_poly(z[t[i]], scope)))


def test_nesting_of_the_input_does_not_matter():
    """Σ_n Σ_k written nested or with two limits is one normal form."""
    a = sp.Sum(Y[n, k] * sp.Sum(X[n, l] * theta[l, k], (l, 1, D)), (k, 1, K), (n, 1, N))
    b = sp.Sum(sp.Sum(Y[n, k] * sp.Sum(X[n, l] * theta[l, k], (l, 1, D)), (k, 1, K)), (n, 1, N))
    c_ = sp.Sum(sp.Sum(Y[n, k] * sp.Sum(X[n, l] * theta[l, k], (l, 1, D)), (n, 1, N)), (k, 1, K))
    assert zero(a, b) and zero(b, c_) and zero(a, c_)


def test_log_of_a_product_of_positive_factors():
    """log Π_n exp(a_n)^{y_n} = Σ_n y_n a_n; a signed product's log is not split."""
    a = sp.IndexedBase("a", shape=(N,))
    w = sp.IndexedBase("w", shape=(N,))
    assert zero(sp.log(sp.Product(sp.exp(a[n]) ** w[n], (n, 1, N))), sp.Sum(w[n] * a[n], (n, 1, N)))
    with pytest.raises(Unsupported):
        to_poly(sp.log(sp.Product(a[n], (n, 1, N))), S)
