"""Hand-written NumPy references, independent of derive's algebra and evaluator.

Each entry computes a catalogue claim's left-hand side at concrete values by central
finite differences of a plain NumPy function (0-based arrays, 1-based indices).
"""

from __future__ import annotations

import numpy as np


def softmax(v: np.ndarray, axis: int = -1) -> np.ndarray:
    e = np.exp(v - v.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def fd(f, P: dict, name: str, idx: tuple, h: float = 1e-6) -> float:
    """Central difference of f(P) in entry ``idx`` (1-based) of P[name]."""
    arr = P[name]
    pos = tuple(q - 1 for q in idx)
    old = arr[pos]
    arr[pos] = old + h
    fp = f(P)
    arr[pos] = old - h
    fm = f(P)
    arr[pos] = old
    return (fp - fm) / (2 * h)


def fd2(f, P, a, ia, b, ib, h=1e-4):
    return fd(lambda Q: fd(f, Q, a, ia, h), P, b, ib, h)


def nll(P, z):
    return -np.sum(P["y"] * np.log(softmax(z)))


def J(P, mean=True, l2=False):
    S = softmax(P["X"] @ P["theta"], axis=1)
    val = -np.sum(P["Y"] * np.log(S))
    val = val / P["X"].shape[0] if mean else val
    return val + (P["lambda"] * np.sum(P["theta"] ** 2) if l2 else 0.0)


# claim name -> lhs(P, ix) with ix the 1-based free index values
LHS = {
    "softmax_jacobian_theta": lambda P, ix: fd(
        lambda Q: softmax(Q["x"] @ Q["theta"])[ix["k"] - 1], P, "theta", (ix["i"], ix["j"])
    ),
    "softmax_jacobian_logits": lambda P, ix: fd(
        lambda Q: softmax(Q["z"])[ix["k"] - 1], P, "z", (ix["j"],)
    ),
    "logsumexp_grad": lambda P, ix: fd(
        lambda Q: np.log(np.sum(np.exp(Q["z"]))), P, "z", (ix["k"],)
    ),
    "nll_grad_logits": lambda P, ix: fd(lambda Q: nll(Q, Q["z"]), P, "z", (ix["k"],)),
    "nll_grad_theta": lambda P, ix: fd(
        lambda Q: nll(Q, Q["x"] @ Q["theta"]), P, "theta", (ix["i"], ix["j"])
    ),
    "mean_loss_grad": lambda P, ix: fd(J, P, "theta", (ix["i"], ix["j"])),
    "sum_loss_grad": lambda P, ix: fd(lambda Q: J(Q, mean=False), P, "theta", (ix["i"], ix["j"])),
    "mean_l2_loss_grad": lambda P, ix: fd(
        lambda Q: J(Q, l2=True), P, "theta", (ix["i"], ix["j"])
    ),
    "nll_grad_theta_general_labels": lambda P, ix: fd(
        lambda Q: nll(Q, Q["x"] @ Q["theta"]), P, "theta", (ix["i"], ix["j"])
    ),
    "nll_grad_bias": lambda P, ix: fd(
        lambda Q: nll(Q, Q["x"] @ Q["theta"] + Q["b"]), P, "b", (ix["j"],)
    ),
    "softmax_temperature_jacobian": lambda P, ix: fd(
        lambda Q: softmax(Q["z"] / Q["T"])[ix["k"] - 1], P, "z", (ix["j"],)
    ),
    "nll_hessian_theta": lambda P, ix: fd2(
        lambda Q: nll(Q, Q["x"] @ Q["theta"]), P, "theta", (ix["i"], ix["j"]),
        "theta", (ix["l"], ix["m"]),
    ),
    "nll_logit_grad_sums_to_zero": lambda P, ix: sum(
        fd(lambda Q: nll(Q, Q["z"]), P, "z", (q,)) for q in range(1, len(P["z"]) + 1)
    ),
}
