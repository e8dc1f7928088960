# ruff: noqa: RUF059  (unpacked names are kept so every check reads alike)
"""Finite-difference checks of a02_daviddwlee84_fcnn_softmax_bias.md."""
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


def _setup(r, k=3, d=2):
    x = r.normal(size=d)
    w = r.normal(size=(d, k))
    b = r.normal(size=k)
    y = onehot(k, r.integers(k))
    return x, w, b, y


def _J(x, w, b, y):
    return -np.sum(y * np.log(softmax(w.T @ x + b)))


def step_38_1():  # softmax(theta)_i = exp(theta_i) / sum_j exp(theta_j)
    def chk(r, n):
        t = r.normal(size=n)
        return close(softmax(t), np.exp(t) / np.sum(np.exp(t)))
    return all_draws(chk)


def step_41_0():  # theta = w^T x + b, against the entries theta_k = sum_{i=1}^{2} w_ik x_i + b_k
    def chk(r, n):
        x, w, b, _ = _setup(r, k=n)
        return close(w.T @ x + b, [sum(w[i, k] * x[i] for i in range(2)) + b[k] for k in range(n)])
    return all_draws(chk)


def _jac(t):
    return num_grad(softmax, t).T  # J[i, j] = d yhat_i / d theta_j


def step_60_0():  # d yhat_i/d theta_i = d( exp(theta_i)/sum_j exp(theta_j) )/d theta_i
    def chk(r, n):
        t = r.normal(size=n)
        direct = [num_grad(lambda u, i=i: np.exp(u[i]) / np.sum(np.exp(u)), t)[i] for i in range(n)]
        return close(np.diag(_jac(t)), direct)
    return all_draws(chk)


def _parts(t):
    e, S = np.exp(t), np.sum(np.exp(t))
    return e, S, e / S


def step_70_0():  # = d( exp(theta_i)/sum_K )/d theta_i
    return step_60_0()


def step_70_1():  # = (exp sum_K - exp exp) / sum_K^2
    def chk(r, n):
        t = r.normal(size=n)
        e, S, _ = _parts(t)
        return close(np.diag(_jac(t)), (e * S - e * e) / S**2)
    return all_draws(chk)


def step_71_0():  # = exp/sum_K * (sum_K - exp)/sum_K
    def chk(r, n):
        e, S, _ = _parts(r.normal(size=n))
        return close((e * S - e * e) / S**2, e / S * (S - e) / S)
    return all_draws(chk)


def step_71_1():  # = exp/sum_K (1 - exp/sum_K)
    def chk(r, n):
        e, S, _ = _parts(r.normal(size=n))
        return close(e / S * (S - e) / S, e / S * (1 - e / S))
    return all_draws(chk)


def step_72_0():  # = yhat_i (1 - yhat_i)
    def chk(r, n):
        e, S, p = _parts(r.normal(size=n))
        return close(e / S * (1 - e / S), p * (1 - p))
    return all_draws(chk)


def _offdiag(n, f):
    return all(f(i, j) for i in range(n) for j in range(n) if i != j)


def step_78_0():  # d yhat_i / d theta_j = d( exp(theta_i)/sum_K )/d theta_j   (i != j)
    def chk(r, n):
        t = r.normal(size=n)
        J = _jac(t)
        return _offdiag(n, lambda i, j: close(J[i, j], num_grad(lambda u: np.exp(u[i]) / np.sum(np.exp(u)), t)[j]))
    return all_draws(chk, sizes=(2, 3, 5))


def step_78_1():  # = (0 - exp(theta_i) exp(theta_j)) / sum_K^2
    def chk(r, n):
        t = r.normal(size=n)
        J = _jac(t)
        e, S, _ = _parts(t)
        return _offdiag(n, lambda i, j: close(J[i, j], (0 - e[i] * e[j]) / S**2))
    return all_draws(chk, sizes=(2, 3, 5))


def step_79_0():  # = - exp(theta_i)/sum_K exp(theta_j)/sum_K
    def chk(r, n):
        e, S, _ = _parts(r.normal(size=n))
        return _offdiag(n, lambda i, j: close((0 - e[i] * e[j]) / S**2, -e[i] / S * e[j] / S))
    return all_draws(chk, sizes=(2, 3, 5))


def step_79_1():  # = - yhat_i yhat_j
    def chk(r, n):
        e, S, p = _parts(r.normal(size=n))
        return _offdiag(n, lambda i, j: close(-e[i] / S * e[j] / S, -p[i] * p[j]))
    return all_draws(chk, sizes=(2, 3, 5))


def _ce(r, n):
    t = r.normal(size=n)
    y = onehot(n, r.integers(n))
    p = softmax(t)
    g = num_grad(lambda u: -np.sum(y * np.log(softmax(u))), t)
    return t, y, p, g, _jac(t)


def step_87_0():  # dJ/d theta_i = -sum_j d(y_j log yhat_j)/d theta_i
    def chk(r, n):
        t, y, p, g, J = _ce(r, n)
        terms = num_grad(lambda u: y * np.log(softmax(u)), t)  # terms[i, j] = d(y_j log yhat_j)/d theta_i
        return close(g, -terms.sum(axis=1))
    return all_draws(chk)


def step_87_1():  # = -sum_j y_j d log(yhat_j)/d theta_i
    def chk(r, n):
        t, y, p, g, J = _ce(r, n)
        a = num_grad(lambda u: y * np.log(softmax(u)), t).sum(axis=1)
        dlog = num_grad(lambda u: np.log(softmax(u)), t)  # dlog[i, j] = d log yhat_j / d theta_i
        return close(-a, -(dlog @ y))
    return all_draws(chk)


def step_87_2():  # = -sum_j y_j/yhat_j d yhat_j / d theta_i
    def chk(r, n):
        t, y, p, g, J = _ce(r, n)
        dlog = num_grad(lambda u: np.log(softmax(u)), t)
        return close(-(dlog @ y), -(J.T @ (y / p)))
    return all_draws(chk)


def step_88_0():  # = (-y_i/yhat_i d yhat_i/d theta_i) + (-sum_{j != i} y_j/yhat_j d yhat_j/d theta_i)
    def chk(r, n):
        t, y, p, g, J = _ce(r, n)
        split = [-y[i] / p[i] * J[i, i] - sum(y[j] / p[j] * J[j, i] for j in range(n) if j != i) for i in range(n)]
        return close(-(J.T @ (y / p)), split)
    return all_draws(chk)


def step_88_1():  # = -y_i/yhat_i yhat_i(1-yhat_i) - sum_{j != i} y_j/yhat_j (-yhat_i yhat_j)
    def chk(r, n):
        t, y, p, g, J = _ce(r, n)
        a = [-y[i] / p[i] * J[i, i] - sum(y[j] / p[j] * J[j, i] for j in range(n) if j != i) for i in range(n)]
        b = [-y[i] / p[i] * p[i] * (1 - p[i]) - sum(y[j] / p[j] * (-p[i] * p[j]) for j in range(n) if j != i)
             for i in range(n)]
        return close(a, b)
    return all_draws(chk)


def step_89_0():  # = -y_i + y_i yhat_i + sum_{j != i} y_j yhat_i
    def chk(r, n):
        t, y, p, g, J = _ce(r, n)
        b = [-y[i] / p[i] * p[i] * (1 - p[i]) - sum(y[j] / p[j] * (-p[i] * p[j]) for j in range(n) if j != i)
             for i in range(n)]
        c = [-y[i] + y[i] * p[i] + sum(y[j] * p[i] for j in range(n) if j != i) for i in range(n)]
        return close(b, c)
    return all_draws(chk)


def step_89_1():  # = -y_i + sum_j y_j yhat_i
    def chk(r, n):
        t, y, p, g, J = _ce(r, n)
        c = [-y[i] + y[i] * p[i] + sum(y[j] * p[i] for j in range(n) if j != i) for i in range(n)]
        return close(c, [-y[i] + sum(y[j] * p[i] for j in range(n)) for i in range(n)])
    return all_draws(chk)


def step_89_2():  # = -y_i + yhat_i sum_j y_j
    def chk(r, n):
        t, y, p, g, J = _ce(r, n)
        return close([-y[i] + sum(y[j] * p[i] for j in range(n)) for i in range(n)], -y + p * np.sum(y))
    return all_draws(chk)


def step_90_0():  # = yhat_i - y_i   (one-hot y)
    def chk(r, n):
        t, y, p, g, J = _ce(r, n)
        return close(-y + p * np.sum(y), p - y) and close(g, p - y)
    return all_draws(chk)


def _theta_entries(W, x, B):
    return np.array([sum(W[i, k] * x[i] for i in range(W.shape[0])) + B[k] for k in range(W.shape[1])])


def step_100_0():  # d theta/d w = d(w^T x + b)/d w   (theta computed entrywise vs. the matrix form)
    def chk(r, n):
        x, w, b, _ = _setup(r, k=n)
        return close(num_grad(lambda W: _theta_entries(W, x, b), w), num_grad(lambda W: W.T @ x + b, w))
    return all_draws(chk)


def step_106_0():  # d theta/d b = d(w^T x + b)/d b
    def chk(r, n):
        x, w, b, _ = _setup(r, k=n)
        return close(num_grad(lambda B: _theta_entries(w, x, B), b), num_grad(lambda B: w.T @ x + B, b))
    return all_draws(chk)


def step_112_0():  # dJ/dw = x^T (yhat - y): x^T is 1 x d, yhat - y has k entries: not the d x k gradient
    def chk(r, n):
        x, w, b, y = _setup(r, k=n + 1)
        grad = num_grad(lambda W: _J(x, W, b, y), w)  # shape d x k
        p = softmax(w.T @ x + b)
        try:
            claim = x.reshape(1, -1) @ (p - y).reshape(-1, 1)
        except ValueError:
            return False
        return close(grad, claim)
    return all_draws(chk)


def step_116_0():  # dJ/db = yhat - y
    def chk(r, n):
        x, w, b, y = _setup(r, k=n)
        grad = num_grad(lambda B: _J(x, w, B, y), b)
        return close(grad, softmax(w.T @ x + b) - y)
    return all_draws(chk)


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
