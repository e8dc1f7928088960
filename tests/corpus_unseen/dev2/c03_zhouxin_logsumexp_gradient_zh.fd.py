# ruff: noqa: RUF059  (unpacked names are kept so every check reads alike)
"""Finite-difference checks of c03_zhouxin_logsumexp_gradient_zh.md (f = log sum exp(z - max z) + max z, S = sum exp(zhat); unique maximum at index k)."""
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


def _f(z):
    m = np.max(z)
    return np.log(np.sum(np.exp(z - m))) + m


def _lse_hat(z):  # log sum exp(zhat_i), zhat = z - max z (max z as a function of z)
    return np.log(np.sum(np.exp(z - np.max(z))))


def _setup(r, n, at_max):
    z = r.normal(size=n)
    k = int(np.argmax(z))
    if at_max:
        j = k
    else:
        j = (k + 1 + int(r.integers(n - 1))) % n
    zh = z - z[k]
    S = np.sum(np.exp(zh))
    return z, k, j, zh, S


def _chain(member, at_max, sizes):
    """d f / d z_j equals member(z, k, j, zh, S) (all members of the chain equal d f / d z_j)."""
    def chk(r, n):
        z, k, j, zh, S = _setup(r, n, at_max)
        return close(num_grad(_f, z)[j], member(z, k, j, zh, S))
    return all_draws(chk, sizes=sizes)


NONMAX = (2, 3, 5)
ATMAX = (1, 2, 3, 5)


def step_35_0():  # log sum exp(z_i - max z) + max z = log sum exp zhat_i + z_k
    def chk(r, n):
        z, k, j, zh, S = _setup(r, n, True)
        return close(np.log(np.sum(np.exp(z - np.max(z)))) + np.max(z), np.log(np.sum(np.exp(zh))) + z[k])
    return all_draws(chk)


def _sum_rule(z, k, j, zh, S):
    return num_grad(_lse_hat, z)[j] + num_grad(np.max, z)[j]


def step_47_0():  # df/dz_j = d(log sum exp zhat)/dz_j + dz_k/dz_j   (z_j != z_k)
    return _chain(_sum_rule, False, NONMAX)


def step_50_0():  # 1/S (sum_{i!=j} d exp zhat_i/dz_j + d exp zhat_j/dz_j) = 1/S (0 + exp zhat_j)
    def chk(r, n):
        z, k, j, zh, S = _setup(r, n, False)
        d = [num_grad(lambda u, i=i: np.exp(u[i] - np.max(u)), z)[j] for i in range(n)]
        before = (sum(d[i] for i in range(n) if i != j) + d[j]) / S
        return close(before, (0 + np.exp(zh[j])) / S)
    return all_draws(chk, sizes=NONMAX)


def step_51_0():  # = exp zhat_j / S
    return _chain(lambda z, k, j, zh, S: np.exp(zh[j]) / S, False, NONMAX)


def step_62_0():  # df/dz_j = d(log sum exp zhat)/dz_j + dz_k/dz_j   (z_j = z_k)
    return _chain(_sum_rule, True, ATMAX)


def step_66_0():  # 1/S [sum_{z_i!=z_k} d exp(z_i - z_k)/dz_j + sum_{z_i=z_k} ...] + 1 = 1/S [sum_{z_i!=z_k} -exp(z_i - z_k) + 0] + 1
    def chk(r, n):
        z, k, j, zh, S = _setup(r, n, True)
        d = [num_grad(lambda u, i=i: np.exp(u[i] - np.max(u)), z)[j] for i in range(n)]
        before = (sum(d[i] for i in range(n) if i != k) + sum(d[i] for i in range(n) if i == k)) / S + 1
        after = (sum(-np.exp(z[i] - z[k]) for i in range(n) if i != k) + 0) / S + 1
        return close(before, after)
    return all_draws(chk, sizes=ATMAX)


def step_67_0():  # = 1 - sum_{z_i!=z_k} exp(z_i - z_k) / S
    return _chain(lambda z, k, j, zh, S: 1 - sum(np.exp(z[i] - z[k]) for i in range(len(z)) if i != k) / S, True, ATMAX)


def step_68_0():  # = exp zhat_j / S
    return _chain(lambda z, k, j, zh, S: np.exp(zh[j]) / S, True, ATMAX)


def step_77_0():  # df/dz_j = exp zhat_j / S  for every j
    def chk(r, n):
        z = r.normal(size=n)
        zh = z - np.max(z)
        return close(num_grad(_f, z), np.exp(zh) / np.sum(np.exp(zh)))
    return all_draws(chk)


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
