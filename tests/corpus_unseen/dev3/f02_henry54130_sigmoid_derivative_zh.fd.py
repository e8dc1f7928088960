"""Finite-difference checks of f02_henry54130_sigmoid_derivative_zh.md (plain NumPy, never derive).

x on a grid of 41 points in [-6, 6] (including 0); derivatives by central differences (h = 1e-6);
rtol = atol = 1e-6.
"""
import numpy as np

X = np.linspace(-6, 6, 41)
H = 1e-6


def sig(x):
    return 1 / (1 + np.exp(-x))


def d(f, x):
    return (f(x + H) - f(x - H)) / (2 * H)


def close(a, b):
    return bool(np.allclose(a, b, rtol=1e-6, atol=1e-6))


def step_27_0():
    return close(sig(X), (1 + np.exp(-X)) ** -1)


def step_31_0():
    return close(d(sig, X), -1 * (1 + np.exp(-X)) ** -2 * d(lambda t: 1 + np.exp(-t), X))


def step_35_0():
    return close(d(lambda t: 1 + np.exp(-t), X), -np.exp(-X))


def step_41_0():
    return close(d(sig, X), -((1 + np.exp(-X)) ** -2) * (-np.exp(-X)))


def step_41_1():
    return close(-((1 + np.exp(-X)) ** -2) * (-np.exp(-X)), np.exp(-X) / (1 + np.exp(-X)) ** 2)


def step_49_0():
    return close(sig(X), 1 / (1 + np.exp(-X)))


def step_49_1():
    return close(1 - sig(X), np.exp(-X) / (1 + np.exp(-X)))


def step_55_0():
    return close(d(sig, X), 1 / (1 + np.exp(-X)) * np.exp(-X) / (1 + np.exp(-X)))


def step_55_1():
    return close(1 / (1 + np.exp(-X)) * np.exp(-X) / (1 + np.exp(-X)), sig(X) * (1 - sig(X)))


def step_61_0():
    return close(d(sig, X), sig(X) * (1 - sig(X)))


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
