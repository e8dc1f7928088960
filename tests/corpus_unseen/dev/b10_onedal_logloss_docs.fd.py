"""Finite-difference checks of b10_onedal_logloss_docs.md (plain NumPy, never derive).

L is taken exactly as the page writes it: sum_i -y_i log(prob_i) - (1 - y_i) log(prob_i), with
prob_i = sigma(w_0 + sum_j w_j x_ij); w = (w_0, ..., w_p). L1, L2 drawn > 0 (they are not in L).
Sizes (n, p) = (1,1), (3,2), (6,4); y in {0,1} with at least one 0 (so the slip shows); several draws;
central differences (h = 1e-6 gradient, 1e-4 Hessian of the numerical gradient); tol 1e-4.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np

TOL = 1e-4


def sig(z):
    return 1 / (1 + np.exp(-z))


def close(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and np.allclose(a, b, rtol=TOL, atol=TOL)


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


def draws():
    rng = np.random.default_rng(17)
    for n, p in [(1, 1), (3, 2), (6, 4)]:
        for _ in range(3):
            X = rng.normal(size=(n, p))
            w = rng.normal(size=p + 1)
            y = rng.integers(0, 2, size=n).astype(float)
            y[0] = 0.0
            yield X, w, y, rng.uniform(0.1, 1.0), rng.uniform(0.1, 1.0)


def prob(X, w):
    return sig(w[0] + X @ w[1:])


def L(X, w, y):
    pr = prob(X, w)
    return np.sum(-y * np.log(pr) - (1 - y) * np.log(pr))


def step_30_1():  # grad_0 = sum prob_i - y_i
    return all(close(np.sum(prob(X, w) - y), num_grad(lambda v: L(X, v, y), w)[0]) for X, w, y, _, _ in draws())


def step_30_2():  # grad_j = sum X_ij (prob_i - y_i) + L1 |w_j| + 2 L2 w_j
    for X, w, y, L1, L2 in draws():
        g = num_grad(lambda v: L(X, v, y), w)
        rhs = X.T @ (prob(X, w) - y) + L1 * np.abs(w[1:]) + 2 * L2 * w[1:]
        if not close(rhs, g[1:]):
            return False
    return True


def _H(X, w, y):
    return num_hess(lambda v: L(X, v, y), w)


def step_34_2():  # h_00
    return all(close(np.sum(prob(X, w) * (1 - prob(X, w))), _H(X, w, y)[0, 0]) for X, w, y, _, _ in draws())


def step_34_3():  # h_i0 = h_0i
    return all(close(_H(X, w, y)[1:, 0], _H(X, w, y)[0, 1:]) for X, w, y, _, _ in draws())


def step_34_4():  # h_0i = sum_k X_ki prob_k (1 - prob_k)
    ok = True
    for X, w, y, _, _ in draws():
        pr = prob(X, w)
        ok &= close(X.T @ (pr * (1 - pr)), _H(X, w, y)[0, 1:])
    return bool(ok)


def step_34_5():  # h_ij = sum X_ki X_kj prob (1 - prob) + [i = j] 2 L2
    for X, w, y, _, L2 in draws():
        pr = prob(X, w)
        rhs = X.T @ np.diag(pr * (1 - pr)) @ X + 2 * L2 * np.eye(X.shape[1])
        if not close(rhs, _H(X, w, y)[1:, 1:]):
            return False
    return True


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
