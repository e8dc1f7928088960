"""Finite-difference checks of b09_stats_se_258709_logistic_gradient.md (plain NumPy, never derive).

s = sigmoid; X (N x d) with rows x_i, w, y in {0,1} (the answer's bare y read as y_i); sizes
(1,1), (2,3), (5,4); several draws; central differences h = 1e-6; tol 1e-6.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np

TOL = 1e-6


def s(z):
    return 1 / (1 + np.exp(-z))


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
    rng = np.random.default_rng(15)
    for n, d in [(1, 1), (2, 3), (5, 4)]:
        for _ in range(4):
            yield rng.normal(size=(n, d)), rng.normal(size=d), rng.integers(0, 2, size=n).astype(float)


def NLL(X, w, y):
    p = s(X @ w)
    return -np.sum((1 - y) * np.log(1 - p) + y * np.log(p))


def _scalars():
    return np.random.default_rng(16).normal(scale=2.0, size=12)


def step_30_0():  # s' = s(1-s)
    return all(close(num_grad(s, np.array(x)), s(x) * (1 - s(x))) for x in _scalars())


def step_32_0():
    return step_30_0()


def step_32_1():  # d s(w^T x_i) / dw = x_i (1 - s) s
    return all(close(num_grad(lambda v: s(v @ X[i]), w), X[i] * (1 - s(w @ X[i])) * s(w @ X[i]))
               for X, w, _ in draws() for i in range(X.shape[0]))


def step_32_2():  # d log x / dx = 1/x
    xs = np.abs(_scalars()) + 0.1
    return all(close(num_grad(np.log, np.array(x)), 1 / x) for x in xs)


def step_33_0():
    ok = True
    for X, w, y in draws():
        p = s(X @ w)
        rhs = sum((1 - y[i]) * X[i] * (1 - p[i]) * p[i] / (1 - p[i]) - y[i] * X[i] * (1 - p[i]) * p[i] / p[i]
                  for i in range(len(y)))
        ok &= close(rhs, num_grad(lambda v: NLL(X, v, y), w))
    return bool(ok)


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
