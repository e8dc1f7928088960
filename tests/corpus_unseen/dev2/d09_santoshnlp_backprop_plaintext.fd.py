"""Finite-difference checks of d09_santoshnlp_backprop_plaintext.md (plain NumPy, never derive).

The README's 2-2-2 network: inputs i1, i2, weights w1..w8, targets t1, t2 ~ U(0, 1), all others N(0, 1);
40 draws. Partial derivatives by central differences (h = 1e-6) of the network's functions, each
variable moved with the others held (a_o1, a_o2, a_h1, ... treated as the variables their d/d names).
Tolerance rtol = atol = 1e-6.
"""

import numpy as np

TOL = 1e-6
H = 1e-6


def sig(x):
    return 1 / (1 + np.exp(-x))


def close(a, b):
    return bool(np.allclose(a, b, rtol=TOL, atol=TOL))


def d(f, x):
    return (f(x + H) - f(x - H)) / (2 * H)


def draws():
    rng = np.random.default_rng(909)
    for _ in range(40):
        w = rng.normal(size=9)  # w[1..8]
        i1, i2 = rng.normal(size=2)
        t1, t2 = rng.uniform(0, 1, size=2)
        yield w, i1, i2, t1, t2


def forward(w, i1, i2):
    h1 = w[1] * i1 + w[2] * i2
    h2 = w[3] * i1 + w[4] * i2
    ah1, ah2 = sig(h1), sig(h2)
    o1 = w[5] * ah1 + w[6] * ah2
    o2 = w[7] * ah1 + w[8] * ah2
    return h1, h2, ah1, ah2, o1, o2, sig(o1), sig(o2)


def E1(ao1, t1):
    return 0.5 * (t1 - ao1) ** 2


def E2(ao2, t2):
    return 0.5 * (t2 - ao2) ** 2


def ET_of_w(w, i1, i2, t1, t2):
    *_, ao1, ao2 = forward(w, i1, i2)
    return E1(ao1, t1) + E2(ao2, t2)


def _all(pred):
    return all(pred(*dr) for dr in draws())


def step_38_1():
    return _all(lambda w, i1, i2, t1, t2: close(sig(forward(w, i1, i2)[0]), 1 / (1 + np.exp(-forward(w, i1, i2)[0]))))


def step_40_1():
    return _all(lambda w, i1, i2, t1, t2: close(sig(forward(w, i1, i2)[1]), 1 / (1 + np.exp(-forward(w, i1, i2)[1]))))


def step_51_1():
    return _all(lambda w, i1, i2, t1, t2: close(sig(forward(w, i1, i2)[4]), 1 / (1 + np.exp(-forward(w, i1, i2)[4]))))


def step_53_1():
    return _all(lambda w, i1, i2, t1, t2: close(sig(forward(w, i1, i2)[5]), 1 / (1 + np.exp(-forward(w, i1, i2)[5]))))


def step_71_0():  # ET = E1 + E2 restated
    def ok(w, i1, i2, t1, t2):
        *_, ao1, ao2 = forward(w, i1, i2)
        return close(ET_of_w(w, i1, i2, t1, t2), E1(ao1, t1) + E2(ao2, t2))
    return _all(ok)


def _dET_dao1(ao1, ao2, t1, t2):  # ET as a function of (a_o1, a_o2)
    return d(lambda a: E1(a, t1) + E2(ao2, t2), ao1)


def step_73_0():  # dET/da_o1 = dE1/da_o1 + dE2/da_o2: fails (dE2/da_o2 = a_o2 - t2 != 0)
    def ok(w, i1, i2, t1, t2):
        *_, ao1, ao2 = forward(w, i1, i2)
        rhs = d(lambda a: E1(a, t1), ao1) + d(lambda a: E2(a, t2), ao2)
        return close(_dET_dao1(ao1, ao2, t1, t2), rhs)
    return _all(ok)


def step_73_1():  # dE1/da_o1 + dE2/da_o2 = (a_o1 - t1) + 0: fails
    def ok(w, i1, i2, t1, t2):
        *_, ao1, ao2 = forward(w, i1, i2)
        lhs = d(lambda a: E1(a, t1), ao1) + d(lambda a: E2(a, t2), ao2)
        return close(lhs, (ao1 - t1) + 0)
    return _all(ok)


def step_75_0():  # a_o1 = sigmoid(o1), restated in a comment
    return _all(lambda w, i1, i2, t1, t2: close(forward(w, i1, i2)[6], sig(forward(w, i1, i2)[4])))


def step_75_1():
    return step_51_1()


def step_78_0():
    def ok(w, i1, i2, t1, t2):
        o1, ao1 = forward(w, i1, i2)[4], forward(w, i1, i2)[6]
        return close(d(sig, o1), ao1 * (1 - ao1))
    return _all(ok)


def step_80_0():  # do1/dw5 = a_h1
    def ok(w, i1, i2, t1, t2):
        def o1_of(v):
            ww = w.copy()
            ww[5] = v
            return forward(ww, i1, i2)[4]
        return close(d(o1_of, w[5]), forward(w, i1, i2)[2])
    return _all(ok)


def _dET_dw(k, w, i1, i2, t1, t2):
    def f(v):
        ww = w.copy()
        ww[k] = v
        return ET_of_w(ww, i1, i2, t1, t2)
    return d(f, w[k])


def step_85_1():  # dET/dw5 = (a_o1-t1) a_o1 (1-a_o1) a_h1
    def ok(w, i1, i2, t1, t2):
        _, _, ah1, _, _, _, ao1, _ = forward(w, i1, i2)
        return close(_dET_dw(5, w, i1, i2, t1, t2), (ao1 - t1) * ao1 * (1 - ao1) * ah1)
    return _all(ok)


def _E_of_ah1(w, ah1, ah2, t1, t2, which):
    ao1 = sig(w[5] * ah1 + w[6] * ah2)
    ao2 = sig(w[7] * ah1 + w[8] * ah2)
    return {"E1": E1(ao1, t1), "E2": E2(ao2, t2), "ET": E1(ao1, t1) + E2(ao2, t2)}[which]


def step_92_0():  # dET/da_h1 = d(E1+E2)/da_h1
    def ok(w, i1, i2, t1, t2):
        _, _, ah1, ah2, *_ = forward(w, i1, i2)
        lhs = d(lambda a: _E_of_ah1(w, a, ah2, t1, t2, "ET"), ah1)
        rhs = d(lambda a: _E_of_ah1(w, a, ah2, t1, t2, "E1") + _E_of_ah1(w, a, ah2, t1, t2, "E2"), ah1)
        return close(lhs, rhs)
    return _all(ok)


def _dE_dah1(which, w, i1, i2, t1, t2):
    _, _, ah1, ah2, *_ = forward(w, i1, i2)
    return d(lambda a: _E_of_ah1(w, a, ah2, t1, t2, which), ah1)


def step_94_0():  # (dE1/da_o1)(da_o1/do1)(do1/da_h1)
    def ok(w, i1, i2, t1, t2):
        _, _, ah1, ah2, o1, _, ao1, _ = forward(w, i1, i2)
        rhs = d(lambda a: E1(a, t1), ao1) * d(sig, o1) * d(lambda a: w[5] * a + w[6] * ah2, ah1)
        return close(_dE_dah1("E1", w, i1, i2, t1, t2), rhs)
    return _all(ok)


def step_94_1():
    def ok(w, i1, i2, t1, t2):
        ao1 = forward(w, i1, i2)[6]
        return close(_dE_dah1("E1", w, i1, i2, t1, t2), (ao1 - t1) * ao1 * (1 - ao1) * w[5])
    return _all(ok)


def step_96_0():
    def ok(w, i1, i2, t1, t2):
        _, _, ah1, ah2, _, o2, _, ao2 = forward(w, i1, i2)
        rhs = d(lambda a: E2(a, t2), ao2) * d(sig, o2) * d(lambda a: w[7] * a + w[8] * ah2, ah1)
        return close(_dE_dah1("E2", w, i1, i2, t1, t2), rhs)
    return _all(ok)


def step_96_1():
    def ok(w, i1, i2, t1, t2):
        ao2 = forward(w, i1, i2)[7]
        return close(_dE_dah1("E2", w, i1, i2, t1, t2), (ao2 - t2) * ao2 * (1 - ao2) * w[7])
    return _all(ok)


def step_99_0():  # only the E1 path: fails
    def ok(w, i1, i2, t1, t2):
        h1, *_ = forward(w, i1, i2)
        rhs = _dE_dah1("E1", w, i1, i2, t1, t2) * d(sig, h1) * i1
        return close(_dET_dw(1, w, i1, i2, t1, t2), rhs)
    return _all(ok)


def context_full_chain():
    """Not a step check: with both paths dET/dw1 holds."""
    def ok(w, i1, i2, t1, t2):
        h1 = forward(w, i1, i2)[0]
        g = (_dE_dah1("E1", w, i1, i2, t1, t2) + _dE_dah1("E2", w, i1, i2, t1, t2)) * d(sig, h1) * i1
        return close(_dET_dw(1, w, i1, i2, t1, t2), g)
    return _all(ok)


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
    print("context", context_full_chain())
