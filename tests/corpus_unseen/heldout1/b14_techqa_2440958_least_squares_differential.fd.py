"""Finite-difference checks of b14_techqa_2440958_least_squares_differential.md (plain NumPy, never derive).

y (n,), X (n x d), w (d,); the differential dL is checked as the directional derivative along a random dw
(central differences, h = 1e-6). Sizes (1,1), (3,2), (5,4); several draws; tol 1e-5.
"""

import numpy as np

TOL = 1e-5


def close(a, b):
    return bool(np.allclose(a, b, rtol=TOL, atol=TOL))


def draws():
    rng = np.random.default_rng(21)
    for n, d in [(1, 1), (3, 2), (5, 4)]:
        for _ in range(4):
            yield rng.normal(size=(n, d)), rng.normal(size=d), rng.normal(size=n), rng.normal(size=d)


def L(X, w, y):
    r = y - X @ w
    return r @ r


def dL(X, w, y, dw, h=1e-6):
    return (L(X, w + h * dw, y) - L(X, w - h * dw, y)) / (2 * h)


def step_18_1():
    return all(close((y - w @ X.T) @ (y - X @ w), L(X, w, y)) for X, w, y, _ in draws())


def step_18_2():
    return all(close(y @ y - w @ X.T @ y - y @ X @ w + w @ X.T @ X @ w, L(X, w, y)) for X, w, y, _ in draws())


def step_19_0():
    return all(close(-dw @ X.T @ y - y @ X @ dw + dw @ X.T @ X @ w + w @ X.T @ X @ dw, dL(X, w, y, dw))
               for X, w, y, dw in draws())


def step_19_1():
    return all(close(-dw @ X.T @ y - dw @ X.T @ y + dw @ X.T @ X @ w + dw @ X.T @ X @ w, dL(X, w, y, dw))
               for X, w, y, dw in draws())


def step_19_2():
    return all(close(dw @ (-2 * X.T @ y + 2 * X.T @ X @ w), dL(X, w, y, dw)) for X, w, y, dw in draws())


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
