"""Finite-difference checks of e05_returnn_label_smoothing_grad_plaintext.md (t = target_prob a random probability vector, or a smoothed one-hot; log_prob = log_softmax(z); loss = -sum_i t_i log_prob_i)."""
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

def log_softmax(z):
    return z - np.log(np.sum(np.exp(z)))


def _setup(r, n):
    z = r.normal(size=n)
    eps = r.uniform(0.0, 0.3)
    t = (1 - eps) * onehot(n, r.integers(n)) + eps / n if r.random() < 0.5 else softmax(r.normal(size=n))
    return z, t, softmax(z)


def step_28_0():  # grad_logprob[i] loss = -target_prob[i]
    def chk(r, n):
        z, t, s = _setup(r, n)
        return close(num_grad(lambda lp: -np.sum(t * lp), log_softmax(z)), -t)
    return all_draws(chk)


def _Jls(z):
    return num_grad(log_softmax, z).T  # [i, j] = d log_prob[i] / d z[j]


def step_38_0():  # grad_z[j] log_prob[i] = delta(i==j) - softmax(z)[j]
    def chk(r, n):
        z, t, s = _setup(r, n)
        return close(_Jls(z), np.eye(n) - s[None, :])
    return all_draws(chk)


def step_42_0():  # grad_z[j] loss = sum_i (grad_logprob[i] loss)(grad_z[j] logprob[i])
    def chk(r, n):
        z, t, s = _setup(r, n)
        g = num_grad(lambda u: -np.sum(t * log_softmax(u)), z)
        return close(g, (-t) @ _Jls(z))
    return all_draws(chk)


def step_44_0():  # = sum_i (-t_i delta_ij + t_i s_j)
    def chk(r, n):
        z, t, s = _setup(r, n)
        return close((-t) @ _Jls(z), np.array([sum(-t[i] * (i == j) + t[i] * s[j] for i in range(n)) for j in range(n)]))
    return all_draws(chk)


def step_44_1():  # = -t_j + (sum_i t_i) s_j
    def chk(r, n):
        z, t, s = _setup(r, n)
        return close(np.array([sum(-t[i] * (i == j) + t[i] * s[j] for i in range(n)) for j in range(n)]), -t + np.sum(t) * s)
    return all_draws(chk)


def step_44_2():  # = s_j - t_j, with sum_i t_i = 1
    def chk(r, n):
        z, t, s = _setup(r, n)
        return close(-t + np.sum(t) * s, s - t)
    return all_draws(chk)


if __name__ == "__main__":
    for _key, _check in sorted(list(globals().items())):
        if _key.startswith("step_"):
            print(_key, _check())
