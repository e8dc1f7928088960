"""Finite-difference checks of h08_codetd_sigmoid_cross_entropy_backprop.md (plain NumPy, never derive).

w, x ~ N(0, 1) in R^d, d = 1, 3; scalar x on a grid for the sigmoid; labels y_1 in [0, 1] (soft and hard: 0, 1 and
uniform draws) with y_0 = 1 - y_1, predictions p_1 ~ U(0.02, 0.98) with p_0 = 1 - p_1 (the header's reading).
Derivatives by central differences (h = 1e-6); rtol = atol = 1e-6.
"""
import numpy as np

RNG = np.random.default_rng(3208)


def sig(z):
    return 1 / (1 + np.exp(-z))


def close(a, b):
    return bool(np.allclose(a, b, rtol=1e-6, atol=1e-6))


def dots():
    for d in (1, 3):
        for _ in range(6):
            yield RNG.normal(size=d) @ RNG.normal(size=d)


def labels_preds():
    for y1 in [0.0, 1.0, *RNG.uniform(size=4)]:
        for p1 in RNG.uniform(0.02, 0.98, size=5):
            yield y1, p1


def step_27_0():
    x = np.linspace(-5, 5, 41)
    h = 1e-6
    return close((sig(x + h) - sig(x - h)) / (2 * h), sig(x) * (1 - sig(x)))


def step_36_0():
    return all(close(np.exp(t) / (1 + np.exp(t)), 1 / (1 + np.exp(-t))) for t in dots())


def step_37_0():
    return all(close(1 / (1 + np.exp(-t)), sig(t)) for t in dots())


def step_39_0():
    return all(close(1 / (1 + np.exp(t)), 1 - sig(t)) for t in dots())


def step_58_0():
    ok = True
    for y1, p1 in labels_preds():
        y0, p0 = 1 - y1, 1 - p1
        ok &= close(-(y0 * np.log(p0) + y1 * np.log(p1)), -(y1 * np.log(p1) + (1 - y1) * np.log(1 - p1)))
    return bool(ok)


def _loss_of_s(y1, s):
    return -(y1 * np.log(s) + (1 - y1) * np.log(1 - s))


def step_67_0():
    ok = True
    h = 1e-6
    for y1, s in labels_preds():
        d = (_loss_of_s(y1, s + h) - _loss_of_s(y1, s - h)) / (2 * h)
        ok &= close(d, -(y1 / s - (1 - y1) / (1 - s)))
    return bool(ok)


def step_68_0():
    return all(close(-(y1 / s - (1 - y1) / (1 - s)), (s - y1) / (s * (1 - s))) for y1, s in labels_preds())


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
