"""Finite-difference checks of i04_techqa_2458868_poisson_exp_trend_loglik.md (plain NumPy, never derive).

i = 1..12 (k = 12), lambda ~ U(0.2, 5), beta ~ U(-0.3, 0.3), x_i ~ Poisson(lambda e^{beta i}); 8 draws.
x. = sum x_i, m. = sum e^{beta i}. Algebraic identities compared directly; rtol = atol = 1e-9.
"""
from math import lgamma

import numpy as np

I = np.arange(1, 13)


def draws():
    rng = np.random.default_rng(2458868)
    for _ in range(8):
        lam, beta = rng.uniform(0.2, 5.0), rng.uniform(-0.3, 0.3)
        yield rng.poisson(lam * np.exp(beta * I)).astype(float), lam, beta


def close(a, b, tol=1e-9):
    return np.allclose(a, b, rtol=tol, atol=tol)


def logfact(x):
    return np.array([lgamma(v + 1) for v in x])


def step_20_1():
    out = []
    for x, lam, beta in draws():
        li = lam * np.exp(beta * I)
        a = np.prod(np.exp(-li) * li**x / np.exp(logfact(x)))
        b = np.prod(np.exp(-lam * np.exp(beta * I)) * (lam * np.exp(beta * I)) ** x / np.exp(logfact(x)))
        out.append(a > 0 and np.allclose(a, b, rtol=1e-9, atol=0.0))  # relative: the product can be tiny
    return all(out)


def step_21_1():
    out = []
    for x, lam, beta in draws():
        a = np.sum(-lam * np.exp(beta * I) + x * np.log(lam * np.exp(beta * I)) - logfact(x))
        m, xs = np.sum(np.exp(beta * I)), np.sum(x)
        b = -lam * m + xs * np.log(lam) + np.sum(x * beta * I) - np.sum(logfact(x))
        out.append(close(a, b))
    return all(out)
