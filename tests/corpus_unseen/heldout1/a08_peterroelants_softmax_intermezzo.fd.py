# ruff: noqa: B023, RUF059  (each lambda is called at once inside its own loop iteration; unpacked names are kept so every check reads alike)
"""Finite-difference checks of a08_peterroelants_softmax_intermezzo.ipynb (functions step_CELL_LINE_n)."""
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


def _z(r, n):
    z = r.normal(size=n)
    return z, softmax(z), np.exp(z), np.sum(np.exp(z))


def step_4_7_0():  # sum_c y_c = 1
    return all_draws(lambda r, n: close(np.sum(_z(r, n)[1]), 1.0))


def step_4_24_0():  # [varsigma(z)_c] = 1/sum e^{z_d} [e^{z_c}]
    def chk(r, n):
        z, y, e, S = _z(r, n)
        return close(y, (1 / S) * e)
    return all_draws(chk)


def step_7_3_2():  # y_c = e^{z_c} / Sigma_C
    def chk(r, n):
        z, y, e, S = _z(r, n)
        return close(y, e / S)
    return all_draws(chk)


def _J(z):
    return num_grad(softmax, z).T  # J[i, j] = d y_i / d z_j


def _pairs(n):
    return [(i, j) for i in range(n) for j in range(n) if i != j]


def step_7_7_1():  # dy_i/dz_i = d(e^{z_i}/Sigma_C)/dz_i
    def chk(r, n):
        z, y, e, S = _z(r, n)
        direct = [num_grad(lambda u: np.exp(u[i]) / np.sum(np.exp(u)), z)[i] for i in range(n)]
        return close(np.diag(_J(z)), direct)
    return all_draws(chk)


def step_7_7_2():  # = (e^{z_i} Sigma_C - (e^{z_i})^2) / Sigma_C^2
    def chk(r, n):
        z, y, e, S = _z(r, n)
        return close(np.diag(_J(z)), (e * S - e**2) / S**2)
    return all_draws(chk)


def step_7_7_3():  # = e^{z_i}/Sigma_C (Sigma_C - e^{z_i})/Sigma_C
    def chk(r, n):
        z, y, e, S = _z(r, n)
        return close((e * S - e**2) / S**2, e / S * (S - e) / S)
    return all_draws(chk)


def step_7_7_4():  # = e^{z_i}/Sigma_C (1 - e^{z_i}/Sigma_C)
    def chk(r, n):
        z, y, e, S = _z(r, n)
        return close(e / S * (S - e) / S, e / S * (1 - e / S))
    return all_draws(chk)


def step_7_7_5():  # = y_i (1 - y_i)
    def chk(r, n):
        z, y, e, S = _z(r, n)
        return close(e / S * (1 - e / S), y * (1 - y))
    return all_draws(chk)


def step_7_8_0():  # dy_i/dz_j = d(e^{z_i}/Sigma_C)/dz_j, i != j
    def chk(r, n):
        z, y, e, S = _z(r, n)
        J = _J(z)
        return all(close(J[i, j], num_grad(lambda u: np.exp(u[i]) / np.sum(np.exp(u)), z)[j]) for i, j in _pairs(n))
    return all_draws(chk, sizes=(2, 3, 5))


def step_7_8_1():  # = (0 - e^{z_i} e^{z_j}) / (Sigma_C * Sigma_C)
    def chk(r, n):
        z, y, e, S = _z(r, n)
        J = _J(z)
        return all(close(J[i, j], (0 - e[i] * e[j]) / (S * S)) for i, j in _pairs(n))
    return all_draws(chk, sizes=(2, 3, 5))


def step_7_8_2():  # = - e^{z_i}/Sigma_C e^{z_j}/Sigma_C
    def chk(r, n):
        z, y, e, S = _z(r, n)
        return all(close((0 - e[i] * e[j]) / (S * S), -e[i] / S * e[j] / S) for i, j in _pairs(n))
    return all_draws(chk, sizes=(2, 3, 5))


def step_7_8_3():  # = - y_i y_j
    def chk(r, n):
        z, y, e, S = _z(r, n)
        return all(close(-e[i] / S * e[j] / S, -y[i] * y[j]) for i, j in _pairs(n))
    return all_draws(chk, sizes=(2, 3, 5))


def _zt(r, n):
    z = r.normal(size=n)
    t = onehot(n, r.integers(n))
    return z, softmax(z), t


def step_8_14_1():  # prod_c P(t_c|z)^{t_c} = prod_c varsigma(z)_c^{t_c}, P(t = c|z) = varsigma(z)_c
    def chk(r, n):
        z, y, t = _zt(r, n)
        e = np.exp(z)
        P = e / np.sum(e)  # the class probabilities as given by the displayed vector identity
        return close(np.prod(P**t), np.prod(softmax(z) ** t))
    return all_draws(chk)


def step_8_14_2():  # prod_c varsigma(z)_c^{t_c} = prod_c y_c^{t_c}
    def chk(r, n):
        z, y, t = _zt(r, n)
        return close(np.prod(softmax(z) ** t), np.prod(y**t))
    return all_draws(chk)


def step_8_19_1():  # xi(t, z) = -log prod_c y_c^{t_c}   (xi = -log L, L = P(t|z) = prod_c y_c^{t_c})
    def chk(r, n):
        z, y, t = _zt(r, n)
        L = np.prod([y[c] ** t[c] for c in range(n)])
        return close(-np.log(L), -np.log(np.prod(y**t)))
    return all_draws(chk)


def step_8_19_2():  # -log prod_c y_c^{t_c} = -sum_c t_c log(y_c)
    def chk(r, n):
        z, y, t = _zt(r, n)
        return close(-np.log(np.prod(y**t)), -np.sum(t * np.log(y)))
    return all_draws(chk)


def step_8_22_1():  # 2 classes: xi(t, y) = -t_c log(y_c) - (1 - t_c) log(1 - y_c), c = 1
    def chk(r, n):
        z, y, t = _zt(r, 2)
        return close(-np.sum(t * np.log(y)), -t[0] * np.log(y[0]) - (1 - t[0]) * np.log(1 - y[0]))
    return all_draws(chk, sizes=(2,))


def step_8_26_1():  # sum_i xi(t_i, y_i) = -sum_i sum_c t_ic log(y_ic)
    def chk(r, n):
        m = r.integers(1, 5)
        Z = r.normal(size=(m, n))
        Y = softmax(Z, axis=1)
        T = np.eye(n)[r.integers(n, size=m)]
        return close(sum(-np.sum(T[i] * np.log(Y[i])) for i in range(m)), -np.sum(T * np.log(Y)))
    return all_draws(chk)


def _grad(z, t):
    return num_grad(lambda u: -np.sum(t * np.log(softmax(u))), z)


def step_9_6_0():  # dxi/dz_i = -sum_j d(t_j log y_j)/dz_i
    def chk(r, n):
        z, y, t = _zt(r, n)
        terms = num_grad(lambda u: t * np.log(softmax(u)), z)  # [i, j]
        return close(_grad(z, t), -terms.sum(axis=1))
    return all_draws(chk)


def step_9_7_0():  # = -sum_j t_j d log(y_j)/dz_i
    def chk(r, n):
        z, y, t = _zt(r, n)
        terms = num_grad(lambda u: t * np.log(softmax(u)), z)
        dlog = num_grad(lambda u: np.log(softmax(u)), z)
        return close(-terms.sum(axis=1), -(dlog @ t))
    return all_draws(chk)


def step_9_7_1():  # = -sum_j t_j (1/y_j) dy_j/dz_i
    def chk(r, n):
        z, y, t = _zt(r, n)
        dlog = num_grad(lambda u: np.log(softmax(u)), z)
        return close(-(dlog @ t), -(_J(z).T @ (t / y)))
    return all_draws(chk)


def _split(z, y, t):
    J, n = _J(z), len(z)
    return [-t[i] / y[i] * J[i, i] - sum(t[j] / y[j] * J[j, i] for j in range(n) if j != i) for i in range(n)]


def step_9_8_0():  # = -t_i/y_i dy_i/dz_i - sum_{j != i} t_j/y_j dy_j/dz_i
    def chk(r, n):
        z, y, t = _zt(r, n)
        return close(-(_J(z).T @ (t / y)), _split(z, y, t))
    return all_draws(chk)


def _sub(y, t):
    n = len(y)
    return [-t[i] / y[i] * y[i] * (1 - y[i]) - sum(t[j] / y[j] * (-y[j] * y[i]) for j in range(n) if j != i)
            for i in range(n)]


def step_9_9_0():  # = -t_i/y_i y_i(1-y_i) - sum_{j != i} t_j/y_j (-y_j y_i)
    def chk(r, n):
        z, y, t = _zt(r, n)
        return close(_split(z, y, t), _sub(y, t))
    return all_draws(chk)


def step_9_10_0():  # = -t_i + t_i y_i + sum_{j != i} t_j y_i
    def chk(r, n):
        z, y, t = _zt(r, n)
        return close(_sub(y, t), [-t[i] + t[i] * y[i] + sum(t[j] * y[i] for j in range(n) if j != i) for i in range(n)])
    return all_draws(chk)


def step_9_10_1():  # = -t_i + sum_j t_j y_i
    def chk(r, n):
        z, y, t = _zt(r, n)
        a = [-t[i] + t[i] * y[i] + sum(t[j] * y[i] for j in range(n) if j != i) for i in range(n)]
        return close(a, [-t[i] + sum(t[j] * y[i] for j in range(n)) for i in range(n)])
    return all_draws(chk)


def step_9_11_0():  # = -t_i + y_i sum_j t_j
    def chk(r, n):
        z, y, t = _zt(r, n)
        return close([-t[i] + sum(t[j] * y[i] for j in range(n)) for i in range(n)], -t + y * np.sum(t))
    return all_draws(chk)


def step_9_12_0():  # = y_i - t_i   (t one-hot)
    def chk(r, n):
        z, y, t = _zt(r, n)
        return close(-t + y * np.sum(t), y - t)
    return all_draws(chk)


def step_9_17_0():  # dxi/dz_i = y_i - t_i
    def chk(r, n):
        z, y, t = _zt(r, n)
        return close(_grad(z, t), y - t)
    return all_draws(chk)


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
