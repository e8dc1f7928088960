"""Finite-difference checks of d02_wwwonderer_linreg_closed_form.md (plain NumPy, never derive).

X (n x d), y (n), w (d), yhat = Xw; sizes (n, d) = (1, 1), (2, 3), (5, 4), (4, 2); 5 draws each.
Gradients by central differences (h = 1e-6); tolerance rtol = atol = 1e-6. Each chain member is
compared with the chain's start (the third member of the closed-form chain is a '-' step).
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np

TOL = 1e-6


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
    rng = np.random.default_rng(202)
    for n, d in [(1, 1), (2, 3), (5, 4), (4, 2)]:
        for _ in range(5):
            yield rng.normal(size=(n, d)), rng.normal(size=n), rng.normal(size=d)


def sq(X, y, w):
    r = X @ w - y
    return float(r @ r)


def _closed(member):
    return all(close(member(X, y, w), sq(X, y, w)) for X, y, w in draws())


def step_31_0():
    return _closed(lambda X, y, w: (X @ w - y) @ (X @ w - y))


def step_32_0():
    return _closed(lambda X, y, w: (w @ X.T - y) @ (X @ w - y))


def step_34_0():
    return _closed(lambda X, y, w: w @ X.T @ X @ w - 2 * w @ X.T @ y + y @ y)


def _grad(member):
    return all(close(member(X, y, w), num_grad(lambda v: sq(X, y, v), w)) for X, y, w in draws())


def step_42_0():
    return _grad(lambda X, y, w: num_grad(lambda v: v @ X.T @ X @ v - 2 * v @ X.T @ y + y @ y, w))


def step_43_0():
    return _grad(lambda X, y, w: 2 * X.T @ X @ w - 2 * X.T @ y + 0)


def underbrace_readings():
    """Not a step check: line 33 read as rendered holds, read as a group it fails."""
    rendered = _closed(lambda X, y, w: w @ X.T @ X @ w - w @ X.T @ y - y @ X @ w + y @ y)
    grouped = _closed(lambda X, y, w: w @ X.T @ X @ w - (w @ X.T @ y - y @ X @ w) + y @ y)
    return rendered, grouped


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
    print("line 33 (rendered, grouped)", underbrace_readings())
