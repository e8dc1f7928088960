"""Finite-difference checks of c06_xinw8023_softmax_derivative_minitorch.md (s = softmax(x), E = exp(x), Z = sum E; z != i)."""
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


def _entry(rhs, same):
    """d (e^{x_a}/Z)/dx_i equals rhs(x, s, E, Z, a, i) for a = i (same) or every a != i."""
    def chk(r, n):
        x = r.normal(size=n)
        s = softmax(x)
        E = np.exp(x)
        Z = np.sum(E)
        J = num_grad(softmax, x).T  # J[a, i] = d s_a / d x_i
        pairs = [(i, i) for i in range(n)] if same else [(a, i) for a in range(n) for i in range(n) if a != i]
        return all(close(J[a, i], rhs(x, s, E, Z, a, i)) for a, i in pairs)
    return all_draws(chk, sizes=(1, 2, 3, 5) if same else (2, 3, 5))


def step_41_0():  # d(e^{x_i}/Z)/dx_i = e^{x_i}/Z - e^{x_i} e^{x_i}/Z^2
    return _entry(lambda x, s, E, Z, a, i: E[i] / Z - E[i] * E[i] / Z**2, True)


def step_42_0():  # = e^{x_i}/Z (1 - e^{x_i}/Z)
    return _entry(lambda x, s, E, Z, a, i: E[i] / Z * (1 - E[i] / Z), True)


def step_44_0():  # v (1 - v) = v - v^2 for v = Softmax(x_i), any value
    def chk(r, n):
        v = r.normal(size=n)
        return close(v * (1 - v), v - v**2)
    return all_draws(chk)


def step_53_0():  # d(e^{x_z}/Z)/dx_i = 0 - e^{x_z} e^{x_i}/Z^2   (z != i)
    return _entry(lambda x, s, E, Z, a, i: 0 - E[a] * E[i] / Z**2, False)


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
