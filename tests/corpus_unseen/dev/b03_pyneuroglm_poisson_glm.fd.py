"""Finite-difference checks of b03_pyneuroglm_poisson_glm.md (plain NumPy, never derive).

General inverse link checked with f = softplus and f = exp (and f(eta) = eta^2 + 1);
X (n x d), w, counts y; sizes (1,1), (2,3), (6,4); several draws; central differences
(h = 1e-6 gradient, 1e-4 for the Hessian of the numerical gradient); tol 1e-4.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np

TOL = 1e-4
SIZES = [(1, 1), (2, 3), (6, 4)]

LINKS = {
    "softplus": (lambda e: np.log1p(np.exp(e)), lambda e: 1 / (1 + np.exp(-e)),
                 lambda e: np.exp(-e) / (1 + np.exp(-e)) ** 2),
    "exp": (np.exp, np.exp, np.exp),
    "square": (lambda e: e ** 2 + 1, lambda e: 2 * e, lambda e: 2 + 0 * e),
}


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


def num_hess(f, x, h=1e-4):
    n = x.size
    H = np.zeros((n, n))
    for j in range(n):
        e = np.zeros(n)
        e[j] = h
        H[:, j] = (num_grad(f, x + e) - num_grad(f, x - e)) / (2 * h)
    return H


def draws(links=LINKS):
    rng = np.random.default_rng(5)
    for fs in links.values():
        for n, d in SIZES:
            for _ in range(3):
                X = rng.normal(scale=0.5, size=(n, d))
                w = rng.normal(scale=0.5, size=d)
                y = rng.poisson(2.0, size=n).astype(float)
                yield fs, X, w, y


def L(fs, X, w, y):
    lam = fs[0](X @ w)
    return np.sum(y * np.log(lam) - lam)


def step_32_0():
    ok = True
    for fs, X, w, y in draws():
        eta = X @ w
        lam, dl = fs[0](eta), fs[1](eta)
        ok &= close(X.T @ ((y / lam - 1) * dl), num_grad(lambda v: L(fs, X, v, y), w))
    return bool(ok)


def step_42_0():
    ok = True
    for fs, X, w, y in draws():
        eta = X @ w
        lam, dl, ddl = fs[0](eta), fs[1](eta), fs[2](eta)
        h = (y / lam - 1) * ddl - y * dl ** 2 / lam ** 2
        ok &= close(X.T @ np.diag(h) @ X, num_hess(lambda v: L(fs, X, v, y), w))
    return bool(ok)


def _exp_draws():
    return draws({"exp": LINKS["exp"]})


def step_55_1():  # dot lambda = ddot lambda for lambda = exp(eta)
    ok = True
    for _, X, w, _ in _exp_draws():
        eta = X @ w
        d1 = np.array([num_grad(np.exp, np.array(e)) for e in eta])
        d2 = np.array([(np.exp(e + 1e-4) - 2 * np.exp(e) + np.exp(e - 1e-4)) / 1e-8 for e in eta])
        ok &= close(d1, d2)
    return bool(ok)


def step_55_2():  # ddot lambda = lambda
    ok = True
    for _, X, w, _ in _exp_draws():
        eta = X @ w
        d2 = np.array([(np.exp(e + 1e-4) - 2 * np.exp(e) + np.exp(e - 1e-4)) / 1e-8 for e in eta])
        ok &= close(d2, np.exp(eta))
    return bool(ok)


def step_58_0():
    ok = True
    for _fs, X, w, y in _exp_draws():
        lam = np.exp(X @ w)
        h = (y / lam - 1) * lam - y * lam ** 2 / lam ** 2
        ok &= close(-lam, h)
    return bool(ok)


def step_64_0():
    ok = True
    for fs, X, w, y in _exp_draws():
        lam = np.exp(X @ w)
        ok &= close(-X.T @ np.diag(lam) @ X, num_hess(lambda v: L(fs, X, v, y), w))
    return bool(ok)


def _prior_draws():
    rng = np.random.default_rng(6)
    for d in (1, 2, 4):
        for _ in range(4):
            A = rng.normal(size=(d, d))
            Cinv = A @ A.T + d * np.eye(d)  # a precision matrix (symmetric)
            yield Cinv, rng.normal(size=d)


def _P(Cinv, w):
    return -0.5 * w @ Cinv @ w


def step_76_0():
    return all(close(-Cinv @ w, num_grad(lambda v: _P(Cinv, v), w)) for Cinv, w in _prior_draws())


def step_78_0():
    return all(close(-Cinv, num_hess(lambda v: _P(Cinv, v), w)) for Cinv, w in _prior_draws())


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
