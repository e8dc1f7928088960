"""Soundness regressions (issue 8): every path that once gave a false "proved", and the
rules that must not apply where they do not hold (empty and reversed ranges, a size of 1,
different ranges, colliding names, conditions that never hold, literal values).

Each case states the truth by hand next to it; none depends on the engine's own output.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp

from derive import prove_equal
from derive.engine import Scope, algebra
from derive.errors import DeriveError
from derive.latex.verify import exact_zero, verify_file
from derive.models.softmax import SCOPE, D, K, x

from .cpu_timing import cpu_limit

c, e, j, w = sp.symbols("c e j w", integer=True)
delta = sp.KroneckerDelta
f = sp.IndexedBase("f", shape=(K,))
A = sp.IndexedBase("A", shape=(K, K))


def scope(**ranges) -> Scope:
    sym = {"c": c, "e": e, "j": j, "w": w}
    return Scope(index_ranges={sym[n]: r for n, r in ranges.items()})


# ------------------------------------------------------------------ ranges
# (lhs, rhs, scope, expected verdict, why) — the "why" is the hand computation.
RANGE_CASES = [
    (sp.Sum(1 - delta(c, 2), (c, 3, K)), K - 2, scope(),
     "refuted", "K=1: the sum over 3..1 is empty (0), K-2 = -1"),
    (sp.Sum(1, (c, 3, K)), K - 2, scope(), "refuted", "K=1: 0 vs -1"),
    (sp.Sum(1, (c, 1, K - 2)), K - 2, scope(), "refuted", "K=1: 0 vs -1"),
    (sp.Sum(1, (c, 1, K)), K, scope(), "proved", "K terms"),
    (sp.Sum(1, (c, 2, K)), K - 1, scope(), "proved", "K=1: empty, 0 = 0"),
    (sp.Sum(delta(c, 1), (c, 2, D)), 0, scope(), "proved", "1 is never in 2..D"),
    (sp.Sum(delta(c, 2) * f[c], (c, 3, K)), 0, scope(), "proved", "2 is never in 3..K"),
    (sp.Sum(delta(c, j) * f[c], (c, 1, K)), f[j], scope(j=(1, K)), "proved", "j in 1..K"),
    (sp.Sum(delta(c, j) * f[c], (c, 1, K)), f[j], scope(j=(1, D)),
     "unknown", "D > K, j = D: the sum is 0, f_j is outside f"),
    (sp.Sum(delta(c, e) * f[c], (c, 1, K)), f[e], scope(e=(2, K)), "proved", "2..K ⊆ 1..K"),
    (sp.Sum(delta(c, e) * f[c], (c, 2, K)), f[e], scope(e=(1, K)),
     "refuted", "e = 1 is not in 2..K"),
    (sp.Sum(delta(c, 1) * f[c], (c, 1, K)), f[1], scope(), "proved", "K ≥ 1 always holds 1"),
    (sp.Sum(delta(c, 2) * f[c], (c, 1, K)), f[2], scope(), "unknown",
     "K=1: 0 vs f_2 (f_2 is outside f, so no counterexample can be shown)"),
]


@pytest.mark.parametrize(("lhs", "rhs", "sc", "expected", "why"), RANGE_CASES,
                         ids=[c_[4] for c_ in RANGE_CASES])
def test_range_rules_use_one_convention(lhs, rhs, sc, expected, why):
    v = prove_equal(lhs, sp.sympify(rhs), scope=sc)
    if expected == "unknown":
        assert v.status != "proved", why
    else:
        assert v.status == expected, (why, v.note)


def test_empty_range_counterexample_is_at_the_size_that_empties_it():
    v = prove_equal(sp.Sum(1 - delta(c, 2), (c, 3, K)), K - 2)
    assert v.status == "refuted"
    assert v.counterexample.sizes["K"] in (1,)  # K = 2 also empties it but agrees: 0 = 0
    assert (v.counterexample.lhs, v.counterexample.rhs) == (0.0, -1.0)


def test_length_of_a_possibly_empty_range_is_not_hi_minus_lo_plus_one():
    # the mechanism: Σ_{c=3}^K 1 must not normalise to K − 2
    p = algebra.to_poly(sp.Sum(1, (c, 3, K)), SCOPE)
    assert p != algebra.to_poly(K - 2, SCOPE)
    # but two spellings of the same possibly-empty sum are still one atom
    q = algebra.to_poly(sp.Sum(1, (e, 3, K)), scope(e=(1, K)))
    assert algebra.poly_sub(p, q) == {}


def test_numeric_evaluation_reads_a_reversed_range_as_empty():
    from derive.engine.numeric import Point, evaluate

    pt = Point(sizes={K: 1})
    assert evaluate(sp.Sum(1, (c, 3, K)), pt) == 0.0  # SymPy's Karr reading says -1
    assert sp.Sum(1, (c, 3, 1)).doit() == -1  # (why the evaluator does not use doit)


# ------------------------------------------------------------------ names
GENERATED_LOOKING = ["#1.0", "#2.0", "#1.1", "_u0", "_u1", "_u7", "_a0", "x[1]", "exp", "log"]


@pytest.mark.parametrize("name", GENERATED_LOOKING)
def test_a_user_index_never_collides_with_a_generated_name(name):
    u = sp.Symbol(name, integer=True)
    sc = Scope(index_ranges={u: (1, K), c: (1, K)})
    lhs, rhs = sp.Sum(A[c, u], (c, 1, K)), sp.Sum(A[c, c], (c, 1, K))  # a column vs the trace
    assert algebra.poly_sub(algebra.to_poly(lhs, sc), algebra.to_poly(rhs, sc)) != {}
    assert prove_equal(lhs, rhs, scope=sc).status == "refuted"


@pytest.mark.parametrize("name", ["x[1]", "_u0", "#1.0", "exp"])
def test_a_user_symbol_never_collides_with_a_quantity_or_a_generated_atom(name):
    s = sp.Symbol(name, real=True)
    assert algebra.to_poly(s, SCOPE) != algebra.to_poly(x[1], SCOPE)
    v = prove_equal(s, x[1])
    assert v.status != "proved"


def test_a_user_function_called_log_is_not_the_logarithm():
    fake = sp.Function("log")  # a user's own function that happens to be called log
    y = sp.Symbol("y", positive=True)
    assert prove_equal(fake(y), sp.log(y)).status != "proved"


def test_printing_a_normal_form_never_captures_a_free_symbol():
    d = sp.Symbol("d", integer=True)  # free, same assumptions as a printed dummy
    expr = sp.Sum(A[c, c] * d, (c, 1, K)) + d
    back = algebra.to_sympy(algebra.to_poly(expr, SCOPE), SCOPE, like=expr)
    for s in back.atoms(sp.Sum):
        assert d not in {lim[0] for lim in s.limits}


# ------------------------------------------------------------------ budget
def test_an_index_with_no_range_is_an_error_not_a_partial_counterexample():
    # k appears only in a δ: no shape gives its range, and the engine does not guess one
    k = sp.Symbol("k", integer=True)
    z = sp.IndexedBase("z", shape=(K,))
    with pytest.raises(DeriveError, match="index k has no range"):
        prove_equal(sp.exp(delta(j, k) * z[j]), sp.exp(z[j]))


def test_delta_inside_exp_is_split_not_a_recursion_error():
    k = sp.Symbol("k", integer=True)
    z = sp.IndexedBase("z", shape=(K,))
    v = prove_equal(sp.exp(delta(j, k) * z[j]), sp.exp(z[j]), scope=SCOPE)
    assert v.status == "refuted"  # j ≠ k: e^0 = 1 vs e^{z_j}
    assert v.counterexample.indices["j"] != v.counterexample.indices["k"]
    t = prove_equal(sp.exp(delta(j, k) * z[j]), delta(j, k) * sp.exp(z[j]) + 1 - delta(j, k),
                    scope=SCOPE)
    assert t.status == "proved"


def test_over_budget_is_unknown_with_the_reason():
    y = sp.Symbol("y", positive=True)
    big = sp.Pow(1 + y, 10**6, evaluate=False)
    with cpu_limit(30.0):  # CPU time: the machine's load does not inflate it
        v = prove_equal(big, big + 1)
    assert v.status != "proved" and "budget" in v.note


def test_a_tiny_time_budget_gives_unknown_not_a_hang():
    from derive.models.softmax import nll, theta

    lhs = sp.Derivative(sp.Derivative(nll(), theta[1, 1]), theta[1, 2])
    assert prove_equal(lhs, lhs).status == "proved"
    v = prove_equal(lhs, lhs, budget=1e-4)  # true, but not within 0.1 ms
    assert v.status == "unknown" and "budget" in v.note


# ------------------------------------------------------------------ the safety net
def test_spot_check_sizes_are_distinct_and_include_one():
    from derive.engine.prover import _Search

    n = sp.Symbol("n", integer=True)
    X = sp.IndexedBase("X", shape=(sp.Symbol("N", integer=True, positive=True), D))
    s = _Search(X[n, 1], X[n, 1], X[n, 1], X[n, 1], SCOPE, ())
    plans = s.spot_plans()
    for sym in s.sizes:
        assert {p[sym] for p in plans} == {1, 2, 3, 4}
    for p in plans:
        assert len(set(p.values())) == len(p)  # D ≠ K ≠ N in every tuple


def test_a_point_that_cannot_be_evaluated_makes_the_verdict_unknown():
    g = sp.Function("g")  # the evaluator has no value for an unknown function
    y = sp.Symbol("y", real=True)
    v = prove_equal(g(y) + 0, g(y))
    assert v.status == "unknown" and "cannot evaluate" in v.note


# what each assumption kind says about the values of its quantity (array, axis)
_HOLDS = {
    "sums_to_one": lambda a, ax: bool(np.allclose(a.sum(axis=ax), 1.0)),
    "nonnegative": lambda a, ax: bool(np.all(a >= 0)),
    "binary": lambda a, ax: bool(np.all((a == 0) | (a == 1))),
    "one_hot": lambda a, ax: bool(np.all((a == 0) | (a == 1)) and np.all(a.sum(axis=ax) == 1)),
}


def test_counterexamples_prefer_distinct_sizes_and_satisfy_the_assumptions():
    from derive import catalogue, prove

    seen = 0
    for claim in catalogue.mutants():
        v = prove(claim)
        if v.status != "refuted" or not claim.assumptions:
            continue
        cex = v.counterexample
        for a in claim.assumptions:  # every assumption holds at the counterexample
            arr = np.array(cex.values[str(a.base.label)], dtype=float)
            assert _HOLDS[a.kind](arr, a.axis), (claim.name, str(a), cex)
        seen += 1
        if len(cex.sizes) > 1:
            assert len(set(cex.sizes.values())) == len(cex.sizes), (claim.name, cex.sizes)
    assert seen >= 5


# ------------------------------------------------------------------ derive verify
HEAD = ("% derive: size K, D\n% derive: index j, k in 1..K\n% derive: index i in 1..D\n"
        "% derive: tensor z_k, y_k\n")


def run(tmp_path, body: str, head: str = HEAD) -> list[dict]:
    p = tmp_path / "notes.tex"
    p.write_text(head + body)
    return verify_file(str(p))


def verdicts(tmp_path, body: str, head: str = HEAD) -> list[str]:
    return [r["verdict"] for r in run(tmp_path, body, head)]


def test_where_before_a_continued_block_does_not_reach_back(tmp_path):
    # z_k = z_1 is false (k = 2); under "k = 1" the continued step z_1 = z_k is true
    res = run(tmp_path, "$$ z_k = z_1 $$\n% derive: where k = 1\n$$ = z_k $$\n")
    assert [r["verdict"] for r in res] == ["refuted", "proved"]
    assert "where" not in res[0].get("note", "")


def test_where_before_the_first_block_goes_on_along_the_chain(tmp_path):
    assert verdicts(tmp_path, "% derive: where k = 1\n$$ z_k = z_1 $$\n$$ = z_k $$\n") == [
        "proved", "proved"]


@pytest.mark.parametrize("cond", [r"k \neq k", r"j = k, j \neq k", "k = 1, k = 2",
                                  r"j = 1, k = 1, j \neq k"])
def test_a_condition_that_can_never_hold_is_unknown(tmp_path, cond):
    res = run(tmp_path, f"% derive: where {cond}\n$$ z_k = z_1 + 7 $$\n")
    assert [r["verdict"] for r in res] == ["unknown"]
    assert "condition can never hold" in res[0]["note"]


def test_a_satisfiable_condition_still_checks(tmp_path):
    assert verdicts(tmp_path, "% derive: where j \\neq k\n$$ \\delta_{jk} z_k = 0 $$\n") == [
        "proved"]
    res = run(tmp_path, "% derive: where j = k\n$$ z_j = z_1 $$\n")
    assert [r["verdict"] for r in res] == ["refuted"]
    # the counterexample satisfies the condition j = k: only k is free after j := k
    assert "j" not in res[0]["counterexample"]["indices"]


def test_counterexamples_satisfy_a_neq_condition(tmp_path):
    res = run(tmp_path, "% derive: where j \\neq k\n$$ z_j = z_k $$\n")
    assert [r["verdict"] for r in res] == ["refuted"]
    idx = res[0]["counterexample"]["indices"]
    assert idx["j"] != idx["k"]


def test_a_literal_keeps_the_declared_column_shape(tmp_path):
    head = "% derive: size D\n% derive: index i in 1..D\n% derive: tensor x_i, s_i\n"
    # x is a column (declared x_i), s^T a row: x^T s = 1*3 + 2*4 = 11, and x s^T is 2×2
    assert verdicts(tmp_path, "% derive: where x = [1, 2], s = [3, 4]\n$$ x^T s = 11 $$\n",
                    head) == ["proved"]
    res = run(tmp_path, "% derive: where x = [1, 2], s = [3, 4]\n$$ x s^T = 11 $$\n", head)
    assert [r["verdict"] for r in res] != ["proved"]


def test_literal_values_are_honoured_for_entries_and_sizes(tmp_path):
    assert verdicts(tmp_path, "% derive: where z = [1, 2]\n$$ z_1 + z_2 = 3 $$\n") == [
        "proved"]
    assert verdicts(tmp_path, "% derive: where z = [1, 2]\n$$ \\sum_{k=1}^K z_k = 3 $$\n") == [
        "proved"]
    assert verdicts(tmp_path, "% derive: where K = 3\n$$ \\sum_{k=1}^K 1 = 3 $$\n") == [
        "proved"]
    assert verdicts(tmp_path, "% derive: where K = 3\n$$ \\sum_{k=1}^K 1 = 2 $$\n") == [
        "refuted"]
    # K = 3 and a z of length 2 (z_k, k in 1..K) contradict each other
    res = run(tmp_path, "% derive: where K = 3, z = [1, 2]\n$$ z_1 = 5 $$\n")
    assert "condition can never hold" in res[0]["note"]


def test_exact_arithmetic_is_exact(tmp_path):
    res = run(tmp_path, "\\[ 1 + 10^{-40} = 1 \\]\n")
    assert [r["verdict"] for r in res] == ["refuted"]
    assert res[0]["counterexample"]["difference"] == "1/" + "1" + "0" * 40
    assert verdicts(tmp_path, "\\[ 0.1 + 0.2 = 0.3 \\]\n") == ["proved"]  # decimals as written
    assert verdicts(tmp_path, "\\[ \\begin{bmatrix} 1 + 10^{-40} \\\\ 2 \\end{bmatrix} = "
                    "\\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix} \\]\n") == ["refuted"]
    assert verdicts(tmp_path, "\\[ e^{1/3} e^{1/3} = e^{2/3} + 10^{-50} \\]\n") == ["refuted"]
    assert verdicts(tmp_path, "\\[ e^{1/3} e^{1/3} = e^{2/3} \\]\n") == ["proved"]


@pytest.mark.parametrize(("d", "zero"), [
    (sp.Rational(1, 10**40), False), (sp.sqrt(2) * sp.sqrt(3) - sp.sqrt(6), True),
    (sp.sqrt(2) + sp.Rational(1, 10**40) - sp.sqrt(2), False),
    (sp.exp(1) + sp.Rational(1, 10**40) - sp.E, False), (sp.log(4) - 2 * sp.log(2), True),
    ((1 + sp.sqrt(2)) ** 2 - 3 - 2 * sp.sqrt(2), True), (sp.Float("0.1") - sp.Rational(1, 10), True),
])
def test_exact_zero_decides_rationals_and_algebraic_numbers(d, zero):
    assert exact_zero(d) is zero


def test_huge_power_is_unknown_not_a_hang(tmp_path):
    with cpu_limit(30.0):
        res = run(tmp_path, "\\[ 10^{10^{10}} = 1 \\]\n", "")
    assert [r["verdict"] for r in res] == ["unknown"]
    assert "budget" in res[0]["note"]


def test_delta_in_an_exponent_is_a_verdict_in_notes(tmp_path):
    assert verdicts(tmp_path, "$$ e^{\\delta_{jk} z_j} = e^{z_j} $$\n") == ["refuted"]


@pytest.mark.parametrize(("body", "where"), [
    ("\\[ z_1 = z_2 \n", "5:1"),
    ("$$ z_1 = z_2 \n", "5:1"),
    ("\\begin{align} z_1 &= z_2 \n", "5:1"),
    ("\\[ z_1 = z_1 \\]\n\\[ z_1 = z_2 \n", "6:1"),
    ("$$ z_1 = z_1 $$\n$$ z_1 = z_2\n", "6:1"),
])
def test_an_unclosed_display_is_an_error_naming_the_line(tmp_path, body, where):
    with pytest.raises(DeriveError, match=f"notes.tex:{where}: display math .* never closed"):
        run(tmp_path, body)


@pytest.mark.parametrize(("extra", "where", "what"), [
    ("% derive: index k in 1..D\n", "5:", "contradicts index k in 1..K"),
    ("% derive: scalar z\n", "5:", "declared twice"),
    ("% derive: let z_k = y_k\n", "5:", "contradicts tensor z"),
    ("% derive: tensor z_j\n", "5:", "declared twice"),
    ("% derive: scalar K\n", "5:", "declared twice"),
])
def test_contradictory_declarations_are_errors_naming_the_line(tmp_path, extra, where, what):
    with pytest.raises(DeriveError, match=f"notes.tex:{where}.*{what}"):
        run(tmp_path, extra + "$$ z_k = z_k $$\n")


def test_same_declaration_twice_and_abbreviations_are_fine(tmp_path):
    extra = "% derive: index k in 1..K\n% derive: size K\n% derive: let z_{jk} = z_k\n"
    assert verdicts(tmp_path, extra + "$$ z_k = z_k $$\n") == ["proved"]


def test_a_file_with_no_checkable_step_says_so_and_exits_0(tmp_path):
    # nothing to check is not a failure (a prose-only README under `derive verify docs/`,
    # a pre-commit run on a Markdown file), but it is said, never shown as "all proved"
    p = tmp_path / "empty.tex"
    p.write_text(HEAD + "Only text, and inline $a = b$ math.\n")
    out = subprocess.run([sys.executable, "-m", "derive", "verify", str(p)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0
    assert "no checkable step" in out.stderr and "nothing to check" in out.stderr
    assert "0 steps" in out.stdout
    out = subprocess.run([sys.executable, "-m", "derive", "verify", "--json", str(p)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and json.loads(out.stdout) == []


def test_a_sum_over_a_possibly_empty_range_is_not_positive():
    # Σ_{c=3}^{K} e^{f_c} is 0 at K ≤ 2: log of it is undefined there, so its log is not
    # split as if it were positive, and no identity through that split is proved
    S = sp.Sum(sp.exp(f[c]), (c, 3, K))
    atom = next(iter(next(iter(algebra.to_poly(S, SCOPE)))))[0]
    assert not atom.positive
    full = next(iter(next(iter(algebra.to_poly(sp.Sum(sp.exp(f[c]), (c, 1, K)),
                                               SCOPE)))))[0]
    assert full.positive
    p = sp.Symbol("p", positive=True)
    assert prove_equal(sp.log(S * p), sp.log(S) + sp.log(p)).status != "proved"
    T = sp.Sum(sp.exp(f[c]), (c, 1, K))
    assert prove_equal(sp.log(T * p), sp.log(T) + sp.log(p)).status == "proved"


def test_an_assumption_applies_only_inside_its_range():
    # Σ_k Y_{nk} = 1 holds for the rows n in 1..N; a row m in 1..D (D may exceed N) is
    # not one of them, so the rule must not rewrite it
    from derive.engine.claims import sums_to_one
    from derive.engine.prover import _rules
    from derive.models.softmax import N, Y

    m, k = sp.symbols("m k", integer=True)
    sc = Scope(index_ranges={m: (1, D), k: (1, K)})
    inside = Scope(index_ranges={m: (1, N), k: (1, K)})
    rules = _rules([sums_to_one(Y)], sc)
    row = sp.Sum(Y[m, k], (k, 1, K))
    assert algebra.to_poly(row, inside, rules) == algebra.to_poly(sp.Integer(1), inside)
    assert algebra.to_poly(row, sc, rules) != algebra.to_poly(sp.Integer(1), sc)
    assert prove_equal(row, 1, scope=sc, assumptions=[sums_to_one(Y)]).status != "proved"
    assert prove_equal(row, 1, scope=inside, assumptions=[sums_to_one(Y)]).status == "proved"


def test_a_counterexample_needs_symbolic_confirmation(monkeypatch):
    # finite differences gone wrong (simulated: +1 on every derivative) must neither refute
    # a true claim nor print wrong numbers for a false one: a point counts only where
    # SymPy's derivative agrees with the finite differences on each side
    from derive.engine import prover
    from derive.models.softmax import softmax, z

    k = sp.Symbol("k", integer=True)
    real = prover.evaluate
    monkeypatch.setattr(prover, "evaluate",
                        lambda e, pt: real(e, pt) + (1.0 if e.has(sp.Derivative) else 0.0))
    monkeypatch.setattr(algebra, "is_zero", lambda p, rules=(): False)  # not closed
    lhs = sp.Derivative(softmax(k, logits=z), z[j])
    rhs = softmax(k, logits=z) * (delta(j, k) - softmax(j, logits=z))
    v = prove_equal(lhs, rhs)
    assert v.status == "unknown", v.counterexample
    wrong = prove_equal(lhs, -rhs)  # false, but no point has trustworthy numbers
    assert wrong.status == "unknown", wrong.counterexample


@pytest.mark.parametrize(("a", "b", "value"), [(2, 2, 1), (1, 2, 0), (3, 3, 1)])
def test_delta_of_two_integers(a, b, value):
    d = sp.KroneckerDelta(a, b, evaluate=False)  # as an unevaluated input may carry it
    assert algebra.to_poly(d, SCOPE) == algebra.to_poly(sp.Integer(value),
                                                                   SCOPE)
    assert prove_equal(d * f[1], value * f[1]).status == "proved"


def test_delta_between_dummies_of_different_ranges_is_kept():
    # Σ_{c≤K} Σ_{d≤D} δ_cd f_c = Σ_{c ≤ min(K, D)} f_c: neither Σ_{c≤K} f_c nor Σ_{d≤D} f_d
    d = sp.Symbol("d", integer=True)
    lhs = sp.Sum(sp.Sum(delta(c, d) * f[c], (d, 1, D)), (c, 1, K))
    assert "δ(" in algebra.poly_key(algebra.to_poly(lhs, SCOPE))
    for wrong in (sp.Sum(f[c], (c, 1, K)), sp.Sum(f[d], (d, 1, D))):
        assert prove_equal(lhs, wrong).status != "proved"
    same = sp.Sum(sp.Sum(delta(c, d) * f[c], (d, 1, K)), (c, 1, K))
    assert prove_equal(same, sp.Sum(f[c], (c, 1, K))).status == "proved"


def test_the_pytest_plugin_fails_a_notes_file_with_no_checkable_step(tmp_path):
    from tests.test_latex import run_pytest

    (tmp_path / "empty.tex").write_text(HEAD + "Only text.\n")
    out = run_pytest([str(tmp_path / "empty.tex")], tmp_path)
    assert "no checkable step" in out and "error" in out


# ------------------------------------------------------------------ rational functions (issue 10)
u, v = sp.Symbol("u"), sp.Symbol("v")  # signed: no positivity known
tt = sp.Symbol("t", real=True)
NOSCOPE = Scope(index_ranges={})


def _nf(e, sc=NOSCOPE, rules=()):
    return algebra.to_poly(e, sc, rules)


def test_content_comes_out_of_a_fractional_power_only_when_positive():
    # √(a²u + a²v) = |a|·√(u + v), not a·√(u + v): a = −1, u = v = 1 gives √2 vs −√2
    a = sp.Symbol("a")
    assert _nf(sp.sqrt(a**2 * u + a**2 * v)) != _nf(a * sp.sqrt(u + v))
    # a positive content does come out: √(p²u + p²v) = p·√(u + v) for p > 0
    p = sp.Symbol("p", positive=True)
    assert _nf(sp.sqrt(p**2 * u + p**2 * v)) == _nf(p * sp.sqrt(u + v))
    # and √((x − 1)²) is not x − 1 (x = 0: 1 vs −1)
    assert _nf(sp.sqrt((u - 1) ** 2)) != _nf(u - 1)
    assert prove_equal(sp.sqrt((u - 1) ** 2), u - 1).status != "proved"


def test_log_of_a_quotient_splits_only_over_positive_terms():
    e = sp.exp(tt)
    # numerator 1 − u may be negative: log((1 − u)/(1 + e^t)) stays whole
    assert _nf(sp.log((1 - u) / (1 + e))) != _nf(sp.log(1 - u) - sp.log(1 + e))
    # denominator 1 + v may be negative
    assert _nf(sp.log((1 + e) / (1 + v))) != _nf(sp.log(1 + e) - sp.log(1 + v))
    # a sum not known positive is not split by its content either
    assert _nf(sp.log(u * e + u)) != _nf(sp.log(u) + sp.log(e + 1))
    # both positive: split
    assert _nf(sp.log((1 + e) / (2 + e**2))) == _nf(sp.log(1 + e) - sp.log(2 + e**2))


def test_a_power_of_something_zero_wherever_defined_is_refused():
    # q = (u e^t − e^t)/(e^t (u − 1)) is 1 wherever defined (u ≠ 1), so q − 1 is 0 there
    # and its reciprocal is defined nowhere (SymPy does not cancel this spelling itself)
    e = sp.exp(tt)
    q = (u * e - e) / (e * (u - 1))
    assert not isinstance(q, sp.Integer)
    assert algebra.is_zero(algebra.poly_sub(_nf(q), _nf(sp.Integer(1))))
    with pytest.raises(algebra.Unsupported):
        _nf(1 / (q - 1))
    assert prove_equal(1 / (q - 1), 0).status != "proved"
    # log q: the numerator's sign is unknown, so the log is not split (nor made 0)
    assert _nf(sp.log(q)) != {}


def test_a_sum_over_a_possibly_empty_range_in_a_denominator_is_not_positive():
    # Σ_{c=3}^{K} (1 + e^{f_c}) is 0 at K ≤ 2: the log of a quotient by it is not split
    S = sp.Sum(1 + sp.exp(f[c]), (c, 3, K))
    e = sp.exp(tt)
    assert _nf(sp.log((1 + e) / S), SCOPE) != _nf(sp.log(1 + e) - sp.log(S), SCOPE)
    T = sp.Sum(1 + sp.exp(f[c]), (c, 1, K))
    assert _nf(sp.log((1 + e) / T), SCOPE) == _nf(sp.log(1 + e) - sp.log(T), SCOPE)


def test_sums_of_fractions_over_different_ranges_are_not_merged():
    # Σ_{c=1}^K g_c − Σ_{c=2}^K g_c = g_1 ≠ 0 (K = 1 too: g_1 − 0), g_c = f_c/(1 + e^{f_c})
    def g(q):
        return f[q] / (1 + sp.exp(f[q]))

    assert prove_equal(sp.Sum(g(c), (c, 1, K)) - sp.Sum(g(c), (c, 2, K)), 0).status == "refuted"
    assert prove_equal(sp.Sum(g(c), (c, 1, K)) - sp.Sum(g(e), (e, 1, K)), 0).status == "proved"


@pytest.mark.parametrize(("lo", "hi", "terms"), [(1, 1, [1]), (1, 2, [1, 2]), (2, 1, []),
                                                 (3, 5, [3, 4, 5])])
def test_integer_ranges_are_written_out_exactly(lo, hi, terms):
    # a size of 1, two classes, an empty literal range, a shifted one
    f6 = sp.IndexedBase("f", shape=(6,))
    written = sum((f6[q] for q in terms), sp.Integer(0))
    assert prove_equal(sp.Sum(f6[c], (c, lo, hi)), written).status == "proved"
    assert prove_equal(sp.Sum(f6[c], (c, lo, hi)), written + f6[hi + 1]).status == "refuted"


def test_softmax_of_one_class_is_one_and_of_symbolic_k_is_not_a_sigmoid():
    z = sp.IndexedBase("z", shape=(K,))
    assert prove_equal(sp.exp(z[1]) / sp.Sum(sp.exp(z[c]), (c, 1, 1)), 1).status == "proved"
    sig = 1 / (1 + sp.exp(z[2] - z[1]))
    assert prove_equal(sp.exp(z[1]) / sp.Sum(sp.exp(z[c]), (c, 1, K)), sig).status != "proved"


def test_binary_rule_only_on_its_base_and_inside_its_shape():
    from derive import binary
    from derive.engine.prover import _rules

    yk = sp.IndexedBase("y", shape=(K,))
    g = sp.IndexedBase("g", shape=(K,))
    i_ = sp.Symbol("i", integer=True)
    inside = Scope(index_ranges={j: (1, K)})
    outside = Scope(index_ranges={i_: (1, D)})  # D may exceed K: y_i past the shape
    rules = _rules([binary(yk)], inside)
    assert _nf(yk[j] ** 2, inside, rules) == _nf(yk[j], inside)
    assert _nf(g[j] ** 2, inside, rules) != _nf(g[j], inside)  # another base
    assert _nf(yk[i_] ** 2, outside, rules) != _nf(yk[i_], outside)
    # negative and fractional powers are not touched
    assert _nf(yk[j] ** -1, inside, rules) != _nf(yk[j], inside)
    assert prove_equal(g[j] ** 2, g[j], assumptions=[binary(yk)]).status == "refuted"


def test_one_hot_rule_only_along_its_axis():
    from derive import one_hot
    from derive.engine.prover import _rules
    from derive.models.softmax import N, Y

    n_, m_, k_ = sp.symbols("n m k", integer=True)
    sc = Scope(index_ranges={n_: (1, N), m_: (1, N), k_: (1, K), j: (1, K)})
    along_k = _rules([one_hot(Y)], sc)
    along_n = _rules([one_hot(Y, axis=0)], sc)
    def same(a, b, rules):
        return algebra.is_zero(algebra.poly_sub(_nf(a, sc, rules), _nf(b, sc, rules)), rules)

    same_row = Y[n_, j] * Y[n_, k_]
    assert same(same_row, delta(j, k_) * Y[n_, k_], along_k)
    assert not same(same_row, delta(j, k_) * Y[n_, k_], along_n)
    same_col = Y[n_, k_] * Y[m_, k_]
    assert not same(same_col, delta(n_, m_) * Y[n_, k_], along_k)
    assert same(same_col, delta(n_, m_) * Y[n_, k_], along_n)
    assert prove_equal(same_col, delta(n_, m_) * Y[n_, k_], scope=sc,
                       assumptions=[one_hot(Y)]).status == "refuted"
    # different rows: no rule (n ≠ m is possible)
    assert _nf(Y[n_, j] * Y[m_, k_], sc, along_k) == _nf(Y[n_, j] * Y[m_, k_], sc)


def test_a_literal_size_assumption_eliminates_the_last_entry_only_in_range():
    # a size written as a number: Σ_{c=1}^{2} y_c is written out, and Σ y = 1 becomes
    # y_2 = 1 − y_1, applied to rows provably inside the declared shape only
    from derive import one_hot, sums_to_one
    from derive.engine.prover import _rules

    y2 = sp.IndexedBase("y", shape=(2,))
    assert prove_equal(y2[1] * y2[2], 0, assumptions=[one_hot(y2)]).status == "proved"
    assert prove_equal(y2[1] * y2[2], 0, assumptions=[sums_to_one(y2)]).status == "refuted"
    y1 = sp.IndexedBase("y", shape=(1,))  # a size of 1: the only entry is 1
    assert prove_equal(y1[1], 1, assumptions=[sums_to_one(y1)]).status == "proved"
    assert prove_equal(y1[1], 1).status == "refuted"
    from derive.models.softmax import N

    Y3 = sp.IndexedBase("Y", shape=(N, 3))
    m_ = sp.Symbol("m", integer=True)
    row = sp.Sum(Y3[m_, c], (c, 1, 3))
    out = Scope(index_ranges={m_: (1, D)})  # D may exceed N: row m past the shape
    ins = Scope(index_ranges={m_: (1, N)})
    assert _nf(row, ins, _rules([sums_to_one(Y3)], ins)) == _nf(sp.Integer(1), ins)
    assert _nf(row, out, _rules([sums_to_one(Y3)], out)) != _nf(sp.Integer(1), out)


def test_a_base_cancels_in_a_merged_sum_only_when_it_divides_exactly():
    # Σ_c (e^{f_c} + 1)/(e^{f_c} + 1) = K, but Σ_c (e^{f_c} + 2)/(e^{f_c} + 1) = K + Σ_c
    # 1/(e^{f_c} + 1) ≠ K (f = 0: 3/2 per term); likewise with 2 e^{f_c} + 2 on top
    def s_(top):
        return sp.Sum(top / (sp.exp(f[c]) + 1), (c, 1, K))

    one = sp.Sum(sp.exp(f[c]) / (sp.exp(f[c]) + 1), (c, 1, K)) + s_(sp.Integer(1))
    assert prove_equal(one, K).status == "proved"
    two = sp.Sum(sp.exp(f[c]) / (sp.exp(f[c]) + 1), (c, 1, K)) + s_(sp.Integer(2))
    assert prove_equal(two, K).status == "refuted"
    p = algebra.poly_sub(_nf(two, SCOPE), _nf(K, SCOPE))
    assert not algebra.is_zero(p)
    assert algebra._divide(_nf(sp.exp(f[1]) + 2, SCOPE), _nf(sp.exp(f[1]) + 1, SCOPE)) is None
    assert algebra._divide(_nf(2 * sp.exp(f[1]) + 2, SCOPE),
                           _nf(sp.exp(f[1]) + 1, SCOPE)) == _nf(sp.Integer(2), SCOPE)


def test_direct_is_zero_calls_count_their_own_delta_splits():
    # Outside prove_equal each is_zero call has its own δ-split budget: 100 calls that each
    # split once must not exhaust a counter shared between them (the suite run in one
    # process hit "more than 64 Kronecker-delta case splits" in an unrelated test).
    sc = Scope(index_ranges={j: (1, K), c: (1, K)})
    p = algebra.poly_sub(_nf(delta(j, c) * sp.Symbol("a"), sc), _nf(delta(c, j) * sp.Symbol("a"), sc))
    q = algebra.poly_sub(_nf(delta(j, c) * f[j], sc), _nf(delta(j, c) * f[c], sc))
    for _ in range(100):
        assert algebra.is_zero(p) and algebra.is_zero(q)
    assert algebra._NO_LIMIT.splits == 0
