"""Finite-difference checks of i02_techqa_4656591_gaussian_sigma_mle.md (plain NumPy, never derive).

x_i ~ N(0, 2), mu ~ N(0, 1), sigma ~ U(0.3, 3); n = 1, 2, 5; 5 draws each. The derivative in sigma by central
differences (h = 1e-6); rtol = atol = 1e-6 (1e-9 for the algebraic steps).
"""
import numpy as np


def draws():
    rng = np.random.default_rng(4656591)
    for n in (1, 2, 5):
        for _ in range(5):
            yield rng.normal(scale=2.0, size=n), rng.normal(), rng.uniform(0.3, 3.0)


def close(a, b, tol=1e-9):
    return np.allclose(a, b, rtol=tol, atol=tol)


def lik(x, mu, s):  # \prod (2\pi\sigma^2)^{-1/2} e^{-(x_i - \mu)^2/(2\sigma^2)}
    return np.prod((2 * np.pi * s**2) ** -0.5 * np.exp(-((x - mu) ** 2) / (2 * s**2)))


def loglik(x, mu, s):
    n = len(x)
    return -n / 2 * np.log(2 * np.pi) - n * np.log(s) - np.sum((x - mu) ** 2) / (2 * s**2)


def step_20_1():
    return all(close(lik(x, mu, s),
                     (2 * np.pi) ** (-len(x) / 2) * s ** (-len(x)) * np.exp(-np.sum((x - mu) ** 2) / (2 * s**2)))
               for x, mu, s in draws())


def step_20_3():
    return all(close(np.log(lik(x, mu, s)), loglik(x, mu, s)) for x, mu, s in draws())


def step_20_4():
    h = 1e-6
    return all(close((np.log(lik(x, mu, s + h)) - np.log(lik(x, mu, s - h))) / (2 * h),
                     -len(x) / s + np.sum((x - mu) ** 2) / s**3, 1e-6)
               for x, mu, s in draws())
