"""Finite-difference checks of d12_techqa_2592385_linear_poisson_mle.md (plain NumPy, never derive).

X_i in R^n with positive entries, beta with positive entries (so lambda_i = beta^T X_i > 0), y_i ~ Poisson(3);
(k, n) = (1, 1), (3, 2), (6, 4); 5 draws each. Gradients by central differences (h = 1e-6); tolerance
rtol = atol = 1e-6.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
from math import lgamma

import numpy as np

TOL = 1e-6


def close(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and np.allclose(a, b, rtol=TOL, atol=TOL)


def num_grad(f, x, h=1e-6):
    x = np.array(x, float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def draws():
    rng = np.random.default_rng(1212)
    for k, n in [(1, 1), (3, 2), (6, 4)]:
        for _ in range(5):
            X = rng.uniform(0.2, 2.0, size=(k, n))  # rows X_i
            yield X, rng.poisson(3.0, size=k).astype(float), rng.uniform(0.2, 2.0, size=n)


def L_poisson(X, y, b):
    lam = X @ b
    return float(np.sum(-lam + y * np.log(lam) - np.array([lgamma(v + 1) for v in y])))


def L_gauss(X, y, b):
    return float(np.sum((y - X @ b) ** 2))


def step_18_0():
    ok = True
    for X, y, b in draws():
        rhs = sum(-X[i] + y[i] * X[i] / (b @ X[i]) for i in range(X.shape[0]))
        ok &= close(rhs, num_grad(lambda v: L_poisson(X, y, v), b))
    return bool(ok)


def step_25_0():  # the factor -2 is missing: fails
    ok = True
    for X, y, b in draws():
        rhs = sum((y[i] - b @ X[i]) * X[i] for i in range(X.shape[0]))
        ok &= close(rhs, num_grad(lambda v: L_gauss(X, y, v), b))
    return bool(ok)


def context():
    """Not a step check: with the factor -2 the Gaussian gradient holds."""
    return all(close(-2 * sum((y[i] - b @ X[i]) * X[i] for i in range(X.shape[0])),
                     num_grad(lambda v: L_gauss(X, y, v), b)) for X, y, b in draws())


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
    print("context", context())
