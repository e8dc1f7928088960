"""Finite-difference checks of i06_askanewquestion_2057827_poisson_glm_gradient.md (plain NumPy, never derive).

beta in R^1; X_i, Y_i scalars (X_i^T = X_i). Symbolic steps: 10 random draws of (X_1, X_2) ~ N(0, 1), (Y_1, Y_2) ~ Poisson(2),
beta ~ N(0, 1), c ~ N(0, 1), phi = 1; derivatives in beta by central differences (h = 1e-6), rtol = atol = 1e-6.
Numeric steps: the page's data X = (0.1, 0.2), Y = (1, 2), beta = 0, exact to 1e-12.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np

H = 1e-6


def draws():
    rng = np.random.default_rng(2057827)
    for _ in range(10):
        yield rng.normal(size=2), rng.poisson(2.0, size=2).astype(float), rng.normal(), rng.normal()


def close(a, b, tol=1e-6):
    return np.allclose(a, b, rtol=tol, atol=tol)


def d(f, b):
    return (f(b + H) - f(b - H)) / (2 * H)


def ell2(X, Y, b, c, phi=1.0):
    return np.sum((Y * X * b - np.exp(X * b)) / phi) + c


def grad(X, Y, b):  # \sum (Y_i X_i^T - e^{X_i^T beta} X_i)
    return np.sum(Y * X - np.exp(X * b) * X)


def step_44_0():  # phi = 1 in the denominator
    return all(close((Y * X * b - np.exp(X * b)) / 1.0, (Y * X * b - np.exp(X * b)) / 1) for X, Y, b, c in draws())


def step_44_1():
    return all(close((Y * X * b - np.exp(X * b)) / 1, Y * X * b - np.exp(X * b)) for X, Y, b, c in draws())


def step_48_0():  # grad ell_2 = sum of the gradients of the summands (c drops)
    return all(close(d(lambda t: ell2(X, Y, t, c), b),
                     sum(d(lambda t, i=i: Y[i] * X[i] * t - np.exp(X[i] * t), b) for i in range(2)))
               for X, Y, b, c in draws())


def step_52_0():
    return all(close(sum(d(lambda t, i=i: Y[i] * X[i] * t - np.exp(X[i] * t), b) for i in range(2)),
                     sum(d(lambda t, i=i: Y[i] * X[i] * t, b) - d(lambda t, i=i: np.exp(X[i] * t), b) for i in range(2)))
               for X, Y, b, c in draws())


def step_56_0():
    return all(all(close(d(lambda t, i=i: Y[i] * X[i] * t, b), Y[i] * X[i]) for i in range(2)) for X, Y, b, c in draws())


def step_60_0():
    return all(all(close(d(lambda t, i=i: np.exp(X[i] * t), b), np.exp(X[i] * b) * X[i]) for i in range(2))
               for X, Y, b, c in draws())


def step_64_0():
    return all(close(d(lambda t: ell2(X, Y, t, c), b), grad(X, Y, b)) for X, Y, b, c in draws())


def step_74_0():
    return step_64_0()


XD, YD, BD = np.array([0.1, 0.2]), np.array([1.0, 2.0]), 0.0


def step_75_0():
    return close(grad(XD, YD, BD), (1 * 0.1 - np.exp(0.1 * 0) * 0.1) + (2 * 0.2 - np.exp(0.2 * 0) * 0.2), 1e-12)


def step_76_0():
    return close((1 * 0.1 - np.exp(0.1 * 0) * 0.1) + (2 * 0.2 - np.exp(0.2 * 0) * 0.2), 0.1 - 0.1 + 0.4 - 0.2, 1e-12)


def step_77_0():
    return close(0.1 - 0.1 + 0.4 - 0.2, 0.2, 1e-12)
