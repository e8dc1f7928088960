"""Finite-difference checks of g03_techqa_2074217_softmax_wrt_matrix.md.

Row vectors: h (1 x m), W (m x n), b (1 x n), z = hW + b, y = softmax(z), Y = Diag(y), y^T y the n x n
outer product. A differential is the central directional difference along a random dW.
Tolerance: rtol = atol = 1e-6 (TOL).
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


def draws(check, sizes=((1, 1), (1, 3), (2, 2), (3, 4))):
    r = np.random.default_rng(0)
    return all(bool(check(r, m, n)) for m, n in sizes for _ in range(DRAWS))


def setup(r, m, n):
    h = r.normal(size=(1, m))
    W = r.normal(size=(m, n))
    b = r.normal(size=(1, n))
    dW = r.normal(size=(m, n))
    return h, W, b, dW


def y_of(h, W, b):
    return softmax((h @ W + b).ravel()).reshape(1, -1)


def step_26_0():  # z = hW + b  (the question's z = h . W + b)
    def chk(r, m, n):
        h, W, b, dW = setup(r, m, n)
        z_question = np.einsum("ij,jk->ik", h, W) + b
        return close(h @ W + b, z_question)
    return draws(chk)


def step_26_1():  # y = softmax(z)
    def chk(r, m, n):
        h, W, b, dW = setup(r, m, n)
        z = h @ W + b
        return close(y_of(h, W, b), np.exp(z) / np.sum(np.exp(z)))
    return draws(chk)


def _dy(h, W, b, dW):
    return (y_of(h, W + H * dW, b) - y_of(h, W - H * dW, b)) / (2 * H)


def step_26_3():  # dy = dz (Y - y^T y)
    def chk(r, m, n):
        h, W, b, dW = setup(r, m, n)
        y = y_of(h, W, b)
        Y = np.diag(y.ravel())
        dz = h @ dW
        return close(_dy(h, W, b, dW), dz @ (Y - y.T @ y))
    return draws(chk)


def step_26_4():  # dz (Y - y^T y) = h dW (Y - y^T y)
    def chk(r, m, n):
        h, W, b, dW = setup(r, m, n)
        y = y_of(h, W, b)
        Y = np.diag(y.ravel())
        dz = ((h @ (W + H * dW) + b) - (h @ (W - H * dW) + b)) / (2 * H)
        return close(dz @ (Y - y.T @ y), h @ dW @ (Y - y.T @ y))
    return draws(chk)
