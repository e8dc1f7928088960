"""Finite-difference checks of g01_imathworks_lse_affine_hessian.md.

f(x) = log sum_i exp(kappa (a_i^T x + b_i)), a_i the i-th column of A (d x m), w = kappa (A^T x + b),
e = exp(w), E = Diag(e), phi = 1:e, A:B = Tr(A^T B). A differential "dy = M dx" is checked as the
central directional difference of y along a random dx. Tolerance: rtol = atol = 1e-6 (TOL).
"""
import numpy as np

TOL = 1e-6
H = 1e-6
DRAWS = 4


def close(a, b, tol=TOL):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=tol, atol=tol))


def draws(check, sizes=((1, 1), (2, 3), (3, 2), (4, 5))):
    r = np.random.default_rng(0)
    return all(bool(check(r, d, m)) for d, m in sizes for _ in range(DRAWS))


def setup(r, d, m):
    A = r.normal(size=(d, m))
    b = r.normal(size=m)
    x = r.normal(size=d)
    dx = r.normal(size=d)
    kappa = r.uniform(0.5, 2.0)
    return A, b, x, dx, kappa


def w_of(A, b, kappa, x):
    return kappa * (A.T @ x + b)


def f_of(A, b, kappa, x):
    return np.log(np.sum(np.exp(kappa * (A.T @ x + b))))


def ddir(fun, x, dx, h=H):
    return (np.asarray(fun(x + h * dx)) - np.asarray(fun(x - h * dx))) / (2 * h)


def colon(P, Q):
    return np.sum(np.asarray(P) * np.asarray(Q))


def step_30_1():  # dw = kappa A^T dx
    def chk(r, d, m):
        A, b, x, dx, k = setup(r, d, m)
        return close(ddir(lambda u: w_of(A, b, k, u), x, dx), k * A.T @ dx)
    return draws(chk)


def step_30_3():  # e = E^T 1
    def chk(r, d, m):
        A, b, x, dx, k = setup(r, d, m)
        e = np.exp(w_of(A, b, k, x))
        return close(np.diag(e).T @ np.ones(m), e)
    return draws(chk)


def step_30_5():  # de = E dw
    def chk(r, d, m):
        A, b, x, dx, k = setup(r, d, m)
        e = np.exp(w_of(A, b, k, x))
        dw = k * A.T @ dx
        return close(ddir(lambda u: np.exp(w_of(A, b, k, u)), x, dx), np.diag(e) @ dw)
    return draws(chk)


def _dphi(A, b, k, x, dx):
    return ddir(lambda u: np.sum(np.exp(w_of(A, b, k, u))), x, dx)


def step_30_7():  # dphi = 1:E dw
    def chk(r, d, m):
        A, b, x, dx, k = setup(r, d, m)
        e = np.exp(w_of(A, b, k, x))
        return close(_dphi(A, b, k, x, dx), colon(np.ones(m), np.diag(e) @ (k * A.T @ dx)))
    return draws(chk)


def step_30_8():  # 1:E dw = E^T 1 : dw
    def chk(r, d, m):
        A, b, x, dx, k = setup(r, d, m)
        e = np.exp(w_of(A, b, k, x))
        dw = k * A.T @ dx
        return close(colon(np.ones(m), np.diag(e) @ dw), colon(np.diag(e).T @ np.ones(m), dw))
    return draws(chk)


def step_30_9():  # E^T 1 : dw = e:dw
    def chk(r, d, m):
        A, b, x, dx, k = setup(r, d, m)
        e = np.exp(w_of(A, b, k, x))
        dw = k * A.T @ dx
        return close(colon(np.diag(e).T @ np.ones(m), dw), colon(e, dw))
    return draws(chk)


def step_30_10():  # e:dw = e^T dw
    def chk(r, d, m):
        A, b, x, dx, k = setup(r, d, m)
        e = np.exp(w_of(A, b, k, x))
        dw = k * A.T @ dx
        return close(colon(e, dw), e @ dw)
    return draws(chk)


def step_30_12():  # Tr(A^T B) = sum_i sum_j A_ij B_ij
    def chk(r, d, m):
        P = r.normal(size=(d, m))
        Q = r.normal(size=(d, m))
        return close(np.trace(P.T @ Q), sum(P[i, j] * Q[i, j] for i in range(d) for j in range(m)))
    return draws(chk)


def step_32_0():  # f = log(phi)
    def chk(r, d, m):
        A, b, x, dx, k = setup(r, d, m)
        phi = colon(np.ones(m), np.exp(w_of(A, b, k, x)))
        return close(f_of(A, b, k, x), np.log(phi))
    return draws(chk)


def step_32_1():  # df = phi^{-1} dphi
    def chk(r, d, m):
        A, b, x, dx, k = setup(r, d, m)
        phi = np.sum(np.exp(w_of(A, b, k, x)))
        return close(ddir(lambda u: f_of(A, b, k, u), x, dx), _dphi(A, b, k, x, dx) / phi)
    return draws(chk)


def step_32_2():  # phi^{-1} dphi = phi^{-1} e:dw
    def chk(r, d, m):
        A, b, x, dx, k = setup(r, d, m)
        e = np.exp(w_of(A, b, k, x))
        phi = np.sum(e)
        return close(_dphi(A, b, k, x, dx) / phi, colon(e, k * A.T @ dx) / phi)
    return draws(chk)


def step_32_3():  # phi^{-1} e:dw = phi^{-1} e:kappa A^T dx
    def chk(r, d, m):
        A, b, x, dx, k = setup(r, d, m)
        e = np.exp(w_of(A, b, k, x))
        phi = np.sum(e)
        dw = ddir(lambda u: w_of(A, b, k, u), x, dx)
        return close(colon(e, dw) / phi, colon(e, k * A.T @ dx) / phi)
    return draws(chk)


def step_32_4():  # phi^{-1} e:kappa A^T dx = kappa phi^{-1} A e : dx
    def chk(r, d, m):
        A, b, x, dx, k = setup(r, d, m)
        e = np.exp(w_of(A, b, k, x))
        phi = np.sum(e)
        return close(colon(e, k * A.T @ dx) / phi, colon(k / phi * A @ e, dx))
    return draws(chk)


def step_32_5():  # g = df/dx = kappa phi^{-1} A e
    def chk(r, d, m):
        A, b, x, dx, k = setup(r, d, m)
        e = np.exp(w_of(A, b, k, x))
        phi = np.sum(e)
        grad = np.array([ddir(lambda u: f_of(A, b, k, u), x, np.eye(d)[j]) for j in range(d)])
        return close(grad, k / phi * A @ e)
    return draws(chk)
