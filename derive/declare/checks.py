"""The numeric checks of softmax's and logistic's kernels (``derive kernels --check``,
the report's check table): each kernel's output against the hand-written NumPy reference
(:mod:`derive.references`), central differences of the kernel's own loss and the complex
step of a plain formula, one table row per output and dtype (``row``); and logistic's
``derive bench`` entry. A family names them in its ``Kernel(checks=..., bench=...)``; the
kernels layer calls them with the dtype and the generated API.
"""

from __future__ import annotations

import numpy

__all__ = ["bench_binary", "binary_hvp", "binary_loss_and_grad", "softmax_hvp",
           "softmax_jacobian", "softmax_loss_and_grad"]


def softmax_loss_and_grad(dt, api) -> list[dict]:
    """The table's rows for ``loss_and_grad`` (``dJ/dW``, ``dJ/db``) in dtype ``dt``."""
    from derive.declare.numeric import (
        CS_STEP,
        FD_STEP,
        central_difference,
        complex_step,
        problem,
        rel_error,
        row,
    )
    from derive.references import softmax as reference

    X, y, W, b_, _ = problem(dt)
    h, hc, lam_ = FD_STEP[dt.name], CS_STEP[dt.name], 0.1
    _, g = api.loss_and_grad(X, y, W, lam=lam_)
    _, _, gb = api.loss_and_grad(X, y, W, lam=lam_, b=b_)
    return [
        row("loss_and_grad: dJ/dW", dt,
            rel_error(g, reference.grad(X, y, W, lam_)),
            rel_error(g, central_difference(
                lambda w_: api.loss_and_grad(X, y, w_, lam=lam_)[0], W, h)),
            rel_error(g, complex_step(
                lambda w_: reference.loss(X.astype(w_.dtype), y, w_, lam_), W, hc))),
        row("loss_and_grad: dJ/db", dt,
            rel_error(gb, reference.grad_bias(X, y, W, b_)),
            rel_error(gb, central_difference(
                lambda v_: api.loss_and_grad(X, y, W, lam=lam_, b=v_)[0], b_, h)),
            rel_error(gb, complex_step(
                lambda v_: reference.loss(X.astype(v_.dtype), y, W.astype(v_.dtype), lam_, v_),
                b_, hc))),
    ]


def softmax_hvp(dt, api) -> list[dict]:
    from derive.declare.numeric import (
        CS_STEP,
        FD_STEP,
        directional,
        directional_cs,
        problem,
        rel_error,
        row,
    )
    from derive.references import softmax as reference

    X, y, W, _, V_ = problem(dt)
    h, hc, lam_ = FD_STEP[dt.name], CS_STEP[dt.name], 0.1
    hv = api.hvp(X, W, V_, lam=lam_)
    return [row(
        "hvp", dt,
        rel_error(hv, reference.hvp(X, W, V_, lam_)),
        rel_error(hv, directional(
            lambda s: api.loss_and_grad(X, y, W + s * V_, lam=lam_)[1], h, dt)),
        rel_error(hv, directional_cs(
            lambda s: reference.grad(X.astype(s.dtype), y, W + s * V_, lam_), hc, dt)),
    )]


def _softmax_row(z_):
    e = numpy.exp(z_ - z_.real.max())
    return e / e.sum()


def softmax_jacobian(dt, api) -> list[dict]:
    from derive.declare.numeric import CS_STEP, FD_STEP, problem, rel_error, row
    from derive.references import softmax as reference

    X, _, W, _, _ = problem(dt)
    h, hc = FD_STEP[dt.name], CS_STEP[dt.name]
    Z = (X @ W).astype(dt)
    ctype = numpy.complex64 if dt == numpy.float32 else numpy.complex128

    def fd(z_):
        eye = numpy.eye(z_.size, dtype=z_.dtype) * z_.dtype.type(h)
        return numpy.stack([(_softmax_row(z_ + e).astype(numpy.float64) - _softmax_row(z_ - e))
                            / (2 * h) for e in eye], axis=1)

    def cs(z_):
        eye = numpy.eye(z_.size) * 1j * hc
        return numpy.stack([numpy.imag(_softmax_row(z_.astype(ctype) + e.astype(ctype))) / hc
                            for e in eye], axis=1)

    J_ = api.softmax_jacobian(Z)
    return [row(
        "softmax_jacobian", dt,
        rel_error(J_, reference.jacobian(Z)),
        rel_error(J_, numpy.stack([fd(z_) for z_ in Z])),
        rel_error(J_, numpy.stack([cs(z_) for z_ in Z])),
    )]


def _problem(dt, n: int = 7, d: int = 5, seed: int = 0):
    rng = numpy.random.default_rng(seed)
    X_ = rng.standard_normal((n, d)).astype(dt)
    y_ = rng.integers(0, 2, n)
    w_ = (0.5 * rng.standard_normal(d)).astype(dt)
    v_ = rng.standard_normal(d).astype(dt)
    return X_, y_, w_, dt.type(0.3), v_


# For the complex step: the loss and gradient written plainly (no stabilising branch, so
# they stay holomorphic), in NumPy, from the formulas above, not from the matrix forms.
def _loss_c(X_, y_, w_, lam_, b_=0.0):
    t_ = X_ @ w_ + b_
    return numpy.mean(numpy.log(1 + numpy.exp(t_)) - y_ * t_) + lam_ * (w_ * w_).sum()


def _grad_c(X_, y_, w_, lam_):
    return X_.T @ (1 / (1 + numpy.exp(-(X_ @ w_))) - y_) / X_.shape[0] + 2 * lam_ * w_


def binary_loss_and_grad(dt, api) -> list[dict]:
    from derive.declare.numeric import (
        CS_STEP,
        FD_STEP,
        central_difference,
        complex_step,
        rel_error,
        row,
    )
    from derive.references import logistic as ref

    X_, y_, w_, b_, _ = _problem(dt)
    h, hc, lam_ = FD_STEP[dt.name], CS_STEP[dt.name], 0.1
    k = api.loss_and_grad_binary
    _, g = k(X_, y_, w_, lam=lam_)
    _, _, gb = k(X_, y_, w_, lam=lam_, b=b_)
    return [
        row("loss_and_grad_binary: dJ/dw", dt,
            rel_error(g, ref.grad(w_, 0.0, X_, y_, lam_)[0]),
            rel_error(g, central_difference(lambda u: k(X_, y_, u, lam=lam_)[0], w_, h)),
            rel_error(g, complex_step(lambda u: _loss_c(X_, y_, u, lam_), w_, hc))),
        row("loss_and_grad_binary: dJ/db", dt,
            rel_error(gb, ref.grad(w_, b_, X_, y_, lam_)[1]),
            rel_error(gb, central_difference(
                lambda u: k(X_, y_, w_, lam=lam_, b=u[0])[0], numpy.array([b_]), h)),
            rel_error(gb, complex_step(
                lambda u: _loss_c(X_, y_, w_, lam_, u[0]), numpy.array([b_]), hc))),
    ]


def binary_hvp(dt, api) -> list[dict]:
    from derive.declare.numeric import CS_STEP, FD_STEP, directional, directional_cs, rel_error, row
    from derive.references import logistic as ref

    X_, y_, w_, _, v_ = _problem(dt)
    h, hc, lam_ = FD_STEP[dt.name], CS_STEP[dt.name], 0.1
    hv = api.hvp_binary(X_, w_, v_, lam=lam_)
    return [row(
        "hvp_binary", dt,
        rel_error(hv, ref.hvp(w_, 0.0, X_, y_, v_, 0.0, lam_)[0]),
        rel_error(hv, directional(
            lambda s: api.loss_and_grad_binary(X_, y_, w_ + s * v_, lam=lam_)[1], h, dt)),
        rel_error(hv, directional_cs(lambda s: _grad_c(X_, y_, w_ + s * v_, lam_), hc, dt)),
    )]


def bench_binary(*, n: int, d: int, k: int, dtype, seed: int, api):
    """``derive bench --kernel loss_and_grad_binary``: the generated kernel and the hand
    NumPy a user would write (mean loss and gradient, logits once, in the input dtype)."""

    rng = numpy.random.default_rng(seed)
    X_ = rng.standard_normal((n, d), dtype=numpy.float32).astype(dtype, copy=False)
    y_ = rng.integers(0, 2, n)
    w_ = (0.01 * rng.standard_normal(d)).astype(dtype)
    from derive.references import logistic as ref

    impls = {
        "generated": (lambda: api.loss_and_grad_binary(X_, y_, w_),
                      "derive.kernels.loss_and_grad_binary"),
        "numpy": (lambda: ref.loss_and_grad(X_, y_, w_),
                  "derive.references.logistic.loss_and_grad (hand NumPy, input dtype)"),
    }
    return impls, X_
