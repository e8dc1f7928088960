# ruff: noqa: RUF059  (unpacked names are kept so every check reads alike)
"""Finite-difference checks of a01_mattpetersen_softmax_ce_rows.md (one function per checked step)."""
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


def _xsy(r, n):
    x = r.normal(size=n)
    s = softmax(x)
    y = onehot(n, r.integers(n))
    return x, s, y


def step_28_0():  # s(x+c)_i = e^{x_i+c} / sum e^{x_j+c}
    def chk(r, n):
        x, c = r.normal(size=n), r.normal()
        return close(softmax(x + c), np.exp(x + c) / np.sum(np.exp(x + c)))
    return all_draws(chk)


def step_29_0():  # = e^{x_i} e^c / sum e^{x_j} e^c
    def chk(r, n):
        x, c = r.normal(size=n), r.normal()
        return close(np.exp(x + c) / np.sum(np.exp(x + c)),
                     np.exp(x) * np.exp(c) / np.sum(np.exp(x) * np.exp(c)))
    return all_draws(chk)


def step_30_0():  # = e^{x_i} / sum e^{x_j}
    def chk(r, n):
        x, c = r.normal(size=n), r.normal()
        return close(np.exp(x) * np.exp(c) / np.sum(np.exp(x) * np.exp(c)), np.exp(x) / np.sum(np.exp(x)))
    return all_draws(chk)


def _jac(x):
    return num_grad(softmax, x).T  # J[i, j] = d s_i / d x_j


def step_42_0():  # d s_i / d x_i = (sum e^{x_j} e^{x_i} - e^{x_i} e^{x_i}) / (sum e^{x_j})^2
    def chk(r, n):
        x = r.normal(size=n)
        e, S = np.exp(x), np.sum(np.exp(x))
        return close(np.diag(_jac(x)), (S * e - e * e) / S**2)
    return all_draws(chk)


def step_43_0():  # = s_i - s_i^2
    def chk(r, n):
        x = r.normal(size=n)
        e, S, s = np.exp(x), np.sum(np.exp(x)), softmax(x)
        return close((S * e - e * e) / S**2, s - s**2)
    return all_draws(chk)


def step_54_0():  # d s_i / d x_j (j != i) = (sum e^{x_j} * 0 - e^{x_i} e^{x_j}) / (sum e^{x_j})^2
    def chk(r, n):
        x = r.normal(size=n)
        e, S, J = np.exp(x), np.sum(np.exp(x)), _jac(x)
        return all(close(J[i, j], (S * 0 - e[i] * e[j]) / S**2)
                   for i in range(n) for j in range(n) if i != j)
    return all_draws(chk, sizes=(2, 3, 5))


def step_55_0():  # = - s_i s_j
    def chk(r, n):
        x = r.normal(size=n)
        e, S, s = np.exp(x), np.sum(np.exp(x)), softmax(x)
        return all(close((S * 0 - e[i] * e[j]) / S**2, -s[i] * s[j])
                   for i in range(n) for j in range(n) if i != j)
    return all_draws(chk, sizes=(2, 3, 5))


def step_67_0():  # J_x(s) = diag(s) - s^T s  (s a row vector: s^T s is the outer product)
    def chk(r, n):
        x = r.normal(size=n)
        s = softmax(x).reshape(1, n)
        return close(_jac(x), np.diag(s[0]) - s.T @ s)
    return all_draws(chk)


def step_80_0():  # -sum y_i log s_i = -y log s^T
    def chk(r, n):
        _, s, y = _xsy(r, n)
        return close(-np.sum(y * np.log(s)), -(y.reshape(1, n) @ np.log(s).reshape(n, 1))[0, 0])
    return all_draws(chk)


def _grad_s_H(s, y):
    return num_grad(lambda t: -np.sum(y * np.log(t)), s)


def step_91_0():  # grad_s H = -grad_s y log s^T
    def chk(r, n):
        _, s, y = _xsy(r, n)
        return close(_grad_s_H(s, y), -num_grad(lambda t: (y.reshape(1, n) @ np.log(t).reshape(n, 1))[0, 0], s))
    return all_draws(chk)


def step_92_0():  # = -y grad_s log s   (grad_s log s the Jacobian of the elementwise log)
    def chk(r, n):
        _, s, y = _xsy(r, n)
        jac_log = num_grad(np.log, s).T
        return close(_grad_s_H(s, y), -(y @ jac_log))
    return all_draws(chk)


def step_93_0():  # = -y diag(1/s)
    def chk(r, n):
        _, s, y = _xsy(r, n)
        return close(-(y @ num_grad(np.log, s).T), -(y @ np.diag(1 / s)))
    return all_draws(chk)


def step_94_0():  # = -y / s
    def chk(r, n):
        _, s, y = _xsy(r, n)
        return close(-(y @ np.diag(1 / s)), -y / s)
    return all_draws(chk)


def _grad_x_H(x, y):
    return num_grad(lambda t: -np.sum(y * np.log(softmax(t))), x)


def step_103_0():  # grad_x H = grad_s H J_x(s)
    def chk(r, n):
        x, s, y = _xsy(r, n)
        return close(_grad_x_H(x, y), (-y / s) @ _jac(x))
    return all_draws(chk)


def step_110_0():  # = -(y/s) [diag(s) - s^T s]
    def chk(r, n):
        x, s, y = _xsy(r, n)
        sr = s.reshape(1, n)
        return close(_grad_x_H(x, y), (-(y / s) @ (np.diag(s) - sr.T @ sr)))
    return all_draws(chk)


def step_113_0():  # = (y/s) s^T s - (y/s) diag(s)
    def chk(r, n):
        x, s, y = _xsy(r, n)
        sr = s.reshape(1, n)
        return close(-(y / s) @ (np.diag(s) - sr.T @ sr), (y / s) @ (sr.T @ sr) - (y / s) @ np.diag(s))
    return all_draws(chk)


def step_115_0():  # = y S^{repeated row} - y   (S^{repeated row}: n x n, every row equal to s)
    def chk(r, n):
        x, s, y = _xsy(r, n)
        sr = s.reshape(1, n)
        rep = np.tile(s, (n, 1))
        return close((y / s) @ (sr.T @ sr) - (y / s) @ np.diag(s), y @ rep - y)
    return all_draws(chk)


def step_116_0():  # = s - y   (y one-hot)
    def chk(r, n):
        x, s, y = _xsy(r, n)
        return close(y @ np.tile(s, (n, 1)) - y, s - y)
    return all_draws(chk)


def _batch(r, m, n):
    X = r.normal(size=(m, n))
    S = softmax(X, axis=1)
    Y = np.eye(n)[r.integers(n, size=m)]
    return X, S, Y


def step_130_0():  # -(1/m) sum_i y_i log s_i^T = -(1/m) Tr(Y log S^T)
    def chk(r, n):
        m = r.integers(1, 5)
        _, S, Y = _batch(r, m, n)
        lhs = -np.mean([Y[i] @ np.log(S[i]) for i in range(m)])
        return close(lhs, -np.trace(Y @ np.log(S).T) / m)
    return all_draws(chk)


def _JS_H(S, Y):
    m = S.shape[0]
    return num_grad(lambda T: -np.trace(Y @ np.log(T).T) / m, S)


def step_137_0():  # J_S(H) = -J_S( (1/m) Tr(Y log S^T) )
    def chk(r, n):
        m = r.integers(1, 5)
        _, S, Y = _batch(r, m, n)
        H_of = lambda T: -np.mean([Y[i] @ np.log(T[i]) for i in range(m)])  # noqa: E731
        return close(num_grad(H_of, S), -num_grad(lambda T: np.trace(Y @ np.log(T).T) / m, S))
    return all_draws(chk)


def step_139_0():  # = -(1/m) J_S Tr(Y log S^T)
    def chk(r, n):
        m = r.integers(1, 5)
        _, S, Y = _batch(r, m, n)
        return close(-num_grad(lambda T: np.trace(Y @ np.log(T).T) / m, S),
                     -num_grad(lambda T: np.trace(Y @ np.log(T).T), S) / m)
    return all_draws(chk)


def step_143_0():  # = -(1/m) Y (.) 1/S   (checked against J_S(H); line 141 is not checkable)
    def chk(r, n):
        m = r.integers(1, 5)
        _, S, Y = _batch(r, m, n)
        return close(_JS_H(S, Y), -(1 / m) * Y * (1 / S))
    return all_draws(chk)


def step_144_0():  # = -(1/m) Y / S
    def chk(r, n):
        m = r.integers(1, 5)
        _, S, Y = _batch(r, m, n)
        return close(-(1 / m) * Y * (1 / S), -(1 / m) * (Y / S))
    return all_draws(chk)


def _JX_H(X, Y):
    m = X.shape[0]
    return num_grad(lambda T: -np.trace(Y @ np.log(softmax(T, axis=1)).T) / m, X)


def _contract(G, X):
    """G (m x n, dH/dS) contracted with the batch-softmax Jacobian dS_ab/dX_cd."""
    JS = num_grad(lambda T: softmax(T, axis=1), X)  # JS[c, d, a, b] = dS_ab / dX_cd
    return np.einsum("ab,cdab->cd", G, JS)


def step_151_0():  # J_X(H) = J_S(H) J_X(S)
    def chk(r, n):
        m = r.integers(1, 4)
        X, S, Y = _batch(r, m, n)
        return close(_JX_H(X, Y), _contract(_JS_H(S, Y), X))
    return all_draws(chk, sizes=(1, 2, 3))


def step_152_0():  # = (-(1/m) Y/S) J_X(S)
    def chk(r, n):
        m = r.integers(1, 4)
        X, S, Y = _batch(r, m, n)
        return close(_contract(_JS_H(S, Y), X), _contract(-(1 / m) * Y / S, X))
    return all_draws(chk, sizes=(1, 2, 3))


def _rowjac(s):
    return np.diag(s) - np.outer(s, s)


def step_154_0():  # = (1/m) [ -y_i / s_i ]_rows J_X(S)
    def chk(r, n):
        m = r.integers(1, 4)
        X, S, Y = _batch(r, m, n)
        rows = np.array([-Y[i] / S[i] for i in range(m)])
        return close(_contract(-(1 / m) * Y / S, X), _contract(rows / m, X))
    return all_draws(chk, sizes=(1, 2, 3))


def step_161_0():  # = (1/m) [ -(y_i/s_i) J_{x_i}(s_i) ]_rows
    def chk(r, n):
        m = r.integers(1, 4)
        X, S, Y = _batch(r, m, n)
        rows = np.array([-Y[i] / S[i] for i in range(m)])
        blocks = np.array([(-Y[i] / S[i]) @ _rowjac(S[i]) for i in range(m)])
        return close(_contract(rows / m, X), blocks / m)
    return all_draws(chk, sizes=(1, 2, 3))


def step_168_0():  # = (1/m) [ s_i - y_i ]_rows
    def chk(r, n):
        m = r.integers(1, 4)
        X, S, Y = _batch(r, m, n)
        blocks = np.array([(-Y[i] / S[i]) @ _rowjac(S[i]) for i in range(m)])
        return close(blocks / m, (S - Y) / m)
    return all_draws(chk, sizes=(1, 2, 3))


def step_174_0():  # = (1/m)(S - Y)
    def chk(r, n):
        m = r.integers(1, 4)
        X, S, Y = _batch(r, m, n)
        return close(np.array([S[i] - Y[i] for i in range(m)]) / m, (S - Y) / m)
    return all_draws(chk, sizes=(1, 2, 3))


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
