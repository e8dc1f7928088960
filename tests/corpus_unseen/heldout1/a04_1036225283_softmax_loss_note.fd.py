
"""Finite-difference checks of a04_1036225283_softmax_loss_note.md (N = 3 as in the note)."""
import numpy as np

TOL = 1e-6  # relative and absolute tolerance of every comparison
H = 1e-6    # central-difference step
DRAWS = 4   # random draws per size


def rng(seed=0):
    return np.random.default_rng(seed)


def softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def num_grad(f, x, h=H):
    """Central-difference gradient of the scalar (or array) function f at x, shape x.shape + f.shape."""
    x = np.array(x, dtype=float)
    f0 = np.asarray(f(x), dtype=float)
    g = np.zeros(x.shape + f0.shape)
    for idx in np.ndindex(x.shape):
        xp = x.copy()
        xm = x.copy()
        xp[idx] += h
        xm[idx] -= h
        g[idx] = (np.asarray(f(xp)) - np.asarray(f(xm))) / (2 * h)
    return g


def close(a, b, tol=TOL):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=tol, atol=tol))


def onehot(n, k):
    y = np.zeros(n)
    y[k] = 1.0
    return y


def all_draws(check, sizes=(1, 2, 3, 5), seed=0):
    """True when check(r, n) is True for every size and draw."""
    r = rng(seed)
    return all(bool(check(r, n)) for n in sizes for _ in range(DRAWS))


def _s(z):
    ez = np.exp(z)
    return ez / np.sum(ez)


def step_15_0():  # s^i = (e^z)^i / ((e^z)^1 + (e^z)^2 + (e^z)^3)   (N = 3)
    def chk(r, n):
        z = r.normal(size=3)
        ez = np.exp(z)
        return close(_s(z), ez / (ez[0] + ez[1] + ez[2]))
    return all_draws(chk, sizes=(3,))


def _entry(k):
    def chk(r, n):
        z = r.normal(size=3)
        ez = np.exp(z)
        return close(_s(z)[k], ez[k] / (ez[0] + ez[1] + ez[2]))
    return chk


def step_17_0():  # s^1
    return all_draws(_entry(0), sizes=(3,))


def step_19_0():  # s^2
    return all_draws(_entry(1), sizes=(3,))


def step_21_0():  # s^3
    return all_draws(_entry(2), sizes=(3,))


def _loss(z, y):
    return -np.sum(y * np.log(_s(z)))


def step_31_0():  # loss = -y^i ln(s^i), i the one class with y^i = 1
    def chk(r, n):
        z = r.normal(size=3)
        i = r.integers(3)
        y = onehot(3, i)
        return close(_loss(z, y), -y[i] * np.log(_s(z)[i]))
    return all_draws(chk, sizes=(3,))


def step_33_0():  # loss = -y^i / s^i  (false: that is d loss / d s^i)
    def chk(r, n):
        z = r.normal(size=3)
        i = r.integers(3)
        y = onehot(3, i)
        return close(_loss(z, y), -y[i] / _s(z)[i])
    return all_draws(chk, sizes=(3,))


def step_39_0():  # f(x) = 3 ln x  =>  f'(x) = 3/x
    def chk(r, n):
        x = r.uniform(0.1, 5.0, size=n)
        return close(num_grad(lambda t: np.sum(3 * np.log(t)), x), 3 / x)
    return all_draws(chk)


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
