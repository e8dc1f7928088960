
"""Finite-difference checks of a09_techqa_kd_gradient_scale.md."""
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


def step_18_0():  # dC/dz_i = (1/T)(q_i - p_i), C = -sum p log q, q = softmax(z/T), p = softmax(v/T)
    def chk(r, n):
        z, v, T = r.normal(size=n), r.normal(size=n), r.uniform(1.0, 6.0)
        p = softmax(v / T)
        g = num_grad(lambda u: -np.sum(p * np.log(softmax(u / T))), z)
        return close(g, (softmax(z / T) - p) / T)
    return all_draws(chk)


def step_18_1():  # (1/T)(q_i - p_i) = (1/T)(e^{z_i/T}/sum_j e^{z_j/T} - e^{v_i/T}/sum_j e^{v_j/T})
    def chk(r, n):
        z, v, T = r.normal(size=n), r.normal(size=n), r.uniform(1.0, 6.0)
        explicit = np.exp(z / T) / np.sum(np.exp(z / T)) - np.exp(v / T) / np.sum(np.exp(v / T))
        return close((softmax(z / T) - softmax(v / T)) / T, explicit / T)
    return all_draws(chk)


def step_20_0():  # hard targets: dC/dz_i = q_i - 1 "with respect to each logit": false off the true class
    def chk(r, n):
        z = r.normal(size=n)
        y = onehot(n, r.integers(n))
        g = num_grad(lambda u: -np.sum(y * np.log(softmax(u))), z)
        return close(g, softmax(z) - 1)
    return all_draws(chk, sizes=(2, 3, 5))


def step_20_1():  # (q_i - 1) = (e^{z_i}/sum_j e^{z_j} - 1)   (q at T = 1)
    def chk(r, n):
        z = r.normal(size=n)
        return close(softmax(z) - 1, np.exp(z) / np.sum(np.exp(z)) - 1)
    return all_draws(chk)


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
