
"""Finite-difference checks of a11_elghaoui_lse_quadratic_approx.md."""
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
    return np.log(np.exp(x[0]) + np.exp(x[1]))


def _hess(x):
    return num_grad(lambda u: num_grad(_lse, u, h=1e-4), x, h=1e-4)


def step_19_0():  # grad lse(x) = 1/(z_1 + z_2) (z_1, z_2), z_i = e^{x_i}
    def chk(r, n):
        x = r.normal(size=2)
        z = np.exp(x)
        return close(num_grad(_lse, x), z / (z[0] + z[1]))
    return all_draws(chk, sizes=(2,))


def step_19_1():  # Hess lse(x) = z_1 z_2 / (z_1 + z_2)^2 [[1, -1], [-1, 1]]
    def chk(r, n):
        x = r.normal(size=2)
        z = np.exp(x)
        return close(_hess(x), z[0] * z[1] / (z[0] + z[1]) ** 2 * np.array([[1, -1], [-1, 1]]), 1e-5)
    return all_draws(chk, sizes=(2,))


def step_23_0():  # lse(x) + h^T grad + h^T Hess h / 2 = lse(x) + (h_1 e^{x_1} + h_2 e^{x_2})/(e^{x_1} + e^{x_2})
    #                                                     + e^{x_1 + x_2} / (2 (e^{x_1} + e^{x_2})^2) (h_1 - h_2)^2
    def chk(r, n):
        x, h = r.normal(size=2), r.normal(size=2)
        e = np.exp(x)
        lhs = _lse(x) + h @ num_grad(_lse, x) + 0.5 * h @ _hess(x) @ h
        rhs = _lse(x) + (h[0] * e[0] + h[1] * e[1]) / (e[0] + e[1]) + np.exp(x[0] + x[1]) / (2 * (e[0] + e[1]) ** 2) * (h[0] - h[1]) ** 2
        return close(lhs, rhs, 1e-5)
    return all_draws(chk, sizes=(2,))


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
