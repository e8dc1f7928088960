"""Finite-difference checks of c09_zsc_kd_temperature_chapter_zh.md (p = softmax(z / tau); theta_S = z_S for the gradient claim)."""
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


def _draw(r, n):
    return r.normal(size=n) * 2, r.normal(size=n) * 2, r.uniform(1.5, 6.0)


def _kl(p, q):
    return np.sum(p * (np.log(p) - np.log(q)))


def step_52_0():  # dL_KL/dtheta_S = tau^2 sum_i (p_S^i - p_T^i) dz_S^i/dtheta_S  (false for tau != 1)
    def chk(r, n):
        zs, zt, tau = _draw(r, n)
        pt = softmax(zt / tau)
        claim = tau**2 * (softmax(zs / tau) - pt)  # theta_S = z_S: dz_S/dtheta_S = I
        readings = [
            lambda u: tau**2 * _kl(softmax(u / tau), pt),  # tau^2 D_KL(p_S || p_T)
            lambda u: tau**2 * _kl(pt, softmax(u / tau)),  # tau^2 D_KL(p_T || p_S)
            lambda u: _kl(softmax(u / tau), pt),           # D_KL(p_S || p_T)
            lambda u: _kl(pt, softmax(u / tau)),           # D_KL(p_T || p_S)
        ]
        return any(close(num_grad(f, zs), claim) for f in readings)
    return all_draws(chk, sizes=(2, 3, 5))


def step_100_0():  # J(z) = (1/tau) diag(p) - (1/tau) p p^T
    def chk(r, n):
        z, _, tau = _draw(r, n)
        p = softmax(z / tau)
        J = num_grad(lambda u: softmax(u / tau), z).T  # J[i, j] = dp_i/dz_j
        return close(J, np.diag(p) / tau - np.outer(p, p) / tau)
    return all_draws(chk)


def step_165_0():  # p_i = exp((z_i - max z)/tau) / sum_k exp((z_k - max z)/tau)
    def chk(r, n):
        z, _, tau = _draw(r, n)
        p = np.exp(z / tau) / np.sum(np.exp(z / tau))
        m = np.max(z)
        return close(p, np.exp((z - m) / tau) / np.sum(np.exp((z - m) / tau)))
    return all_draws(chk)


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
