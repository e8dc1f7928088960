"""Finite-difference checks of e04_mathse_3789676_softmax_temperature_ce.md (xi = -sum_j t_j log y_j, y = softmax(z), t a random probability vector, or one-hot)."""
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

def _setup(r, n):
    z = r.normal(size=n)
    t = onehot(n, r.integers(n)) if r.random() < 0.5 else softmax(r.normal(size=n))
    y = softmax(z)
    J = num_grad(softmax, z).T  # J[j, i] = d y_j / d z_i
    return z, t, y, J


def _chain(lhs, rhs):
    def chk(r, n):
        z, t, y, J = _setup(r, n)
        return all(close(lhs(z, t, y, J, i), rhs(z, t, y, J, i)) for i in range(n))
    return all_draws(chk)


def _xi_grad(z, t, y, J, i):
    return num_grad(lambda u: -np.sum(t * np.log(softmax(u))), z)[i]


def _m1(z, t, y, J, i):  # - sum_j d(t_j log y_j)/dz_i
    return -sum(num_grad(lambda u, j=j: t[j] * np.log(softmax(u)[j]), z)[i] for j in range(len(z)))


def _m2(z, t, y, J, i):  # - sum_j t_j d log(y_j)/dz_i
    return -sum(t[j] * num_grad(lambda u, j=j: np.log(softmax(u)[j]), z)[i] for j in range(len(z)))


def _m3(z, t, y, J, i):  # - sum_j t_j / y_j dy_j/dz_i
    return -sum(t[j] / y[j] * J[j, i] for j in range(len(z)))


def _m4(z, t, y, J, i):  # - t_i/y_i dy_i/dz_i - sum_{j != i} t_j/y_j dy_j/dz_i
    return -t[i] / y[i] * J[i, i] - sum(t[j] / y[j] * J[j, i] for j in range(len(z)) if j != i)


def _m5(z, t, y, J, i):  # - t_i/y_i y_i(1-y_i) - sum_{j != i} t_j/y_j (-y_j y_i)
    return -t[i] / y[i] * y[i] * (1 - y[i]) - sum(t[j] / y[j] * (-y[j] * y[i]) for j in range(len(z)) if j != i)


def _m6(z, t, y, J, i):  # - t_i + t_i y_i + sum_{j != i} t_j y_i
    return -t[i] + t[i] * y[i] + sum(t[j] * y[i] for j in range(len(z)) if j != i)


def _m7(z, t, y, J, i):  # - t_i + sum_j t_j y_i
    return -t[i] + sum(t[j] * y[i] for j in range(len(z)))


def _m8(z, t, y, J, i):  # - t_i + y_i sum_j t_j
    return -t[i] + y[i] * np.sum(t)


def _m9(z, t, y, J, i):  # y_i - t_i
    return y[i] - t[i]


_MEMBERS = [_xi_grad, _m1, _m2, _m3, _m4, _m5, _m6, _m7, _m8, _m9]


def step_26_0():
    return _chain(_MEMBERS[0], _MEMBERS[1])


def step_26_1():
    return _chain(_MEMBERS[1], _MEMBERS[2])


def step_26_2():
    return _chain(_MEMBERS[2], _MEMBERS[3])


def step_26_3():
    return _chain(_MEMBERS[3], _MEMBERS[4])


def step_26_4():
    return _chain(_MEMBERS[4], _MEMBERS[5])


def step_26_5():
    return _chain(_MEMBERS[5], _MEMBERS[6])


def step_26_6():
    return _chain(_MEMBERS[6], _MEMBERS[7])


def step_26_7():
    return _chain(_MEMBERS[7], _MEMBERS[8])


def step_26_8():  # uses sum_j t_j = 1
    return _chain(_MEMBERS[8], _MEMBERS[9])


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
