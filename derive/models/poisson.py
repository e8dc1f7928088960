"""Poisson regression: counts ``y_k ≥ 0`` with the log link, K outputs at once.

``y_k ~ Poisson(e^{η_k})`` with ``η = Wᵀx`` gives the negative log-likelihood ``L = Σ_k
(e^{η_k} − y_k η_k + log y_k!)``: the canonical-link loss with ``A(η) = Σ_k e^{η_k}``, mean
``μ_k = e^{η_k}`` and curvature ``δ_jm e^{η_j}``; the ``log y!`` terms do not depend on the
weights. Everything else (gradients, Hessians, the data-set forms, kernel rows) is the
theorem's catalogue (:mod:`derive.models.glm`), proved again for this ``A``.

>>> [c.name for c in FAMILY.claims][:3]
['poisson_mean_map', 'poisson_curvature', 'poisson_loss_form']
"""

from __future__ import annotations

import sympy as sp

from derive.declare.matrix import ElemExp
from derive.engine.claims import nonnegative
from derive.models import glm
from derive.models.family import Fold, Notation
from derive.models.glm import Canonical, K

__all__ = ["FAMILY", "POISSON", "loss_and_grad_poisson"]

_c = sp.Symbol("c", integer=True)


def _log_factorial(lab) -> sp.Expr:
    return sp.Sum(sp.log(sp.factorial(lab(_c))), (_c, 1, K))


POISSON = Canonical(
    prefix="poisson",
    A=lambda h: sp.Sum(sp.exp(h(_c)), (_c, 1, K)),
    mean=lambda h, q: sp.exp(h(q)),
    curvature=lambda h, a, c: sp.KroneckerDelta(a, c) * sp.exp(h(a)),
    labels=lambda base: (nonnegative(base),),
    loss=lambda h, lab: sp.Sum(sp.exp(h(_c)) - lab(_c) * h(_c) + sp.log(sp.factorial(lab(_c))),
                               (_c, 1, K)),
    extra=_log_factorial,
    wrong_mean={"η_k for e^{η_k}": lambda h, q: h(q), "missing exp: 1": lambda h, q: sp.Integer(1)},
    source="Poisson regression, log link (McCullagh and Nelder 1989, Section 6.2)",
)

_q, _s = sp.symbols("q s", integer=True)
NOTATION = Notation(
    folds=(Fold(sp.IndexedBase("mu")[_q], sp.exp(glm.eta()(_q))),
           Fold(sp.IndexedBase("mu")[_s, _q], sp.exp(glm.eta(_s)(_q)))),
    names={"lambda": r"\lambda", "mu": r"\mu", "eta": r"\eta"},
    factor_order=((glm.W,), (glm.x, glm.X), (glm.mu, glm.V), (glm.y, glm.Y)),
    prose=r"""Poisson regression models counts $y_k \in \{0, 1, 2, \ldots\}$ with rate
$\mu_k = e^{\eta_k}$, $\eta = W^{\mathsf{T}} x$ (the log link). Its negative log-likelihood
is $L = \sum_k (e^{\eta_k} - y_k \eta_k + \log y_k!)$: the canonical-link loss with
$A(\eta) = \sum_k e^{\eta_k}$; the terms $\log y_k!$ do not depend on the weights.""",
    symbols=(
        (r"$K, D, N$", "number of count outputs, features and samples (symbolic)"),
        (r"$W_{ij}$", r"weights, a $D \times K$ matrix"),
        (r"$y_k \ge 0$, $Y_{nk}$", "counts of one sample; of sample $n$"),
        (r"$\mu_k = e^{\eta_k}$", "the rate (mean) of output $k$"),
    ),
    assumptions=r"""Counts are non-negative; the hypothesis, used by the claims listed:""",
)


def loss_and_grad_poisson(X, Y, W, *, lam=0.0, b=None, reduction="mean"):
    """Loss and gradient(s) of Poisson regression (log link), K count outputs.

    ``J = (1/N) Σ_n Σ_k (e^{η_nk} − Y_nk η_nk) + λ‖W‖²`` with ``η = X·W (+ b)`` (the
    ``log Y!`` terms, free of the weights, are left out; ``reduction="sum"`` drops 1/N; the
    bias is not penalised). ``Y``: counts ≥ 0, shape (N, K) like ``X·W``. Returns ``(loss,
    dJ/dW)`` or ``(loss, dJ/dW, dJ/db)`` when ``b`` (shape (K,)) is given.

    >>> import numpy as np
    >>> from derive.kernels import loss_and_grad_poisson
    >>> loss, g = loss_and_grad_poisson(np.ones((2, 1)), np.ones((2, 1)), np.zeros((1, 1)))
    >>> float(loss), g.tolist()
    (1.0, [[0.0]])
    """
    args = {"X": X, "Y": Y, "W": W, "lambda": lam}
    shapes = {"loss": ()}
    if b is not None:
        args["b"] = b.reshape(-1, 1)
        shapes["grad_b"] = b.shape
    return {"reduction": reduction, "bias": b is not None}, args, shapes


FAMILY = glm.declare(
    POISSON, name="poisson", title="Poisson regression (log link)", notation=NOTATION,
    bind=loss_and_grad_poisson, A_entries=ElemExp, mean_rows=ElemExp, check=glm.check_counts)
