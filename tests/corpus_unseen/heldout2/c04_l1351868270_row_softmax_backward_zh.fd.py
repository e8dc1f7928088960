# ruff: noqa: RUF059  (unpacked names are kept so every check reads alike)
"""Finite-difference checks of c04_l1351868270_row_softmax_backward_zh.md (X is M x N, softmax over each row; f a fixed nonlinear function of softmax(X), df = df/dsoftmax(X))."""
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


def _sm(X):
    return softmax(X, axis=1)


def _entries(M, N):
    return [(a, b) for a in range(M) for b in range(N)]


def _grid(check, shapes=((1, 1), (1, 3), (2, 2), (3, 4))):
    """check(r, X, (k, l), (i, j)) for every pair of entries of random X of each shape."""
    r = rng(0)
    for M, N in shapes:
        for _ in range(DRAWS):
            X = r.normal(size=(M, N))
            for kl in _entries(M, N):
                for ij in _entries(M, N):
                    if not check(r, X, kl, ij):
                        return False
    return True


def _d(fun, X, ij):
    """d fun(X) / d x_ij (fun scalar)."""
    return num_grad(fun, X)[ij]


def step_30_0():  # d e^x / dx = e^x
    return all_draws(_exp_ok)


def _exp_ok(r, n):
    x = r.normal(size=n)
    return close(num_grad(lambda t: np.sum(np.exp(t)), x), np.exp(x))


def step_32_0():  # d(f/g)/dx = (f' g - f g') / g^2
    def chk(r, n):
        a, b, c = r.normal(size=3)
        x = r.normal(size=n)
        f = lambda t: np.sin(a * t + b)  # noqa: E731
        g = lambda t: np.exp(c * t) + 2.0  # noqa: E731
        fp = np.diag(num_grad(f, x))
        gp = np.diag(num_grad(g, x))
        return close(np.diag(num_grad(lambda t: f(t) / g(t), x)), (fp * g(x) - f(x) * gp) / g(x) ** 2)
    return all_draws(chk)


def step_37_0():  # d softmax(x_kl)/dx_ij = (d e^{x_kl}/dx_ij S_k - e^{x_kl} dS_k/dx_ij) / S_k^2
    def chk(r, X, kl, ij):
        k, l = kl
        S = np.sum(np.exp(X[k]))
        de = _d(lambda Y: np.exp(Y[kl]), X, ij)
        dS = _d(lambda Y: np.sum(np.exp(Y[k])), X, ij)
        return close(_d(lambda Y: _sm(Y)[kl], X, ij), (de * S - np.exp(X[kl]) * dS) / S**2)
    return _grid(chk)


def step_42_0():  # i != k: d softmax(x_kl)/dx_ij = 0
    def chk(r, X, kl, ij):
        return kl[0] == ij[0] or close(_d(lambda Y: _sm(Y)[kl], X, ij), 0.0)
    return _grid(chk, shapes=((2, 1), (2, 3), (3, 2)))


def _case2(fun):
    """i = k, l != j: check fun(X, i, l, j)."""
    def chk(r, X, kl, ij):
        (k, l), (i, j) = kl, ij
        return not (i == k and l != j) or fun(X, i, l, j)
    return _grid(chk, shapes=((1, 2), (2, 3), (3, 4)))


def step_46_0():  # d e^{x_kl}/dx_ij = d e^{x_il}/dx_ij   (k = i)
    return _case2(lambda X, i, l, j: close(_d(lambda Y: np.exp(Y[i, l]), X, (i, j)), _d(lambda Y: np.exp(Y[i, l]), X, (i, j))))


def step_46_1():  # d e^{x_il}/dx_ij = 0   (l != j)
    return _case2(lambda X, i, l, j: close(_d(lambda Y: np.exp(Y[i, l]), X, (i, j)), 0.0))


def _rowsum_d(X, i, j):
    return _d(lambda Y: np.sum(np.exp(Y[i])), X, (i, j))


def step_50_0():  # d sum_p e^{x_kp}/dx_ij = d sum_p e^{x_ip}/dx_ij   (k = i)
    def chk(r, X, kl, ij):
        k, i, j = kl[0], ij[0], ij[1]
        return k != i or close(_d(lambda Y: np.sum(np.exp(Y[k])), X, ij), _rowsum_d(X, i, j))
    return _grid(chk)


def step_50_1():  # d sum_p e^{x_ip}/dx_ij = d e^{x_ij}/dx_ij
    def chk(r, X, kl, ij):
        i, j = ij
        return close(_rowsum_d(X, i, j), _d(lambda Y: np.exp(Y[i, j]), X, ij))
    return _grid(chk)


def step_50_2():  # d e^{x_ij}/dx_ij = e^{x_ij}
    def chk(r, X, kl, ij):
        return close(_d(lambda Y: np.exp(Y[ij]), X, ij), np.exp(X[ij]))
    return _grid(chk)


def _dsm(X, kl, ij):
    return _d(lambda Y: _sm(Y)[kl], X, ij)


def step_56_0():  # d softmax(x_kl)/dx_ij = d softmax(x_il)/dx_ij   (k = i, l != j)
    return _case2(lambda X, i, l, j: close(_dsm(X, (i, l), (i, j)), _dsm(X, (i, l), (i, j))))


def step_58_0():  # = -e^{x_il} e^{x_ij} / S_i^2
    return _case2(lambda X, i, l, j: close(_dsm(X, (i, l), (i, j)), -np.exp(X[i, l]) * np.exp(X[i, j]) / np.sum(np.exp(X[i])) ** 2))


def step_60_0():  # = -softmax(x_il) softmax(x_ij)
    return _case2(lambda X, i, l, j: close(_dsm(X, (i, l), (i, j)), -_sm(X)[i, l] * _sm(X)[i, j]))


def _case3(rhs):
    def chk(r, X, kl, ij):
        return kl != ij or close(_dsm(X, kl, ij), rhs(X, *ij))
    return _grid(chk)


def step_66_0():  # d softmax(x_kl)/dx_ij = d softmax(x_ij)/dx_ij   (k = i, l = j)
    return _case3(lambda X, i, j: _dsm(X, (i, j), (i, j)))


def step_68_0():  # = (e^{x_ij} S_i - e^{x_ij} e^{x_ij}) / S_i^2
    return _case3(lambda X, i, j: (np.exp(X[i, j]) * np.sum(np.exp(X[i])) - np.exp(X[i, j]) ** 2) / np.sum(np.exp(X[i])) ** 2)


def step_70_0():  # = softmax(x_ij) - softmax(x_ij)^2
    return _case3(lambda X, i, j: _sm(X)[i, j] - _sm(X)[i, j] ** 2)


# f(S) = sum(W * S) + sum(S^3)/3, so df = W + S^2 (elementwise); W fixed per draw.
def _fW(W):
    return lambda Y: np.sum(W * _sm(Y)) + np.sum(_sm(Y) ** 3) / 3


def _chain(member):
    """d f(softmax(X))/dx_ij equals member(X, df, J, i, j), J[p, q] = d softmax(x_pq)/dx_ij."""
    def chk(r, X, kl, ij):
        if kl != (0, 0):
            return True  # one check per (X, ij)
        W = r.normal(size=X.shape)
        S = _sm(X)
        df = W + S**2
        J = num_grad(lambda Y: _sm(Y), X)[ij]
        return close(_d(_fW(W), X, ij), member(X, df, J, S, *ij))
    return _grid(chk)



def step_79_0():  # sum_p sum_q df_pq dsoftmax(x_pq)/dx_ij = sum_q df_iq dsoftmax(x_iq)/dx_ij (any df)
    def chk(r, X, kl, ij):
        i, j = ij
        df = r.normal(size=X.shape)
        J = num_grad(lambda Y: _sm(Y), X)[ij]
        return close(np.sum(df * J), np.sum(df[i] * J[i]))
    return _grid(chk)


def _any_df(rhs):
    """sum_q df_iq dsoftmax(x_iq)/dx_ij equals rhs(df, S, i, j) for random df."""
    def chk(r, X, kl, ij):
        i, j = ij
        df = r.normal(size=X.shape)
        S = _sm(X)
        J = num_grad(lambda Y: _sm(Y), X)[ij]
        return close(np.sum(df[i] * J[i]), rhs(df, S, i, j))
    return _grid(chk)


def step_81_0():  # = df_ij (s_ij - s_ij^2) + sum_{q != j} df_iq (-s_iq s_ij)
    return _any_df(lambda df, S, i, j: df[i, j] * (S[i, j] - S[i, j] ** 2) + sum(df[i, q] * (-S[i, q] * S[i, j]) for q in range(S.shape[1]) if q != j))


def step_83_0():  # = s_ij df_ij - s_ij sum_q df_iq s_iq
    return _any_df(lambda df, S, i, j: S[i, j] * df[i, j] - S[i, j] * np.sum(df[i] * S[i]))


def step_85_0():  # = s_ij (df_ij - sum s_iq df_iq)
    return _any_df(lambda df, S, i, j: S[i, j] * (df[i, j] - np.sum(S[i] * df[i])))


def step_92_0():  # d f(softmax(X))/dx_{i:} = softmax(x_{i:}) (df_{i:} - sum_q s_iq df_iq), any element of row i
    return _chain(lambda X, df, J, S, i, j: S[i, j] * (df[i, j] - np.sum(S[i] * df[i])))


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
