# ruff: noqa: RUF059  (unpacked names are kept so every check reads alike)
"""Finite-difference checks of a12_postnetwork_softmax_ce_logits.md (en dashes read as minus signs)."""
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
    yh = softmax(z)
    y = onehot(n, r.integers(n))
    return z, yh, y, num_grad(softmax, z).T  # J[i, j] = d yhat_i / d z_j


def step_23_0():  # dL/d yhat_i = - y_i / yhat_i
    def chk(r, n):
        z, yh, y, J = _setup(r, n)
        return close(num_grad(lambda q: -np.sum(y * np.log(q)), yh), -y / yh)
    return all_draws(chk)


def step_41_0():  # d yhat_i / d z_i = yhat_i (1 - yhat_i)
    def chk(r, n):
        z, yh, y, J = _setup(r, n)
        return close(np.diag(J), yh * (1 - yh))
    return all_draws(chk)


def step_46_0():  # d yhat_i / d z_j = - yhat_i yhat_j, i != j
    def chk(r, n):
        z, yh, y, J = _setup(r, n)
        return all(close(J[i, j], -yh[i] * yh[j]) for i in range(n) for j in range(n) if i != j)
    return all_draws(chk, sizes=(2, 3, 5))


def step_52_0():  # d yhat_i / d z_j = cases( yhat_i(1 - yhat_i) if i = j ; -yhat_i yhat_j if i != j )
    def chk(r, n):
        z, yh, y, J = _setup(r, n)
        cases = np.array([[yh[i] * (1 - yh[i]) if i == j else -yh[i] * yh[j] for j in range(n)] for i in range(n)])
        return close(J, cases)
    return all_draws(chk)


def _g(z, y):
    return num_grad(lambda u: -np.sum(y * np.log(softmax(u))), z)


def step_59_0():  # dL/dz_j = sum_i dL/d yhat_i d yhat_i / d z_j
    def chk(r, n):
        z, yh, y, J = _setup(r, n)
        return close(_g(z, y), J.T @ (-y / yh))
    return all_draws(chk)


def step_64_0():  # dL/dz_j = -y_j (1 - yhat_j) + sum_{i != j} y_i yhat_j
    def chk(r, n):
        z, yh, y, J = _setup(r, n)
        rhs = [-y[j] * (1 - yh[j]) + sum(y[i] * yh[j] for i in range(n) if i != j) for j in range(n)]
        return close(_g(z, y), rhs)
    return all_draws(chk)


def step_68_0():  # dL/dz_j = yhat_j - y_j
    def chk(r, n):
        z, yh, y, J = _setup(r, n)
        return close(_g(z, y), yh - y)
    return all_draws(chk)


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
