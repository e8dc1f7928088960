"""Finite-difference checks of g08_dscamiss_softmax_higher_derivatives.md.

sigma = softmax on R^n, Exp = component-wise exp, <a, b> the dot product, (*) the component-wise product.
d sigma(x).h is the central directional difference of sigma along h; d^2 and d^3 are directional differences of the
analytic lower-order formulas (checked themselves first). Tolerance: rtol = atol = 1e-6 (TOL), central step H.
"""
import numpy as np

TOL = 1e-6
H = 1e-6
DRAWS = 4


def close(a, b, tol=TOL):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=tol, atol=tol))


def sig(x):
    e = np.exp(x - np.max(x))
    return e / np.sum(e)


def Exp(x):
    return np.exp(x)


def ddir(f, x, h, step=H):
    return (np.asarray(f(x + step * h)) - np.asarray(f(x - step * h))) / (2 * step)


def ip(a, b):
    return float(np.dot(a, b))


def draws(check, sizes=(1, 2, 3, 5)):
    r = np.random.default_rng(0)
    return all(bool(check(r, n)) for n in sizes for _ in range(DRAWS))


def vecs(r, n, k):
    return [r.normal(size=n) for _ in range(k)]


def d1(x, h):
    s = sig(x)
    return s * h - ip(s, h) * s


def d2(x, h1, h2):
    s = sig(x)
    return (s * h1 * h2 - ip(s, h2) * s * h1 - ip(s, h1) * s * h2 - ip(s, h1 * h2) * s
            + 2 * ip(s, h1) * ip(s, h2) * s)


def d2_first(x, h1, h2):
    """The first display for d^2: (d sigma.h2)(*)h1 - <d sigma.h2, h1> sigma - <sigma, h1> d sigma.h2."""
    s = sig(x)
    return d1(x, h2) * h1 - ip(d1(x, h2), h1) * s - ip(s, h1) * d1(x, h2)


def d3_total(x, h1, h2, h3):
    s = sig(x)
    a1, a2, a3 = ip(s, h1), ip(s, h2), ip(s, h3)
    return (s * h1 * h2 * h3 + 2 * a2 * a3 * s * h1 + 2 * a1 * a3 * s * h2 + 2 * a1 * a2 * s * h3
            - a3 * s * h1 * h2 - a2 * s * h1 * h3 - a1 * s * h2 * h3
            - ip(s, h2 * h3) * s * h1 - ip(s, h1 * h3) * s * h2 - ip(s, h1 * h2) * s * h3
            - ip(s, h1 * h2 * h3) * s
            + 2 * ip(s, h2 * h3) * a1 * s + 2 * ip(s, h1 * h3) * a2 * s + 2 * ip(s, h1 * h2) * a3 * s
            - 6 * a1 * a2 * a3 * s)


def d3_first(x, h1, h2, h3):
    """The first display for d^3 (derivative of the d^2 formula along h3, term by term)."""
    s = sig(x)
    D = d1(x, h3)
    return (D * h1 * h2 - ip(D, h2) * s * h1 - ip(s, h2) * D * h1 - ip(D, h1) * s * h2 - ip(s, h1) * D * h2
            - ip(D, h1 * h2) * s - ip(s, h1 * h2) * D
            + 2 * ip(D, h1) * ip(s, h2) * s + 2 * ip(s, h1) * ip(D, h2) * s + 2 * ip(s, h1) * ip(s, h2) * D)


def step_53_0():  # <sigma(x), 1_n> = 1
    return draws(lambda r, n: close(ip(sig(r.normal(size=n)), np.ones(n)), 1.0))


def step_64_0():  # sigma(x) = Exp(x) / <Exp(x), 1_n>
    return draws(lambda r, n: (lambda x: close(sig(x), Exp(x) / ip(Exp(x), np.ones(n))))(r.normal(size=n)))


def step_79_0():  # d Exp(x).h = Exp(x) (*) h
    return draws(lambda r, n: (lambda x, h: close(ddir(Exp, x, h), Exp(x) * h))(*vecs(r, n, 2)))


def step_85_0():  # Exp(x) = [exp(pi^i(x))]_i
    return draws(lambda r, n: (lambda x: close(Exp(x), np.array([np.exp(x[i]) for i in range(n)])))(r.normal(size=n)))


def step_97_0():  # d Exp(x).h = [exp(x^i) pi^i(h)]_i
    return draws(lambda r, n: (lambda x, h: close(ddir(Exp, x, h), np.array([np.exp(x[i]) * h[i] for i in range(n)])))(*vecs(r, n, 2)))


def step_103_0():  # [exp(x^i) pi^i(h)]_i = Exp(x) (*) h
    return draws(lambda r, n: (lambda x, h: close(np.array([np.exp(x[i]) * h[i] for i in range(n)]), Exp(x) * h))(*vecs(r, n, 2)))


def _members(x, h):
    E = Exp(x)
    S = ip(E, np.ones(len(x)))
    dE = ddir(Exp, x, h)
    m0 = ddir(sig, x, h)
    m1 = (S * dE - ip(dE, np.ones(len(x))) * E) / S**2
    m2 = (S * E * h - ip(E * h, np.ones(len(x))) * E) / S**2
    m3 = E * h / S - ip(E * h, np.ones(len(x))) * E / S**2
    m4 = E / S * h - ip(E / S, h) * E / S
    m5 = sig(x) * h - ip(sig(x), h) * sig(x)
    return [m0, m1, m2, m3, m4, m5]


def _chain(k):
    return draws(lambda r, n: (lambda m: close(m[k], m[k + 1]))(_members(*vecs(r, n, 2))))


def step_111_0():
    return _chain(0)


def step_114_0():
    return _chain(1)


def step_117_0():
    return _chain(2)


def step_119_0():
    return _chain(3)


def step_122_0():
    return _chain(4)


def step_128_0():  # d sigma(x).h = sigma (*) h - <sigma, h> sigma
    return draws(lambda r, n: (lambda x, h: close(ddir(sig, x, h), d1(x, h)))(*vecs(r, n, 2)))


def step_133_0():  # d sigma(x).h = sigma (*) h - sigma sigma^t h
    return draws(lambda r, n: (lambda x, h: close(ddir(sig, x, h), sig(x) * h - np.outer(sig(x), sig(x)) @ h))(*vecs(r, n, 2)))


def step_138_0():  # J sigma(x) = Diag sigma(x) - sigma sigma^t
    def chk(r, n):
        x = r.normal(size=n)
        J = np.column_stack([ddir(sig, x, e) for e in np.eye(n)])
        return close(J, np.diag(sig(x)) - np.outer(sig(x), sig(x)))
    return draws(chk)


def step_155_0():  # d^2 sigma(x).(h1, h2) = the first display
    return draws(lambda r, n: (lambda x, h1, h2: close(ddir(lambda u: d1(u, h1), x, h2), d2_first(x, h1, h2)))(*vecs(r, n, 3)))


def step_164_0():  # (d sigma.h2)(*)h1 = (sigma(*)h2 - <sigma,h2> sigma)(*)h1
    return draws(lambda r, n: (lambda x, h1, h2: close(ddir(sig, x, h2) * h1, (sig(x) * h2 - ip(sig(x), h2) * sig(x)) * h1))(*vecs(r, n, 3)))


def step_165_0():
    def chk(r, n):
        x, h1, h2 = vecs(r, n, 3)
        s = sig(x)
        return close((s * h2 - ip(s, h2) * s) * h1, s * h1 * h2 - ip(s, h2) * s * h1)
    return draws(chk)


def step_172_0():  # -<d sigma.h2, h1> sigma = -<sigma(*)h2 - <sigma,h2>sigma, h1> sigma
    def chk(r, n):
        x, h1, h2 = vecs(r, n, 3)
        s = sig(x)
        return close(-ip(ddir(sig, x, h2), h1) * s, -ip(s * h2 - ip(s, h2) * s, h1) * s)
    return draws(chk)


def step_173_0():
    def chk(r, n):
        x, h1, h2 = vecs(r, n, 3)
        s = sig(x)
        return close(-ip(s * h2 - ip(s, h2) * s, h1) * s, -ip(s * h2, h1) * s + ip(s, h2) * ip(s, h1) * s)
    return draws(chk)


def step_175_0():
    def chk(r, n):
        x, h1, h2 = vecs(r, n, 3)
        s = sig(x)
        return close(-ip(s * h2, h1) * s + ip(s, h2) * ip(s, h1) * s, -ip(s, h1 * h2) * s + ip(s, h1) * ip(s, h2) * s)
    return draws(chk)


def step_183_0():  # -<sigma,h1> d sigma.h2 = -<sigma,h1>(sigma(*)h2 - <sigma,h2> sigma)
    def chk(r, n):
        x, h1, h2 = vecs(r, n, 3)
        s = sig(x)
        return close(-ip(s, h1) * ddir(sig, x, h2), -ip(s, h1) * (s * h2 - ip(s, h2) * s))
    return draws(chk)


def step_184_0():
    def chk(r, n):
        x, h1, h2 = vecs(r, n, 3)
        s = sig(x)
        return close(-ip(s, h1) * (s * h2 - ip(s, h2) * s), -ip(s, h1) * s * h2 + ip(s, h1) * ip(s, h2) * s)
    return draws(chk)


def step_194_0():  # d^2 sigma(x).(h1, h2) = the boxed total
    return draws(lambda r, n: (lambda x, h1, h2: close(ddir(lambda u: d1(u, h1), x, h2), d2(x, h1, h2)))(*vecs(r, n, 3)))


def step_216_0():  # d^3 sigma(x).(h1, h2, h3) = the first display (derivative of the d^2 formula)
    return draws(lambda r, n: (lambda x, h1, h2, h3: close(ddir(lambda u: d2(u, h1, h2), x, h3), d3_first(x, h1, h2, h3)))(*vecs(r, n, 4)))


def step_312_0():  # d^3 sigma(x).(h1, h2, h3) = the boxed total
    return draws(lambda r, n: (lambda x, h1, h2, h3: close(ddir(lambda u: d2(u, h1, h2), x, h3), d3_total(x, h1, h2, h3)))(*vecs(r, n, 4)))


def step_363_0():  # d^2 sigma(x).(h, h) = sigma(*)h(*)h - 2<sigma,h>sigma(*)h - <sigma,h(*)h>sigma + 2<sigma,h><sigma,h>sigma
    def chk(r, n):
        x, h = vecs(r, n, 2)
        s = sig(x)
        want = s * h * h - 2 * ip(s, h) * s * h - ip(s, h * h) * s + 2 * ip(s, h) * ip(s, h) * s
        return close(ddir(lambda u: d1(u, h), x, h), want)
    return draws(chk)


def step_390_0():  # d^3 sigma(x).(h, h, h)
    def chk(r, n):
        x, h = vecs(r, n, 2)
        s = sig(x)
        a = ip(s, h)
        want = (s * h**3 + 6 * a * a * s * h - 3 * a * s * h * h - 3 * ip(s, h * h) * s * h
                - ip(s, h**3) * s + 6 * ip(s, h * h) * a * s - 6 * a**3 * s)
        return close(ddir(lambda u: d2(u, h, h), x, h), want)
    return draws(chk)
