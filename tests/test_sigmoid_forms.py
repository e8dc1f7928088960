"""Sigmoid and binary cross-entropy, as people spell them: the algebra must close the
true forms (rational functions of exponentials, logs of quotients of positives) and the
search must refute the slips. Every case is also checked here, independently of the
engine, by 40-digit evaluation at random points (``_agree``)."""

from __future__ import annotations

import random

import mpmath
import pytest
import sympy as sp

from derive import prove_equal

t, u = sp.symbols("t u", real=True)
E = sp.exp


def s(a):
    return 1 / (1 + E(-a))


# (lhs, rhs, expected, why)
CASES = [
    (sp.Derivative(s(t), t), s(t) * (1 - s(t)), "proved", "σ' = σ(1 − σ)"),
    (sp.Derivative(s(t), t), s(t) - s(t) ** 2, "proved", "expanded"),
    (sp.Derivative(s(t), t), E(-t) / (1 + E(-t)) ** 2, "proved", "quotient rule as written"),
    (sp.Derivative(s(t), t), s(t) * s(-t), "proved", "1 − σ(t) = σ(−t)"),
    (E(t) / (1 + E(t)), s(t), "proved", "multiply by e^{−t}/e^{−t}"),
    (1 - s(t), s(-t), "proved", "symmetry"),
    (1 - s(t), 1 / (1 + E(t)), "proved", "symmetry, written out"),
    ((1 + E(-t)) ** -1, s(t), "proved", "a power −1"),
    (sp.log(s(t)), -sp.log(1 + E(-t)), "proved", "log of a quotient of positives"),
    (sp.log(s(t)), t - sp.log(1 + E(t)), "proved", "log σ = t − softplus(t)"),
    (sp.log(1 - s(t)), -sp.log(1 + E(t)), "proved", "log(1 − σ) = −softplus(t)"),
    (sp.log(s(t) / (1 - s(t))), t, "proved", "the logit is the inverse of σ"),
    (sp.Derivative(sp.log(s(t)), t), 1 - s(t), "proved", "(log σ)' = 1 − σ"),
    (sp.Derivative(sp.log(1 - s(t)), t), -s(t), "proved", "(log(1 − σ))' = −σ"),
    (sp.Derivative(sp.log(1 + E(t)), t), s(t), "proved", "softplus' = σ"),
    (sp.Derivative(-(u * sp.log(s(t)) + (1 - u) * sp.log(1 - s(t))), t), s(t) - u,
     "proved", "BCE gradient, any real label u"),
    (sp.Derivative(-(u * sp.log(s(t)) + (1 - u) * sp.log(1 - s(t))), t, 2),
     s(t) * (1 - s(t)), "proved", "BCE curvature"),
    (sp.Derivative(u * t - sp.log(1 + E(t)), t), u - s(t), "proved", "log-likelihood in t"),
    (s(t) * (1 - s(t)), E(t) / (1 + E(t)) ** 2, "proved", "σ(1 − σ) written with e^t"),
    (E(t) / (E(t) + E(u)), s(t - u), "proved", "two-class softmax = σ of the difference"),
    # slips people make
    (sp.Derivative(s(t), t), s(t) * (1 + s(t)), "refuted", "sign slip"),
    (sp.Derivative(s(t), t), s(t), "refuted", "forgot the chain rule"),
    (sp.Derivative(-(u * sp.log(s(t)) + (1 - u) * sp.log(1 - s(t))), t), u - s(t),
     "refuted", "sign of the gradient"),
    (sp.log(1 - s(t)), -sp.log(1 + E(-t)), "refuted", "log(1 − σ) taken for log σ"),
    (E(t) / (E(t) + E(u)), s(u - t), "refuted", "difference the wrong way round"),
    (1 - s(t), s(t), "refuted", "true only at t = 0"),
]


def _agree(lhs, rhs, trials: int = 5) -> bool:
    """Independent of the engine: SymPy's own derivative, then 40-digit evaluation."""
    rng = random.Random(0)
    diff = (lhs - rhs).doit()
    f = sp.lambdify((t, u), diff, modules="mpmath")
    mpmath.mp.dps = 40
    return all(abs(f(mpmath.mpf(rng.uniform(-3, 3)), mpmath.mpf(rng.uniform(-2, 2)))) < 1e-30
               for _ in range(trials))


@pytest.mark.parametrize(("lhs", "rhs", "expected", "why"), CASES, ids=[c[3] for c in CASES])
def test_sigmoid_forms(lhs, rhs, expected, why):
    assert _agree(lhs, rhs) == (expected == "proved"), f"the table itself is wrong: {why}"
    v = prove_equal(lhs, rhs)
    assert v.status == expected, (why, v.status, v.note, v.residual)
    if expected == "refuted":
        cex = v.counterexample
        assert cex is not None and abs(cex.lhs - cex.rhs) > 1e-6
