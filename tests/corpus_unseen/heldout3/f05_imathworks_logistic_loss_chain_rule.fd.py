"""Finite-difference checks of f05_imathworks_logistic_loss_chain_rule.md (plain NumPy, never derive).

Scalars: a, b, c, w, x ~ N(0, 1) (a > 0 for the logarithm), y in {-1, +1} and y ~ U(-2, 2); 30 draws.
Derivatives by central differences (h = 1e-6); rtol = atol = 1e-6.
Chain (as the answer composes them): z = ln(v), v = 1 + e^u, u = -y t, t = w x.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np

H = 1e-6


def d(f, s):
    return (f(s + H) - f(s - H)) / (2 * H)


def close(p, q):
    return bool(np.allclose(p, q, rtol=1e-6, atol=1e-6))


def draws():
    rng = np.random.default_rng(3105)
    for n in range(30):
        y = rng.choice([-1.0, 1.0]) if n % 2 else rng.uniform(-2, 2)
        yield rng.uniform(0.2, 3.0), rng.normal(), rng.normal(), rng.normal(), rng.normal(), y


def l_fn(a):  # the answer's l
    return np.log(a)


def l_prime(a):  # the derivative of l
    return d(l_fn, a)


def step_28_2():
    return all(close(l_prime(a), d(lambda s: np.log(s), a)) for a, *_ in draws())


def step_28_3():
    return all(close(d(lambda s: np.log(s), a), 1 / (np.log(np.e) * a)) for a, *_ in draws())


def step_28_4():
    return all(close(1 / (np.log(np.e) * a), 1 / a) for a, *_ in draws())


def step_33_0():
    return all(close(d(lambda s: 1 + np.exp(s), b), d(lambda s: 1 + np.exp(s), b)) for _, b, *_ in draws())


def step_33_1():
    return all(close(d(lambda s: 1 + np.exp(s), b), np.exp(b)) for _, b, *_ in draws())


def step_38_0():
    return all(close(d(lambda s: -y * s, c), d(lambda s: -y * s, c)) for _, _, c, _, _, y in draws())


def step_38_1():
    return all(close(d(lambda s: -y * s, c), -y) for _, _, c, _, _, y in draws())


def step_43_0():
    return all(close(d(lambda s: s * x, w), d(lambda s: s * x, w)) for _, _, _, w, x, _ in draws())


def step_43_1():
    return all(close(d(lambda s: s * x, w), x) for _, _, _, w, x, _ in draws())


def composite(w, x, y):
    return l_fn(1 + np.exp(-y * (w * x)))


def step_48_0():
    return all(close(composite(w, x, y), np.log(1 + np.exp(-y * (w * x)))) for _, _, _, w, x, y in draws())


def chain_product(w, x, y):  # dz/dv dv/du du/dt dt/dw along the chain, each factor numerically
    t = w * x
    u = -y * t
    v = 1 + np.exp(u)
    return d(np.log, v) * d(lambda s: 1 + np.exp(s), u) * d(lambda s: -y * s, t) * d(lambda s: s * x, w)


def step_50_0():  # l' evaluated at f(g(h(w))) against the chain product
    return all(close(l_prime(1 + np.exp(-y * (w * x))), chain_product(w, x, y)) for _, _, _, w, x, y in draws())


def step_50_1():
    return all(close(chain_product(w, x, y),
                     1 / (1 + np.exp(-y * (w * x))) * np.exp(-y * (w * x)) * -y * x) for _, _, _, w, x, y in draws())


def step_50_2():
    return all(close(1 / (1 + np.exp(-y * (w * x))) * np.exp(-y * (w * x)) * -y * x,
                     -y * x * np.exp(-y * (w * x)) / (1 + np.exp(-y * (w * x)))) for _, _, _, w, x, y in draws())


def context_50():  # not a step check: the chain product is the derivative of the composite in w
    return all(close(d(lambda s: composite(s, x, y), w), chain_product(w, x, y)) for _, _, _, w, x, y in draws())


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_") or name.startswith("context_"):
            print(name, fn())
