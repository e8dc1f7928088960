"""Finite-difference checks of b12_csdn_sigmoid_cross_entropy_with_logits.md (plain NumPy, never derive).

x = logits, z = labels, elementwise (multi-label: a vector of independent sigmoid outputs);
vectors of sizes 1, 2, 5 with z in {0,1} and also soft labels z in [0,1]; several draws; tol 1e-9.
Each member is compared with the chain's start (the per-label cross-entropy). Unbalanced lines are
read with the missing ")" at the end (line 41; its only reading).
"""

import numpy as np

TOL = 1e-9


def sig(x):
    return 1 / (1 + np.exp(-x))


def close(a, b):
    return bool(np.allclose(a, b, rtol=TOL, atol=TOL))


def draws():
    rng = np.random.default_rng(19)
    for k in (1, 2, 5):
        for _ in range(4):
            x = rng.normal(scale=2.0, size=k)
            yield x, rng.integers(0, 2, size=k).astype(float)
            yield x, rng.uniform(size=k)


def ce(x, z):
    return z * -np.log(sig(x)) + (1 - z) * -np.log(1 - sig(x))


def _chain(rhs):
    return all(close(rhs(x, z), ce(x, z)) for x, z in draws())


def step_39_0():
    return _chain(lambda x, z: z * -np.log(1 / (1 + np.exp(-x))) + (1 - z) * -np.log(np.exp(-x) / (1 + np.exp(-x))))


def step_40_0():
    return _chain(lambda x, z: z * np.log(1 + np.exp(-x)) + (1 - z) * (-np.log(np.exp(-x)) + np.log(1 + np.exp(-x))))


def step_41_0():
    return _chain(lambda x, z: z * np.log(1 + np.exp(-x)) + (1 - z) * (x + np.log(1 + np.exp(-x))))


def step_42_0():
    return _chain(lambda x, z: (1 - z) * x + np.log(1 + np.exp(-x)))


def step_43_0():
    return _chain(lambda x, z: x - x * z + np.log(1 + np.exp(-x)))


def step_46_0():
    return _chain(lambda x, z: np.log(np.exp(x)) - x * z + np.log(1 + np.exp(-x)))


def step_47_0():
    return _chain(lambda x, z: np.log(np.exp(x)) - x * z + np.log((1 + np.exp(x)) / np.exp(x)))


def step_49_0():
    return _chain(lambda x, z: -x * z + np.log(1 + np.exp(x)))


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
    # the two readings of line 48 (documented, not a step function): closed after exp(x) / at the end
    x, z = np.array([0.7, -1.3]), np.array([1.0, 0.0])
    print("line 48 closed after exp(x):", close(np.log(np.exp(x)) - x * z + np.log(1 + np.exp(x)) - np.log(np.exp(x)), ce(x, z)))
    print("line 48 closed at the end:  ", close(np.log(np.exp(x)) - x * z + np.log(1 + np.exp(x) - np.log(np.exp(x))), ce(x, z)))
