# ruff: noqa: RUF059  (unpacked names are kept so every check reads alike)
"""Finite-difference checks of a13_physicsd00d_cs224d_einstein.md (Einstein sums written out explicitly)."""
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


def _th(r, n):
    th = r.normal(size=n)
    y = onehot(n, r.integers(n))
    return th, y, softmax(th)


def _line(k):
    """Value of the line-k member of the 2.b chain, as a vector over the free index k."""
    def val(th, y):
        n = len(th)
        yh = softmax(th)
        e = np.exp(th)
        S = np.sum(e)
        d = np.eye(n)
        dexp = num_grad(np.exp, th)  # dexp[k, i] = d e^{theta_i} / d theta_k
        if k == 24:
            return -num_grad(lambda u: np.sum(y * np.log(softmax(u))), th)
        if k == 25:
            return -(num_grad(lambda u: np.log(softmax(u)), th) @ y)
        if k == 26:
            return -(num_grad(softmax, th) @ (y / yh))
        if k == 27:
            return -(num_grad(lambda u: np.exp(u) / np.sum(np.exp(u)), th) @ (y / yh))
        if k == 28:
            return np.array([-sum(y[i] / yh[i] * (dexp[kk, i] / S - e[i] / S**2 * sum(dexp[kk, p] for p in range(n)))
                                  for i in range(n)) for kk in range(n)])
        if k == 29:
            return np.array([-sum(y[i] / yh[i] * (e[i] * d[i, kk] / S - e[i] / S**2 * sum(e[p] * d[p, kk] for p in range(n)))
                                  for i in range(n)) for kk in range(n)])
        if k == 30:
            return np.array([-sum(y[i] / yh[i] * (yh[i] * d[i, kk] - yh[i] * sum(yh[p] * d[p, kk] for p in range(n)))
                                  for i in range(n)) for kk in range(n)])
        if k == 31:
            return np.array([-sum(y[i] * (d[i, kk] - sum(yh[p] * d[p, kk] for p in range(n))) for i in range(n))
                             for kk in range(n)])
        if k == 37:
            return np.array([-sum(y[i] * (d[i, kk] - yh[kk]) for i in range(n)) for kk in range(n)])
        if k == 38:
            return np.array([-sum(y[i] * d[i, kk] for i in range(n)) + sum(y[i] * yh[kk] for i in range(n))
                             for kk in range(n)])
        if k in (39, 45):
            return np.array([-y[kk] + sum(y[i] * yh[kk] for i in range(n)) for kk in range(n)])
        if k == 46:
            return -y + yh * np.sum(y)
        if k in (47, 52):
            return -y + yh
        raise KeyError(k)
    return val


def _step(prev, cur):
    def chk(r, n):
        th, y, _ = _th(r, n)
        return close(_line(prev)(th, y), _line(cur)(th, y))
    return all_draws(chk)


def step_18_0():  # -sum_i y_i log(yhat_i) = -y_i log(yhat_i)   (Einstein)
    def chk(r, n):
        th, y, yh = _th(r, n)
        return close(-np.sum(y * np.log(yh)), -np.einsum("i,i->", y, np.log(yh)))
    return all_draws(chk)


def step_24_0():
    def chk(r, n):
        th, y, yh = _th(r, n)
        return close(num_grad(lambda u: -np.sum(y * np.log(softmax(u))), th), _line(24)(th, y))
    return all_draws(chk)


def step_25_0():
    return _step(24, 25)


def step_26_0():
    return _step(25, 26)


def step_27_0():
    return _step(26, 27)


def step_28_0():
    return _step(27, 28)


def step_29_0():
    return _step(28, 29)


def step_30_0():
    return _step(29, 30)


def step_31_0():
    return _step(30, 31)


def step_37_0():
    return _step(31, 37)


def step_38_0():
    return _step(37, 38)


def step_39_0():
    return _step(38, 39)


def step_45_0():
    return _step(39, 45)


def step_46_0():
    return _step(45, 46)


def step_47_0():
    return _step(46, 47)


def step_52_0():  # dCE/d theta = yhat - y
    def chk(r, n):
        th, y, yh = _th(r, n)
        return close(num_grad(lambda u: -np.sum(y * np.log(softmax(u))), th), yh - y)
    return all_draws(chk)


def _net(r, K):
    d_in, H = r.integers(1, 4), r.integers(1, 4)
    x = r.normal(size=d_in)
    W1, b1 = r.normal(size=(d_in, H)), r.normal(size=H)
    W2, b2 = r.normal(size=(H, K)), r.normal(size=K)
    y = onehot(K, r.integers(K))
    h = 1 / (1 + np.exp(-(x @ W1 + b1)))
    return h, W2, b2, y


def _J(h, W2, b2, y):
    return -np.sum(y * np.log(softmax(h @ W2 + b2)))


def _chain_W(h, W2, b2, y):
    """sum_{a,b} dJ/dyhat_a dyhat_a/dv_b dv_b/dW_cd, every factor by central differences."""
    v = h @ W2 + b2
    yh = softmax(v)
    dJ = num_grad(lambda q: -np.sum(y * np.log(q)), yh)          # [a]
    dy = num_grad(softmax, v)                                     # [b, a]
    dv = num_grad(lambda W: h @ W + b2, W2)                       # [c, d, b]
    return np.einsum("a,ba,cdb->cd", dJ, dy, dv)


def step_74_0():  # dJ/dW_cd = dJ/dyhat_a dyhat_a/dv_b dv_b/dW_cd
    def chk(r, n):
        h, W2, b2, y = _net(r, n)
        return close(num_grad(lambda W: _J(h, W, b2, y), W2), _chain_W(h, W2, b2, y))
    return all_draws(chk)


def step_80_0():  # dv_b/dW_cd = d/dW_cd [hW + b]_b
    def chk(r, n):
        h, W2, b2, y = _net(r, n)
        v_of = lambda W: np.array([h @ W[:, bb] + b2[bb] for bb in range(len(b2))])  # noqa: E731
        return close(num_grad(v_of, W2), num_grad(lambda W: (h @ W + b2), W2))
    return all_draws(chk)


def step_81_0():  # = d/dW_cd [h_i W_ib + b_b]
    def chk(r, n):
        h, W2, b2, y = _net(r, n)
        ent = lambda W: np.array([sum(h[i] * W[i, bb] for i in range(len(h))) + b2[bb] for bb in range(len(b2))])  # noqa: E731
        return close(num_grad(lambda W: h @ W + b2, W2), num_grad(ent, W2))
    return all_draws(chk)


def step_82_0():  # = h_i dW_ib/dW_cd + 0
    def chk(r, n):
        h, W2, b2, y = _net(r, n)
        dW = num_grad(lambda W: W, W2)  # [c, d, i, b]
        ent = lambda W: np.array([sum(h[i] * W[i, bb] for i in range(len(h))) + b2[bb] for bb in range(len(b2))])  # noqa: E731
        return close(num_grad(ent, W2), np.einsum("i,cdib->cdb", h, dW) + 0)
    return all_draws(chk)


def step_83_0():  # = h_i delta_ic delta_bd
    def chk(r, n):
        h, W2, b2, y = _net(r, n)
        H, K = W2.shape
        dW = num_grad(lambda W: W, W2)
        rhs = np.array([[[sum(h[i] * (i == c) for i in range(H)) * (bb == d) for bb in range(K)] for d in range(K)]
                        for c in range(H)])
        return close(np.einsum("i,cdib->cdb", h, dW), rhs)
    return all_draws(chk)


def step_84_0():  # = h_c delta_bd
    def chk(r, n):
        h, W2, b2, y = _net(r, n)
        H, K = W2.shape
        a = np.array([[[sum(h[i] * (i == c) for i in range(H)) * (bb == d) for bb in range(K)] for d in range(K)]
                      for c in range(H)])
        b = np.array([[[h[c] * (bb == d) for bb in range(K)] for d in range(K)] for c in range(H)])
        return close(a, b)
    return all_draws(chk)


def step_91_0():  # dJ/dW_cd = dJ/dyhat_a dyhat_a/dv_b dv_b/dW_cd (restated)
    return step_74_0()


def step_92_0():  # = [yhat_b - y_b] h_c delta_bd
    def chk(r, n):
        h, W2, b2, y = _net(r, n)
        H, K = W2.shape
        yh = softmax(h @ W2 + b2)
        rhs = np.array([[sum((yh[bb] - y[bb]) * h[c] * (bb == d) for bb in range(K)) for d in range(K)] for c in range(H)])
        return close(_chain_W(h, W2, b2, y), rhs)
    return all_draws(chk)


def step_93_0():  # = [yhat_d - y_d] h_c
    def chk(r, n):
        h, W2, b2, y = _net(r, n)
        H, K = W2.shape
        yh = softmax(h @ W2 + b2)
        a = np.array([[sum((yh[bb] - y[bb]) * h[c] * (bb == d) for bb in range(K)) for d in range(K)] for c in range(H)])
        return close(a, np.array([[(yh[d] - y[d]) * h[c] for d in range(K)] for c in range(H)]))
    return all_draws(chk)


def step_94_0():  # = h_c [yhat_d - y_d]
    def chk(r, n):
        h, W2, b2, y = _net(r, n)
        H, K = W2.shape
        yh = softmax(h @ W2 + b2)
        return close(np.array([[(yh[d] - y[d]) * h[c] for d in range(K)] for c in range(H)]),
                     np.array([[h[c] * (yh[d] - y[d]) for d in range(K)] for c in range(H)]))
    return all_draws(chk)


def step_101_0():  # dJ/dW^(2) = h (x) [yhat - y]
    def chk(r, n):
        h, W2, b2, y = _net(r, n)
        return close(num_grad(lambda W: _J(h, W, b2, y), W2), np.outer(h, softmax(h @ W2 + b2) - y))
    return all_draws(chk)


def step_102_0():  # = h^T [yhat - y]   (h, yhat - y row vectors)
    def chk(r, n):
        h, W2, b2, y = _net(r, n)
        e = (softmax(h @ W2 + b2) - y).reshape(1, -1)
        return close(np.outer(h, e), h.reshape(1, -1).T @ e)
    return all_draws(chk)


def step_113_0():  # dv_b/db_c = d/db_c [hW + b]_b
    def chk(r, n):
        h, W2, b2, y = _net(r, n)
        v_of = lambda B: np.array([h @ W2[:, bb] + B[bb] for bb in range(len(B))])  # noqa: E731
        return close(num_grad(v_of, b2), num_grad(lambda B: h @ W2 + B, b2))
    return all_draws(chk)


def step_114_0():  # = d/db_c [h_i W_ib + b_b]
    def chk(r, n):
        h, W2, b2, y = _net(r, n)
        ent = lambda B: np.array([sum(h[i] * W2[i, bb] for i in range(len(h))) + B[bb] for bb in range(len(B))])  # noqa: E731
        return close(num_grad(lambda B: h @ W2 + B, b2), num_grad(ent, b2))
    return all_draws(chk)


def step_115_0():  # = 0 + db_b/db_c
    def chk(r, n):
        h, W2, b2, y = _net(r, n)
        ent = lambda B: np.array([sum(h[i] * W2[i, bb] for i in range(len(h))) + B[bb] for bb in range(len(B))])  # noqa: E731
        return close(num_grad(ent, b2), 0 + num_grad(lambda B: B, b2))
    return all_draws(chk)


def step_116_0():  # = delta_bc
    def chk(r, n):
        h, W2, b2, y = _net(r, n)
        return close(num_grad(lambda B: B, b2), np.eye(len(b2)))
    return all_draws(chk)


def _chain_b(h, W2, b2, y):
    v = h @ W2 + b2
    yh = softmax(v)
    dJ = num_grad(lambda q: -np.sum(y * np.log(q)), yh)
    dy = num_grad(softmax, v)
    dv = num_grad(lambda B: h @ W2 + B, b2)  # [c, b]
    return np.einsum("a,ba,cb->c", dJ, dy, dv)


def step_123_0():  # dJ/db_c = dJ/dyhat_a dyhat_a/dv_b dv_b/db_c
    def chk(r, n):
        h, W2, b2, y = _net(r, n)
        return close(num_grad(lambda B: _J(h, W2, B, y), b2), _chain_b(h, W2, b2, y))
    return all_draws(chk)


def step_124_0():  # = [yhat_b - y_b] delta_bc
    def chk(r, n):
        h, W2, b2, y = _net(r, n)
        K = len(b2)
        yh = softmax(h @ W2 + b2)
        return close(_chain_b(h, W2, b2, y), [sum((yh[bb] - y[bb]) * (bb == c) for bb in range(K)) for c in range(K)])
    return all_draws(chk)


def step_125_0():  # = [yhat_c - y_c]
    def chk(r, n):
        h, W2, b2, y = _net(r, n)
        K = len(b2)
        yh = softmax(h @ W2 + b2)
        return close([sum((yh[bb] - y[bb]) * (bb == c) for bb in range(K)) for c in range(K)], yh - y)
    return all_draws(chk)


def step_132_0():  # dJ/db^(2) = yhat - y
    def chk(r, n):
        h, W2, b2, y = _net(r, n)
        return close(num_grad(lambda B: _J(h, W2, B, y), b2), softmax(h @ W2 + b2) - y)
    return all_draws(chk)


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
