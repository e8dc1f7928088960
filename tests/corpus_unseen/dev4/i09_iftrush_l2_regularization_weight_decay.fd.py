"""Finite-difference checks of i09_iftrush_l2_regularization_weight_decay.md (plain NumPy, never derive).

L = 1, 3 layers with widths n^{[0..L]} drawn in 1..4; W^{[l]} ~ N(0, 1) of shape n^{[l]} x n^{[l-1]}; lambda ~ U(0.1, 3),
m in 1..6; 5 draws each. The algebraic identities are compared directly; rtol = atol = 1e-9.
"""
import numpy as np


def draws():
    rng = np.random.default_rng(1909)
    for L in (1, 3):
        for _ in range(5):
            n = rng.integers(1, 5, size=L + 1)
            Ws = [rng.normal(size=(n[l], n[l - 1])) for l in range(1, L + 1)]
            yield Ws, rng.uniform(0.1, 3.0), int(rng.integers(1, 7))


def close(a, b, tol=1e-9):
    return np.allclose(a, b, rtol=tol, atol=tol)


def fro2(W):  # \|W\|_F^2
    return np.linalg.norm(W, "fro") ** 2


def step_34_0():
    return all(close(lam / (2 * m) * sum(fro2(W) for W in Ws),
                     lam / (2 * m) * sum(sum(W[i, j] ** 2 for i in range(W.shape[0]) for j in range(W.shape[1]))
                                         for W in Ws)) for Ws, lam, m in draws())


def step_39_0():
    return all(all(close(fro2(W), sum(W[i, j] ** 2 for i in range(W.shape[0]) for j in range(W.shape[1])))
                   for W in Ws) for Ws, lam, m in draws())
