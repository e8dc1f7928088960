"""Finite-difference checks of g04_purepisces_cross_entropy_loss.md.

Row i of A holds the logits of one sample, sigma is the row softmax, Y has one-hot rows;
H(A_i, Y_i) = -sum_c Y_ic log sigma(A_ic). Examples: C = 3, A = [2, 1, -1] (and random rows),
Y = [1,0,0] (Example 1) or [0,0,1] (Example 2). Last part: a = softmax(z), C = 3, y one-hot,
L = -sum_c y_c log a_c. Tolerance: rtol = atol = 1e-6 (TOL), central differences with step H.
"""
import numpy as np

TOL = 1e-6
H = 1e-6
DRAWS = 4


def close(a, b, tol=TOL):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=tol, atol=tol))


def sm(a):
    e = np.exp(a - np.max(a))
    return e / np.sum(e)


def d_dx(f, x, c, h=H):
    """Central difference of f at x along coordinate c."""
    xp = np.array(x, dtype=float)
    xm = np.array(x, dtype=float)
    xp[c] += h
    xm[c] -= h
    return (f(xp) - f(xm)) / (2 * h)


def draws(check, sizes=(1, 2, 3, 5)):
    r = np.random.default_rng(0)
    return all(bool(check(r, C)) for C in sizes for _ in range(DRAWS))


def row(r, C):
    a = r.normal(size=C)
    y = np.eye(C)[int(r.integers(C))]
    c = int(r.integers(C))
    return a, y, c


def Hrow(a, y):
    return -np.sum(y * np.log(sm(a)))


def dlog(a, k, c):
    """d log sigma(a_k) / d a_c."""
    return d_dx(lambda u: np.log(sm(u)[k]), a, c)


def expanded(a, y):
    total = 0.0
    for k in range(len(a)):
        total = total - y[k] * np.log(sm(a)[k])
    return total


def step_80_0():  # dH/dA_ic = d(-Y_i1 log s_1 - ... - Y_iC log s_C)/dA_ic
    return draws(lambda r, C: (lambda a, y, c: close(d_dx(lambda u: Hrow(u, y), a, c), d_dx(lambda u: expanded(u, y), a, c)))(*row(r, C)))


def step_81_0():  # = sum_k d(-Y_ik log s_k)/dA_ic
    def chk(r, C):
        a, y, c = row(r, C)
        lhs = d_dx(lambda u: expanded(u, y), a, c)
        rhs = sum(d_dx(lambda u, k=k: -y[k] * np.log(sm(u)[k]), a, c) for k in range(C))
        return close(lhs, rhs)
    return draws(chk)


def step_82_0():  # = -sum_k Y_ik d log s_k / dA_ic  (written term by term)
    def chk(r, C):
        a, y, c = row(r, C)
        lhs = sum(d_dx(lambda u, k=k: -y[k] * np.log(sm(u)[k]), a, c) for k in range(C))
        rhs = sum(-y[k] * dlog(a, k, c) for k in range(C))
        return close(lhs, rhs)
    return draws(chk)


def step_83_0():  # = -sum_k Y_ik d log s_k / dA_ic
    def chk(r, C):
        a, y, c = row(r, C)
        return close(sum(-y[k] * dlog(a, k, c) for k in range(C)), -np.sum([y[k] * dlog(a, k, c) for k in range(C)]))
    return draws(chk)


def step_87_0():  # dH/dA_ic = -sum_k Y_ik d log s_k / dA_ic
    def chk(r, C):
        a, y, c = row(r, C)
        return close(d_dx(lambda u: Hrow(u, y), a, c), -sum(y[k] * dlog(a, k, c) for k in range(C)))
    return draws(chk)


def step_92_1():  # d log(x)/dx = 1/x
    r = np.random.default_rng(1)
    xs = r.uniform(0.1, 5.0, size=8)
    return all(close(d_dx(lambda u: np.log(u[0]), np.array([x]), 0), 1 / x) for x in xs)


def step_94_0():  # (k = c) d log s_k/dA_ic = d log s_c / d s_c * d s_c / dA_ic
    def chk(r, C):
        a, y, c = row(r, C)
        k = c
        return close(dlog(a, k, c), (1 / sm(a)[c]) * d_dx(lambda u: sm(u)[c], a, c))
    return draws(chk)


def step_94_1():  # = 1/s_c * s_c (1 - s_c)
    def chk(r, C):
        a, y, c = row(r, C)
        s = sm(a)
        return close((1 / s[c]) * d_dx(lambda u: sm(u)[c], a, c), (1 / s[c]) * s[c] * (1 - s[c]))
    return draws(chk)


def step_94_2():  # = 1 - s_c
    def chk(r, C):
        a, y, c = row(r, C)
        s = sm(a)
        return close((1 / s[c]) * s[c] * (1 - s[c]), 1 - s[c])
    return draws(chk)


def step_98_2():  # (k != c) 1/s_k * (-s_k) * s_c = -s_c, and it is d log s_k / dA_ic
    def chk(r, C):
        if C < 2:
            return True
        a, y, c = row(r, C)
        k = (c + 1) % C
        s = sm(a)
        return close((1 / s[k]) * (-s[k]) * s[c], -s[c]) and close(dlog(a, k, c), -s[c])
    return draws(chk)


def step_107_0():  # dH/dA_ic = -sum_k Y_ik d log s_k / dA_ic
    return step_87_0()


# Examples (C = 3): Y fixed, A = [2, 1, -1] and random rows.
def ex_rows(seed=2):
    r = np.random.default_rng(seed)
    return [np.array([2.0, 1.0, -1.0])] + [r.normal(size=3) for _ in range(DRAWS)]


Y1 = np.array([1.0, 0.0, 0.0])
Y2 = np.array([0.0, 0.0, 1.0])


def _ex_chain(Y):
    """Members of the example chains at column 3 (index 2)."""
    out = []
    for a in ex_rows():
        s = sm(a)
        m0 = d_dx(lambda u: Hrow(u, Y), a, 2)
        m1 = -sum(Y[k] * dlog(a, k, 2) for k in range(3))
        m2 = -Y[0] * dlog(a, 0, 2) - Y[1] * dlog(a, 1, 2) - Y[2] * dlog(a, 2, 2)
        out.append((a, s, m0, m1, m2))
    return out


def step_126_0():
    return all(close(m0, m1) for a, s, m0, m1, m2 in _ex_chain(Y1))


def step_127_0():
    return all(close(m1, m2) for a, s, m0, m1, m2 in _ex_chain(Y1))


def step_128_0():  # = -1(-s_3) - 0 - 0
    return all(close(m2, -1 * (-s[2]) - 0 - 0) for a, s, m0, m1, m2 in _ex_chain(Y1))


def step_129_0():  # = s_3 - 0
    return all(close(-1 * (-s[2]) - 0 - 0, s[2] - 0) for a, s, m0, m1, m2 in _ex_chain(Y1))


def step_130_0():  # = s_3 - Y_13
    return all(close(s[2] - 0, s[2] - Y1[2]) for a, s, m0, m1, m2 in _ex_chain(Y1))


def step_143_0():
    return all(close(m0, m1) for a, s, m0, m1, m2 in _ex_chain(Y2))


def step_144_0():
    return all(close(m1, m2) for a, s, m0, m1, m2 in _ex_chain(Y2))


def step_145_0():  # = -0 - 0 - 1(1 - s_3)
    return all(close(m2, -0 - 0 - 1 * (1 - s[2])) for a, s, m0, m1, m2 in _ex_chain(Y2))


def step_146_0():  # = s_3 - 1
    return all(close(-0 - 0 - 1 * (1 - s[2]), s[2] - 1) for a, s, m0, m1, m2 in _ex_chain(Y2))


def step_147_0():  # = s_3 - Y_13
    return all(close(s[2] - 1, s[2] - Y2[2]) for a, s, m0, m1, m2 in _ex_chain(Y2))


# Last part: z in R^3, a = softmax(z).
def zs(seed=3):
    r = np.random.default_rng(seed)
    return [r.normal(size=3) for _ in range(DRAWS)]


def step_178_0():  # da1/dz1 = (e1 S - e1 e1)/(S S)
    def ok(z):
        e = np.exp(z)
        S = np.sum(e)
        return close(d_dx(lambda u: sm(u)[0], z, 0), (e[0] * S - e[0] * e[0]) / (S * S))
    return all(ok(z) for z in zs())


def step_178_1():  # = e1/S * (S - e1)/S
    def ok(z):
        e = np.exp(z)
        S = np.sum(e)
        return close((e[0] * S - e[0] * e[0]) / (S * S), e[0] / S * (S - e[0]) / S)
    return all(ok(z) for z in zs())


def step_178_2():  # = a1 (1 - a1)
    def ok(z):
        e = np.exp(z)
        S = np.sum(e)
        a = sm(z)
        return close(e[0] / S * (S - e[0]) / S, a[0] * (1 - a[0]))
    return all(ok(z) for z in zs())


def step_184_0():  # da1/dz2 = (0 S - e1 e2)/S^2
    def ok(z):
        e = np.exp(z)
        S = np.sum(e)
        return close(d_dx(lambda u: sm(u)[0], z, 1), (0 * S - e[0] * e[1]) / S**2)
    return all(ok(z) for z in zs())


def step_184_1():  # = -(e1/S)(e2/S)
    def ok(z):
        e = np.exp(z)
        S = np.sum(e)
        return close((0 * S - e[0] * e[1]) / S**2, -(e[0] / S) * (e[1] / S))
    return all(ok(z) for z in zs())


def step_184_2():  # = -a1 a2
    def ok(z):
        e = np.exp(z)
        S = np.sum(e)
        a = sm(z)
        return close(-(e[0] / S) * (e[1] / S), -a[0] * a[1])
    return all(ok(z) for z in zs())


def step_189_0():  # da/dz = [[a1(1-a1), -a1a2, -a1a3], [-a1a2, a2(1-a2), -a2a3], [-a1a3, -a2a3, a3(1-a3)]]
    def ok(z):
        a = sm(z)
        J = np.array([[d_dx(lambda u, i=i: sm(u)[i], z, j) for j in range(3)] for i in range(3)])
        want = np.array([[a[0] * (1 - a[0]), -a[0] * a[1], -a[0] * a[2]],
                         [-a[0] * a[1], a[1] * (1 - a[1]), -a[1] * a[2]],
                         [-a[0] * a[2], -a[1] * a[2], a[2] * (1 - a[2])]])
        return close(J, want)
    return all(ok(z) for z in zs())


def _L(a, y):
    return -np.sum(y * np.log(a))


def step_197_0():  # dL/da = [d/da_c (-sum y log a)]_c
    r = np.random.default_rng(4)
    for _ in range(DRAWS):
        a = r.uniform(0.1, 1.0, size=3)
        y = np.eye(3)[int(r.integers(3))]
        g = np.array([d_dx(lambda u, y=y: _L(u, y), a, c) for c in range(3)])
        col = np.array([d_dx(lambda u, y=y: -np.sum(y * np.log(u)), a, c) for c in range(3)])
        if not close(g, col):
            return False
    return True


def step_201_0():  # [d/da_c (-sum y log a)]_c = -[y_c / a_c]_c
    r = np.random.default_rng(5)
    for _ in range(DRAWS):
        a = r.uniform(0.1, 1.0, size=3)
        y = np.eye(3)[int(r.integers(3))]
        col = np.array([d_dx(lambda u, y=y: -np.sum(y * np.log(u)), a, c) for c in range(3)])
        if not close(col, -(y / a)):
            return False
    return True


def step_221_0():  # -[y_j - a_j (y1 + y2 + y3)]_j = a - y  (y one-hot)
    r = np.random.default_rng(6)
    for _ in range(DRAWS):
        a = sm(r.normal(size=3))
        y = np.eye(3)[int(r.integers(3))]
        if not close(-(y - a * np.sum(y)), a - y):
            return False
    return True


def step_213_0():  # dL/dz = dL/da  da/dz  (gradient as a row times the Jacobian)
    r = np.random.default_rng(7)
    for _ in range(DRAWS):
        z = r.normal(size=3)
        y = np.eye(3)[int(r.integers(3))]
        g_z = np.array([d_dx(lambda u, y=y: _L(sm(u), y), z, c) for c in range(3)])
        a = sm(z)
        g_a = np.array([d_dx(lambda u, y=y: _L(u, y), a, c) for c in range(3)])
        J = np.array([[d_dx(lambda u, i=i: sm(u)[i], z, j) for j in range(3)] for i in range(3)])
        if not close(g_z, g_a @ J):
            return False
    return True
