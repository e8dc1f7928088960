"""Finite-difference checks of d08_techqa_4075404_two_layer_sigmoid_mse.md (plain NumPy, never derive).

x^i in R^p, alpha, beta in R^p, z^i = (sigma(alpha^T x^i), sigma(beta^T x^i)), w in R^2, y^i real;
m in {1, 3, 6}, p in {1, 3}; 5 draws each. D = gradient with respect to w by central differences
(h = 1e-6); tolerance rtol = atol = 1e-6.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np

TOL = 1e-6


def sg(x):
    return 1 / (1 + np.exp(-x))


def close(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and np.allclose(a, b, rtol=TOL, atol=TOL)


def num_grad(f, x, h=1e-6):
    x = np.array(x, float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def draws():
    rng = np.random.default_rng(808)
    for m in (1, 3, 6):
        for p in (1, 3):
            for _ in range(5):
                x = rng.normal(size=(m, p))
                a, b = rng.normal(size=p), rng.normal(size=p)
                Z = np.stack([sg(x @ a), sg(x @ b)], axis=1)  # rows z^i
                yield Z, rng.normal(size=m), rng.normal(size=2)


def ell(Z, y, w):
    return float(np.sum((y - sg(Z @ w)) ** 2))


def step_21_0():
    ok = True
    for Z, y, w in draws():
        u = Z @ w
        rhs = -sum(2 * (y[i] - sg(u[i])) * sg(u[i]) * (1 - sg(u[i])) * Z[i] for i in range(len(y)))
        ok &= close(rhs, num_grad(lambda v: ell(Z, y, v), w))
    return bool(ok)


def step_26_0():  # 2 sum (y - s) D(s): the minus sign is missing: fails
    ok = True
    for Z, y, w in draws():
        rhs = 2 * sum((y[i] - sg(Z[i] @ w)) * num_grad(lambda v: sg(Z[i] @ v), w) for i in range(len(y)))
        ok &= close(rhs, num_grad(lambda v: ell(Z, y, v), w))
    return bool(ok)


def step_27_0():
    ok = True
    for Z, _, w in draws():
        for z in Z:
            s = sg(z @ w)
            ok &= close(s * (1 - s) * num_grad(lambda v: z @ v, w), num_grad(lambda v: sg(z @ v), w))
    return bool(ok)


def step_27_1():
    ok = True
    for Z, _, w in draws():
        for z in Z:
            s = sg(z @ w)
            ok &= close(s * (1 - s) * z, num_grad(lambda v: sg(z @ v), w))
    return bool(ok)


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
