"""Finite-difference checks of f06_caozhens_logistic_mle_zh.md (plain NumPy, never derive).

x^i rows of X (m x n), y^i in {0, 1}, theta ~ N(0, 1), alpha ~ U(0.01, 1); sizes (m, n) = (1, 1), (3, 2), (6, 4);
4 draws each. g = sigmoid, h_theta(x^i) = g(theta^T x^i). Derivatives by central differences (h = 1e-6);
rtol = atol = 1e-6.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np


def g(z):
    return 1 / (1 + np.exp(-z))


def draws():
    rng = np.random.default_rng(3106)
    for m, n in [(1, 1), (3, 2), (6, 4)]:
        for _ in range(4):
            yield (rng.normal(size=(m, n)), rng.integers(0, 2, size=m).astype(float), rng.normal(size=n),
                   rng.uniform(0.01, 1.0))


def close(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-6, atol=1e-6)


def d_dj(f, t, j, h=1e-6):
    e = np.zeros_like(t)
    e[j] = h
    return (f(t + e) - f(t - e)) / (2 * h)


def L(X, y, t):  # the model's likelihood: product over examples of p(y^i | x^i; theta)
    hx = g(X @ t)
    return np.prod(hx**y * (1 - hx) ** (1 - y))


def loglik(X, y, t):
    return np.log(L(X, y, t))


def step_51_0():  # L(theta) restated as P(y|X;theta), the same product
    return all(close(L(X, y, t), np.prod(g(X @ t) ** y * (1 - g(X @ t)) ** (1 - y))) for X, y, t, _ in draws())


def step_54_1():
    return all(close(np.log(L(X, y, t)), np.sum(y * np.log(g(X @ t)) + (1 - y) * np.log(1 - g(X @ t))))
               for X, y, t, _ in draws())


def _per_j(check):
    ok = True
    for X, y, t, a in draws():
        for j in range(X.shape[1]):
            ok &= check(X, y, t, a, j)
    return bool(ok)


def step_62_0():
    def check(X, y, t, a, j):
        hx = g(X @ t)
        dh = np.array([d_dj(lambda v: g(X[i] @ v), t, j) for i in range(len(y))])
        return close(d_dj(lambda v: loglik(X, y, v), t, j), np.sum((y / hx - (1 - y) / (1 - hx)) * dh))
    return _per_j(check)


def step_65_0():
    return all(close(g(X @ t), np.array([g(t @ X[i]) for i in range(len(y))])) for X, y, t, _ in draws())


def step_66_0():
    def check(X, y, t, a, j):
        return all(close(d_dj(lambda v: g(X[i] @ v), t, j),
                         g(t @ X[i]) * (1 - g(t @ X[i])) * d_dj(lambda v: v @ X[i], t, j)) for i in range(len(y)))
    return _per_j(check)


def step_66_1():
    def check(X, y, t, a, j):
        return all(close(g(t @ X[i]) * (1 - g(t @ X[i])) * d_dj(lambda v: v @ X[i], t, j),
                         g(t @ X[i]) * (1 - g(t @ X[i])) * X[i, j]) for i in range(len(y)))
    return _per_j(check)


def step_68_0():
    def check(X, y, t, a, j):
        s = g(X @ t)
        return close(d_dj(lambda v: loglik(X, y, v), t, j), np.sum((y / s - (1 - y) / (1 - s)) * s * (1 - s) * X[:, j]))
    return _per_j(check)


def step_70_0():
    def check(X, y, t, a, j):
        return close(d_dj(lambda v: loglik(X, y, v), t, j), np.sum((y - g(X @ t)) * X[:, j]))
    return _per_j(check)


def step_72_1():
    def check(X, y, t, a, j):
        return close(t[j] + a * d_dj(lambda v: loglik(X, y, v), t, j), t[j] + a * np.sum((y - g(X @ t)) * X[:, j]))
    return _per_j(check)


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
