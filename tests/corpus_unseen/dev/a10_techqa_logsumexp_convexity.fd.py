
"""Finite-difference checks of a10_techqa_logsumexp_convexity.md."""
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


def _hess(x):
    g = lambda u: num_grad(_lse, u, h=1e-4)  # noqa: E731
    return num_grad(g, x, h=1e-4)


HTOL = 1e-5  # second differences: looser tolerance


def step_12_0():  # d^2/dx_k dx_j log sum e^{x_i} = -e^{x_k} e^{x_j} / (sum e^{x_i})^2, j != k
    def chk(r, n):
        x = r.normal(size=n)
        Hm, e, S = _hess(x), np.exp(x), np.sum(np.exp(x))
        return all(close(Hm[k, j], -e[k] * e[j] / S**2, HTOL) for k in range(n) for j in range(n) if j != k)
    return all_draws(chk, sizes=(2, 3, 5))


def step_18_0():  # d^2/dx_k^2 log sum e^{x_i} = e^{x_k}(sum e^{x_i} - e^{x_k}) / (sum e^{x_i})^2
    def chk(r, n):
        x = r.normal(size=n)
        Hm, e, S = _hess(x), np.exp(x), np.sum(np.exp(x))
        return close(np.diag(Hm), e * (S - e) / S**2, HTOL)
    return all_draws(chk)


def _t(x):
    s = 1 / np.sum(np.exp(x))
    return s * np.exp(x)


def step_24_4():  # sum_i t_i = 1
    return all_draws(lambda r, n: close(np.sum(_t(r.normal(size=n))), 1.0))


def step_24_5():  # Q(u) = sum t_i u_i^2 * sum t_i - (sum t_i u_i)^2, Q(u) = sum t_i(1-t_i)u_i^2 - sum_{i!=j} t_i t_j u_i u_j
    def chk(r, n):
        x, u = r.normal(size=n), r.normal(size=n)
        t = _t(x)
        Q = np.sum(t * (1 - t) * u**2) - sum(t[i] * t[j] * u[i] * u[j] for i in range(n) for j in range(n) if i != j)
        return close(Q, np.sum(t * u**2) * np.sum(t) - np.sum(t * u) ** 2) and close(Q, u @ _hess(x) @ u, HTOL)
    return all_draws(chk)


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
