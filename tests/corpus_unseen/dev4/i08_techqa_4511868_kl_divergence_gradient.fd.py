"""Finite-difference checks of i08_techqa_4511868_kl_divergence_gradient.md (plain NumPy, never derive).

n = 1, 2, 5; p ~ U(0.05, 1) (free in R^n: the answer's function R^n -> R; also drawn normalised), q ~ Dirichlet-like
positive weights normalised; 4 draws each. Gradient in p by central differences (h = 1e-6); rtol = atol = 1e-6.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np

H = 1e-6


def draws():
    rng = np.random.default_rng(4511868)
    for n in (1, 2, 5):
        for k in range(4):
            p = rng.uniform(0.05, 1.0, size=n)
            if k % 2:
                p = p / p.sum()
            q = rng.uniform(0.05, 1.0, size=n)
            yield p, q / q.sum()


def close(a, b, tol=1e-6):
    return np.allclose(a, b, rtol=tol, atol=tol)


def ngrad(f, v):
    g = np.zeros_like(v)
    for i in range(v.size):
        e = np.zeros_like(v)
        e[i] = H
        g[i] = (f(v + e) - f(v - e)) / (2 * H)
    return g


def kl(p, q):  # D_KL(p || q)
    return np.sum(p * np.log(p / q))


def kl_sum(p, q):  # \sum_{i=1}^n p_i \ln(p_i / q_i), written term by term
    return sum(p[i] * np.log(p[i] / q[i]) for i in range(p.size))


def step_35_0():
    return all(close(ngrad(lambda v: kl(v, q), p), ngrad(lambda v: kl_sum(v, q), p)) for p, q in draws())


def step_35_1():
    return all(close(ngrad(lambda v: kl_sum(v, q), p), np.log(p / q) + 1) for p, q in draws())


def step_35_2():
    return all(close(ngrad(lambda v: kl(v, q), p), np.log(p / q) + 1) for p, q in draws())
