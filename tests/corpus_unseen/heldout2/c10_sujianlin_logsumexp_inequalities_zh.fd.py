"""Finite-difference checks of c10_sujianlin_logsumexp_inequalities_zh.md (lse = log sum exp; p a probability vector; eps any point in (0, 1))."""
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


def _lse(x):
    return np.log(np.sum(np.exp(x)))


def step_32_0():  # sum_i e^{x_max} = n e^{x_max}
    def chk(r, n):
        x = r.normal(size=n)
        m = np.max(x)
        return close(sum(np.exp(m) for _ in range(n)), n * np.exp(m))
    return all_draws(chk)


def step_50_0():  # [e^{(sum p_i x_i / 2)}]^2 = e^{(sum p_i x_i)}
    def chk(r, n):
        x = r.normal(size=n)
        p = r.dirichlet(np.ones(n))
        return close(np.exp(np.sum(p * x) / 2) ** 2, np.exp(np.sum(p * x)))
    return all_draws(chk)


def _f(x, y):
    return lambda t: _lse(t * x + (1 - t) * y)


def step_66_1():  # (f(1) - f(0)) / (1 - 0) = lse(x) - lse(y)
    def chk(r, n):
        x, y = r.normal(size=n), r.normal(size=n)
        f = _f(x, y)
        return close((f(1.0) - f(0.0)) / (1 - 0), _lse(x) - _lse(y))
    return all_draws(chk)


def step_68_0():  # f'(eps) = sum e^{eps x_i + (1-eps) y_i}(x_i - y_i) / sum e^{eps x_i + (1-eps) y_i}, every eps
    def chk(r, n):
        x, y = r.normal(size=n), r.normal(size=n)
        eps = r.uniform(0.05, 0.95)
        w = np.exp(eps * x + (1 - eps) * y)
        d = num_grad(lambda t: _f(x, y)(t[0]), np.array([eps]))[0]
        return close(d, np.sum(w * (x - y)) / np.sum(w))
    return all_draws(chk)


def step_71_0():  # sum w_i |x - y|_inf / sum w_i = |x - y|_inf
    def chk(r, n):
        x, y = r.normal(size=n), r.normal(size=n)
        eps = r.uniform(0.05, 0.95)
        w = np.exp(eps * x + (1 - eps) * y)
        inf = np.max(np.abs(x - y))
        return close(np.sum(w * inf) / np.sum(w), inf)
    return all_draws(chk)


def step_82_0():  # t lse(x) + (1-t) lse(y) = log (sum e^{x_i})^t (sum e^{y_i})^{1-t}
    def chk(r, n):
        x, y = r.normal(size=n), r.normal(size=n)
        t = r.uniform(0, 1)
        return close(t * _lse(x) + (1 - t) * _lse(y), np.log(np.sum(np.exp(x)) ** t * np.sum(np.exp(y)) ** (1 - t)))
    return all_draws(chk)


def step_84_0():  # log sum e^{t x_i + (1-t) y_i} = lse(t x + (1-t) y)
    def chk(r, n):
        x, y = r.normal(size=n), r.normal(size=n)
        t = r.uniform(0, 1)
        return close(np.log(np.sum(np.exp(t * x + (1 - t) * y))), _lse(t * x + (1 - t) * y))
    return all_draws(chk)


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
