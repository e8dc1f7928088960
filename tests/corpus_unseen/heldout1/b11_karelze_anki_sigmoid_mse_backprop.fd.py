"""Finite-difference checks of b11_karelze_anki_sigmoid_mse_backprop.md (plain NumPy, never derive).

\bar{v} is read as dL/dv. Scalars w, x, b, t (one unit; the note's variables are scalars); 20 random
draws; central differences h = 1e-6; tol 1e-6.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np

TOL = 1e-6


def sig(z):
    return 1 / (1 + np.exp(-z))


def close(a, b):
    return bool(np.allclose(a, b, rtol=TOL, atol=TOL))


def d(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


def draws():
    rng = np.random.default_rng(18)
    for _ in range(20):
        yield rng.normal(size=4)


def L_of(w, x, b, t):
    return 0.5 * (sig(w * x + b) - t) ** 2


def step_31_0():  # dL/dy = y - t
    return all(close(sig(w * x + b) - t, d(lambda yy: 0.5 * (yy - t) ** 2, sig(w * x + b))) for w, x, b, t in draws())


def step_32_0():  # dL/dz = dL/dy sigma'(z)
    return all(close((sig(w * x + b) - t) * d(sig, w * x + b), d(lambda zz: 0.5 * (sig(zz) - t) ** 2, w * x + b))
               for w, x, b, t in draws())


def step_33_0():  # dL/dw = dL/dz x
    return all(close(d(lambda zz: 0.5 * (sig(zz) - t) ** 2, w * x + b) * x, d(lambda ww: L_of(ww, x, b, t), w))
               for w, x, b, t in draws())


def step_34_0():  # dL/db = dL/dz
    return all(close(d(lambda zz: 0.5 * (sig(zz) - t) ** 2, w * x + b), d(lambda bb: L_of(w, x, bb, t), b))
               for w, x, b, t in draws())


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
