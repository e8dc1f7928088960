"""Finite-difference checks of h03_duzhongxiang_logistic_newton_gradient.md (plain NumPy, never derive).

X (n x d, rows x_i, entries x_ij) ~ N(0, 1), w ~ N(0, 1), y_i in {0, 1}; (n, d) = (1, 1), (3, 2), (5, 4); 4 draws each.
alpha_i = 1/(1+exp(-w^Tx_i)), P(y|x,w) = sigma(w^Tx)^y (1-sigma(w^Tx))^(1-y), P(D|w) = prod_i P(y_i|x_i,w),
L(w) = -log P(D|w). Derivatives in w_j by central differences (h = 1e-6); rtol = atol = 1e-6. A row's step compares its
left member (the line's first member, or the last member of the row before for a row opening with "=") with its right.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np


def draws():
    rng = np.random.default_rng(3203)
    for n, d in [(1, 1), (3, 2), (5, 4)]:
        for _ in range(4):
            yield rng.normal(size=(n, d)), rng.normal(size=d), rng.integers(0, 2, size=n).astype(float)


def sig(z):
    return 1 / (1 + np.exp(-z))


def P_D(X, w, y):
    s = sig(X @ w)
    return np.prod(s**y * (1 - s) ** (1 - y))


def L(X, w, y):
    return -np.log(P_D(X, w, y))


def dw(f, w, j, h=1e-6):
    e = np.zeros(len(w))
    e[j] = h
    return (f(w + e) - f(w - e)) / (2 * h)


def close(a, b):
    return bool(np.allclose(a, b, rtol=1e-6, atol=1e-6))


def every(check):
    """check(X, w, y, i, j) for every draw, example i and coordinate j."""
    ok = True
    for X, w, y in draws():
        for i in range(X.shape[0]):
            for j in range(X.shape[1]):
                ok &= bool(check(X, w, y, i, j))
    return bool(ok)


def step_19_2():
    ok = True
    for X, w, y in draws():
        a = sig(X @ w)
        ok &= close(P_D(X, w, y), np.prod(a**y * (1 - a) ** (1 - y)))
    return bool(ok)


def step_19_5():  # the slip: the sum is +log P(D|w), not -log P(D|w)
    ok = True
    for X, w, y in draws():
        a = sig(X @ w)
        ok &= close(L(X, w, y), np.sum(y * np.log(a)) + np.sum((1 - y) * np.log(1 - a)))
    return bool(ok)


def step_20_0():
    return every(lambda X, w, y, i, j: close(dw(lambda v: np.log(sig(X[i] @ v)), w, j),
                                             dw(lambda v: -np.log(1 + np.exp(-(X[i] @ v))), w, j)))


def step_20_1():
    def c(X, w, y, i, j):
        e = np.exp(-(X[i] @ w))
        return close(dw(lambda v: -np.log(1 + np.exp(-(X[i] @ v))), w, j), X[i, j] * e / (1 + e))
    return every(c)


def step_21_0():
    return every(lambda X, w, y, i, j: close(dw(lambda v: np.log(1 - sig(X[i] @ v)), w, j),
                                             dw(lambda v: np.log(np.exp(-(X[i] @ v)) / (1 + np.exp(-(X[i] @ v)))), w, j)))


def step_21_1():
    return every(lambda X, w, y, i, j: close(
        dw(lambda v: np.log(np.exp(-(X[i] @ v)) / (1 + np.exp(-(X[i] @ v)))), w, j),
        dw(lambda v: np.log(np.exp(-(X[i] @ v))) - np.log(1 + np.exp(-(X[i] @ v))), w, j)))


def step_22_0():
    def c(X, w, y, i, j):
        e = np.exp(-(X[i] @ w))
        left = dw(lambda v: np.log(np.exp(-(X[i] @ v))) - np.log(1 + np.exp(-(X[i] @ v))), w, j)
        return close(left, -X[i, j] + X[i, j] * e / (1 + e))
    return every(c)


def step_22_1():
    def c(X, w, y, i, j):
        e = np.exp(-(X[i] @ w))
        return close(-X[i, j] + X[i, j] * e / (1 + e), -X[i, j] / (1 + e))
    return every(c)


def _sum23a(X, w, y, j):
    e = np.exp(-(X @ w))
    return -np.sum(y * X[:, j] * e / (1 + e) + (1 - y) * (-X[:, j]) / (1 + e))


def _sum23b(X, w, y, j):
    e = np.exp(-(X @ w))
    return -np.sum(X[:, j] * (y * (1 + e) - 1) / (1 + e))


def step_23_0():
    return every(lambda X, w, y, i, j: close(dw(lambda v: L(X, v, y), w, j), _sum23a(X, w, y, j)))


def step_23_1():
    return every(lambda X, w, y, i, j: close(_sum23a(X, w, y, j), _sum23b(X, w, y, j)))


def step_24_0():
    return every(lambda X, w, y, i, j: close(_sum23b(X, w, y, j), -np.sum(X[:, j] * (y - sig(X @ w)))))


def step_24_1():
    return every(lambda X, w, y, i, j: close(-np.sum(X[:, j] * (y - sig(X @ w))), np.sum(X[:, j] * (sig(X @ w) - y))))


def step_34_0():
    ok = True
    for X, w, y in draws():
        g = np.array([dw(lambda v: L(X, v, y), w, j) for j in range(X.shape[1])])
        ok &= close(g, X.T @ (sig(X @ w) - y))
    return bool(ok)


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
