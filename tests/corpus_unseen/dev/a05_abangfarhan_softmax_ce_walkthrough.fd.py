# ruff: noqa: B023, RUF059  (each lambda is called at once inside its own loop iteration; unpacked names are kept so every check reads alike)
"""Finite-difference checks of a05_abangfarhan_softmax_ce_walkthrough.md.

Notation of the post: e_j = exp(x_j), sum = sum_k exp(x_k); primes are derivatives w.r.t. x_i
(the author: "I use e_j' to denote derivative of e_j w.r.t. x_i, and likewise the sum'").
y is one-hot.
"""
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
    x = r.normal(size=n)
    p = softmax(x)
    y = onehot(n, r.integers(n))
    return x, p, y


def _L(x, y):
    return -np.sum(y * np.log(softmax(x)))


def _pairs(n):
    return [(i, j) for i in range(n) for j in range(n) if i != j]


def step_42_0():  # -log p_i (y_i = 1) = -sum_i y_i log p_i
    def chk(r, n):
        x, p, y = _setup(r, n)
        i = int(np.argmax(y))
        return close(-np.log(p[i]), -np.sum(y * np.log(p)))
    return all_draws(chk)


def _dL_dp(p, y):
    return num_grad(lambda q: -np.sum(y * np.log(q)), p)


def _J(x):
    return num_grad(softmax, x).T  # J[j, i] = d p_j / d x_i


def step_64_0():  # dL/dx_i = dL/dp_1 dp_1/dx_i + ... + dL/dp_n dp_n/dx_i
    def chk(r, n):
        x, p, y = _setup(r, n)
        g = num_grad(lambda u: _L(u, y), x)
        return close(g, _J(x).T @ _dL_dp(p, y))
    return all_draws(chk)


def step_68_0():  # = sum_j dL/dp_j dp_j/dx_i
    def chk(r, n):
        x, p, y = _setup(r, n)
        J, d = _J(x), _dL_dp(p, y)
        return close(J.T @ d, [sum(d[j] * J[j, i] for j in range(n)) for i in range(n)])
    return all_draws(chk)


def step_76_0():  # dL/dp_j = d(-sum y_i log p_i)/dp_j
    def chk(r, n):
        x, p, y = _setup(r, n)
        return close(_dL_dp(p, y), num_grad(lambda q: -sum(y[i] * np.log(q[i]) for i in range(n)), p))
    return all_draws(chk)


def step_77_0():  # = -d(sum y_i log p_i)/dp_j
    def chk(r, n):
        x, p, y = _setup(r, n)
        return close(_dL_dp(p, y), -num_grad(lambda q: np.sum(y * np.log(q)), p))
    return all_draws(chk)


def step_86_0():  # = -( d(y_1 log p_1)/dp_j + ... + d(y_n log p_n)/dp_j )
    def chk(r, n):
        x, p, y = _setup(r, n)
        terms = num_grad(lambda q: y * np.log(q), p)  # [j, i] = d(y_i log p_i)/dp_j
        return close(-num_grad(lambda q: np.sum(y * np.log(q)), p), -terms.sum(axis=1))
    return all_draws(chk)


def step_98_0():  # d(y_1 log p_1)/dp_2 = 0
    def chk(r, n):
        x, p, y = _setup(r, n)
        return close(num_grad(lambda q: y[0] * np.log(q[0]), p)[1], 0.0)
    return all_draws(chk, sizes=(2, 3, 5))


def step_106_0():  # d(y_1 log p_1)/dp_1 = y_1 d log p_1 / dp_1
    def chk(r, n):
        x, p, y = _setup(r, n)
        y = r.uniform(size=n)  # holds for any y_1
        return close(num_grad(lambda q: y[0] * np.log(q[0]), p)[0], y[0] * num_grad(lambda q: np.log(q[0]), p)[0])
    return all_draws(chk)


def step_113_0():  # d log p_1 / dp_1 = 1/p_1
    def chk(r, n):
        x, p, y = _setup(r, n)
        return close(num_grad(lambda q: np.log(q[0]), p)[0], 1 / p[0])
    return all_draws(chk)


def step_120_0():  # d(y_1 log p_1)/dp_1 = y_1/p_1
    def chk(r, n):
        x, p, y = _setup(r, n)
        y = r.uniform(size=n)
        return close(num_grad(lambda q: y[0] * np.log(q[0]), p)[0], y[0] / p[0])
    return all_draws(chk)


def step_128_0():  # d(y_i log p_i)/dp_i = y_i/p_i
    def chk(r, n):
        x, p, y = _setup(r, n)
        y = r.uniform(size=n)
        return all(close(num_grad(lambda q: y[i] * np.log(q[i]), p)[i], y[i] / p[i]) for i in range(n))
    return all_draws(chk)


def step_137_0():  # dL/dp_j = -( d(y_j log p_j)/dp_j )
    def chk(r, n):
        x, p, y = _setup(r, n)
        return close(_dL_dp(p, y), [-num_grad(lambda q: y[j] * np.log(q[j]), p)[j] for j in range(n)])
    return all_draws(chk)


def step_145_0():  # dL/dp_j = -y_j/p_j
    def chk(r, n):
        x, p, y = _setup(r, n)
        return close(_dL_dp(p, y), -y / p)
    return all_draws(chk)


def step_154_0():  # dp_j/dx_i = d(e^{x_j}/sum_k e^{x_k})/dx_i
    def chk(r, n):
        x, p, y = _setup(r, n)
        direct = np.array([num_grad(lambda u: np.exp(u[j]) / np.sum(np.exp(u)), x) for j in range(n)])
        return close(_J(x), direct)
    return all_draws(chk)


def _quot(x):
    """(e_j' sum - e_j sum') / sum^2 with e_j' = d e_j/dx_i, sum' = d sum/dx_i, as a [j, i] array."""
    e, S = np.exp(x), np.sum(np.exp(x))
    n = len(x)
    de = np.diag(e)            # de[j, i] = d e_j / d x_i
    dS = e                     # dS[i] = d sum / d x_i
    return np.array([[(de[j, i] * S - e[j] * dS[i]) / S**2 for i in range(n)] for j in range(n)])


def step_171_0():  # d(e_j/sum)/dx_i = (e_j' sum - e_j sum') / sum^2
    def chk(r, n):
        x, p, y = _setup(r, n)
        return close(_J(x), _quot(x))
    return all_draws(chk)


def step_182_0():  # e_i' = d exp(x_i)/dx_i
    def chk(r, n):
        x, p, y = _setup(r, n)
        return close(np.diag(num_grad(np.exp, x)), [num_grad(lambda u: np.exp(u[i]), x)[i] for i in range(n)])
    return all_draws(chk)


def step_183_0():  # = exp(x_i)
    def chk(r, n):
        x, p, y = _setup(r, n)
        return close([num_grad(lambda u: np.exp(u[i]), x)[i] for i in range(n)], np.exp(x))
    return all_draws(chk)


def step_184_0():  # e_i' = e_i
    def chk(r, n):
        x, p, y = _setup(r, n)
        return close(np.diag(num_grad(np.exp, x)), np.exp(x))
    return all_draws(chk)


def _dsum(x):
    return num_grad(lambda u: np.sum(np.exp(u)), x)  # [i] = d sum / d x_i


def step_192_0():  # sum' = d(exp(x_1) + ... + exp(x_n))/dx_i
    def chk(r, n):
        x, p, y = _setup(r, n)
        return close(_dsum(x), num_grad(lambda u: sum(np.exp(u[k]) for k in range(n)), x))
    return all_draws(chk)


def step_193_0():  # = d exp(x_1)/dx_i + ... + d exp(x_n)/dx_i
    def chk(r, n):
        x, p, y = _setup(r, n)
        parts = sum(num_grad(lambda u, k=k: np.exp(u[k]), x) for k in range(n))
        return close(num_grad(lambda u: sum(np.exp(u[k]) for k in range(n)), x), parts)
    return all_draws(chk)


def step_201_0():  # sum' = d exp(x_i)/dx_i
    def chk(r, n):
        x, p, y = _setup(r, n)
        return close(_dsum(x), [num_grad(lambda u: np.exp(u[i]), x)[i] for i in range(n)])
    return all_draws(chk)


def step_202_0():  # = exp(x_i)
    return step_183_0()


def step_203_0():  # sum' = e_i
    def chk(r, n):
        x, p, y = _setup(r, n)
        return close(_dsum(x), np.exp(x))
    return all_draws(chk)


def step_211_0():  # (e_i' sum - e_i sum')/sum^2 = (e_i sum - e_i e_i)/sum^2
    def chk(r, n):
        x, p, y = _setup(r, n)
        e, S = np.exp(x), np.sum(np.exp(x))
        return close(np.diag(_quot(x)), (e * S - e * e) / S**2)
    return all_draws(chk)


def step_212_0():  # = e_i/sum ((sum - e_i)/sum)
    def chk(r, n):
        x, p, y = _setup(r, n)
        e, S = np.exp(x), np.sum(np.exp(x))
        return close((e * S - e * e) / S**2, e / S * ((S - e) / S))
    return all_draws(chk)


def step_213_0():  # = e_i/sum (sum/sum - e_i/sum)
    def chk(r, n):
        x, p, y = _setup(r, n)
        e, S = np.exp(x), np.sum(np.exp(x))
        return close(e / S * ((S - e) / S), e / S * (S / S - e / S))
    return all_draws(chk)


def step_214_0():  # = p_i (1 - p_i)
    def chk(r, n):
        x, p, y = _setup(r, n)
        e, S = np.exp(x), np.sum(np.exp(x))
        return close(e / S * (S / S - e / S), p * (1 - p))
    return all_draws(chk)


def step_225_0():  # sum' (= d sum/dx_i) = d exp(x_1)/dx_j + ... + d exp(x_n)/dx_j, j != i: false
    def chk(r, n):
        x, p, y = _setup(r, n)
        d = _dsum(x)
        return all(close(d[i], d[j]) for i, j in _pairs(n))
    return all_draws(chk, sizes=(2, 3, 5))


def step_233_0():  # sum' = d exp(x_j)/dx_j, j != i: false
    def chk(r, n):
        x, p, y = _setup(r, n)
        d = _dsum(x)
        return all(close(d[i], num_grad(lambda u: np.exp(u[j]), x)[j]) for i, j in _pairs(n))
    return all_draws(chk, sizes=(2, 3, 5))


def step_234_0():  # d exp(x_j)/dx_j = exp(x_j)
    def chk(r, n):
        x, p, y = _setup(r, n)
        return all(close(num_grad(lambda u: np.exp(u[j]), x)[j], np.exp(x[j])) for j in range(n))
    return all_draws(chk)


def step_235_0():  # sum' = e_j, j != i: false (sum' = e_i)
    def chk(r, n):
        x, p, y = _setup(r, n)
        d = _dsum(x)
        return all(close(d[i], np.exp(x[j])) for i, j in _pairs(n))
    return all_draws(chk, sizes=(2, 3, 5))


def step_243_0():  # (e_j' sum - e_j sum')/sum^2 = (0 sum - e_i e_j)/sum^2, j != i
    def chk(r, n):
        x, p, y = _setup(r, n)
        Q = _quot(x)
        e, S = np.exp(x), np.sum(np.exp(x))
        return all(close(Q[j, i], (0 * S - e[i] * e[j]) / S**2) for i, j in _pairs(n))
    return all_draws(chk, sizes=(2, 3, 5))


def step_244_0():  # = -e_i e_j / sum^2
    def chk(r, n):
        x, p, y = _setup(r, n)
        e, S = np.exp(x), np.sum(np.exp(x))
        return all(close((0 * S - e[i] * e[j]) / S**2, -e[i] * e[j] / S**2) for i, j in _pairs(n))
    return all_draws(chk, sizes=(2, 3, 5))


def step_245_0():  # = -e_i/sum e_j/sum
    def chk(r, n):
        x, p, y = _setup(r, n)
        e, S = np.exp(x), np.sum(np.exp(x))
        return all(close(-e[i] * e[j] / S**2, -e[i] / S * e[j] / S) for i, j in _pairs(n))
    return all_draws(chk, sizes=(2, 3, 5))


def step_246_0():  # = -p_i p_j
    def chk(r, n):
        x, p, y = _setup(r, n)
        e, S = np.exp(x), np.sum(np.exp(x))
        return all(close(-e[i] / S * e[j] / S, -p[i] * p[j]) for i, j in _pairs(n))
    return all_draws(chk, sizes=(2, 3, 5))


def _term(x, y):
    """[j, i] = dL/dp_j dp_j/dx_i."""
    p = softmax(x)
    return _dL_dp(p, y)[:, None] * _J(x)


def step_256_0():  # dL/dp_i dp_i/dx_i = (-y_i/p_i) p_i (1 - p_i)
    def chk(r, n):
        x, p, y = _setup(r, n)
        return close(np.diag(_term(x, y)), (-y / p) * p * (1 - p))
    return all_draws(chk)


def step_257_0():  # = -y_i (1 - p_i)
    def chk(r, n):
        x, p, y = _setup(r, n)
        return close((-y / p) * p * (1 - p), -y * (1 - p))
    return all_draws(chk)


def step_258_0():  # = -y_i + p_i   (false when y_i = 0: the true value is -y_i + y_i p_i)
    def chk(r, n):
        x, p, y = _setup(r, n)
        return close(-y * (1 - p), -y + p)
    return all_draws(chk)


def step_259_0():  # -y_i + p_i = p_i - y_i
    def chk(r, n):
        x, p, y = _setup(r, n)
        return close(-y + p, p - y)
    return all_draws(chk)


def step_267_0():  # dL/dp_j dp_j/dx_i = (-y_j/p_j)(-p_i p_j), j != i
    def chk(r, n):
        x, p, y = _setup(r, n)
        T = _term(x, y)
        return all(close(T[j, i], (-y[j] / p[j]) * (-p[i] * p[j])) for i, j in _pairs(n))
    return all_draws(chk, sizes=(2, 3, 5))


def step_268_0():  # = y_j/p_j p_i p_j
    def chk(r, n):
        x, p, y = _setup(r, n)
        return all(close((-y[j] / p[j]) * (-p[i] * p[j]), y[j] / p[j] * p[i] * p[j]) for i, j in _pairs(n))
    return all_draws(chk, sizes=(2, 3, 5))


def step_269_0():  # = p_i y_j
    def chk(r, n):
        x, p, y = _setup(r, n)
        return all(close(y[j] / p[j] * p[i] * p[j], p[i] * y[j]) for i, j in _pairs(n))
    return all_draws(chk, sizes=(2, 3, 5))


def _sum_with_slip(p, y, i):
    n = len(p)
    return sum(p[i] * y[j] for j in range(n) if j != i) + (p[i] - y[i])


def step_280_0():  # dL/dx_i = p_i y_1 + ... + (p_i - y_i) + ... + p_i y_n   (false when y_i = 0)
    def chk(r, n):
        x, p, y = _setup(r, n)
        g = num_grad(lambda u: _L(u, y), x)
        return close(g, [_sum_with_slip(p, y, i) for i in range(n)])
    return all_draws(chk)


def step_281_0():  # = p_i y_1 + ... + p_i + ... + p_i y_n - y_i
    def chk(r, n):
        x, p, y = _setup(r, n)
        a = [_sum_with_slip(p, y, i) for i in range(n)]
        b = [sum(p[i] * y[j] for j in range(n) if j != i) + p[i] - y[i] for i in range(n)]
        return close(a, b)
    return all_draws(chk)


def step_282_0():  # = p_i (y_1 + ... + y_n) - y_i   (the lone p_i became p_i y_i: false when y_i = 0)
    def chk(r, n):
        x, p, y = _setup(r, n)
        b = [sum(p[i] * y[j] for j in range(n) if j != i) + p[i] - y[i] for i in range(n)]
        return close(b, p * np.sum(y) - y)
    return all_draws(chk)


def step_283_0():  # = p_i - y_i
    def chk(r, n):
        x, p, y = _setup(r, n)
        return close(p * np.sum(y) - y, p - y)
    return all_draws(chk)


def step_291_0():  # dL/dx = (p_1 - y_1, ..., p_n - y_n)
    def chk(r, n):
        x, p, y = _setup(r, n)
        return close(num_grad(lambda u: _L(u, y), x), np.array([p[k] - y[k] for k in range(n)]))
    return all_draws(chk)


def step_299_0():  # dL/dx = p - y
    def chk(r, n):
        x, p, y = _setup(r, n)
        return close(num_grad(lambda u: _L(u, y), x), p - y)
    return all_draws(chk)


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
