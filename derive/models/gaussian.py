"""Least squares and ridge regression: real targets, the identity link, K targets at once.

``y_k ~ N(η_k, 1)`` with ``η = Wᵀx`` gives ``L = ½ Σ_k (y_k − η_k)²``: the canonical-link
loss with ``A(η) = ½ Σ_k η_k²``, mean ``μ_k = η_k`` and curvature ``δ_jm``; the ``½ y²`` terms
do not depend on the weights. With the penalty ``λ‖W‖²`` (ridge) the gradient of the mean
loss vanishes where the normal equations hold, ``(XᵀX + 2Nλ I) W = XᵀY``: a catalogue entry
of its own. The rest is the theorem's catalogue (:mod:`derive.models.glm`).

>>> [c.name for c in FAMILY.claims][-1]
'gaussian_normal_equations'
"""

from __future__ import annotations

import sympy as sp

from derive.models import glm
from derive.models.family import Entry, Fold, Notation
from derive.models.glm import Canonical, D, K, N, W, X, Y, i, j, lam, n

__all__ = ["FAMILY", "GAUSSIAN", "loss_and_grad_lsq"]

_c = sp.Symbol("c", integer=True)

GAUSSIAN = Canonical(
    prefix="gaussian",
    A=lambda h: sp.Sum(h(_c) ** 2, (_c, 1, K)) / 2,
    mean=lambda h, q: h(q),
    curvature=lambda h, a, c: sp.KroneckerDelta(a, c),
    loss=lambda h, lab: sp.Sum((lab(_c) - h(_c)) ** 2, (_c, 1, K)) / 2,
    extra=lambda lab: sp.Sum(lab(_c) ** 2, (_c, 1, K)) / 2,
    wrong_mean={"2η_k (the ½ forgotten)": lambda h, q: 2 * h(q)},
    source="least squares as a Gaussian GLM (McCullagh and Nelder 1989, Section 2.2)",
)

# The normal equations: N ∂J/∂W_ij = (XᵀX W)_ij − (XᵀY)_ij + 2Nλ W_ij for the mean loss
# with λ‖W‖², so ∇J = 0 exactly where (XᵀX + 2Nλ I) W = XᵀY.
_d = sp.Symbol("d", integer=True)
_XtXW = sp.Sum(X[n, i] * sp.Sum(X[n, _d] * W[_d, j], (_d, 1, D)), (n, 1, N))
_XtY = sp.Sum(X[n, i] * Y[n, j], (n, 1, N))
_J = sp.Symbol("J")
NORMAL_EQUATIONS = Entry(
    "gaussian_normal_equations", N * sp.Derivative(_J, W[i, j]),
    _XtXW - _XtY + 2 * N * lam * W[i, j],
    defs={_J: lambda: glm.dataset_loss(GAUSSIAN, l2=True)},
    source="Hastie et al. 2009, eq. (3.44)",
    description="the normal equations: ∇J = 0 where (XᵀX + 2Nλ I) W = XᵀY",
    wrong={"λ for 2Nλ": (_XtXW - _XtY + lam * W[i, j], None),
           "XᵀY with the wrong sign": (_XtXW + _XtY + 2 * N * lam * W[i, j], None),
           "XᵀX W without the first X": (
               sp.Sum(sp.Sum(X[n, _d] * W[_d, j], (_d, 1, D)), (n, 1, N)) - _XtY
               + 2 * N * lam * W[i, j], None)},
)

_q, _s = sp.symbols("q s", integer=True)
NOTATION = Notation(
    folds=(Fold(sp.IndexedBase("mu")[_q], glm.eta()(_q)),
           Fold(sp.IndexedBase("mu")[_s, _q], glm.eta(_s)(_q))),
    names={"lambda": r"\lambda", "mu": r"\mu", "eta": r"\eta"},
    factor_order=((glm.W,), (glm.x, glm.X), (glm.mu, glm.V), (glm.y, glm.Y)),
    prose=r"""Least squares fits real targets $y_k$ by $\eta = W^{\mathsf{T}} x$ with the
loss $L = \sum_k (y_k - \eta_k)^2 / 2$: the canonical-link loss with
$A(\eta) = \sum_k \eta_k^2 / 2$ (Gaussian noise, identity link); the terms $y_k^2 / 2$
do not depend on the weights. Ridge regression adds $\lambda \lVert W \rVert^2$, and the
gradient of the mean loss vanishes where the normal equations
$(X^{\mathsf{T}} X + 2 N \lambda I) W = X^{\mathsf{T}} Y$ hold.""",
    symbols=(
        (r"$K, D, N$", "number of targets, features and samples (symbolic)"),
        (r"$W_{ij}$", r"weights, a $D \times K$ matrix"),
        (r"$y_k$, $Y_{nk}$", "real targets of one sample; of sample $n$"),
        (r"$\mu_k = \eta_k$", "the prediction of target $k$"),
    ),
)


def loss_and_grad_lsq(X, Y, W, *, lam=0.0, b=None, reduction="mean"):
    """Loss and gradient(s) of least squares / ridge regression, K real targets.

    ``J = (1/N) Σ_n Σ_k (η_nk²/2 − Y_nk η_nk) + λ‖W‖²`` with ``η = X·W (+ b)``: half the
    squared error ``½‖Y − η‖²`` less the ``½‖Y‖²`` that does not depend on the weights
    (``reduction="sum"`` drops 1/N; the bias is not penalised). Returns ``(loss, dJ/dW)`` or
    ``(loss, dJ/dW, dJ/db)`` when ``b`` (shape (K,)) is given.

    >>> import numpy as np
    >>> from derive.kernels import loss_and_grad_lsq
    >>> loss, g = loss_and_grad_lsq(np.ones((2, 1)), np.ones((2, 1)), np.zeros((1, 1)))
    >>> float(loss), g.tolist()
    (0.0, [[-1.0]])
    """
    args = {"X": X, "Y": Y, "W": W, "lambda": lam}
    shapes = {"loss": ()}
    if b is not None:
        args["b"] = b.reshape(-1, 1)
        shapes["grad_b"] = b.shape
    return {"reduction": reduction, "bias": b is not None}, args, shapes


FAMILY = glm.declare(
    GAUSSIAN, name="gaussian", title="Least squares and ridge regression", notation=NOTATION,
    bind=loss_and_grad_lsq, A_entries=lambda Z: sp.HadamardPower(Z, 2) / 2,
    mean_rows=lambda Z: Z, check=glm.check_reals, own=(NORMAL_EQUATIONS,))
