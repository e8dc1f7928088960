"""Finite-difference checks of h02_statsse_190298_newton_least_squares.md (plain NumPy, never derive).

Phi (N x M, rows phi_n^T) ~ N(0, 1), t ~ N(0, 1), w and w_old ~ N(0, 1); (N, M) = (1, 1), (3, 2), (6, 4); 4 draws each
(N >= M, so Phi^T Phi is invertible almost surely). nabla E(w) is the sum as written on line 28; its Jacobian by central
differences (h = 1e-6; it is linear in w). rtol = atol = 1e-6.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np


def draws():
    rng = np.random.default_rng(3202)
    for N, M in [(1, 1), (3, 2), (6, 4)]:
        for _ in range(4):
            yield rng.normal(size=(N, M)), rng.normal(size=N), rng.normal(size=M)


def grad_sum(Phi, t, w):
    return sum((w @ Phi[n] - t[n]) * Phi[n] for n in range(Phi.shape[0]))


def jacobian(f, w, h=1e-6):
    cols = []
    for k in range(len(w)):
        e = np.zeros(len(w))
        e[k] = h
        cols.append((f(w + e) - f(w - e)) / (2 * h))
    return np.stack(cols, axis=1)


def close(a, b):
    return bool(np.allclose(a, b, rtol=1e-6, atol=1e-6))


def step_28_1():
    return all(close(grad_sum(P, t, w), P.T @ P @ w - P.T @ t) for P, t, w in draws())


def step_30_0():
    ok = True
    for P, t, w in draws():
        J = jacobian(lambda v: grad_sum(P, t, v), w)
        ok &= close(J, sum(np.outer(P[n], P[n]) for n in range(P.shape[0])))
    return bool(ok)


def step_30_1():
    return all(close(sum(np.outer(P[n], P[n]) for n in range(P.shape[0])), P.T @ P) for P, t, w in draws())


def step_32_1():
    ok = True
    for P, t, w_old in draws():
        A = np.linalg.inv(P.T @ P)
        ok &= close(w_old - A @ (P.T @ P @ w_old - P.T @ t), A @ P.T @ t)
    return bool(ok)


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
