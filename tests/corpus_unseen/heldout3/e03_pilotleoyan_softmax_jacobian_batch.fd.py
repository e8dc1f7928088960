"""Finite-difference checks of e03_pilotleoyan_softmax_jacobian_batch.ipynb.

sigma = softmax of a row z (n_1 entries); Sigma = row-wise softmax of Z (m x n_1); J[a, b] = d sigma_a / d z_b
by central differences; L(Sigma) = sum(G * Sigma**2) + sum(C * Sigma) for random G, C (any smooth scalar
function of Sigma); S = sum_k exp(z_k). Sizes n_1 in 1, 2, 3, 5 and m = 3."""
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

M = 3


def _J(z):
    return num_grad(softmax, z).T  # J[a, b] = d sigma_a / d z_b


def _pairs(n):
    return [(q, r) for q in range(n) for r in range(n)]


def step_44_4_0():  # d sigma_q / d z_{r=q} = sigma_q (1 - sigma_q)
    return all_draws(lambda r, n: all(close(_J(z := r.normal(size=n))[q, q], (s := softmax(z))[q] * (1 - s[q])) for q in range(n)))


def step_46_4_0():  # d sigma_q / d z_{r != q} = -sigma_q sigma_r
    return all_draws(lambda r, n: all(close(_J(z := r.normal(size=n))[q, k], -(s := softmax(z))[q] * s[k]) for q, k in _pairs(n) if q != k))


def step_50_4_0():  # d sigma_q / d z = sigma_q (.) [-sigma_1 .. 1 - sigma_q .. -sigma_{n_1}]
    def chk(r, n):
        z = r.normal(size=n)
        s = softmax(z)
        return all(close(_J(z)[q], s[q] * (np.eye(n)[q] - s)) for q in range(n))
    return all_draws(chk)


def step_59_10_0():  # rows [d sigma_a / d z] = the matrix of entries d sigma_a / d z_b
    def chk(r, n):
        z = r.normal(size=n)
        rows = np.stack([num_grad(lambda u, a=a: softmax(u)[a], z) for a in range(n)])
        return close(rows, _J(z))
    return all_draws(chk)


def step_61_4_0():
    return step_44_4_0()


def step_61_6_0():
    return step_46_4_0()


def _diag_minus_outer(z):
    s = softmax(z)
    return np.diag(s) - np.outer(s, s)


def step_63_3_0():  # d sigma / d z = [sigma_a (1 - sigma_a) on the diagonal, -sigma_a sigma_b off it]
    def chk(r, n):
        z = r.normal(size=n)
        s = softmax(z)
        want = np.array([[s[a] * (1 - s[a]) if a == b else -s[a] * s[b] for b in range(n)] for a in range(n)])
        return close(_J(z), want)
    return all_draws(chk)


def step_65_3_0():  # d sigma / d z = diag(sigma) - sigma sigma^T
    return all_draws(lambda r, n: close(_J(z := r.normal(size=n)), _diag_minus_outer(z)))


def step_72_2_0():  # Sigma(Z) = [sigma(z_1); ...; sigma(z_m)]  (restated)
    def chk(r, n):
        Z = r.normal(size=(M, n))
        return close(softmax(Z, axis=1), np.stack([softmax(Z[i]) for i in range(M)]))
    return all_draws(chk)


def step_76_2_0():  # sigma(z_i) = [sigma(z_i)_1 .. sigma(z_i)_{n_1}]
    def chk(r, n):
        Z = r.normal(size=(M, n))
        S = softmax(Z, axis=1)
        return all(close(S[i], np.exp(Z[i]) / np.sum(np.exp(Z[i]))) for i in range(M))
    return all_draws(chk)


def _JJ(Z):
    return np.moveaxis(num_grad(lambda U: softmax(U, axis=1), Z), [0, 1], [2, 3])  # [p, q, i, j] = dSigma_pq / dZ_ij


def step_84_4_0():  # dSigma_pq/dZ_ij = Sigma_pq(1 - Sigma_ij) if p=i, q=j; -Sigma_pq Sigma_ij if p=i, q!=j; 0 if p!=i
    def chk(r, n):
        Z = r.normal(size=(M, n))
        S = softmax(Z, axis=1)
        JJ = _JJ(Z)
        for p, q, i, j in np.ndindex(M, n, M, n):
            want = (S[p, q] * (1 - S[i, j]) if q == j else -S[p, q] * S[i, j]) if p == i else 0.0
            if not close(JJ[p, q, i, j], want):
                return False
        return True
    return all_draws(chk)


def step_98_4_0():  # dSigma_p / dZ_{i=p} = diag(sigma(Z_p)) - sigma(Z_p) sigma(Z_p)^T
    def chk(r, n):
        Z = r.normal(size=(M, n))
        JJ = _JJ(Z)
        return all(close(JJ[p, :, p, :], _diag_minus_outer(Z[p])) for p in range(M))
    return all_draws(chk)


def step_100_3_0():  # dSigma_p / dZ_{i != p} = 0
    def chk(r, n):
        Z = r.normal(size=(M, n))
        JJ = _JJ(Z)
        return all(close(JJ[p, :, i, :], np.zeros((n, n))) for p in range(M) for i in range(M) if i != p)
    return all_draws(chk)


def _loss(r, n):
    G, C = r.normal(size=(M, n)), r.normal(size=(M, n))
    L = lambda S: np.sum(G * S**2) + np.sum(C * S)  # noqa: E731
    dLdS = lambda S: 2 * G * S + C  # noqa: E731
    return L, dLdS


def step_107_3_0():  # dL/dz_pq = sum_i sum_j dL/dsigma_ij dsigma_ij/dz_pq
    def chk(r, n):
        Z = r.normal(size=(M, n))
        L, dLdS = _loss(r, n)
        g = num_grad(lambda U: L(softmax(U, axis=1)), Z)
        return close(g, np.einsum("ij,ijpq->pq", dLdS(softmax(Z, axis=1)), _JJ(Z)))
    return all_draws(chk)


def step_110_3_0():  # dsigma_ij/dz_pq = s_pq(1 - s_pq) if i=p, j=q; -s_pq s_ij if i=p, j!=q; 0 otherwise
    def chk(r, n):
        Z = r.normal(size=(M, n))
        S = softmax(Z, axis=1)
        JJ = _JJ(Z)
        for i, j, p, q in np.ndindex(M, n, M, n):
            want = (S[p, q] * (1 - S[p, q]) if j == q else -S[p, q] * S[i, j]) if i == p else 0.0
            if not close(JJ[i, j, p, q], want):
                return False
        return True
    return all_draws(chk)


def step_112_4_0():  # dL/dz_pq = sum_j dL/dsigma_pj dsigma_pj/dz_pq
    def chk(r, n):
        Z = r.normal(size=(M, n))
        L, dLdS = _loss(r, n)
        g = num_grad(lambda U: L(softmax(U, axis=1)), Z)
        D, JJ = dLdS(softmax(Z, axis=1)), _JJ(Z)
        return close(g, np.array([[sum(D[p, j] * JJ[p, j, p, q] for j in range(n)) for q in range(n)] for p in range(M)]))
    return all_draws(chk)


def step_114_3_0():  # dL/dZ = Sigma (.) (dL/dSigma - (dL/dSigma (.) Sigma) 1), 1 the n_1 x n_1 ones matrix
    def chk(r, n):
        Z = r.normal(size=(M, n))
        L, dLdS = _loss(r, n)
        S = softmax(Z, axis=1)
        g = num_grad(lambda U: L(softmax(U, axis=1)), Z)
        D = dLdS(S)
        return close(g, S * (D - (D * S) @ np.ones((n, n))))
    return all_draws(chk)


def step_125_3_0():  # sigma(z) = sigma(z - max_i z_i)
    return all_draws(lambda r, n: close(softmax(z := 3 * r.normal(size=n)), np.exp(z - z.max()) / np.sum(np.exp(z - z.max()))))


def _qq(r, n):
    z = r.normal(size=n)
    e, S, s = np.exp(z), np.sum(np.exp(z)), softmax(z)
    return z, e, S, s


def step_129_4_0():  # d sigma_q / d z_q = (e_q S - e_q^2) / S^2
    return all_draws(lambda r, n: all(close(_J((t := _qq(r, n))[0])[q, q], (t[1][q] * t[2] - t[1][q] ** 2) / t[2] ** 2) for q in range(n)))


def step_129_6_0():  # = e_q (S - e_q) / S^2
    return all_draws(lambda r, n: all(close(((t := _qq(r, n))[1][q] * t[2] - t[1][q] ** 2) / t[2] ** 2, t[1][q] * (t[2] - t[1][q]) / t[2] ** 2) for q in range(n)))


def step_129_8_0():  # = e_q / S ((S - e_q) / S)
    return all_draws(lambda r, n: all(close((t := _qq(r, n))[1][q] * (t[2] - t[1][q]) / t[2] ** 2, t[1][q] / t[2] * ((t[2] - t[1][q]) / t[2])) for q in range(n)))


def step_129_13_0():  # = sigma_q (S / S - e_q / S)
    return all_draws(lambda r, n: all(close((t := _qq(r, n))[1][q] / t[2] * ((t[2] - t[1][q]) / t[2]), t[3][q] * (t[2] / t[2] - t[1][q] / t[2])) for q in range(n)))


def step_129_17_0():  # = sigma_q (1 - sigma_q)
    return all_draws(lambda r, n: all(close((t := _qq(r, n))[3][q] * (t[2] / t[2] - t[1][q] / t[2]), t[3][q] * (1 - t[3][q])) for q in range(n)))


def _off(check):
    return all_draws(lambda r, n: all(check(_qq(r, n), q, k) for q, k in _pairs(n) if q != k), sizes=(2, 3, 5))


def step_131_4_0():  # d sigma_q / d z_{r != q} = -e_q e_r / S^2
    return _off(lambda t, q, k: close(_J(t[0])[q, k], -t[1][q] * t[1][k] / t[2] ** 2))


def step_131_6_0():  # = -(e_q / S)(e_r / S)
    return _off(lambda t, q, k: close(-t[1][q] * t[1][k] / t[2] ** 2, -(t[1][q] / t[2]) * (t[1][k] / t[2])))


def step_131_9_0():  # = -sigma_q sigma_r
    return _off(lambda t, q, k: close(-(t[1][q] / t[2]) * (t[1][k] / t[2]), -t[3][q] * t[3][k]))


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
