"""Finite-difference checks of e01_techqa_1503947_lse_convex.md (f = log sum e^{x_i}, y = e^x, S = sum y_i, v a random direction)."""
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

HTOL = 1e-5  # second differences: looser tolerance


def _f(x):
    return np.log(np.sum(np.exp(x)))


def _hess(x):
    g = lambda u: num_grad(_f, u, h=1e-4)  # noqa: E731
    return num_grad(g, x, h=1e-4)


def step_15_1():  # dy_i/dx_i = y_i
    return all_draws(lambda r, n: close(np.diag(num_grad(np.exp, (x := r.normal(size=n)))), np.exp(x)))


def step_17_0():  # grad f = 1/sum y [y_1 .. y_n]^T
    def chk(r, n):
        x = r.normal(size=n)
        y = np.exp(x)
        return close(num_grad(_f, x), y / np.sum(y))
    return all_draws(chk)


def step_19_0():  # Hessian entries: y_i(S - y_i)/S^2 on the diagonal, -y_i y_j/S^2 off it
    def chk(r, n):
        x = r.normal(size=n)
        y = np.exp(x)
        S = np.sum(y)
        want = np.array([[y[i] * (S - y[i]) / S**2 if i == j else -y[i] * y[j] / S**2 for j in range(n)] for i in range(n)])
        return close(_hess(x), want, HTOL)
    return all_draws(chk)


def step_25_1():  # nabla^2 f = S^{-2}(S diag(y) - y y^T)
    def chk(r, n):
        x = r.normal(size=n)
        y = np.exp(x)
        S = np.sum(y)
        return close(_hess(x), S**-2 * (S * np.diag(y) - np.outer(y, y)), HTOL)
    return all_draws(chk)


def step_25_2():  # S^2 v^T H v = v^T (S diag(y) - y y^T) v
    def chk(r, n):
        x, v = r.normal(size=n), r.normal(size=n)
        y = np.exp(x)
        S = np.sum(y)
        return close(S**2 * v @ _hess(x) @ v, v @ (S * np.diag(y) - np.outer(y, y)) @ v, HTOL)
    return all_draws(chk)


def step_25_3():  # = sum y_i * sum y_i v_i^2 - (sum y_i v_i)^2
    def chk(r, n):
        x, v = r.normal(size=n), r.normal(size=n)
        y = np.exp(x)
        S = np.sum(y)
        return close(v @ (S * np.diag(y) - np.outer(y, y)) @ v, np.sum(y) * np.sum(y * v**2) - np.sum(y * v) ** 2)
    return all_draws(chk)


def step_25_7():  # sum y_i v_i = sum z_i w_i, z_i = y_i^{1/2}, w_i = y_i^{1/2} v_i
    def chk(r, n):
        y, v = np.exp(r.normal(size=n)), r.normal(size=n)
        return close(np.sum(y * v), np.sum(np.sqrt(y) * np.sqrt(y) * v))
    return all_draws(chk)


def step_25_8():  # (sum z_i^2)(sum w_i^2) = (sum y_i)(sum y_i v_i^2)
    def chk(r, n):
        y, v = np.exp(r.normal(size=n)), r.normal(size=n)
        z, w = np.sqrt(y), np.sqrt(y) * v
        return close(np.sum(z**2) * np.sum(w**2), np.sum(y) * np.sum(y * v**2))
    return all_draws(chk)


def step_25_9():  # nabla^2 f(x) 1 = 0
    return all_draws(lambda r, n: close(_hess(r.normal(size=n)) @ np.ones(n), np.zeros(n), HTOL))


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
