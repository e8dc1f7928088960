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


# -- Lagrange's primes without the argument: f' is f'(x), as f alone is f(x) ---------------
def sig(z: float) -> float:
    return 1 / (1 + math.exp(-z))


LOGISTIC = r"$$ \sigma(z) = \frac{1}{1 + e^{-z}} $$" "\n\n"
BARE = [  # (step, lhs, rhs) as functions of z
    (r"\sigma' = \sigma (1 - \sigma)", lambda z: fd(sig, z),
     lambda z: sig(z) * (1 - sig(z))),
    (r"\sigma' = \sigma (1 + \sigma)", lambda z: fd(sig, z),
     lambda z: sig(z) * (1 + sig(z))),
    (r"2 \sigma' = 2 \sigma (1 - \sigma)", lambda z: 2 * fd(sig, z),
     lambda z: 2 * sig(z) * (1 - sig(z))),
    (r"\sigma'' = \sigma' (1 - 2 \sigma)", lambda z: fd(sig, z, 2),
     lambda z: fd(sig, z) * (1 - 2 * sig(z))),
    (r"\sigma'' = \sigma' (1 - \sigma)", lambda z: fd(sig, z, 2),
     lambda z: fd(sig, z) * (1 - sig(z))),
    (r"\sigma'(z) = \sigma(z) (1 - \sigma(z))", lambda z: fd(sig, z),
     lambda z: sig(z) * (1 - sig(z))),
    # a call whose argument holds no bare sigma stays a call: sigma at 2z
    (r"\sigma(2 z) = \frac{1}{1 + e^{-2z}}", lambda z: sig(2 * z),
     lambda z: 1 / (1 + math.exp(-2 * z))),
    (r"\sigma'(2 z) = \sigma(2z)(1 - \sigma(2z))", lambda z: fd(sig, 2 * z),
     lambda z: sig(2 * z) * (1 - sig(2 * z))),
    (r"\sigma'(2 z) = 2 \sigma(2z)(1 - \sigma(2z))", lambda z: fd(sig, 2 * z),
     lambda z: 2 * sig(2 * z) * (1 - sig(2 * z))),
    # composition: sigma written right before its parentheses inside is not bare
    (r"\sigma(\sigma(z)) = \frac{1}{1 + e^{-\sigma(z)}}", lambda z: sig(sig(z)),
     lambda z: 1 / (1 + math.exp(-sig(z)))),
]


@pytest.mark.parametrize("step, lhs, rhs", BARE, ids=[s for s, _, _ in BARE])
def test_a_prime_on_a_function_without_its_argument(tmp_path, step, lhs, rhs):
    out = verdicts(tmp_path, LOGISTIC + f"$$ {step} $$")
    assert out == ["definition", truth(lhs, rhs)], out


@pytest.mark.parametrize("block, reason", [
    # a name defined with two arguments: by which one
    (r"$$ h(x, z) = x z $$" "\n\n" r"$$ h' = z $$", "h' of a function of 2 arguments"),
    # a name that is both a function and a value
    ("% derive: let c = 3\n% derive: let c(t) = 2 t\n$$ c' = 2 $$",
     "c' where the notes use c both as a function and as a value"),
    # a name the notes define twice
    ("% derive: let f(t) = t^2\n% derive: let f(s) = s^3\n$$ f'(2) = 4 $$",
     "f' where the notes define f 2 times"),
    # a prime on a variable: no function, no declaration
    ("% derive: scalar x\n$$ x' = 2 x $$", "a prime ' needs '% derive: prime"),
])
def test_a_prime_the_notes_do_not_decide_is_unknown_with_its_reason(tmp_path, block, reason):
    recs = run(tmp_path, block)
    last = recs[-1]
    assert last["verdict"] == "unknown", recs
    assert reason in last["note"], last


def test_a_prime_on_a_vector_valued_call_is_never_a_derivative(tmp_path):
    # f(x) = x e (a vector): f' is no scalar derivative; never proved
    body = ("% derive: size n\n% derive: index i in 1..n\n% derive: tensor e_i\n"
            r"$$ f(x) = x e $$" "\n\n" r"$$ f'(x) = e $$")
    assert verdicts(tmp_path, body)[-1] == "unknown"


def test_the_prime_declaration_still_wins(tmp_path):
    # '% derive: prime z' before the block: sigma' is d sigma(z)/dz, read as before
    body = (LOGISTIC + "% derive: prime z\n" r"$$ \sigma(z)' = \sigma(z) (1 - \sigma(z)) $$")
    assert verdicts(tmp_path, body) == ["definition", "proved"]


# -- a prime after a call's parentheses is on the call: f(x)' is [f(x)]' ---------------------
@pytest.mark.parametrize("block", [
    LOGISTIC + r"$$ \sigma(z)' = \sigma(z) $$",   # was proved: the prime was dropped
    "% derive: scalar z\n" r"$$ \log(z)' = \log(z) $$",
    "% derive: scalar z\n" r"$$ \exp(2 z)' = \exp(2 z) $$",
])
def test_a_prime_after_a_call_is_never_dropped(tmp_path, block):
    recs = run(tmp_path, block)
    assert recs[-1]["verdict"] == "unknown", recs
    assert "prime" in recs[-1]["note"], recs[-1]


PRIMED_CALLS = [  # (declarations and step, lhs, rhs) as functions of z
    (LOGISTIC + "% derive: prime z\n" r"$$ \sigma(z)' = \sigma(z) (1 - \sigma(z)) $$",
     lambda z: fd(sig, z), lambda z: sig(z) * (1 - sig(z))),
    (LOGISTIC + "% derive: prime z\n" r"$$ \sigma(z)' = \sigma(z) $$",
     lambda z: fd(sig, z), sig),
    ("% derive: scalar z\n% derive: prime z\n" r"$$ \log(z^2)' = \frac{2}{z} $$",
     lambda z: fd(lambda t: math.log(t * t), z), lambda z: 2 / z),
    ("% derive: scalar z\n% derive: prime z\n" r"$$ \log(z^2)' = \frac{1}{z} $$",
     lambda z: fd(lambda t: math.log(t * t), z), lambda z: 1 / z),
    # must not apply: c is a value, so c (z^2)' is c times the derivative of the bracket
    ("% derive: scalar c, z\n% derive: prime z\n" r"$$ c (z^2)' = 2 c z $$",
     lambda z: 0.5 * fd(lambda t: t * t, z), lambda z: z),  # at c = 0.5
]


@pytest.mark.parametrize("block, lhs, rhs", PRIMED_CALLS, ids=range(len(PRIMED_CALLS)))
def test_a_prime_after_a_call_under_a_prime_declaration(tmp_path, block, lhs, rhs):
    assert verdicts(tmp_path, block)[-1] == truth(lhs, rhs)


# -- f(x): a name the file writes only before parentheses is used as a function ------------
BOTH = ("% derive: size n\n% derive: index i in 1..n\n% derive: tensor c_i\n"
        "% derive: let c(t) = 2 t\n% derive: scalar a, b\n")


def test_a_name_written_only_as_a_call_is_decided_a_call(tmp_path):
    # c is both (a tensor c_i and a function c(t)); the displays write it only as c(...)
    recs = run(tmp_path, BOTH + "$$ c(a) = 2 a $$\n\n$$ c(a + b) = 2 a + 2 b $$\n\n"
               "$$ c(a + b) = a + b $$")
    assert [r["verdict"] for r in recs] == ["proved", "proved", "refuted"], recs
    assert all("readings" not in r for r in recs), recs


@pytest.mark.parametrize("extra", [
    "$$ c_1 = c_1 $$",        # c also written with an index: used as a value
    "$$ 2 c = c + c $$",      # c written alone
])
def test_a_name_also_written_as_a_value_stays_undecided(tmp_path, extra):
    recs = run(tmp_path, BOTH + f"$$ c(a) = 2 a $$\n\n$$ c(a + b) = 2 a + 2 b $$\n\n{extra}")
    assert recs[1]["verdict"] != "proved" or "readings" in recs[1], recs[1]
    assert "readings" in recs[1] or "ambiguous" in recs[1].get("note", ""), recs[1]


def test_a_name_written_once_as_a_call_stays_undecided(tmp_path):
    recs = run(tmp_path, BOTH + "$$ c(a + b) = 2 a + 2 b $$")
    assert "readings" in recs[0] or "ambiguous" in recs[0].get("note", ""), recs[0]


def test_a_hand_declared_scalar_is_never_decided_a_call_by_use(tmp_path):
    body = ("% derive: scalar a, b, c\n% derive: let c(t) = 2 t\n"
            "$$ c(a) = 2 a $$\n\n$$ c(a + b) = 2 a + 2 b $$")
    recs = run(tmp_path, body)
    assert all("readings" in r or "ambiguous" in r.get("note", "") for r in recs), recs


@pytest.mark.parametrize("step", [r"x' x = \sum_{i=1}^n x_i^2", r"x' = x", r"x' = 0"])
def test_a_prime_on_a_vector_is_never_read(tmp_path, step):
    # x' on a vector: a transpose in some notations, a derivative in others; no function
    # x(t) is defined, so neither reading is taken
    body = f"% derive: size n\n% derive: index i in 1..n\n% derive: tensor x_i\n$$ {step} $$"
    recs = run(tmp_path, body)
    assert [r["verdict"] for r in recs] == ["unknown"], recs
    assert "prime" in recs[0]["note"], recs[0]
