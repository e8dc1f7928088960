# ruff: noqa: RUF059  (unpacked names are kept so every check reads alike)
"""Finite-difference checks of a17_mdpii_mlp_softmax_backprop_es.md (no biases, ReLU hidden layer, one-hot y)."""
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


def _net(r, k):
    d, h = r.integers(1, 4), r.integers(2, 5)
    x = r.normal(size=d)
    W1, W2 = r.normal(size=(h, d)), r.normal(size=(k, h))
    y = onehot(k, r.integers(k))
    return x, W1, W2, y


def _fwd(x, W1, W2):
    z1 = W1 @ x
    a1 = np.maximum(0, z1)
    z2 = W2 @ a1
    return z1, a1, z2, softmax(z2)


def _L(x, W1, W2, y):
    return -np.sum(y * np.log(_fwd(x, W1, W2)[3]))


def _relu_entries(z):
    return np.array([zi if zi > 0 else 0.0 for zi in z])


def step_18_1():  # ReLU(z_1) = max(0, z_1)
    def chk(r, n):
        z = r.normal(size=n)
        return close(_relu_entries(z), np.maximum(0, z))
    return all_draws(chk)


def step_23_0():  # y_pred,i = e^{z_2,i} / sum_j e^{z_2,j}
    def chk(r, n):
        z2 = r.normal(size=n)
        return close(softmax(z2), np.exp(z2) / np.sum(np.exp(z2)))
    return all_draws(chk)


def step_40_0():  # z_1 = W_1 x   (restated)
    def chk(r, n):
        x, W1, W2, y = _net(r, n)
        return close(_fwd(x, W1, W2)[0], [sum(W1[i, j] * x[j] for j in range(len(x))) for i in range(W1.shape[0])])
    return all_draws(chk)


def step_40_1():  # a_1 = ReLU(z_1)   (restated)
    def chk(r, n):
        x, W1, W2, y = _net(r, n)
        z1, a1, _, _ = _fwd(x, W1, W2)
        return close(a1, _relu_entries(z1))
    return all_draws(chk)


def step_46_0():  # z_2 = W_2 a_1
    def chk(r, n):
        x, W1, W2, y = _net(r, n)
        z1, a1, z2, _ = _fwd(x, W1, W2)
        return close(z2, [sum(W2[i, j] * a1[j] for j in range(len(a1))) for i in range(n)])
    return all_draws(chk)


def step_46_1():  # y_pred = softmax(z_2)
    def chk(r, n):
        x, W1, W2, y = _net(r, n)
        z1, a1, z2, yp = _fwd(x, W1, W2)
        return close(yp, np.exp(z2) / np.sum(np.exp(z2)))
    return all_draws(chk)


def step_52_0():  # L = -sum_i y_i log(y_pred,i)
    def chk(r, n):
        x, W1, W2, y = _net(r, n)
        yp = _fwd(x, W1, W2)[3]
        return close(_L(x, W1, W2, y), -sum(y[i] * np.log(yp[i]) for i in range(n)))
    return all_draws(chk)


def step_64_0():  # y_pred,i = e^{z_2,i} / sum_j e^{z_2,j}   (restated)
    return step_23_0()


def step_70_1():  # dL/dz_2 = y_pred - y
    def chk(r, n):
        z2 = r.normal(size=n)
        y = onehot(n, r.integers(n))
        return close(num_grad(lambda u: -np.sum(y * np.log(softmax(u))), z2), softmax(z2) - y)
    return all_draws(chk)


def step_79_0():  # dL/dW_2 = delta_2 a_1^T
    def chk(r, n):
        x, W1, W2, y = _net(r, n)
        z1, a1, z2, yp = _fwd(x, W1, W2)
        return close(num_grad(lambda W: _L(x, W1, W, y), W2), np.outer(yp - y, a1))
    return all_draws(chk)


def step_89_0():  # dL/da_1 = W_2^T delta_2
    def chk(r, n):
        x, W1, W2, y = _net(r, n)
        z1, a1, z2, yp = _fwd(x, W1, W2)
        g = num_grad(lambda a: -np.sum(y * np.log(softmax(W2 @ a))), a1)
        return close(g, W2.T @ (yp - y))
    return all_draws(chk)


def step_95_0():  # da_1/dz_1 = diag(1_{z_1 > 0})
    def chk(r, n):
        z1 = r.normal(size=n)
        z1[np.abs(z1) < 1e-3] = 0.5  # away from the kink
        J = num_grad(lambda z: np.maximum(0, z), z1).T
        return close(J, np.diag((z1 > 0).astype(float)))
    return all_draws(chk)


def step_102_1():  # dL/dz_1 = dL/da_1 (.) diag(1_{z_1>0})   (vector times diagonal matrix: false as written)
    def chk(r, n):
        x, W1, W2, y = _net(r, n)
        z1, a1, z2, yp = _fwd(x, W1, W2)
        g = num_grad(lambda z: -np.sum(y * np.log(softmax(W2 @ np.maximum(0, z)))), z1)
        claim = (W2.T @ (yp - y)) * np.diag((z1 > 0).astype(float))  # the elementwise product, broadcast
        return close(g, claim)
    return all_draws(chk)


def _delta1(x, W1, W2, y):
    z1, a1, z2, yp = _fwd(x, W1, W2)
    return (W2.T @ (yp - y)) * (z1 > 0)


def step_111_0():  # dL/dW_1 = delta_1 x^T
    def chk(r, n):
        x, W1, W2, y = _net(r, n)
        return close(num_grad(lambda W: _L(x, W, W2, y), W1), np.outer(_delta1(x, W1, W2, y), x))
    return all_draws(chk)


def step_120_0():  # delta_2 = y_pred - y
    return step_70_1()


def step_120_1():  # dL/dW_2 = delta_2 a_1^T
    return step_79_0()


def step_126_0():  # delta_1 = (W_2^T delta_2) (.) 1_{z_1 > 0}
    def chk(r, n):
        x, W1, W2, y = _net(r, n)
        z1 = _fwd(x, W1, W2)[0]
        g = num_grad(lambda z: -np.sum(y * np.log(softmax(W2 @ np.maximum(0, z)))), z1)
        return close(g, _delta1(x, W1, W2, y))
    return all_draws(chk)


def step_126_1():  # dL/dW_1 = delta_1 x^T
    return step_111_0()


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
