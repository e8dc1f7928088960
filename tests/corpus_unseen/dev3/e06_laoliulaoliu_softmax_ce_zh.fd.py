"""Finite-difference checks of e06_laoliulaoliu_softmax_ce_zh.md (p = y_hat = softmax(z), S = sum_c e^{z_c}, y a one-hot or probability label vector, L_CE = -sum_c y_c log p_c, E > 0 random)."""
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

def _J(z):
    return num_grad(softmax, z).T  # J[i, j] = d p_i / d z_j


def _pairs(check, off=None, sizes=(1, 2, 3, 5)):
    """check(z, e, S, p, i, j) for all i != j (off=True), i == j (off=False)."""
    def chk(r, n):
        z = r.normal(size=n)
        e, S, p = np.exp(z), np.sum(np.exp(z)), softmax(z)
        return all(check(z, e, S, p, i, j) for i in range(n) for j in range(n) if (i != j) == off)
    return all_draws(chk, sizes=sizes)


OFF = (2, 3, 5)


def step_38_0():  # dy_i/dz_j = (0 - e_i e_j) / S^2, i != j
    return _pairs(lambda z, e, S, p, i, j: close(_J(z)[i, j], (0 - e[i] * e[j]) / S**2), True, OFF)


def step_40_0():  # = -(e_i / S)(e_j / S)
    return _pairs(lambda z, e, S, p, i, j: close((0 - e[i] * e[j]) / S**2, -(e[i] / S) * (e[j] / S)), True, OFF)


def step_42_0():  # = -p_i p_j
    return _pairs(lambda z, e, S, p, i, j: close(-(e[i] / S) * (e[j] / S), -p[i] * p[j]), True, OFF)


def step_49_0():  # dy_i/dz_j = (e_i S - e_i e_j) / S^2, i = j
    return _pairs(lambda z, e, S, p, i, j: close(_J(z)[i, j], (e[i] * S - e[i] * e[j]) / S**2), False)


def step_51_0():  # = e_i (S - e_j) / S^2
    return _pairs(lambda z, e, S, p, i, j: close((e[i] * S - e[i] * e[j]) / S**2, e[i] * (S - e[j]) / S**2), False)


def step_53_0():  # = e_i / S (S - e_j) / S
    return _pairs(lambda z, e, S, p, i, j: close(e[i] * (S - e[j]) / S**2, e[i] / S * (S - e[j]) / S), False)


def step_55_0():  # = p_i (1 - p_j)
    return _pairs(lambda z, e, S, p, i, j: close(e[i] / S * (S - e[j]) / S, p[i] * (1 - p[j])), False)


def step_56_0():  # = p_i - p_i^2
    return _pairs(lambda z, e, S, p, i, j: close(p[i] * (1 - p[j]), p[i] - p[i] ** 2), False)


def _E(r, n):
    z = r.normal(size=n)
    E = np.exp(r.normal())
    return z, E


def step_67_0():  # y_hat_i = e^{z_i} / sum e^{z_c}   (restated)
    return all_draws(lambda r, n: close(softmax(z := r.normal(size=n)), np.exp(z) / np.sum(np.exp(z))))


def step_67_1():  # = E e^{z_i} / (E sum e^{z_c})
    return all_draws(lambda r, n: close(np.exp((t := _E(r, n))[0]) / np.sum(np.exp(t[0])), t[1] * np.exp(t[0]) / (t[1] * np.sum(np.exp(t[0])))))


def step_68_0():  # = e^{z_i + log E} / sum e^{z_c + log E}
    return all_draws(lambda r, n: close((t := _E(r, n))[1] * np.exp(t[0]) / (t[1] * np.sum(np.exp(t[0]))),
                                        np.exp(t[0] + np.log(t[1])) / np.sum(np.exp(t[0] + np.log(t[1])))))


def _labels(r, n):
    return onehot(n, r.integers(n)) if r.random() < 0.5 else softmax(r.normal(size=n))


def step_88_1():  # -log P(y|x) = -sum_c y_c log p_c, with P(y|x) = prod_c p_c^{y_c}
    def chk(r, n):
        p, y = softmax(r.normal(size=n)), _labels(r, n)
        return close(-np.log(np.prod(p**y)), -np.sum(y * np.log(p)))
    return all_draws(chk)


def step_94_0():  # -log p_i = -log(e^{z_i} / sum e^{z_c})
    return all_draws(lambda r, n: close(-np.log(softmax(z := r.normal(size=n))), -np.log(np.exp(z) / np.sum(np.exp(z)))))


def _ce(r, n, rhs):
    def chk(r, n):
        z, y = r.normal(size=n), _labels(r, n)
        p = softmax(z)
        g = num_grad(lambda u: -np.sum(y * np.log(softmax(u))), z)
        return all(close(g[j], rhs(z, y, p, _J(z), j)) for j in range(n))
    return all_draws(chk)


def _ce_pair(lhs, rhs):
    def chk(r, n):
        z, y = r.normal(size=n), _labels(r, n)
        p, J = softmax(z), _J(z)
        return all(close(lhs(z, y, p, J, j), rhs(z, y, p, J, j)) for j in range(n))
    return all_draws(chk)


def _d1(z, y, p, J, j):  # -sum_c y_c d log p_c / dz_j
    return -sum(y[c] * num_grad(lambda u, c=c: np.log(softmax(u)[c]), z)[j] for c in range(len(z)))


def _d2(z, y, p, J, j):  # -sum_c y_c / p_c dp_c/dz_j
    return -sum(y[c] / p[c] * J[c, j] for c in range(len(z)))


def _d3(z, y, p, J, j):  # -sum_{c != j} y_c/p_c (-p_c p_j) - y_j/p_j (p_j - p_j^2)
    return -sum(y[c] / p[c] * (-p[c] * p[j]) for c in range(len(z)) if c != j) - y[j] / p[j] * (p[j] - p[j] ** 2)


def _d4(z, y, p, J, j):  # sum_{c != j} y_c p_j - y_j + y_j p_j
    return sum(y[c] * p[j] for c in range(len(z)) if c != j) - y[j] + y[j] * p[j]


def _d5(z, y, p, J, j):  # (sum_{c != j} y_c + y_j) p_j - y_j
    return (sum(y[c] for c in range(len(z)) if c != j) + y[j]) * p[j] - y[j]


def _d6(z, y, p, J, j):  # p_j - y_j
    return p[j] - y[j]


def step_99_0():
    return _ce(None, None, _d1)


def step_101_0():
    return _ce_pair(_d1, _d2)


def step_108_0():  # dp_i/dz_j = -p_i p_j (i != j), p_i - p_i^2 (i = j)
    def chk(r, n):
        z = r.normal(size=n)
        p = softmax(z)
        return all(close(_J(z)[i, j], -p[i] * p[j] if i != j else p[i] - p[i] ** 2) for i in range(n) for j in range(n))
    return all_draws(chk)


def step_114_0():  # dL_CE/dz_j = -sum_c y_c/p_c dp_c/dz_j
    return _ce(None, None, _d2)


def step_116_0():
    return _ce_pair(_d2, _d3)


def step_118_0():
    return _ce_pair(_d3, _d4)


def step_119_0():
    return _ce_pair(_d4, _d5)


def step_120_0():  # uses sum_c y_c = 1
    return _ce_pair(_d5, _d6)


def step_127_1():  # 1/(1 + e^{-z}) = e^z/(1 + e^z)
    return all_draws(lambda r, n: close(1 / (1 + np.exp(-(z := r.normal(size=n)))), np.exp(z) / (1 + np.exp(z))))


def step_130_0():  # Softmax(z_i) = e^{z_i} / sum_c e^{z_c}   (restated)
    return step_94_0() and all_draws(lambda r, n: close(softmax(z := r.normal(size=n)), np.exp(z) / np.sum(np.exp(z))))


def step_131_0():  # = (e^{z_i}/sum_{c != i} e^{z_c}) / (1 + e^{z_i}/sum_{c != i} e^{z_c})
    def chk(r, n):
        z = r.normal(size=n)
        e = np.exp(z)
        return all(close(e[i] / np.sum(e), (e[i] / (np.sum(e) - e[i])) / (1 + e[i] / (np.sum(e) - e[i]))) for i in range(n))
    return all_draws(chk, sizes=(2, 3, 5))


def step_137_0():  # Softmax(z_i) = e^{z_i} / sum_c e^{z_c}   (restated)
    return step_130_0()


def step_139_0():  # e^{z_1}/(e^{z_1} + e^{z_2}) = 1/(1 + e^{z_2 - z_1})
    return all_draws(lambda r, n: close(np.exp((z := r.normal(size=2))[0]) / np.sum(np.exp(z)), 1 / (1 + np.exp(z[1] - z[0]))))


def step_140_0():  # 1/(1 + e^{z_2 - z_1}) = 1/(1 + e^{-z}) with z_2 = 0, z_1 = z
    return all_draws(lambda r, n: close(1 / (1 + np.exp(0 - (z := r.normal(size=n)))), 1 / (1 + np.exp(-z))))


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
