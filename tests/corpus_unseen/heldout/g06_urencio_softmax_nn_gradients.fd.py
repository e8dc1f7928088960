"""Finite-difference checks of g06_urencio_softmax_nn_gradients.md.

Network with row vectors: x (1 x p), W1 = w^{(L-1)} (p x H), h = sigmoid(x W1), W2 = w^{(L)} (H x C), z = h W2,
y = softmax(z), t one-hot, E = -sum_i t_i log y_i; h' = h(1 - h), delta = y - t.
Tolerance: rtol = atol = 1e-6 (TOL), central differences with step H_STEP.
"""
import numpy as np

TOL = 1e-6
H_STEP = 1e-6
DRAWS = 4


def close(a, b, tol=TOL):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=tol, atol=tol))


def num_grad(f, x, h=H_STEP):
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


def sigmoid(u):
    return 1 / (1 + np.exp(-u))


def softmax(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


def nets(sizes=((1, 1, 1), (2, 3, 2), (3, 2, 4), (2, 2, 3))):
    r = np.random.default_rng(0)
    out = []
    for p, H, C in sizes:
        for _ in range(DRAWS):
            x = r.normal(size=p)
            W1 = r.normal(size=(p, H))
            W2 = r.normal(size=(H, C))
            t = np.eye(C)[int(r.integers(C))]
            out.append((x, W1, W2, t))
    return out


def forward(x, W1, W2):
    h = sigmoid(x @ W1)
    y = softmax(h @ W2)
    return h, y


def E(x, W1, W2, t):
    return -np.sum(t * np.log(forward(x, W1, W2)[1]))


def step_66_0():  # h_i (y_j sum_i t_i - t_j) = h_i (y_j - t_j)  (t one-hot)
    def chk(x, W1, W2, t):
        h, y = forward(x, W1, W2)
        return close(np.outer(h, y * np.sum(t) - t), np.outer(h, y - t))
    return all(chk(*n) for n in nets())


def step_73_0():  # grad_{W2} E = h^T (y - t)  (rows)
    def chk(x, W1, W2, t):
        h, y = forward(x, W1, W2)
        g = num_grad(lambda M: E(x, W1, M, t), W2)
        return close(g, h.reshape(-1, 1) @ (y - t).reshape(1, -1))
    return all(chk(*n) for n in nets())


def step_76_0():  # h^T (y - t) = [h_a (y_b - t_b)]_{a,b}
    def chk(x, W1, W2, t):
        h, y = forward(x, W1, W2)
        M = np.array([[h[a] * (y[b] - t[b]) for b in range(len(y))] for a in range(len(h))])
        return close(h.reshape(-1, 1) @ (y - t).reshape(1, -1), M)
    return all(chk(*n) for n in nets())


def step_87_0():  # dE/dW1_pq = sum_i dE/dy_i (sum_k dy_i/dz_k dz_k/dh_q dh_q/dz1_q dz1_q/dW1_pq)
    def chk(x, W1, W2, t):
        h, y = forward(x, W1, W2)
        z1 = x @ W1
        z = h @ W2
        dE_dy = num_grad(lambda v: -np.sum(t * np.log(v)), y)
        dy_dz = num_grad(softmax, z).T  # [i, k] = dy_i/dz_k
        dz_dh = num_grad(lambda v: v @ W2, h)  # [q, k] = dz_k/dh_q
        dh_dz1 = num_grad(sigmoid, z1)  # [q, q'] diagonal
        g = num_grad(lambda M: E(x, M, W2, t), W1)
        for p in range(W1.shape[0]):
            for q in range(W1.shape[1]):
                dz1_dw = num_grad(lambda M, q=q: (x @ M)[q], W1)[p, q]
                rhs = sum(dE_dy[i] * sum(dy_dz[i, k] * dz_dh[q, k] * dh_dz1[q, q] * dz1_dw for k in range(len(z))) for i in range(len(y)))
                if not close(g[p, q], rhs):
                    return False
        return True
    return all(chk(*n) for n in nets())


def step_99_0():  # grad_{W1} E = x^T (h o (1 - h) o [(y - t) W2^T])
    def chk(x, W1, W2, t):
        h, y = forward(x, W1, W2)
        g = num_grad(lambda M: E(x, M, W2, t), W1)
        return close(g, x.reshape(-1, 1) @ (h * (1 - h) * ((y - t) @ W2.T)).reshape(1, -1))
    return all(chk(*n) for n in nets())


def step_102_0():  # slip: entry (a, b) written x_a h'_b sum_q w_{aq} delta_q (w^{(L)} row a: the input index)
    def chk(x, W1, W2, t):
        h, y = forward(x, W1, W2)
        hp = h * (1 - h)
        d = y - t
        lhs = x.reshape(-1, 1) @ (hp * (d @ W2.T)).reshape(1, -1)
        M = np.array([[x[a] * hp[b] * np.sum(W2[a, :] * d) for b in range(len(h))] for a in range(len(x))])
        return close(lhs, M)
    # the written pattern needs a row a of W2 for every input index a: sizes with p <= H
    return all(chk(*n) for n in nets(sizes=((2, 3, 2), (2, 2, 3), (3, 3, 4))))
