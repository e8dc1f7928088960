"""Finite-difference checks of h09_kiotto_mse_gradient_chat_notes.md (plain NumPy, never derive).

n points X_i, y_i ~ N(0, 1), w, b ~ N(0, 1); n = 1, 2, 6; 4 draws each. Loss(w) = (1/n) sum (w X_i + b - y_i)^2,
e_i(w) = w X_i + b - y_i. Derivatives in w by central differences (h = 1e-6); rtol = atol = 1e-6.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np


def draws():
    rng = np.random.default_rng(3209)
    for n in (1, 2, 6):
        for _ in range(4):
            yield rng.normal(size=n), rng.normal(size=n), rng.normal(), rng.normal()


def close(a, b):
    return bool(np.allclose(a, b, rtol=1e-6, atol=1e-6))


def d_w(f, w, h=1e-6):
    return (f(w + h) - f(w - h)) / (2 * h)


def loss_yhat(X, y, w, b):
    yhat = w * X + b
    return np.sum((yhat - y) ** 2) / len(X)


def loss_plugged(X, y, w, b):
    return np.sum((w * X + b - y) ** 2) / len(X)


def check(left, right):
    return all(close(left(*d), right(*d)) for d in draws())


def step_62_0():
    return check(loss_yhat, loss_plugged)


def step_78_1():
    return check(lambda X, y, w, b: (w * X + b) - y, lambda X, y, w, b: w * X + b - y)


def step_84_0():
    return check(loss_plugged, lambda X, y, w, b: np.sum((w * X + b - y) ** 2) / len(X))


def step_90_0():
    def right(X, y, w, b):
        return np.sum([d_w(lambda v: (v * X[i] + b - y[i]) ** 2, w) for i in range(len(X))]) / len(X)
    return check(lambda X, y, w, b: d_w(lambda v: loss_plugged(X, y, v, b), w), right)


def step_94_0():
    def left(X, y, w, b):
        return np.sum([d_w(lambda v: (v * X[i] + b - y[i]) ** 2, w) for i in range(len(X))]) / len(X)

    def right(X, y, w, b):
        e = w * X + b - y
        de = np.array([d_w(lambda v: v * X[i] + b - y[i], w) for i in range(len(X))])
        return np.sum(2 * e * de) / len(X)
    return check(left, right)


def step_100_0():
    return check(lambda X, y, w, b: (w * X + b) - y, lambda X, y, w, b: w * X + b - y)


def step_102_0():
    return check(lambda X, y, w, b: np.array([d_w(lambda v: v * X[i] + b - y[i], w) for i in range(len(X))]),
                 lambda X, y, w, b: X)


def step_108_0():
    return check(lambda X, y, w, b: d_w(lambda v: loss_plugged(X, y, v, b), w),
                 lambda X, y, w, b: np.sum(2 * (w * X + b - y) * X) / len(X))


def step_114_0():
    return check(lambda X, y, w, b: np.sum(2 * (w * X + b - y) * X) / len(X),
                 lambda X, y, w, b: 2 / len(X) * np.sum(X * (w * X + b - y)))


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
