"""Derivatives of quantities the notes differentiate but never define: opaque atoms and the
chain rule (derive/latex/undefined_derivatives.py), checked by the engine and the referee.

A step about such derivatives is ``proved`` only when it holds for every value of them, and
is never ``refuted`` (the true derivatives are constrained: a failure for some values says
nothing about them): it is ``unknown`` naming the undefined quantity. The truth of each
row is written beside it and checked by brute force in ``test_truth_by_brute_force``: the
undefined ``p`` is given random smooth instances (``p = tanh(A x + b)`` and
``p = softmax(A x)``) and both sides are compared by central differences.
"""

from __future__ import annotations

import numpy as np
import pytest

from derive.engine.claims import Verdict
from derive.latex import verify as V
from derive.latex.chains import extract

# L is defined in p; p is differentiated by x and never defined
HEAD = "$$L = -\\sum_{j=1}^n y_j \\log p_j$$\n\n"
LX = r"\frac{\partial L}{\partial x_i}"
LP = r"\frac{\partial L}{\partial p_j}"


def dp(a: str, b: str) -> str:
    return rf"\frac{{\partial p_{a}}}{{\partial x_{b}}}"


# (step, truth): truth "p" holds for every differentiable p, "r" fails for some
ROWS = [
    (rf"{LX} = -\sum_{{j=1}}^n \frac{{y_j}}{{p_j}} {dp('j', 'i')}", "p"),
    (rf"{LX} = \sum_{{j=1}}^n {LP} {dp('j', 'i')}", "p"),
    (rf"{LX} = \sum_{{k=1}}^n \frac{{\partial L}}{{\partial p_k}} {dp('k', 'i')}", "p"),
    # the chain with its index swapped, a term missing, a wrong coefficient
    (rf"{LX} = \sum_{{j=1}}^n {LP} {dp('i', 'j')}", "r"),
    (rf"{LX} = \sum_{{j=2}}^n {LP} {dp('j', 'i')}", "r"),
    (rf"{LX} = -\sum_{{j=1}}^n \frac{{y_i}}{{p_j}} {dp('j', 'i')}", "r"),
    (rf"{LX} = -\frac{{y_i}}{{p_i}} {dp('i', 'i')}", "r"),
    # the Jacobian of p is not zero, nor the identity
    (rf"{dp('j', 'i')} = 0", "r"),
    (rf"{dp('j', 'i')} = \delta_{{ij}}", "r"),
    # a derivative by p itself is an ordinary partial derivative
    (rf"{LP} {dp('j', 'i')} = -\frac{{y_j}}{{p_j}} {dp('j', 'i')}", "p"),
    (rf"{LP} {dp('j', 'i')} = -\frac{{y_j}}{{p_i}} {dp('j', 'i')}", "r"),
]


def _verdicts(text: str, prove=None) -> list[dict]:  # type: ignore[no-untyped-def]
    return [r for r in V.verify_notes(extract(text, "n.md"), prove=prove)
            if r["verdict"] != "definition"]


@pytest.mark.parametrize(("step", "truth"), ROWS, ids=[str(n) for n in range(len(ROWS))])
def test_a_step_on_undefined_derivatives_is_proved_only_when_it_holds(step, truth):
    (rec,) = _verdicts(HEAD + f"$${step}$$\n")
    if truth == "p":
        assert rec["verdict"] == "proved", rec
    else:
        assert rec["verdict"] == "unknown", rec
        assert "p_j" in rec["note"] and "never defined" in rec["note"], rec


@pytest.mark.parametrize(("step", "truth"), ROWS, ids=[str(n) for n in range(len(ROWS))])
def test_the_referee_reads_the_atoms_itself(step, truth):
    """A stand-in engine answers ``proved`` for every step: what stands is the referee's
    reading, which moves p along random slopes per entry of x."""
    def prove(lhs, rhs, **kw):  # type: ignore[no-untyped-def]
        return Verdict(name=kw.get("name", ""), status="proved")

    (rec,) = _verdicts(HEAD + f"$${step}$$\n", prove)
    if truth == "p":
        assert rec["verdict"] == "proved", rec
    else:
        assert rec["verdict"] == "unknown" and rec.get("disagreement"), rec


def test_a_second_derivative_of_an_undefined_quantity_is_unknown():
    step = (r"\frac{\partial^2 L}{\partial x_i \partial x_k} = \sum_{j=1}^n "
            rf"{LP} \frac{{\partial^2 p_j}}{{\partial x_i \partial x_k}}")
    (rec,) = _verdicts(HEAD + f"$${step}$$\n")
    assert rec["verdict"] == "unknown" and "second derivative of the undefined p" in rec["note"]


def test_a_quantity_declared_by_hand_stays_independent():
    """``tensor p_j`` written by the user: p is an input, its derivative by x is 0."""
    head = ("% derive: size n\n% derive: index i, j in 1..n\n"
            "% derive: tensor p_j, x_i, y_j\n") + HEAD
    (rec,) = _verdicts(head + f"$${dp('j', 'i')} = 0$$\n")
    assert rec["verdict"] == "proved" and "∂" not in str(rec.get("read")), rec


def test_a_defined_quantity_is_differentiated_through_its_definition():
    """p = softmax(x) defined in the notes: no atom, the true Jacobian; a wrong one refuted."""
    head = r"$$p_j = \frac{e^{x_j}}{\sum_{k=1}^n e^{x_k}}$$" + "\n\n"
    recs = _verdicts(head + f"$${dp('j', 'i')} = p_j (\\delta_{{ij}} - p_i)$$\n\n"
                     f"$${dp('j', 'i')} = p_j (1 - p_i)$$\n")
    assert [r["verdict"] for r in recs] == ["proved", "refuted"], recs
    assert not any("∂" in str(r.get("read", "")) for r in recs)


def test_an_undefined_quantity_not_differentiated_by_the_variable_is_still_opaque():
    """p is differentiated by x only; by another input z it may still depend: unknown, and
    an undefined q next to it is named as well."""
    text = HEAD + f"$${dp('j', 'i')} = {dp('j', 'i')}$$\n\n" + (
        r"$$\frac{\partial p_j}{\partial z_i} = 0$$" + "\n")
    recs = _verdicts(text)
    assert [r["verdict"] for r in recs] == ["proved", "unknown"], recs


# -- the truth of ROWS, by brute force --------------------------------------------------
def _instances(n: int, rng: np.random.Generator):  # type: ignore[no-untyped-def]
    a, b = rng.normal(size=(n, n)), rng.normal(size=n)
    yield lambda x: 0.6 + 0.3 * np.tanh(a @ x + b)
    yield lambda x: np.exp(a @ x) / np.exp(a @ x).sum()


def _truth(k: int) -> str:
    """Both sides of ROWS[k] at random x, y, every i, j, sizes 1..3, two instances of p."""
    h = 1e-6
    for n in (1, 2, 3):
        rng = np.random.default_rng(n)
        for p in _instances(n, rng):
            x, y = rng.normal(size=n), rng.uniform(0.1, 1.0, size=n)
            px = p(x)
            jac = np.array([[(p(x + h * e)[j] - p(x - h * e)[j]) / (2 * h)
                             for e in np.eye(n)] for j in range(n)])  # jac[j, i] = dp_j/dx_i
            dl_dp = -y / px
            dl_dx = jac.T @ dl_dp
            for i in range(n):
                for j in range(n):
                    sides = [
                        (dl_dx[i], sum(-y[c] / px[c] * jac[c, i] for c in range(n))),
                        (dl_dx[i], sum(dl_dp[c] * jac[c, i] for c in range(n))),
                        (dl_dx[i], sum(dl_dp[c] * jac[c, i] for c in range(n))),
                        (dl_dx[i], sum(dl_dp[c] * jac[i, c] for c in range(n))),
                        (dl_dx[i], sum(dl_dp[c] * jac[c, i] for c in range(1, n))),
                        (dl_dx[i], sum(-y[i] / px[c] * jac[c, i] for c in range(n))),
                        (dl_dx[i], -y[i] / px[i] * jac[i, i]),
                        (jac[j, i], 0.0),
                        (jac[j, i], float(i == j)),
                        (dl_dp[j] * jac[j, i], -y[j] / px[j] * jac[j, i]),
                        (dl_dp[j] * jac[j, i], -y[j] / px[i] * jac[j, i]),
                    ][k]
                    if not np.isclose(*sides, rtol=1e-5, atol=1e-7):
                        return "r"
    return "p"


@pytest.mark.parametrize("k", range(len(ROWS)))
def test_truth_by_brute_force(k):
    assert _truth(k) == ROWS[k][1]


# -- a quantity written with its arguments: L(\mathbf{p}) depends on x only through p -----
ARGS = "% derive: size n\n% derive: index i, j, k in 1..n\n$$L(\\mathbf{p})$$\n\n"
ROWS_ARGS = [
    (rf"{LX} = \sum_{{j=1}}^n {LP} {dp('j', 'i')}", "p"),
    (rf"{LX} = \sum_{{k=1}}^n \frac{{\partial L}}{{\partial p_k}} {dp('k', 'i')}", "p"),
    (rf"{LX} = \sum_{{j=1}}^n {LP} {dp('i', 'j')}", "r"),
    (rf"{LX} = \sum_{{j=2}}^n {LP} {dp('j', 'i')}", "r"),
    # p may depend on y as well: L does too, through p
    (r"\frac{\partial L}{\partial y_i} = 0", "r"),
]


@pytest.mark.parametrize(("step", "truth"), ROWS_ARGS, ids=[str(n) for n in range(len(ROWS_ARGS))])
def test_a_quantity_written_with_its_arguments_is_differentiated_through_them(step, truth):
    (rec,) = _verdicts(ARGS + f"$${step}$$\n")
    if truth == "p":
        assert rec["verdict"] == "proved", rec
    else:
        assert rec["verdict"] == "unknown" and "never defined" in rec["note"], rec


@pytest.mark.parametrize(("step", "truth"), ROWS_ARGS, ids=[str(n) for n in range(len(ROWS_ARGS))])
def test_the_referee_reads_the_arguments_itself(step, truth):
    def prove(lhs, rhs, **kw):  # type: ignore[no-untyped-def]
        return Verdict(name=kw.get("name", ""), status="proved")

    (rec,) = _verdicts(ARGS + f"$${step}$$\n", prove)
    if truth == "p":
        assert rec["verdict"] == "proved", rec
    else:
        assert rec["verdict"] == "unknown" and rec.get("disagreement"), rec


def test_arguments_must_agree_across_uses():
    """L(p) in one display and L(p, y) in another: no one argument list, so L's derivative by
    x is its own atom and the chain through p alone is not proved."""
    (rec,) = _verdicts(ARGS + "$$L(\\mathbf{p}, \\mathbf{y})$$\n\n"
                       f"$${LX} = \\sum_{{j=1}}^n {LP} {dp('j', 'i')}$$\n")
    assert rec["verdict"] == "unknown", rec


def test_arguments_that_are_independent_inputs_give_zero():
    """p declared by hand is an input that does not depend on x: L(p) does not either."""
    head = "% derive: tensor p_j, x_i\n" + ARGS
    (rec,) = _verdicts(head + f"$${LX} = 0$$\n")
    assert rec["verdict"] == "proved", rec
    (rec,) = _verdicts(head + f"$${LX} = {LP}$$\n")
    assert rec["verdict"] == "unknown", rec


def _truth_args(k: int) -> str:
    """ROWS_ARGS[k] at random smooth L(p) = Σ c_j p_j² + log Σ e^{p_j} and p(x, y)."""
    h = 1e-6
    for n in (1, 2, 3):
        rng = np.random.default_rng(10 + n)
        a, b = rng.normal(size=(n, n)), rng.normal(size=(n, n))
        w = rng.normal(size=n)

        def p(x, y, a=a, b=b):  # type: ignore[no-untyped-def]
            return np.tanh(a @ x + b @ y)

        def ell(q, w=w):  # type: ignore[no-untyped-def]
            return float(w @ q ** 2 + np.log(np.exp(q).sum()))

        x, y = rng.normal(size=n), rng.normal(size=n)
        jx = np.array([(p(x + h * e, y) - p(x - h * e, y)) / (2 * h) for e in np.eye(n)]).T
        lp = np.array([(ell(p(x, y) + h * e) - ell(p(x, y) - h * e)) / (2 * h)
                       for e in np.eye(n)])
        lx = np.array([(ell(p(x + h * e, y)) - ell(p(x - h * e, y))) / (2 * h)
                       for e in np.eye(n)])
        ly = np.array([(ell(p(x, y + h * e)) - ell(p(x, y - h * e))) / (2 * h)
                       for e in np.eye(n)])
        for i in range(n):
            sides = [(lx[i], lp @ jx[:, i]), (lx[i], lp @ jx[:, i]), (lx[i], lp @ jx[i, :]),
                     (lx[i], lp[1:] @ jx[1:, i]), (ly[i], 0.0)][k]
            if not np.isclose(*sides, rtol=1e-5, atol=1e-7):
                return "r"
    return "p"


@pytest.mark.parametrize("k", range(len(ROWS_ARGS)))
def test_truth_of_the_argument_rows_by_brute_force(k):
    assert _truth_args(k) == ROWS_ARGS[k][1]


@pytest.mark.parametrize(("text", "scalar"), [
    # L differentiated and never defined, written bare: a scalar quantity (its steps read)
    (f"$${LX} = \\sum_{{j=1}}^n {LP} {dp('j', 'i')}$$\n", True),
    # defined in the notes, declared by hand, or subscripted: not inferred as a scalar
    (HEAD + f"$${LX} = \\sum_{{j=1}}^n {LP} {dp('j', 'i')}$$\n", False),
    ("% derive: scalar L\n" + f"$${LX} = 0$$\n", False),
    ("$$\\frac{\\partial L_k}{\\partial x_i} = 0$$\n", False),
])
def test_an_undefined_name_written_bare_is_inferred_a_scalar(text, scalar):
    from derive.latex.infer import inference

    lines = inference(extract(text, "n.md")).lines()
    assert ("% derive: scalar L" in lines) is scalar, lines
