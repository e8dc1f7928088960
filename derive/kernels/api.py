"""The public kernels: validate, require the proof links, run the generated code.

>>> import numpy as np
>>> from derive.kernels import loss_and_grad
>>> X = np.array([[1.0, 2.0], [0.5, -1.0]]); W = np.zeros((2, 3)); y = np.array([0, 2])
>>> loss, grad = loss_and_grad(X, y, W)   # doctest: +SKIP
>>> round(float(loss), 6), grad.shape     # doctest: +SKIP
(1.098612, (2, 3))
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from derive.kernels import chunked, validate
from derive.kernels.generate import build_module
from derive.kernels.links import LINKS, Link, require, variant_links

__all__ = ["hvp", "loss_and_grad", "softmax_jacobian"]

# The gate every call passes: all links of the kernel proved (cached per process).
proof_gate: Callable[[tuple[Link, ...]], object] = require


def loss_and_grad(
    X: np.ndarray,
    y: np.ndarray,
    W: np.ndarray,
    *,
    lam: float = 0.0,
    b: np.ndarray | None = None,
    reduction: str = "mean",
) -> tuple:
    """Loss ``J`` and gradient(s) of softmax regression with cross-entropy.

    ``J = (1/N) Σ_n −log σ_{y_n}(x_n) + λ‖W‖²`` (``reduction="sum"`` drops 1/N), with
    logits ``X·W (+ b)``. ``y``: integer labels 0..K-1 of shape (N,), or label rows
    (N, K) summing to 1. Returns ``(loss, dJ/dW)`` or ``(loss, dJ/dW, dJ/db)`` when
    ``b`` is given, all in the dtype of ``X`` (float32 or float64). K >= 2.

    ``X`` (and ``y``) may be Dask arrays chunked by rows (``pip install "derive[dask]"``):
    each chunk runs the same proven block function where it lives, the partial sums are
    combined in a tree on the active scheduler (local or ``dask.distributed``), and the
    results come back as NumPy arrays.

    >>> import numpy as np
    >>> X = np.ones((4, 3)); W = np.zeros((3, 2)); y = np.array([0, 1, 0, 1])
    >>> loss, g = loss_and_grad(X, y, W)      # doctest: +SKIP
    >>> float(loss) == float(np.log(2)), bool(np.allclose(g, 0))   # doctest: +SKIP
    (True, True)
    """
    if chunked.is_dask(X) or chunked.is_dask(y):
        return chunked.loss_and_grad(
            X, y, W, lam=lam, b=b, reduction=reduction,
            gate=lambda red, bias: proof_gate(variant_links(red, bias)),
        )
    X = validate.float_matrix("X", X, finite=False)
    W = validate.float_matrix("W", W)
    n, d = X.shape
    k, lam, b = validate.model_parameters(W, d, X.dtype, lam, reduction, b)
    labels = validate.labels(y, n, k, X.dtype)
    proof_gate(variant_links(reduction, b is not None))
    with np.errstate(over="ignore", invalid="ignore"):
        out = build_module().loss_and_grad(X, labels, W, lam=lam, b=b, reduction=reduction)
    return validate.finite_after(out, "X", X)


def softmax_jacobian(z: np.ndarray) -> np.ndarray:
    """``J[..., k, j] = ∂σ_k/∂z_j = σ_k(δ_jk − σ_j)`` for logits of shape (K,) or (N, K).

    Stable for |z| up to 1e4 (max shift). K = 1 is allowed here: J = [[0]].

    >>> import numpy as np
    >>> softmax_jacobian(np.zeros(2))         # doctest: +SKIP
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    one_row = isinstance(z, np.ndarray) and z.ndim == 1
    z = validate.float_matrix("z", z, ndim=1 if one_row else 2)
    proof_gate((LINKS["softmax_jacobian"],))
    return build_module().softmax_jacobian(z)


def hvp(
    X: np.ndarray, W: np.ndarray, V: np.ndarray, *, lam: float = 0.0
) -> np.ndarray:
    """Hessian–vector product ``(∇²J)·V`` of the mean loss ``J`` (no bias) at ``W``.

    ``(1/N) Σ_n x_n ⊗ (σ∘u − σ (σ·u)) + 2λV`` with ``u = Vᵀx_n``; D×K like ``W``.

    >>> import numpy as np
    >>> hvp(np.ones((2, 1)), np.zeros((1, 2)), np.array([[1.0, 0.0]]))   # doctest: +SKIP
    array([[ 0.25, -0.25]])
    """
    X = validate.float_matrix("X", X, finite=False)
    W = validate.float_matrix("W", W)
    V = validate.float_matrix("V", V)
    validate.same_dtype("W", W, "X", X)
    validate.same_dtype("V", V, "X", X)
    validate.shape_is("W", W, (X.shape[1], W.shape[1]), f"D×K with D={X.shape[1]}")
    validate.classes("W", W.shape[1])
    validate.shape_is("V", V, W.shape, "a direction shaped like W")
    lam = validate.regularisation(lam)
    proof_gate((LINKS["hvp_sample"], LINKS["hvp_mean"]))
    with np.errstate(over="ignore", invalid="ignore"):
        out = build_module().hvp(X, W, V, lam=lam)
    return validate.finite_after((out,), "X", X)[0]
