"""Finite-difference checks of d13_techqa_3205293_ridge_identity.md (plain NumPy, never derive).

X (N x p), Y (N), beta (p), lambda ~ U(0.1, 3); (N, p) = (1, 1), (3, 2), (6, 4); 5 draws each. The derivative
f'(beta) (a row) and the gradient (a column) are both compared, as 1-D arrays, with the central-difference
gradient of f (h = 1e-6); tolerance rtol = atol = 1e-6.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
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
    rng = np.random.default_rng(1313)
    for n, p in [(1, 1), (3, 2), (6, 4)]:
        for _ in range(5):
            yield rng.normal(size=(n, p)), rng.normal(size=n), rng.normal(size=p), rng.uniform(0.1, 3.0)


def f(X, Y, b, lam):
    r = X @ b - Y
    return 0.5 * r @ r + lam / 2 * b @ b


def _grad_is(member):
    return all(close(member(X, Y, b, lam), num_grad(lambda v: f(X, Y, v, lam), b)) for X, Y, b, lam in draws())


def step_32_1():  # f'(beta) = (X beta - Y)^T X + lambda beta^T
    return _grad_is(lambda X, Y, b, lam: (X @ b - Y) @ X + lam * b)


def step_32_2():  # nabla f = f'(beta)^T
    return _grad_is(lambda X, Y, b, lam: ((X @ b - Y) @ X + lam * b).T)


def step_32_3():
    return _grad_is(lambda X, Y, b, lam: X.T @ (X @ b - Y) + lam * b)


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
