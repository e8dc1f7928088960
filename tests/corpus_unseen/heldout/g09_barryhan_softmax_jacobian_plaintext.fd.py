"""Finite-difference checks of g09_barryhan_softmax_jacobian_plaintext.md.

s = softmax(z), z in R^K, Z = sum_k exp(z_k); J_ij = ds_i/dz_j. Tolerance: rtol = atol = 1e-6 (TOL), central step H.
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


def d_dx(f, x, c, h=H):
    xp = np.array(x, dtype=float)
    xm = np.array(x, dtype=float)
    xp[c] += h
    xm[c] -= h
    return (f(xp) - f(xm)) / (2 * h)


def draws(check, sizes=(1, 2, 3, 5)):
    r = np.random.default_rng(0)
    return all(bool(check(r.normal(size=K), r)) for K in sizes for _ in range(DRAWS))


def step_13_1():  # s_i = exp(z_i) / sum_j exp(z_j)
    return draws(lambda z, r: close(softmax(z), np.exp(z) / np.sum(np.exp(z))))


def step_15_0():  # s_i = exp(z_i) / Z
    return draws(lambda z, r: close(softmax(z), np.exp(z) / np.sum(np.exp(z))))


def step_16_1():  # ds_i/dz_i = (exp(z_i) Z - exp(z_i) exp(z_i)) / Z^2
    def chk(z, r):
        i = int(r.integers(len(z)))
        Z = np.sum(np.exp(z))
        return close(d_dx(lambda u: softmax(u)[i], z, i), (np.exp(z[i]) * Z - np.exp(z[i]) * np.exp(z[i])) / Z**2)
    return draws(chk)


def step_16_2():  # = s_i - s_i^2
    def chk(z, r):
        i = int(r.integers(len(z)))
        Z = np.sum(np.exp(z))
        s = softmax(z)
        return close((np.exp(z[i]) * Z - np.exp(z[i]) * np.exp(z[i])) / Z**2, s[i] - s[i] ** 2)
    return draws(chk)


def step_16_3():  # = s_i (1 - s_i)
    def chk(z, r):
        s = softmax(z)
        return close(s - s**2, s * (1 - s))
    return draws(chk)


def step_17_0():  # (i != j) ds_i/dz_j = -exp(z_i) exp(z_j) / Z^2
    def chk(z, r):
        K = len(z)
        if K < 2:
            return True
        i = int(r.integers(K))
        j = (i + 1) % K
        Z = np.sum(np.exp(z))
        return close(d_dx(lambda u: softmax(u)[i], z, j), -np.exp(z[i]) * np.exp(z[j]) / Z**2)
    return draws(chk)


def step_17_1():  # = -s_i s_j
    def chk(z, r):
        Z = np.sum(np.exp(z))
        s = softmax(z)
        return close(-np.outer(np.exp(z), np.exp(z)) / Z**2, -np.outer(s, s))
    return draws(chk)


def step_18_0():  # J = diag(s) - s s^T
    def chk(z, r):
        K = len(z)
        J = np.array([[d_dx(lambda u, i=i: softmax(u)[i], z, j) for j in range(K)] for i in range(K)])
        s = softmax(z)
        return close(J, np.diag(s) - np.outer(s, s))
    return draws(chk)
