"""``derive bench``'s ``gemm_blocked``: the two products of every row block of derive's
driver, nothing else (what the BLAS calls of a fused call cost alone)."""

from __future__ import annotations

import numpy as np
import pytest

from derive.kernels import bench


@pytest.mark.parametrize("n, k", [(5000, 10), (5000, 2), (7, 3)])  # many blocks; binary; one
def test_blocked_gemms_cover_every_row_once(n, k):
    X, y, W = bench._data(n, 40, k, "float64", 0)
    call, note = bench._impl_gemm_blocked(X, y, W)
    W2 = W.reshape(40, -1)
    (got,) = call()
    # Σ_b (X_b W)ᵀ X_b = (X W)ᵀ X, kept transposed (K×D) as the fused kernels keep it.
    np.testing.assert_allclose(got, (X @ W2).T @ X, rtol=1e-12, atol=1e-12)
    assert "per block" in note


def test_blocked_gemms_are_timed_like_the_others():
    out = bench.measure("gemm_blocked", n=3000, d=20, k=10, dtype="float32", repeats=2)
    assert len(out["ms"]) == 2 and out["peak_extra_method"] == "tracemalloc"
    assert "grad_rel_error" not in out  # it computes no gradient


def test_every_row_is_divided_by_the_blocked_gemms_and_the_table_shows_it():
    row = {"dtype": "float64", "K": 10,
           "impls": {"generated": {"ms": 12.0}, "gemm_blocked": {"ms": 10.0},
                     "limit": {"ms": 4.0}}}
    bench._ratios(row)
    assert row["impls"]["generated"]["ratio_to_gemm_blocked"] == 1.2
    assert row["impls"]["gemm_blocked"]["ratio_to_limit"] == 2.5
    assert "/blkGEMM" in bench.format_table(
        {"machine": {"cpu": "c", "usable_cpus": 1, "load_average_at_start": None},
         "method": "m", "shape": {"N": 10, "D": 2}, "runs": [], "versions": {}, "notes": []})
