"""Finite-difference checks of b04_mathse_2811811_least_squares_gradient.md (plain NumPy, never derive).

Column-vector convention (as the asker's matlab-style '): y is n x 1, w is d x 1, X is n x d.
A product whose shapes do not conform, or a result of the wrong shape, makes the step False.
Sizes (1,1), (1,3), (3,1), (3,2), (4,4), (5,3); several draws; gradient by central differences
(h = 1e-6); tol 1e-5.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np

TOL = 1e-5
SIZES = [(1, 1), (1, 3), (3, 1), (3, 2), (4, 4), (5, 3)]


def close(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and np.allclose(a, b, rtol=TOL, atol=TOL)


def mm(*ms):
    """Matrix product that returns None when the shapes do not conform."""
    out = ms[0]
    for m in ms[1:]:
        if out is None or out.shape[1] != m.shape[0]:
            return None
        out = out @ m
    return out


def num_grad(f, w, h=1e-6):
    g = np.zeros_like(w)
    for i in range(w.shape[0]):
        e = np.zeros_like(w)
        e[i, 0] = h
        g[i, 0] = (f(w + e) - f(w - e)) / (2 * h)
    return g


def draws():
    rng = np.random.default_rng(7)
    for n, d in SIZES:
        for _ in range(3):
            yield rng.normal(size=(n, d)), rng.normal(size=(d, 1)), rng.normal(size=(n, 1))


def loss(X, w, y):
    r = y - X @ w
    return (r.T @ r).item()


def _value_chain(rhs):
    return all(close(rhs(X, w, y), loss(X, w, y)) for X, w, y in draws())


def step_16_0():
    return _value_chain(lambda X, w, y: ((y.T - w.T @ X.T) @ (y - X @ w)).item())


def step_17_0():
    return _value_chain(lambda X, w, y: (y.T @ y - y.T @ X @ w - w.T @ X.T @ y + w.T @ X.T @ X @ w).item())


def step_18_0():
    return _value_chain(lambda X, w, y: (y.T @ y - y.T @ X @ w - y.T @ X @ w + w.T @ X.T @ X @ w).item())


def step_19_0():
    return _value_chain(lambda X, w, y: (y.T @ y - 2 * y.T @ X @ w + w.T @ X.T @ X @ w).item())


def _rhs21(X, w, y):
    a = mm(X, mm(w.T, X.T))
    if a is None:
        return None
    s = -2 * (y.T @ X @ w)
    b = X.T @ (X @ w)
    if a.shape != b.shape:
        return None
    return s + b + a


def step_21_0():  # claimed gradient of the loss
    for X, w, y in draws():
        rhs = _rhs21(X, w, y)
        if rhs is None or not close(rhs, num_grad(lambda v: loss(X, v, y), w)):
            return False
    return True


def step_22_0():  # X(w'X') = X'(Xw) is what the step needs
    for X, w, _y in draws():
        a = mm(X, mm(w.T, X.T))
        if a is None or not close(a, X.T @ (X @ w)):
            return False
    return True


def step_27_0():  # claimed gradient 2(y-Xw)(-X)
    for X, w, y in draws():
        rhs = mm(2 * (y - X @ w), -X)
        if rhs is None or not close(rhs, num_grad(lambda v: loss(X, v, y), w)):
            return False
    return True


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
