"""Every rewrite rule of the normal form's registry, on a case where it applies and on
cases where it must NOT (other ranges, an empty range, a size of 1, a colliding index
name, a sign not known): one table, one row per case.

A row ``(rule, what, lhs, rhs, rules, expected)`` puts both sides into the normal form
with the assumption ``rules`` in force and asks :func:`is_zero`. ``expected`` is True
where the identity holds and the rule must close it, False where the rule must not apply
(the identity fails, or is undefined, at some size or value given beside the row, so
"not shown" is the only right answer), and ``Unsupported`` where the input must be refused. A rule whose side
condition is weakened turns a False row into a proof; a rule that stops applying turns a
True row into "not shown". ``test_every_rule_has_both_kinds_of_case`` keeps the table in
step with :data:`derive.engine.algebra.RULES`.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest
import sympy as sp

from derive.engine import Scope
from derive.engine.algebra import (
    RULES,
    Unsupported,
    is_zero,
    make_entry_rule,
    make_rule,
    poly_sub,
    to_poly,
    traced,
)
from derive.engine.algebra.convert import _shift_offsets
from derive.engine.algebra.terms import SUBSTITUTE, Atom

K, N = sp.symbols("K N", integer=True, positive=True)
c, p, n = sp.symbols("c p n", integer=True)
j, k, i, w, v, u, m, e = sp.symbols("j k i w v u m e", integer=True)
clash = sp.Symbol("_u0", integer=True)  # spelt like the algebra's own bound indices
a, s = sp.symbols("a s", positive=True)  # provably positive scalars
b, g, t = sp.symbols("b g t", real=True)  # signed scalars
y = sp.IndexedBase("y", shape=(K,))
x = sp.IndexedBase("x")
f = sp.IndexedBase("f")
Y = sp.IndexedBase("Y", shape=(N, K))
d = sp.KroneckerDelta
E = sp.exp
T = sp.IndexedBase("T")  # an integer label in 1..K

SCOPE = Scope(index_ranges={
    j: (1, K), k: (1, K), clash: (1, K),
    i: (1, N), n: (1, N),  # another range
    w: (2, K + 1),  # overlaps 1..K except at its ends
    v: (K + 1, K + N),  # disjoint from 1..K
    u: (K, K + N),  # shares one value (K) with 1..K
    m: (2, K),  # 1..K without 1 (empty when K = 1)
    e: (1, N + 1),  # one past the rows
}, label_bases={T: (1, K)})

SUMS_TO_ONE = [make_rule(sp.Sum(Y[sp.Symbol("r", integer=True), c], (c, 1, K)), sp.Integer(1),
                         {sp.Symbol("r", integer=True): (1, N)}, "rows of Y sum to 1")]
BINARY = [make_entry_rule(y, (K,), None, "binary(y)")]
ONE_HOT = [make_entry_rule(Y, (N, K), 1, "one_hot(Y)")]
PAIR = sp.IndexedBase("P")
TWO = [make_rule(sp.Sum(PAIR[sp.Symbol("r", integer=True), c], (c, 1, 2)), sp.Integer(1),
                 {sp.Symbol("r", integer=True): (1, N)}, "rows of P sum to 1 (two columns)")]


def sigmoid(z: sp.Expr) -> sp.Expr:
    return 1 / (1 + E(-z))


class Case(NamedTuple):
    rule: str
    what: str
    lhs: sp.Expr
    rhs: sp.Expr
    rules: list
    expected: object  # True, False or Unsupported


def case(rule: str, what: str, lhs, rhs, expected, rules=()) -> Case:
    return Case(rule, what, sp.sympify(lhs), sp.sympify(rhs), list(rules), expected)


R = RULES  # the names below are registry keys; a typo fails the completeness test
CASES = [
    # δ_ab as 1, 0 or an atom
    case("a Kronecker delta of one index or of disjoint ranges", "δ_jj = 1", d(j, j) * y[j], y[j], True),
    case("a Kronecker delta of one index or of disjoint ranges", "δ_22 = 1 (as written, unevaluated)",
         d(2, 2, evaluate=False), 1, True),
    case("a Kronecker delta of one index or of disjoint ranges", "δ_12 = 0", d(1, 2), 0, True),
    case("a Kronecker delta of one index or of disjoint ranges", "disjoint ranges: δ_jv = 0",
         d(j, v), 0, True),
    case("a Kronecker delta of one index or of disjoint ranges",
         "ranges sharing their end K: δ_ju ≠ 0 (j = u = K)", d(j, u), 0, False),
    case("a Kronecker delta of one index or of disjoint ranges",
         "1..K and 2..K+1 overlap once K ≥ 2: δ_jw ≠ 0", d(j, w), 0, False),
    case("a Kronecker delta of one index or of disjoint ranges",
         "other ranges 1..K, 1..N overlap at 1: δ_ji ≠ 0", d(j, i), 0, False),
    case("a Kronecker delta of one index or of disjoint ranges", "δ_jk ≠ 1 (j ≠ k)",
         d(j, k), 1, False),
    # δ^n = δ
    case("a Kronecker delta to a power", "δ² = δ", d(j, k) ** 2 * y[j], d(j, k) * y[j], True),
    case("a Kronecker delta to a power", "y_j² ≠ y_j (only a δ is idempotent)", y[j] ** 2, y[j],
         False),
    case("a Kronecker delta to a power", "a δ in a denominator is refused", 1 / d(j, k), 1,
         Unsupported),
    # powers
    case("a power of a polynomial", "(a²)^½ = a for a > 0", sp.sqrt(a**2), a, True),
    case("a power of a polynomial", "(s+a)² multiplied out", (s + a) ** 2, s**2 + 2 * a * s + a**2,
         True),
    case("a power of a polynomial", "(1/(1 + e^t) + 1)^{-1} = (1 + e^t)/(2 + e^t)",
         (1 / (1 + E(t)) + 1) ** -1, (1 + E(t)) / (2 + E(t)), True),
    case("a power of a polynomial", "(b²)^½ ≠ b for a signed b (b = −1)",
         sp.Pow(b**2, sp.Rational(1, 2), evaluate=False), b, False),
    # content out of a bracket
    case("content out of a bracket", "(e^t + e^{2t})^{-1} = e^{-t}(1 + e^t)^{-1}",
         1 / (E(t) + E(2 * t)), E(-t) / (1 + E(t)), True),
    case("content out of a bracket", "(a·b + a)^½ = a^½ (b + 1)^½ for a > 0",
         sp.sqrt(a * b + a), sp.sqrt(a) * sp.sqrt(b + 1), True),
    case("content out of a bracket", "(b·g + b)^½ ≠ b^½ (g + 1)^½ (b = −1, g = −3: √2 vs −√2)", sp.sqrt(b * g + b), sp.sqrt(b) * sp.sqrt(g + 1), False),
    # exp
    case("exp of a sum", "exp(t + 2b) = e^t (e^b)²", E(t + 2 * b), E(t) * E(b) ** 2, True),
    case("exp of a sum", "exp(t·b) ≠ e^t e^b (t = b = 1)", E(t * b), E(t) * E(b), False),
    # log
    case("split a log", "log(a s) = log a + log s for a, s > 0", sp.log(a * s),
         sp.log(a) + sp.log(s), True),
    case("split a log", "log(e^t/(1 + e^t)) = t − log(1 + e^t)", sp.log(E(t) / (1 + E(t))),
         t - sp.log(1 + E(t)), True),
    case("split a log", "log(b g) ≠ log b + log g for signed b, g (both −1)", sp.log(b * g),
         sp.log(b) + sp.log(g), False),
    case("split a log", "log(b/(1 + e^t)): numerator b not known positive",
         sp.log(b / (1 + E(t))), sp.log(b) - sp.log(1 + E(t)), False),
    case("split a log", "log((b + e^t)/(1 + e^t)): numerator not known positive (b = −2, t = 0)",
         sp.log((b + E(t)) / (1 + E(t))), sp.log(b + E(t)) - sp.log(1 + E(t)), False),
    case("split a log", "log((a + e^t)/(b + e^t)): denominator not known positive (b = −2, t = 0)",
         sp.log((a + E(t)) / (b + E(t))), sp.log(a + E(t)) - sp.log(b + E(t)), False),
    case("split a log", "log((a + e^t)/(s + e^t)) = log(a + e^t) − log(s + e^t) for a, s > 0",
         sp.log((a + E(t)) / (s + E(t))), sp.log(a + E(t)) - sp.log(s + E(t)), True),
    case("split a log", "log(b + g) with signed terms: no content out (b = g = −1)",
         sp.log(2 * b + 2 * g), sp.log(2) + sp.log(b + g), False),
    case("split a log", "log of a sum over a possibly empty range m ∈ 2..K is not split",
         sp.log(a * sp.Sum(E(f[c]), (c, 2, K))), sp.log(a) + sp.log(sp.Sum(E(f[c]), (c, 2, K))),
         False),
    case("split a log", "log 0 is refused", sp.log(sp.Integer(0), evaluate=False), 0, Unsupported),
    case("log of a number by its primes", "log 4 = 2 log 2", sp.log(4, evaluate=False),
         2 * sp.log(2), True),
    case("log of a number by its primes", "log(1/2) = −log 2",
         sp.log(sp.Rational(1, 2), evaluate=False), -sp.log(2), True),
    case("log of a number by its primes", "log(2b) ≠ log 2 + log b for a signed b",
         sp.log(2 * b), sp.log(2) + sp.log(b), False),
    case("log of a number by its primes", "log 6 ≠ log 2 + log 4",
         sp.log(6, evaluate=False), sp.log(2) + sp.log(4, evaluate=False), False),
    # entries
    case("binary entries", "binary(y): y_j² = y_j", y[j] ** 2, y[j], True, BINARY),
    case("binary entries", "binary(y): Σ_c y_c³ = Σ_c y_c", sp.Sum(y[c] ** 3, (c, 1, K)),
         sp.Sum(y[c], (c, 1, K)), True, BINARY),
    case("binary entries", "an entry past the shape: y_w for w ∈ 2..K+1", y[w] ** 2, y[w], False,
         BINARY),
    case("binary entries", "without the hypothesis", y[j] ** 2, y[j], False),
    case("binary entries", "a negative power is not an entry rule", y[j] ** -1, y[j], False, BINARY),
    case("one-hot entries", "one_hot(Y): Y_ij Y_ik = δ_jk Y_ik", Y[i, j] * Y[i, k],
         d(j, k) * Y[i, k], True, ONE_HOT),
    case("one-hot entries", "along axis 1 only: Y_ij Y_nj ≠ δ_in Y_nj", Y[i, j] * Y[n, j],
         d(i, n) * Y[n, j], False, ONE_HOT),
    case("one-hot entries", "a row past the shape (e ∈ 1..N+1)", Y[e, j] * Y[e, k],
         d(j, k) * Y[e, k], False, ONE_HOT),
    case("one-hot entries", "binary only (no axis)", y[j] * y[k], d(j, k) * y[k], False, BINARY),
    case("eliminate the last entry", "Σ_{c=1}^{2} P_ic = 1: P_i2 = 1 − P_i1", PAIR[i, 2],
         1 - PAIR[i, 1], True, TWO),
    case("eliminate the last entry", "a row past the hypothesis (e ∈ 1..N+1)", PAIR[e, 2],
         1 - PAIR[e, 1], False, TWO),
    case("eliminate the last entry", "P_i1 = 1 − P_i2 (the last entry eliminated on the right)",
         PAIR[i, 1], 1 - PAIR[i, 2], True, TWO),
    case("eliminate the last entry", "a third column is not covered", PAIR[i, 3],
         1 - PAIR[i, 1] - PAIR[i, 2], False, TWO),
    # sums
    case("sum the Kronecker deltas", "Σ_c δ_cj y_c = y_j", sp.Sum(d(c, j) * y[c], (c, 1, K)), y[j],
         True),
    case("sum the Kronecker deltas", "a colliding name: Σ_c δ_{c,_u0} y_c = y_{_u0}",
         sp.Sum(d(c, clash) * y[c], (c, 1, K)), y[clash], True),
    case("sum the Kronecker deltas", "two dummies of one range", sp.Sum(d(c, p) * y[c] * x[p],
         (c, 1, K), (p, 1, K)), sp.Sum(y[c] * x[c], (c, 1, K)), True),
    case("sum the Kronecker deltas", "j ∈ 1..K summed over 1..N (K > N)",
         sp.Sum(d(c, j) * y[c], (c, 1, N)), y[j], False),
    case("sum the Kronecker deltas", "j ∈ 1..K summed over 2..K (j = 1)",
         sp.Sum(d(c, j) * y[c], (c, 2, K)), y[j], False),
    case("sum the Kronecker deltas", "w ∈ 2..K+1 summed over 1..K (w = K + 1)",
         sp.Sum(d(c, w) * y[c], (c, 1, K)), y[w], False),
    case("sum the Kronecker deltas", "dummies of other ranges (1..K, 1..N)",
         sp.Sum(d(c, p) * y[c] * x[p], (c, 1, K), (p, 1, N)), sp.Sum(y[c] * x[c], (c, 1, K)),
         False),
    case("sum the Kronecker deltas", "dummies of other ranges (1..K, 1..N), read the other way",
         sp.Sum(d(c, p) * y[c] * x[p], (c, 1, K), (p, 1, N)), sp.Sum(y[c] * x[c], (c, 1, N)),
         False),
    case("sum the Kronecker deltas", "a number outside the range: Σ_{c=2}^{K} δ_c1 y_c ≠ y_1",
         sp.Sum(d(c, 1) * y[c], (c, 2, K)), y[1], False),
    case("write out a sum over a fixed range", "Σ_{c=1}^{2} y_c = y_1 + y_2",
         sp.Sum(y[c], (c, 1, 2)), y[1] + y[2], True),
    case("write out a sum over a fixed range", "a size of 1: Σ_{c=1}^{1} y_c = y_1",
         sp.Sum(y[c], (c, 1, 1)), y[1], True),
    case("write out a sum over a fixed range", "empty: Σ_{c=3}^{2} y_c = 0",
         sp.Sum(y[c], (c, 3, 2)), 0, True),
    case("write out a sum over a fixed range", "not one term short: Σ_{c=1}^{2} y_c ≠ y_1",
         sp.Sum(y[c], (c, 1, 2)), y[1], False),
    case("write out a sum over a fixed range", "empty is 0, not Karr's −y_3: Σ_{c=4}^{2} y_c",
         sp.Sum(y[c], (c, 4, 2)), -y[3], False),
    case("write out a sum over a fixed range", "a symbolic range is not written out",
         sp.Sum(y[c], (c, 1, K)), y[1] + y[2], False),
    case("length of a range", "Σ_{c=1}^{K} x_i = K x_i", sp.Sum(x[i], (c, 1, K)), K * x[i], True),
    case("length of a range", "Σ_{c=2}^{K} 1 = K − 1 (0 at K = 1)", sp.Sum(1, (c, 2, K)), K - 1,
         True),
    case("length of a range", "Σ_{c=3}^{K} 1 ≠ K − 2 (K = 1: 0 vs −1)", sp.Sum(1, (c, 3, K)),
         K - 2, False),
    case("length of a range", "Σ_{c=K}^{N} 1 ≠ N − K + 1 (K = 3, N = 1)", sp.Sum(1, (c, K, N)),
         N - K + 1, False),
    case("use an assumption", "Σ_c Y_ic = 1", sp.Sum(Y[i, c], (c, 1, K)), 1, True, SUMS_TO_ONE),
    case("use an assumption", "inside another sum: Σ_n x_n Σ_c Y_nc = Σ_n x_n",
         sp.Sum(x[n] * sp.Sum(Y[n, c], (c, 1, K)), (n, 1, N)), sp.Sum(x[n], (n, 1, N)), True,
         SUMS_TO_ONE),
    case("use an assumption", "a row past the hypothesis (e ∈ 1..N+1)",
         sp.Sum(Y[e, c], (c, 1, K)), 1, False, SUMS_TO_ONE),
    case("use an assumption", "another range: Σ_{c=2}^{K} Y_ic ≠ 1", sp.Sum(Y[i, c], (c, 2, K)), 1,
         False, SUMS_TO_ONE),
    case("use an assumption", "another body: Σ_c Y_ic² ≠ 1", sp.Sum(Y[i, c] ** 2, (c, 1, K)), sp.Integer(1),
         False, SUMS_TO_ONE),
    case("use an assumption", "without the hypothesis", sp.Sum(Y[i, c], (c, 1, K)), 1, False),
    case("log of a product", "log Π_n e^{x_n} = Σ_n x_n", sp.log(sp.Product(E(x[n]), (n, 1, N))),
         sp.Sum(x[n], (n, 1, N)), True),
    case("log of a product", "signed factors are refused", sp.log(sp.Product(x[n], (n, 1, N))),
         sp.Sum(sp.log(x[n]), (n, 1, N)), Unsupported),
    case("shift an index offset", "Σ_{c=2}^{K} y_{c−1} = Σ_{c=1}^{K−1} y_c",
         sp.Sum(y[c - 1], (c, 2, K)), sp.Sum(y[c], (c, 1, K - 1)), True),
    case("shift an index offset", "not to the other side: Σ_{c=2}^{K} y_{c−1} ≠ Σ_{c=2}^{K} y_c",
         sp.Sum(y[c - 1], (c, 2, K)), sp.Sum(y[c], (c, 2, K)), False),
    case("shift an index offset", "two offsets are left as written (refused)",
         sp.Sum(y[c - 1] * y[c], (c, 2, K)), sp.Sum(y[c] * y[c + 1], (c, 1, K - 1)), Unsupported),
    case("a symbolic power", "a^b = exp(b log a) for a > 0", a**b, E(b * sp.log(a)), True),
    case("a symbolic power", "a signed base is refused", g**b, E(b * sp.log(g)), Unsupported),
    # the zero test
    case("split the Kronecker-delta cases", "δ_jk y_j = δ_jk y_k", d(j, k) * y[j], d(j, k) * y[k],
         True),
    case("split the Kronecker-delta cases", "δ_jk y_j ≠ y_k (j ≠ k)", d(j, k) * y[j], y[k], False),
    case("split the Kronecker-delta cases", "δ_jk ≠ δ_jk δ_{j,_u0} (a colliding name)",
         d(j, k), d(j, k) * d(j, clash), False),
    case("split the Kronecker-delta cases", "against a label t_i ∈ 1..K: δ_{k,t_i} y_k = δ_{k,t_i} "
         "y_{t_i}", d(k, T[i]) * y[k], d(k, T[i]) * y[T[i]], True),
    case("split the Kronecker-delta cases", "δ_{k,t_i} y_k ≠ y_{t_i} (k ≠ t_i)", d(k, T[i]) * y[k],
         y[T[i]], False),
    case("common denominator", "1/(1 + e^t) + e^t/(1 + e^t) = 1", 1 / (1 + E(t)) + E(t) / (1 + E(t)),
         1, True),
    case("common denominator", "σ(t) + σ(−t) = 1", sigmoid(t) + sigmoid(-t), 1, True),
    case("common denominator", "σ(t) + σ(t) ≠ 1 (t = 1)", 2 * sigmoid(t), 1, False),
    case("common denominator", "1/(1 + e^t) + e^t/(2 + e^t) ≠ 1",
         1 / (1 + E(t)) + E(t) / (2 + E(t)), 1, False),
    case("merge sums over the same range", "Σ_c σ(f_c) + Σ_c σ(−f_c) = K",
         sp.Sum(sigmoid(f[c]), (c, 1, K)) + sp.Sum(sigmoid(-f[c]), (c, 1, K)), K, True),
    case("merge sums over the same range", "ranges 1..K and 2..K are not merged",
         sp.Sum(sigmoid(f[c]), (c, 1, K)) + sp.Sum(sigmoid(-f[c]), (c, 2, K)), K, False),
    case("merge sums over the same range", "ranges 1..K and 1..N are not merged",
         sp.Sum(sigmoid(f[c]), (c, 1, K)) + sp.Sum(sigmoid(-f[c]), (c, 1, N)), K, False),
    case("cancel an exact divisor", "Σ_c e^{f_c}/(1 + e^{f_c}) + Σ_c 1/(1 + e^{f_c}) = K",
         sp.Sum(E(f[c]) / (1 + E(f[c])), (c, 1, K)) + sp.Sum(1 / (1 + E(f[c])), (c, 1, K)), K,
         True),
    case("cancel an exact divisor", "(e^{f_c} + 2)/(e^{f_c} + 1) does not divide (f_c = 0: 3/2)",
         sp.Sum(E(f[c]) / (1 + E(f[c])), (c, 1, K)) + sp.Sum(2 / (1 + E(f[c])), (c, 1, K)), K,
         False),
]


def _decide(row: Case) -> bool:
    lhs = to_poly(row.lhs, SCOPE, row.rules)
    rhs = to_poly(row.rhs, SCOPE, row.rules)
    return is_zero(poly_sub(lhs, rhs), row.rules)


@pytest.mark.parametrize("row", CASES, ids=[f"{r.rule}: {r.what}" for r in CASES])
def test_rule(row: Case) -> None:
    if row.expected is Unsupported:
        with pytest.raises(Unsupported):
            _decide(row)
        return
    assert _decide(row) is row.expected, row.what


# rules traced by name: where a True row is closed, the rule must be among those applied
TRACED = {"sum the Kronecker deltas", "write out a sum over a fixed range",
          "split the Kronecker-delta cases"}


@pytest.mark.parametrize("row", [r for r in CASES if r.expected is True and r.rule in TRACED],
                         ids=lambda r: f"{r.rule}: {r.what}")
def test_the_rule_is_what_closed_it(row: Case) -> None:
    with traced() as applied:
        assert _decide(row)
    assert row.rule in applied


def test_every_rule_has_both_kinds_of_case() -> None:
    applies = {r.rule for r in CASES if r.expected is True}
    must_not = {r.rule for r in CASES if r.expected is not True}
    assert set(RULES) - applies == set(), "rules with no case where they apply"
    assert set(RULES) - must_not == set(), "rules with no case where they must not apply"
    assert {r.rule for r in CASES} <= set(RULES), "rows naming no registered rule"


def test_every_entry_states_its_side_conditions() -> None:
    for entry in RULES.values():
        assert entry.identity and entry.when and callable(entry.fn), entry.name


def test_every_atom_class_has_a_substitution() -> None:
    def subclasses(cls: type) -> set[type]:
        return {q for s in cls.__subclasses__() for q in {s} | subclasses(s)}

    assert subclasses(Atom) - set(SUBSTITUTE) == set()


def test_shift_leaves_two_offsets_as_written() -> None:
    """The change of variable needs one offset for every use of the dummy."""
    one = sp.Sum(y[c - 1], (c, 2, K))
    two = sp.Sum(y[c - 1] * y[c], (c, 2, K))
    assert _shift_offsets(one) == sp.Sum(y[c], (c, 1, K - 1))
    assert _shift_offsets(two) == two


@pytest.mark.parametrize("name", ["#1.0", "_u0", "#v"])
def test_a_user_name_never_meets_a_generated_one(name: str) -> None:
    """A free index the user calls ``#1.0`` (the canonical name of a sum's first dummy),
    ``_u0`` or ``#v`` is not captured: Σ_c A_{c,q} is not Σ_c A_{c,c}."""
    q = sp.Symbol(name, integer=True)
    A = sp.IndexedBase("A")
    scope = Scope(index_ranges={**SCOPE.index_ranges, q: (1, K)})
    lhs = to_poly(sp.Sum(A[c, q], (c, 1, K)), scope)
    assert not is_zero(poly_sub(lhs, to_poly(sp.Sum(A[c, c], (c, 1, K)), scope)))
    assert is_zero(poly_sub(lhs, to_poly(sp.Sum(A[p, q], (p, 1, K)), scope)))
