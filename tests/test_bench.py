"""``derive bench``: every implementation in its own process, ratios from one run, and
the parent process left as found."""

from __future__ import annotations

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from derive.cli import main
from derive.kernels import bench


def test_each_implementation_runs_alone_and_ratios_come_from_one_run():
    before = [(i["filepath"], i["num_threads"]) for i in threadpool_info()]
    err = np.geterr()
    r = bench.run(n=600, d=8, ks=(3, 5), rounds=2, repeats=2, dtypes=("float32",),
                  impls=("generated", "numpy", "limit"))
    assert [(i["filepath"], i["num_threads"]) for i in threadpool_info()] == before
    assert np.geterr() == err
    assert [(row["dtype"], row["K"]) for row in r["runs"]] == [("float32", 3), ("float32", 5)]
    for row in r["runs"]:
        impls = row["impls"]
        assert set(impls) == {"generated", "numpy", "limit"}
        for v in impls.values():
            assert len(v["round_medians_ms"]) == 2 and v["min_ms"] <= v["ms"] <= v["max_ms"]
            assert v["blas_threads_unchanged"]
        g = impls["generated"]
        assert g["ratio_to_numpy"] == pytest.approx(g["ms"] / impls["numpy"]["ms"], rel=1e-2)
        assert g["ratio_to_limit"] == pytest.approx(g["ms"] / impls["limit"]["ms"], rel=1e-2)
        assert g["grad_rel_error"] < 1e-5  # float32 against the float64 reference
        lim = impls["limit"]
        # The limit is measured in the same run: max(bytes of X / bandwidth, FLOPs / rate).
        read_s, flop_s = lim["x_bytes"] / (lim["bandwidth_gbytes_per_s"] * 1e9), \
            lim["flops"] / (lim["gemm_gflops"] * 1e9)
        assert lim["ms"] == pytest.approx(max(read_s, flop_s) * 1e3, rel=0.5)
        assert lim["flops"] == 4 * 600 * 8 * row["K"] and lim["x_bytes"] == 600 * 8 * 4
        assert 0 < g["peak_extra_bytes"] and g["peak_extra_method"] == "tracemalloc"
    assert r["machine"]["cpu_count"] and r["versions"]["numpy"] == np.__version__
    assert "float32" not in r  # the report's flat rows are the K = 10 runs only
    start = r["startup"]
    assert start["python_c_import_numpy"]["ms"] > 0 and start["first_call_warm_cache"]["ms"] > 0
    assert start["sympy_imported_by_first_call"] is False
    assert "first call (warm cache" in bench.format_table(r)


def test_k2_is_binary_logistic_regression():
    out = bench.measure("generated", n=50, d=3, k=2, dtype="float64", repeats=1)
    assert out["note"] == "derive.kernels.loss_and_grad_binary" and out["grad_rel_error"] < 1e-12


def test_child_reports_a_missing_library_as_skipped(monkeypatch):
    def missing(X, y, W):
        raise ImportError("no", name="jax")

    monkeypatch.setitem(bench._IMPL_FNS, "jax", missing)
    out = bench.measure("jax", n=10, d=2, k=2, dtype="float64", repeats=1)
    assert out == {"impl": "jax", "skipped": "jax not installed (jax)"}


@pytest.mark.parametrize("argv", [["bench", "--k", "1"], ["bench", "--rounds", "0"]])
def test_bad_bench_arguments_are_derive_errors(argv, capsys):
    assert main(argv) != 0
    assert "expected" in capsys.readouterr().err


def test_warm_up_and_timed_calls_follow_one_rule_for_every_implementation(monkeypatch):
    # Two warm-up calls and `repeats` timed ones; a call slower than the budget is warmed
    # up once and timed once; a budget that allows two calls times two. Time is faked: each
    # call of `slow` "takes" its given seconds.
    clock = [0.0]
    monkeypatch.setattr(bench.time, "perf_counter", lambda: clock[0])

    def calls(cost):
        made = []

        def fn():
            made.append(cost)
            clock[0] += cost
        return fn, made

    fn, made = calls(0.1)
    assert len(bench._times(fn, 5, budget_s=6.0)) == 5 and len(made) == 7
    fn, made = calls(10.0)
    assert len(bench._times(fn, 5, budget_s=6.0)) == 1 and len(made) == 2
    fn, made = calls(2.5)
    assert len(bench._times(fn, 5, budget_s=6.0)) == 2 and len(made) == 4
    fn, made = calls(10.0)
    assert len(bench._times(fn, 3, budget_s=None)) == 3 and len(made) == 5


def test_the_reference_gradient_is_computed_once_per_run_and_checked(tmp_path, monkeypatch):
    X, y, W = bench._data(40, 3, 4, "float64", 0)
    from derive.references import softmax as reference

    good = (0.0, reference.grad(X, y, W))
    assert bench._grad_error(good, X, y, W, str(tmp_path)) < 1e-14
    assert len(list(tmp_path.iterdir())) == 1

    def again(*a):
        raise AssertionError("the reference was computed a second time")

    monkeypatch.setattr(bench, "_reference_grad", again)
    assert bench._grad_error(good, X, y, W, str(tmp_path)) < 1e-14  # read back
    bad = (0.0, good[1] * 1.01)  # a wrong gradient is still caught against the read one
    assert bench._grad_error(bad, X, y, W, str(tmp_path)) > 1e-3
