"""Finite-difference checks of d07_aerosengart_ols_gaussian_mle.md (plain NumPy, never derive).

X (n x p) with rows x_i (a first column of ones, as in the post's set-up), y (n), beta (p), sigma > 0;
sizes (n, p) = (1, 1), (3, 2), (6, 4); 5 draws each. Gradient by central differences (h = 1e-6);
tolerance rtol = atol = 1e-6.
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
    rng = np.random.default_rng(707)
    for n, p in [(1, 1), (3, 2), (6, 4)]:
        for _ in range(5):
            X = np.hstack([np.ones((n, 1)), rng.normal(size=(n, p - 1))])
            yield X, rng.normal(size=n), rng.normal(size=p), rng.uniform(0.5, 2.0)


def ell(X, y, b, s):  # the log-likelihood, the first member of line 55
    dens = np.exp(-((y - X @ b) ** 2) / (2 * s**2)) / np.sqrt(2 * np.pi * s**2)
    return float(np.log(np.prod(dens)))


def step_27_1():
    return all(close(np.sum((y - X @ b) ** 2), (y - X @ b) @ (y - X @ b)) for X, y, b, _ in draws())


def step_56_0():  # n / sqrt(2 pi s^2) - ...: should be -(n/2) log(2 pi s^2): fails
    return all(close(len(y) / np.sqrt(2 * np.pi * s**2) - np.sum((y - X @ b) ** 2) / (2 * s**2), ell(X, y, b, s))
               for X, y, b, s in draws())


def step_64_0():  # gradient with the wrong sign: fails
    ok = True
    for X, y, b, s in draws():
        rhs = -2 / (2 * s**2) * sum(X[i] * (y[i] - X[i] @ b) for i in range(len(y)))
        ok &= close(rhs, num_grad(lambda v: ell(X, y, v, s), b))
    return bool(ok)


def slips_context():
    """Not a step check: the right constant and the right sign hold."""
    ok = True
    for X, y, b, s in draws():
        n = len(y)
        ok &= close(-n / 2 * np.log(2 * np.pi * s**2) - np.sum((y - X @ b) ** 2) / (2 * s**2), ell(X, y, b, s))
        ok &= close(X.T @ (y - X @ b) / s**2, num_grad(lambda v: ell(X, y, v, s), b))
    return bool(ok)


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
    print("context", slips_context())
