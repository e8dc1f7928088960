# ruff: noqa: RUF059  (unpacked names are kept so every check reads alike)
"""Finite-difference checks of a03_yanfenglee_softmax_ce_readme.md."""
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
    z = r.normal(size=n)
    a = softmax(z)
    y = r.dirichlet(np.ones(n))  # a label distribution (sums to 1); one-hot is a special case
    J = num_grad(softmax, z).T  # J[j, i] = d a_j / d z_i
    return z, a, y, J


def step_17_0():  # d a_j / d z_i = a_i (1 - a_i), i = j
    def chk(r, n):
        z, a, y, J = _setup(r, n)
        return close(np.diag(J), a * (1 - a))
    return all_draws(chk)


def step_18_0():  # d a_j / d z_i = -a_i a_j, i != j
    def chk(r, n):
        z, a, y, J = _setup(r, n)
        return all(close(J[j, i], -a[i] * a[j]) for i in range(n) for j in range(n) if i != j)
    return all_draws(chk, sizes=(2, 3, 5))



def step_26_0():  # dL/dz_i = -sum_k y_k (1/a_k) d a_k / d z_i
    def chk(r, n):
        z, a, y, J = _setup(r, n)
        g = num_grad(lambda u: -np.sum(y * np.log(softmax(u))), z)
        return close(g, [-sum(y[k] / a[k] * J[k, i] for k in range(n)) for i in range(n)])
    return all_draws(chk)


def step_27_0():  # = -y_i(1-a_i) - sum_{k != i} y_k (1/a_k)(-a_k a_i)
    def chk(r, n):
        z, a, y, J = _setup(r, n)
        lhs = [-sum(y[k] / a[k] * J[k, i] for k in range(n)) for i in range(n)]
        rhs = [-y[i] * (1 - a[i]) - sum(y[k] / a[k] * (-a[k] * a[i]) for k in range(n) if k != i) for i in range(n)]
        return close(lhs, rhs)
    return all_draws(chk)


def step_28_0():  # = -y_i(1-a_i) + sum_{k != i} y_k a_i
    def chk(r, n):
        z, a, y, J = _setup(r, n)
        lhs = [-y[i] * (1 - a[i]) - sum(y[k] / a[k] * (-a[k] * a[i]) for k in range(n) if k != i) for i in range(n)]
        rhs = [-y[i] * (1 - a[i]) + sum(y[k] * a[i] for k in range(n) if k != i) for i in range(n)]
        return close(lhs, rhs)
    return all_draws(chk)


def step_29_0():  # = -y_i + y_i a_i + sum_{k != i} y_k a_i
    def chk(r, n):
        z, a, y, J = _setup(r, n)
        lhs = [-y[i] * (1 - a[i]) + sum(y[k] * a[i] for k in range(n) if k != i) for i in range(n)]
        rhs = [-y[i] + y[i] * a[i] + sum(y[k] * a[i] for k in range(n) if k != i) for i in range(n)]
        return close(lhs, rhs)
    return all_draws(chk)


def step_30_0():  # = a_i sum_k y_k - y_i
    def chk(r, n):
        z, a, y, J = _setup(r, n)
        lhs = [-y[i] + y[i] * a[i] + sum(y[k] * a[i] for k in range(n) if k != i) for i in range(n)]
        return close(lhs, a * np.sum(y) - y)
    return all_draws(chk)


def step_31_0():  # = a_i - y_i   (sum_k y_k = 1)
    def chk(r, n):
        z, a, y, J = _setup(r, n)
        return close(a * np.sum(y) - y, a - y)
    return all_draws(chk)


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
