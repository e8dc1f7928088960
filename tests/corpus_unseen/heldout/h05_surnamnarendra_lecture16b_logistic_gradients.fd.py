"""Finite-difference checks of h05_surnamnarendra_lecture16b_logistic_gradients.md (plain NumPy, never derive).

X (n x d, rows x_i) ~ N(0, 1), w ~ N(0, 1), b ~ N(0, 1), y in {0, 1}^n; (n, d) = (1, 1), (3, 2), (6, 4); 4 draws each.
L(w, b) = -sum_i [y_i log p_i + (1 - y_i) log(1 - p_i)], p_i = sigma(w^T x_i + b). Gradients by central differences
(h = 1e-6); rtol = atol = 1e-6.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np


def sig(z):
    return 1 / (1 + np.exp(-z))


def draws():
    rng = np.random.default_rng(3205)
    for n, d in [(1, 1), (3, 2), (6, 4)]:
        for _ in range(4):
            yield rng.normal(size=(n, d)), rng.normal(size=d), rng.normal(), rng.integers(0, 2, size=n).astype(float)


def loss(X, w, b, y):
    p = sig(X @ w + b)
    return -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))


def close(a, b):
    return bool(np.allclose(a, b, rtol=1e-6, atol=1e-6))


def step_21_0():
    ok = True
    h = 1e-6
    for X, w, b, y in draws():
        g = np.array([(loss(X, w + h * e, b, y) - loss(X, w - h * e, b, y)) / (2 * h) for e in np.eye(len(w))])
        ok &= close(g, X.T @ (sig(X @ w + b) - y))
    return bool(ok)


def step_21_1():
    ok = True
    h = 1e-6
    for X, w, b, y in draws():
        g = (loss(X, w, b + h, y) - loss(X, w, b - h, y)) / (2 * h)
        ok &= close(g, np.ones(len(y)) @ (sig(X @ w + b) - y))
    return bool(ok)


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
