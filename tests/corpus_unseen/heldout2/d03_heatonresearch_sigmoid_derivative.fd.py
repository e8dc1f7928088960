"""Finite-difference checks of d03_heatonresearch_sigmoid_derivative.md (plain NumPy, never derive).

s(x) = 1/(e^{-x}+1), the page's sigmoid. Every member of the chain is compared with the derivative
s'(x) by central differences (h = 1e-6) at 60 points x ~ N(0, 2^2); d/dx inside a member is also a
central difference. Tolerance rtol = atol = 1e-6.
"""
import numpy as np

TOL = 1e-6
H = 1e-6


def s(x):
    return 1 / (np.exp(-x) + 1)


def d(f, x):
    return (f(x + H) - f(x - H)) / (2 * H)


def xs():
    return np.random.default_rng(303).normal(scale=2.0, size=60)


def _is_derivative(member):
    x = xs()
    return bool(np.allclose(member(x), d(s, x), rtol=TOL, atol=TOL))


def step_20_1():
    return _is_derivative(lambda x: -d(lambda t: np.exp(-t) + 1, x) / (np.exp(-x) + 1) ** 2)


def step_26_0():
    return _is_derivative(lambda x: -d(lambda t: np.exp(-t), x) / (np.exp(-x) + 1) ** 2)


def step_32_0():
    return _is_derivative(lambda x: -(np.exp(-x) * d(lambda t: -t, x)) / (np.exp(-x) + 1) ** 2)


def step_38_0():
    return _is_derivative(lambda x: -1 * (-1) * np.exp(-x) / (np.exp(-x) + 1) ** 2)


def step_44_0():
    return _is_derivative(lambda x: np.exp(-x) / (np.exp(-x) + 1) ** 2)


def step_50_0():  # the spurious minus: fails
    return _is_derivative(lambda x: (1 / (np.exp(-x) + 1)) * (-np.exp(-x) / (np.exp(-x) + 1)))


def context_54():
    """Not a step check: with s the sigmoid, line 56 would hold."""
    return _is_derivative(lambda x: s(x) * (1 - s(x)))


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
    print("context", context_54())
