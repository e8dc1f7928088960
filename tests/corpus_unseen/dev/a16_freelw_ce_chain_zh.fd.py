# ruff: noqa: RUF059  (unpacked names are kept so every check reads alike)
"""Finite-difference checks of a16_freelw_ce_chain_zh.md (i != target, Z_i not the maximum)."""
import numpy as np

TOL = 1e-6  # relative and absolute tolerance of every comparison
H = 1e-6    # central-difference step
DRAWS = 4   # random draws per size


def rng(seed=0):
    return np.random.default_rng(seed)


def softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def num_grad(f, x, h=H):
    """Central-difference gradient of the scalar (or array) function f at x, shape x.shape + f.shape."""
    x = np.array(x, dtype=float)
    f0 = np.asarray(f(x), dtype=float)
    g = np.zeros(x.shape + f0.shape)
    for idx in np.ndindex(x.shape):
        xp = x.copy()
        xm = x.copy()
        xp[idx] += h
        xm[idx] -= h
        g[idx] = (np.asarray(f(xp)) - np.asarray(f(xm))) / (2 * h)
    return g


def close(a, b, tol=TOL):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=tol, atol=tol))


def onehot(n, k):
    y = np.zeros(n)
    y[k] = 1.0
    return y


def all_draws(check, sizes=(1, 2, 3, 5), seed=0):
    """True when check(r, n) is True for every size and draw."""
    r = rng(seed)
    return all(bool(check(r, n)) for n in sizes for _ in range(DRAWS))


def _setup(r, n):
    Z = r.normal(size=n)
    t, i = r.choice(n, size=2, replace=False)
    Z[i] = np.min(Z) - r.uniform(0.1, 1.0)  # Z_i is not the maximum
    m = np.max(Z)
    c1 = np.exp(Z[t] - m)
    c2 = sum(np.exp(Z[k] - m) for k in range(n) if k != i)
    x4 = Z[i] - m
    x3 = np.exp(x4)
    x2 = x3 + c2
    x1 = c1 / x2
    S = np.sum(np.exp(Z - m))
    return Z, int(t), int(i), m, c1, c2, x1, x2, x3, x4, S


def _L(Z, t):
    return -np.log(np.exp(Z[t] - np.max(Z)) / np.sum(np.exp(Z - np.max(Z))))


def _d(f, x):
    return float(num_grad(lambda u: f(u[0]), np.array([x]))[0])


def _factors(c1, c2, x1, x2, x3, x4, Z, i, m):
    return [_d(lambda u: -np.log(u), x1), _d(lambda u: c1 / u, x2), _d(lambda u: u + c2, x3),
            _d(np.exp, x4), _d(lambda u: u - m, Z[i])]


def step_45_0():  # dL/dZ_i = g_1' g_2' g_3' g_4' g_5'
    def chk(r, n):
        Z, t, i, m, c1, c2, x1, x2, x3, x4, S = _setup(r, n)
        g = num_grad(lambda u: _L(u, t), Z)[i]
        return close(g, np.prod(_factors(c1, c2, x1, x2, x3, x4, Z, i, m)))
    return all_draws(chk, sizes=(2, 3, 5))


def _fac(k, rhs):
    def chk(r, n):
        Z, t, i, m, c1, c2, x1, x2, x3, x4, S = _setup(r, n)
        return close(_factors(c1, c2, x1, x2, x3, x4, Z, i, m)[k], rhs(c1, x1, x2, x4))
    return all_draws(chk, sizes=(2, 3, 5))


def step_47_0():  # dg_1/dx_1 = -1/x1
    return _fac(0, lambda c1, x1, x2, x4: -1 / x1)


def step_49_0():  # dg_2/dx_2 = -c1/x_2^2
    return _fac(1, lambda c1, x1, x2, x4: -c1 / x2**2)


def step_51_0():  # dg_3/dx_3 = 1
    return _fac(2, lambda c1, x1, x2, x4: 1.0)


def step_53_0():  # dg_4/dx_4 = e^{x_4}
    return _fac(3, lambda c1, x1, x2, x4: np.exp(x4))


def step_55_0():  # dg_5/dZ_i = 1
    return _fac(4, lambda c1, x1, x2, x4: 1.0)


def step_57_0():  # x1 = c1/sum
    def chk(r, n):
        Z, t, i, m, c1, c2, x1, x2, x3, x4, S = _setup(r, n)
        return close(x1, c1 / S)
    return all_draws(chk, sizes=(2, 3, 5))


def step_59_0():  # x2 = sum
    def chk(r, n):
        Z, t, i, m, c1, c2, x1, x2, x3, x4, S = _setup(r, n)
        return close(x2, S)
    return all_draws(chk, sizes=(2, 3, 5))


def step_61_0():  # x_4 = Z_i - max(Z)   (x_4 as defined through the chain)
    def chk(r, n):
        Z, t, i, m, c1, c2, x1, x2, x3, x4, S = _setup(r, n)
        return close(np.log(x3), Z[i] - np.max(Z))
    return all_draws(chk, sizes=(2, 3, 5))


def step_63_0():  # dL/dZ_i = c1 e^{x_4} / (x_1 x_2^2)
    def chk(r, n):
        Z, t, i, m, c1, c2, x1, x2, x3, x4, S = _setup(r, n)
        return close(num_grad(lambda u: _L(u, t), Z)[i], c1 * np.exp(x4) / (x1 * x2**2))
    return all_draws(chk, sizes=(2, 3, 5))


def step_63_1():  # = e^{Z_i - max} / sum_i e^{Z_i - max}
    def chk(r, n):
        Z, t, i, m, c1, c2, x1, x2, x3, x4, S = _setup(r, n)
        return close(c1 * np.exp(x4) / (x1 * x2**2), np.exp(Z[i] - m) / S)
    return all_draws(chk, sizes=(2, 3, 5))


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
