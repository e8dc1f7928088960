"""Finite-difference checks of c08_nirnirs_cs224n_softmax_answers.md (softmax over a vector; sigma the logistic sigmoid; yhat = softmax(theta), y one-hot at k)."""
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


def _sig(x):
    return 1 / (1 + np.exp(-x))


def _sm_chain(rhs):
    """softmax(x + c)_i equals rhs(x, c) (vector over i)."""
    def chk(r, n):
        x = r.normal(size=n)
        c = r.normal()
        return close(softmax(x + c), rhs(x, c))
    return all_draws(chk)


def step_23_0():  # softmax(x) = softmax(x + c)
    return _sm_chain(lambda x, c: softmax(x))


def step_27_0():  # softmax(x+c)_i = e^{x_i+c} / sum e^{x_j+c}
    return _sm_chain(lambda x, c: np.exp(x + c) / np.sum(np.exp(x + c)))


def step_28_0():  # = e^{x_i} e^c / (e^c sum e^{x_j})
    return _sm_chain(lambda x, c: np.exp(x) * np.exp(c) / (np.exp(c) * np.sum(np.exp(x))))


def step_29_0():  # = e^{x_i} / sum e^{x_j}
    return _sm_chain(lambda x, c: np.exp(x) / np.sum(np.exp(x)))


def step_30_0():  # = softmax(x)_i
    return _sm_chain(lambda x, c: softmax(x))


def _sig_chain(rhs):
    """sigma'(x) (central differences, entrywise) equals rhs(x)."""
    def chk(r, n):
        x = r.normal(size=n) * 2
        return close(np.diag(num_grad(_sig, x)), rhs(x))
    return all_draws(chk)


def step_38_0():  # sigma'(x) = (1/(1+e^{-x}))'
    return _sig_chain(lambda x: np.diag(num_grad(lambda t: 1 / (1 + np.exp(-t)), x)))


def step_39_0():  # = -1/(1+e^{-x})^2 * -e^{-x}
    return _sig_chain(lambda x: -1 / (1 + np.exp(-x)) ** 2 * -np.exp(-x))


def step_40_0():  # = e^{-x}/(1+e^{-x})^2
    return _sig_chain(lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2)


def step_41_0():  # = e^{-x}/(1+e^{-x}) (1 - e^{-x}/(1+e^{-x}))
    return _sig_chain(lambda x: np.exp(-x) / (1 + np.exp(-x)) * (1 - np.exp(-x) / (1 + np.exp(-x))))


def step_42_0():  # = sigma(x)(1 - sigma(x))
    return _sig_chain(lambda x: _sig(x) * (1 - _sig(x)))


def _ce_chain(rhs):
    """CE = -sum y_i log yhat_i (y one-hot at k) equals rhs(theta, k)."""
    def chk(r, n):
        th = r.normal(size=n)
        k = int(r.integers(n))
        y = onehot(n, k)
        return close(-np.sum(y * np.log(softmax(th))), rhs(th, k))
    return all_draws(chk)


def step_49_0():  # -sum y_i log yhat_i = -log yhat_k
    return _ce_chain(lambda th, k: -np.log(softmax(th)[k]))


def step_50_0():  # = -log(softmax(theta)_k)
    return _ce_chain(lambda th, k: -np.log(softmax(th)[k]))


def step_52_0():  # log(A / e^{theta_k}) = log(A) - theta_k, any A > 0
    def chk(r, n):
        th = r.normal(size=n)
        k = int(r.integers(n))
        A = r.uniform(0.1, 10.0)
        return close(np.log(A / np.exp(th[k])), np.log(A) - th[k])
    return all_draws(chk)


def _ce(k):
    return lambda th: -np.log(softmax(th)[k])


def _grad_k(rhs):
    """dCE/dtheta_k equals rhs(theta, k)."""
    def chk(r, n):
        th = r.normal(size=n)
        k = int(r.integers(n))
        return close(num_grad(_ce(k), th)[k], rhs(th, k))
    return all_draws(chk)


def step_57_0():  # dCE/dtheta_k = d/dtheta_k (log sum e^{theta_j} - theta_k)
    return _grad_k(lambda th, k: num_grad(lambda t: np.log(np.sum(np.exp(t))) - t[k], th)[k])


def step_58_0():  # = e^{theta_k}/sum e^{theta_j} - 1
    return _grad_k(lambda th, k: np.exp(th[k]) / np.sum(np.exp(th)) - 1)


def step_59_0():  # = yhat_k - 1
    return _grad_k(lambda th, k: softmax(th)[k] - 1)


def _grad_i(rhs):
    """dCE/dtheta_i for every i != k equals rhs(theta, k, i)."""
    def chk(r, n):
        th = r.normal(size=n)
        k = int(r.integers(n))
        g = num_grad(_ce(k), th)
        return all(close(g[i], rhs(th, k, i)) for i in range(n) if i != k)
    return all_draws(chk, sizes=(2, 3, 5))


def step_63_0():  # dCE/dtheta_{i!=k} = d/dtheta_i (log sum e^{theta_j} - theta_k)
    return _grad_i(lambda th, k, i: num_grad(lambda t: np.log(np.sum(np.exp(t))) - t[k], th)[i])


def step_64_0():  # = e^{theta_i}/sum e^{theta_j}
    return _grad_i(lambda th, k, i: np.exp(th[i]) / np.sum(np.exp(th)))


def step_65_0():  # = yhat_i
    return _grad_i(lambda th, k, i: softmax(th)[i])


def step_69_0():  # dCE/dtheta = yhat - y
    def chk(r, n):
        th = r.normal(size=n)
        k = int(r.integers(n))
        return close(num_grad(_ce(k), th), softmax(th) - onehot(n, k))
    return all_draws(chk)


def step_98_0():  # dCE/dz_2 = yhat - y   (yhat = softmax(z_2))
    def chk(r, n):
        z2 = r.normal(size=n)
        k = int(r.integers(n))
        return close(num_grad(_ce(k), z2), softmax(z2) - onehot(n, k))
    return all_draws(chk)


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
