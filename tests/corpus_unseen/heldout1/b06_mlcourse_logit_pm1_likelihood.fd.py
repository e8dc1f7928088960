"""Finite-difference checks of b06_mlcourse_logit_pm1_likelihood.md (plain NumPy, never derive).

Labels y_i in {-1, +1}; X (l x d), w; sizes (1,1), (2,3), (6,4); several draws; tol 1e-9
(the steps are algebraic identities: no derivative is claimed in this excerpt).
Reference model: P(y_i = 1 | x_i, w) = sigma(w^T x_i) with OR_+ = exp(w^T x).
"""

import numpy as np

TOL = 1e-9
SIZES = [(1, 1), (2, 3), (6, 4)]


def sig(z):
    return 1 / (1 + np.exp(-z))


def close(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and np.allclose(a, b, rtol=TOL, atol=TOL)


def draws():
    rng = np.random.default_rng(12)
    for n, d in SIZES:
        for _ in range(4):
            yield rng.normal(size=(n, d)), rng.normal(size=d), 2.0 * rng.integers(0, 2, size=n) - 1


def p_plus(X, w):
    return sig(X @ w)


def P_label(X, w, y):
    """P(y = y_i | x_i, w) from the model: p_+ for y_i = 1, 1 - p_+ for y_i = -1."""
    return np.where(y == 1, p_plus(X, w), 1 - p_plus(X, w))


def _p_chain(rhs):
    return all(close(rhs(X @ w), p_plus(X, w)) for X, w, _ in draws())


def step_21_0():
    return _p_chain(lambda s: np.exp(s) / (1 + np.exp(s)))  # OR/(1+OR) with OR = exp(w^T x)


def step_21_1():
    return _p_chain(lambda s: np.exp(s) / (1 + np.exp(s)))


def step_21_2():
    return _p_chain(lambda s: 1 / (1 + np.exp(-s)))


def step_21_3():
    return _p_chain(sig)


def step_27_1():
    return _p_chain(sig)


def step_36_1():
    return _p_chain(sig)


def step_41_1():
    return all(close(1 - sig(X @ w), 1 - p_plus(X, w)) for X, w, _ in draws())


def step_41_2():
    return all(close(sig(-(X @ w)), 1 - p_plus(X, w)) for X, w, _ in draws())


def step_46_0():
    return all(close(sig(y * (X @ w)), P_label(X, w, y)) for X, w, y in draws())


def logP(X, w, y):
    return np.log(np.prod(P_label(X, w, y)))


def _logP_chain(rhs):
    return all(close(rhs(X, w, y), logP(X, w, y)) for X, w, y in draws())


def step_87_0():
    return _logP_chain(lambda X, w, y: np.log(np.prod(P_label(X, w, y))))


def step_87_1():
    return _logP_chain(lambda X, w, y: np.log(np.prod(sig(y * (X @ w)))))


def step_89_0():
    return _logP_chain(lambda X, w, y: np.sum(np.log(sig(y * (X @ w)))))


def step_89_1():
    return _logP_chain(lambda X, w, y: np.sum(np.log(1 / (1 + np.exp(-y * (X @ w))))))


def step_89_2():
    return _logP_chain(lambda X, w, y: -np.sum(np.log(1 + np.exp(-y * (X @ w)))))


def step_105_1():
    return all(close(np.sum(np.log(1 + np.exp(-y * (X @ w)))), np.sum(np.log1p(np.exp(-y * (X @ w)))))
               for X, w, y in draws())


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
