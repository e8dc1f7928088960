# ruff: noqa: RUF059  (unpacked names are kept so every check reads alike)
"""Finite-difference checks of a15_greg_multinomial_loss_hessian.md.

Differentials are checked as linear functions of a random direction dz (ds = J dz with J the
finite-difference Jacobian of softmax); ":" is the dot product; y is one-hot.
"""
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
    z, dz = r.normal(size=n), r.normal(size=n)
    s = softmax(z)
    y = onehot(n, r.integers(n))
    J = num_grad(softmax, z).T  # J[i, k] = d s_i / d z_k
    return z, dz, s, y, J, np.diag(s)


def _members(z, dz, s, y, J, S):
    ds = J @ dz
    one = np.ones(len(z))
    return [
        float(num_grad(lambda u: -np.sum(y * np.log(softmax(u))), z) @ dz),  # dL itself
        -y @ (np.linalg.inv(S) @ ds),                                        # -y : S^{-1} ds
        (np.linalg.inv(S) @ y) @ (-ds),                                      # S^{-1}y : (-ds)
        (np.linalg.inv(S) @ y) @ ((np.outer(s, s) - S) @ dz),                # S^{-1}y : ((ss^T - S) dz)
        ((np.outer(s, s) - S) @ np.linalg.inv(S) @ y) @ dz,                  # (ss^T - S) S^{-1} y : dz
        ((np.outer(s, one) - np.eye(len(z))) @ y) @ dz,                      # (s 1^T - I) y : dz
        (s - y) @ dz,                                                        # (s - y) : dz
    ]


def _chain(k):
    def chk(r, n):
        m = _members(*_setup(r, n))
        return close(m[k - 1], m[k])
    return all_draws(chk)


def step_29_2():  # ds = (S - ss^T) dz
    def chk(r, n):
        z, dz, s, y, J, S = _setup(r, n)
        return close(J @ dz, (S - np.outer(s, s)) @ dz)
    return all_draws(chk)


def step_31_1():  # dL = -y : S^{-1} ds
    return _chain(1)


def step_31_2():  # = S^{-1} y : (-ds)
    return _chain(2)


def step_31_3():  # = S^{-1} y : ((ss^T - S) dz)
    return _chain(3)


def step_31_4():  # = (ss^T - S) S^{-1} y : dz
    return _chain(4)


def step_31_5():  # = (s 1^T - I) y : dz
    return _chain(5)


def step_31_6():  # = (s - y) : dz
    return _chain(6)


def step_31_7():  # dL/dz = s - y
    def chk(r, n):
        z, dz, s, y, J, S = _setup(r, n)
        return close(num_grad(lambda u: -np.sum(y * np.log(softmax(u))), z), s - y)
    return all_draws(chk)


def step_33_0():  # dg = ds   (g = s - y, y constant)
    def chk(r, n):
        z, dz, s, y, J, S = _setup(r, n)
        dg = num_grad(lambda u: num_grad(lambda w: -np.sum(y * np.log(softmax(w))), u, h=1e-5), z, h=1e-5).T @ dz
        return close(dg, J @ dz, 1e-5)
    return all_draws(chk)


def step_33_1():  # ds = (S - ss^T) dz
    return step_29_2()


def step_33_2():  # dg/dz = S - ss^T
    def chk(r, n):
        z, dz, s, y, J, S = _setup(r, n)
        Hs = num_grad(lambda u: num_grad(lambda w: -np.sum(y * np.log(softmax(w))), u, h=1e-5), z, h=1e-5)
        return close(Hs, S - np.outer(s, s), 1e-5)
    return all_draws(chk)


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
