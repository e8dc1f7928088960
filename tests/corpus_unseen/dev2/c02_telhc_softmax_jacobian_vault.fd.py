"""Finite-difference checks of c02_telhc_softmax_jacobian_vault.md (sigma_i = softmax(a)_i, g_i = e^{a_i}, h_i = Sigma = sum_k e^{a_k}; g', h' are d/da_j)."""
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


def _pairs(n):
    return [(i, j) for i in range(n) for j in range(n)]


def _jac(rhs, lhs=None, sizes=(1, 2, 3, 5)):
    """For every (i, j): d sigma_i / d a_j (or lhs(a, i, j)) equals rhs(a, s, S, i, j)."""
    def chk(r, n):
        a = r.normal(size=n)
        s = softmax(a)
        S = np.sum(np.exp(a))
        J = num_grad(softmax, a).T  # J[i, j] = d sigma_i / d a_j
        return all(close(J[i, j] if lhs is None else lhs(a, i, j), rhs(a, s, S, i, j)) for i, j in _pairs(n))
    return all_draws(chk, sizes=sizes)


def step_23_0():  # d[sigma(a)]_i/da_j = d/da_j e^{a_i}/sum e^{a_k}
    return _jac(lambda a, s, S, i, j: num_grad(lambda u: np.exp(u[i]) / np.sum(np.exp(u)), a)[j])


def step_23_1():  # = sigma_i (1_{i=j} - sigma_j)
    return _jac(lambda a, s, S, i, j: s[i] * ((i == j) - s[j]))


def step_27_0():  # d/da_j h_i = e^{a_j}
    def chk(r, n):
        a = r.normal(size=n)
        g = num_grad(lambda u: np.sum(np.exp(u)), a)
        return close(g, np.exp(a))
    return all_draws(chk)


def step_29_0():  # d/da_j g_i = e^{a_i} if i = j, 0 if i != j
    def chk(r, n):
        a = r.normal(size=n)
        D = num_grad(np.exp, a).T  # D[i, j] = d e^{a_i} / d a_j
        return all(close(D[i, j], np.exp(a[i]) if i == j else 0.0) for i, j in _pairs(n))
    return all_draws(chk)


def _quot(a, s, S, i, j):
    gp = np.exp(a[i]) * (i == j)
    hp = np.exp(a[j])
    return (gp * S - hp * np.exp(a[i])) / S**2


def step_32_0():  # d/da_j e^{a_j}/sum e^{a_k} = (g'h - h'g)/h^2   (false for i != j)
    lhs = lambda a, i, j: num_grad(lambda u: np.exp(u[j]) / np.sum(np.exp(u)), a)[j]  # noqa: E731
    return _jac(_quot, lhs=lhs)


def step_33_0():  # (g'h - h'g)/h^2 = (1_{i=j} e^{a_i} Sigma - e^{a_j} e^{a_i}) / Sigma^2
    return _jac(lambda a, s, S, i, j: ((i == j) * np.exp(a[i]) * S - np.exp(a[j]) * np.exp(a[i])) / S**2, lhs=lambda a, i, j: _quot(a, None, np.sum(np.exp(a)), i, j))


def step_34_0():  # = e^{a_i}/Sigma (1_{i=j} Sigma - e^{a_j}) / Sigma
    return _jac(lambda a, s, S, i, j: np.exp(a[i]) / S * ((i == j) * S - np.exp(a[j])) / S)


def step_35_0():  # = sigma_i (1_{i=j} - sigma_j)
    return _jac(lambda a, s, S, i, j: s[i] * ((i == j) - s[j]))


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
