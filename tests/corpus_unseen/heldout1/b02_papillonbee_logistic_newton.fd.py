"""Finite-difference checks of b02_papillonbee_logistic_newton.ipynb (plain NumPy, never derive).

Functions are named step_CELL_LINE_n for the notebook key "CELL:LINE". Random X (n x p),
beta, y in {0,1}; sizes (1,1), (2,3), (5,4), (4,4); several draws; central differences
h = 1e-6 (gradient) and 1e-5 (Hessian from the analytic-free numerical gradient); tol 1e-4.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np

TOL = 1e-4
SIZES = [(1, 1), (2, 3), (5, 4), (4, 4)]


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


def num_hess(f, x, h=1e-4):
    x = np.array(x, float)
    n = x.size
    H = np.zeros((n, n))
    for j in range(n):
        e = np.zeros(n)
        e[j] = h
        H[:, j] = (num_grad(f, x + e) - num_grad(f, x - e)) / (2 * h)
    return H


def draws():
    rng = np.random.default_rng(3)
    for n, p in SIZES:
        for _ in range(4):
            X = rng.normal(size=(n, p))
            beta = rng.normal(size=p)
            y = rng.integers(0, 2, size=n).astype(float)
            yield X, beta, y


def p_of(X, beta):
    e = np.exp(X @ beta)
    return e / (1 + e)


def likelihood(X, beta, y):
    """prod_i Pr(Y_i = y_i | x_i) with Pr(Y_i = 1) = p_i."""
    p = p_of(X, beta)
    return np.prod(np.where(y == 1, p, 1 - p))


def f(X, beta, y):
    return -np.log(likelihood(X, beta, y))


def step_7_26_0():
    return all(close(np.prod(p_of(X, b) ** y * (1 - p_of(X, b)) ** (1 - y)), likelihood(X, b, y))
               for X, b, y in draws())


def step_7_27_0():
    def rhs(X, b, y):
        e = np.exp(X @ b)
        return np.prod((e / (1 + e)) ** y * (1 / (1 + e)) ** (1 - y))
    return all(close(rhs(X, b, y), likelihood(X, b, y)) for X, b, y in draws())


def step_7_31_0():
    return all(close(np.sum(np.log(1 + np.exp(X @ b)) - y * (X @ b)), f(X, b, y)) for X, b, y in draws())


def step_10_7_1():
    return step_7_31_0()


def step_10_9_0():
    ok = True
    for X, b, y in draws():
        e = np.exp(X @ b)
        rhs = sum((e[i] / (1 + e[i]) - y[i]) * X[i] for i in range(len(y)))
        ok &= close(rhs, num_grad(lambda v: f(X, v, y), b))
    return bool(ok)


def step_10_11_0():
    ok = True
    for X, b, y in draws():
        e = np.exp(X @ b)
        rhs = sum(e[i] / (1 + e[i]) * 1 / (1 + e[i]) * np.outer(X[i], X[i]) for i in range(len(y)))
        ok &= close(rhs, num_hess(lambda v: f(X, v, y), b))
    return bool(ok)


def _A_draws():
    rng = np.random.default_rng(4)
    for X, b, _ in draws():
        for i in range(X.shape[0]):
            u = rng.normal(size=X.shape[1])
            c = np.exp(X[i] @ b) / (1 + np.exp(X[i] @ b)) / (1 + np.exp(X[i] @ b))
            A = c * np.outer(X[i], X[i])
            yield X[i], c, A, u


def step_10_15_0():
    return all(close(u @ (c * np.outer(x, x)) @ u, u @ A @ u) for x, c, A, u in _A_draws())


def step_10_16_0():
    return all(close(c * (x @ u) * (x @ u), u @ A @ u) for x, c, A, u in _A_draws())


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
