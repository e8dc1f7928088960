"""Finite-difference checks of f03_brightlamp_ols_matrix_zh.md (plain NumPy, never derive).

Row vectors as in the note: x, w (k entries), b scalar, X (m x k), y (m entries). Augmented: Xa = [1 | X],
wa = (b, w). a^T = Xw^T + b; cost = (1/m) sum (a_i - y_i)^2. Sizes (m, k) = (1, 1), (3, 2), (5, 4); 4 draws each.
Derivatives by central differences (h = 1e-6); rtol = atol = 1e-6.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np


def draws():
    rng = np.random.default_rng(3103)
    for m, k in [(1, 1), (3, 2), (5, 4)]:
        for _ in range(4):
            yield rng.normal(size=(m, k)), rng.normal(size=k), rng.normal(), rng.normal(size=m)


def close(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-6, atol=1e-6)


def num_grad(f, x, h=1e-6):
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def aug(X, w, b):
    return np.hstack([np.ones((X.shape[0], 1)), X]), np.concatenate([[b], w])


def cost_of_a(a, y):
    return np.mean((a - y) ** 2)


def cost_of_wa(Xa, wa, y):
    return cost_of_a(Xa @ wa, y)


def step_33_1():
    return all(close(sum(w[i] * X[0, i] for i in range(len(w))) + b, X[0] @ w + b) for X, w, b, _ in draws())


def step_40_0():  # the written-out product: entry i is sum_j x_ij w_j, plus b
    return all(close(X @ w + b, np.array([sum(X[i, j] * w[j] for j in range(len(w))) for i in range(len(X))]) + b)
               for X, w, b, _ in draws())


def step_74_0():
    return all(aug(X, w, b)[1][0] == b for X, w, b, _ in draws())


def step_79_0():
    return all(close(X @ w + b, aug(X, w, b)[0] @ aug(X, w, b)[1]) for X, w, b, _ in draws())


def step_92_0():
    ok = True
    for X, w, b, y in draws():
        a = X @ w + b
        ok &= close(num_grad(lambda v: cost_of_a(v, y), a), 2 / len(y) * (a - y))
    return bool(ok)


def step_104_0():
    ok = True
    for X, w, b, _ in draws():
        Xa, wa = aug(X, w, b)
        for i in range(len(Xa)):
            ok &= close(num_grad(lambda v: Xa[i] @ v, wa), Xa[i])
    return bool(ok)


def step_107_0():  # chain rule: dcost/dw_j = sum_i dcost/da_i da_i/dw_j, each factor numerically
    ok = True
    for X, w, b, y in draws():
        Xa, wa = aug(X, w, b)
        a = Xa @ wa
        dc_da = num_grad(lambda v: cost_of_a(v, y), a)
        da_dw = np.array([num_grad(lambda v: Xa[i] @ v, wa) for i in range(len(a))])
        ok &= close(num_grad(lambda v: cost_of_wa(Xa, v, y), wa), dc_da @ da_dw)
    return bool(ok)


def step_112_0():  # the gradient is the row of the partial derivatives, each taken alone
    ok = True
    for X, w, b, y in draws():
        Xa, wa = aug(X, w, b)
        parts = []
        for j in range(wa.size):
            def along(t):
                v = wa.copy()
                v[j] = t
                return cost_of_wa(Xa, v, y)
            parts.append((along(wa[j] + 1e-6) - along(wa[j] - 1e-6)) / 2e-6)
        ok &= close(num_grad(lambda v: cost_of_wa(Xa, v, y), wa), np.array(parts))
    return bool(ok)


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
