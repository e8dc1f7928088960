"""Multi-label classification: K independent sigmoids, binary cross-entropy per label.

Each label ``y_k ∈ {0, 1}`` gets its own probability ``s_k = σ(η_k) = 1/(1 + e^{−η_k})``
with ``η = Wᵀx``, and the loss sums the binary cross-entropies ``L = −Σ_k [y_k log s_k +
(1 − y_k) log(1 − s_k)]``: the canonical-link loss with ``A(η) = Σ_k log(1 + e^{η_k})``,
mean ``s_k`` and curvature ``δ_jm s_j(1 − s_j)`` (nothing left over: the identity holds for
any real label). The rest is the theorem's catalogue (:mod:`derive.models.glm`), proved
again for this ``A``; scikit-learn trains it as one-vs-rest logistic regressions.

>>> [c.name for c in FAMILY.claims][:3]
['sigmoids_mean_map', 'sigmoids_curvature', 'sigmoids_loss_form']
"""

from __future__ import annotations

import sympy as sp

from derive.declare.matrix import LogOneMinusSigmoid, Sigmoid
from derive.engine.claims import binary
from derive.models import glm
from derive.models.family import Fold, Notation
from derive.models.glm import Canonical, K

__all__ = ["FAMILY", "MULTILABEL", "loss_and_grad_multilabel"]

_c = sp.Symbol("c", integer=True)


def _sigmoid(t: sp.Expr) -> sp.Expr:
    return 1 / (1 + sp.exp(-t))


def _bce(h, lab) -> sp.Expr:
    s = _sigmoid(h(_c))
    return -sp.Sum(lab(_c) * sp.log(s) + (1 - lab(_c)) * sp.log(1 - s), (_c, 1, K))


MULTILABEL = Canonical(
    prefix="sigmoids",
    A=lambda h: sp.Sum(sp.log(1 + sp.exp(h(_c))), (_c, 1, K)),
    mean=lambda h, q: _sigmoid(h(q)),
    curvature=lambda h, a, c: sp.KroneckerDelta(a, c) * _sigmoid(h(a)) * (1 - _sigmoid(h(a))),
    labels=lambda base: (binary(base),),
    loss=_bce,
    extra=lambda lab: sp.Integer(0),
    wrong_mean={"e^{η_k} (the normaliser forgotten)": lambda h, q: sp.exp(h(q)),
                "σ(−η_k)": lambda h, q: _sigmoid(-h(q))},
    source="one sigmoid per label (Bishop 2006, Sec. 4.3.2)",
)

_q, _s = sp.symbols("q s", integer=True)
_z, _sig = sp.IndexedBase("z"), sp.IndexedBase("s")
NOTATION = Notation(
    folds=(Fold(_z[_q], glm.eta()(_q)), Fold(_z[_s, _q], glm.eta(_s)(_q)),
           Fold(_sig[_q], _sigmoid(_z[_q])), Fold(_sig[_s, _q], _sigmoid(_z[_s, _q]))),
    names={"lambda": r"\lambda", "mu": "s", "eta": r"\eta"},
    factor_order=((glm.W,), (glm.x, glm.X), (glm.mu, glm.V), (glm.y, glm.Y)),
    prose=r"""Multi-label classification predicts $K$ labels $y_k \in \{0, 1\}$ at once,
each with its own sigmoid $s_k = \sigma(\eta_k) = 1/(1 + e^{-\eta_k})$, $\eta = W^{\mathsf{T}}
x$, and sums the binary cross-entropies $L = -\sum_k [y_k \log s_k + (1 - y_k) \log (1 -
s_k)]$: the canonical-link loss with $A(\eta) = \sum_k \log(1 + e^{\eta_k})$.""",
    symbols=(
        (r"$K, D, N$", "number of labels, features and samples (symbolic)"),
        (r"$W_{ij}$", r"weights, a $D \times K$ matrix"),
        (r"$y_k \in \{0, 1\}$, $Y_{nk}$", "labels of one sample; of sample $n$"),
        (r"$s_k = \sigma(\eta_k)$", "the probability of label $k$"),
    ),
    assumptions=r"""Labels are 0 or 1 (the identities hold for real labels too); the
hypothesis, stated by the claims listed:""",
)


def loss_and_grad_multilabel(X, Y, W, *, lam=0.0, b=None, reduction="mean"):
    """Loss and gradient(s) of multi-label classification with K independent sigmoids.

    ``J = (1/N) Σ_n Σ_k −[Y_nk log s_nk + (1 − Y_nk) log(1 − s_nk)] + λ‖W‖²`` with ``s =
    σ(X·W (+ b))``, computed as ``softplus(η) − Y∘η`` (stable for any logit;
    ``reduction="sum"`` drops 1/N; the bias is not penalised). ``Y``: labels 0/1 or
    probabilities in [0, 1], shape (N, K) like ``X·W``. Returns ``(loss, dJ/dW)`` or
    ``(loss, dJ/dW, dJ/db)`` when ``b`` (shape (K,)) is given.

    >>> import numpy as np
    >>> from derive.kernels import loss_and_grad_multilabel
    >>> loss, g = loss_and_grad_multilabel(np.ones((2, 1)), np.ones((2, 2)), np.zeros((1, 2)))
    >>> round(float(loss), 6), g.tolist()
    (1.386294, [[-0.5, -0.5]])
    """
    args = {"X": X, "Y": Y, "W": W, "lambda": lam}
    shapes = {"loss": ()}
    if b is not None:
        args["b"] = b.reshape(-1, 1)
        shapes["grad_b"] = b.shape
    return {"reduction": reduction, "bias": b is not None}, args, shapes


FAMILY = glm.declare(
    MULTILABEL, name="multilabel", title="Multi-label classification (independent sigmoids)",
    notation=NOTATION, bind=loss_and_grad_multilabel,
    A_entries=lambda Z: -LogOneMinusSigmoid(Z), mean_rows=Sigmoid, check=glm.check_zero_one)
