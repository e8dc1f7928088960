"""Finite-difference checks of d06_techqa_2637252_regularized_logistic_hessian.md (plain NumPy, never derive).

X (n x d) with rows x_i, y in {-1, +1}^n, C ~ U(0.1, 3), w ~ N(0, 1); sizes (n, d) = (1, 1), (3, 2), (5, 4);
4 draws each. Gradient by central differences of f (h = 1e-6, tol 1e-6); Hessian entries by central
differences of that numerical gradient (h = 1e-4, tol 1e-4, second differences).
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np


def num_grad(f, x, h=1e-6):
    x = np.array(x, float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def num_hess(f, x, h=1e-4):
    d = len(x)
    H = np.zeros((d, d))
    for k in range(d):
        e = np.zeros(d)
        e[k] = h
        H[:, k] = (num_grad(f, x + e) - num_grad(f, x - e)) / (2 * h)
    return H


def draws():
    rng = np.random.default_rng(606)
    for n, d in [(1, 1), (3, 2), (5, 4)]:
        for _ in range(4):
            X = rng.normal(size=(n, d))
            y = rng.choice([-1.0, 1.0], size=n)
            yield X, y, rng.uniform(0.1, 3.0), rng.normal(size=d)


def f(X, y, C, w):
    return 0.5 * w @ w + C * np.sum(np.log(1 + np.exp(-y * (X @ w))))


def step_15_0():
    ok = True
    for X, y, C, w in draws():
        g = num_grad(lambda v: f(X, y, C, v), w)
        E = np.exp(-y * (X @ w))
        for j in range(len(w)):
            ok &= np.isclose(w[j] + C * np.sum(-X[:, j] * y * E / (1 + E)), g[j], rtol=1e-6, atol=1e-6)
    return bool(ok)


def _hessian_entries(check):
    ok = True
    for X, y, C, w in draws():
        H = num_hess(lambda v: f(X, y, C, v), w)
        M = np.exp(-y * (X @ w))
        ok &= check(X, y, C, M, H)
    return bool(ok)


def step_18_0():
    def check(X, y, C, M, H):
        return all(np.isclose(1 + C * np.sum(X[:, j] ** 2 * y**2 * M / (1 + M) ** 2), H[j, j],
                              rtol=1e-4, atol=1e-4) for j in range(X.shape[1]))
    return _hessian_entries(check)


def context_19():  # not a step check: line 19 holds for j != k
    def check(X, y, C, M, H):
        d = X.shape[1]
        return all(np.isclose(C * np.sum(X[:, j] * X[:, k] * y**2 * M / (1 + M) ** 2), H[j, k],
                              rtol=1e-4, atol=1e-4) for j in range(d) for k in range(d) if j != k)
    return _hessian_entries(check)


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
    print("context", context_19())
