"""Finite-difference checks of g05_kkhatua_multinomial_logreg_hessian.ipynb (keys "3:LINE", cell 3).

Three classes with class 3 as the baseline: D_i = 1 + e^{x_i^T b1} + e^{x_i^T b2}, P1 = e^{x_i^T b1}/D_i,
P2 = e^{x_i^T b2}/D_i, P3 = 1/D_i; y_i in {1,2,3}; log L = sum_i [I1 x_i^T b1 + I2 x_i^T b2 - log D_i];
beta = (b1; b2); H_ab = d/d beta_a (d log L / d beta_b). a (x) x_i (Kronecker product) for a in R^2 is np.kron.
Tolerance: rtol = atol = 1e-6 (TOL), 1e-5 for second differences (HTOL); central differences.
"""
import numpy as np

TOL = 1e-6
HTOL = 1e-5
H = 1e-6
DRAWS = 3


def close(a, b, tol=TOL):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=tol, atol=tol))


def num_grad(f, x, h=H):
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


def cases():
    """(X, y, b1, b2) draws: n observations, p features (sizes 1 and >= 2)."""
    r = np.random.default_rng(0)
    out = []
    for n, p in ((1, 1), (2, 1), (3, 2), (5, 3)):
        for _ in range(DRAWS):
            X = r.normal(size=(n, p))
            y = r.integers(1, 4, size=n)
            out.append((X, y, r.normal(size=p), r.normal(size=p)))
    return out


def probs(X, b1, b2):
    e1 = np.exp(X @ b1)
    e2 = np.exp(X @ b2)
    D = 1 + e1 + e2
    return e1, e2, D, e1 / D, e2 / D, 1 / D


def ind(y, k):
    return (y == k).astype(float)


def logL(X, y, beta):
    p = X.shape[1]
    b1, b2 = beta[:p], beta[p:]
    return np.sum(ind(y, 1) * (X @ b1) + ind(y, 2) * (X @ b2) - np.log(1 + np.exp(X @ b1) + np.exp(X @ b2)))


def allc(check):
    return all(bool(check(*c)) for c in cases())


def step_3_17_0():  # P3 = 1 - P1 - P2 = 1 - e1/D - e2/D
    def chk(X, y, b1, b2):
        e1, e2, D, P1, P2, P3 = probs(X, b1, b2)
        return close(1 - P1 - P2, 1 - e1 / D - e2 / D)
    return allc(chk)


def step_3_19_0():  # = 1/D
    def chk(X, y, b1, b2):
        e1, e2, D, P1, P2, P3 = probs(X, b1, b2)
        return close(1 - e1 / D - e2 / D, 1 / D)
    return allc(chk)


def _L(X, y, b1, b2):
    e1, e2, D, P1, P2, P3 = probs(X, b1, b2)
    return np.prod(P1 ** ind(y, 1) * P2 ** ind(y, 2) * P3 ** ind(y, 3))


def step_3_27_0():
    def chk(X, y, b1, b2):
        e1, e2, D, P1, P2, P3 = probs(X, b1, b2)
        return close(_L(X, y, b1, b2), np.prod((e1 / D) ** ind(y, 1) * (e2 / D) ** ind(y, 2) * (1 / D) ** ind(y, 3)))
    return allc(chk)


def step_3_28_0():
    def chk(X, y, b1, b2):
        e1, e2, D, P1, P2, P3 = probs(X, b1, b2)
        lhs = np.prod((e1 / D) ** ind(y, 1) * (e2 / D) ** ind(y, 2) * (1 / D) ** ind(y, 3))
        rhs = np.prod(np.exp((X @ b1) * ind(y, 1)) * np.exp((X @ b2) * ind(y, 2)) * (1 / D) ** (ind(y, 1) + ind(y, 2) + ind(y, 3)))
        return close(lhs, rhs)
    return allc(chk)


def step_3_29_0():
    def chk(X, y, b1, b2):
        e1, e2, D, P1, P2, P3 = probs(X, b1, b2)
        lhs = np.prod(np.exp((X @ b1) * ind(y, 1)) * np.exp((X @ b2) * ind(y, 2)) * (1 / D) ** (ind(y, 1) + ind(y, 2) + ind(y, 3)))
        rhs = np.prod(np.exp((X @ b1) * ind(y, 1)) * np.exp((X @ b2) * ind(y, 2)) / D)
        return close(lhs, rhs)
    return allc(chk)


def step_3_38_0():  # log L = log prod(...)
    def chk(X, y, b1, b2):
        e1, e2, D, P1, P2, P3 = probs(X, b1, b2)
        return close(np.log(_L(X, y, b1, b2)), np.log(np.prod(np.exp((X @ b1) * ind(y, 1)) * np.exp((X @ b2) * ind(y, 2)) / D)))
    return allc(chk)


def _grad(X, y, b1, b2):
    return num_grad(lambda bb: logL(X, y, bb), np.concatenate([b1, b2]))


def _g1(X, y, b1, b2):
    return num_grad(lambda u: logL(X, y, np.concatenate([u, b2])), b1)


def _g2(X, y, b1, b2):
    return num_grad(lambda u: logL(X, y, np.concatenate([b1, u])), b2)


def step_3_45_0():  # d logL/d beta = (d/d b1 ; d/d b2)
    return allc(lambda X, y, b1, b2: close(_grad(X, y, b1, b2), np.concatenate([_g1(X, y, b1, b2), _g2(X, y, b1, b2)])))


def step_3_63_0():
    return step_3_45_0()


def _bracket(X, y, b1, b2, u):
    return np.sum(ind(y, 1) * (X @ u) + ind(y, 2) * (X @ b2) - np.log(1 + np.exp(X @ u) + np.exp(X @ b2)))


def step_3_51_0():
    return allc(lambda X, y, b1, b2: close(_g1(X, y, b1, b2), num_grad(lambda u: _bracket(X, y, b1, b2, u), b1)))


def step_3_52_0():
    def chk(X, y, b1, b2):
        e1, e2, D, P1, P2, P3 = probs(X, b1, b2)
        rhs = (ind(y, 1) @ X) + 0 - ((e1 / D) @ X)
        return close(num_grad(lambda u: _bracket(X, y, b1, b2, u), b1), rhs)
    return allc(chk)


def step_3_53_0():
    def chk(X, y, b1, b2):
        e1, e2, D, P1, P2, P3 = probs(X, b1, b2)
        return close((ind(y, 1) @ X) + 0 - ((e1 / D) @ X), (ind(y, 1) @ X) - (P1 @ X))
    return allc(chk)


def step_3_54_0():
    def chk(X, y, b1, b2):
        e1, e2, D, P1, P2, P3 = probs(X, b1, b2)
        return close((ind(y, 1) @ X) - (P1 @ X), (ind(y, 1) - P1) @ X)
    return allc(chk)


def step_3_59_0():
    def chk(X, y, b1, b2):
        e1, e2, D, P1, P2, P3 = probs(X, b1, b2)
        return close(_g2(X, y, b1, b2), (ind(y, 2) - P2) @ X)
    return allc(chk)


def step_3_66_0():
    def chk(X, y, b1, b2):
        e1, e2, D, P1, P2, P3 = probs(X, b1, b2)
        return close(np.concatenate([_g1(X, y, b1, b2), _g2(X, y, b1, b2)]), np.concatenate([(ind(y, 1) - P1) @ X, (ind(y, 2) - P2) @ X]))
    return allc(chk)


def step_3_69_0():
    def chk(X, y, b1, b2):
        e1, e2, D, P1, P2, P3 = probs(X, b1, b2)
        lhs = np.concatenate([(ind(y, 1) - P1) @ X, (ind(y, 2) - P2) @ X])
        rhs = sum(np.concatenate([(ind(y, 1)[i] - P1[i]) * X[i], (ind(y, 2)[i] - P2[i]) * X[i]]) for i in range(len(y)))
        return close(lhs, rhs)
    return allc(chk)


def step_3_72_0():
    def chk(X, y, b1, b2):
        e1, e2, D, P1, P2, P3 = probs(X, b1, b2)
        lhs = sum(np.concatenate([(ind(y, 1)[i] - P1[i]) * X[i], (ind(y, 2)[i] - P2[i]) * X[i]]) for i in range(len(y)))
        rhs = sum(np.kron(np.array([ind(y, 1)[i] - P1[i], ind(y, 2)[i] - P2[i]]), X[i]) for i in range(len(y)))
        return close(lhs, rhs)
    return allc(chk)


def _hess(X, y, b1, b2):
    beta = np.concatenate([b1, b2])
    return num_grad(lambda bb: num_grad(lambda cc: logL(X, y, cc), bb, h=1e-4), beta, h=1e-4)


def _blocks(X, y, b1, b2):
    p = len(b1)
    g = lambda bb: num_grad(lambda cc: logL(X, y, cc), bb, h=1e-4)  # noqa: E731
    top = num_grad(lambda u: g(np.concatenate([u, b2])), b1, h=1e-4)
    bot = num_grad(lambda u: g(np.concatenate([b1, u])), b2, h=1e-4)
    assert top.shape == (p, 2 * p)
    return np.vstack([top, bot])


def step_3_82_0():  # H = [d/d b1 [grad]^T ; d/d b2 [grad]^T]
    return allc(lambda X, y, b1, b2: close(_hess(X, y, b1, b2), _blocks(X, y, b1, b2), HTOL))


def step_3_164_0():
    return step_3_82_0()


def _P1_of_b1(X, b2, i):
    return lambda u: np.exp(X[i] @ u) / (1 + np.exp(X[i] @ u) + np.exp(X[i] @ b2))


def _P2_of_b1(X, b2, i):
    return lambda u: np.exp(X[i] @ b2) / (1 + np.exp(X[i] @ u) + np.exp(X[i] @ b2))


def _each(check):
    return allc(lambda X, y, b1, b2: all(check(X, y, b1, b2, i) for i in range(len(y))))


def step_3_97_0():  # dP1/d b1j = d/d b1j e1/D
    def chk(X, y, b1, b2, i):
        f = lambda u: np.exp(X[i] @ u) / (1 + np.exp(X[i] @ u) + np.exp(X[i] @ b2))  # noqa: E731
        return close(num_grad(_P1_of_b1(X, b2, i), b1), num_grad(f, b1))
    return _each(chk)


def step_3_99_0():
    def chk(X, y, b1, b2, i):
        e1, D = np.exp(X[i] @ b1), 1 + np.exp(X[i] @ b1) + np.exp(X[i] @ b2)
        return close(num_grad(_P1_of_b1(X, b2, i), b1), (D * e1 * X[i] - e1**2 * X[i]) / D**2)
    return _each(chk)


def step_3_101_0():
    def chk(X, y, b1, b2, i):
        e1, e2, D = np.exp(X[i] @ b1), np.exp(X[i] @ b2), 1 + np.exp(X[i] @ b1) + np.exp(X[i] @ b2)
        return close((D * e1 * X[i] - e1**2 * X[i]) / D**2, e1 * X[i] / D**2 * (1 + e2))
    return _each(chk)


def step_3_103_0():
    def chk(X, y, b1, b2, i):
        e1, e2, D = np.exp(X[i] @ b1), np.exp(X[i] @ b2), 1 + np.exp(X[i] @ b1) + np.exp(X[i] @ b2)
        P1 = e1 / D
        return close(e1 * X[i] / D**2 * (1 + e2), P1 * (1 - P1) * X[i])
    return _each(chk)


def step_3_109_0():  # dP1/d b1 = (dP1/d b11, ..., dP1/d b1p)
    def chk(X, y, b1, b2, i):
        f = _P1_of_b1(X, b2, i)
        col = np.array([(f(b1 + H * e) - f(b1 - H * e)) / (2 * H) for e in np.eye(len(b1))])
        return close(num_grad(f, b1), col)
    return _each(chk)


def step_3_118_0():
    def chk(X, y, b1, b2, i):
        f = _P1_of_b1(X, b2, i)
        P1 = f(b1)
        col = np.array([(f(b1 + H * e) - f(b1 - H * e)) / (2 * H) for e in np.eye(len(b1))])
        return close(col, np.array([P1 * (1 - P1) * X[i, j] for j in range(len(b1))]))
    return _each(chk)


def step_3_126_0():
    def chk(X, y, b1, b2, i):
        P1 = _P1_of_b1(X, b2, i)(b1)
        return close(np.array([P1 * (1 - P1) * X[i, j] for j in range(len(b1))]), P1 * (1 - P1) * np.array(list(X[i])))
    return _each(chk)


def step_3_135_0():
    def chk(X, y, b1, b2, i):
        P1 = _P1_of_b1(X, b2, i)(b1)
        return close(P1 * (1 - P1) * np.array(list(X[i])), P1 * (1 - P1) * X[i])
    return _each(chk)


def step_3_139_0():  # P(y_i=2|x_i) = e2/D  (restates P(Y = 2|x_i))
    def chk(X, y, b1, b2, i):
        z = np.array([X[i] @ b1, X[i] @ b2, 0.0])
        soft = np.exp(z) / np.sum(np.exp(z))
        return close(soft[1], np.exp(X[i] @ b2) / (1 + np.exp(X[i] @ b1) + np.exp(X[i] @ b2)))
    return _each(chk)


def step_3_143_0():
    def chk(X, y, b1, b2, i):
        e1, e2, D = np.exp(X[i] @ b1), np.exp(X[i] @ b2), 1 + np.exp(X[i] @ b1) + np.exp(X[i] @ b2)
        return close(num_grad(_P2_of_b1(X, b2, i), b1), -e2 * e1 * X[i] / D**2)
    return _each(chk)


def step_3_144_0():
    def chk(X, y, b1, b2, i):
        e1, e2, D = np.exp(X[i] @ b1), np.exp(X[i] @ b2), 1 + np.exp(X[i] @ b1) + np.exp(X[i] @ b2)
        return close(-e2 * e1 * X[i] / D**2, -(e1 / D) * (e2 / D) * X[i])
    return _each(chk)


def step_3_148_0():
    def chk(X, y, b1, b2, i):
        e1, e2, D = np.exp(X[i] @ b1), np.exp(X[i] @ b2), 1 + np.exp(X[i] @ b1) + np.exp(X[i] @ b2)
        return close(num_grad(_P2_of_b1(X, b2, i), b1), -(e1 / D) * (e2 / D) * X[i])
    return _each(chk)


def _eig_cases():
    r = np.random.default_rng(7)
    out = []
    for m, n in ((1, 1), (2, 3), (3, 2)):
        for _ in range(DRAWS):
            A = r.normal(size=(m, m))
            A = A + A.T
            B = r.normal(size=(n, n))
            B = B + B.T
            la, xa = np.linalg.eigh(A)
            mb, yb = np.linalg.eigh(B)
            i, j = int(r.integers(m)), int(r.integers(n))
            out.append((A, B, la[i], xa[:, i], mb[j], yb[:, j]))
    return out


def step_3_185_2():  # (A (x) B)(x_i (x) y_j) = (A x_i) (x) (B y_j)
    return all(close(np.kron(A, B) @ np.kron(x, yv), np.kron(A @ x, B @ yv)) for A, B, la, x, mu, yv in _eig_cases())


def step_3_185_3():  # = (lambda_i x_i) (x) (mu_j y_j)
    return all(close(np.kron(A @ x, B @ yv), np.kron(la * x, mu * yv)) for A, B, la, x, mu, yv in _eig_cases())


def step_3_185_4():  # = lambda_i mu_j (x_i (x) y_j)
    return all(close(np.kron(la * x, mu * yv), la * mu * np.kron(x, yv)) for A, B, la, x, mu, yv in _eig_cases())


def _pp(seed=8):
    r = np.random.default_rng(seed)
    out = []
    for _ in range(6):
        z3 = r.normal(size=3)
        P = np.exp(z3) / np.sum(np.exp(z3))
        out.append((P[0], P[1], r.normal(size=2)))
    return out


def step_3_219_0():  # diag(P1,P2) - [[P1^2, P1P2],[P1P2, P2^2]] = diag(P1,P2) - p p^T
    def ok(P1, P2, z):
        pv = np.array([[P1], [P2]])
        return close(np.diag([P1, P2]) - np.array([[P1**2, P1 * P2], [P1 * P2, P2**2]]), np.diag([P1, P2]) - pv @ pv.T)
    return all(ok(*c) for c in _pp())


def step_3_245_0():  # z^T diag z - z^T p p^T z = sum P_j z_j^2 - (sum P_j z_j)^2
    def ok(P1, P2, z):
        pv = np.array([P1, P2])
        return close(z @ np.diag(pv) @ z - z @ np.outer(pv, pv) @ z, np.sum(pv * z**2) - np.sum(pv * z) ** 2)
    return all(ok(*c) for c in _pp())


def step_3_255_0():  # slip: sum_{j=1}^2 P(y_i=j|x_i) = 1 (it is 1 - P(y_i=3|x_i) < 1)
    return allc(lambda X, y, b1, b2: close(probs(X, b1, b2)[3] + probs(X, b1, b2)[4], np.ones(len(y))))
