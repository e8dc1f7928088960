"""The canonical-link theorem, proved once for an undefined log-partition function ``A``.

For any smooth ``A`` of the K-vector ``η = Wᵀx`` the per-sample loss ``L = A(η) − y·η``
has ``∂L/∂W_ij = (∂_j A(η) − y_j) x_i`` and ``∂²L/∂W_ij∂W_lm = x_i x_l ∂_jm A(η)``; over N
samples, the mean and the sum, with the penalty ``λ‖W‖²``. ``A`` is undefined: its
partials are opaque quantities (:class:`derive.engine.vector_function.Partial`), and the
only rule the engine applies to them is the chain rule. Each canonical-link family
(softmax's ``A = log Σ e^η``, Poisson's ``Σ e^η``, least squares' ``Σ η²/2``, multi-label
sigmoids' ``Σ log(1 + e^η)``) states the same catalogue for its own ``A``
(:mod:`derive.models.glm`), proved again for it.

>>> [c.name for c in FAMILY.claims][:2]
['canonical_grad', 'canonical_hessian']
"""

from __future__ import annotations

import sympy as sp

from derive.engine.vector_function import Partial
from derive.models.family import Family, Fold, Notation, catalogue
from derive.models.glm import SCOPE, Canonical, K, entries, eta

__all__ = ["FAMILY", "THEOREM"]


def _A(order: tuple, h) -> sp.Expr:
    q = sp.Symbol("q", integer=True)
    return Partial("A", order, sp.Lambda(q, h(q)), K)


THEOREM = Canonical(
    prefix="canonical",
    A=lambda h: _A((), h),
    mean=lambda h, q: _A((q,), h),
    curvature=lambda h, a, c: _A((a, c), h),
    undefined=True,
    source="canonical-link exponential family (McCullagh and Nelder 1989, Section 2.2)",
)

CLAIMS, MUTANTS = catalogue(entries(THEOREM), SCOPE)

_q, _s = sp.symbols("q s", integer=True)
NOTATION = Notation(
    names={"lambda": r"\lambda", "mu": r"\nabla A", "v": r"\nabla^2 A", "eta": r"\eta"},
    factor_order=((sp.IndexedBase("W"),), (sp.IndexedBase("x"), sp.IndexedBase("X"))),
    prose=r"""A canonical-link model has a log-partition function $A$ of the vector of
logits $\eta = W^{\mathsf{T}} x$, and the per-sample loss $L = A(\eta) - y \cdot \eta$. Here
$A$ is left \emph{undefined}: its gradient $\nabla A$ and Hessian $\nabla^2 A$ are opaque
quantities, and the engine applies only the chain rule to them. Every equality below holds
for every smooth $A$ and all sizes $K, D, N \ge 1$.""",
    symbols=(
        (r"$K, D, N$", "number of outputs, features and samples (symbolic)"),
        (r"$W_{ij}$", r"weights, a $D \times K$ matrix"),
        (r"$x_{i}$, $X_{ni}$", r"one input; row $n$ of the data $X$ ($N \times D$)"),
        (r"$y_{k}$, $Y_{nk}$", r"labels of one sample; of sample $n$"),
        (r"$\eta_k$", r"the logits $\sum_{d} W_{dk} x_d$ ($\eta_{nk}$ for sample $n$)"),
        (r"$\nabla A_k$, $\nabla^2 A_{jm}$", r"$\partial A / \partial \eta_k$ and "
         r"$\partial^2 A / \partial \eta_j \partial \eta_m$ at $\eta$"),
    ),
    folds=(Fold(sp.IndexedBase("eta")[_q], eta()(_q)),
           Fold(sp.IndexedBase("eta")[_s, _q], eta(_s)(_q))),
)

FAMILY = Family(
    name="canonical",
    title="The canonical-link theorem (undefined log-partition A)",
    scope=SCOPE,
    claims=CLAIMS,
    mutants=MUTANTS,
    notation=NOTATION,
)
