"""Derivative notation as people write it (issue 19): each reading with a case table of its
own, outside the corpora, and the cases where it must NOT apply.

The verdict each row expects is decided here, independently of derive, by central finite
differences in float64 (:func:`truth`): a row expects ``proved`` only where the two sides
agree at every sample point, ``refuted`` only where they differ at one.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from derive.latex.verify import verify_file

POINTS = (-1.3, -0.4, 0.7, 1.9)
H = 1e-5


def fd(f: Callable[[float], float], x: float, order: int = 1) -> float:
    """The ``order``-th derivative of ``f`` at ``x`` by central differences."""
    if order == 2:
        return (f(x + H) - 2 * f(x) + f(x - H)) / (H * H)
    return (f(x + H) - f(x - H)) / (2 * H)


def truth(lhs: Callable[[float], float], rhs: Callable[[float], float]) -> str:
    """``proved`` when the two sides agree at every sample point, else ``refuted``."""
    same = all(math.isclose(lhs(x), rhs(x), rel_tol=1e-4, abs_tol=1e-4) for x in POINTS)
    return "proved" if same else "refuted"


def run(tmp_path, body: str) -> list[dict]:
    p = tmp_path / "n.md"
    p.write_text(body + "\n")
    return verify_file(str(p))


def verdicts(tmp_path, body: str) -> list[str]:
    return [r["verdict"] for r in run(tmp_path, body)]


# -- a sign or numbers inside the numerator of a Leibniz fraction ----------------------------
SCALAR = "% derive: scalar z, b\n\n"
SIGNED = [  # (step, lhs as a function of z, rhs as a function of z)
    (r"\frac{- \partial z^2}{\partial z} = -2 z",
     lambda z: -fd(lambda t: t * t, z), lambda z: -2 * z),
    (r"\frac{- \partial z^2}{\partial z} = 2 z",
     lambda z: -fd(lambda t: t * t, z), lambda z: 2 * z),
    (r"\frac{2 \partial z^3}{\partial z} = 6 z^2",
     lambda z: 2 * fd(lambda t: t ** 3, z), lambda z: 6 * z * z),
    (r"\frac{- 2 \partial z^3}{\partial z} = 6 z^2",
     lambda z: -2 * fd(lambda t: t ** 3, z), lambda z: 6 * z * z),
    (r"\frac{-d (b z^3)}{dz} = -3 b z^2",
     lambda z: -fd(lambda t: 0.5 * t ** 3, z), lambda z: -1.5 * z * z),  # at b = 0.5
    (r"\frac{-d (b z^3)}{dz} = 3 b z^2",
     lambda z: -fd(lambda t: 0.5 * t ** 3, z), lambda z: 1.5 * z * z),
    (r"\frac{-1 \partial e^{z}}{\partial z} = - e^{z}",
     lambda z: -fd(math.exp, z), lambda z: -math.exp(z)),
    (r"\frac{3 \partial^2 z^3}{\partial z^2} = 18 z",
     lambda z: 3 * fd(lambda t: t ** 3, z, 2), lambda z: 18 * z),
    (r"\frac{3 \partial^2 z^3}{\partial z^2} = 6 z",
     lambda z: 3 * fd(lambda t: t ** 3, z, 2), lambda z: 6 * z),
]


@pytest.mark.parametrize("step, lhs, rhs", SIGNED, ids=[s for s, _, _ in SIGNED])
def test_a_sign_or_number_in_a_leibniz_numerator_scales_the_derivative(tmp_path, step, lhs,
                                                                        rhs):
    assert verdicts(tmp_path, SCALAR + f"$$ {step} $$") == [truth(lhs, rhs)]


VECTOR = r"""% derive: size n
% derive: index i, j in 1..n
% derive: tensor y_i, p_i
"""


@pytest.mark.parametrize("rhs, expected", [
    (r"-2 y_j p_j", "proved"),
    (r"2 y_j p_j", "refuted"),
    (r"-2 y_i p_i", "refuted"),  # another index: a slip caught, not proved
])
def test_a_negated_sum_in_a_leibniz_numerator(tmp_path, rhs, expected):
    # -∂(Σ_i y_i p_i²)/∂p_j = -2 y_j p_j, checked at n = 2 by finite differences
    y, p = [0.3, -1.1], [0.8, 1.7]

    def lhs(j: int) -> float:
        def f(t: float) -> float:
            q = list(p)
            q[j] = t
            return -sum(a * b * b for a, b in zip(y, q, strict=True))
        return fd(f, p[j])
    holds = all(math.isclose(lhs(j), -2 * y[j] * p[j], abs_tol=1e-6) for j in range(2))
    assert holds and expected in ("proved", "refuted")
    body = VECTOR + rf"$$ \frac{{- \partial \sum_i y_i p_i^2}}{{\partial p_j}} = {rhs} $$"
    assert verdicts(tmp_path, body) == [expected]


@pytest.mark.parametrize("step", [
    r"\frac{- \partial}{\partial z} z^2 = -2 z",    # the operator form with a sign: not read
    r"\frac{b \partial z^2}{\partial z} = 2 b z",   # a letter before the marker: not a factor
    r"\frac{- 2}{\partial z} = 2",                  # no marker after the numbers
    r"\frac{- \partial z}{2 z} = -\frac{1}{2}",     # no marker in the denominator
])
def test_a_leibniz_numerator_reading_must_not_apply(tmp_path, step):
    assert verdicts(tmp_path, SCALAR + f"$$ {step} $$") != ["proved"]


# -- \sum' and \prod': the derivative of a sum by a variable the formula does not name -----
@pytest.mark.parametrize("op", ["sum", "prod"])
def test_a_prime_on_a_sum_is_unknown_with_its_reason_and_other_links_stay(tmp_path, op):
    body = SCALAR + f"$$ z + b = b + z = \\{op}' + z $$"
    recs = run(tmp_path, body)
    assert [r["verdict"] for r in recs] == ["proved", "unknown"], recs
    col = 20 + len(op) + 1  # '$$ z + b = b + z = ' is 19 characters, then \op
    assert f"n.md:3:{col}: a prime on \\{op}" in recs[1]["note"], recs[1]


@pytest.mark.parametrize("written", [r"\sum_{i=1}^{3}' i", r"\sum'_{i=1}^{3} i"])
def test_a_prime_on_a_sum_with_limits_is_never_the_sum(tmp_path, written):
    # read without its prime, Σ_{i=1}^3 i = 6 would be proved
    recs = run(tmp_path, f"$$ {written} = 6 $$\n\n$$ \\sum_{{i=1}}^{{3}} i = 6 $$")
    assert [r["verdict"] for r in recs] == ["unknown", "proved"], recs
    assert "a prime on \\sum" in recs[0]["note"]


def test_a_prime_on_a_sum_stays_unknown_under_a_prime_declaration(tmp_path):
    body = "% derive: scalar z\n% derive: prime z\n$$ \\sum' = 1 + 1 $$"
    recs = run(tmp_path, body)
    assert [r["verdict"] for r in recs] == ["unknown"], recs
    assert "a prime on \\sum" in recs[0]["note"]


# -- d/dz written inline: the operator and dy/dx -------------------------------------------
SLASHED = [
    (r"d/dz \left[ z^3 \right] = 3 z^2", lambda z: fd(lambda t: t ** 3, z), lambda z: 3 * z * z),
    (r"d/dz \left[ z^3 \right] = z^2", lambda z: fd(lambda t: t ** 3, z), lambda z: z * z),
    (r"d/dz (b z^2) = 2 b z", lambda z: fd(lambda t: 0.5 * t * t, z), lambda z: z),
    (r"d/dz\, e^{2z} = 2 e^{2z}", lambda z: fd(lambda t: math.exp(2 * t), z),
     lambda z: 2 * math.exp(2 * z)),
    (r"d(z^3)/dz = 3 z^2", lambda z: fd(lambda t: t ** 3, z), lambda z: 3 * z * z),
    (r"d(z^3)/dz = 3 z", lambda z: fd(lambda t: t ** 3, z), lambda z: 3 * z),
]


@pytest.mark.parametrize("step, lhs, rhs", SLASHED, ids=[s for s, _, _ in SLASHED])
def test_d_over_dz_written_inline(tmp_path, step, lhs, rhs):
    assert verdicts(tmp_path, SCALAR + f"$$ {step} $$") == [truth(lhs, rhs)]


@pytest.mark.parametrize("declared", ["scalar d", "size d", "index d in 1..3"])
def test_d_over_dz_must_not_apply_where_d_is_a_name_of_the_notes(tmp_path, declared):
    # d/dz [z^2] with a declared d is the product (d / d) z z^2 = z^3, never 2z
    expected = truth(lambda z: z ** 3, lambda z: 2 * z)
    body = f"% derive: scalar z\n% derive: {declared}\n$$ d/dz \\left[ z^2 \\right] = 2 z $$"
    assert verdicts(tmp_path, body) == [expected]


def test_d_over_dz_of_a_letter_the_notes_never_define_is_unknown(tmp_path):
    recs = run(tmp_path, SCALAR + "$$ dy/dz = 2 z $$")
    assert [r["verdict"] for r in recs] == ["unknown"], recs
