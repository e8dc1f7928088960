"""Finite-difference checks of h06_arqmath_2012_ridge_derivative_attempt.md (plain NumPy, never derive).

X (n x k, rows phi(x_i)^T) ~ N(0, 1), y ~ N(0, 1), beta ~ N(0, 1), lambda ~ U(0.1, 2); (n, k) = (1, 1), (3, 2), (5, 4);
4 draws each. L(beta) = ||y - X beta||^2 + lambda sum_j beta_j^2. Gradients by central differences (h = 1e-6);
rtol = atol = 1e-6. Row vectors and column vectors are both 1-D arrays here (the layout is only a transpose).
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np


def draws():
    rng = np.random.default_rng(3206)
    for n, k in [(1, 1), (3, 2), (5, 4)]:
        for _ in range(4):
            yield rng.normal(size=(n, k)), rng.normal(size=n), rng.normal(size=k), rng.uniform(0.1, 2.0)


def grad(f, x, h=1e-6):
    return np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(len(x))])


def close(a, b):
    return bool(np.allclose(a, b, rtol=1e-6, atol=1e-6))


def step_38_0():
    rng = np.random.default_rng(3216)
    return all(close(np.linalg.norm(x) ** 2, x @ x) for x in (rng.normal(size=m) for m in (1, 2, 5)))


def step_38_1():
    rng = np.random.default_rng(3226)
    return all(close(grad(lambda v: v @ v, x), 2 * x) for x in (rng.normal(size=m) for m in (1, 2, 5)))


def step_46_0():
    ok = True
    for X, y, beta, lam in draws():
        g = grad(lambda b: np.linalg.norm(y - X @ b) ** 2 + lam * np.sum(b**2), beta)
        ok &= close(g, 2 * ((X @ beta - y) @ X + lam * beta))
    return bool(ok)


def context_29():  # not a step (29 is a definition of L): the rewriting equals L^Ridge
    ok = True
    for X, y, beta, lam in draws():
        ridge = sum((y[i] - X[i] @ beta) ** 2 for i in range(len(y))) + lam * np.sum(beta**2)
        ok &= close(ridge, np.linalg.norm(y - X @ beta) ** 2 + lam * np.sum(beta**2))
    return bool(ok)


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith(("step_", "context_")):
            print(name, fn())
