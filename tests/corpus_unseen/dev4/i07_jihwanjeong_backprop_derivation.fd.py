"""Finite-difference checks of i07_jihwanjeong_backprop_derivation.md (plain NumPy, never derive).

Network (row vectors): u^l = h^{l-1} W^l + b^l, h^l = tanh(u^l), h^0 = x; sizes (3, 4, 4, 2) and (2, 3, 5, 3) (L = 3, so
l = 1, 2 are hidden layers with a layer l+1); W, b, x ~ N(0, 0.7); a generic smooth loss of the output
E(y) = 0.5 |y - t|^2 + 0.2 sum y^3. Batch: n = 1 and 3 rows, E = sum_q E^q, E^q = E(H_q^L). MSE section: E^q =
|t_q - y_q|^2 / (2n), y = tanh(U^L). Softmax section: y_q = softmax(U_q), E^q = -sum_j t_qj log y_qj, t one-hot, 4 classes.
Every partial derivative by central differences (h = 1e-6); each step compares its two members at every index;
rtol = atol = 1e-5. 2 draws per size. Keys are the transcription's lines (the source line + 27, the header).
"""
# ruff: noqa: B023, E731  (lambdas are called at once inside their loop iteration)
import numpy as np

OFF = 27
TOL = 1e-5
HD = 1e-6
SIZES = ([3, 4, 4, 2], [2, 3, 5, 3])


def phi(u):
    return np.tanh(u)


def dphi(u):  # the derivative of tanh, in closed form
    return 1 - np.tanh(u) ** 2


def dphi_fd(u):
    return (phi(u + HD) - phi(u - HD)) / (2 * HD)


def loss(y, t):
    return 0.5 * np.sum((y - t) ** 2) + 0.2 * np.sum(y**3)


def close(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and np.allclose(a, b, rtol=TOL, atol=TOL)


def ngrad(f, v):
    v = np.array(v, float)
    g = np.zeros_like(v)
    for i in np.ndindex(v.shape):
        e = np.zeros_like(v)
        e[i] = HD
        g[i] = (f(v + e) - f(v - e)) / (2 * HD)
    return g


def njac(f, v):  # J[a, b] = d f_b / d v_a for 1-D v and f
    v = np.array(v, float)
    rows = []
    for a in range(v.size):
        e = np.zeros_like(v)
        e[a] = HD
        rows.append((f(v + e) - f(v - e)) / (2 * HD))
    return np.array(rows)


class Net:
    """One draw: weights, biases, a sample x with target t, a batch X with targets T."""

    def __init__(self, sizes, rng, n):
        self.m, self.L = sizes, len(sizes) - 1
        self.W = {k: rng.normal(scale=0.7, size=(sizes[k - 1], sizes[k])) for k in range(1, self.L + 1)}
        self.b = {k: rng.normal(scale=0.7, size=sizes[k]) for k in range(1, self.L + 1)}
        self.x, self.t = rng.normal(scale=0.7, size=sizes[0]), rng.normal(size=sizes[-1])
        self.X, self.T = rng.normal(scale=0.7, size=(n, sizes[0])), rng.normal(size=(n, sizes[-1]))
        self.u, self.h = self.forward(self.x)
        self.U, self.H = self.forward(self.X)

    def forward(self, x, W=None, b=None):
        W, b = W or self.W, b or self.b
        u, h = {}, {0: x}
        for k in range(1, self.L + 1):
            u[k] = h[k - 1] @ W[k] + b[k]
            h[k] = phi(u[k])
        return u, h

    # single sample ---------------------------------------------------------------------------------
    def E_from_h(self, l, hl):
        for k in range(l + 1, self.L + 1):
            hl = phi(hl @ self.W[k] + self.b[k])
        return loss(hl, self.t)

    def E_with(self, l, Wl=None, bl=None):
        W, b = dict(self.W), dict(self.b)
        if Wl is not None:
            W[l] = Wl
        if bl is not None:
            b[l] = bl
        return loss(self.forward(self.x, W, b)[1][self.L], self.t)

    def dEdW(self, l):
        return ngrad(lambda M: self.E_with(l, Wl=M), self.W[l])

    def dEdb(self, l):
        return ngrad(lambda v: self.E_with(l, bl=v), self.b[l])

    def dEdu(self, l):
        return ngrad(lambda v: self.E_from_h(l, phi(v)), self.u[l])

    def dEdh(self, l):
        return ngrad(lambda v: self.E_from_h(l, v), self.h[l])

    def dudW(self, l):  # P[i, j] = d u_j^l / d W_ij^l
        P = np.zeros_like(self.W[l])
        for i, j in np.ndindex(P.shape):
            f = lambda w: (self.h[l - 1] @ self._set(self.W[l], i, j, w) + self.b[l])[j]
            P[i, j] = (f(self.W[l][i, j] + HD) - f(self.W[l][i, j] - HD)) / (2 * HD)
        return P

    def dudb(self, l):
        return np.array([((self.h[l - 1] @ self.W[l])[j] + self.b[l][j] + HD
                          - ((self.h[l - 1] @ self.W[l])[j] + self.b[l][j] - HD)) / (2 * HD)
                         for j in range(self.m[l])])

    def sumform_dW(self, l):  # d(sum_k h_k^{l-1} W_kj + b_j)/d W_ij, the sum written out
        P = np.zeros_like(self.W[l])
        for i, j in np.ndindex(P.shape):
            def f(w):
                M = self._set(self.W[l], i, j, w)
                return sum(self.h[l - 1][k] * M[k, j] for k in range(self.m[l - 1])) + self.b[l][j]
            P[i, j] = (f(self.W[l][i, j] + HD) - f(self.W[l][i, j] - HD)) / (2 * HD)
        return P

    def sumform_db(self, l):
        def f(j, v):
            return sum(self.h[l - 1][k] * self.W[l][k, j] for k in range(self.m[l - 1])) + v
        return np.array([(f(j, self.b[l][j] + HD) - f(j, self.b[l][j] - HD)) / (2 * HD) for j in range(self.m[l])])

    def Jnext(self, l):  # [j, d] = d u_d^{l+1} / d u_j^l
        return njac(lambda v: phi(v) @ self.W[l + 1] + self.b[l + 1], self.u[l])

    def Jh(self, l):  # [j, d] = d u_d^{l+1} / d h_j^l
        return njac(lambda v: v @ self.W[l + 1] + self.b[l + 1], self.h[l])

    def Jh_sum(self, l):  # the same, with the sum written out
        f = lambda v: np.array([sum(v[k] * self.W[l + 1][k, d] for k in range(self.m[l])) + self.b[l + 1][d]
                                for d in range(self.m[l + 1])])
        return njac(f, self.h[l])

    @staticmethod
    def _set(M, i, j, w):
        M = M.copy()
        M[i, j] = w
        return M

    # batch -----------------------------------------------------------------------------------------
    def Eq_from_H(self, q, l, row):
        for k in range(l + 1, self.L + 1):
            row = phi(row @ self.W[k] + self.b[k])
        return loss(row, self.T[q])

    def EB_with(self, l, Wl=None, bl=None, q=None):
        W, b = dict(self.W), dict(self.b)
        if Wl is not None:
            W[l] = Wl
        if bl is not None:
            b[l] = bl
        Y = self.forward(self.X, W, b)[1][self.L]
        rows = range(len(self.X)) if q is None else [q]
        return sum(loss(Y[r], self.T[r]) for r in rows)

    def dEBdW(self, l, q=None):
        return ngrad(lambda M: self.EB_with(l, Wl=M, q=q), self.W[l])

    def dEBdb(self, l):
        return ngrad(lambda v: self.EB_with(l, bl=v), self.b[l])

    def dEqdH(self, q, l):
        return ngrad(lambda v: self.Eq_from_H(q, l, v), self.H[l][q])

    def dEqdU(self, q, l):
        return ngrad(lambda v: self.Eq_from_H(q, l, phi(v)), self.U[l][q])

    def deltaB(self, l):
        return np.array([self.dEqdU(q, l) for q in range(len(self.X))])

    def JnextB(self, q, l):
        return njac(lambda v: phi(v) @ self.W[l + 1] + self.b[l + 1], self.U[l][q])


def nets():
    rng = np.random.default_rng(20200102)
    for sizes in SIZES:
        for n in (1, 3):
            yield Net(sizes, rng, n)


def every(pred):
    return all(pred(N) for N in nets())


def hidden(pred):  # hidden layers l = 1 .. L-1 (a layer l+1 exists)
    return every(lambda N: all(pred(N, l) for l in range(1, N.L)))


def layers(pred):
    return every(lambda N: all(pred(N, l) for l in range(1, N.L + 1)))


def outer_hd(N, l):  # entries h_i^{l-1} dE/dh_j^l dh_j^l/du_j^l
    return np.outer(N.h[l - 1], N.dEdh(l) * dphi_fd(N.u[l]))


def back(N, l):  # sum_d delta_d^{l+1} W_jd^{l+1} dh_j^l/du_j^l
    return (N.W[l + 1] @ N.dEdu(l + 1)) * dphi_fd(N.u[l])


C = {}
C["53_0"] = lambda: every(lambda N: close(N.h[N.L], N.forward(N.x)[1][N.L]))
C["72_0"] = lambda: every(lambda N: close(N.dEdW(N.L), N.dudW(N.L) * N.dEdu(N.L)[None, :]))
C["72_1"] = lambda: every(lambda N: close(N.dEdu(N.L), N.dEdh(N.L) * dphi_fd(N.u[N.L])))
C["73_0"] = lambda: every(lambda N: close(N.dEdW(N.L), (N.dEdh(N.L) * dphi_fd(N.u[N.L]))[None, :] * N.dudW(N.L)))
C["74_0"] = lambda: every(lambda N: close(N.dEdb(N.L), N.dEdh(N.L) * dphi_fd(N.u[N.L]) * N.dudb(N.L)))
C["82_0"] = lambda: every(lambda N: close(N.dudW(N.L), N.sumform_dW(N.L)))
C["82_1"] = lambda: every(lambda N: close(N.sumform_dW(N.L), np.repeat(N.h[N.L - 1][:, None], N.m[N.L], 1)))
C["83_0"] = lambda: every(lambda N: close(N.dudb(N.L), N.sumform_db(N.L)))
C["83_1"] = lambda: every(lambda N: close(N.sumform_db(N.L), np.ones(N.m[N.L])))
C["86_0"] = lambda: every(lambda N: close(N.dEdW(N.L), outer_hd(N, N.L)))
C["86_1"] = lambda: every(lambda N: close(outer_hd(N, N.L), np.outer(N.h[N.L - 1], N.dEdu(N.L))))
C["86_2"] = lambda: every(lambda N: close(N.dEdb(N.L), N.dEdh(N.L) * dphi_fd(N.u[N.L])))
C["86_3"] = lambda: every(lambda N: close(N.dEdh(N.L) * dphi_fd(N.u[N.L]), N.dEdu(N.L)))
C["98_0"] = lambda: layers(lambda N, l: close(N.dEdW(l), N.dudW(l) * N.dEdu(l)[None, :]))
C["103_0"] = lambda: hidden(lambda N, l: close(N.dEdu(l), ngrad(lambda v: N.E_from_h(l, phi(v)), N.u[l])))
C["103_1"] = lambda: hidden(lambda N, l: close(N.dEdu(l), N.Jnext(l) @ N.dEdu(l + 1)))
C["103_2"] = lambda: hidden(lambda N, l: close(N.Jnext(l) @ N.dEdu(l + 1), N.Jnext(l) @ N.dEdu(l + 1)))
C["104_0"] = lambda: hidden(lambda N, l: close(N.Jnext(l) @ N.dEdu(l + 1), (N.Jh(l) @ N.dEdu(l + 1)) * dphi_fd(N.u[l])))
C["104_1"] = lambda: hidden(lambda N, l: close((N.Jh(l) @ N.dEdu(l + 1)) * dphi_fd(N.u[l]), back(N, l)))
C["107_0"] = lambda: hidden(lambda N, l: close(N.Jh(l), N.Jh_sum(l)))
C["107_1"] = lambda: hidden(lambda N, l: close(N.Jh_sum(l), N.W[l + 1]))
C["112_0"] = lambda: hidden(lambda N, l: close(N.dEdW(l), N.dEdu(l)[None, :] * N.dudW(l)))
C["112_1"] = lambda: hidden(lambda N, l: close(N.dEdu(l)[None, :] * N.dudW(l), back(N, l)[None, :] * N.dudW(l)))
C["112_2"] = lambda: hidden(lambda N, l: close(back(N, l)[None, :] * N.dudW(l), np.outer(N.h[l - 1], back(N, l))))
C["113_0"] = lambda: hidden(lambda N, l: close(N.dEdb(l), N.dEdu(l) * N.dudb(l)))
C["113_1"] = lambda: hidden(lambda N, l: close(N.dEdu(l) * N.dudb(l), back(N, l) * N.dudb(l)))
C["113_2"] = lambda: hidden(lambda N, l: close(back(N, l) * N.dudb(l), back(N, l)))
C["116_0"] = lambda: layers(lambda N, l: close(N.dudW(l), np.repeat(N.h[l - 1][:, None], N.m[l], 1)))


def partials_matrix(N, l):  # the matrix of dE/dW_ij, entry by entry
    out = np.zeros_like(N.W[l])
    for i, j in np.ndindex(out.shape):
        f = lambda w: N.E_with(l, Wl=N._set(N.W[l], i, j, w))
        out[i, j] = (f(N.W[l][i, j] + HD) - f(N.W[l][i, j] - HD)) / (2 * HD)
    return out


C["127_0"] = lambda: every(lambda N: close(N.dEdW(N.L), partials_matrix(N, N.L)))
C["129_0"] = lambda: every(lambda N: close(partials_matrix(N, N.L), outer_hd(N, N.L)))
C["138_0"] = lambda: every(lambda N: close(outer_hd(N, N.L), np.outer(N.h[N.L - 1], N.dEdh(N.L) * dphi(N.u[N.L]))))
C["138_1"] = lambda: every(lambda N: close(np.outer(N.h[N.L - 1], N.dEdh(N.L) * dphi(N.u[N.L])),
                                           np.outer(N.h[N.L - 1], N.dEdu(N.L))))
C["139_0"] = lambda: every(lambda N: close(N.dEdb(N.L), N.dEdh(N.L) * dphi(N.u[N.L])))
C["139_1"] = lambda: every(lambda N: close(N.dEdh(N.L) * dphi(N.u[N.L]), N.dEdu(N.L)))
C["142_0"] = lambda: every(lambda N: close(N.dEdu(N.L), ngrad(lambda v: N.E_from_h(N.L, phi(v)), N.u[N.L])))
C["142_1"] = lambda: every(lambda N: close(N.dEdu(N.L), N.dEdh(N.L) * dphi(N.u[N.L])))
C["148_0"] = lambda: hidden(lambda N, l: close(N.dEdW(l), np.outer(N.h[l - 1], (N.dEdu(l + 1) @ N.W[l + 1].T)
                                                                    * dphi(N.u[l]))))
C["149_0"] = lambda: hidden(lambda N, l: close(N.dEdb(l), (N.dEdu(l + 1) @ N.W[l + 1].T) * dphi(N.u[l])))


def step155(N, l):  # [delta^{l+1} W^{l+1}] (o) phi'(u^l): defined only when W^{l+1} is square
    if N.m[l] != N.m[l + 1]:
        return None
    return close(N.dEdu(l), (N.dEdu(l + 1) @ N.W[l + 1]) * dphi(N.u[l]))


def check155():
    results = [r for N in nets() for l in range(1, N.L) if (r := step155(N, l)) is not None]
    return bool(results) and all(results)


C["155_0"] = check155

# batch ------------------------------------------------------------------------------------------------
C["174_0"] = lambda: every(lambda N: close(N.dEBdW(N.L), sum(N.dEBdW(N.L, q) for q in range(len(N.X)))))


def per_sample_mats(N, l):  # entries H_qi^{l-1} dE^q/dH_qj^l dH_qj^l/dU_qj^l, one matrix per sample q
    return [np.outer(N.H[l - 1][q], N.dEqdH(q, l) * dphi_fd(N.U[l][q])) for q in range(len(N.X))]


C["175_0"] = lambda: every(lambda N: close(sum(N.dEBdW(N.L, q) for q in range(len(N.X))), sum(per_sample_mats(N, N.L))))


def summed_entries(N, l):  # entry (i, j): sum_q H_qi dE^q/dH_qj dH_qj/dU_qj
    A = np.array([N.dEqdH(q, l) * dphi_fd(N.U[l][q]) for q in range(len(N.X))])
    return np.array([[sum(N.H[l - 1][q, i] * A[q, j] for q in range(len(N.X))) for j in range(N.m[l])]
                     for i in range(N.m[l - 1])])


C["188_0"] = lambda: every(lambda N: close(sum(per_sample_mats(N, N.L)), summed_entries(N, N.L)))
C["202_0"] = lambda: every(lambda N: close(N.dEBdW(N.L), summed_entries(N, N.L)))
C["203_0"] = lambda: every(lambda N: close(summed_entries(N, N.L), N.H[N.L - 1].T @ N.deltaB(N.L)))
C["206_1"] = lambda: every(lambda N: all(close(N.dEqdU(q, N.L), N.dEqdH(q, N.L) * dphi_fd(N.U[N.L][q]))
                                         for q in range(len(N.X))))
C["206_2"] = lambda: every(lambda N: all(close(N.dEqdH(q, N.L) * dphi_fd(N.U[N.L][q]),
                                               N.dEqdH(q, N.L) * dphi(N.U[N.L][q])) for q in range(len(N.X))))
C["206_3"] = lambda: every(lambda N: all(close(N.deltaB(N.L)[q], N.dEqdH(q, N.L) * dphi(N.U[N.L][q]))
                                         for q in range(len(N.X))))
C["208_0"] = lambda: every(lambda N: close(N.dEBdW(N.L), N.H[N.L - 1].T @ N.deltaB(N.L)))


def dUdb_sum(N, l):  # sum_q dE^q/dU_qj dU_qj/db_j with dU_qj/db_j by differences
    D = N.deltaB(l)
    s = np.zeros(N.m[l])
    for j in range(N.m[l]):
        for q in range(len(N.X)):
            f = lambda v: (N.H[l - 1][q] @ N.W[l])[j] + v
            s[j] += D[q, j] * (f(N.b[l][j] + HD) - f(N.b[l][j] - HD)) / (2 * HD)
    return s


C["216_0"] = lambda: every(lambda N: close(N.dEBdb(N.L), dUdb_sum(N, N.L)))
C["216_1"] = lambda: every(lambda N: close(dUdb_sum(N, N.L), N.deltaB(N.L).sum(axis=0)))
C["217_0"] = lambda: every(lambda N: close(N.deltaB(N.L).sum(axis=0), np.ones(len(N.X)) @ N.deltaB(N.L)))
C["221_0"] = lambda: every(lambda N: close(N.dEBdb(N.L), np.ones(len(N.X)) @ N.deltaB(N.L)))


def hidden_entries(N, l):  # sum_q [sum_d delta_qd^{l+1} W_jd^{l+1}] dH_qj/dU_qj H_qi^{l-1}
    D = N.deltaB(l + 1)
    return sum(np.outer(N.H[l - 1][q], (N.W[l + 1] @ D[q]) * dphi_fd(N.U[l][q])) for q in range(len(N.X)))


C["229_0"] = lambda: hidden(lambda N, l: close(N.dEBdW(l), sum(N.dEBdW(l, q) for q in range(len(N.X)))))
C["229_1"] = lambda: hidden(lambda N, l: close(sum(N.dEBdW(l, q) for q in range(len(N.X))),
                                               np.array([[sum(N.dEBdW(l, q)[i, j] for q in range(len(N.X)))
                                                          for j in range(N.m[l])] for i in range(N.m[l - 1])])))
C["229_2"] = lambda: hidden(lambda N, l: close(sum(N.dEBdW(l, q) for q in range(len(N.X))), hidden_entries(N, l)))
C["230_0"] = lambda: hidden(lambda N, l: close(hidden_entries(N, l), sum(
    np.outer(N.H[l - 1][q], np.array([N.deltaB(l + 1)[q] @ N.W[l + 1][j] for j in range(N.m[l])])
             * dphi_fd(N.U[l][q])) for q in range(len(N.X)))))
C["230_1"] = lambda: hidden(lambda N, l: close(hidden_entries(N, l), sum(
    np.outer(N.H[l - 1][q], (N.deltaB(l + 1) @ N.W[l + 1].T)[q] * dphi(N.U[l][q])) for q in range(len(N.X)))))
C["231_0"] = lambda: hidden(lambda N, l: close(hidden_entries(N, l),
                                               N.H[l - 1].T @ (dphi(N.U[l]) * (N.deltaB(l + 1) @ N.W[l + 1].T))))
C["232_0"] = lambda: hidden(lambda N, l: close(N.dEBdW(l),
                                               N.H[l - 1].T @ (dphi(N.U[l]) * (N.deltaB(l + 1) @ N.W[l + 1].T))))
C["233_0"] = lambda: hidden(lambda N, l: close(N.dEBdb(l), np.ones(len(N.X)) @ N.deltaB(l)))
C["242_0"] = lambda: every(lambda N: close(N.deltaB(N.L), np.array([N.dEqdH(q, N.L) for q in range(len(N.X))])
                                           * dphi(N.U[N.L])))
C["243_0"] = lambda: hidden(lambda N, l: close(N.deltaB(l), np.array([ngrad(lambda v: N.Eq_from_H(q, l, phi(v)),
                                                                            N.U[l][q]) for q in range(len(N.X))])))
C["243_1"] = lambda: hidden(lambda N, l: all(close(N.dEqdU(q, l), N.JnextB(q, l) @ N.dEqdU(q, l + 1))
                                             for q in range(len(N.X))))
C["243_2"] = lambda: hidden(lambda N, l: all(close(N.JnextB(q, l) @ N.dEqdU(q, l + 1),
                                                   (N.W[l + 1] @ N.dEqdU(q, l + 1)) * dphi(N.U[l][q]))
                                             for q in range(len(N.X))))
C["244_0"] = lambda: hidden(lambda N, l: all(close((N.W[l + 1] @ N.dEqdU(q, l + 1)) * dphi(N.U[l][q]),
                                                   ((N.deltaB(l + 1) @ N.W[l + 1].T) * dphi(N.U[l]))[q])
                                             for q in range(len(N.X))))
C["245_0"] = lambda: hidden(lambda N, l: close(N.deltaB(l), (N.deltaB(l + 1) @ N.W[l + 1].T) * dphi(N.U[l])))


# MSE ----------------------------------------------------------------------------------------------------
def mse_draws():
    rng = np.random.default_rng(259)
    for n, m in ((1, 1), (3, 2), (4, 3)):
        yield rng.normal(size=(n, m)), rng.normal(size=(n, m))  # U^L, t


def mse(Y, T):
    n = len(Y)
    return sum(np.sum((T[q] - Y[q]) ** 2) for q in range(n)) / (2 * n)


C["259_1"] = lambda: all(close(mse(phi(U), T), sum(sum((T[q, j] - phi(U)[q, j]) ** 2 for j in range(T.shape[1]))
                                                   for q in range(len(T))) / (2 * len(T))) for U, T in mse_draws())


def dEq_dy(Y, T):
    n = len(Y)
    return np.array([ngrad(lambda v: np.sum((T[q] - v) ** 2) / (2 * n), Y[q]) for q in range(n)])


C["268_0"] = lambda: all(close(dEq_dy(phi(U), T), (phi(U) - T) / len(T)) for U, T in mse_draws())
C["269_0"] = lambda: all(close(ngrad(lambda V: mse(phi(V), T), U), dEq_dy(phi(U), T) * dphi_fd(U)) for U, T in mse_draws())
C["269_1"] = lambda: all(close(dEq_dy(phi(U), T) * dphi_fd(U), (phi(U) - T) / len(T) * dphi(U)) for U, T in mse_draws())
C["270_0"] = lambda: all(close(ngrad(lambda V: mse(phi(V), T), U), (phi(U) - T) / len(T) * dphi(U)) for U, T in mse_draws())

# activations ------------------------------------------------------------------------------------------------
ZS = np.array([-3.1, -1.2, -0.4, 0.3, 0.9, 2.5])
C["296_0"] = lambda: close(ngrad(lambda v: np.sum(np.maximum(0, v)), ZS), np.where(ZS > 0, 1.0, 0.0))
C["305_0"] = lambda: close(ngrad(lambda v: np.sum(1 / (1 + np.exp(-v))), ZS),
                           (1 / (1 + np.exp(-ZS))) * (1 - 1 / (1 + np.exp(-ZS))))


# softmax + cross-entropy -------------------------------------------------------------------------------------
def smax(U):
    e = np.exp(U - U.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def sm_draws():
    rng = np.random.default_rng(313)
    for n in (1, 3):
        for _ in range(3):
            U = rng.normal(size=(n, 4))
            yield U, np.eye(4)[rng.integers(0, 4, size=n)]


def ce(Y, T):
    return -np.sum(T * np.log(Y))


def jac_rows(U):  # [q][j, c] = d y_qc / d U_qj
    return [njac(lambda v: smax(v[None, :])[0], U[q]) for q in range(len(U))]


def cases(Y, q):
    C4 = Y.shape[1]
    return np.array([[Y[q, j] * (1 - Y[q, j]) if c == j else -Y[q, c] * Y[q, j] for c in range(C4)] for j in range(C4)])


def ind_form(Y, q):
    C4 = Y.shape[1]
    return np.array([[Y[q, c] * ((c == j) - Y[q, j]) for c in range(C4)] for j in range(C4)])


C["321_0"] = lambda: all(all(close(J, cases(smax(U), q)) for q, J in enumerate(jac_rows(U))) for U, T in sm_draws())
C["325_0"] = lambda: all(all(close(cases(smax(U), q), ind_form(smax(U), q)) for q in range(len(U))) for U, T in sm_draws())
C["331_0"] = lambda: all(close(ngrad(lambda Y: ce(Y, T), smax(U)), -T / smax(U)) for U, T in sm_draws())


def dEdy(U, T):
    return ngrad(lambda Y: ce(Y, T), smax(U))


def m334(U, T):  # sum_c dE/dy_qc dy_qc/dU_qj
    J, G = jac_rows(U), dEdy(U, T)
    return np.array([J[q] @ G[q] for q in range(len(U))])


def m335(U, T):
    Y, G = smax(U), dEdy(U, T)
    return np.array([ind_form(Y, q) @ G[q] for q in range(len(U))])


def m336(U, T):
    Y, G = smax(U), dEdy(U, T)
    return G * Y - np.sum(G * Y, axis=1, keepdims=True) * Y


def m337(U, T):
    Y = smax(U)
    return -T / Y * Y - np.sum(-T / Y * Y, axis=1, keepdims=True) * Y


def m338(U, T):
    Y = smax(U)
    return Y * T.sum(axis=1, keepdims=True) - T


C["334_0"] = lambda: all(close(ngrad(lambda V: ce(smax(V), T), U), ngrad(lambda V: ce(smax(V), T), U)) for U, T in sm_draws())
C["334_1"] = lambda: all(close(ngrad(lambda V: ce(smax(V), T), U), m334(U, T)) for U, T in sm_draws())
C["335_0"] = lambda: all(close(m334(U, T), m335(U, T)) for U, T in sm_draws())
C["336_0"] = lambda: all(close(m335(U, T), m336(U, T)) for U, T in sm_draws())
C["337_0"] = lambda: all(close(m336(U, T), m337(U, T)) for U, T in sm_draws())
C["338_0"] = lambda: all(close(m337(U, T), m338(U, T)) for U, T in sm_draws())
C["338_1"] = lambda: all(close(m338(U, T), smax(U) - T) for U, T in sm_draws())
C["339_0"] = lambda: all(close(ngrad(lambda V: ce(smax(V), T), U), smax(U) - T) for U, T in sm_draws())

for _name, _fn in C.items():
    _line, _n = _name.split("_")
    globals()[f"step_{int(_line) + OFF}_{_n}"] = _fn
