"""Finite-difference checks of i01_tfdocs_weighted_cross_entropy_with_logits.md (plain NumPy, never derive).

Elementwise arrays: x = logits ~ N(0, 2), z = targets in [0, 1] (0/1 labels and soft labels), q = pos_weight > 0.
Sizes 1 and 7; 5 draws each. Every member of the chain is compared with the chain's start; rtol = atol = 1e-9.
"""
import numpy as np


def sig(x):
    return 1 / (1 + np.exp(-x))


def draws():
    rng = np.random.default_rng(1901)
    for n in (1, 7):
        for k in range(5):
            x = rng.normal(scale=2.0, size=n)
            z = rng.integers(0, 2, size=n).astype(float) if k % 2 == 0 else rng.uniform(0, 1, size=n)
            q = rng.uniform(0.1, 5.0, size=n) if k == 4 else rng.uniform(0.1, 5.0)
            yield x, z, q


def close(a, b, tol=1e-9):
    return np.allclose(a, b, rtol=tol, atol=tol)


def start(x, z, q):
    return q * z * -np.log(sig(x)) + (1 - z) * -np.log(1 - sig(x))


def m66(x, z, q):
    return q * z * -np.log(1 / (1 + np.exp(-x))) + (1 - z) * -np.log(np.exp(-x) / (1 + np.exp(-x)))


def m67(x, z, q):
    return q * z * np.log(1 + np.exp(-x)) + (1 - z) * (-np.log(np.exp(-x)) + np.log(1 + np.exp(-x)))


def m68(x, z, q):  # the missing ")" closed at the end of the line
    return q * z * np.log(1 + np.exp(-x)) + (1 - z) * (x + np.log(1 + np.exp(-x)))


def m69(x, z, q):
    return (1 - z) * x + (q * z + 1 - z) * np.log(1 + np.exp(-x))


def m70(x, z, q):
    return (1 - z) * x + (1 + (q - 1) * z) * np.log(1 + np.exp(-x))


def _chain(f, g):
    return all(close(f(*d), g(*d)) for d in draws())


def step_66_0():
    return _chain(start, m66)


def step_67_0():
    return _chain(m66, m67)


def step_68_0():
    return _chain(m67, m68)


def step_69_0():
    return _chain(m68, m69)


def step_70_0():
    return _chain(m69, m70)
