"""Finite-difference checks of c05_vandykai_softmax_logsoftmax_lse_zh.md (S = softmax(x), LSE = log sum exp, y one-hot)."""
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


def _lse(x):
    return np.log(np.sum(np.exp(x)))


def _vec(rhs, lhs):
    def chk(r, n):
        x = r.normal(size=n)
        return close(lhs(x), rhs(x))
    return all_draws(chk)


def _sm_entries(rhs):
    """softmax(x)_i equals rhs(x) (vector over i)."""
    return _vec(rhs, softmax)


def _logsm(x):
    return np.log(softmax(x))


def step_32_0():  # softmax(x_i) = exp(x_i - x_max) / sum exp(x_j - x_max)
    return _sm_entries(lambda x: np.exp(x - np.max(x)) / np.sum(np.exp(x - np.max(x))))


def step_44_0():  # log(exp(x_i)/sum exp) = x_i - log sum exp(x_j)
    return _vec(lambda x: x - _lse(x), lambda x: np.log(np.exp(x) / np.sum(np.exp(x))))


def step_52_0():  # logsoftmax(x_i) = log(exp(x_i)/sum exp(x_j))
    return _vec(lambda x: np.log(np.exp(x) / np.sum(np.exp(x))), _logsm)


def step_53_0():  # = log(exp(x_i - x_max)/sum exp(x_j - x_max))
    return _vec(lambda x: np.log(np.exp(x - np.max(x)) / np.sum(np.exp(x - np.max(x)))), _logsm)


def step_54_0():  # = x_i - x_max - log sum exp(x_j - x_max)
    return _vec(lambda x: x - np.max(x) - np.log(np.sum(np.exp(x - np.max(x)))), _logsm)


def step_68_0():  # LSE(x) = log sum exp(x_j)
    return _vec(lambda x: np.log(np.sum(np.exp(x))), _lse)


def step_69_0():  # = x_max + log sum exp(x_j - x_max)
    return _vec(lambda x: np.max(x) + np.log(np.sum(np.exp(x - np.max(x)))), _lse)


def step_93_0():  # LSE(x) = log sum exp(x_j)
    return step_68_0()


def step_96_0():  # log(exp(x_max)) = x_max
    return _vec(lambda x: np.max(x), lambda x: np.log(np.exp(np.max(x))))


def step_109_0():  # max{x_1..x_n} = log(exp(x_max))
    return _vec(lambda x: np.log(np.exp(np.max(x))), np.max)


def step_113_0():  # log(n exp(x_max)) = max{x} + log(n)
    return _vec(lambda x: np.max(x) + np.log(len(x)), lambda x: np.log(len(x) * np.exp(np.max(x))))


def step_121_1():  # exp(x_i)/sum exp(x_j) = softmax(x_i)
    return _sm_entries(lambda x: np.exp(x) / np.sum(np.exp(x)))


def _jac(rhs):
    """J[i, j] = dS(x_i)/dx_j equals rhs(x, S, E, Z, i, j) for every i, j (E = exp(x), Z = sum E)."""
    def chk(r, n):
        x = r.normal(size=n)
        S = softmax(x)
        E = np.exp(x)
        Z = np.sum(E)
        J = num_grad(softmax, x).T
        return all(close(J[i, j], rhs(x, S, E, Z, i, j)) for i in range(n) for j in range(n))
    return all_draws(chk)


def _dexp(x, i, j):
    return num_grad(lambda u: np.exp(u[i]), x)[j]


def step_133_0():  # dS(x_i)/dx_j = (d exp(x_i)/dx_j Z - exp(x_i) exp(x_j)) / Z^2
    return _jac(lambda x, S, E, Z, i, j: (_dexp(x, i, j) * Z - E[i] * E[j]) / Z**2)


def step_134_0():  # = d exp(x_i)/dx_j / Z - exp(x_i)/Z exp(x_j)/Z
    return _jac(lambda x, S, E, Z, i, j: _dexp(x, i, j) / Z - E[i] / Z * E[j] / Z)


def step_135_0():  # = d exp(x_i)/dx_j / Z - S(x_i) S(x_j)
    return _jac(lambda x, S, E, Z, i, j: _dexp(x, i, j) / Z - S[i] * S[j])


def step_149_0():  # log(exp(x_i)/sum exp) = x_i - log sum exp
    return step_44_0()


def _logjac(rhs):
    """d logS(x_i)/dx_j equals rhs(x, S, i, j)."""
    def chk(r, n):
        x = r.normal(size=n)
        S = softmax(x)
        J = num_grad(_logsm, x).T
        return all(close(J[i, j], rhs(x, S, i, j)) for i in range(n) for j in range(n))
    return all_draws(chk)


def step_157_0():  # d logS(x_i)/dx_j = 1/S(x_i) dS(x_i)/dx_j
    return _logjac(lambda x, S, i, j: 1 / S[i] * num_grad(softmax, x)[j][i])


def step_164_0():  # cases(1/S_i S_i (1 - S_j); -1/S_i S_i S_j) = cases(1 - S_j; -S_j), same conditions
    def chk(r, n):
        x = r.normal(size=n)
        S = softmax(x)
        ok = True
        for i in range(n):
            for j in range(n):
                before = 1 / S[i] * S[i] * (1 - S[j]) if x[i] == x[j] else -1 / S[i] * S[i] * S[j]
                after = 1 - S[j] if x[i] == x[j] else -S[j]
                ok = ok and close(before, after)
        return ok
    return all_draws(chk)


def step_181_0():  # dLSE(x)/dx_j = exp(x_j) / sum exp(x_i)
    return _vec(lambda x: np.exp(x) / np.sum(np.exp(x)), lambda x: num_grad(_lse, x))


def step_182_0():  # = S(x_j)
    return _vec(softmax, lambda x: num_grad(_lse, x))


def _ce(y):
    return lambda x: -np.sum(y * np.log(np.exp(x) / np.sum(np.exp(x))))


def step_192_0():  # -sum y_i log(exp(x_i)/sum exp) = -sum y_i logS(x_i)
    def chk(r, n):
        x = r.normal(size=n)
        y = onehot(n, r.integers(n))
        return close(_ce(y)(x), -np.sum(y * _logsm(x)))
    return all_draws(chk)


def _ceg(rhs):
    def chk(r, n):
        x = r.normal(size=n)
        y = onehot(n, r.integers(n))
        S = softmax(x)
        return close(num_grad(_ce(y), x), [rhs(x, y, S, j) for j in range(n)])
    return all_draws(chk)


def step_204_0():  # dloss/dx_j = -sum_i y_i d logS(x_i)/dx_j
    return _ceg(lambda x, y, S, j: -np.sum(y * num_grad(_logsm, x)[j]))


def step_205_0():  # = -sum_{i != j} y_i (-S(x_j)) - y_j (1 - S(x_j))
    return _ceg(lambda x, y, S, j: -sum(y[i] * (-S[j]) for i in range(len(x)) if i != j) - y[j] * (1 - S[j]))


def step_206_0():  # = S(x_j) - y_j
    return _ceg(lambda x, y, S, j: S[j] - y[j])


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
