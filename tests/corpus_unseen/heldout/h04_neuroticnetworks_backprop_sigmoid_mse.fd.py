"""Finite-difference checks of h04_neuroticnetworks_backprop_sigmoid_mse.md (plain NumPy, never derive).

Layers h -> i -> j -> k with sizes (H, I, J) = (1, 1, 1), (3, 2, 2), (4, 3, 5) and one output k; weights W_hi (H x I),
W_ij (I x J), w_jk (J) ~ N(0, 1), inputs L_h ~ N(0, 1), target T ~ U(0, 1); 4 draws each. net_i = W_hi^T L_h,
L_i = sigma(net_i), and so on; E = (T - L_k)^2 / 2. Partial derivatives by central differences (h = 1e-6);
rtol = atol = 1e-6. Every (i, j) weight index is checked.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np


def sig(z):
    return 1 / (1 + np.exp(-z))


def draws():
    rng = np.random.default_rng(3204)
    for H, I, J in [(1, 1, 1), (3, 2, 2), (4, 3, 5)]:
        for _ in range(4):
            yield dict(Lh=rng.normal(size=H), Whi=rng.normal(size=(H, I)), Wij=rng.normal(size=(I, J)),
                       wjk=rng.normal(size=J), T=rng.uniform())


def forward(p):
    Li = sig(p["Lh"] @ p["Whi"])
    Lj = sig(Li @ p["Wij"])
    netk = Lj @ p["wjk"]
    return Li, Lj, netk, sig(netk)


def E_of(p):
    return (p["T"] - forward(p)[3]) ** 2 / 2


def d_param(f, p, name, idx, h=1e-6):
    """Central difference of f(p) in the entry idx of p[name]."""
    plus = {k: np.array(v, dtype=float) for k, v in p.items()}
    minus = {k: np.array(v, dtype=float) for k, v in p.items()}
    plus[name][idx] += h
    minus[name][idx] -= h
    return (f(plus) - f(minus)) / (2 * h)


def d_scalar(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


def close(a, b):
    return bool(np.allclose(a, b, rtol=1e-6, atol=1e-6))


def every_jk(check):
    ok = True
    for p in draws():
        for j in range(len(p["wjk"])):
            ok &= bool(check(p, j))
    return bool(ok)


def step_41_0():
    ok = True
    for p in draws():
        nested = sig(np.sum(p["wjk"] * sig(sig(p["Lh"] @ p["Whi"]) @ p["Wij"])))
        ok &= close(forward(p)[3], nested)
    return bool(ok)


def step_45_0():
    x = np.linspace(-4, 4, 33)
    return close(d_scalar(sig, x), sig(x) * (1 - sig(x)))


def _dLk_dwjk(p, j):
    return d_param(lambda q: forward(q)[3], p, "wjk", j)


def step_52_0():
    return every_jk(lambda p, j: close(d_param(E_of, p, "wjk", j), (forward(p)[3] - p["T"]) * _dLk_dwjk(p, j)))


def step_54_0():  # L_k is sigma(net_k): the same function of w_jk
    return every_jk(lambda p, j: close((forward(p)[3] - p["T"]) * _dLk_dwjk(p, j),
                                       (forward(p)[3] - p["T"]) * d_param(lambda q: sig(forward(q)[2]), p, "wjk", j)))


def step_54_1():
    def c(p, j):
        Li, Lj, netk, Lk = forward(p)
        left = (Lk - p["T"]) * d_param(lambda q: sig(forward(q)[2]), p, "wjk", j)
        right = (Lk - p["T"]) * d_scalar(sig, netk) * d_param(lambda q: forward(q)[2], p, "wjk", j)
        return close(left, right)
    return every_jk(c)


def _dE_dLk(p):
    return d_scalar(lambda L: (p["T"] - L) ** 2 / 2, forward(p)[3])


def step_56_0():  # E as a function of L_k: the same function as written
    return all(close(_dE_dLk(p), d_scalar(lambda L: (p["T"] - L) ** 2 / 2, forward(p)[3])) for p in draws())


def step_56_1():
    return all(close(_dE_dLk(p), (p["T"] - forward(p)[3]) * (-1)) for p in draws())


def step_56_2():
    return all(close((p["T"] - forward(p)[3]) * (-1), forward(p)[3] - p["T"]) for p in draws())


def step_57_0():
    return all(close(d_scalar(sig, forward(p)[2]), sig(forward(p)[2]) * (1 - sig(forward(p)[2]))) for p in draws())


def step_57_1():
    return all(close(sig(forward(p)[2]) * (1 - sig(forward(p)[2])), forward(p)[3] * (1 - forward(p)[3]))
               for p in draws())


def step_58_0():
    return every_jk(lambda p, j: close(d_param(lambda q: forward(q)[2], p, "wjk", j), forward(p)[1][j]))


def step_62_0():
    def c(p, j):
        Li, Lj, netk, Lk = forward(p)
        return close(d_param(E_of, p, "wjk", j), (Lk - p["T"]) * Lk * (1 - Lk) * Lj[j])
    return every_jk(c)


def step_66_0():
    return all(close(E_of(p), (p["T"] - forward(p)[3]) ** 2 / 2) for p in draws())


def step_66_1():
    return all(close((p["T"] - forward(p)[3]) ** 2 / 2, (p["T"] - sig(forward(p)[2])) ** 2 / 2) for p in draws())


def step_66_2():
    return all(close((p["T"] - sig(forward(p)[2])) ** 2 / 2,
                     (p["T"] - sig(np.sum(p["wjk"] * forward(p)[1]))) ** 2 / 2) for p in draws())


def step_68_0():
    ok = True
    for p in draws():
        Li, Lj, netk, Lk = forward(p)
        for i in range(len(Li)):
            for j in range(len(Lj)):
                # dE/dL_j with L_j as the variable (net_k = sum_j w_jk L_j)
                def E_of_Lj(x):
                    v = Lj.copy()
                    v[j] = x
                    return (p["T"] - sig(v @ p["wjk"])) ** 2 / 2
                right = d_scalar(E_of_Lj, Lj[j]) * (Lj[j] * (1 - Lj[j])) * Li[i]
                ok &= close(d_param(E_of, p, "Wij", (i, j)), right)
    return bool(ok)


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
