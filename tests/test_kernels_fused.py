"""The fused pass: one row block at a time, in the worker's preallocated buffers, in the
dtype of X, and the same answer however the rows are blocked or split over workers."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from derive.kernels import api, driver, runtime
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
    # A block size that leaves a remainder block, on one worker and on three.
    monkeypatch.setitem(driver._BUDGET, np.dtype(dt).name, 7 * 60 * np.dtype(dt).itemsize)
    for workers in (1, 3):
        monkeypatch.setattr(runtime, "worker_count", lambda w=workers: w)
        loss2, g2 = api.loss_and_grad(X, y, W, lam=0.1)
        assert np.abs(g2 - want).max() / np.abs(want).max() <= tol
        assert abs(float(loss2) - float(loss)) <= tol * abs(float(loss))


def test_a_workspace_buffer_is_taken_once_and_reused():
    ws = runtime.Workspace(np.float32)
    a = ws.get(0, 100, 10)
    b = ws.get(0, 37, 10)  # the remainder block: a view of the same buffer
    assert a.dtype == np.float32 and b.base is a.base and b.shape == (37, 10)
    assert ws.get(0, 200, 10).shape == (200, 10)  # a taller block gets a new one
