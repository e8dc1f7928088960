"""Finite-difference checks of e02_magiattention_fa2_backward.md.

Attention without mask: S = Q K^T + bias, P = row-wise softmax(S), O = P V; the loss is sum(G * O) for a
random G, so dO = G; dX is the central-difference gradient of that loss with respect to X (dP: with P
taken as free, dS: with S taken as free). Row i of a matrix is a vector; LSE(x) = log sum exp(x).
Sizes N in 1, 2, 3, 5 (the row count), d = 3."""
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

DIM = 3


def lse(x):
    return np.log(np.sum(np.exp(x)))


def _setup(r, n):
    Q, K, V = r.normal(size=(n, DIM)), r.normal(size=(n, DIM)), r.normal(size=(n, DIM))
    B, G = r.normal(size=(n, n)), r.normal(size=(n, DIM))
    S = Q @ K.T + B
    P = softmax(S, axis=1)
    O = P @ V
    loss_S = lambda s: np.sum(G * (softmax(s, axis=1) @ V))  # noqa: E731
    dS = num_grad(loss_S, S)
    dP = num_grad(lambda p: np.sum(G * (p @ V)), P)
    return dict(Q=Q, K=K, V=V, B=B, G=G, S=S, P=P, O=O, dS=dS, dP=dP, dO=G)


def _rows(check):
    """check(e, i) for every row i of every draw."""
    return all_draws(lambda r, n: all(check(_setup(r, n), i) for i in range(n)))


def _jac(s):
    return num_grad(lambda u: softmax(u), s).T  # J[a, b] = d P_a / d S_b


def step_40_1():  # softmax(S) = diag(l)^{-1} A, l = rowsum(A), A = exp(S - rowmax(S))
    def chk(r, n):
        S = r.normal(size=(n, n))
        A = np.exp(S - np.max(S, axis=1, keepdims=True))
        return close(softmax(S, axis=1), np.diag(1 / A.sum(axis=1)) @ A)
    return all_draws(chk)


def step_53_1():  # LSE(x) = max(x) + LSE(x - max(x))
    return all_draws(lambda r, n: close(lse(x := 5 * r.normal(size=n)), np.max(x) + lse(x - np.max(x))))


def step_67_0():  # dV = P^T dO
    def chk(r, n):
        e = _setup(r, n)
        dV = num_grad(lambda v: np.sum(e["G"] * (e["P"] @ v)), e["V"])
        return close(dV, e["P"].T @ e["dO"])
    return all_draws(chk)


def step_67_1():  # dP = dO V^T
    return all_draws(lambda r, n: close((e := _setup(r, n))["dP"], e["dO"] @ e["V"].T))


def step_68_0():  # dS_i = dP_i/dS_i . dP_i
    return _rows(lambda e, i: close(e["dS"][i], _jac(e["S"][i]) @ e["dP"][i]))


def step_69_1():  # dP_i/dS_i = diag(P_i) - P_i P_i^T
    return _rows(lambda e, i: close(_jac(e["S"][i]), np.diag(e["P"][i]) - np.outer(e["P"][i], e["P"][i])))


def _dQ_dK(e):
    lossQK = lambda q, k: np.sum(e["G"] * (softmax(q @ k.T + e["B"], axis=1) @ e["V"]))  # noqa: E731
    return num_grad(lambda q: lossQK(q, e["K"]), e["Q"]), num_grad(lambda k: lossQK(e["Q"], k), e["K"])


def step_70_0():  # dQ = dS K
    return all_draws(lambda r, n: close(_dQ_dK(e := _setup(r, n))[0], e["dS"] @ e["K"]))


def step_70_1():  # dK = dS^T Q
    return all_draws(lambda r, n: close(_dQ_dK(e := _setup(r, n))[1], e["dS"].T @ e["Q"]))


def _A_l_m(e, i):
    m = np.max(e["S"][i])
    A = np.exp(e["S"] - np.max(e["S"], axis=1, keepdims=True))
    return A, A.sum(axis=1), m


def step_98_0():  # P_i = A_i / l_i
    return _rows(lambda e, i: close(e["P"][i], _A_l_m(e, i)[0][i] / _A_l_m(e, i)[1][i]))


def step_98_1():  # l_i = sum(A_i)
    return _rows(lambda e, i: close(_A_l_m(e, i)[1][i], np.sum(_A_l_m(e, i)[0][i])))


def step_99_0():  # A_i = exp(S_i - m_i), m_i = max(S_i)
    return _rows(lambda e, i: close(_A_l_m(e, i)[0][i], np.exp(e["S"][i] - np.max(e["S"][i]))))


def step_100_0():  # P_i = exp(S_i - m_i) / sum(exp(S_i - m_i))
    return _rows(lambda e, i: close(e["P"][i], np.exp(e["S"][i] - (m := np.max(e["S"][i]))) / np.sum(np.exp(e["S"][i] - m))))


def step_100_1():  # = exp(S_i - m_i) / exp(LSE(S_i - m_i))
    return _rows(lambda e, i: close(np.exp(e["S"][i] - (m := np.max(e["S"][i]))) / np.sum(np.exp(e["S"][i] - m)),
                                    np.exp(e["S"][i] - m) / np.exp(lse(e["S"][i] - m))))


def step_101_0():  # = exp(S_i - (m_i + LSE(S_i - m_i)))
    return _rows(lambda e, i: close(np.exp(e["S"][i] - (m := np.max(e["S"][i]))) / np.exp(lse(e["S"][i] - m)),
                                    np.exp(e["S"][i] - (m + lse(e["S"][i] - m)))))


def step_103_0():  # LSE(x) = max(x) + LSE(x - max(x))
    return step_53_1()


def step_104_0():  # P_i = exp(S_i - (m_i + LSE(S_i - m_i)))
    return _rows(lambda e, i: close(e["P"][i], np.exp(e["S"][i] - ((m := np.max(e["S"][i])) + lse(e["S"][i] - m)))))


def step_105_0():  # = exp(S_i - LSE(S_i))
    return _rows(lambda e, i: close(np.exp(e["S"][i] - ((m := np.max(e["S"][i])) + lse(e["S"][i] - m))), np.exp(e["S"][i] - lse(e["S"][i]))))


def step_122_0():  # dS_i = dP_i/dS_i . dP_i
    return step_68_0()


def _D(e, i):
    p = e["P"][i]
    return np.diag(p) - np.outer(p, p)


def step_122_1():  # dP_i/dS_i . dP_i = (diag(P_i) - P_i P_i^T) . dP_i
    return _rows(lambda e, i: close(_jac(e["S"][i]) @ e["dP"][i], _D(e, i) @ e["dP"][i]))


def step_123_0():  # = P_i o dP_i - (P_i P_i^T) dP_i
    return _rows(lambda e, i: close(_D(e, i) @ e["dP"][i], e["P"][i] * e["dP"][i] - np.outer(e["P"][i], e["P"][i]) @ e["dP"][i]))


def step_124_0():  # dS_i = P_i o dP_i - P_i (P_i^T dP_i)
    return _rows(lambda e, i: close(e["dS"][i], e["P"][i] * e["dP"][i] - e["P"][i] * (e["P"][i] @ e["dP"][i])))


def step_124_1():  # P_i o dP_i - P_i (P_i^T dP_i) = P_i o dP_i - (P_i^T dP_i) P_i
    return _rows(lambda e, i: close(e["P"][i] * e["dP"][i] - e["P"][i] * (e["P"][i] @ e["dP"][i]),
                                    e["P"][i] * e["dP"][i] - (e["P"][i] @ e["dP"][i]) * e["P"][i]))


def step_127_0():  # dP_i = (dO_i^T V^T)^T
    return _rows(lambda e, i: close(e["dP"][i], (e["dO"][i][None, :] @ e["V"].T).T[:, 0]))


def step_127_1():  # (dO_i^T V^T)^T = V dO_i
    return _rows(lambda e, i: close((e["dO"][i][None, :] @ e["V"].T).T[:, 0], e["V"] @ e["dO"][i]))


def step_128_0():  # Delta_i = P_i^T dP_i  (the definition, restated)
    return _rows(lambda e, i: close(e["P"][i] @ e["dP"][i], e["P"][i] @ e["dP"][i]))


def step_128_1():  # P_i^T dP_i = P_i^T (V dO_i)
    return _rows(lambda e, i: close(e["P"][i] @ e["dP"][i], e["P"][i] @ (e["V"] @ e["dO"][i])))


def step_128_2():  # = (P_i^T V) dO_i
    return _rows(lambda e, i: close(e["P"][i] @ (e["V"] @ e["dO"][i]), (e["P"][i] @ e["V"]) @ e["dO"][i]))


def step_128_3():  # = O_i^T dO_i
    return _rows(lambda e, i: close((e["P"][i] @ e["V"]) @ e["dO"][i], e["O"][i] @ e["dO"][i]))


def step_133_0():  # Delta = rowsum(O o dO), Delta_i = P_i^T dP_i
    return all_draws(lambda r, n: close(np.sum((e := _setup(r, n))["O"] * e["dO"], axis=1), np.sum(e["P"] * e["dP"], axis=1)))


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
