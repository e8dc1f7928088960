"""Finite-difference checks of g02_techqa_2162552_log_softmax_cases.md.

S(y) = softmax(y); p_w = [S(Bh)]_w with B a K x d matrix and h a d-vector; e_w the w-th basis vector.
A vector minus the scalar [S(Bh)]_w is read with the scalar subtracted from every entry.
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


def softmax(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


def num_grad(f, x, h=H):
    x = np.array(x, dtype=float)
    g = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        xp = x.copy()
        xm = x.copy()
        xp[idx] += h
        xm[idx] -= h
        g[idx] = (f(xp) - f(xm)) / (2 * h)
    return g


def draws(check, sizes=((2, 1), (3, 2), (4, 3), (5, 4))):
    r = np.random.default_rng(0)
    return all(bool(check(r, K, d)) for K, d in sizes for _ in range(DRAWS))


def step_29_0():  # d log S_w / d y_i = -S_i (w != i), 1 - S_i (w = i)
    def chk(r, K, d):
        y = r.normal(size=K)
        w = int(r.integers(K))
        g = num_grad(lambda u: np.log(softmax(u)[w]), y)
        s = softmax(y)
        want = np.array([1 - s[i] if i == w else -s[i] for i in range(K)])
        return close(g, want)
    return draws(chk)


def step_37_0():  # d/dB log(p_w) = d/dB log([S(Bh)]_w)  (substitution p_w = [S(Bh)]_w)
    def chk(r, K, d):
        B = r.normal(size=(K, d))
        h = r.normal(size=d)
        w = int(r.integers(K))
        g1 = num_grad(lambda M: np.log(softmax(M @ h)[w]), B)
        g2 = num_grad(lambda M: np.log(softmax(M @ h)[w]), B)
        return close(g1, g2)
    return draws(chk)


def step_49_0():  # d/d(Bh) log([S(Bh)]_w) = e_w - [S(Bh)]_w  (slip: the scalar p_w for the vector S(Bh))
    def chk(r, K, d):
        B = r.normal(size=(K, d))
        h = r.normal(size=d)
        w = int(r.integers(K))
        z = B @ h
        g = num_grad(lambda u: np.log(softmax(u)[w]), z)
        e_w = np.eye(K)[w]
        return close(g, e_w - softmax(z)[w])
    return draws(chk)


def step_55_0():  # d/dB log(p_w) = (e_w - [S(Bh)]_w) h^T  (same slip)
    def chk(r, K, d):
        B = r.normal(size=(K, d))
        h = r.normal(size=d)
        w = int(r.integers(K))
        g = num_grad(lambda M: np.log(softmax(M @ h)[w]), B)
        e_w = np.eye(K)[w]
        return close(g, np.outer(e_w - softmax(B @ h)[w], h))
    return draws(chk)


def _sanity_true_forms():
    """Not a step: the corrected forms e_w - S(Bh) and (e_w - S(Bh)) h^T hold (so the slips are only the subscript)."""
    r = np.random.default_rng(1)
    B = r.normal(size=(3, 2))
    h = r.normal(size=2)
    w = 1
    g = num_grad(lambda M: np.log(softmax(M @ h)[w]), B)
    return close(g, np.outer(np.eye(3)[w] - softmax(B @ h), h))
