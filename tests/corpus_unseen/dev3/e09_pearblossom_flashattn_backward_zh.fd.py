"""Finite-difference checks of e09_pearblossom_flashattn_backward_zh.md.

Formulas 1-5: L = sum(G * C) (or sum(g * B)) for random G, so dC = G; dX is the central-difference
gradient of L with respect to X. Attention: S = Q @ K^T / sqrt(D), P = row-wise softmax(S), O = P @ V,
L = sum(G * O) (dO = G); dP is the gradient with P taken free, dS with S taken free. l_i in C.2 is
sum_k exp(S_ik) (the comment of that line); m_i = max_k S_ik, LSE_i = m_i + log(sum_k exp(S_ik - m_i)).
The broadcast slips use N >= 2 columns. Row counts n in 1, 2, 3, 5 (2, 3, 5 where N >= 2 is needed)."""
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


def _mm(r, n):
    A, B = r.normal(size=(n, DIM)), r.normal(size=(DIM, n + 1))
    G = r.normal(size=(n, n + 1))
    return A, B, G


def step_52_0():  # C = A @ B: dA = dC @ B^T
    def chk(r, n):
        A, B, G = _mm(r, n)
        return close(num_grad(lambda A_: np.sum(G * (A_ @ B)), A), G @ B.T)
    return all_draws(chk)


def step_53_0():  # dB = A^T @ dC
    def chk(r, n):
        A, B, G = _mm(r, n)
        return close(num_grad(lambda B_: np.sum(G * (A @ B_)), B), A.T @ G)
    return all_draws(chk)


def step_62_0():
    return step_52_0()


def step_63_0():
    return step_53_0()


def _ew(r, n):
    return r.normal(size=(n, DIM)), r.normal(size=(n, DIM)), r.normal(size=(n, DIM))


def step_70_0():  # C = A (.) B: dA = dC (.) B
    def chk(r, n):
        A, B, G = _ew(r, n)
        return close(num_grad(lambda A_: np.sum(G * (A_ * B)), A), G * B)
    return all_draws(chk)


def step_71_0():  # dB = dC (.) A
    def chk(r, n):
        A, B, G = _ew(r, n)
        return close(num_grad(lambda B_: np.sum(G * (A * B_)), B), G * A)
    return all_draws(chk)


def step_74_0():  # dA_ij = dL/dA_ij (notation)
    return step_70_0()


def step_74_1():  # dL/dA_ij = dL/dC_ij dC_ij/dA_ij
    def chk(r, n):
        A, B, G = _ew(r, n)
        dA = num_grad(lambda A_: np.sum(G * (A_ * B)), A)
        dCdA = num_grad(lambda A_: A_ * B, A)  # [i, j, i', j'] = dC_i'j' / dA_ij
        return close(dA, np.array([[G[i, j] * dCdA[i, j, i, j] for j in range(DIM)] for i in range(n)]))
    return all_draws(chk)


def step_74_2():  # dL/dC_ij dC_ij/dA_ij = dC_ij * B_ij
    return all_draws(lambda r, n: close((m := _ew(r, n))[2] * m[1], m[2] * m[1]))


def _sc(r, n):
    a = r.normal()
    return a, r.normal(size=(n, DIM)), r.normal(size=(n, DIM))


def step_81_0():  # B = aA: dA = dB * a
    def chk(r, n):
        a, A, G = _sc(r, n)
        return close(num_grad(lambda A_: np.sum(G * (a * A_)), A), G * a)
    return all_draws(chk)


def step_84_0():  # dB_ij / dA_ij = a
    def chk(r, n):
        a, A, G = _sc(r, n)
        D = num_grad(lambda A_: a * A_, A)
        return all(close(D[i, j, i, j], a) for i in range(n) for j in range(DIM))
    return all_draws(chk)


def step_85_0():  # dA = dL/dA (notation)
    return step_81_0()


def _red(r, n):
    A, g = r.normal(size=(n, DIM)), r.normal(size=n)
    return A, g, lambda A_: np.sum(g * A_.sum(axis=1))


def step_92_0():  # B_i = sum_j A_ij: dA_ij = dB_i
    return all_draws(lambda r, n: close(num_grad((m := _red(r, n))[2], m[0]), np.repeat(m[1][:, None], DIM, axis=1)))


def step_95_0():  # dB_i / dA_ij = 1
    def chk(r, n):
        A = r.normal(size=(n, DIM))
        D = num_grad(lambda A_: A_.sum(axis=1), A)  # [i, j, i']
        return all(close(D[i, j, i], 1.0) for i in range(n) for j in range(DIM))
    return all_draws(chk)


def step_95_1():  # dA_ij = dL/dA_ij
    return step_92_0()


def step_95_2():  # dL/dA_ij = dL/dB_i dB_i/dA_ij
    return step_92_0()


def step_95_3():  # dL/dB_i dB_i/dA_ij = dB_i
    return all_draws(lambda r, n: close((m := _red(r, n))[1] * 1.0, m[1]))


def _bc(r, n, N=None):
    N = N or int(r.integers(2, 5))
    a, G = r.normal(size=n), r.normal(size=(n, N))
    return a, G, lambda a_: np.sum(G * np.repeat(a_[:, None], N, axis=1))


def step_102_0():  # B_ij = A_i: dA_i = sum_j dB_ij
    return all_draws(lambda r, n: close(num_grad((m := _bc(r, n))[2], m[0]), m[1].sum(axis=1)))


def step_105_0():  # dB_ij / dA_i = 1
    def chk(r, n):
        a = r.normal(size=n)
        D = num_grad(lambda a_: np.repeat(a_[:, None], 3, axis=1), a)  # [i, i', j]
        return all(close(D[i, i, j], 1.0) for i in range(n) for j in range(3))
    return all_draws(chk)


def step_105_1():  # dA_i = sum_j dL/dA_i   (sums one term N times: false for N > 1)
    def chk(r, n):
        a, G, L = _bc(r, n)
        dA = num_grad(L, a)
        return close(dA, G.shape[1] * dA)
    return all_draws(chk)


def step_105_2():  # sum_j dL/dA_i = sum_j dL/dB_ij dB_ij/dA_i   (N dA_i against dA_i)
    def chk(r, n):
        a, G, L = _bc(r, n)
        dA = num_grad(L, a)
        return close(G.shape[1] * dA, G.sum(axis=1) * 1.0)
    return all_draws(chk)


def step_105_3():  # sum_j dL/dB_ij dB_ij/dA_i = sum_j dB_ij
    return all_draws(lambda r, n: close((m := _bc(r, n))[1].sum(axis=1) * 1.0, m[1].sum(axis=1)))


def _att(r, n):
    Q, K, V, G = (r.normal(size=(n, DIM)) for _ in range(4))
    S = Q @ K.T / np.sqrt(DIM)
    P = softmax(S, axis=1)
    O = P @ V
    dS = num_grad(lambda s: np.sum(G * (softmax(s, axis=1) @ V)), S)
    dP = num_grad(lambda p: np.sum(G * (p @ V)), P)
    lossQK = lambda q, k: np.sum(G * (softmax(q @ k.T / np.sqrt(DIM), axis=1) @ V))  # noqa: E731
    return dict(Q=Q, K=K, V=V, G=G, dO=G, S=S, P=P, O=O, dS=dS, dP=dP, lossQK=lossQK)


def _A(check):
    return all_draws(lambda r, n: check(_att(r, n)))


def _dV(e):
    return num_grad(lambda v: np.sum(e["G"] * (e["P"] @ v)), e["V"])


def _dQ(e):
    return num_grad(lambda q: e["lossQK"](q, e["K"]), e["Q"])


def _dK(e):
    return num_grad(lambda k: e["lossQK"](e["Q"], k), e["K"])


def _delta(e):
    return np.sum(e["dO"] * e["O"], axis=1)


def step_122_0():  # dV = P^T @ dO
    return _A(lambda e: close(_dV(e), e["P"].T @ e["dO"]))


def step_123_0():  # dP = dO @ V^T
    return _A(lambda e: close(e["dP"], e["dO"] @ e["V"].T))


def step_125_0():  # dS = P (.) (dP - delta[:, None]), delta = row_sum(dO (.) O)
    return _A(lambda e: close(e["dS"], e["P"] * (e["dP"] - _delta(e)[:, None])))


def step_126_0():  # dQ = dS @ K / sqrt(D)
    return _A(lambda e: close(_dQ(e), e["dS"] @ e["K"] / np.sqrt(DIM)))


def step_127_0():  # dK = dS^T @ Q / sqrt(D)
    return _A(lambda e: close(_dK(e), e["dS"].T @ e["Q"] / np.sqrt(DIM)))


def step_153_0():  # S_ij = (Q_i . K_j) / sqrt(D)
    return _A(lambda e: close(e["S"], np.array([[e["Q"][i] @ e["K"][j] for j in range(len(e["K"]))] for i in range(len(e["Q"]))]) / np.sqrt(DIM)))


def _mlL(e):
    m = np.max(e["S"], axis=1)
    l = np.sum(np.exp(e["S"] - m[:, None]), axis=1)  # noqa: E741
    return m, l, m + np.log(l)


def step_158_0():  # P_ij = exp(S_ij - m_i) / l_i
    return _A(lambda e: close(e["P"], np.exp(e["S"] - _mlL(e)[0][:, None]) / _mlL(e)[1][:, None]))


def step_167_0():
    return step_153_0()


def step_168_0():  # P_ij = exp(S_ij - LSE_i)
    return _A(lambda e: close(e["P"], np.exp(e["S"] - _mlL(e)[2][:, None])))


def step_173_0():  # LSE_i = m_i + log(l_i)   (restated)
    return _A(lambda e: close(_mlL(e)[2], _mlL(e)[0] + np.log(_mlL(e)[1])))


def step_174_0():
    return step_158_0()


def _chain(*fs):
    def chk(e):
        m, l, L = _mlL(e)
        vals = [f(e["S"], m[:, None], l[:, None], L[:, None]) for f in fs]
        return all(close(a, b) for a, b in zip(vals, vals[1:]))
    return _A(chk)


_F1 = lambda S, m, l, L: np.exp(S - m) / l  # noqa: E731
_F2 = lambda S, m, l, L: np.exp(S - m) / np.exp(np.log(l))  # noqa: E731
_F3 = lambda S, m, l, L: np.exp(S - m - np.log(l))  # noqa: E731
_F4 = lambda S, m, l, L: np.exp(S - (m + np.log(l)))  # noqa: E731
_F5 = lambda S, m, l, L: np.exp(S - L)  # noqa: E731


def step_175_0():
    return _chain(_F1, _F2)


def step_176_0():
    return _chain(_F2, _F3)


def step_177_0():
    return _chain(_F3, _F4)


def step_178_0():
    return _chain(_F4, _F5)


def step_208_0():  # O = P @ V (restated)
    return _A(lambda e: close(e["O"], e["P"] @ e["V"]))


def step_214_0():
    return step_122_0()


def step_215_0():
    return step_123_0()


def step_221_0():
    return step_122_0()


def step_222_0():
    return step_123_0()


def step_231_0():  # P_ij = exp(S_ij) / sum_k exp(S_ik)
    return _A(lambda e: close(e["P"], np.exp(e["S"]) / np.sum(np.exp(e["S"]), axis=1, keepdims=True)))


def step_237_0():  # m_i = max_k(S_ik) (restated)
    return _A(lambda e: close(_mlL(e)[0], e["S"].max(axis=1)))


def step_238_0():  # P_ij = exp(S_ij - m_i) / sum_k exp(S_ik - m_i)
    return _A(lambda e: close(e["P"], np.exp(e["S"] - (m := e["S"].max(axis=1, keepdims=True))) / np.sum(np.exp(e["S"] - m), axis=1, keepdims=True)))


def step_248_0():  # P_i = softmax(S_i)
    return _A(lambda e: all(close(e["P"][i], softmax(e["S"][i])) for i in range(len(e["S"]))))


def _rowJ(e, i):
    return num_grad(softmax, e["S"][i]).T  # [k, j] = dP_ik / dS_ij


def _l(e):
    return np.sum(np.exp(e["S"]), axis=1)  # C.2's l_i


def step_258_0():  # P_ij = exp(S_ij) / l_i, l_i = sum_k exp(S_ik)
    return _A(lambda e: close(e["P"], np.exp(e["S"]) / _l(e)[:, None]))


def _diag(check):
    return _A(lambda e: all(check(e, i, j) for i in range(len(e["S"])) for j in range(len(e["S"]))))


def step_260_0():  # dP_ij/dS_ij = d/dS_ij [exp(S_ij) / l_i]
    return _diag(lambda e, i, j: close(_rowJ(e, i)[j, j], num_grad(lambda u: np.exp(u[j]) / np.sum(np.exp(u)), e["S"][i])[j]))


def step_261_0():  # = [exp(S_ij) l_i - exp(S_ij) exp(S_ij)] / l_i^2
    return _diag(lambda e, i, j: close(_rowJ(e, i)[j, j], (np.exp(e["S"][i, j]) * _l(e)[i] - np.exp(e["S"][i, j]) ** 2) / _l(e)[i] ** 2))


def step_262_0():  # = exp(S_ij)/l_i [1 - exp(S_ij)/l_i]
    return _diag(lambda e, i, j: close((np.exp(e["S"][i, j]) * _l(e)[i] - np.exp(e["S"][i, j]) ** 2) / _l(e)[i] ** 2,
                                       np.exp(e["S"][i, j]) / _l(e)[i] * (1 - np.exp(e["S"][i, j]) / _l(e)[i])))


def step_263_0():  # = P_ij (1 - P_ij)
    return _diag(lambda e, i, j: close(np.exp(e["S"][i, j]) / _l(e)[i] * (1 - np.exp(e["S"][i, j]) / _l(e)[i]), e["P"][i, j] * (1 - e["P"][i, j])))


def step_269_0():  # P_ik = exp(S_ik) / l_i
    return step_258_0()


def _off(check):
    return _A(lambda e: all(check(e, i, j, k) for i in range(len(e["S"])) for j in range(len(e["S"])) for k in range(len(e["S"])) if k != j))


def step_271_0():  # dP_ik/dS_ij = d/dS_ij [exp(S_ik) / l_i], k != j
    return _off(lambda e, i, j, k: close(_rowJ(e, i)[k, j], num_grad(lambda u: np.exp(u[k]) / np.sum(np.exp(u)), e["S"][i])[j]))


def step_272_0():  # = [0 - exp(S_ik) exp(S_ij)] / l_i^2
    return _off(lambda e, i, j, k: close(_rowJ(e, i)[k, j], (0 - np.exp(e["S"][i, k]) * np.exp(e["S"][i, j])) / _l(e)[i] ** 2))


def step_273_0():  # = -exp(S_ik)/l_i exp(S_ij)/l_i
    return _off(lambda e, i, j, k: close((0 - np.exp(e["S"][i, k]) * np.exp(e["S"][i, j])) / _l(e)[i] ** 2, -np.exp(e["S"][i, k]) / _l(e)[i] * np.exp(e["S"][i, j]) / _l(e)[i]))


def step_274_0():  # = -P_ik P_ij
    return _off(lambda e, i, j, k: close(-np.exp(e["S"][i, k]) / _l(e)[i] * np.exp(e["S"][i, j]) / _l(e)[i], -e["P"][i, k] * e["P"][i, j]))


def step_280_0():  # dP_ik/dS_ij = P_ij (1 - P_ij) if k = j, -P_ik P_ij if k != j
    return _A(lambda e: all(close(_rowJ(e, i)[k, j], e["P"][i, j] * (1 - e["P"][i, j]) if k == j else -e["P"][i, k] * e["P"][i, j])
                            for i in range(len(e["S"])) for j in range(len(e["S"])) for k in range(len(e["S"]))))


def _cell(check):
    return _A(lambda e: all(check(e, i, j, e["P"][i], e["dP"][i]) for i in range(len(e["S"])) for j in range(len(e["S"]))))


def _ne(n, j):
    return [k for k in range(n) if k != j]


def step_293_0():  # dS_ij = dL/dS_ij (notation)
    return _A(lambda e: close(e["dS"], num_grad(lambda s: np.sum(e["G"] * (softmax(s, axis=1) @ e["V"])), e["S"])))


def step_294_0():  # = sum_k dL/dP_ik dP_ik/dS_ij
    return _cell(lambda e, i, j, p, dp: close(e["dS"][i, j], sum(dp[k] * _rowJ(e, i)[k, j] for k in range(len(p)))))


_G1 = lambda p, dp, j: dp[j] * p[j] * (1 - p[j]) + sum(dp[k] * (-p[k] * p[j]) for k in _ne(len(p), j))  # noqa: E731
_G2 = lambda p, dp, j: dp[j] * p[j] * (1 - p[j]) - p[j] * sum(dp[k] * p[k] for k in _ne(len(p), j))  # noqa: E731
_G3 = lambda p, dp, j: dp[j] * p[j] - dp[j] * p[j] ** 2 - p[j] * sum(dp[k] * p[k] for k in _ne(len(p), j))  # noqa: E731
_G4 = lambda p, dp, j: dp[j] * p[j] - p[j] * (dp[j] * p[j] + sum(dp[k] * p[k] for k in _ne(len(p), j)))  # noqa: E731
_G5 = lambda p, dp, j: dp[j] * p[j] - p[j] * sum(dp[k] * p[k] for k in range(len(p)))  # noqa: E731


def step_300_0():  # dS_ij = dP_ij P_ij (1 - P_ij) + sum_{k != j} dP_ik (-P_ik P_ij)
    return _cell(lambda e, i, j, p, dp: close(e["dS"][i, j], _G1(p, dp, j)))


def step_301_0():
    return _cell(lambda e, i, j, p, dp: close(_G1(p, dp, j), _G2(p, dp, j)))


def step_302_0():
    return _cell(lambda e, i, j, p, dp: close(_G2(p, dp, j), _G3(p, dp, j)))


def step_303_0():
    return _cell(lambda e, i, j, p, dp: close(_G3(p, dp, j), _G4(p, dp, j)))


def step_304_0():
    return _cell(lambda e, i, j, p, dp: close(_G4(p, dp, j), _G5(p, dp, j)))


def step_310_0():  # dS_ij = P_ij (dP_ij - delta_i), delta_i = sum_k dP_ik P_ik
    return _cell(lambda e, i, j, p, dp: close(e["dS"][i, j], p[j] * (dp[j] - np.sum(dp * p))))


def step_318_0():  # delta = row_sum(dP (.) P)   (restated)
    return _A(lambda e: close(np.sum(e["dP"] * e["P"], axis=1), np.array([np.sum(e["dP"][i] * e["P"][i]) for i in range(len(e["P"]))])))


def step_318_1():  # delta_i = sum_k dP_ik P_ik   (restated)
    return step_318_0()


def step_319_0():  # dS = P (.) (dP - delta[:, None])
    return _A(lambda e: close(e["dS"], e["P"] * (e["dP"] - np.sum(e["dP"] * e["P"], axis=1)[:, None])))


def _D1(e, i):
    return sum(e["dP"][i, j] * e["P"][i, j] for j in range(len(e["P"])))


def _D2(e, i):
    return sum(sum(e["dO"][i, k] * e["V"][j, k] for k in range(DIM)) * e["P"][i, j] for j in range(len(e["P"])))


def _D3(e, i):
    return sum(e["dO"][i, k] * sum(e["V"][j, k] * e["P"][i, j] for j in range(len(e["P"]))) for k in range(DIM))


def _D4(e, i):
    return sum(e["dO"][i, k] * sum(e["P"][i, j] * e["V"][j, k] for j in range(len(e["P"]))) for k in range(DIM))


def _D5(e, i):
    return sum(e["dO"][i, k] * e["O"][i, k] for k in range(DIM))


def _rowsD(f, g):
    return _A(lambda e: all(close(f(e, i), g(e, i)) for i in range(len(e["P"]))))


def step_329_0():  # delta_i = sum_j dP_ij P_ij   (restated)
    return _rowsD(_D1, _D1)


def step_330_0():
    return _rowsD(_D1, _D2)


def step_330_1():  # dP = dO @ V^T
    return step_123_0()


def step_331_0():
    return _rowsD(_D2, _D3)


def step_332_0():
    return _rowsD(_D3, _D4)


def step_333_0():
    return _rowsD(_D4, _D5)


def step_333_1():  # O = P @ V
    return step_208_0()


def step_339_0():  # delta = row_sum(dO (.) O), equal to row_sum(dP (.) P)
    return _A(lambda e: close(_delta(e), np.sum(e["dP"] * e["P"], axis=1)))


def step_347_0():  # S = Q @ K^T / sqrt(D) (restated)
    return _A(lambda e: close(e["S"], e["Q"] @ e["K"].T / np.sqrt(DIM)))


def step_354_0():  # S = S_temp / sqrt(D)
    return _A(lambda e: close(e["S"], (e["Q"] @ e["K"].T) / np.sqrt(DIM)))


def step_362_0():
    return step_354_0()


def step_368_0():  # dS_temp = dS / sqrt(D)
    def chk(e):
        St = e["Q"] @ e["K"].T
        dSt = num_grad(lambda st: np.sum(e["G"] * (softmax(st / np.sqrt(DIM), axis=1) @ e["V"])), St)
        return close(dSt, e["dS"] / np.sqrt(DIM))
    return _A(chk)


def step_374_0():  # S_temp = Q @ K^T (restated)
    return _A(lambda e: close(e["Q"] @ e["K"].T, e["Q"] @ e["K"].T))


def step_380_0():  # dQ = dS_temp @ K
    return _A(lambda e: close(_dQ(e), (e["dS"] / np.sqrt(DIM)) @ e["K"]))


def step_381_0():  # dS_temp @ K = (dS / sqrt(D)) @ K
    return step_368_0()


def step_382_0():  # (dS / sqrt(D)) @ K = dS @ K / sqrt(D)
    return _A(lambda e: close((e["dS"] / np.sqrt(DIM)) @ e["K"], e["dS"] @ e["K"] / np.sqrt(DIM)))


def step_390_0():  # dK = dS_temp^T @ Q
    return _A(lambda e: close(_dK(e), (e["dS"] / np.sqrt(DIM)).T @ e["Q"]))


def step_391_0():
    return step_368_0()


def step_392_0():
    return _A(lambda e: close((e["dS"] / np.sqrt(DIM)).T @ e["Q"], e["dS"].T @ e["Q"] / np.sqrt(DIM)))


def step_399_0():
    return step_347_0()


def step_400_0():  # P = softmax(S) row-wise (restated)
    return _A(lambda e: close(e["P"], softmax(e["S"], axis=1)))


def step_401_0():
    return step_208_0()


def step_405_0():
    return step_122_0()


def step_408_0():
    return step_339_0()


def step_411_0():
    return step_123_0()


def step_412_0():
    return step_125_0()


def step_415_0():
    return step_126_0()


def step_416_0():
    return step_127_0()


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
