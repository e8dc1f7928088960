"""Finite-difference checks of f01_kyleclo_logistic_backprop_newton.md (plain NumPy, never derive).

x_i (rows of X, n x m), y_i in {0, 1}, w ~ N(0, 1); sizes (n, m) = (1, 1), (3, 2), (6, 3); 4 draws each.
Gradients by central differences of L (h = 1e-6), Hessian by central differences of the numerical gradient
(h = 1e-4); rtol = atol = 1e-6 (1e-4 for the Hessian). L_i is the i-th term of the sum defining L.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np


def phi(z):
    return 1 / (1 + np.exp(-z))


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
    rng = np.random.default_rng(3101)
    for n, m in [(1, 1), (3, 2), (6, 3)]:
        for _ in range(4):
            yield rng.normal(size=(n, m)), rng.integers(0, 2, size=n).astype(float), rng.normal(size=m)


def close(a, b, tol=1e-6):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and np.allclose(a, b, rtol=tol, atol=tol)


def L_def(X, y, w):  # line 44, first member: -log prod p^y (1-p)^(1-y)
    p = phi(X @ w)
    return -np.log(np.prod(p**y * (1 - p) ** (1 - y)))


def L_line45(X, y, w):
    p = phi(X @ w)
    return -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))


def step_45_0():
    return all(close(L_def(X, y, w), L_line45(X, y, w)) for X, y, w in draws())


def step_46_0():
    return all(close(L_line45(X, y, w), -np.sum(y * np.log(phi(X @ w)) + (1 - y) * np.log(1 - phi(X @ w))))
               for X, y, w in draws())


def step_53_0():
    z = np.linspace(-4, 4, 17)
    d = (phi(z + 1e-6) - phi(z - 1e-6)) / 2e-6
    return close(d, phi(z) * (1 - phi(z)))


def member58(X, y, w):  # sum_i dL_i/dphi * dphi/d(w^T x_i) * d(w^T x_i)/dw, each factor numerically
    out = np.zeros_like(w)
    for i in range(len(y)):
        def Li_of_phi(q):
            return -(y[i] * np.log(q) + (1 - y[i]) * np.log(1 - q))
        t = X[i] @ w
        q = phi(t)
        dL_dphi = (Li_of_phi(q + 1e-7) - Li_of_phi(q - 1e-7)) / 2e-7
        dphi_dt = (phi(t + 1e-6) - phi(t - 1e-6)) / 2e-6
        dt_dw = num_grad(lambda v: X[i] @ v, w)
        out += dL_dphi * dphi_dt * dt_dw
    return out


def member59(X, y, w):
    p = phi(X @ w)
    return -np.sum(((y / p + (1 - y) / (1 - p)) * p * (1 - p))[:, None] * X, axis=0)


def member60(X, y, w):
    p = phi(X @ w)
    return -np.sum((y * (1 - p) - (1 - y) * p)[:, None] * X, axis=0)


def member61(X, y, w):
    return -np.sum((y - phi(X @ w))[:, None] * X, axis=0)


def step_58_0():
    return all(close(num_grad(lambda v: L_line45(X, y, v), w), member58(X, y, w), 1e-5) for X, y, w in draws())


def step_59_0():
    return all(close(member58(X, y, w), member59(X, y, w), 1e-5) for X, y, w in draws())


def step_60_0():
    return all(close(member59(X, y, w), member60(X, y, w)) for X, y, w in draws())


def step_61_0():
    return all(close(member60(X, y, w), member61(X, y, w)) for X, y, w in draws())


def step_90_0():  # inverse of the Hessian of L at w^(t) = w against the sum
    ok = True
    for X, y, w in draws():
        H = num_hess(lambda v: L_line45(X, y, v), w)
        p = phi(X @ w)
        S = sum(p[i] * (1 - p[i]) * np.outer(X[i], X[i]) for i in range(len(y)))
        if np.linalg.matrix_rank(S) < len(w):
            continue  # H singular (n < m): no inverse to compare
        ok &= close(np.linalg.inv(H), S, 1e-4)
    return bool(ok)


def context_90():  # not a step check: the sum is the Hessian itself
    ok = True
    for X, y, w in draws():
        p = phi(X @ w)
        S = sum(p[i] * (1 - p[i]) * np.outer(X[i], X[i]) for i in range(len(y)))
        ok &= close(num_hess(lambda v: L_line45(X, y, v), w), S, 1e-4)
    return bool(ok)


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_") or name.startswith("context_"):
            print(name, fn())
