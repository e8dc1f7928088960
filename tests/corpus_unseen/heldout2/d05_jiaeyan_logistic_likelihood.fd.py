"""Finite-difference checks of d05_jiaeyan_logistic_likelihood.md (plain NumPy, never derive).

Examples i = 0..n (n+1 of them, as the note's sums run from 0), features x with x_0 = 1 and d others,
theta in R^{d+1}, y^{(i)} in {0, 1}, h = sigmoid(theta^T x). Sizes (n+1, d) = (1, 1), (2, 3), (6, 4);
6 draws each. No derivatives: rtol = atol = 1e-9.
"""
import numpy as np

TOL = 1e-9


def close(a, b):
    return bool(np.allclose(a, b, rtol=TOL, atol=TOL))


def draws():
    rng = np.random.default_rng(505)
    for m, d in [(1, 1), (2, 3), (6, 4)]:
        for _ in range(6):
            X = np.hstack([np.ones((m, 1)), rng.normal(size=(m, d))])
            yield X, rng.normal(size=d + 1), rng.integers(0, 2, size=m).astype(float)


def h(theta, x):
    return 1 / (1 + np.exp(-(x @ theta)))


def bernoulli(theta, x, y):  # p(y|x;theta) from the two assumption lines 35-36
    return np.where(y == 1, h(theta, x), 1 - h(theta, x))


def logL(X, theta, y):
    return float(np.sum(np.log(bernoulli(theta, X, y))))


def context_27():  # not a step check: 1/(1+e^{-z(x)}) with z = theta^T x
    ok = True
    for X, th, _ in draws():
        z = th[0] + X[:, 1:] @ th[1:]
        ok &= close(1 / (1 + np.exp(-z)), 1 / (1 + np.exp(-(X @ th))))
    return bool(ok)


def step_29_2():  # sum_{i=0}^d theta_i x_i = theta^T x
    ok = True
    for X, th, _ in draws():
        for x in X:
            ok &= close(sum(th[i] * x[i] for i in range(len(th))), th @ x)
    return bool(ok)


def step_43_0():  # prod p(y|x) = prod h^y (1-h)^{1-y}
    ok = True
    for X, th, y in draws():
        hh = h(th, X)
        ok &= close(np.prod(bernoulli(th, X, y)), np.prod(hh ** y * (1 - hh) ** (1 - y)))
    return bool(ok)


def step_47_0():
    ok = True
    for X, th, y in draws():
        hh = h(th, X)
        ok &= close(logL(X, th, y), np.sum(y * np.log(hh) + (1 - y) * np.log(1 - hh)))
    return bool(ok)


def step_56_0():  # -H(y, yhat) = sum_i y_i log yhat_i, H = -sum_i y_i log yhat_i (two classes)
    rng = np.random.default_rng(55)
    ok = True
    for _ in range(20):
        yv = rng.dirichlet([1, 1])
        yh = rng.dirichlet([1, 1])
        H = -np.sum(yv * np.log(yh))
        ok &= close(-H, sum(yv[i] * np.log(yh[i]) for i in range(2)))
    return bool(ok)


def _H(y, yh):  # the binary cross entropy of one instance (line 54's last member)
    return -y * np.log(yh) - (1 - y) * np.log(1 - yh)


def step_59_1():  # sum_i -H(y, yhat) = -log L: a sign slip (it is +log L)
    ok = True
    for X, th, y in draws():
        yh = h(th, X)
        ok &= close(np.sum(-_H(y, yh)), -logL(X, th, y))
    return bool(ok)


def step_59_2():
    ok = True
    for X, th, y in draws():
        hh = h(th, X)
        ok &= close(-logL(X, th, y), -(np.sum(y * np.log(hh) + (1 - y) * np.log(1 - hh))))
    return bool(ok)


def slip_context():
    """Not a step check: the sum of -H is +log L (so line 59's second member is a sign slip)."""
    return all(close(np.sum(-_H(y, h(th, X))), logL(X, th, y)) for X, th, y in draws())


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
    print("context", slip_context(), context_27())
