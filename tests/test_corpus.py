"""The corpus of published derivations (derive/corpus/, shipped with the package): derive never contradicts the
expectations recorded by hand, and the derivative claims those expectations rest on are
checked here independently by central finite differences in NumPy.

A false verdict (proved where a slip is expected, refuted where a true step is) fails;
an unknown is allowed and is listed by ``derive verify --corpus``.
"""

from __future__ import annotations

import glob
import json
import os

import numpy as np
import pytest

from derive.latex.corpus import corpus_dir
from derive.latex.verify import verify_file

HERE = corpus_dir()  # the installed package's copy when derive is installed
with open(os.path.join(HERE, "expected.json"), encoding="utf-8") as _fh:
    EXPECTED = json.load(_fh)

FILES = sorted(p for p in glob.glob(os.path.join(HERE, "[0-9][0-9]_*")))


def test_corpus_has_at_least_fifteen_sourced_files():
    assert len(FILES) >= 15
    for path in FILES:
        with open(path, encoding="utf-8") as fh:
            head = fh.read(2000)
        assert "% source:" in head and "% transcription:" in head, path
        assert os.path.basename(path)[:2] in EXPECTED, path


@pytest.mark.parametrize("path", FILES, ids=[os.path.basename(p)[:2] for p in FILES])
def test_no_false_verdict(path):
    expected = EXPECTED[os.path.basename(path)[:2]]
    results = verify_file(path)  # never raises: unreadable blocks are unknown
    by_line: dict[int, list[str]] = {}
    for r in results:
        by_line.setdefault(r["line"], []).append(r["verdict"])
    false = []
    for line, verdicts in by_line.items():
        for n, got in enumerate(verdicts):
            want = expected.get(str(line), [])[n:n + 1]
            if got == "proved" and want != ["p"]:
                false.append((line, n, got, want))
            if got == "refuted" and want != ["r"]:
                false.append((line, n, got, want))
    assert false == []


# -- independent numeric checks of the claims the expectations rest on ---------------------
RNG = np.random.default_rng(9)
H = 1e-6


def softmax(o: np.ndarray) -> np.ndarray:
    e = np.exp(o - o.max())
    return e / e.sum()


def fd_grad(f, x: np.ndarray, h: float = H) -> np.ndarray:
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        d = np.zeros_like(x)
        d[i] = h
        g[i] = (f(x + d) - f(x - d)) / (2 * h)
    return g


def test_fd_softmax_jacobian_and_cross_entropy_gradient():
    """01-06, 13, 14: dp_i/do_k = p_i(delta_ik - p_k); dL/do = p - y for one-hot y."""
    o = RNG.normal(size=4)
    y = np.eye(4)[2]
    p = softmax(o)
    jac = np.array([fd_grad(lambda v, i=i: softmax(v)[i], o) for i in range(4)])
    assert np.allclose(jac, np.diag(p) - np.outer(p, p), atol=1e-7)
    grad = fd_grad(lambda v: -np.sum(y * np.log(softmax(v))), o)
    assert np.allclose(grad, p - y, atol=1e-7)


def test_fd_slips_are_false():
    o = RNG.normal(size=3)
    p = softmax(o)
    # 05: the Jacobian entry (2,1) written y_2 y_1 (sign lost)
    jac21 = fd_grad(lambda v: softmax(v)[1], o)[0]
    assert not np.isclose(jac21, p[1] * p[0])
    # 14: i != j case written -e^{a_i} e^{a_i} / (sum)^2 instead of -e^{a_i} e^{a_j} / ...
    e = np.exp(o)
    assert not np.isclose(jac21, -e[1] * e[1] / e.sum() ** 2)
    # 07: d/dx log sum e^{x} written 1 / sum e^{x}
    g = fd_grad(lambda v: np.log(np.exp(v).sum()), o)
    assert not np.allclose(g, 1 / e.sum())
    # 02: d(y log p)/dp is y/p, not -y/p (the sign slip of ell_j)
    yj, pj = 1.0, 0.3
    d = (yj * np.log(pj + H) - yj * np.log(pj - H)) / (2 * H)
    assert np.isclose(d, yj / pj) and not np.isclose(d, -yj / pj)


def test_fd_logsumexp_hessian_offdiagonal():
    """07: d^2/dx_k dx_j log sum e^x = -e^{x_k} e^{x_j} / (sum)^2 for j != k."""
    x = RNG.normal(size=3)
    e = np.exp(x)
    # nested differences: h = 1e-4 keeps rounding (~eps/h^2) and truncation (~h^2) below
    # 1e-7 at any point; h = 1e-6 passed or failed with the point drawn (test order)
    g1 = lambda v: fd_grad(lambda w: np.log(np.exp(w).sum()), v, 1e-4)[0]  # noqa: E731
    h01 = fd_grad(g1, x, 1e-4)[1]
    assert np.isclose(h01, -e[0] * e[1] / e.sum() ** 2, atol=1e-5)


def test_fd_multinomial_gradient_and_dropped_sum_slip():
    """08, 09, 12: grad_{theta_k} of -sum_i log p(y_i | x_i) = -sum_i x_i (1{y_i=k} - p_ik);
    09's slip (the indicator dropped) is false."""
    n, K, D = 5, 3, 2
    X = RNG.normal(size=(n, D))
    y = RNG.integers(0, K, size=n)
    W = RNG.normal(size=(K, D))

    def J(w):
        return -sum(np.log(softmax(w @ X[i])[y[i]]) for i in range(n))

    P = np.array([softmax(W @ X[i]) for i in range(n)])
    k = 1
    grad = fd_grad(J, W)[k]
    right = -sum(X[i] * ((y[i] == k) - P[i, k]) for i in range(n))
    assert np.allclose(grad, right, atol=1e-6)
    slip = -sum(X[i] * (1 - P[i, k]) for i in range(n))
    assert not np.allclose(grad, slip, atol=1e-3)


def test_fd_multinomial_hessian_block_and_statsmodels_slip():
    """10-12: the (m, j) Hessian block is -sum_i p_im (delta_mj - p_ij) x_i x_i^T; the
    statsmodels note's x_i x_l^T (l a class) is not it."""
    n, K, D = 4, 3, 3
    X = RNG.normal(size=(n, D))
    y = RNG.integers(0, K, size=n)
    W = RNG.normal(size=(K, D))

    def ll(w):
        return sum(np.log(softmax(w @ X[i])[y[i]]) for i in range(n))

    P = np.array([softmax(W @ X[i]) for i in range(n)])
    m, j = 0, 2

    def gm(w):
        return fd_grad(ll, w)[m]

    block = np.array([fd_grad(lambda w, a=a: gm(w)[a], W)[j] for a in range(D)])
    right = -sum(P[i, m] * ((m == j) - P[i, j]) * np.outer(X[i], X[i]) for i in range(n))
    assert np.allclose(block, right, atol=2e-3)  # nested differences: ~1e-4 noise
    slip = -sum(P[i, m] * ((m == j) - P[i, j]) * np.outer(X[i], X[j]) for i in range(n))
    assert not np.allclose(block, slip, atol=2e-2)


def test_fd_sigmoid_and_logistic_gradient():
    """16, 18: g' = g(1-g); d/dtheta_j of the mean cross-entropy is mean (h - y) x_j; the
    log-likelihood's derivative has no leading minus (16's slip)."""
    g = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    z = 0.7
    assert np.isclose((g(z + H) - g(z - H)) / (2 * H), g(z) * (1 - g(z)))
    X = RNG.normal(size=(6, 2))
    y = RNG.integers(0, 2, size=6).astype(float)
    t = RNG.normal(size=2)

    def loss(th):
        h = g(X @ th)
        return -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h))

    assert np.allclose(fd_grad(loss, t), X.T @ (g(X @ t) - y) / 6, atol=1e-7)
    x1, y1 = X[0], 1.0

    def l1(th):
        return y1 * np.log(g(th @ x1)) + (1 - y1) * np.log(1 - g(th @ x1))

    right = (y1 - g(t @ x1)) * x1
    assert np.allclose(fd_grad(l1, t), right, atol=1e-7)
    assert not np.allclose(fd_grad(l1, t), -right, atol=1e-3)
