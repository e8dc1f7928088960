"""A symbolic power of a base positive by its form (derive.engine.algebra.powers
.provably_positive): ``(1 - σ)^{1-y}`` in a Bernoulli likelihood, ``1 - 1/(1 + e^{-t}) =
e^{-t}/(1 + e^{-t})``. Case table with the rows where it must NOT apply (a base not
positive by its form, a quotient whose numerator may be negative, a sum over a range that
may be empty); each row's truth decided here by brute force (NumPy), never by derive.
"""

from __future__ import annotations

import numpy as np
import pytest

from derive.latex.sources import read_text
from derive.latex.verify import verify_notes

S = "\\frac{1}{1+e^{-t}}"
LIKELIHOOD = (f"\\log\\left(\\left({S}\\right)^{{y}}\\left(1-{S}\\right)^{{1-y}}\\right) = "
              f"y\\log {S} + (%s)\\log\\left(1-{S}\\right)")


def sigma(t):
    return 1 / (1 + np.exp(-t))


def holds(lhs, rhs) -> bool:
    rng = np.random.default_rng(2)
    for _ in range(5):
        t, y = rng.normal(size=2) * 2
        a, b = lhs(t, y), rhs(t, y)
        if not (np.isfinite(a) and np.isfinite(b) and np.isclose(a, b)):
            return False
    return True


def _lik(t, y):
    return np.log(sigma(t) ** y * (1 - sigma(t)) ** (1 - y))


ROWS = [
    # (the step, lhs, rhs): proved when it holds, refuted when not
    (LIKELIHOOD % "1-y", _lik, lambda t, y: y * np.log(sigma(t)) + (1 - y) * np.log(1 - sigma(t))),
    (LIKELIHOOD % "1+y", _lik, lambda t, y: y * np.log(sigma(t)) + (1 + y) * np.log(1 - sigma(t))),
    (f"\\left(1-{S}\\right)^{{y}} = \\left(\\frac{{e^{{-t}}}}{{1+e^{{-t}}}}\\right)^{{y}}",
     lambda t, y: (1 - sigma(t)) ** y, lambda t, y: (np.exp(-t) / (1 + np.exp(-t))) ** y),
]


@pytest.mark.parametrize(("step", "lhs", "rhs"), ROWS)
def test_power_of_a_base_positive_by_its_form(step, lhs, rhs):
    (rec,) = verify_notes(read_text(f"$${step}$$\n", "md"))
    assert rec["verdict"] == ("proved" if holds(lhs, rhs) else "refuted")


SUM = "% derive: size K\n% derive: index k in 1..K\n% derive: tensor z_{k}\n% derive: scalar y\n"
NOT_POSITIVE = [
    # must NOT apply: true where defined, but the base is not positive by its form: unknown
    "$$\\log\\left((1 - e^{t})^{y}\\right) = y \\log(1 - e^{t})$$\n",
    "$$\\log\\left(\\left(1 - \\frac{2}{1+e^{-t}}\\right)^{y}\\right) = "
    "y \\log\\left(1 - \\frac{2}{1+e^{-t}}\\right)$$\n",
    # a sum over 2..K is empty at K = 1: not positive
    SUM + "$$\\log\\left(\\left(\\sum_{k=2}^{K} e^{z_k}\\right)^{y}\\right) = "
    "y \\log \\sum_{k=2}^{K} e^{z_k}$$\n",
]


@pytest.mark.parametrize("notes", NOT_POSITIVE)
def test_a_base_not_positive_by_its_form_stays_unknown(notes):
    (rec,) = verify_notes(read_text(notes, "md"))
    assert rec["verdict"] == "unknown"
    assert "not known positive" in rec.get("note", "")
