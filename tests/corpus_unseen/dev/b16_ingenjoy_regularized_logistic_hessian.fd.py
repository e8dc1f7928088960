"""Finite-difference checks of b16_ingenjoy_regularized_logistic_hessian.md (plain NumPy, never derive).

X (n x d) rows x_i, y in {0,1}, lambda > 0; sizes (1,1), (3,2), (6,4); several draws; central differences
(h = 1e-6 gradient, 1e-4 Hessian of the numerical gradient); tol 1e-4.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np

TOL = 1e-4


def sig(z):
    return 1 / (1 + np.exp(-z))


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
    rng = np.random.default_rng(23)
    for n, d in [(1, 1), (3, 2), (6, 4)]:
        for _ in range(3):
            yield (rng.normal(size=(n, d)), rng.normal(size=d), rng.integers(0, 2, size=n).astype(float),
                   rng.uniform(0.1, 2.0))


def Lfun(X, w, y, lam):
    s = sig(X @ w)
    return -np.sum(y * np.log(s) + (1 - y) * np.log(1 - s)) + lam * w @ w


def step_15_0():
    return all(close(-X.T @ y + X.T @ sig(X @ w) + 2 * lam * w, num_grad(lambda v: Lfun(X, v, y, lam), w))
               for X, w, y, lam in draws())


def step_19_0():
    ok = True
    for X, w, y, lam in draws():
        s = sig(X @ w)
        rhs = sum(s[i] * (1 - s[i]) * np.outer(X[i], X[i]) for i in range(len(y))) + 2 * lam * np.eye(len(w))
        ok &= close(rhs, num_hess(lambda v: Lfun(X, v, y, lam), w))
    return bool(ok)


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
