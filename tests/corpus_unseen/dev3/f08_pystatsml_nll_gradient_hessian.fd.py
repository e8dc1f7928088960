"""Finite-difference checks of f08_pystatsml_nll_gradient_hessian.md (plain NumPy, never derive).

x_i rows of X (n x p), y_i in {0, 1}, w ~ N(0, 1); z_i = w^T x_i, p_i = sigma(z_i). Sizes (n, p) = (1, 1), (3, 2), (6, 4);
4 draws each (labels drawn so that both 0 and 1 occur when n >= 2). Derivatives by central differences (h = 1e-6;
Hessian: h = 1e-4 on the numerical gradient); rtol = atol = 1e-6 (1e-4 for the Hessian).
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np


def sig(z):
    return 1 / (1 + np.exp(-z))


def draws():
    rng = np.random.default_rng(3108)
    for n, p in [(1, 1), (3, 2), (6, 4)]:
        for k in range(4):
            y = rng.integers(0, 2, size=n).astype(float)
            if n >= 2:
                y[0], y[1] = 0.0, 1.0
            elif k % 2 == 0:
                y[0] = 0.0
            yield rng.normal(size=(n, p)), y, rng.normal(size=p)


def close(a, b, tol=1e-6):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and np.allclose(a, b, rtol=tol, atol=tol)


def num_grad(f, x, h=1e-6):
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def num_hess(f, x, h=1e-4):
    H = np.zeros((x.size, x.size))
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = h
        H[:, j] = (num_grad(f, x + e) - num_grad(f, x - e)) / (2 * h)
    return H


def L(X, y, w):  # -sum log P(y_i | x_i; w) with the Bernoulli model
    q = sig(X @ w)
    return -np.sum(np.log(q**y * (1 - q) ** (1 - y)))


def L_sum(X, y, w):
    q = sig(X @ w)
    return -np.sum(y * np.log(q) + (1 - y) * np.log(1 - q))


def step_39_0():
    return all(close(L(X, y, w), -np.sum(np.log(sig(X @ w) ** y * (1 - sig(X @ w)) ** (1 - y)))) for X, y, w in draws())


def step_45_0():
    return all(close(-np.sum(np.log(sig(X @ w) ** y * (1 - sig(X @ w)) ** (1 - y))), L_sum(X, y, w))
               for X, y, w in draws())


def step_48_0():
    return all(close(sig(X @ w), sig(np.array([w @ X[i] for i in range(len(y))]))) for X, y, w in draws())


def step_48_1():
    return all(close(sig(X @ w), 1 / (1 + np.exp(-(X @ w)))) for X, y, w in draws())


Z = np.linspace(-6, 6, 25)


def step_52_0():
    return close(np.log(sig(Z)), -np.log(1 + np.exp(-Z)))


def step_52_1():
    return close(np.log(1 - sig(Z)), -Z - np.log(1 + np.exp(-Z)))


def ell_def(z, y):
    return -(y * np.log(sig(z)) + (1 - y) * np.log(1 - sig(z)))


def ell_62(z, y):
    return -(y * (-np.log(1 + np.exp(-z))) + (1 - y) * (-z - np.log(1 + np.exp(-z))))


def ell_68(z, y):
    return np.log(1 + np.exp(-z)) + (1 - y) * z


def step_62_0():
    return all(close(ell_def(X @ w, y), ell_62(X @ w, y)) for X, y, w in draws())


def step_68_0():
    return all(close(ell_def(X @ w, y), ell_68(X @ w, y)) for X, y, w in draws())


def step_77_0():
    return all(close(L_sum(X, y, w), np.sum(ell_68(X @ w, y))) for X, y, w in draws())


def step_77_1():  # the side condition restates z_i = w^T x_i
    return all(close(X @ w, np.array([w @ X[i] for i in range(len(y))])) for X, y, w in draws())


def step_83_0():
    return all(close(L_sum(X, y, w), np.sum(np.log(1 + np.exp(-y * (X @ w))))) for X, y, w in draws())


def context_83():  # not a step check: with y' = 2y - 1 in {-1, +1} the form holds
    return all(close(L_sum(X, y, w), np.sum(np.log(1 + np.exp(-(2 * y - 1) * (X @ w))))) for X, y, w in draws())


def step_101_0():
    return step_77_1()


def step_104_0():
    return step_48_0()


def step_104_1():
    return step_48_1()


def step_125_0():  # chain rule, each factor numerically
    ok = True
    for X, y, w in draws():
        for i in range(len(y)):
            z = X[i] @ w
            q = sig(z)
            d_ell = (ell_of_p(q + 1e-7, y[i]) - ell_of_p(q - 1e-7, y[i])) / 2e-7
            d_p = (sig(z + 1e-6) - sig(z - 1e-6)) / 2e-6
            d_z = num_grad(lambda v: v @ X[i], w)
            lhs = num_grad(lambda v: ell_def(X[i] @ v, y[i]), w)
            ok &= close(lhs, d_ell * d_p * d_z, 1e-5)
    return bool(ok)


def ell_of_p(q, y):
    return -(y * np.log(q) + (1 - y) * np.log(1 - q))


def step_133_0():
    ok = True
    for q in np.linspace(0.05, 0.95, 19):
        for y in (0.0, 1.0):
            ok &= close((ell_of_p(q + 1e-7, y) - ell_of_p(q - 1e-7, y)) / 2e-7, -(y / q - (1 - y) / (1 - q)), 1e-5)
    return bool(ok)


def step_138_0():
    return close((sig(Z + 1e-6) - sig(Z - 1e-6)) / 2e-6, sig(Z) * (1 - sig(Z)))


def step_141_0():
    return step_77_1()


def step_143_0():
    return all(close(num_grad(lambda v: v @ X[0], w), X[0]) for X, y, w in draws())


def step_149_0():
    return all(all(close(num_grad(lambda v: ell_def(X[i] @ v, y[i]), w), (sig(X[i] @ w) - y[i]) * X[i])
                   for i in range(len(y))) for X, y, w in draws())


def _grad_sum(X, y, w):
    return sum((sig(X[i] @ w) - y[i]) * X[i] for i in range(len(y)))


def step_158_0():
    return all(close(num_grad(lambda v: L_sum(X, y, v), w), _grad_sum(X, y, w)) for X, y, w in draws())


def step_164_0():
    return all(close(num_grad(lambda v: L_sum(X, y, v), w), X.T @ (sig(X @ w) - y)) for X, y, w in draws())


def step_172_0():
    return step_158_0()


def step_176_0():
    return step_164_0()


def step_192_0():
    return step_48_0()


def step_192_1():
    return step_48_1()


def step_192_2():
    return step_77_1()


def step_196_0():  # restates L(w) of line 108
    return all(close(L_sum(X, y, w), -np.sum(y * np.log(sig(X @ w)) + (1 - y) * np.log(1 - sig(X @ w))))
               for X, y, w in draws())


def step_202_0():
    return step_158_0()


def step_218_0():
    return step_158_0()


def step_221_0():
    return step_48_0()


def step_221_1():
    return step_48_0()


def _hess(X, y, w):
    return num_hess(lambda v: L_sum(X, y, v), w)


def step_226_0():  # Hessian = sum of the Jacobians of the terms (p_i - y_i) x_i
    ok = True
    for X, y, w in draws():
        J = sum(np.array([num_grad(lambda v: (sig(X[i] @ v) - y[i]) * X[i][r], w) for r in range(len(w))])
                for i in range(len(y)))
        ok &= close(_hess(X, y, w), J, 1e-4)
    return bool(ok)


def step_232_0():  # grad of p_i = sigma'(z_i) grad z_i
    ok = True
    for X, y, w in draws():
        for i in range(len(y)):
            z = X[i] @ w
            sp = (sig(z + 1e-6) - sig(z - 1e-6)) / 2e-6
            ok &= close(num_grad(lambda v: sig(X[i] @ v), w), sp * num_grad(lambda v: v @ X[i], w))
    return bool(ok)


def step_232_1():
    ok = True
    for X, y, w in draws():
        for i in range(len(y)):
            z = X[i] @ w
            sp = (sig(z + 1e-6) - sig(z - 1e-6)) / 2e-6
            ok &= close(sp * num_grad(lambda v: v @ X[i], w), sig(z) * (1 - sig(z)) * X[i])
    return bool(ok)


def step_238_0():
    ok = True
    for X, y, w in draws():
        for i in range(len(y)):
            J = np.array([num_grad(lambda v: (sig(X[i] @ v) - y[i]) * X[i][r], w) for r in range(len(w))])
            q = sig(X[i] @ w)
            ok &= close(J, q * (1 - q) * np.outer(X[i], X[i]))
    return bool(ok)


def _hess_sum(X, w):
    q = sig(X @ w)
    return sum(q[i] * (1 - q[i]) * np.outer(X[i], X[i]) for i in range(len(X)))


def step_245_0():
    return all(close(_hess(X, y, w), _hess_sum(X, w), 1e-4) for X, y, w in draws())


def step_263_0():
    return all(close(_hess(X, y, w), X.T @ np.diag(sig(X @ w) * (1 - sig(X @ w))) @ X, 1e-4) for X, y, w in draws())


def step_272_0():
    return step_245_0()


def step_276_0():
    return step_263_0()


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_") or name.startswith("context_"):
            print(name, fn())
