"""Finite-difference checks of e08_statsse_235528_softmax_backprop_question.md.

Output layer: z_j = sum_i w_ij o_i + b (o_i: outputs of the previous layer, random), o = softmax(z), E =
-sum_j t_j log o_j with t one-hot or a random distribution (the slip fails for a one-hot t whose 1 is not
at j). dE/do_j treats the o_j as free variables. Classes n in 1, 2, 3, 5 (3 for the a, b, c example)."""
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

def _net(r, n):
    m = 3
    oi, W, b = r.normal(size=m), r.normal(size=(m, n)), r.normal()
    t = onehot(n, r.integers(n)) if r.random() < 0.5 else softmax(r.normal(size=n))
    E = lambda W_: -np.sum(t * np.log(softmax(oi @ W_ + b)))  # noqa: E731
    return oi, W, b, t, E, softmax(oi @ W + b)


def step_35_0():  # dE/dw_ij = dE/do_j do_j/dz_j dz_j/dw_ij   (drops the paths through the other o_k)
    def chk(r, n):
        oi, W, b, t, E, o = _net(r, n)
        G = num_grad(E, W)
        J = num_grad(softmax, oi @ W + b).T
        return all(close(G[i, j], (-t[j] / o[j]) * J[j, j] * oi[i]) for i in range(len(oi)) for j in range(n))
    return all_draws(chk, sizes=(2, 3, 5))


def step_41_0():  # dz_j/dw_ij = o_i
    def chk(r, n):
        oi, W, b, t, E, o = _net(r, n)
        D = num_grad(lambda W_: oi @ W_ + b, W)  # [i, j', j] = dz_j / dw_ij'
        return all(close(D[i, j, j], oi[i]) for i in range(len(oi)) for j in range(n))
    return all_draws(chk)


def step_45_0():  # dE/do_j = -t_j / o_j
    def chk(r, n):
        oi, W, b, t, E, o = _net(r, n)
        return close(num_grad(lambda o_: -np.sum(t * np.log(o_)), o), -t / o)
    return all_draws(chk)


def step_49_0():  # do_j/dz_j = d/dz_j e^{z_j} / sum e^{z_j}
    def chk(r, n):
        z = r.normal(size=n)
        J = num_grad(softmax, z).T
        return all(close(J[j, j], num_grad(lambda u, j=j: np.exp(u[j]) / np.sum(np.exp(u)), z)[j]) for j in range(n))
    return all_draws(chk)


def _abc(r):
    z = r.normal(size=3)
    return z, np.exp(z), np.sum(np.exp(z)), softmax(z)


def _each(check, draws=8):
    r = rng(0)
    return all(bool(check(_abc(r))) for _ in range(draws))


def step_53_0():  # o_b = e^{z_b} / sum e^z
    return _each(lambda a: close(a[3][1], a[1][1] / a[2]))


def step_53_1():  # = e^{z_b} / (e^{z_a} + e^{z_b} + e^{z_c})
    return _each(lambda a: close(a[1][1] / a[2], a[1][1] / (a[1][0] + a[1][1] + a[1][2])))


def step_57_0():  # do_b/dz_b = (e^{z_b} sum e^z - (e^{z_b})^2) / (sum e^z)^2
    return _each(lambda a: close(num_grad(softmax, a[0]).T[1, 1], (a[1][1] * a[2] - a[1][1] ** 2) / a[2] ** 2))


def step_57_1():  # = e^{z_b}/sum e^z - (e^{z_b})^2/(sum e^z)^2
    return _each(lambda a: close((a[1][1] * a[2] - a[1][1] ** 2) / a[2] ** 2, a[1][1] / a[2] - a[1][1] ** 2 / a[2] ** 2))


def step_57_2():  # = softmax(b) - softmax^2(b), softmax(b) = o_b
    return _each(lambda a: close(a[1][1] / a[2] - a[1][1] ** 2 / a[2] ** 2, a[3][1] - a[3][1] ** 2))


def step_57_3():  # = o_b - o_b^2
    return _each(lambda a: close(a[3][1] - a[3][1] ** 2, a[3][1] - a[3][1] ** 2))


def step_57_4():  # = o_b (1 - o_b)
    return _each(lambda a: close(a[3][1] - a[3][1] ** 2, a[3][1] * (1 - a[3][1])))


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
