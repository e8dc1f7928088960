"""Finite-difference checks of h07_cijogeorge_mse_gradients_notebook.ipynb (plain NumPy, never derive).

N points x_i, y_i ~ N(0, 1), m, b ~ N(0, 1); N = 1, 2, 7; 4 draws each. Each sum runs over the whole rest of its row
(the header's reading). E(m, b) = (1/N) sum (y_i - (m x_i + b))^2; partial derivatives by central differences
(h = 1e-6); rtol = atol = 1e-6.
"""
import numpy as np


def draws():
    rng = np.random.default_rng(3207)
    for N in (1, 2, 7):
        for _ in range(4):
            yield rng.normal(size=N), rng.normal(size=N), rng.normal(), rng.normal()


def E(x, y, m, b):
    return np.mean((y - (m * x + b)) ** 2)


def close(a, b):
    return bool(np.allclose(a, b, rtol=1e-6, atol=1e-6))


def row28(x, y, m, b):
    return np.sum(y**2 - 2 * y * (m * x + b) + (m * x + b) ** 2) / len(x)


def row29(x, y, m, b):
    return np.sum(y**2 - 2 * x * y * m - 2 * y * b + x**2 * m**2 + 2 * x * m * b + b**2) / len(x)


def dEdm(x, y, m, b, h=1e-6):
    return (E(x, y, m + h, b) - E(x, y, m - h, b)) / (2 * h)


def dEdb(x, y, m, b, h=1e-6):
    return (E(x, y, m, b + h) - E(x, y, m, b - h)) / (2 * h)


def row35(x, y, m, b):
    return np.sum(0 - 2 * x * y - 0 + 2 * x**2 * m + 2 * x * b + 0) / len(x)


def row36(x, y, m, b):
    return -2 / len(x) * np.sum(x * (y - (m * x + b)))


def row42(x, y, m, b):
    return np.sum(0 - 0 - 2 * y + 0 + 2 * x * m + 2 * b) / len(x)


def row43(x, y, m, b):
    return -2 / len(x) * np.sum(y - (m * x + b))


def check(left, right):
    return all(close(left(*d), right(*d)) for d in draws())


def step_2_27_0():
    return check(E, lambda x, y, m, b: np.sum((y - (m * x + b)) ** 2) / len(x))


def step_2_28_0():
    return check(E, row28)


def step_2_29_0():
    return check(row28, row29)


def step_2_35_0():
    return check(dEdm, row35)


def step_2_36_0():
    return check(row35, row36)


def step_2_42_0():
    return check(dEdb, row42)


def step_2_43_0():
    return check(row42, row43)


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
