"""The catalogue: every closed form derive proves, one data entry per claim.

Each entry names the function, the variable, the claimed closed form (written with
the abbreviations of the notes: ``σ`` for the softmax, ``L``/``J`` for the losses),
the assumptions, the seed it comes from, and wrong variants (mutants) that the
prover must refute.

>>> [c.name for c in CLAIMS][:3]
['softmax_jacobian_theta', 'softmax_jacobian_logits', 'logsumexp_grad']
>>> len(mutants()) >= 2 * len(CLAIMS)
True
"""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from derive.claims import Claim, sums_to_one
from derive.errors import DeriveError
from derive.model import (
    K,
    N,
    T,
    X,
    Y,
    b,
    c,
    dataset_loss,
    i,
    j,
    k,
    l,
    lam,
    m,
    n,
    nll,
    softmax,
    theta,
    x,
    y,
    z,
)

__all__ = ["CLAIMS", "J", "L", "get", "mutants", "names", "sigma"]

sigma = sp.IndexedBase("sigma")  # σ_k, or σ_{nk} = σ_k(x_n) for a dataset
L = sp.Symbol("L")  # per-sample loss
J = sp.Symbol("J")  # dataset loss
lse = sp.Symbol("lse")  # log Σ_c e^{z_c}
d = sp.KroneckerDelta
Sy = sums_to_one(y)
SY = sums_to_one(Y)


def _on_x(q):
    return softmax(q)


def _on_z(q):
    return softmax(q, logits=z)


def _on_xn(smp, q):
    return softmax(q, sample=smp)


# Each row: name, lhs, rhs, assumptions, definitions, source, description,
# {mutant label: (rhs, assumptions)} — a mutant keeps the claim's assumptions
# unless it names its own (the "without assumption" variants).
_TABLE = [
    (
        "softmax_jacobian_theta",
        sp.Derivative(sigma[k], theta[i, j]),
        x[i] * sigma[j] * (d(j, k) - sigma[k]),
        (),
        {sigma: _on_x},
        "seed 000, eq. (8)",
        "softmax Jacobian with respect to the weights",
        {
            "sign flip": (-x[i] * sigma[j] * (d(j, k) - sigma[k]), None),
            "σ_k for σ_j": (x[i] * sigma[k] * (d(j, k) - sigma[k]), None),
            "missing x_i": (sigma[j] * (d(j, k) - sigma[k]), None),
            "missing δ": (x[i] * sigma[j] * (1 - sigma[k]), None),
        },
    ),
    (
        "softmax_jacobian_logits",
        sp.Derivative(sigma[k], z[j]),
        sigma[k] * (d(j, k) - sigma[j]),
        (),
        {sigma: _on_z},
        "seed 004, §1.1",
        "softmax Jacobian with respect to the logits",
        {
            "sign flip": (-sigma[k] * (d(j, k) - sigma[j]), None),
            "missing δ": (sigma[k] * (1 - sigma[j]), None),
            "σ_j(1 − σ_j) for every k": (sigma[j] * (1 - sigma[j]), None),
        },
    ),
    (
        "logsumexp_grad",
        sp.Derivative(lse, z[k]),
        sigma[k],
        (),
        {sigma: _on_z, lse: lambda: sp.log(sp.Sum(sp.exp(z[c]), (c, 1, K)))},
        "seed 003, §2",
        "gradient of log-sum-exp is the softmax",
        {
            "missing normaliser": (sp.exp(z[k]), None),
            "σ_k(1 − σ_k)": (sigma[k] * (1 - sigma[k]), None),
        },
    ),
    (
        "nll_grad_logits",
        sp.Derivative(L, z[k]),
        sigma[k] - y[k],
        (Sy,),
        {sigma: _on_z, L: lambda: nll(logits=z)},
        "seed 002",
        "cross-entropy gradient with respect to the logits",
        {
            "sign flip": (y[k] - sigma[k], None),
            "σ_k − 1": (sigma[k] - 1, None),
            "without Σ_k y_k = 1": (sigma[k] - y[k], ()),
        },
    ),
    (
        "nll_grad_theta",
        sp.Derivative(L, theta[i, j]),
        (sigma[j] - y[j]) * x[i],
        (Sy,),
        {sigma: _on_x, L: lambda: nll()},
        "seed 001",
        "cross-entropy gradient with respect to the weights",
        {
            "sign flip": ((y[j] - sigma[j]) * x[i], None),
            "missing x_i": (sigma[j] - y[j], None),
            "without Σ_k y_k = 1": ((sigma[j] - y[j]) * x[i], ()),
        },
    ),
    (
        "mean_loss_grad",
        sp.Derivative(J, theta[i, j]),
        -sp.Sum(X[n, i] * (Y[n, j] - sigma[n, j]), (n, 1, N)) / N,
        (SY,),
        {sigma: _on_xn, J: lambda: dataset_loss(reduction="mean")},
        "seed 000, eq. (15)",
        "gradient of the mean cross-entropy over N samples",
        {
            "missing 1/N": (-sp.Sum(X[n, i] * (Y[n, j] - sigma[n, j]), (n, 1, N)), None),
            "sign flip": (sp.Sum(X[n, i] * (Y[n, j] - sigma[n, j]), (n, 1, N)) / N, None),
            "without Σ_k Y_nk = 1": (
                -sp.Sum(X[n, i] * (Y[n, j] - sigma[n, j]), (n, 1, N)) / N,
                (),
            ),
        },
    ),
    (
        "sum_loss_grad",
        sp.Derivative(J, theta[i, j]),
        sp.Sum(X[n, i] * (sigma[n, j] - Y[n, j]), (n, 1, N)),
        (SY,),
        {sigma: _on_xn, J: lambda: dataset_loss(reduction="sum")},
        "seed 003, §3",
        "gradient of the summed cross-entropy (no 1/N)",
        {
            "spurious 1/N": (sp.Sum(X[n, i] * (sigma[n, j] - Y[n, j]), (n, 1, N)) / N, None),
            "sign flip": (sp.Sum(X[n, i] * (Y[n, j] - sigma[n, j]), (n, 1, N)), None),
            "without Σ_k Y_nk = 1": (sp.Sum(X[n, i] * (sigma[n, j] - Y[n, j]), (n, 1, N)), ()),
        },
    ),
    (
        "mean_l2_loss_grad",
        sp.Derivative(J, theta[i, j]),
        sp.Sum(X[n, i] * (sigma[n, j] - Y[n, j]), (n, 1, N)) / N + 2 * lam * theta[i, j],
        (SY,),
        {sigma: _on_xn, J: lambda: dataset_loss(reduction="mean", l2=True)},
        "seed 004, §1.3",
        "gradient of the mean cross-entropy with L2 penalty λ‖θ‖²",
        {
            "λ for 2λ": (
                sp.Sum(X[n, i] * (sigma[n, j] - Y[n, j]), (n, 1, N)) / N + lam * theta[i, j],
                None,
            ),
            "missing 1/N": (
                sp.Sum(X[n, i] * (sigma[n, j] - Y[n, j]), (n, 1, N)) + 2 * lam * theta[i, j],
                None,
            ),
            "without Σ_k Y_nk = 1": (
                sp.Sum(X[n, i] * (sigma[n, j] - Y[n, j]), (n, 1, N)) / N
                + 2 * lam * theta[i, j],
                (),
            ),
        },
    ),
    (
        "nll_grad_theta_general_labels",
        sp.Derivative(L, theta[i, j]),
        (sigma[j] * sp.Sum(y[m], (m, 1, K)) - y[j]) * x[i],
        (),
        {sigma: _on_x, L: lambda: nll()},
        "seed 001 (before the one-hot step)",
        "cross-entropy gradient for labels that need not sum to one",
        {
            "(σ_j − y_j) x_i without Σ_k y_k = 1": ((sigma[j] - y[j]) * x[i], None),
            "sign flip": (-(sigma[j] * sp.Sum(y[m], (m, 1, K)) - y[j]) * x[i], None),
        },
    ),
    (
        "nll_grad_bias",
        sp.Derivative(L, b[j]),
        sigma[j] - y[j],
        (Sy,),
        {sigma: lambda q: softmax(q, bias=True), L: lambda: nll(bias=True)},
        "bias term of seed 004's model",
        "cross-entropy gradient with respect to the bias",
        {
            "sign flip": (y[j] - sigma[j], None),
            "missing σ_j": (-y[j], None),
            "without Σ_k y_k = 1": (sigma[j] - y[j], ()),
        },
    ),
    (
        "softmax_temperature_jacobian",
        sp.Derivative(sigma[k], z[j]),
        sigma[k] * (d(j, k) - sigma[j]) / T,
        (),
        {sigma: lambda q: softmax(q, logits=z, temperature=T)},
        "temperature-scaled softmax σ = softmax(z/T)",
        "softmax Jacobian with temperature",
        {
            "missing 1/T": (sigma[k] * (d(j, k) - sigma[j]), None),
            "T for 1/T": (sigma[k] * (d(j, k) - sigma[j]) * T, None),
            "sign flip": (-sigma[k] * (d(j, k) - sigma[j]) / T, None),
        },
    ),
    (
        "nll_hessian_theta",
        sp.Derivative(L, theta[i, j], theta[l, m]),
        x[i] * x[l] * sigma[j] * (d(j, m) - sigma[m]),
        (Sy,),
        {sigma: _on_x, L: lambda: nll()},
        "second derivative of seed 001's loss",
        "Hessian of the cross-entropy with respect to the weights",
        {
            "sign flip": (-x[i] * x[l] * sigma[j] * (d(j, m) - sigma[m]), None),
            "missing x_l": (x[i] * sigma[j] * (d(j, m) - sigma[m]), None),
            "without Σ_k y_k = 1": (x[i] * x[l] * sigma[j] * (d(j, m) - sigma[m]), ()),
        },
    ),
    (
        "nll_logit_grad_sums_to_zero",
        sp.Sum(sp.Derivative(L, z[k]), (k, 1, K)),
        sp.Integer(0),
        (),  # proved without Σ_k y_k = 1: Σ_k (σ_k Σ_c y_c − y_k) = 0 for any labels
        {L: lambda: nll(logits=z)},
        "consequence of seed 002",
        "the logit gradient sums to zero over the classes, for any labels",
        {
            "sums to one": (sp.Integer(1), None),
            "sums to Σ_k y_k": (sp.Sum(y[k], (k, 1, K)), None),
        },
    ),
]


def _build() -> tuple[list[Claim], list[Claim]]:
    claims, bad = [], []
    for name, lhs, rhs, assumptions, defs, source, description, wrong in _TABLE:
        claim = Claim(
            name=name,
            lhs=lhs,
            rhs=rhs,
            assumptions=assumptions,
            defs=defs,
            source=source,
            description=description,
        )
        claims.append(claim)
        for label, (mrhs, massume) in wrong.items():
            bad.append(
                replace(
                    claim,
                    name=f"{name} [{label}]",
                    rhs=mrhs,
                    assumptions=assumptions if massume is None else massume,
                    mutant_of=name,
                    description=label,
                )
            )
    return claims, bad


CLAIMS, _MUTANTS = _build()


def names() -> list[str]:
    return [c.name for c in CLAIMS]


def mutants(of: str | None = None) -> list[Claim]:
    """The wrong variants (all, or those of one claim)."""
    return [q for q in _MUTANTS if of is None or q.mutant_of == of]


def get(name: str) -> Claim:
    """The claim called ``name``; a :class:`DeriveError` lists the valid names otherwise.

    >>> get("nll_grad_bias").source
    "bias term of seed 004's model"
    """
    for claim in CLAIMS:
        if claim.name == name:
            return claim
    raise DeriveError(f"unknown claim {name!r}: expected one of {', '.join(names())}")
