
"""Finite-difference checks of a06_gitycc_distillation_summary.md (q = softmax(z/T), as the summary defines)."""
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


def _q(z, T):
    return softmax(z / T)


def _C2(z, y, T):
    q = _q(z, T)
    return np.sum(-y * np.log(q) - (1 - y) * np.log(1 - q))


def _C1(z, v, T):
    p = softmax(v)  # p_i = exp{v_i} / sum_j exp{v_j}, as written
    q = _q(z, T)
    return np.sum(-p * np.log(q) - (1 - p) * np.log(1 - q))


def step_60_0():  # dC_2/dz_i = (1/T)(q_i - y_i): false for the binary-form C_2 of the summary
    def chk(r, n):
        z, T = r.normal(size=n), r.choice([1.0, 2.0, 4.0])
        y = onehot(n, r.integers(n))
        return close(num_grad(lambda u: _C2(u, y, T), z), (_q(z, T) - y) / T)
    return all_draws(chk, sizes=(2, 3, 5))


def step_64_0():  # dC_1/dz_i = (1/T)(q_i - p_i): false for the binary-form C_1 of the summary
    def chk(r, n):
        z, v, T = r.normal(size=n), r.normal(size=n), r.choice([1.0, 2.0, 4.0])
        return close(num_grad(lambda u: _C1(u, v, T), z), (_q(z, T) - softmax(v)) / T)
    return all_draws(chk, sizes=(2, 3, 5))


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
