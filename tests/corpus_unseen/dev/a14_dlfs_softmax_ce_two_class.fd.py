
"""Finite-difference checks of a14_dlfs_softmax_ce_two_class.ipynb (functions step_CELL_LINE_n).

Two classes: a = y_1 in {0, 1}, b = e^{x_2} > 0, f(x) = e^x / (e^x + b), SC(x) = -a log f - (1 - a) log(1 - f).
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


def _ab(r):
    return [(a, float(np.exp(r.normal()))) for a in (0.0, 1.0)]


def _f(x, b):
    return np.exp(x) / (np.exp(x) + b)


def _fp(x, b):
    return float(num_grad(lambda u: _f(u[0], b), np.array([x]))[0])


def _SC(x, a, b):
    return -a * np.log(_f(x, b)) - (1 - a) * np.log(1 - _f(x, b))


def _each(check):
    """check(x, a, b) for a in {0, 1} and random x, b."""
    def chk(r, n):
        x = r.normal()
        return all(check(x, a, b) for a, b in _ab(r))
    return all_draws(chk, sizes=(1,))


def step_4_3_0():  # C(p, y) = -log(1-p) if y = 0, -log(p) if y = 1
    def chk(r, n):
        p = r.uniform(0.05, 0.95)
        C = lambda y: -y * np.log(p) - (1 - y) * np.log(1 - p)  # noqa: E731
        return close(C(0), -np.log(1 - p)) and close(C(1), -np.log(p))
    return all_draws(chk, sizes=(1,))


def step_5_1_1():  # -y_1 log(S(p)_1) - (1-y_1) log(1 - S(p)_1) = -y_1 log(e^{p_1}/(e^{p_1}+e^{p_2})) - ...
    def chk(r, n):
        p, y1 = r.normal(size=2), float(r.integers(2))
        S1 = softmax(p)[0]
        e = np.exp(p)
        return close(-y1 * np.log(S1) - (1 - y1) * np.log(1 - S1),
                     -y1 * np.log(e[0] / (e[0] + e[1])) - (1 - y1) * np.log(1 - e[0] / (e[0] + e[1])))
    return all_draws(chk, sizes=(2,))


def step_6_11_0():  # quotient rule f' = (g' h - g h') / h^2 (checked on random g = c sin + d, h = e^{kx} + 2)
    def chk(r, n):
        x, c, d, k = r.normal(size=4)
        g = lambda t: c * np.sin(t) + d  # noqa: E731
        h = lambda t: np.exp(k * t) + 2  # noqa: E731
        gp, hp = c * np.cos(x), k * np.exp(k * x)
        fp = float(num_grad(lambda u: g(u[0]) / h(u[0]), np.array([x]))[0])
        return close(fp, (gp * h(x) - g(x) * hp) / h(x) ** 2)
    return all_draws(chk, sizes=(1,))


def step_7_5_0():  # f'(x) = (e^x (e^x + b) - e^x e^x) / (e^x + b)^2
    return _each(lambda x, a, b: close(_fp(x, b), (np.exp(x) * (np.exp(x) + b) - np.exp(x) * np.exp(x)) / (np.exp(x) + b) ** 2))


def step_7_6_0():  # = e^x (e^x + b - e^x) / (e^x + b)^2
    return _each(lambda x, a, b: close((np.exp(x) * (np.exp(x) + b) - np.exp(x) ** 2) / (np.exp(x) + b) ** 2,
                                      np.exp(x) * (np.exp(x) + b - np.exp(x)) / (np.exp(x) + b) ** 2))


def step_7_7_0():  # = e^x b / (e^x + b)^2
    return _each(lambda x, a, b: close(np.exp(x) * (np.exp(x) + b - np.exp(x)) / (np.exp(x) + b) ** 2,
                                      np.exp(x) * b / (np.exp(x) + b) ** 2))


def step_8_7_0():  # g'(x) = -a f'/f - (1-a) (-f')/(1-f)
    def check(x, a, b):
        g = float(num_grad(lambda u: _SC(u[0], a, b), np.array([x]))[0])
        f, fp = _f(x, b), _fp(x, b)
        return close(g, -a * fp / f - (1 - a) * (-fp) / (1 - f))
    return _each(check)


def _D(x, b):
    return np.exp(x) + b


def step_8_12_0():  # f'/f = (e^x b/(e^x+b)^2) / (e^x/(e^x+b))
    return _each(lambda x, a, b: close(_fp(x, b) / _f(x, b), (np.exp(x) * b / _D(x, b) ** 2) / (np.exp(x) / _D(x, b))))


def step_8_13_0():  # = -e^x b/(e^x+b)^2 * (e^x+b)/e^x   (spurious minus: false)
    return _each(lambda x, a, b: close((np.exp(x) * b / _D(x, b) ** 2) / (np.exp(x) / _D(x, b)),
                                      -np.exp(x) * b / _D(x, b) ** 2 * _D(x, b) / np.exp(x)))


def step_8_15_0():  # -e^x b/(e^x+b)^2 * (e^x+b)/e^x = b/(e^x+b)   (false against the member before it)
    return _each(lambda x, a, b: close(-np.exp(x) * b / _D(x, b) ** 2 * _D(x, b) / np.exp(x), b / _D(x, b)))


def step_9_3_0():  # b/(e^x+b) = 1 - e^x/(e^x+b)
    return _each(lambda x, a, b: close(b / _D(x, b), 1 - np.exp(x) / _D(x, b)))


def step_10_2_0():  # -f'/(1-f) = (-1 * e^x b/(e^x+b)^2) / (1 - e^x/(e^x+b))
    return _each(lambda x, a, b: close(-_fp(x, b) / (1 - _f(x, b)),
                                      (-1 * np.exp(x) * b / _D(x, b) ** 2) / (1 - np.exp(x) / _D(x, b))))


def step_10_3_0():  # = (-e^x b/(e^x+b)^2) / (b/(e^x+b))
    return _each(lambda x, a, b: close((-1 * np.exp(x) * b / _D(x, b) ** 2) / (1 - np.exp(x) / _D(x, b)),
                                      (-np.exp(x) * b / _D(x, b) ** 2) / (b / _D(x, b))))


def step_10_4_0():  # = -e^x b/(e^x+b)^2 * (e^x+b)/b
    return _each(lambda x, a, b: close((-np.exp(x) * b / _D(x, b) ** 2) / (b / _D(x, b)),
                                      -np.exp(x) * b / _D(x, b) ** 2 * _D(x, b) / b))


def step_10_6_0():  # = -e^x/(e^x+b)
    return _each(lambda x, a, b: close(-np.exp(x) * b / _D(x, b) ** 2 * _D(x, b) / b, -np.exp(x) / _D(x, b)))


def step_11_3_0():  # SC'(x) = -a f'/f - (1-a)(-f')/(1-f)
    return step_8_7_0()


def _E(x, b):
    return np.exp(x) / _D(x, b)


def step_11_4_0():  # = -a b/(e^x+b) - (1-a)(-e^x/(e^x+b))
    return _each(lambda x, a, b: close(-a * _fp(x, b) / _f(x, b) - (1 - a) * (-_fp(x, b)) / (1 - _f(x, b)),
                                      -a * b / _D(x, b) - (1 - a) * (-_E(x, b))))


def step_11_5_0():  # = -a b/(e^x+b) + e^x/(e^x+b) - a(-e^x/(e^x+b))   (sign slip: false when a = 1)
    return _each(lambda x, a, b: close(-a * b / _D(x, b) - (1 - a) * (-_E(x, b)),
                                      -a * b / _D(x, b) + _E(x, b) - a * (-_E(x, b))))


def step_11_6_0():  # = -a(1 - e^x/(e^x+b)) + e^x/(e^x+b) - a(-e^x/(e^x+b))
    return _each(lambda x, a, b: close(-a * b / _D(x, b) + _E(x, b) - a * (-_E(x, b)),
                                      -a * (1 - _E(x, b)) + _E(x, b) - a * (-_E(x, b))))


def step_11_7_0():  # = -a + a e^x/(e^x+b) + e^x/(e^x+b) - a(-e^x/(e^x+b))
    return _each(lambda x, a, b: close(-a * (1 - _E(x, b)) + _E(x, b) - a * (-_E(x, b)),
                                      -a + a * _E(x, b) + _E(x, b) - a * (-_E(x, b))))


def step_11_8_0():  # = -a + e^x/(e^x+b)   (drops 2a e^x/(e^x+b): false when a = 1)
    return _each(lambda x, a, b: close(-a + a * _E(x, b) + _E(x, b) - a * (-_E(x, b)), -a + _E(x, b)))


def step_12_3_1():  # s([p_1, p_2]) - [y_1, y_2] = [e^{p_1}/(e^{p_1}+e^{p_2}) - y_1, e^{p_2}/(...) - y_2]
    def chk(r, n):
        p, y = r.normal(size=2), onehot(2, r.integers(2))
        e = np.exp(p)
        return close(softmax(p) - y, np.array([e[0] / (e[0] + e[1]) - y[0], e[1] / (e[0] + e[1]) - y[1]]))
    return all_draws(chk, sizes=(2,))


def step_14_1_0():  # log(softmax(x_j)) = log(e^{x_j} / sum_i^n e^{x_j})   (the sum is n e^{x_j}: false for n >= 2)
    def chk(r, n):
        x = r.normal(size=n)
        return all(close(np.log(softmax(x)[j]), np.log(np.exp(x[j]) / sum(np.exp(x[j]) for i in range(n))))
                   for j in range(n))
    return all_draws(chk, sizes=(2, 3, 5))


def _lse(x):
    return np.log(np.sum(np.exp(x)))


def step_14_1_1():  # log(e^{x_j} / sum_i^n e^{x_j}) = x_j - logsumexp(X)   (left member is -log n: false)
    def chk(r, n):
        x = r.normal(size=n)
        return all(close(np.log(np.exp(x[j]) / sum(np.exp(x[j]) for i in range(n))), x[j] - _lse(x)) for j in range(n))
    return all_draws(chk, sizes=(2, 3, 5))


def step_14_3_0():  # softmax(x_j) = e^{log(softmax(x_j))}
    def chk(r, n):
        s = softmax(r.normal(size=n))
        return close(s, np.exp(np.log(s)))
    return all_draws(chk)


def step_14_5_1():  # log(sum_i e^{x_i}) = c + log(sum_i e^{x_i - c})
    def chk(r, n):
        x, c = r.normal(size=n), r.normal() * 3
        return close(np.log(np.sum(np.exp(x))), c + np.log(np.sum(np.exp(x - c))))
    return all_draws(chk)


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
