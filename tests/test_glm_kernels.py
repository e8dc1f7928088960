"""The canonical families' kernel rows take the fused block path: the loss's data term
``1ᵀ·(f(Z) − Y∘Z)·1`` is printed as one sum per block, and a call equals NumPy's."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive.declare.matrix import ElemExp
from derive.kernels.fuse import block_source


def test_a_sum_of_every_entry_is_one_block_term():
    N, D, K = sp.symbols("N D K", integer=True, positive=True)
    X, W, Y = sp.MatrixSymbol("X", N, D), sp.MatrixSymbol("W", D, K), sp.MatrixSymbol("Y", N, K)
    Z = X * W
    body = sp.OneMatrix(1, N) * (ElemExp(Z) - sp.HadamardProduct(Y, Z)) * sp.OneMatrix(K, 1)
    src, transposed = block_source("_b", ["X", "Y", "W"], [body])
    assert "_acc_add(acc, 0, numpy.sum(" in src and transposed == []
    ns = {"numpy": np}
    from derive.kernels import runtime
    ns.update({k: getattr(runtime, k) for k in dir(runtime) if k.startswith("_")})
    exec(src, ns)  # our own generated source
    rng = np.random.default_rng(0)
    Xv, Wv, Yv = rng.standard_normal((6, 3)), rng.standard_normal((3, 2)), rng.random((6, 2))

    class Work:  # the workspace the driver passes: fresh buffers are fine here
        def get(self, slot, r, c):
            return np.empty((r, c))

        def like(self, slot, a):
            return np.empty_like(a)

    acc = [None]
    ns["_b"](Work(), acc, Xv, Yv, Wv)
    Zv = Xv @ Wv
    assert acc[0].item() == pytest.approx(float((np.exp(Zv) - Yv * Zv).sum()), rel=1e-12)


@pytest.mark.parametrize("name", ["loss_and_grad_poisson", "loss_and_grad_lsq",
                                  "loss_and_grad_multilabel"])
def test_every_variant_is_a_fused_block(name):
    from derive.kernels.generate import module_source

    src = module_source()
    for tag in ("mean", "bias_mean", "sum", "bias_sum"):
        assert f"def _block_{name}__{tag}(ws, acc," in src
