"""Finite-difference checks of d04_newbedev_sigmoid_derivative_answers.md (plain NumPy, never derive).

sigma(x) = 1/(1+e^{-x}); f(x) = 1/sigma(x). Members that are derivatives of sigma are compared with
sigma'(x) by central differences (h = 1e-6) at 60 points x ~ N(0, 2^2); members of f's chains with
f'(x) or f(x). A d/dx inside a member is a central difference too. rtol = atol = 1e-6.
"""
import numpy as np

TOL = 1e-6
H = 1e-6


def sg(x):
    return 1 / (1 + np.exp(-x))


def f(x):
    return 1 / sg(x)


def d(fn, x):
    return (fn(x + H) - fn(x - H)) / (2 * H)


def xs():
    return np.random.default_rng(404).normal(scale=2.0, size=60)


def _eq(member, ref):
    x = xs()
    return bool(np.allclose(member(x), ref(x), rtol=TOL, atol=TOL))


def dsg(x):
    return d(sg, x)


def step_17_0():
    return _eq(lambda x: sg(x) * (1 - sg(x)), dsg)


A1 = [
    lambda x: d(lambda t: 1 / (1 + np.exp(-t)), x),
    lambda x: d(lambda t: (1 + np.exp(-t)) ** -1, x),
    lambda x: -(1 + np.exp(-x)) ** -2 * (-np.exp(-x)),
    lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2,
    lambda x: 1 / (1 + np.exp(-x)) * (np.exp(-x) / (1 + np.exp(-x))),
    lambda x: 1 / (1 + np.exp(-x)) * (((1 + np.exp(-x)) - 1) / (1 + np.exp(-x))),
    lambda x: 1 / (1 + np.exp(-x)) * ((1 + np.exp(-x)) / (1 + np.exp(-x)) - 1 / (1 + np.exp(-x))),
    lambda x: 1 / (1 + np.exp(-x)) * (1 - 1 / (1 + np.exp(-x))),
    lambda x: sg(x) * (1 - sg(x)),
]


def step_21_0():
    return _eq(A1[0], dsg)


def step_21_1():
    return _eq(A1[1], dsg)


def step_21_2():
    return _eq(A1[2], dsg)


def step_21_3():
    return _eq(A1[3], dsg)


def step_21_4():
    return _eq(A1[4], dsg)


def step_21_5():
    return _eq(A1[5], dsg)


def step_21_6():
    return _eq(A1[6], dsg)


def step_21_7():
    return _eq(A1[7], dsg)


def step_21_8():
    return _eq(A1[8], dsg)


# line 24: f(x) = 1/sigma (d) = 1+e^{-x}; f'(x) = d/dx(1/sigma) = -sigma'/sigma^2;
#          f'(x) = d/dx(1+e^{-x}) = -e^{-x} = 1-f(x) = 1 - 1/sigma = (sigma-1)/sigma
def fprime(x):
    return d(f, x)


def step_24_1():
    return _eq(lambda x: 1 + np.exp(-x), f)


def step_24_2():
    return _eq(lambda x: d(lambda t: 1 / sg(t), x), fprime)


def step_24_3():
    return _eq(lambda x: -dsg(x) / sg(x) ** 2, fprime)


def step_24_4():
    return _eq(lambda x: d(lambda t: 1 + np.exp(-t), x), fprime)


def step_24_5():
    return _eq(lambda x: -np.exp(-x), fprime)


def step_24_6():
    return _eq(lambda x: 1 - f(x), fprime)


def step_24_7():
    return _eq(lambda x: 1 - 1 / sg(x), fprime)


def step_24_8():
    return _eq(lambda x: (sg(x) - 1) / sg(x), fprime)


def step_31_0():  # (1+e^{-x}) sigma = 1
    return _eq(lambda x: (1 + np.exp(-x)) * sg(x), lambda x: np.ones_like(x))


def step_35_0():
    return _eq(lambda x: sg(x) * (np.exp(-x) / (1 + np.exp(-x))), dsg)


def step_35_1():
    return _eq(lambda x: sg(x) * (((1 + np.exp(-x)) - 1) / (1 + np.exp(-x))), dsg)


def step_35_2():
    return _eq(lambda x: sg(x) * (1 - 1 / (1 + np.exp(-x))), dsg)


def step_35_3():
    return _eq(lambda x: sg(x) * (1 - sg(x)), dsg)


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
