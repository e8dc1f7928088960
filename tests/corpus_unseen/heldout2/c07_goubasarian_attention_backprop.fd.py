# ruff: noqa: RUF059  (unpacked names are kept so every check reads alike)
"""Finite-difference checks of c07_goubasarian_attention_backprop.md (denominator layout; L = g(.) = sum(R * .) + sum(.^2)/2 downstream; ^{-1} on vectors entrywise)."""
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


def _g(R):
    return lambda Y: np.sum(R * Y) + np.sum(Y**2) / 2


def _dg(R, Y):
    return R + Y


SHAPES = ((1, 1), (2, 3), (3, 2), (3, 3))


def _shapes(check):
    r = rng(0)
    return all(bool(check(r, n, m)) for n, m in SHAPES for _ in range(DRAWS))


def step_97_0():  # Y_1 = W X_1: dL/dX_1 = W^T dL/dY_1
    def chk(r, n, m):
        W, X1 = r.normal(size=(n, m)), r.normal(size=(m, n))
        R = r.normal(size=(n, n))
        return close(num_grad(lambda X: _g(R)(W @ X), X1), W.T @ _dg(R, W @ X1))
    return _shapes(chk)


def step_99_0():  # Y_2 = X_2 W: dL/dX_2 = dL/dY_2 W^T
    def chk(r, n, m):
        W, X2 = r.normal(size=(n, m)), r.normal(size=(m, n))
        R = r.normal(size=(m, m))
        return close(num_grad(lambda X: _g(R)(X @ W), X2), _dg(R, X2 @ W) @ W.T)
    return _shapes(chk)


def step_101_0():  # dL/dX_2^T = W (dL/dY_2)^T
    def chk(r, n, m):
        W, X2 = r.normal(size=(n, m)), r.normal(size=(m, n))
        R = r.normal(size=(m, m))
        return close(num_grad(lambda P: _g(R)(P.T @ W), X2.T), W @ _dg(R, X2 @ W).T)
    return _shapes(chk)


def step_107_0():  # y_1 = X 1_m: dL/dX = dL/dy_1 1_m^T
    def chk(r, n, m):
        X = r.normal(size=(n, m))
        R = r.normal(size=(n, 1))
        one = np.ones((m, 1))
        return close(num_grad(lambda Z: _g(R)(Z @ one), X), _dg(R, X @ one) @ one.T)
    return _shapes(chk)


def step_109_0():  # y_2 = x 1_m^T: dL/dx = dL/dy_2 1_m
    def chk(r, n, m):
        x = r.normal(size=(n, 1))
        R = r.normal(size=(n, m))
        one = np.ones((m, 1))
        return close(num_grad(lambda z: _g(R)(z @ one.T), x), _dg(R, x @ one.T) @ one)
    return _shapes(chk)


def step_113_0():  # Y = X (.) W: dL/dX = dL/dY (.) W
    def chk(r, n, m):
        X, W = r.normal(size=(n, m)), r.normal(size=(n, m))
        R = r.normal(size=(n, m))
        return close(num_grad(lambda Z: _g(R)(Z * W), X), _dg(R, X * W) * W)
    return _shapes(chk)


def _parts(W):
    one = np.ones((W.shape[0], 1))
    B1 = np.exp(W)
    B2 = B1 @ one
    B3 = 1 / B2
    B4 = B3 @ one.T
    return one, B1, B2, B3, B4


def _sq(check):
    """check(r, n, h) on square attention shapes n x n scores, n x h values."""
    r = rng(0)
    return all(bool(check(r, n, h)) for n, h in ((1, 1), (2, 3), (3, 2), (4, 4)) for _ in range(DRAWS))


def step_166_0():  # B = softmax(W) (row-wise), restated
    def chk(r, n, h):
        W = r.normal(size=(n, n))
        B = softmax(W, axis=1)
        return close(B, softmax(W, axis=1))
    return _sq(chk)


def _member163(W):
    one = np.ones((W.shape[0], 1))
    return np.exp(W) * ((1 / (np.exp(W) @ one)) @ one.T)


def step_168_0():  # exp(W) (.) ((exp(W) 1)^{-1} 1^T) = B_1 (.) ((B_2)^{-1} 1^T)
    def chk(r, n, h):
        W = r.normal(size=(n, n))
        one, B1, B2, B3, B4 = _parts(W)
        return close(_member163(W), B1 * ((1 / B2) @ one.T))
    return _sq(chk)


def step_169_0():  # = B_1 (.) (B_3 1^T)
    def chk(r, n, h):
        W = r.normal(size=(n, n))
        one, B1, B2, B3, B4 = _parts(W)
        return close(B1 * ((1 / B2) @ one.T), B1 * (B3 @ one.T))
    return _sq(chk)


def step_170_0():  # = B_1 (.) B_4
    def chk(r, n, h):
        W = r.normal(size=(n, n))
        one, B1, B2, B3, B4 = _parts(W)
        return close(B1 * (B3 @ one.T), B1 * B4)
    return _sq(chk)


def _att(r, n, h):
    Q, K, V = r.normal(size=(n, h)), r.normal(size=(n, h)), r.normal(size=(n, h))
    R = r.normal(size=(n, h))
    dk = r.uniform(2.0, 9.0)
    return Q, K, V, R, dk


def _L(R, dk):
    """L as a function of (Q, K, V) with W = QK^T/d_k as the post defines it."""
    return lambda Q, K, V: _g(R)(softmax(Q @ K.T / dk, axis=1) @ V)


def step_183_0():  # dL/dV = B^T dL/dC
    def chk(r, n, h):
        Q, K, V, R, dk = _att(r, n, h)
        B = softmax(Q @ K.T / dk, axis=1)
        return close(num_grad(lambda X: _L(R, dk)(Q, K, X), V), B.T @ _dg(R, B @ V))
    return _sq(chk)


def step_184_0():  # dL/dB = zeta_1 V^T, zeta_1 = B^T dL/dC  (false: it is dL/dC V^T)
    def chk(r, n, h):
        Q, K, V, R, dk = _att(r, n, h)
        B = softmax(Q @ K.T / dk, axis=1)
        G = _dg(R, B @ V)
        return close(num_grad(lambda X: _g(R)(X @ V), B), (B.T @ G) @ V.T)
    return _sq(chk)


def _zetas(Q, K, V, R, dk, intended):
    """zeta_1..zeta_7: the true gradients (intended) or the members as written (literal)."""
    W = Q @ K.T / dk
    one, B1, B2, B3, B4 = _parts(W)
    B = B1 * B4
    G = _dg(R, B @ V)
    z1 = B.T @ G
    if intended:
        z2 = G @ V.T                                  # dL/dB
        z3 = B1 * z2                                  # dL/dB4
        z4 = z3 @ one                                 # dL/dB3
        z5 = -(1 / (B2 * B2)) * z4                    # dL/dB2
        dB1 = num_grad(lambda X: _g(R)((X * ((1 / (X @ one)) @ one.T)) @ V), B1)
        z6 = dB1                                      # dL/dB1 (true)
        z7 = num_grad(lambda X: _g(R)(softmax(X, axis=1) @ V), W)  # dL/dW (true)
    else:
        z2 = z1 @ V.T
        z3 = B1 * z2
        z4 = z3 @ one
        z5 = -(1 / (B2 * B2)) * z4
        z6 = z5 @ one.T + z3 * B4
        z7 = B1 * z6
    return W, one, B1, B2, B3, B4, z2, z3, z5, z6, z7


def step_191_0():  # dL/dB_1 = zeta_5 1^T + zeta_3 (.) B_4  (false under either reading)
    def chk(r, n, h):
        Q, K, V, R, dk = _att(r, n, h)
        ok = []
        for intended in (True, False):
            W, one, B1, B2, B3, B4, z2, z3, z5, z6, z7 = _zetas(Q, K, V, R, dk, intended)
            true = num_grad(lambda X, one=one: _g(R)((X * ((1 / (X @ one)) @ one.T)) @ V), B1)
            ok.append(close(true, z5 @ one.T + z3 * B4))
        return any(ok)
    return _sq(chk)


def step_193_0():  # dL/dQ = zeta_7 K / sqrt(d_k)  (false: W = QK^T/d_k)
    def chk(r, n, h):
        Q, K, V, R, dk = _att(r, n, h)
        true = num_grad(lambda X: _L(R, dk)(X, K, V), Q)
        return any(close(true, _zetas(Q, K, V, R, dk, i)[-1] @ K / np.sqrt(dk)) for i in (True, False))
    return _sq(chk)


def step_195_0():  # Q K^T = K Q^T  (false)
    def chk(r, n, h):
        Q, K, V, R, dk = _att(r, n, h)
        return close(Q @ K.T, K @ Q.T)
    return _sq(chk)


def step_197_0():  # dL/dK = zeta_7 Q / sqrt(d_k)  (false: it is zeta_7^T Q / d_k)
    def chk(r, n, h):
        Q, K, V, R, dk = _att(r, n, h)
        true = num_grad(lambda X: _L(R, dk)(Q, X, V), K)
        return any(close(true, _zetas(Q, K, V, R, dk, i)[-1] @ Q / np.sqrt(dk)) for i in (True, False))
    return _sq(chk)


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
