"""Finite-difference checks of d11_imathworks_poisson_loglik.md (plain NumPy, never derive).

eta_i = beta_0 + beta_1 X_i, lambda_i = e^{eta_i}, Y_i ~ Poisson(lambda_i) (integers); n in {1, 2, 5};
beta_0, beta_1, X_i ~ N(0, 0.7^2); 8 draws each (some with an odd sum of Y_i). No derivatives:
rtol = atol = 1e-9.
"""
from math import factorial, lgamma

import numpy as np

TOL = 1e-9


def close(a, b):
    return bool(np.allclose(a, b, rtol=TOL, atol=TOL))


def draws():
    rng = np.random.default_rng(1111)
    for n in (1, 2, 5):
        for _ in range(8):
            b0, b1 = rng.normal(scale=0.7, size=2)
            X = rng.normal(scale=0.7, size=n)
            lam = np.exp(b0 + b1 * X)
            yield b0, b1, X, rng.poisson(lam * 2).astype(int)


def p(y, lam):  # the question's density
    return lam**y / factorial(int(y)) * np.exp(-lam)


def L(b0, b1, X, Y):
    return float(np.prod([p(Y[i], np.exp(b0 + b1 * X[i])) for i in range(len(X))]))


def step_32_1():  # the spurious minus in (-e^{...})^{Y_i}: fails when sum Y_i is odd
    ok = True
    for b0, b1, X, Y in draws():
        e = np.exp(b0 + b1 * X)
        rhs = np.prod([(-e[i]) ** int(Y[i]) / factorial(int(Y[i])) * np.exp(-e[i]) for i in range(len(X))])
        ok &= close(rhs, L(b0, b1, X, Y))
    return bool(ok)


def step_32_3():  # log L = sum log[(e^eta)^Y / Y! exp(-e^eta)]
    ok = True
    for b0, b1, X, Y in draws():
        e = np.exp(b0 + b1 * X)
        rhs = sum(np.log(e[i] ** int(Y[i]) / factorial(int(Y[i])) * np.exp(-e[i])) for i in range(len(X)))
        ok &= close(np.log(L(b0, b1, X, Y)), rhs)
    return bool(ok)


def step_32_5():  # the last member against the chain's start l = log L
    ok = True
    for b0, b1, X, Y in draws():
        eta = b0 + b1 * X
        rhs = np.sum(eta * Y) - sum(lgamma(int(y) + 1) for y in Y) - np.sum(np.exp(eta))
        ok &= close(np.log(L(b0, b1, X, Y)), rhs)
    return bool(ok)


def context():
    """Not a step check: some draw has an odd sum of Y_i (so step 32_1 is tested where it fails), and the
    third member's two readings: log((e^eta)^Y) holds, (log e^eta)^Y does not."""
    odd = any(int(np.sum(Y)) % 2 == 1 for *_, Y in draws())
    good, bad = True, True
    for b0, b1, X, Y in draws():
        eta = b0 + b1 * X
        rest = -sum(lgamma(int(y) + 1) for y in Y) - np.sum(np.exp(eta))
        good &= close(np.log(L(b0, b1, X, Y)), np.sum(Y * eta) + rest)
        bad &= close(np.log(L(b0, b1, X, Y)), np.sum(eta ** Y) + rest)
    return odd, bool(good), bool(bad)


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
    print("context (odd sum seen, intended reading, other reading)", context())
