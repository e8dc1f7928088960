"""Finite-difference checks of f07_tyuryaev_irls_binomial.md (plain NumPy, never derive).

N observations, p features: X (N x p) ~ N(0, 1), beta ~ N(0, 0.5), n_i in 1..6, y_i in 0..n_i, eta = X beta,
p_i = e^eta / (1 + e^eta), mu_i = n_i p_i, W = diag(n_i p_i (1 - p_i)). Sizes (N, p) = (1, 1), (3, 2), (6, 3); 4 draws each
(the weighted-least-squares step needs N >= p, true for all). Moments of Binomial(n, p) by exact sums over its pmf.
Derivatives by central differences (h = 1e-6 first, 1e-4 for the second derivative of ell); rtol = atol = 1e-6
(1e-5 for the second derivative).
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
from math import comb

import numpy as np


def draws():
    rng = np.random.default_rng(3107)
    for N, p in [(1, 1), (3, 2), (6, 3)]:
        for _ in range(4):
            X = rng.normal(size=(N, p))
            beta = rng.normal(scale=0.5, size=p)
            n = rng.integers(1, 7, size=N).astype(float)
            y = np.array([rng.integers(0, int(k) + 1) for k in n], dtype=float)
            yield X, beta, n, y


def close(a, b, tol=1e-6):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and np.allclose(a, b, rtol=tol, atol=tol)


def sig(z):
    return np.exp(z) / (1 + np.exp(z))


def logit(q):
    return np.log(q / (1 - q))


def pmf(k, n, q):
    return comb(int(n), int(k)) * q**k * (1 - q) ** (n - k)


def binom(n, k):
    return np.array([comb(int(a), int(b)) for a, b in zip(np.atleast_1d(n), np.atleast_1d(k), strict=True)], dtype=float)


def cases():  # (n, y, p) per observation
    for X, beta, n, y in draws():
        q = sig(X @ beta)
        for i in range(len(n)):
            yield n[i], y[i], q[i]


def step_33_1():  # E[Y] = n p
    return all(close(sum(k * pmf(k, n, q) for k in range(int(n) + 1)), n * q) for n, _, q in cases())


def step_35_0():
    ok = True
    for n, _, q in cases():
        m = sum(k * pmf(k, n, q) for k in range(int(n) + 1))
        ok &= close(sum((k - m) ** 2 * pmf(k, n, q) for k in range(int(n) + 1)), n * q * (1 - q))
    return bool(ok)


def step_40_0():
    return all(close(pmf(y, n, q), np.exp(np.log(comb(int(n), int(y)) * q**y * (1 - q) ** (n - y))))
               for n, y, q in cases())


def m42(n, y, q):
    return np.exp(np.log(comb(int(n), int(y))) + y * np.log(q) + (n - y) * np.log(1 - q))


def m43(n, y, q):
    return np.exp(np.log(comb(int(n), int(y))) + y * np.log(q) - y * np.log(1 - q) + n * np.log(1 - q))


def m44(n, y, q):
    return np.exp(y * np.log(q / (1 - q)) + n * np.log(1 - q) + np.log(comb(int(n), int(y))))


def step_43_0():
    return all(close(m42(n, y, q), m43(n, y, q)) for n, y, q in cases())


def step_44_0():
    return all(close(m43(n, y, q), m44(n, y, q)) for n, y, q in cases())


def step_53_2():
    return all(close(np.log(q / (1 - q)), np.log((n * q / n) / (1 - n * q / n))) for n, _, q in cases())


def step_53_3():
    return all(close(np.log((n * q / n) / (1 - n * q / n)), np.log(n * q / (n - n * q))) for n, _, q in cases())


def step_58_0():  # Theta_i restated as the logit of p_i
    return all(close(logit(q), np.log(q / (1 - q))) for _, _, q in cases())


def step_58_1():
    return all(close(q, np.exp(logit(q)) / (1 + np.exp(logit(q)))) for _, _, q in cases())


def step_58_2():
    t = [logit(q) for _, _, q in cases()]
    return all(close(np.log(1 - q), np.log(1 - np.exp(a) / (1 + np.exp(a)))) for (_, _, q), a in zip(cases(), t, strict=True))


def step_58_3():
    return all(close(np.log(1 - np.exp(a) / (1 + np.exp(a))), -np.log(1 + np.exp(a)))
               for a in (logit(q) for _, _, q in cases()))


def step_58_4():  # eta_i = eta(Theta_i) = Theta_i
    return all(close(-np.log(1 + np.exp(a)), -np.log(1 + np.exp(a))) for a in (logit(q) for _, _, q in cases()))


def step_63_0():
    return all(close(pmf(y, n, q), np.exp(y * logit(q) - n * np.log(1 + np.exp(logit(q))) + np.log(comb(int(n), int(y)))))
               for n, y, q in cases())


def step_67_0():
    return all(close(logit(q), logit(q)) for _, _, q in cases())


def step_67_1():
    return all(close(logit(q), np.log(q / (1 - q))) for _, _, q in cases())


def step_76_0():  # eta_i = Theta_i = g(mu_i) = log(mu/(n - mu))
    return all(close(logit(q), np.log(n * q / (n - n * q))) for n, _, q in cases())


def step_76_1():
    return all(close(np.log(n * q / (n - n * q)), np.log(n * q / (n - n * q))) for n, _, q in cases())


def step_76_2():
    return all(close(np.log(n * q / (n - n * q)), np.log(q / (1 - q))) for n, _, q in cases())


def step_76_4():
    return all(close(X @ b, np.array([sum(X[i, j] * b[j] for j in range(len(b))) for i in range(len(X))]))
               for X, b, _, _ in draws())


def ell(X, b, n, y):  # up to the constant sum log binom
    eta = X @ b
    return np.sum(y * eta - n * np.log(1 + np.exp(eta)))


def num_grad(f, x, h=1e-6):
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def step_84_0():  # dl/dbeta = dl/deta deta/dbeta (row times Jacobian)
    ok = True
    for X, b, n, y in draws():
        dl_deta = num_grad(lambda e: np.sum(y * e - n * np.log(1 + np.exp(e))), X @ b)
        deta_db = np.array([num_grad(lambda v: X[i] @ v, b) for i in range(len(y))])
        ok &= close(num_grad(lambda v: ell(X, v, n, y), b), dl_deta @ deta_db)
    return bool(ok)


def _score_members(X, b, n, y):
    eta = X @ b
    q = sig(eta)
    m0 = num_grad(lambda v: ell(X, v, n, y), b)
    m1 = (y - n * np.exp(eta) / (1 + np.exp(eta))) @ X
    m2 = (y - n * q) @ X
    m3 = (y - n * q) @ X
    return m0, m1, m2, m3


def step_96_0():
    return all(close(*_score_members(*a)[0:2]) for a in draws())


def step_96_1():
    return all(close(*_score_members(*a)[1:3]) for a in draws())


def step_96_2():
    return all(close(*_score_members(*a)[2:4]) for a in draws())


def _fisher(check):
    ok = True
    for X, b, n, y in draws():
        eta = X @ b
        q = sig(eta)
        grad = lambda v: (y - n * np.exp(X @ v) / (1 + np.exp(X @ v))) @ X  # noqa: E731
        for j in range(len(b)):
            for k in range(len(b)):
                e = np.zeros_like(b)
                e[k] = 1e-4
                lhs = -(num_grad(lambda v: ell(X, v, n, y), b + e, 1e-5)[j]
                        - num_grad(lambda v: ell(X, v, n, y), b - e, 1e-5)[j]) / 2e-4
                e6 = np.zeros_like(b)
                e6[k] = 1e-6
                m1 = -(grad(b + e6)[j] - grad(b - e6)[j]) / 2e-6
                m2 = np.sum(n / (1 + np.exp(eta)) ** 2 * X[:, j])
                m3 = np.sum(n * q * (1 - q) * X[:, k] * X[:, j])
                ok &= check(lhs, m1, m2, m3)
    return bool(ok)


def step_104_0():
    return _fisher(lambda lhs, m1, m2, m3: close(lhs, m1, 1e-5))


def step_104_1():
    return _fisher(lambda lhs, m1, m2, m3: close(m1, m2))


def step_104_2():
    return _fisher(lambda lhs, m1, m2, m3: close(m2, m3))


def context_104():  # not a step check: the Fisher information entry is sum n p (1 - p) x_ik x_ij
    return _fisher(lambda lhs, m1, m2, m3: close(lhs, m3, 1e-5))


def step_122_0():
    ok = True
    for X, b, n, y in draws():
        q = sig(X @ b)
        W = np.diag(n * q * (1 - q))
        A = np.linalg.inv(X.T @ W @ X)
        m121 = A @ X.T @ W @ X @ b + A @ X.T @ W @ np.linalg.inv(W) @ (y - n * q)
        m122 = A @ X.T @ W @ (X @ b + np.linalg.inv(W) @ (y - n * q))
        ok &= close(m121, m122)
    return bool(ok)


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_") or name.startswith("context_"):
            print(name, fn())
