"""Finite-difference checks of d10_healthml_irls_newton_logistic.md (plain NumPy, never derive).

X (n x d) with rows x_i, y in {0,1}^n, w ~ N(0, 1); for the quadratic f^{(t)}: S diagonal with entries
in (0, 1/4], z ~ N(0, 1). Sizes (n, d) = (1, 1), (3, 2), (6, 4); 4 draws each. Gradients by central
differences (h = 1e-6, tol 1e-6); Hessians by central differences of the numerical gradient
(h = 1e-4, tol 1e-4, second differences).
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np


def sig(z):
    return 1 / (1 + np.exp(-z))


def close(a, b, tol=1e-6):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and np.allclose(a, b, rtol=tol, atol=tol)


def num_grad(f, x, h=1e-6):
    x = np.array(x, float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def num_hess(f, x, h=1e-4):
    d = len(x)
    H = np.zeros((d, d))
    for k in range(d):
        e = np.zeros(d)
        e[k] = h
        H[:, k] = (num_grad(f, x + e) - num_grad(f, x - e)) / (2 * h)
    return H


def draws():
    rng = np.random.default_rng(1010)
    for n, d in [(1, 1), (3, 2), (6, 4)]:
        for _ in range(4):
            yield rng.normal(size=(n, d)), rng.integers(0, 2, size=n).astype(float), rng.normal(size=d)


def L_sum(X, y, w):  # line 94's definition
    yh = sig(X @ w)
    return float(-np.sum(y * np.log(yh) + (1 - y) * np.log(1 - yh)))


def L_vec(X, y, w):  # lines 100 and 180
    s = sig(X @ w)
    return float(-y @ np.log(s) - (np.ones_like(y) - y) @ np.log(1 - s))


def step_58_0():  # grad of f = 1/2 w^T A w - b^T w is A w - b
    rng = np.random.default_rng(58)
    ok = True
    for X, _, w in draws():
        S = np.diag(rng.uniform(0.01, 0.25, size=X.shape[0]))
        z = rng.normal(size=X.shape[0])
        A, b = X.T @ S @ X, X.T @ S @ z
        ok &= close(A @ w - b, num_grad(lambda v: 0.5 * v @ A @ v - b @ v, w))
    return bool(ok)


def step_88_1():
    return all(close(sig(X @ w), 1 / (1 + np.exp(-(X @ w)))) for X, _, w in draws())


def step_100_0():
    return all(close(L_vec(X, y, w), L_sum(X, y, w)) for X, y, w in draws())


def _grad_is(rhs):
    return all(close(rhs(X, y, w), num_grad(lambda v: L_sum(X, y, v), w)) for X, y, w in draws())


def step_106_0():
    return _grad_is(lambda X, y, w: X.T @ (sig(X @ w) - y))


def step_180_0():
    return step_100_0()


def step_186_0():
    return _grad_is(lambda X, y, w: X.T @ (sig(X @ w) - y))


def _hess_is(rhs):
    return all(close(rhs(X, y, w), num_hess(lambda v: L_sum(X, y, v), w), tol=1e-4) for X, y, w in draws())


def _XSX(X, w):
    s = sig(X @ w)
    return X.T @ np.diag(s * (1 - s)) @ X


def step_192_0():
    return _hess_is(lambda X, y, w: _XSX(X, w))


def step_204_0():  # "Because yhat = sigma(Xw)": the restated definition (line 88) holds
    return all(close(1 / (1 + np.exp(-(X @ w))), sig(X @ w)) for X, _, w in draws())


def step_210_0():
    def rhs(X, y, w):
        s = sig(X @ w)
        return sum(s[i] * (1 - s[i]) * np.outer(X[i], X[i]) for i in range(X.shape[0]))
    return _hess_is(rhs)


def step_210_1():
    return _hess_is(lambda X, y, w: _XSX(X, w))


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
