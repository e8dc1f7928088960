# ruff: noqa: RUF059  (unpacked names are kept so every check reads alike)
"""Finite-difference checks of c01_chicm_softmax_ce_gradient.md (p = softmax(o), y one-hot at the correct class k; j != k)."""
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
    o = r.normal(size=n)
    k = int(r.integers(n))
    return o, softmax(o), k, np.sum(np.exp(o))


def _L(o, k):
    return -np.log(softmax(o)[k])


def _dk(f, o, k):
    """d f / d o_k by central differences (f scalar)."""
    return num_grad(f, o)[k]


def _chk_k(rhs):
    def chk(r, n):
        o, p, k, S = _setup(r, n)
        return close(_dk(lambda u: _L(u, k), o, k), rhs(o, p, k, S))
    return all_draws(chk)


def _chk_j(rhs):
    def chk(r, n):
        o, p, k, S = _setup(r, n)
        j = (k + 1 + int(r.integers(n - 1))) % n
        return close(_dk(lambda u: _L(u, k), o, j), rhs(o, p, k, j, S))
    return all_draws(chk, sizes=(2, 3, 5))


def step_40_0():  # L = -sum y_i log p_i = -y_k log p_k
    def chk(r, n):
        o, p, k, S = _setup(r, n)
        y = onehot(n, k)
        return close(-np.sum(y * np.log(p)), -y[k] * np.log(p[k]))
    return all_draws(chk)


def step_40_1():  # -y_k log p_k = -log p_k (y_k = 1)
    def chk(r, n):
        o, p, k, S = _setup(r, n)
        y = onehot(n, k)
        return close(-y[k] * np.log(p[k]), -np.log(p[k]))
    return all_draws(chk)


def step_49_0():  # dL/do_k = d/do_k (-log p_k)
    return _chk_k(lambda o, p, k, S: _dk(lambda u: -np.log(softmax(u)[k]), o, k))


def step_49_1():  # = -d/do_k log p_k
    return _chk_k(lambda o, p, k, S: -_dk(lambda u: np.log(softmax(u)[k]), o, k))


def step_49_2():  # = -1/p_k d p_k / d o_k
    return _chk_k(lambda o, p, k, S: -1 / p[k] * _dk(lambda u: softmax(u)[k], o, k))


def step_50_0():  # = -1/p_k d/do_k (e^{o_k} / sum e^{o_i})
    return _chk_k(lambda o, p, k, S: -1 / p[k] * _dk(lambda u: np.exp(u[k]) / np.sum(np.exp(u)), o, k))


def step_50_1():  # = -1/p_k (e^{o_k} S - (dS/do_k) e^{o_k}) / S^2
    return _chk_k(lambda o, p, k, S: -1 / p[k] * (np.exp(o[k]) * S - _dk(lambda u: np.sum(np.exp(u)), o, k) * np.exp(o[k])) / S**2)


def step_52_0():  # = -1/p_k (e^{o_k}/S - e^{o_k} dS/do_k / S^2)
    return _chk_k(lambda o, p, k, S: -1 / p[k] * (np.exp(o[k]) / S - np.exp(o[k]) * _dk(lambda u: np.sum(np.exp(u)), o, k) / S**2))


def step_54_0():  # = -1/p_k (p_k - e^{o_k} dS/do_k / S^2)
    return _chk_k(lambda o, p, k, S: -1 / p[k] * (p[k] - np.exp(o[k]) * _dk(lambda u: np.sum(np.exp(u)), o, k) / S**2))


def step_56_0():  # d/do_k sum_i e^{o_i} = e^{o_k}
    def chk(r, n):
        o, p, k, S = _setup(r, n)
        return close(_dk(lambda u: np.sum(np.exp(u)), o, k), np.exp(o[k]))
    return all_draws(chk)


def step_58_0():  # dL/do_k = -1/p_k (p_k - (e^{o_k})^2 / S^2)
    return _chk_k(lambda o, p, k, S: -1 / p[k] * (p[k] - np.exp(o[k]) ** 2 / S**2))


def step_58_1():  # = -1/p_k (p_k - p_k^2)
    return _chk_k(lambda o, p, k, S: -1 / p[k] * (p[k] - p[k] ** 2))


def step_58_2():  # = p_k - 1
    return _chk_k(lambda o, p, k, S: p[k] - 1)


def step_61_0():  # dL/do_j = d/do_j (-log p_k)
    return _chk_j(lambda o, p, k, j, S: _dk(lambda u: -np.log(softmax(u)[k]), o, j))


def step_61_1():  # = -d/do_j log p_k
    return _chk_j(lambda o, p, k, j, S: -_dk(lambda u: np.log(softmax(u)[k]), o, j))


def step_61_2():  # = -1/p_k d p_k / d o_j
    return _chk_j(lambda o, p, k, j, S: -1 / p[k] * _dk(lambda u: softmax(u)[k], o, j))


def step_62_0():  # = -1/p_k d/do_j (e^{o_k}/S)
    return _chk_j(lambda o, p, k, j, S: -1 / p[k] * _dk(lambda u: np.exp(u[k]) / np.sum(np.exp(u)), o, j))


def step_62_1():  # = -e^{o_k}/p_k d/do_j (1/S)
    return _chk_j(lambda o, p, k, j, S: -np.exp(o[k]) / p[k] * _dk(lambda u: 1 / np.sum(np.exp(u)), o, j))


def step_63_0():  # = -e^{o_k}/p_k (-1) 1/S^2 dS/do_j
    return _chk_j(lambda o, p, k, j, S: -np.exp(o[k]) / p[k] * (-1) / S**2 * _dk(lambda u: np.sum(np.exp(u)), o, j))


def step_64_0():  # = e^{o_k}/p_k 1/S^2 e^{o_j}
    return _chk_j(lambda o, p, k, j, S: np.exp(o[k]) / p[k] / S**2 * np.exp(o[j]))


def step_64_1():  # = 1/p_k e^{o_k}/S e^{o_j}/S
    return _chk_j(lambda o, p, k, j, S: 1 / p[k] * np.exp(o[k]) / S * np.exp(o[j]) / S)


def step_65_0():  # = 1/p_k p_k p_j
    return _chk_j(lambda o, p, k, j, S: 1 / p[k] * p[k] * p[j])


def step_65_1():  # = p_j
    return _chk_j(lambda o, p, k, j, S: p[j])


def step_68_0():  # dL/do = p - y
    def chk(r, n):
        o, p, k, S = _setup(r, n)
        return close(num_grad(lambda u: _L(u, k), o), p - onehot(n, k))
    return all_draws(chk)


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
