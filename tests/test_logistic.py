"""The binary logistic regression family: builders, catalogue, verdicts, references.

Three independent routes meet here:
- the prover's verdicts (every claim proved, every wrong variant refuted);
- NumPy finite differences of hand-written losses, written in this file, against each
  claim's closed form evaluated by SymPy alone at random points (tests/concrete.py);
- the hand-written NumPy reference (derive/references/logistic.py) against finite
  differences, so that the generated kernels have a trustworthy target.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace

import numpy as np
import pytest
import sympy as sp

from derive import catalogue
from derive.check_cli import select
from derive.cli import main
from derive.engine.claims import Claim, binary
from derive.engine.prover import prove
from derive.errors import DeriveError
from derive.models import family
from derive.models import logistic as lg
from derive.references import logistic as ref

from .concrete import concrete_value

FAMILY = family("logistic")
CLAIMS = FAMILY.claims
MUTANTS = FAMILY.mutants
NAMES = [c.name for c in CLAIMS]


# ------------------------------------------------------------------ builders


def test_builders_are_the_textbook_formulas():
    t = lg.t
    assert lg.sigmoid(t) == 1 / (1 + sp.exp(-t))
    # the bias is in the logit unless asked away
    assert lg.logit() - lg.logit(bias=False) == lg.b
    assert lg.logit(sample=lg.n, bias=False).has(lg.X[lg.n, sp.Symbol("l", integer=True)])
    L = lg.bce(logits=t)
    s = lg.sigmoid(t)
    assert sp.simplify(L - (-(lg.y * sp.log(s) + (1 - lg.y) * sp.log(1 - s)))) == 0
    # the per-sample loss of sample n reads row n of X and label Y_n
    assert lg.bce(sample=lg.n).has(lg.Y[lg.n])


@pytest.mark.parametrize(("reduction", "l2"), [("mean", False), ("mean", True), ("sum", False)])
def test_dataset_loss_at_a_point_matches_the_reference(reduction, l2):
    rng = np.random.default_rng(3)
    n_, d_ = 3, 2
    X, Y, w = rng.normal(size=(n_, d_)), rng.uniform(-0.5, 1.5, n_), rng.normal(size=d_)
    b, lam = 0.3, 0.7
    expr = lg.dataset_loss(reduction=reduction, l2=l2)
    values = {"X": X.tolist(), "Y": Y.tolist(), "w": w.tolist(), "b": b, "lambda": lam}
    got = concrete_value(expr, {"N": n_, "D": d_}, {}, values)
    want = ref.loss(w, b, X, Y, lam=lam if l2 else 0.0, reduction=reduction)
    assert got == pytest.approx(want, rel=1e-12)


def test_unknown_reduction_is_a_derive_error():
    with pytest.raises(DeriveError, match="reduction='median'"):
        lg.dataset_loss(reduction="median")


# ------------------------------------------------------------------ the catalogue


def test_the_family_is_discovered_and_its_claims_are_in_the_catalogue():
    assert FAMILY.title == "Binary logistic regression"
    assert FAMILY.scope is lg.SCOPE
    for claim in CLAIMS:
        assert catalogue.get(claim.name) is claim
        assert catalogue.family_of(claim.name) == "logistic"
    # the required closed forms are all there
    assert {"sigmoid_grad", "bce_grad_w", "bce_grad_b", "mean_l2_loss_grad_w",
            "mean_l2_loss_hessian_w", "softmax2_is_sigmoid", "sigmoid_complement",
            "log_sigmoid"} <= set(NAMES)


def test_every_claim_has_a_source_and_two_wrong_variants():
    for claim in CLAIMS:
        assert claim.source and claim.description, claim.name
        assert len(catalogue.mutants(claim.name)) >= 2, claim.name
    assert set(CHECKS) == set(NAMES)  # and an independent check below
    for claim in CLAIMS:  # s and s_n share a letter: expanding one must not touch the other
        assert not {lg.s, lg.S} <= set(claim.defs), claim.name


@pytest.mark.parametrize("claim", CLAIMS, ids=NAMES)
def test_claim_is_proved(claim):
    verdict = prove(claim)
    assert verdict.status == "proved", (verdict.residual, verdict.note)
    assert verdict.residual == 0
    assert verdict.assumptions == tuple(str(a) for a in claim.assumptions)


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.name for m in MUTANTS])
def test_mutant_is_refuted_at_a_point_numpy_confirms(mutant):
    """The counterexample is re-checked with this file's own NumPy finite differences
    (the true left side) and SymPy alone (the claimed right side)."""
    verdict = prove(mutant)
    assert verdict.status == "refuted", (verdict.residual, verdict.note)
    cex = verdict.counterexample
    assert cex is not None and all(v <= 4 for v in cex.sizes.values())
    P = {k: np.array(v, dtype=float) if isinstance(v, list) else float(v)
         for k, v in cex.values.items()}
    true_lhs = CHECKS[mutant.mutant_of](P, cex.indices)
    claimed = concrete_value(mutant.expanded()[1], cex.sizes, cex.indices, cex.values)
    assert true_lhs == pytest.approx(cex.lhs, rel=1e-5, abs=1e-6)
    assert claimed == pytest.approx(cex.rhs, rel=1e-9, abs=1e-12)
    assert abs(true_lhs - claimed) > 1e-3 * max(1.0, abs(true_lhs))


# Two forms people write that hold only for 0/1 labels and that need a case split on the
# label (inside exp and log), which the algebra does not do: with the assumption they
# must never be refuted (the search draws only 0/1 labels), without it they must be.
ONLY_FOR_BINARY_LABELS = [
    ("signed labels ±1: L = log(1 + e^{−(2y−1)t})",
     sp.log(1 + sp.exp(-(2 * lg.Y[lg.n] - 1) * lg.t))),
    ("likelihood: L = −log(y s + (1 − y)(1 − s))",
     -sp.log(lg.Y[lg.n] * lg.s + (1 - lg.Y[lg.n]) * (1 - lg.s))),
]


@pytest.mark.parametrize(("what", "rhs"), ONLY_FOR_BINARY_LABELS,
                         ids=[w for w, _ in ONLY_FOR_BINARY_LABELS])
def test_forms_true_only_for_binary_labels(what, rhs):
    defs = {lg.s: lambda: lg.sigmoid(lg.t), lg.L: lambda: lg.bce(logits=lg.t, label=lg.Y[lg.n])}
    claim = Claim(what, lg.L, rhs, (binary(lg.Y),), defs=defs, scope=lg.SCOPE)
    assert prove(claim).status in ("proved", "unknown")
    verdict = prove(replace(claim, assumptions=()))
    assert verdict.status == "refuted"
    label = verdict.counterexample.values["Y"][verdict.counterexample.indices["n"] - 1]
    assert label not in (0, 1)


# ------------------------------------------------------------------ independent checks
# Each claim's left side computed in NumPy from the loss as the notes define it, by
# central finite differences (no derive, no SymPy); arrays hold 1-based entries at
# 0-based positions, ``ix`` maps a free index letter to its 1-based value.


def _fd(f, P: dict, name: str, pos: tuple = (), h: float = 1e-6) -> float:
    """Central difference of f(P) in P[name] (an array entry at 1-based ``pos``, or a scalar)."""
    Q = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in P.items()}

    def at(v: float) -> float:
        if pos:
            Q[name][tuple(p - 1 for p in pos)] = v
        else:
            Q[name] = v
        return f(Q)

    old = P[name][tuple(p - 1 for p in pos)] if pos else P[name]
    return (at(old + h) - at(old - h)) / (2 * h)


def _sig(t):
    return 1.0 / (1.0 + np.exp(-t))


def _L(P) -> float:  # one sample: −[y log s + (1 − y) log(1 − s)], s = σ(wᵀx + b)
    s = _sig(P["w"] @ P["x"] + P["b"])
    return -(P["y"] * np.log(s) + (1 - P["y"]) * np.log(1 - s))


def _L_of_t(P) -> float:
    s = _sig(P["t"])
    return -(P["y"] * np.log(s) + (1 - P["y"]) * np.log(1 - s))


def _J(P, mean=True, l2=False) -> float:
    s = _sig(P["X"] @ P["w"] + P["b"])
    val = -np.sum(P["Y"] * np.log(s) + (1 - P["Y"]) * np.log(1 - s))
    val = val / P["X"].shape[0] if mean else val
    return val + (P["lambda"] * np.sum(P["w"] ** 2) if l2 else 0.0)


def _softmax2(z):
    e = np.exp(z - z.max())
    return e / e.sum()


CHECKS = {
    "sigmoid_grad": lambda P, ix: _fd(lambda Q: _sig(Q["t"]), P, "t"),
    "sigmoid_complement": lambda P, ix: 1 - _sig(P["t"]),
    "log_sigmoid": lambda P, ix: math.log(_sig(P["t"])),
    "bce_logit_form": lambda P, ix: _L_of_t(P),
    "bce_grad_logit": lambda P, ix: _fd(_L_of_t, P, "t"),
    "bce_grad_w": lambda P, ix: _fd(_L, P, "w", (ix["i"],)),
    "bce_grad_b": lambda P, ix: _fd(_L, P, "b"),
    "bce_hessian_w": lambda P, ix: _fd(
        lambda Q: _fd(_L, Q, "w", (ix["i"],), 1e-4), P, "w", (ix["l"],), 1e-4
    ),
    "sum_loss_grad_w": lambda P, ix: _fd(lambda Q: _J(Q, mean=False), P, "w", (ix["i"],)),
    "mean_l2_loss_grad_w": lambda P, ix: _fd(lambda Q: _J(Q, l2=True), P, "w", (ix["i"],)),
    "mean_l2_loss_grad_b": lambda P, ix: _fd(lambda Q: _J(Q, l2=True), P, "b"),
    "mean_l2_loss_hessian_w": lambda P, ix: _fd(
        lambda Q: _fd(lambda R: _J(R, l2=True), Q, "w", (ix["i"],), 1e-4),
        P, "w", (ix["l"],), 1e-4,
    ),
    "softmax2_is_sigmoid": lambda P, ix: _softmax2(P["z"])[0],
    "softmax2_cross_entropy": lambda P, ix: -np.sum(P["y"] * np.log(_softmax2(P["z"]))),
    "bce_logit_grad_squared": lambda P, ix: _fd(
        lambda Q: _L_of_t({"t": Q["t"], "y": Q["Y"][ix["n"] - 1]}), P, "t"
    ) ** 2,
}


def _random_point(claim, rng: np.random.Generator):
    """Sizes, index values and inputs for ``claim``, honouring its assumptions only:
    labels are any real numbers unless the claim assumes more."""
    d_, n_ = int(rng.integers(1, 5)), int(rng.integers(1, 5))
    P = {
        "w": rng.normal(size=d_), "x": rng.normal(size=d_), "X": rng.normal(size=(n_, d_)),
        "Y": rng.uniform(-0.5, 1.5, size=n_), "b": float(rng.normal()),
        "y": float(rng.uniform(-0.5, 1.5)), "t": float(rng.normal(scale=2.0)),
        "lambda": float(rng.uniform(0.1, 2.0)), "z": rng.normal(size=2),
    }
    for a in claim.assumptions:  # the assumed quantity, drawn to satisfy it
        name = str(a.base.label)
        shape = tuple(int(sp.sympify(q).subs({lg.D: d_, lg.N: n_})) for q in a.base.shape)
        if a.kind == "sums_to_one":  # soft labels: positive, summing to one
            q = rng.uniform(0.1, 1.0, size=shape)
            P[name] = q / q.sum(axis=a.axis, keepdims=True)
        elif a.kind == "binary":
            P[name] = rng.integers(0, 2, size=shape).astype(float)
        else:
            raise AssertionError(f"no sampler for assumption kind {a.kind!r}")
    ix = {"i": int(rng.integers(1, d_ + 1)), "l": int(rng.integers(1, d_ + 1)),
          "n": int(rng.integers(1, n_ + 1))}
    return {"D": d_, "N": n_}, ix, P


@pytest.mark.parametrize("claim", CLAIMS, ids=NAMES)
def test_closed_form_agrees_with_numpy_finite_differences(claim):
    rng = np.random.default_rng(sum(map(ord, claim.name)))
    for _ in range(3):
        sizes, ix, P = _random_point(claim, rng)
        values = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in P.items()}
        closed = concrete_value(claim.expanded()[1], sizes, ix, values)
        numeric = CHECKS[claim.name](P, ix)
        assert closed == pytest.approx(numeric, rel=1e-5, abs=1e-6), (sizes, ix, P)


# ------------------------------------------------------------------ derive check


def test_derive_check_lists_every_logistic_claim_and_mutant():
    everything = {c.name for c in select([], with_mutants=True)}
    assert set(NAMES) <= everything
    assert {m.name for m in MUTANTS} <= everything


def test_derive_check_mutants_exits_0_on_the_logistic_catalogue(capsys):
    code = main(["check", "-q", "--json", "--mutants", *NAMES])
    rows = json.loads(capsys.readouterr().out)
    by_name = {r["name"]: r for r in rows}
    assert set(by_name) == set(NAMES) | {m.name for m in MUTANTS}
    wrong = {n: r["verdict"] for n, r in by_name.items()
             if r["verdict"] != ("refuted" if r["mutant"] else "proved")}
    assert wrong == {}
    assert code == 0


# ------------------------------------------------------------------ the NumPy reference


def _ref_point(rng, n_=5, d_=3):
    X = rng.normal(size=(n_, d_))
    return rng.normal(size=d_), float(rng.normal()), X, rng.uniform(-0.5, 1.5, size=n_)


def _fd_vec(f, v: np.ndarray, h: float = 1e-6) -> np.ndarray:
    out = np.empty_like(v)
    for q in range(v.size):
        e = np.zeros_like(v)
        e[q] = h
        out[q] = (f(v + e) - f(v - e)) / (2 * h)
    return out


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("lam", [0.0, 0.8])
def test_reference_gradient_and_hessian_match_finite_differences(reduction, lam):
    rng = np.random.default_rng(5)
    w, b, X, Y = _ref_point(rng)
    d_ = w.size

    def J(p):  # p = (w, b)
        return ref.loss(p[:d_], p[d_], X, Y, lam=lam, reduction=reduction)

    def G(p):
        gw, gb = ref.grad(p[:d_], p[d_], X, Y, lam=lam, reduction=reduction)
        return np.append(gw, gb)

    p = np.append(w, b)
    np.testing.assert_allclose(G(p), _fd_vec(J, p), rtol=1e-6, atol=1e-8)
    H = ref.hessian(w, b, X, Y, lam=lam, reduction=reduction)
    H_fd = np.stack([_fd_vec(lambda q, r=r: G(q)[r], p) for r in range(d_ + 1)])
    np.testing.assert_allclose(H, H_fd, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(H, H.T)
    v = rng.normal(size=d_ + 1)
    hw, hb = ref.hvp(w, b, X, Y, v[:d_], v[d_], lam=lam, reduction=reduction)
    np.testing.assert_allclose(np.append(hw, hb), H @ v, rtol=1e-12, atol=1e-12)
    # directional derivative of the gradient: H v = d/dε G(p + εv)
    dG = (G(p + 1e-6 * v) - G(p - 1e-6 * v)) / 2e-6
    np.testing.assert_allclose(np.append(hw, hb), dG, rtol=1e-6, atol=1e-8)


def test_reference_docstring_example_runs():
    import doctest

    result = doctest.testmod(ref)
    assert result.attempted > 0 and result.failed == 0


def test_reference_loss_is_the_textbook_loss_and_stable_at_large_logits():
    rng = np.random.default_rng(9)
    w, b, X, Y = _ref_point(rng)
    s = _sig(X @ w + b)
    naive = -np.mean(Y * np.log(s) + (1 - Y) * np.log(1 - s))
    assert ref.loss(w, b, X, Y) == pytest.approx(naive, rel=1e-12)
    assert ref.loss(w, b, X, Y, lam=0.5) == pytest.approx(naive + 0.5 * w @ w, rel=1e-12)
    # t = ±800: the naive formula gives log 0; the reference gives the limits
    big = np.array([[800.0], [-800.0]])
    val = ref.loss(np.ones(1), 0.0, big, np.array([0.0, 1.0]), reduction="sum")
    assert val == pytest.approx(1600.0)
    gw, gb = ref.grad(np.ones(1), 0.0, big, np.array([0.0, 1.0]), reduction="sum")
    assert np.all(np.isfinite(gw)) and gb == pytest.approx(0.0)
    with pytest.raises(ValueError, match="reduction"):
        ref.loss(w, b, X, Y, reduction="median")


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_hand_training_step_agrees_with_the_reference_and_keeps_its_dtype(dtype):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((50, 4)).astype(dtype)
    y = rng.integers(0, 2, 50)
    w = rng.standard_normal(4).astype(dtype)
    loss, g = ref.loss_and_grad(X, y, w, lam=0.1)
    assert g.dtype == dtype and np.asarray(loss).dtype == dtype
    tol = 1e-12 if dtype == np.float64 else 1e-5
    assert abs(float(loss) - ref.loss(w, 0.0, X, y, 0.1)) <= tol * max(1.0, abs(float(loss)))
    want = ref.grad(w, 0.0, X, y, 0.1)[0]
    assert np.max(np.abs(g - want)) <= tol * max(1.0, np.max(np.abs(want)))
