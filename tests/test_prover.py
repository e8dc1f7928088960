"""Every catalogue claim is proved; every wrong variant is refuted with a checkable point."""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from derive import catalogue, prove, prove_equal
from derive.engine import Scope
from derive.engine.claims import Claim, sums_to_one
from derive.engine.numeric import Point, evaluate
from derive.models import family
from derive.models.softmax import SCOPE, D, K, c, i, j, k, softmax, x, y, z

from .concrete import concrete_value
from .reference import LHS

CLAIMS = catalogue.CLAIMS
MUTANTS = catalogue.mutants()
SOFTMAX = family("softmax").claims


@pytest.mark.parametrize("claim", CLAIMS, ids=[q.name for q in CLAIMS])
def test_claim_is_proved(claim):
    verdict = prove(claim)
    assert verdict.status == "proved", (verdict.residual, verdict.note)
    assert verdict.residual == 0
    assert verdict.steps[0].label == "statement"
    assert verdict.assumptions == tuple(str(a) for a in claim.assumptions)


@pytest.mark.parametrize("mutant", MUTANTS, ids=[q.name for q in MUTANTS])
def test_mutant_is_refuted_with_a_counterexample_sympy_confirms(mutant):
    verdict = prove(mutant)
    assert verdict.status == "refuted", (verdict.residual, verdict.note)
    cex = verdict.counterexample
    assert cex is not None and all(v <= 4 for v in cex.sizes.values())
    lhs, rhs = mutant.expanded()
    true_lhs = concrete_value(lhs, cex.sizes, cex.indices, cex.values)
    claimed = concrete_value(rhs, cex.sizes, cex.indices, cex.values)
    assert true_lhs == pytest.approx(cex.lhs, rel=1e-6, abs=1e-8)
    assert claimed == pytest.approx(cex.rhs, rel=1e-9, abs=1e-12)
    assert abs(true_lhs - claimed) > 1e-3 * max(1.0, abs(true_lhs))


def test_every_claim_has_two_wrong_variants_and_a_reference():
    for claim in CLAIMS:
        assert len(catalogue.mutants(claim.name)) >= 2, claim.name
    # tests/reference.py is the softmax family's reference; every other family checks
    # its claims against its own reference in its own test file (tests/test_<family>.py)
    for claim in SOFTMAX:
        assert claim.name in LHS


def _point(claim: Claim, sizes: dict, rng: np.random.Generator) -> tuple[Point, dict]:
    lhs, rhs = claim.expanded()
    both = sp.Tuple(lhs, rhs)
    onehot = {str(a.base.label) for a in claim.assumptions}
    arrays = {}
    for base in {e.base for e in both.atoms(sp.Indexed)}:
        shape = tuple(int(s.subs(sizes)) for s in base.shape)
        if str(base.label) in onehot:  # one-hot rows along the last axis
            rows = np.eye(shape[-1])[rng.integers(0, shape[-1], size=shape[:-1])]
            arrays[str(base.label)] = rows.reshape(shape)
        else:
            arrays[str(base.label)] = rng.normal(size=shape)
    scal = {s: float(rng.uniform(0.5, 2.0)) for s in both.atoms(sp.Symbol)
            if s.name in ("lambda", "T")}
    free = sorted({s for s in both.atoms(sp.Symbol) if s in claim.scope.index_ranges}, key=str)
    idx = {s: int(rng.integers(1, int(claim.scope.index_ranges[s][1].subs(sizes)) + 1))
           for s in free}
    return Point(sizes, idx, arrays, scal), {str(s): v for s, v in idx.items()}


@settings(max_examples=15, deadline=None)
@given(
    name=st.sampled_from([q.name for q in SOFTMAX]),
    sizes=st.tuples(st.integers(1, 6), st.integers(1, 6), st.integers(1, 6)),
    seed=st.integers(0, 2**32 - 1),
)
def test_proven_forms_agree_with_finite_differences(name, sizes, seed):
    from derive.models.softmax import N

    claim = catalogue.get(name)
    rng = np.random.default_rng(seed)
    pt, ix = _point(claim, {K: sizes[0], D: sizes[1], N: sizes[2]}, rng)
    P = {key: np.array(v, dtype=float) for key, v in pt.arrays.items()}
    P |= {s.name: v for s, v in pt.scalars.items()}
    numeric = LHS[name](P, ix)
    closed = evaluate(claim.expanded()[1], pt)
    assert math.isclose(closed, numeric, rel_tol=1e-4, abs_tol=1e-6), (
        f"analytic: {closed!r}\nnumeric:  {numeric!r}"
    )


# Claims outside what the algebra decides must come out unknown, never proved.
TRUE_BUT_UNDECIDED = [
    ("trigonometry", sp.sin(z[k]) ** 2 + sp.cos(z[k]) ** 2, sp.Integer(1)),
    ("arithmetic on the index", sp.Sum(c, (c, 1, K)), K * (K + 1) / 2),
    ("log of a product of signed factors", sp.log(sp.exp(z[k]) * z[k] ** 2),
     z[k] + 2 * sp.log(sp.Abs(z[k]))),
]


@pytest.mark.parametrize(("what", "lhs", "rhs"), TRUE_BUT_UNDECIDED,
                         ids=[t[0] for t in TRUE_BUT_UNDECIDED])
def test_undecided_claims_are_unknown(what, lhs, rhs):
    verdict = prove_equal(lhs, rhs)
    assert verdict.status == "unknown"
    assert verdict.counterexample is None


def test_range_condition_is_never_assumed():
    """Σ_{c=1}^{K} δ_ci x_i = x_i is false when i > K (i runs over 1..D)."""
    verdict = prove_equal(sp.Sum(sp.KroneckerDelta(c, i) * x[i], (c, 1, K)), x[i])
    assert verdict.status == "refuted"
    cex = verdict.counterexample
    assert cex.indices["i"] > cex.sizes["K"]


def test_user_claim_through_the_public_api():
    sigma = sp.IndexedBase("sigma")
    claim = Claim(
        name="softmax_diagonal",
        lhs=sp.Derivative(sigma[j], z[j]),
        rhs=sigma[j] * (1 - sigma[j]),
        defs={sigma: lambda q: softmax(q, logits=z)},
    )
    assert prove(claim).status == "proved"
    wrong = Claim(name="w", lhs=claim.lhs, rhs=sigma[j] ** 2, defs=claim.defs)
    assert prove(wrong).status == "refuted"


def test_assumption_is_needed_and_used():
    L = -sp.Sum(y[k] * sp.log(softmax(k, logits=z)), (k, 1, K))
    closed = softmax(j, logits=z) - y[j]
    assert prove_equal(sp.Derivative(L, z[j]), closed).status == "refuted"
    verdict = prove_equal(sp.Derivative(L, z[j]), closed, assumptions=[sums_to_one(y)])
    assert verdict.status == "proved"
    assert any("Σ_k y_k = 1" in s.label for s in verdict.steps)


def test_bound_letters_reused_as_free_indices_are_not_captured():
    """Σ_l θ_lc x_l differentiated by θ_lm: the bound l is not the free l."""
    from derive.models.softmax import l, m, theta

    expr = sp.Sum(theta[l, c] * x[l], (l, 1, D))
    verdict = prove_equal(sp.Derivative(expr, theta[l, m]), x[l] * sp.KroneckerDelta(c, m),
                          scope=Scope(index_ranges={**SCOPE.index_ranges}))
    assert verdict.status == "proved"


@settings(max_examples=20, deadline=None)
@given(
    name=st.sampled_from([q.name for q in CLAIMS]),
    scale=st.sampled_from([sp.Integer(1), sp.Rational(1, 2), sp.Integer(-3)]),
)
def test_a_perturbed_closed_form_is_never_proved(name, scale):
    """Adding a multiple of the differentiation variable (or a constant, for a zero right
    side) makes every catalogue claim false: the verdict must be refuted, never proved."""
    from dataclasses import replace

    claim = catalogue.get(name)
    variables = [v for d in claim.lhs.atoms(sp.Derivative) for v in d.variables]
    extra = scale * variables[0] if variables and claim.rhs != 0 else scale
    verdict = prove(replace(claim, name=f"{name} perturbed", rhs=claim.rhs + extra))
    assert verdict.status == "refuted", (verdict.status, verdict.residual, verdict.note)
    assert verdict.counterexample is not None
