"""Finite-difference checks of h01_zh4ngx_sigmoid_derivative_plaintext.md (plain NumPy, never derive).

x at 40 points ~ N(0, 2) plus 0 and +-3; e^-x read as exp(-x). Each chain step compares its left member (the line
before) with its right member at every point; rtol = atol = 1e-9 (pure algebra, no differences needed).
"""
import numpy as np

X = np.concatenate([np.random.default_rng(3201).normal(scale=2.0, size=40), [0.0, 3.0, -3.0]])
E = np.exp(-X)
SIG = 1 / (1 + E)

M26 = 1 / (1 + E) ** 2 * -E
M27 = -E / (1 + E) ** 2
M28 = (1 / (1 + E)) * (-E / (1 + E))
M29 = SIG * ((-E + 1 - 1) / (1 + E))
M30 = SIG * ((-1 - E) / (1 + E) + 1 / (1 + E))
M31 = SIG * ((1 + E) / (1 + E) - 1 / (1 + E))
M32 = SIG * (1 - SIG)


def same(a, b):
    return bool(np.allclose(a, b, rtol=1e-9, atol=1e-9))


def step_27_0():
    return same(M26, M27)


def step_28_0():
    return same(M27, M28)


def step_29_0():
    return same(M28, M29)


def step_30_0():
    return same(M29, M30)


def step_31_0():
    return same(M30, M31)


def step_32_0():
    return same(M31, M32)


def context_true_derivative():  # not a step: d/dx sigma is +e^{-x}/(1+e^{-x})^2 (central differences)
    h = 1e-6
    d = (1 / (1 + np.exp(-(X + h))) - 1 / (1 + np.exp(-(X - h)))) / (2 * h)
    return same(d, M32) and not same(d, M27)


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith(("step_", "context_")):
            print(name, fn())
