"""Finite-difference checks of b01_heavenaq_bce_derivation.md (plain NumPy, never derive).

Each step_LINE_n returns True when the n-th `=` step on LINE holds at random inputs
(several draws; sizes 1 and >= 2). Derivatives by central differences, h = 1e-6,
tolerance 1e-5 relative/absolute.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np

TOL = 1e-5
DRAWS = 5
SIZES = [(1, 1), (2, 3), (5, 4), (3, 3)]


def sig(z):
    return 1.0 / (1.0 + np.exp(-z))


def close(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and np.allclose(a, b, rtol=TOL, atol=TOL)


def num_grad(f, x, h=1e-6):
    x = np.array(x, float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def scalar_draws():
    rng = np.random.default_rng(1)
    for _ in range(DRAWS * 4):
        z = rng.normal(scale=2.0)
        y = float(rng.integers(0, 2))
        yhat = sig(z)
        yield z, y, yhat


def L_of_yhat(y, yh):
    return -(y * np.log(yh) + (1 - y) * np.log(1 - yh))


def data_draws(pm=False):
    rng = np.random.default_rng(2)
    for n, d in SIZES:
        for _ in range(DRAWS):
            X = rng.normal(size=(n, d))
            w = rng.normal(size=d)
            b = rng.normal()
            y = rng.integers(0, 2, size=n).astype(float)
            if pm:
                y = 2 * y - 1
            yield X, w, b, y


# section 3: d sigma / dz
def _dsig_chain(rhs):
    return all(close(rhs(z), num_grad(lambda t: sig(t), np.array(z))) for z, _, _ in scalar_draws())


def step_35_1():  # sigma(z) = 1/(1+e^{-z}) after yhat = sigma(z)
    return step_41_0()


def step_41_0():  # sigma(z) = 1/(1+e^{-z}) restated
    return all(close(sig(z), 1 / (1 + np.exp(-z))) for z, _, _ in scalar_draws())


def step_43_0():
    return _dsig_chain(lambda z: num_grad(lambda t: 1 / (1 + np.exp(-t)), np.array(z)))


def step_45_0():
    return _dsig_chain(lambda z: -(1 + np.exp(-z)) ** -2 * (-np.exp(-z)))


def step_47_0():
    return _dsig_chain(lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2)


def step_49_0():
    return _dsig_chain(lambda z: 1 / (1 + np.exp(-z)) * np.exp(-z) / (1 + np.exp(-z)))


def step_51_0():
    return _dsig_chain(lambda z: sig(z) * (1 - sig(z)))


def step_55_0():
    return _dsig_chain(lambda z: sig(z) * (1 - sig(z)))


def step_55_1():
    return all(close(sig(z) * (1 - sig(z)), yh * (1 - yh)) for z, _, yh in scalar_draws())


# section 4: dL / d yhat (yhat treated as the variable)
def _dL_chain(rhs):
    ok = True
    for _, y, yh in scalar_draws():
        ref = num_grad(lambda t: L_of_yhat(y, t), np.array(yh))
        ok &= close(rhs(y, yh), ref)
    return bool(ok)


def step_63_0():
    return _dL_chain(lambda y, yh: -(y * 1 / yh + (1 - y) * 1 / (1 - yh) * (-1)))


def step_65_0():
    return _dL_chain(lambda y, yh: -(y / yh - (1 - y) / (1 - yh)))


def step_67_0():
    return _dL_chain(lambda y, yh: -(y * (1 - yh) - yh * (1 - y)) / (yh * (1 - yh)))


def step_69_0():
    return _dL_chain(lambda y, yh: -(y - y * yh - yh + y * yh) / (yh * (1 - yh)))


def step_71_0():
    return _dL_chain(lambda y, yh: -(y - yh) / (yh * (1 - yh)))


def step_73_0():
    return _dL_chain(lambda y, yh: (yh - y) / (yh * (1 - yh)))


def step_77_0():
    return step_73_0()


# section 5: dL/dz, L as a function of z through yhat = sigma(z)
def _dLdz_chain(rhs):
    ok = True
    for z, y, yh in scalar_draws():
        ref = num_grad(lambda t: L_of_yhat(y, sig(t)), np.array(z))
        ok &= close(rhs(z, y, yh), ref)
    return bool(ok)


def step_83_0():  # chain rule dL/dyhat * dyhat/dz
    return _dLdz_chain(lambda z, y, yh: num_grad(lambda t: L_of_yhat(y, t), np.array(yh))
                       * num_grad(sig, np.array(z)))


def step_85_0():
    return _dLdz_chain(lambda z, y, yh: (yh - y) / (yh * (1 - yh)) * yh * (1 - yh))


def step_87_0():
    return _dLdz_chain(lambda z, y, yh: yh - y)


def step_93_0():
    return step_87_0()


# section 6: dL/dw for one example
def _one_example():
    for X, w, b, y in data_draws():
        for i in range(X.shape[0]):
            yield X[i], w, b, y[i]


def _Lw(x, w, b, y):
    return L_of_yhat(y, sig(w @ x + b))


def step_99_0():
    ok = True
    for x, w, b, y in _one_example():
        ref = num_grad(lambda v: _Lw(x, v, b, y), w)
        z = w @ x + b
        dLdz = num_grad(lambda t: L_of_yhat(y, sig(t)), np.array(z))
        dzdw = num_grad(lambda v: v @ x + b, w)
        ok &= close(dLdz * dzdw, ref)
    return bool(ok)


def step_101_1():
    return all(close(num_grad(lambda v: v @ x + b, w), x) for x, w, b, _ in _one_example())


def step_103_0():
    return all(close((sig(w @ x + b) - y) * x, num_grad(lambda v: _Lw(x, v, b, y), w))
               for x, w, b, y in _one_example())


def _J(X, w, b, y):
    yh = sig(X @ w + b)
    return -np.mean(y * np.log(yh) + (1 - y) * np.log(1 - yh))


def step_107_0():
    ok = True
    for X, w, b, y in data_draws():
        m = X.shape[0]
        yh = sig(X @ w + b)
        rhs = sum((yh[i] - y[i]) * X[i] for i in range(m)) / m
        ok &= close(rhs, num_grad(lambda v: _J(X, v, b, y), w))
    return bool(ok)


def step_109_0():
    ok = True
    for X, w, b, y in data_draws():
        yh = sig(X @ w + b)
        ok &= close(X.T @ (yh - y) / X.shape[0], num_grad(lambda v: _J(X, v, b, y), w))
    return bool(ok)


def step_119_0():
    ok = True
    for x, w, b, y in _one_example():
        ref = num_grad(lambda c: _Lw(x, w, c, y), np.array(b))
        z = w @ x + b
        ok &= close(num_grad(lambda t: L_of_yhat(y, sig(t)), np.array(z)) * 1.0, ref)
    return bool(ok)


def _dLdb(rhs):
    return all(close(rhs(sig(w @ x + b), y), num_grad(lambda c: _Lw(x, w, c, y), np.array(b)))
               for x, w, b, y in _one_example())


def step_121_0():
    return _dLdb(lambda yh, y: (yh - y) * 1)


def step_123_0():
    return _dLdb(lambda yh, y: yh - y)


def step_127_0():
    ok = True
    for X, w, b, y in data_draws():
        yh = sig(X @ w + b)
        ok &= close(np.sum(yh - y) / X.shape[0], num_grad(lambda c: _J(X, w, c, y), np.array(b)))
    return bool(ok)


def step_139_0():  # dw = 1/m X^T error, error = yhat - y: the gradient of J
    return step_109_0()


def step_141_0():
    return step_127_0()


# log-likelihood with +-1 labels: log P = sum log sigma(y w^T x)
def _logP(X, w, y):
    return np.sum(np.log(sig(y * (X @ w))))


def step_162_0():  # nabla log P = X (sigma(-y . Xw) . y): transpose missing
    ok = True
    for X, w, _, y in data_draws(pm=True):
        ref = num_grad(lambda v: _logP(X, v, y), w)
        v = sig(-y * (X @ w)) * y
        if X.shape[1] != v.shape[0]:
            return False  # X v is not even defined (n != d)
        ok &= close(X @ v, ref)
    return bool(ok)


def step_170_0():  # J = -log P = -sum log sigma(y w^T x)
    ok = True
    for X, w, _, y in data_draws(pm=True):
        ok &= close(-_logP(X, w, y), -sum(np.log(sig(y[i] * (w @ X[i]))) for i in range(len(y))))
    return bool(ok)


def step_174_0():
    ok = True
    for X, w, _, y in data_draws(pm=True):
        ok &= close(num_grad(lambda v: -_logP(X, v, y), w), -num_grad(lambda v: _logP(X, v, y), w))
    return bool(ok)


def step_176_0():
    ok = True
    for X, w, _, y in data_draws(pm=True):
        ref = num_grad(lambda v: -_logP(X, v, y), w)
        v = sig(-y * (X @ w)) * y
        if X.shape[1] != v.shape[0]:
            return False
        ok &= close(-(X @ v), ref)
    return bool(ok)


def _Jsum(X, w, y):
    yh = sig(X @ w)
    return -np.sum(y * np.log(yh) + (1 - y) * np.log(1 - yh))


def step_210_0():  # gradient of the SUM written with a 1/N
    ok = True
    for X, w, _, y in data_draws():
        yh = sig(X @ w)
        ok &= close(X.T @ (yh - y) / X.shape[0], num_grad(lambda v: _Jsum(X, v, y), w))
    return bool(ok)


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
