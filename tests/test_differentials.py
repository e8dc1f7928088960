"""Differentials (issue 19): ``dL = (s - y)^T dz``, ``ds = (diag(s) - s s^T) dz``,
``dQ = u^T dW x``, ``\\mathrm{d}``/``\\text{d}`` spellings (derive.latex.differentials).

A step between differentials holds when it holds for every direction of the one input the
chain writes a differential of; the elaborator proves it for every unit direction, the
referee checks it along a random one by central differences. Rows where it must not apply:
``d`` declared as an index or a scalar, a differential where a member is not linear in it
(``e^{dt}``: an increment), a chain with no input's differential, two varying inputs, and
Leibniz notation ``\\frac{dL}{dz_k}`` (a derivative, as before).

Each row's truth is decided by brute force in :func:`truth` (NumPy, central differences
along random directions, sizes 1-3), never by derive.
"""

from __future__ import annotations

import numpy as np
import pytest

from derive.latex.verify import verify_file

HEADER = r"""% derive: size K, D
% derive: index j, k in 1..K
% derive: index i in 1..D
% derive: tensor z_k, y_k, x_i, W_{ki}
% derive: scalar t
% derive: let s_k = \frac{e^{z_k}}{\sum_j e^{z_j}}
% derive: let L = -\sum_k y_k \log s_k
% derive: let u_k = \sum_i W_{ki} x_i
% derive: let Q = \frac{1}{2} \sum_k u_k^2
% derive: let h = t^3
% derive: assume \sum_k y_k = 1
"""

H = 1e-6


def _softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def _d(f, x, dx):
    """The directional derivative of ``f`` at ``x`` along ``dx`` (central differences)."""
    return (f(x + H * dx) - f(x - H * dx)) / (2 * H)


# name -> (lhs, rhs) at (z, y, x, W, t) and a direction of the varying input
def _sides(name):
    loss = lambda y: lambda z: -np.sum(y * np.log(_softmax(z)))  # noqa: E731
    q = lambda x: lambda W: 0.5 * np.sum((W @ x) ** 2)  # noqa: E731
    return {
        "grad": lambda z, y, x, W, t, dz, dW, dt: (
            _d(loss(y), z, dz), (_softmax(z) - y) @ dz),
        "grad_wrong": lambda z, y, x, W, t, dz, dW, dt: (
            _d(loss(y), z, dz), _softmax(z) @ dz),
        "jacobian": lambda z, y, x, W, t, dz, dW, dt: (
            _d(_softmax, z, dz),
            (np.diag(_softmax(z)) - np.outer(_softmax(z), _softmax(z))) @ dz),
        "jacobian_wrong": lambda z, y, x, W, t, dz, dW, dt: (
            _d(_softmax, z, dz),
            (np.diag(_softmax(z)) + np.outer(_softmax(z), _softmax(z))) @ dz),
        "matrix": lambda z, y, x, W, t, dz, dW, dt: (_d(q(x), W, dW), (W @ x) @ dW @ x),
        "matrix_wrong": lambda z, y, x, W, t, dz, dW, dt: (
            _d(q(x), W, dW), 2 * (W @ x) @ dW @ x),
        "scalar": lambda z, y, x, W, t, dz, dW, dt: (_d(lambda v: v ** 3, t, dt),
                                                    3 * t ** 2 * dt),
        "scalar_wrong": lambda z, y, x, W, t, dz, dW, dt: (_d(lambda v: v ** 3, t, dt),
                                                          t ** 2 * dt),
    }[name]


def truth(name: str) -> bool:
    rng = np.random.default_rng(1)
    sides = _sides(name)
    for K in (1, 2, 3):
        for D in (1, 2, 3):
            for _ in range(3):
                z, x = rng.normal(size=K), rng.normal(size=D)
                y = rng.random(K)
                y /= y.sum()
                W, t = rng.normal(size=(K, D)), float(rng.normal())
                dz, dW, dt = rng.normal(size=K), rng.normal(size=(K, D)), float(rng.normal())
                a, b = sides(z, y, x, W, t, dz, dW, dt)
                if not np.allclose(a, b, rtol=1e-5, atol=1e-6):
                    return False
    return True


# (truth name, step, derive's verdict)
APPLIES = [
    ("grad", r"dL = (s - y)^T dz", "proved"),
    ("grad", r"dL = (s - y) : dz", "proved"),
    ("grad", r"\mathrm{d}L = (s - y)^T \mathrm{d}z", "proved"),
    ("grad", r"\text{d}L = (s - y)^T \,\text{d}z", "proved"),
    ("grad", r"dL = dz^T (s - y)", "proved"),
    ("grad_wrong", r"dL = s^T dz", "refuted"),
    ("jacobian", r"ds = (\operatorname{diag}(s) - s s^T) dz", "proved"),
    ("jacobian_wrong", r"ds = (\operatorname{diag}(s) + s s^T) dz", "refuted"),
    ("matrix", r"dQ = u^T dW x", "proved"),
    ("matrix", r"dQ = u x^T : dW", "proved"),
    ("matrix_wrong", r"dQ = 2 u^T dW x", "refuted"),
    ("scalar", r"dh = 3 t^2 dt", "proved"),
    ("scalar_wrong", r"dh = t^2 dt", "refuted"),
]


@pytest.mark.parametrize("name, step, expected", APPLIES, ids=[r[1] for r in APPLIES])
def test_a_differential_step_is_checked(tmp_path, name, step, expected):
    assert (expected == "proved") == truth(name)  # the table itself is right
    p = tmp_path / "n.md"
    p.write_text(HEADER + f"$$ {step} $$\n")
    recs = verify_file(str(p))
    assert [r["verdict"] for r in recs] == [expected], recs


def test_a_refutation_shows_the_direction(tmp_path):
    p = tmp_path / "n.md"
    p.write_text(HEADER + "$$ dL = s^T dz $$\n")
    (rec,) = verify_file(str(p))
    assert rec["verdict"] == "refuted"
    assert "dz" in rec["counterexample"]["values"], rec["counterexample"]


# must not apply: never proved or refuted as a differential
NOT_APPLIED = [
    (r"e^{dt} = 1 + dt", "an increment inside a power: not linear"),
    (r"\log(1 + dt) = dt", "an increment inside a call"),
    (r"dL = -y^T \operatorname{diag}(s)^{-1} ds", "no input's differential in the chain"),
    (r"dL = (s - y)^T dz + y^T dy", "two varying inputs"),
    (r"dL = (s - y) : dz + \frac{1}{dz_1}", "a differential in a denominator"),
    (r"s - y = dz", "a member with no differential: dz names something else"),
    (r"d(t^3) = 3 t^2 dt + 3 t dt dt + dt dt dt", "increments: a product of differentials"),
    (r"dL = (s - y) : dz + dz : dz", "second order: a Frobenius product of two"),
    (r"0 = dL", "an equation to solve"),
]


@pytest.mark.parametrize("step, why", NOT_APPLIED, ids=[r[1] for r in NOT_APPLIED])
def test_a_differential_that_is_not_read_is_unknown(tmp_path, step, why):
    p = tmp_path / "n.md"
    p.write_text(HEADER + f"$$ {step} $$\n")
    got = [r["verdict"] for r in verify_file(str(p))]
    assert got and all(v == "unknown" for v in got), got


def _plain(tmp_path, body: str) -> list[str]:
    p = tmp_path / "n.md"
    p.write_text(body + "\n")
    return [r["verdict"] for r in verify_file(str(p))]


def test_d_declared_as_an_index_or_a_scalar_is_not_a_differential(tmp_path):
    # an index d (x_d, d = 1..D): sums over it read as before
    assert _plain(tmp_path, "% derive: size D\n% derive: index d, i in 1..D\n"
                  "% derive: tensor x_i\n$$ \\sum_{d=1}^{D} x_d = \\sum_i x_i $$") == ["proved"]
    # a scalar d: d x is a product (true as a product, false as a differential)
    assert _plain(tmp_path, "% derive: scalar d, x\n$$ d x = x d $$") == ["proved"]
    assert _plain(tmp_path, "% derive: scalar d, x\n$$ d x + d x = 2 x d $$") == ["proved"]


def test_leibniz_notation_stays_a_derivative(tmp_path):
    assert _plain(tmp_path, HEADER + r"$$ \frac{dL}{dz_k} = s_k - y_k $$") == ["proved"]
    assert _plain(tmp_path, HEADER + r"$$ \frac{dh}{dt} = 3 t^2 $$") == ["proved"]


@pytest.mark.parametrize("step, reason", [
    (r"dL = (s - y)^T dz + y^T dy", "several inputs (z, y)"),
])
def test_the_reader_says_why_a_differential_is_not_read(tmp_path, step, reason):
    # the reader's own reason, not only the referee's abstention
    p = tmp_path / "n.md"
    p.write_text(HEADER + f"$$ {step} $$\n")
    (rec,) = verify_file(str(p))
    assert rec["verdict"] == "unknown" and reason in rec["note"], rec


def test_a_chain_with_a_member_without_differential_reads_d_as_before(tmp_path):
    # dw = X(a - y)^T in deep-learning notes names a gradient dw: not a differential chain;
    # d is read as before (an undeclared letter here), never as the unit direction
    p = tmp_path / "n.md"
    p.write_text(HEADER + "$$ s - y = dz $$\n")  # (dz = s - y: dz a gradient's name)
    (rec,) = verify_file(str(p))
    assert rec["verdict"] == "unknown" and rec["note"].startswith("not read:"), rec
    assert "undeclared symbol d" in rec["note"], rec  # the reader's reason, not the referee's


# the gradient-name rule (dw = ... names a gradient, derive.latex.gradient_names) and
# differentials: notes that write a differential as a product (dz) have no gradient names
@pytest.mark.parametrize("math, names", [
    (r"\color{red}{ds = (S - s s^T) dz}", set()),           # between differentials
    (r"dw = \frac{1}{m} X^T e" "\n" r"db = 2", {"dw", "db"}),  # must still apply
    ("dz = a - y\ndw = x dz\ndb = dz", {"dz", "dw", "db"}),    # dz a name: dw, db too
    (r"dw = \text{and} x", {"dw"}),                        # a d inside a word
])
def test_gradient_names_beside_differentials(math, names):
    from derive.latex.gradient_names import gradient_names

    assert gradient_names(math) == frozenset(names)


def test_an_equation_between_differentials_is_read_with_ds_on_the_left(tmp_path):
    p = tmp_path / "n.md"
    p.write_text(HEADER + r"$$ \color{red}{ds = (\operatorname{diag}(s) - s s^T) dz} $$" + "\n")
    assert [r["verdict"] for r in verify_file(str(p))] == ["proved"]
