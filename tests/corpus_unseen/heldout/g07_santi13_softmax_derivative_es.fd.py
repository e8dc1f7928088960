"""Finite-difference checks of g07_santi13_softmax_derivative_es.md.

h in R^c (c classes), y = softmax(h), y(alpha) its alpha-th entry, S = sum_i e^{h(i)} over all classes.
Tolerance: rtol = atol = 1e-6 (TOL), central differences with step H.
"""
import numpy as np

TOL = 1e-6
H = 1e-6
DRAWS = 4


def close(a, b, tol=TOL):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=tol, atol=tol))


def d_dx(f, x, c, h=H):
    xp = np.array(x, dtype=float)
    xm = np.array(x, dtype=float)
    xp[c] += h
    xm[c] -= h
    return (f(xp) - f(xm)) / (2 * h)


def y_of(h):
    e = np.exp(h - np.max(h))
    return e / np.sum(e)


def draws(check, sizes=(1, 2, 3, 5)):
    r = np.random.default_rng(0)
    return all(bool(check(r.normal(size=c), int(r.integers(c)), r)) for c in sizes for _ in range(DRAWS))


def written(h, a):
    """e^{h(alpha)} / sum_i e^{h(i)} as written inside the brackets."""
    return np.exp(h[a]) / np.sum(np.exp(h))


def step_41_0():  # d y(alpha)/d h = d/d h [e^{h(alpha)} / sum_i e^{h(i)}]
    def chk(h, a, r):
        g1 = np.array([d_dx(lambda u: y_of(u)[a], h, c) for c in range(len(h))])
        g2 = np.array([d_dx(lambda u: written(u, a), h, c) for c in range(len(h))])
        return close(g1, g2)
    return draws(chk)


def step_49_0():  # d y(alpha)/d h(alpha) = d/d h(alpha) [e^{h(alpha)} / S]
    return draws(lambda h, a, r: close(d_dx(lambda u: y_of(u)[a], h, a), d_dx(lambda u: written(u, a), h, a)))


def step_50_0():  # = (S e_a - e_a e_a) / (S S)
    def chk(h, a, r):
        e = np.exp(h)
        S = np.sum(e)
        return close(d_dx(lambda u: written(u, a), h, a), (S * e[a] - e[a] * e[a]) / (S * S))
    return draws(chk)


def step_54_0():  # d y(alpha)/d h(alpha) = e_a (S - e_a) / (S S)
    def chk(h, a, r):
        e = np.exp(h)
        S = np.sum(e)
        return close(d_dx(lambda u: y_of(u)[a], h, a), e[a] * (S - e[a]) / (S * S))
    return draws(chk)


def step_64_0():  # d y(alpha)/d h(i) = d/d h(i) [e^{h(alpha)} / S]
    def chk(h, a, r):
        i = int(r.integers(len(h)))
        return close(d_dx(lambda u: y_of(u)[a], h, i), d_dx(lambda u: written(u, a), h, i))
    return draws(chk)


def step_65_0():  # slip: for i != alpha, d/d h(i)[e_a / S] = (S e_a - e_a e_a)/(S S)  (the diagonal formula)
    def chk(h, a, r):
        i = (a + 1) % len(h)
        e = np.exp(h)
        S = np.sum(e)
        return close(d_dx(lambda u: written(u, a), h, i), (S * e[a] - e[a] * e[a]) / (S * S))
    return draws(chk, sizes=(2, 3, 5))
