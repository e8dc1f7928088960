"""Finite-difference checks of e07_walkerwzy_softmax_ce_batch_zh.ipynb.

Three classes: y = (y_1, y_2, y_3), S = sum e^{y_k}, P = softmax(y), T a random probability vector (so
T_1 + T_2 + T_3 = 1 and every T_k > 0). L is cell 5's loss of one sample written with the factor 1/M,
L(P) = -1/M sum_k T_k ln P_k, with M in 2, 3 for the slips (they hold only when M = 1); the batch loss is
-1/M sum_i sum_k T_k^(i) ln P_k^(i) over M random samples."""
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

C = 3


def _draw(r):
    y = r.normal(size=C)
    T = softmax(r.normal(size=C))
    return y, np.exp(y), np.sum(np.exp(y)), softmax(y), T


def _each(check, draws=8, seed=0):
    r = rng(seed)
    return all(bool(check(r)) for _ in range(draws))


def _loss_P(T, M):
    return lambda P: -1 / M * np.sum(T * np.log(P))


def _dLdP(T, P, M):
    return num_grad(_loss_P(T, M), P)


def _J(y):
    return num_grad(softmax, y).T  # J[k, j] = d P_k / d y_j


def step_4_6_0():  # softmax(Y) = [e^{y_k} / S]
    return _each(lambda r: close((d := _draw(r))[3], d[1] / d[2]))


def step_5_6_0():  # -1/M sum_i sum_k T ln P = -1/M [ln P_1 T_1 + ln P_2 T_2 + ln P_3 T_3]   (false unless M = 1)
    def chk(r):
        M = int(r.integers(2, 4))
        Y = r.normal(size=(M, C))
        T = softmax(r.normal(size=(M, C)), axis=1)
        P = softmax(Y, axis=1)
        return close(-1 / M * np.sum(T * np.log(P)), -1 / M * np.sum(np.log(P[0]) * T[0]))
    return _each(chk)


def step_6_4_0():  # dL/dy_1 = sum_k dL/dP_k dP_k/dy_1
    def chk(r):
        y, e, S, P, T = _draw(r)
        M = int(r.integers(1, 4))
        g = num_grad(lambda u: _loss_P(T, M)(softmax(u)), y)
        return close(g[0], _dLdP(T, P, M) @ _J(y)[:, 0])
    return _each(chk)


def step_7_2_0():  # d ln x / dx = 1/x
    return _each(lambda r: close(num_grad(np.log, x := np.exp(r.normal(size=3))).diagonal(), 1 / x))


def step_7_3_0():  # d e^x / dx = e^x
    return _each(lambda r: close(num_grad(np.exp, x := r.normal(size=3)).diagonal(), np.exp(x)))


def step_7_4_0():  # d x^{-1} / dx = -1/x^2
    return _each(lambda r: close(num_grad(lambda u: 1 / u, x := np.exp(r.normal(size=3))).diagonal(), -1 / x**2))


def step_7_5_0():  # P_1 = e^{y_1} / S
    return _each(lambda r: close((d := _draw(r))[3][0], d[1][0] / d[2]))


def _M2(check):
    return _each(lambda r: check(*_draw(r), int(r.integers(2, 4))))


def step_7_8_0():  # dL/dP_1 = -T_1 / P_1   (the derivative is -T_1 / (M P_1))
    return _M2(lambda y, e, S, P, T, M: close(_dLdP(T, P, M)[0], -T[0] / P[0]))


def step_7_11_0():  # 1/S e^{y_1} + e^{y_1} (-1/S^2) e^{y_1} = P_1 - P_1^2
    return _each(lambda r: close(1 / (d := _draw(r))[2] * d[1][0] + d[1][0] * (-1 / d[2] ** 2) * d[1][0], d[3][0] - d[3][0] ** 2))


def step_7_12_0():  # P_1 - P_1^2 = P_1 (1 - P_1)
    return _each(lambda r: close((d := _draw(r))[3][0] - d[3][0] ** 2, d[3][0] * (1 - d[3][0])))


def step_8_4_0():  # dL/dP_1 dP_1/dy_1 = -T_1 / P_1 P_1 (1 - P_1)   (1/M short)
    return _M2(lambda y, e, S, P, T, M: close(_dLdP(T, P, M)[0] * _J(y)[0, 0], -T[0] / P[0] * P[0] * (1 - P[0])))


def step_8_5_0():  # -T_1 / P_1 P_1 (1 - P_1) = T_1 (P_1 - 1)
    return _each(lambda r: close(-(d := _draw(r))[4][0] / d[3][0] * d[3][0] * (1 - d[3][0]), d[4][0] * (d[3][0] - 1)))


def step_10_2_0():  # P_2 = e^{y_2} / S
    return _each(lambda r: close((d := _draw(r))[3][1], d[1][1] / d[2]))


def step_10_5_0():  # dL/dP_2 = -T_2 / P_2   (1/M short)
    return _M2(lambda y, e, S, P, T, M: close(_dLdP(T, P, M)[1], -T[1] / P[1]))


def step_10_8_0():  # e^{y_2} (-1/S^2) e^{y_1} = -P_2 P_1
    return _each(lambda r: close((d := _draw(r))[1][1] * (-1 / d[2] ** 2) * d[1][0], -d[3][1] * d[3][0]))


def step_11_4_0():  # dL/dP_2 dP_2/dy_1 = -T_2 / P_2 (-P_2 P_1)   (1/M short)
    return _M2(lambda y, e, S, P, T, M: close(_dLdP(T, P, M)[1] * _J(y)[1, 0], -T[1] / P[1] * -P[1] * P[0]))


def step_11_5_0():  # = T_2 P_1
    return _each(lambda r: close(-(d := _draw(r))[4][1] / d[3][1] * -d[3][1] * d[3][0], d[4][1] * d[3][0]))


def step_12_4_0():  # dL/dP_3 dP_3/dy_1 = -T_3 / P_3 (-P_3 P_1)   (1/M short)
    return _M2(lambda y, e, S, P, T, M: close(_dLdP(T, P, M)[2] * _J(y)[2, 0], -T[2] / P[2] * -P[2] * P[0]))


def step_12_5_0():  # = T_3 P_1
    return _each(lambda r: close(-(d := _draw(r))[4][2] / d[3][2] * -d[3][2] * d[3][0], d[4][2] * d[3][0]))


def step_13_5_0():
    return step_6_4_0()


def step_13_6_0():  # sum_k dL/dP_k dP_k/dy_1 = T_1 (P_1 - 1) + T_2 P_1 + T_3 P_1   (1/M short)
    return _M2(lambda y, e, S, P, T, M: close(_dLdP(T, P, M) @ _J(y)[:, 0], T[0] * (P[0] - 1) + T[1] * P[0] + T[2] * P[0]))


def _rows(*members):
    def chk(r):
        y, e, S, P, T = _draw(r)
        vals = [m(P, T) for m in members]
        return all(close(a, b) for a, b in zip(vals, vals[1:]))
    return _each(chk)


_A = lambda P, T: T[0] * (P[0] - 1) + T[1] * P[0] + T[2] * P[0]  # noqa: E731
_B = lambda P, T: T[0] * P[0] - T[0] + T[1] * P[0] + T[2] * P[0]  # noqa: E731
_C = lambda P, T: P[0] * (T[0] + T[1] + T[2]) - T[0]  # noqa: E731
_D = lambda P, T: P[0] - T[0]  # noqa: E731


def step_13_7_0():
    return _rows(_A, _B)


def step_13_8_0():
    return _rows(_B, _C)


def step_13_9_0():  # uses T_1 + T_2 + T_3 = 1
    return _rows(_C, _D)


def _batch(r):
    M = int(r.integers(1, 4))
    Y = r.normal(size=(M, C))
    T = softmax(r.normal(size=(M, C)), axis=1)
    L = lambda U: -1 / M * np.sum(T * np.log(softmax(U, axis=1)))  # noqa: E731
    return M, Y, T, L


def step_15_4_0():  # dL/dy = 1/batch_size (P - T), batch_size = M, per sample
    return _each(lambda r: close(num_grad((b := _batch(r))[3], b[1]), 1 / b[0] * (softmax(b[1], axis=1) - b[2])))


def step_15_5_0():  # = 1/batch_size (softmax(y) - T)
    return _each(lambda r: close(1 / (b := _batch(r))[0] * (softmax(b[1], axis=1) - b[2]), (np.exp(b[1]) / np.exp(b[1]).sum(axis=1, keepdims=True) - b[2]) / b[0]))


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
