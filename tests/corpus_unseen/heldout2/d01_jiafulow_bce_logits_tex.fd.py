"""Finite-difference checks of d01_jiafulow_bce_logits_tex.md (plain NumPy, never derive).

x real (both signs, |x| up to 6), y in [0, 1] (labels 0, 1 and soft labels); each step_LINE_n
compares the member on LINE with the member before it in the same align block. 200 draws;
tolerance rtol = atol = 1e-9 (no derivatives here).
"""
import numpy as np

TOL = 1e-9


def close(a, b):
    return bool(np.allclose(a, b, rtol=TOL, atol=TOL))


def draws():
    rng = np.random.default_rng(101)
    x = np.concatenate([rng.normal(scale=3.0, size=200), [-6.0, -0.5, 0.0, 0.5, 6.0]])
    y = np.concatenate([rng.uniform(0, 1, size=100), rng.integers(0, 2, size=100).astype(float),
                        [0.0, 1.0, 0.3, 1.0, 0.0]])
    return x, y


def sig(x):
    return 1 / (1 + np.exp(-x))


M1 = [  # first chain, lines 19..25
    lambda x, y: -y * np.log(sig(x)) - (1 - y) * np.log(1 - sig(x)),
    lambda x, y: -y * np.log(1 / (1 + np.exp(-x))) - (1 - y) * np.log(1 - 1 / (1 + np.exp(-x))),
    lambda x, y: -y * np.log(1 / (1 + np.exp(-x))) - (1 - y) * np.log(np.exp(-x) / (1 + np.exp(-x))),
    lambda x, y: y * np.log(1 + np.exp(-x)) + (1 - y) * (-np.log(np.exp(-x)) + np.log(1 + np.exp(-x))),
    lambda x, y: y * np.log(1 + np.exp(-x)) + (1 - y) * (x + np.log(1 + np.exp(-x))),
    lambda x, y: (1 - y) * (x) + np.log(1 + np.exp(-x)),
    lambda x, y: x - x * y + np.log(1 + np.exp(-x)),
]
M2 = [  # second chain, lines 33..36
    lambda x, y: x - x * y + np.log(1 + np.exp(-x)),
    lambda x, y: np.log(np.exp(x)) - x * y + np.log(1 + np.exp(-x)),
    lambda x, y: -x * y + np.log(np.exp(x) * (1 + np.exp(-x))),
    lambda x, y: -x * y + np.log(1 + np.exp(x)),
]
M3 = [  # third chain, lines 44..45
    lambda x, y: np.maximum(x, 0) - x * y + np.log(1 + np.exp(-np.abs(x))),
    lambda x, y: np.where(x > 0, x, 0.0) - x * y + np.log(1 + np.exp(-np.abs(x))),
]


def _adjacent(chain, k):
    x, y = draws()
    return close(chain[k](x, y), chain[k - 1](x, y))


def step_20_0():
    return _adjacent(M1, 1)


def step_21_0():
    return _adjacent(M1, 2)


def step_22_0():
    return _adjacent(M1, 3)


def step_23_0():
    return _adjacent(M1, 4)


def step_24_0():
    return _adjacent(M1, 5)


def step_25_0():
    return _adjacent(M1, 6)


def step_34_0():
    return _adjacent(M2, 1)


def step_35_0():
    return _adjacent(M2, 2)


def step_36_0():
    return _adjacent(M2, 3)


def step_45_0():
    return _adjacent(M3, 1)


def lines_33_44_hold_with_p_sigmoid():
    """Not a step check: with p = sigmoid(x) the '-' steps 19, 33, 44 would hold too."""
    x, y = draws()
    loss = -y * np.log(sig(x)) - (1 - y) * np.log(1 - sig(x))
    return close(loss, M2[0](x, y)) and close(loss, M3[0](x, y))


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
    print("context", lines_33_44_hold_with_p_sigmoid())
