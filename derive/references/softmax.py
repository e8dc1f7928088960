"""Hand-written NumPy references, written independently of the generated code.

They share nothing with :mod:`derive.kernels.generate` (no matrix forms, no printer):
a one-hot matrix, an explicit log-sum-exp, the Hessian as a 4-index array. They are
plain and slow on purpose, and also accept complex input for complex-step checks
(the shift uses the real part, which keeps every function holomorphic).

>>> import numpy as np
>>> float(loss(np.ones((1, 2)), np.array([1]), np.zeros((2, 2))))  # log 2
0.6931471805599453
"""

from __future__ import annotations

import numpy as np

__all__ = ["grad", "grad_bias", "hessian", "hvp", "jacobian", "loss", "loss_and_grad", "one_hot"]


def one_hot(y: np.ndarray, k: int, dtype: np.dtype) -> np.ndarray:
    if y.ndim == 2:
        return y.astype(dtype, copy=False)
    out = np.zeros((y.shape[0], k), dtype=dtype)
    out[np.arange(y.shape[0]), y] = 1
    return out


def _logits(X, W, b):
    return X @ W if b is None else X @ W + b[None, :]


def _log_probs(Z):
    shift = Z.real.max(axis=1, keepdims=True)
    lse = shift + np.log(np.exp(Z - shift).sum(axis=1, keepdims=True))
    return Z - lse


def loss(X, y, W, lam=0.0, b=None, reduction="mean"):
    """``−Σ_n Σ_k Y_nk log σ_k(x_n)`` (÷N for the mean) ``+ λ Σ W²``."""
    Y = one_hot(y, W.shape[1], X.dtype)
    total = -(Y * _log_probs(_logits(X, W, b))).sum()
    scale = X.shape[0] if reduction == "mean" else 1
    return total / scale + lam * (W * W).sum()


def _probs(X, W, b):
    return np.exp(_log_probs(_logits(X, W, b)))


def grad(X, y, W, lam=0.0, b=None, reduction="mean"):
    """``Xᵀ(σ − Y)`` (÷N for the mean) ``+ 2λW``."""
    err = _probs(X, W, b) - one_hot(y, W.shape[1], X.dtype)
    scale = X.shape[0] if reduction == "mean" else 1
    return X.T @ err / scale + 2 * lam * W


def grad_bias(X, y, W, b, reduction="mean"):
    err = _probs(X, W, b) - one_hot(y, W.shape[1], X.dtype)
    scale = X.shape[0] if reduction == "mean" else 1
    return err.sum(axis=0) / scale


def jacobian(z: np.ndarray) -> np.ndarray:
    """``diag(σ) − σσᵀ`` for each row of logits (K,) or (N, K)."""
    rows = np.atleast_2d(z)
    out = np.empty((*rows.shape, rows.shape[1]), dtype=rows.dtype)
    for r, row in enumerate(rows):
        s = np.exp(row - row.max())
        s /= s.sum()
        out[r] = np.diag(s) - np.outer(s, s)
    return out[0] if z.ndim == 1 else out


def hessian(X, W, lam=0.0):
    """The (D, K, D, K) Hessian of the mean loss: ``(1/N) Σ_n x_i x_l σ_j(δ_jm − σ_m)``
    plus ``2λ`` on the diagonal."""
    S = _probs(X, W, None)
    n, d = X.shape
    k = W.shape[1]
    inner = np.einsum("nj,jm->njm", S, np.eye(k)) - np.einsum("nj,nm->njm", S, S)
    H = np.einsum("ni,nl,njm->ijlm", X, X, inner) / n
    H += 2 * lam * np.einsum("il,jm->ijlm", np.eye(d), np.eye(k))
    return H


def hvp(X, W, V, lam=0.0):
    return np.tensordot(hessian(X, W, lam), V, axes=([2, 3], [0, 1]))


def loss_and_grad(X, y, W, lam=0.0, reduction="mean"):
    """Loss and dJ/dW together, as one would write them by hand for training:
    one-hot labels, one logits product, a stable softmax, a second product."""
    n = X.shape[0]
    Y = one_hot(y, W.shape[1], X.dtype)
    Z = X @ W
    Z -= Z.max(axis=1, keepdims=True)
    E = np.exp(Z)
    s = E.sum(axis=1, keepdims=True)
    scale = n if reduction == "mean" else 1
    value = -(Y * (Z - np.log(s))).sum() / scale + lam * (W * W).sum()
    G = X.T @ (E / s - Y) / scale + 2 * lam * W
    return value, G
