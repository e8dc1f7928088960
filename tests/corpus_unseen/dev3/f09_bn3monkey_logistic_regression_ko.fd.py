"""Finite-difference checks of f09_bn3monkey_logistic_regression_ko.md (plain NumPy, never derive).

x_n rows of X (N x d), t_n in {0, 1}, w ~ N(0, 1), b ~ N(0, 1), eta ~ U(0.01, 0.5); sizes (N, d) = (1, 1), (3, 2), (6, 3);
4 draws each. y_n = s(w^T x_n + b) under two readings of s: the note's sigma(x) = 1/(1 + e^x) ("lit") and the usual
sigmoid 1/(1 + e^{-x}) ("std"). Steps that do not depend on y_n's definition use arbitrary y_n in (0.05, 0.95).
Derivatives by central differences (h = 1e-6); rtol = atol = 1e-6.
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np

READINGS = {"lit": lambda a: 1 / (1 + np.exp(a)), "std": lambda a: 1 / (1 + np.exp(-a))}


def draws():
    rng = np.random.default_rng(3109)
    for N, d in [(1, 1), (3, 2), (6, 3)]:
        for _ in range(4):
            yield (rng.normal(size=(N, d)), rng.integers(0, 2, size=N).astype(float), rng.normal(size=d), rng.normal(),
                   rng.uniform(0.01, 0.5), rng.uniform(0.05, 0.95, size=N))


def close(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-6, atol=1e-6)


def num_grad(f, x, h=1e-6):
    x = np.atleast_1d(np.asarray(x, float))
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def step_31_0():  # the note's sigma against sigma(1 - sigma)
    s = READINGS["lit"]
    x = np.linspace(-4, 4, 17)
    return close((s(x + 1e-6) - s(x - 1e-6)) / 2e-6, s(x) * (1 - s(x)))


def p_model(t, y):
    return y**t * (1 - y) ** (1 - t)


def step_62_0():
    return all(close(np.prod([p_model(t[n], y[n]) for n in range(len(t))]), np.prod(p_model(t, y)))
               for _, t, _, _, _, y in draws())


def step_72_1():
    return all(close(-np.log(np.prod(p_model(t, y))), -np.sum(t * np.log(y) + (1 - t) * np.log(1 - y)))
               for _, t, _, _, _, y in draws())


def step_89_0():
    return step_72_1()


def E_of(X, t, w, b, s):
    y = s(X @ w + b)
    return -np.sum(t * np.log(y) + (1 - t) * np.log(1 - y))


def chain_sum_w(X, t, w, b, s):  # sum_n dE_n/dy_n * dy_n/dw, each factor numerically
    out = np.zeros_like(w)
    for n in range(len(t)):
        yn = s(X[n] @ w + b)
        dE = (-(t[n] * np.log(yn + 1e-7) + (1 - t[n]) * np.log(1 - yn - 1e-7))
              + (t[n] * np.log(yn - 1e-7) + (1 - t[n]) * np.log(1 - yn + 1e-7))) / 2e-7
        out += dE * num_grad(lambda v: s(X[n] @ v + b), w)
    return out


def step_94_0():  # eta dE/dw against the chain-rule sum: false under both readings of sigma
    holds = {}
    for name, s in READINGS.items():
        holds[name] = all(close(eta * num_grad(lambda v: E_of(X, t, v, b, s), w), chain_sum_w(X, t, w, b, s))
                          for X, t, w, b, eta, _ in draws())
    return holds["lit"] or holds["std"]


def context_95():  # not a step check: the member of line 95 is the chain sum only under the note's sigma
    out = {}
    for name, s in READINGS.items():
        ok = True
        for X, t, w, b, _, _ in draws():
            y = s(X @ w + b)
            m95 = ((t / y - (1 - t) / (1 - y)) * y * (1 - y)) @ X
            ok &= close(chain_sum_w(X, t, w, b, s), m95)
        out[name] = bool(ok)
    return out


def step_96_0():
    return all(close(((t / y - (1 - t) / (1 - y)) * y * (1 - y)) @ X, (t * (1 - y) - y * (1 - t)) @ X)
               for X, t, _, _, _, y in draws())


def step_97_0():
    return all(close((t * (1 - y) - y * (1 - t)) @ X, -((t - y) @ X)) for X, t, _, _, _, y in draws())


def step_102_0():  # eta dE/db against -sum (t_n - y_n): false under both readings of sigma
    holds = {}
    for name, s in READINGS.items():
        holds[name] = all(close(eta * num_grad(lambda c: E_of(X, t, w, c[0], s), b)[0], -np.sum(t - s(X @ w + b)))
                          for X, t, w, b, eta, _ in draws())
    return holds["lit"] or holds["std"]


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_") or name.startswith("context_"):
            print(name, fn())
