"""``loss_and_grad`` on Dask arrays: the same proven block function per row chunk, a tree
reduction, on the local scheduler and on a LocalCluster of 2 worker processes."""

from __future__ import annotations

import numpy as np
import pytest

from derive.declare.numeric import assert_close, tolerance
from derive.errors import DeriveError
from derive.kernels import api, chunked
from derive.references import softmax as reference

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")


def _data(n=5000, d=20, k=4, dt=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)).astype(dt)
    y = rng.integers(0, k, n)
    W = (0.3 * rng.standard_normal((d, k))).astype(dt)
    return X, y, W, np.linspace(-1, 1, k).astype(dt)


CASES = [  # (chunks of X's rows, y as Dask?, bias, reduction, label rows?, dtype)
    (777, True, False, "mean", False, np.float64),
    (1000, False, True, "sum", False, np.float64),
    (5000, True, True, "mean", True, np.float32),   # one chunk
    (1, True, False, "mean", False, np.float64),    # chunks of one row (n = 50 then)
    (333, True, True, "sum", True, np.float32),
]


@pytest.mark.parametrize(("rows", "y_dask", "bias", "reduction", "dense", "dt"), CASES)
def test_local_scheduler_equals_in_memory(rows, y_dask, bias, reduction, dense, dt):
    n = 50 if rows == 1 else 5000
    X, y, W, b = _data(n=n, dt=dt)
    Y = np.eye(W.shape[1], dtype=dt)[y] if dense else y
    b = b if bias else None
    want = api.loss_and_grad(X, Y, W, lam=0.1, b=b, reduction=reduction)
    Yd = da.from_array(Y, chunks=(rows * 3, *Y.shape[1:])) if y_dask else Y  # other chunks
    got = api.loss_and_grad(da.from_array(X, chunks=(rows, 7)), Yd, W, lam=0.1, b=b,
                            reduction=reduction)
    assert len(got) == len(want) and all(isinstance(g, np.ndarray | np.generic) for g in got)
    for g, w in zip(got, want, strict=True):
        assert g.dtype == dt and g.shape == np.shape(w)
        assert_close(g, w, tolerance("reference", dt), "Dask vs in-memory")


def test_localcluster_two_worker_processes_equals_in_memory():
    X, y, W, b = _data(n=20000, d=30, k=5)
    want = api.loss_and_grad(X, y, W, lam=0.05, b=b)
    ref = (reference.loss(X, y, W, 0.05, b), reference.grad(X, y, W, 0.05, b),
           reference.grad_bias(X, y, W, b))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, memory_limit="1GB") as cluster, \
            distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        got = api.loss_and_grad(da.from_array(X, chunks=(1500, 30)),
                                da.from_array(y, chunks=1500), W, lam=0.05, b=b)
        # Both workers did chunks of this computation.
        ran = client.run(lambda dask_worker: len(dask_worker.data) + dask_worker.state.transition_counter)
        assert len(ran) == 2 and all(v > 0 for v in ran.values())
    for g, w, r in zip(got, want, ref, strict=True):
        assert_close(g, w, tolerance("reference", np.float64), "cluster vs in-memory")
        assert_close(g, r, tolerance("reference", np.float64), "cluster vs reference")


def test_rows_from_npy_reads_each_chunk_where_it_runs(tmp_path):
    X, y, W, _ = _data(n=3001)
    path = tmp_path / "x.npy"
    np.save(path, X)
    Xd = chunked.rows_from_npy(str(path), 1000)
    assert Xd.chunks[0] == (1000, 1000, 1000, 1) and Xd.dtype == X.dtype
    assert_close(api.loss_and_grad(Xd, y, W)[1], api.loss_and_grad(X, y, W)[1], 1e-12, "npy")


@pytest.mark.parametrize(("make", "match"), [
    (lambda X, y, W: (da.from_array(X), y, W.astype(np.float32)), r"W has dtype float32 but X has float64"),
    (lambda X, y, W: (da.from_array(X, chunks=100), y[:-1], W), r"y has shape \(4999,\)"),
    (lambda X, y, W: (da.from_array(X, chunks=1000), np.where(np.arange(5000) == 2500, 9, y), W), r"rows 2000\.\.2999 of the Dask arrays: y contains label 9"),
    (lambda X, y, W: (X, da.from_array(y), W), r"expected X as a Dask array too"),
    (lambda X, y, W: (da.from_array(np.where(X > 3, np.inf, X), chunks=1000), y, W), r"not finite"),
    (lambda X, y, W: (da.from_array(X.astype(int)), y, W), r"X has dtype int64"),
])
def test_bad_dask_input_is_a_derive_error(make, match):
    X, y, W, _ = _data()
    with pytest.raises(DeriveError, match=match):
        api.loss_and_grad(*make(X, y, W))
