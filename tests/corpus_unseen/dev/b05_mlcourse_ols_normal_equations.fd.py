"""Finite-difference checks of b05_mlcourse_ols_normal_equations.md (plain NumPy, never derive).

X (n x d), w, y; sizes (1,1), (2,3), (5,4); vectors/matrices of size 1 and >= 2 for the cheat
sheet; Bernoulli data with exactly 117 ones in 400. Several draws; central differences h = 1e-6;
tol 1e-5 (relative for the tiny likelihood values).
"""
# ruff: noqa: B023  (each lambda is called at once inside its own loop iteration)
import numpy as np

TOL = 1e-5
SIZES = [(1, 1), (2, 3), (5, 4)]


def close(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and np.allclose(a, b, rtol=TOL, atol=TOL)


def num_grad(f, x, h=1e-6):
    x = np.array(x, float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def draws():
    rng = np.random.default_rng(8)
    for n, d in SIZES:
        for _ in range(3):
            yield rng.normal(size=(n, d)), rng.normal(size=d), rng.normal(size=n)


def L(X, w, y):
    n = X.shape[0]
    return sum((y[i] - w @ X[i]) ** 2 for i in range(n)) / (2 * n)


def step_17_0():
    return all(close(np.linalg.norm(y - X @ w) ** 2 / (2 * len(y)), L(X, w, y)) for X, w, y in draws())


def step_18_0():
    return all(close((y - X @ w) @ (y - X @ w) / (2 * len(y)), L(X, w, y)) for X, w, y in draws())


def _vec_draws():
    rng = np.random.default_rng(9)
    for k in (1, 2, 4):
        for _ in range(3):
            yield k, rng.normal(size=k), rng.normal(size=(k, k)), rng.normal(size=k)


def step_30_0():  # d/dx x^T a = a
    return all(close(num_grad(lambda v: v @ a, x), a) for k, x, _, a in _vec_draws())


def step_31_0():  # d/dx x^T A x = (A + A^T) x
    return all(close(num_grad(lambda v: v @ A @ v, x), (A + A.T) @ x) for k, x, A, _ in _vec_draws())


def step_32_0():  # d/dA x^T A y claimed x^T y (it is the matrix x y^T)
    for _k, x, A, y in _vec_draws():
        ref = num_grad(lambda M: x @ M @ y, A)
        if not close(np.asarray(x @ y), ref):
            return False
    return True


def step_33_0():  # d/dt A(t)^{-1} = -A^{-1} A'(t) A^{-1}
    rng = np.random.default_rng(10)
    ok = True
    for k in (1, 2, 3):
        for _ in range(3):
            A0, A1 = rng.normal(size=(k, k)) + 3 * np.eye(k), rng.normal(size=(k, k))
            A = lambda t: A0 + t * A1 + t ** 2 * A1.T  # noqa: E731
            t = rng.normal(scale=0.3)
            dA = A1 + 2 * t * A1.T
            ref = (np.linalg.inv(A(t + 1e-6)) - np.linalg.inv(A(t - 1e-6))) / 2e-6
            Ai = np.linalg.inv(A(t))
            ok &= close(-Ai @ dA @ Ai, ref)
    return bool(ok)


def _grad_chain(rhs):
    return all(close(rhs(X, w, y), num_grad(lambda v: L(X, v, y), w)) for X, w, y in draws())


def step_42_0():
    def rhs(X, w, y):
        n = len(y)
        return num_grad(lambda v: (y @ y - 2 * y @ X @ v + v @ X.T @ X @ v) / (2 * n), w)
    return _grad_chain(rhs)


def step_43_0():
    return _grad_chain(lambda X, w, y: (-2 * X.T @ y + 2 * X.T @ X @ w) / (2 * len(y)))


def _bern_draws():
    rng = np.random.default_rng(11)
    for _ in range(4):
        x = np.array([1.0] * 117 + [0.0] * 283)
        rng.shuffle(x)
        yield x, rng.uniform(0.2, 0.4)


def _lik(x, t):
    return np.prod(t ** x * (1 - t) ** (1 - x))


def step_66_1():
    return all(close(t ** 117 * (1 - t) ** 283 / _lik(x, t), 1.0) for x, t in _bern_draws())


def step_70_0():
    return all(close(np.log(_lik(x, t)), np.log(np.prod(t ** x * (1 - t) ** (1 - x)))) for x, t in _bern_draws())


def step_71_0():
    return all(close(np.log(t ** 117 * (1 - t) ** 283), np.log(_lik(x, t))) for x, t in _bern_draws())


def step_71_1():
    return all(close(117 * np.log(t) + 283 * np.log(1 - t), np.log(_lik(x, t))) for x, t in _bern_draws())


def step_75_0():
    return all(close(num_grad(lambda s: 117 * np.log(s) + 283 * np.log(1 - s), np.array(t)),
                     num_grad(lambda s: np.log(_lik(x, s)), np.array(t))) for x, t in _bern_draws())


def step_75_1():
    return all(close(117 / t - 283 / (1 - t), num_grad(lambda s: np.log(_lik(x, s)), np.array(t)))
               for x, t in _bern_draws())


if __name__ == "__main__":
    for name, fn in sorted(globals().items()):
        if name.startswith("step_"):
            print(name, fn())
