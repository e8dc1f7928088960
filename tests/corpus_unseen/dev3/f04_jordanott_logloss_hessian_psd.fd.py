"""Finite-difference checks of f04_jordanott_logloss_hessian_psd.ipynb (plain NumPy, never derive).

x_i rows of X (N x p), y_i in {0, 1}, theta ~ N(0, 1), c ~ N(0, 1); sizes (N, p) = (1, 1), (3, 2), (6, 4); 4 draws each.
Derivatives by central differences (h = 1e-6); rtol = atol = 1e-6. Cell 2, lines as keyed.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np


def sig(z):
    return 1 / (1 + np.exp(-z))


def draws():
    rng = np.random.default_rng(3104)
    for N, p in [(1, 1), (3, 2), (6, 4)]:
        for _ in range(4):
            yield (rng.normal(size=(N, p)), rng.integers(0, 2, size=N).astype(float), rng.normal(size=p),
                   rng.normal(size=p))


def close(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-6, atol=1e-6)


def d_dk(f, theta, k, h=1e-6):
    e = np.zeros_like(theta)
    e[k] = h
    return (f(theta + e) - f(theta - e)) / (2 * h)


def member22(X, y, t, j, k):  # d/dtheta_k of sum_i [sigma(x_i theta) - y_i] x_ij
    return d_dk(lambda v: np.sum((sig(X @ v) - y) * X[:, j]), t, k)


def member26(X, y, t, j, k):  # sum_i d/dtheta_k [sigma(x_i theta) x_ij]
    return sum(d_dk(lambda v: sig(X[i] @ v) * X[i, j], t, k) for i in range(len(y)))


def member30(X, y, t, j, k):
    s = sig(X @ t)
    return np.sum(s * (1 - s) * X[:, j] * X[:, k])


def _all_jk(f, g):
    ok = True
    for X, y, t, _ in draws():
        for j in range(X.shape[1]):
            for k in range(X.shape[1]):
                ok &= close(f(X, y, t, j, k), g(X, y, t, j, k))
    return bool(ok)


def step_2_26_0():
    return _all_jk(member22, member26)


def step_2_30_0():
    return _all_jk(member26, member30)


def _quad(X, t, c):
    s = sig(X @ t)
    A = sum(s[i] * (1 - s[i]) * np.outer(X[i], X[i]) for i in range(len(X)))
    m46 = sum(s[i] * (1 - s[i]) * (c @ np.outer(X[i], X[i]) @ c) for i in range(len(X)))
    m50 = sum(s[i] * (1 - s[i]) * (X[i] @ c) * (X[i] @ c) for i in range(len(X)))
    m54 = sum(s[i] * (1 - s[i]) * (X[i] @ c) ** 2 for i in range(len(X)))
    return c @ A @ c, m46, m50, m54


def step_2_46_0():
    return all(close(*_quad(X, t, c)[0:2]) for X, _, t, c in draws())


def step_2_50_0():
    return all(close(*_quad(X, t, c)[1:3]) for X, _, t, c in draws())


def step_2_54_0():
    return all(close(*_quad(X, t, c)[2:4]) for X, _, t, c in draws())


def context_2_36():  # not a step check: the diagonal of the Hessian is sum s(1-s) x_ij^2, without y_i
    ok = True
    for X, y, t, _ in draws():
        s = sig(X @ t)
        for j in range(X.shape[1]):
            ok &= close(member22(X, y, t, j, j), np.sum(s * (1 - s) * X[:, j] ** 2))
    return bool(ok)


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_") or name.startswith("context_"):
            print(name, fn())
