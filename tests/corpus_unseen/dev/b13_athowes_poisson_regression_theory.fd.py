"""Finite-difference checks of b13_athowes_poisson_regression_theory.md (plain NumPy, never derive).

log link: lambda_i = exp(beta^T x_i); X (n x p) rows x_i, counts y; sizes (1,1), (3,2), (6,4);
several draws; central differences (h = 1e-6 gradient, 1e-4 Hessian of the numerical gradient); tol 1e-4.
The Fisher information is -E[Hessian] = -Hessian (the Hessian does not depend on y).
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np

TOL = 1e-4


def close(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and np.allclose(a, b, rtol=TOL, atol=TOL)


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


def draws():
    rng = np.random.default_rng(20)
    for n, p in [(1, 1), (3, 2), (6, 4)]:
        for _ in range(3):
            yield rng.normal(scale=0.5, size=(n, p)), rng.normal(scale=0.5, size=p), rng.poisson(2.0, size=n).astype(float)


def ell(X, b, y):
    lam = np.exp(X @ b)
    return np.sum(-lam + y * np.log(lam))


def step_12_1():
    return all(close(np.sum(y * (X @ b) - np.exp(X @ b)), ell(X, b, y)) for X, b, y in draws())


def step_12_2():
    return all(close(X.T @ (y - np.exp(X @ b)), num_grad(lambda v: ell(X, v, y), b)) for X, b, y in draws())


def step_12_3():
    ok = True
    for X, b, y in draws():
        lam = np.exp(X @ b)
        rhs = np.array([[np.sum(-X[:, j] * lam * X[:, k]) for k in range(X.shape[1])] for j in range(X.shape[1])])
        ok &= close(rhs, num_hess(lambda v: ell(X, v, y), b))
    return bool(ok)


def step_13_2():
    return all(close(-X.T @ np.diag(np.exp(X @ b)) @ X, num_hess(lambda v: ell(X, v, y), b)) for X, b, y in draws())


def step_13_3():
    return all(close(X.T @ np.diag(np.exp(X @ b)) @ X, -num_hess(lambda v: ell(X, v, y), b)) for X, b, y in draws())


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
