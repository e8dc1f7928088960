"""Finite-difference checks of b15_imathworks_least_squares_norm_gradient.md (plain NumPy, never derive).

y (n,), X (n x d), w (d,); sizes (1,1), (3,2), (5,4); several draws; tol 1e-9 (algebraic identities).
"""

import numpy as np

TOL = 1e-9


def close(a, b):
    return bool(np.allclose(a, b, rtol=TOL, atol=TOL))


def draws():
    rng = np.random.default_rng(22)
    for n, d in [(1, 1), (3, 2), (5, 4)]:
        for _ in range(4):
            yield rng.normal(size=(n, d)), rng.normal(size=d), rng.normal(size=n)


def sq(X, w, y):
    return np.linalg.norm(y - X @ w) ** 2


def step_18_0():
    return all(close(np.dot(y - X @ w, y - X @ w), sq(X, w, y)) for X, w, y in draws())


def step_18_1():
    return all(close(y @ y - 2 * w @ X.T @ y + w @ X.T @ X @ w, sq(X, w, y)) for X, w, y in draws())


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
