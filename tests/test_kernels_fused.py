"""The fused pass: one row block at a time, in the worker's preallocated buffers, in the
dtype of X, and the same answer however the rows are blocked or split over workers."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from derive.kernels import api, bundle, driver, runtime
from derive.references import softmax as reference


@pytest.fixture(autouse=True)
def _no_engine(monkeypatch):
    monkeypatch.setattr(api, "proof_gate", lambda links: None)


def _problem(n, d=60, k=10, dt=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)).astype(dt)
    return X, rng.integers(0, k, n), (0.1 * rng.standard_normal((d, k))).astype(dt)


def _peak(call) -> int:
    call()  # thread pool, generated module, first-call caches
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_extra_memory_is_block_sized_not_row_sized(dt):
    # Peak extra memory ≤ 2·(N·K + block·D) elements, and it does not grow with N: every
    # N×K value lives in a block-sized buffer taken once per worker.
    d, k = 60, 10
    block = runtime.block_rows_for(d, np.dtype(dt).itemsize, driver._BUDGET[np.dtype(dt).name])
    peaks = {}
    for n in (8 * block, 32 * block):
        X, y, W = _problem(n, d, k, dt)
        peaks[n] = _peak(lambda X=X, y=y, W=W: api.loss_and_grad(X, y, W, b=np.zeros(k, dt)))
        bound = 2 * (n * k + block * d) * np.dtype(dt).itemsize
        assert peaks[n] <= bound, (n, peaks[n], bound)
    small, large = peaks.values()
    assert large < 1.5 * small + 64 * 1024, peaks


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_float32_stays_float32_and_blocks_agree(dt, monkeypatch):
    X, y, W = _problem(5000, dt=dt)
    loss, g = api.loss_and_grad(X, y, W, lam=0.1)
    assert g.dtype == dt and np.asarray(loss).dtype == dt
    want = reference.grad(X.astype(np.float64), y, W.astype(np.float64), 0.1)
    tol = 1e-12 if dt == np.float64 else 1e-5
    assert np.abs(g - want).max() / np.abs(want).max() <= tol
    # A block size that leaves a remainder block, on one worker and on three. The calls
    # run the generated module's own copy of the driver and runtime: patch that copy (a
    # patch of derive.kernels.driver would leave the calls' blocking unchanged).
    mod = bundle.module()
    monkeypatch.setitem(mod._BUDGET, np.dtype(dt).name, 9 * 60 * np.dtype(dt).itemsize)
    seen = []
    real = mod._run_range
    monkeypatch.setattr(mod, "_run_range", lambda *a: seen.append(a[4:7]) or real(*a))
    grads = []
    for workers in (1, 2, 3):
        seen.clear()
        monkeypatch.setattr(mod, "worker_count", lambda w=workers: w)
        loss2, g2 = api.loss_and_grad(X, y, W, lam=0.1)
        assert np.abs(g2 - want).max() / np.abs(want).max() <= tol
        assert abs(float(loss2) - float(loss)) <= tol * abs(float(loss))
        # 556 blocks of 9 rows in RANGES contiguous ranges, whatever the workers
        assert len(seen) == mod.RANGES and {step for *_, step in seen} == {9}, seen
        assert sorted(seen)[0][0] == 0 and sorted(seen)[-1][1] == 5000 and 5000 % 9
        grads.append((float(loss2), g2))
    # The same bits on 1, 2 or 3 workers: ranges summed in range order, not finish order.
    assert all(lo == grads[0][0] and np.array_equal(g, grads[0][1]) for lo, g in grads)


def test_exp_of_a_log_softmax_is_its_kept_quotient_not_a_second_exp():
    # exp(log_softmax(A)) is printed as exp(A − m)/s from the buffers the log-softmax
    # helper kept (one exp per entry); exp of anything else stays an exp.
    import sympy as sp

    from derive.kernels.fuse import block_source
    from derive.kernels.matrix import ElemExp, LogSoftmax, OneHot

    n, d, k = sp.symbols("N D K", integer=True, positive=True)
    X, W = sp.MatrixSymbol("X", n, d), sp.MatrixSymbol("W", d, k)
    t = sp.Symbol("t")
    logp = LogSoftmax(X * W)
    src, _ = block_source("_b", ["X", "t", "W"], [
        sp.Trace(logp * OneHot(t, n, k).T), X.T * ElemExp(logp), X.T * ElemExp(X * W)])
    assert src.count("_softmax_kept(") == 1 and src.count("numpy.exp(") == 1, src
    key = src.split("_log_softmax_(")[1].split(")")[0].split(", ")[-1]
    assert f"ws, {key})" in src.split("_softmax_kept(")[1], src  # the same node's buffers
    ns = {"numpy": np, **{n: getattr(runtime, n) for n in dir(runtime) if n.startswith("_")}}
    exec(src, ns)
    rng = np.random.default_rng(3)
    Xv, Wv, tv = rng.standard_normal((9, 4)), rng.standard_normal((4, 3)), rng.integers(0, 3, 9)
    acc = [None] * 3
    ws = runtime.Workspace(np.float64)
    for lo in (0, 5):  # two blocks of different heights share the workspace
        ns["_b"](ws, acc, Xv[lo:lo + 5], tv[lo:lo + 5], Wv)
    z = Xv @ Wv
    p = np.exp(z - z.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    np.testing.assert_allclose(acc[0], np.log(p)[np.arange(9), tv].sum(), rtol=1e-13)
    np.testing.assert_allclose(acc[1].T, Xv.T @ p, rtol=1e-13)
    np.testing.assert_allclose(acc[2].T, Xv.T @ np.exp(z), rtol=1e-13)


def test_every_softmax_loss_block_takes_one_exp_per_entry():
    mod = bundle.module()
    blocks = [e["block"] for (name, _), e in mod.TABLE.items() if name == "loss_and_grad"]
    assert len(blocks) == 8
    for block in blocks:  # the names a block's code calls: the helper, no second numpy.exp
        names = block.__code__.co_names
        assert "_softmax_kept" in names and "exp" not in names, (block.__name__, names)


def test_the_unfused_product_helper_is_not_shadowed_by_the_fused_one():
    # The unfused printer writes _mm(A, B) (derive/kernels/matrix.py), the fused one
    # _mm_into(A, B, out): in the generated module (runtime, then generated code) both
    # names must still be the helpers they print.
    mod = bundle.module()
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((5, 4)), rng.standard_normal((4, 3))
    np.testing.assert_allclose(mod._mm(a, b), a @ b, rtol=1e-14)
    out = np.empty((5, 3))
    assert mod._mm_into(a, b, out) is out
    np.testing.assert_allclose(out, a @ b, rtol=1e-14)
