"""Finite-difference checks of i03_techqa_3306703_gaussian_density_sigma.md (plain NumPy, never derive).

x_i ~ N(0, 1.5), mu ~ N(0, 1), sigma ~ U(0.5, 2.5); n (= N) = 1, 2, 5; 5 draws each.
f = (1/(sqrt(2 pi) sigma))^n exp(-sum (x_i - mu)^2 / (2 sigma^2)), g = (1/(sqrt(2 pi) sigma))^n, h = exp(-sum ...).
Derivatives in sigma by central differences (h = 1e-6); rtol = atol = 1e-6.
"""
import numpy as np

TOL = 1e-6
H = 1e-6


def draws():
    rng = np.random.default_rng(3306703)
    for n in (1, 2, 5):
        for _ in range(5):
            yield rng.normal(scale=1.5, size=n), rng.normal(), rng.uniform(0.5, 2.5)


def close(a, b, tol=TOL):
    return np.allclose(a, b, rtol=tol, atol=tol)


def g(x, mu, s):
    return (1 / (np.sqrt(2 * np.pi) * s)) ** len(x)


def h(x, mu, s):
    return np.exp(-np.sum((x - mu) ** 2 / (2 * s**2)))


def f(x, mu, s):
    return (1 / (np.sqrt(2 * np.pi) * s)) ** len(x) * np.exp(-np.sum((x - mu) ** 2 / (2 * s**2)))


def d(fun, x, mu, s):
    return (fun(x, mu, s + H) - fun(x, mu, s - H)) / (2 * H)


def logf(x, mu, s):
    return np.log(f(x, mu, s))


def step_38_0():
    return all(close(f(*a), g(*a) * h(*a), 1e-12) for a in draws())


def step_38_3():
    return all(close(d(f, *a) / f(*a), d(g, *a) * h(*a) / (g(*a) * h(*a)) + g(*a) * d(h, *a) / (g(*a) * h(*a)))
               for a in draws())


def step_38_4():
    return all(close(d(g, *a) * h(*a) / (g(*a) * h(*a)) + g(*a) * d(h, *a) / (g(*a) * h(*a)),
                     d(g, *a) / g(*a) + d(h, *a) / h(*a)) for a in draws())


def step_43_1():  # d log f / d sigma = (d log f / d f)(d f / d sigma), with d log f / d f = 1/f
    return all(close(d(logf, *a), (1 / f(*a)) * d(f, *a)) for a in draws())


def step_43_2():
    return all(close((1 / f(*a)) * d(f, *a), d(f, *a) / f(*a)) for a in draws())


def step_43_3():
    return all(close(d(logf, x, mu, s), -len(x) / s + np.sum((x - mu) ** 2) / s**3) for x, mu, s in draws())


def step_43_4():
    return all(close(d(f, x, mu, s), f(x, mu, s) / s**3 * (np.sum((x - mu) ** 2) - len(x) * s**2))
               for x, mu, s in draws())


def context_43_0():  # not a step check: log f equals the stated form with C = -(N/2) log(2 pi)
    return all(close(logf(x, mu, s), -len(x) * np.log(s) - np.sum((x - mu) ** 2) / (2 * s**2)
                     - len(x) / 2 * np.log(2 * np.pi)) for x, mu, s in draws())
