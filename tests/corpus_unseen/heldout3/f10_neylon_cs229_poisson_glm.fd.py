"""Finite-difference checks of f10_neylon_cs229_poisson_glm.md (plain NumPy, never derive).

Poisson part: theta, x ~ N(0, 0.7) in dimension d = 1, 2, 4 (4 draws each), eta = theta^T x, lambda = e^eta, y in 0..6;
E[y] by the sum over y = 0..150 of y p(y). Part (d), any family b(y) exp(eta y - a(eta)): checked on two families,
Poisson (b = 1/y!, a = e^eta, sums over y = 0..150) and the unit-variance Gaussian (b = e^{-y^2/2}/sqrt(2 pi),
a = eta^2/2, trapezoid rule on [-40, 40] with 80001 points), eta in {-1.3, -0.2, 0.4, 1.1}.
Derivatives by central differences (h = 1e-6 for functions, h = 1e-4 for integrals); rtol = atol = 1e-6.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
from math import factorial, lgamma

import numpy as np

YS = np.arange(151, dtype=float)
LOGFACT = np.array([lgamma(k + 1) for k in YS])
GRID = np.linspace(-40, 40, 80001)
ETAS = [-1.3, -0.2, 0.4, 1.1]


def close(a, b, tol=1e-6):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and np.allclose(a, b, rtol=tol, atol=tol)


def draws():
    rng = np.random.default_rng(3110)
    for d in (1, 2, 4):
        for _ in range(4):
            yield rng.normal(scale=0.7, size=d), rng.normal(scale=0.7, size=d), int(rng.integers(0, 7))


def pois_pmf(lam):
    return np.exp(-lam + YS * np.log(lam) - LOGFACT)


def mean_pois(lam):
    return np.sum(YS * pois_pmf(lam))


def step_52_1():
    return all(close(np.exp(np.log(lam)), lam) for lam in (0.3, 1.0, 2.7, 9.0))


def step_63_1():  # E[y; eta] = lambda
    return all(close(mean_pois(np.exp(t @ x)), np.exp(t @ x)) for t, x, _ in draws())


def step_63_2():  # lambda = e^eta with eta = log(lambda)
    return all(close(lam, np.exp(np.log(lam))) for lam in (0.3, 1.0, 2.7, 9.0))


def step_63_3():  # e^eta = e^{theta^T x} with eta = theta^T x
    return all(close(np.exp(t @ x), np.exp(sum(t[i] * x[i] for i in range(len(t))))) for t, x, _ in draws())


def ell(t, x, y):
    lam = np.exp(t @ x)
    return np.log(lam**y * np.exp(-lam) / factorial(y))


def step_71_1():
    return all(close(ell(t, x, y), np.log(1 / factorial(y)) + (y * (t @ x) - np.exp(t @ x))) for t, x, y in draws())


def num_grad(f, v, h=1e-6):
    g = np.zeros_like(v)
    for i in range(v.size):
        e = np.zeros_like(v)
        e[i] = h
        g[i] = (f(v + e) - f(v - e)) / (2 * h)
    return g


def step_74_0():
    return all(close(num_grad(lambda v: ell(v, x, y), t), y * x - x * np.exp(t @ x)) for t, x, y in draws())


def step_75_0():
    return all(close(y * x - x * np.exp(t @ x), x * (y - np.exp(t @ x))) for t, x, y in draws())


def step_90_0():  # h(x) = E[y] for the Poisson with lambda = e^{theta^T x}
    return all(close(np.exp(t @ x), mean_pois(np.exp(t @ x))) for t, x, _ in draws())


def step_90_1():  # E[y] = a'(eta), a = exp
    return all(close(mean_pois(np.exp(t @ x)), (np.exp(t @ x + 1e-6) - np.exp(t @ x - 1e-6)) / 2e-6) for t, x, _ in draws())


# ---- part (d): one-parameter exponential families with T(y) = y ----

FAMILIES = {
    "poisson": dict(y=YS, logb=-LOGFACT, a=np.exp, integrate=np.sum, mean=np.exp),
    "gauss": dict(y=GRID, logb=-GRID**2 / 2 - 0.5 * np.log(2 * np.pi), a=lambda e: e**2 / 2,
                  integrate=lambda f: np.trapezoid(f, GRID) if hasattr(np, "trapezoid") else np.trapz(f, GRID),
                  mean=lambda e: e),
}


def dens(F, eta):
    return np.exp(F["logb"] + eta * F["y"] - F["a"](eta))


def a_prime(F, eta):
    return (F["a"](eta + 1e-6) - F["a"](eta - 1e-6)) / 2e-6


def _all_families(check):
    return all(check(F, eta) for F in FAMILIES.values() for eta in ETAS)


def step_94_0():
    return _all_families(lambda F, eta: close(F["integrate"](dens(F, eta)),
                                              F["integrate"](np.exp(F["logb"]) * np.exp(eta * F["y"] - F["a"](eta)))))


def step_94_1():
    return _all_families(lambda F, eta: close(F["integrate"](dens(F, eta)), 1.0))


def m100(F, eta):  # d/deta of the integral, numerically
    return (F["integrate"](dens(F, eta + 1e-4)) - F["integrate"](dens(F, eta - 1e-4))) / 2e-4


def m101(F, eta):  # integral of the pointwise derivative
    return F["integrate"]((dens(F, eta + 1e-6) - dens(F, eta - 1e-6)) / 2e-6)


def m102(F, eta):
    return F["integrate"](np.exp(F["logb"]) * (F["y"] - a_prime(F, eta)) * np.exp(eta * F["y"] - F["a"](eta)))


def m103(F, eta):
    return F["integrate"](F["y"] * dens(F, eta)) - a_prime(F, eta) * F["integrate"](dens(F, eta))


def m104(F, eta):
    return F["mean"](eta) - a_prime(F, eta)


def step_100_0():
    return _all_families(lambda F, eta: close(0.0, m100(F, eta)))


def step_101_0():
    return _all_families(lambda F, eta: close(m100(F, eta), m101(F, eta)))


def step_102_0():
    return _all_families(lambda F, eta: close(m101(F, eta), m102(F, eta)))


def step_103_0():
    return _all_families(lambda F, eta: close(m102(F, eta), m103(F, eta)))


def step_104_0():
    return _all_families(lambda F, eta: close(m103(F, eta), m104(F, eta)))


def step_107_0():
    return _all_families(lambda F, eta: close(F["mean"](eta), a_prime(F, eta)))


def step_107_1():  # a'(eta) = a'(theta^T x) with eta = theta^T x (Poisson: a' = exp)
    F = FAMILIES["poisson"]
    return all(close(a_prime(F, t @ x), np.exp(t @ x)) for t, x, _ in draws())


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
