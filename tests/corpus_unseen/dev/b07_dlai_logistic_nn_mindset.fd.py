"""Finite-difference checks of b07_dlai_logistic_nn_mindset.ipynb (plain NumPy, never derive).

Functions step_CELL_LINE_n for the key "CELL:LINE". X has one example per column (n_x x m);
w (n_x,), scalar b, Y in {0,1}^m. Sizes (n_x, m) = (1,1), (2,3), (4,5), (3,1); several draws;
central differences h = 1e-6; tol 1e-6.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np

TOL = 1e-6
SIZES = [(1, 1), (2, 3), (4, 5), (3, 1)]


def sig(z):
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
    rng = np.random.default_rng(13)
    for n, m in SIZES:
        for _ in range(4):
            yield rng.normal(size=(n, m)), rng.normal(size=n), rng.normal(), rng.integers(0, 2, size=m).astype(float)


def J(X, w, b, Y):
    """Equation (6) with the loss (3): 1/m sum_i L(a_i, y_i), a_i = sigmoid(w^T x_i + b)."""
    m = X.shape[1]
    a = np.array([sig(w @ X[:, i] + b) for i in range(m)])
    return np.sum(-Y * np.log(a) - (1 - Y) * np.log(1 - a)) / m


def step_4_11_1():  # sigma(w^T X + b) = (a^(1), ..., a^(m))
    return all(close(sig(w @ X + b), np.array([sig(w @ X[:, i] + b) for i in range(X.shape[1])]))
               for X, w, b, _ in draws())


def step_4_12_0():  # the cost restated with the minus sign outside the sum
    def rhs(X, w, b, Y):
        a = sig(w @ X + b)
        return -np.sum(Y * np.log(a) + (1 - Y) * np.log(1 - a)) / X.shape[1]
    return all(close(rhs(X, w, b, Y), J(X, w, b, Y)) for X, w, b, Y in draws())


def step_4_16_0():  # (7)
    ok = True
    for X, w, b, Y in draws():
        A = sig(w @ X + b)
        ok &= close(X @ (A - Y) / X.shape[1], num_grad(lambda v: J(X, v, b, Y), w))
    return bool(ok)


def step_4_17_0():  # (8)
    ok = True
    for X, w, b, Y in draws():
        A = sig(w @ X + b)
        ok &= close(np.sum(A - Y) / X.shape[1], num_grad(lambda c: J(X, w, c, Y), np.array(b)))
    return bool(ok)


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
