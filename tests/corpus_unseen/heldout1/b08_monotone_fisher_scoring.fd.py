"""Finite-difference check of b08_monotone_fisher_scoring.md (plain NumPy, never derive).

The one checkable claim: H = X'SX for H_ij = d^2 l / d theta_i d theta_j of the log-likelihood l.
Hessian by central differences of the analytic-free numerical gradient (h = 1e-4 outer, 1e-6 inner);
sizes (m, n) = (1,1), (3,2), (6,4); several draws; tol 1e-4.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np

TOL = 1e-4


def sig(z):
    return 1 / (1 + np.exp(-z))


def num_grad(f, x, h=1e-6):
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def num_hess(f, x, h=1e-4):
    H = np.zeros((x.size, x.size))
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = h
        H[:, j] = (num_grad(f, x + e) - num_grad(f, x - e)) / (2 * h)
    return H


def loglik(X, y, t):
    h = sig(X @ t)
    return np.sum(y * np.log(h) + (1 - y) * np.log(1 - h))


def step_39_0():  # H = X'SX
    rng = np.random.default_rng(14)
    for m, n in [(1, 1), (3, 2), (6, 4)]:
        for _ in range(3):
            X, t = rng.normal(size=(m, n)), rng.normal(size=n)
            y = rng.integers(0, 2, size=m).astype(float)
            h = sig(X @ t)
            S = np.diag(h * (1 - h))
            if not np.allclose(X.T @ S @ X, num_hess(lambda v: loglik(X, y, v), t), rtol=TOL, atol=TOL):
                return False
    return True


if __name__ == "__main__":
    print("step_39_0", step_39_0())
