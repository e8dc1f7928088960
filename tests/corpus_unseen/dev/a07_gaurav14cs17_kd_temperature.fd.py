
"""Finite-difference checks of a07_gaurav14cs17_kd_temperature.md (L_KD = T^2 KL as the note defines it)."""
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


def _kl(p, q):
    return np.sum(p * np.log(p)) - np.sum(p * np.log(q))  # entropy form of KL(p || q)


def _LKD(zs, zt, T):
    return T**2 * _kl(softmax(zt / T), softmax(zs / T))


def step_64_0():  # d sigma_T(z)_i / d z_j = (1/T) sigma_i (delta_ij - sigma_j)
    def chk(r, n):
        z, T = r.normal(size=n), r.uniform(0.5, 5.0)
        s = softmax(z / T)
        J = num_grad(lambda u: softmax(u / T), z).T
        return close(J, (np.diag(s) - np.outer(s, s)) / T)
    return all_draws(chk)


def step_78_0():  # T^2 KL(sigma_T(z_T) || sigma_T(z_S)) = T^2 sum_i sigma_T(z_T)_i log(sigma_T(z_T)_i / sigma_T(z_S)_i)
    def chk(r, n):
        zs, zt, T = r.normal(size=n), r.normal(size=n), r.uniform(0.5, 5.0)
        p, q = softmax(zt / T), softmax(zs / T)
        return close(T**2 * _kl(p, q), T**2 * np.sum(p * np.log(p / q)))
    return all_draws(chk)


def step_98_0():  # dL_KD/dz_S = (1/T)(sigma_T(z_S) - sigma_T(z_T)), with L_KD = T^2 KL: false for T > 1
    def chk(r, n):
        zs, zt, T = r.normal(size=n), r.normal(size=n), r.choice([2.0, 3.0, 5.0])
        g = num_grad(lambda u: _LKD(u, zt, T), zs)
        return close(g, (softmax(zs / T) - softmax(zt / T)) / T)
    return all_draws(chk, sizes=(2, 3, 5))


def step_105_0():  # d(T^2 L_KD)/dz_S = T(sigma_T(z_S) - sigma_T(z_T)), with L_KD = T^2 KL: false for T > 1
    def chk(r, n):
        zs, zt, T = r.normal(size=n), r.normal(size=n), r.choice([2.0, 3.0, 5.0])
        g = num_grad(lambda u: T**2 * _LKD(u, zt, T), zs)
        return close(g, T * (softmax(zs / T) - softmax(zt / T)))
    return all_draws(chk, sizes=(2, 3, 5))


def step_112_0():  # dL_CE/dz_S = sigma_1(z_S) - y   (L_CE = CE(y, sigma_1(z_S)), y one-hot)
    def chk(r, n):
        zs = r.normal(size=n)
        y = onehot(n, r.integers(n))
        g = num_grad(lambda u: -np.sum(y * np.log(softmax(u))), zs)
        return close(g, softmax(zs) - y)
    return all_draws(chk)


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
