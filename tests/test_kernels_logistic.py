"""The logistic family's kernels (declared in derive/models/logistic.py), against the hand
NumPy reference derive/references/logistic.py: numerics with the proof gate replaced by a
recorder, the gate itself, bad input, stability, the Dask path."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derive.declare.numeric import assert_close, tolerance
from derive.errors import DeriveError
from derive.kernels import api, links
from derive.references import logistic as ref

GATED: list[tuple[str, ...]] = []


@contextlib.contextmanager
def _recorder():
    real = api.proof_gate
    api.proof_gate = lambda ls: GATED.append(tuple(x.name for x in ls))
    try:
        yield
    finally:
        api.proof_gate = real


@pytest.fixture
def no_engine():
    with _recorder():
        yield


def _data(n, d, dt, seed=0, labels="int"):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)).astype(dt)
    y = {"int": lambda: rng.integers(0, 2, n), "bool": lambda: rng.integers(0, 2, n) == 1,
         "prob": lambda: rng.random(n).astype(dt)}[labels]()
    w = (0.7 * rng.standard_normal(d)).astype(dt)
    return X, y, w


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 12), d=st.integers(1, 6), dt=st.sampled_from([np.float64, np.float32]),
       lam=st.sampled_from([0.0, 0.3]), seed=st.integers(0, 99),
       reduction=st.sampled_from(["mean", "sum"]), bias=st.booleans(),
       labels=st.sampled_from(["int", "bool", "prob"]))
def test_generated_equals_hand_reference(n, d, dt, lam, seed, reduction, bias, labels):
    X, y, w = _data(n, d, dt, seed, labels)
    b = dt(0.4) if bias else None
    with _recorder():
        out = api.loss_and_grad_binary(X, y, w, lam=lam, b=b, reduction=reduction)
    assert len(out) == (3 if bias else 2) and all(np.asarray(o).dtype == dt for o in out)
    assert out[1].shape == w.shape and np.ndim(out[0]) == 0
    tol = tolerance("reference", dt)
    b0 = 0.0 if b is None else float(b)
    X64, w64, y64 = X.astype(np.float64), w.astype(np.float64), y.astype(np.float64)
    t = ref.logits(w64, b0, X64)
    r = ref.sigmoid(t) - y64
    # A sum of rows may cancel to far below its terms; the rounding of float32 is relative
    # to the terms, so each value is held to tol times the larger of itself and its terms.
    _near(out[0], ref.loss(w64, b0, X64, y64, lam, reduction), ref.bce(t, y64), tol, "loss")
    gw, gb = ref.grad(w64, b0, X64, y64, lam, reduction)
    _near(out[1], gw, X64 * r[:, None], tol, "dJ/dw")
    if bias:
        _near(out[2], gb, r, tol, "dJ/db")


def _near(got, want, terms, tol, what):
    scale = max(float(np.abs(want).max()), float(np.abs(terms).mean()), 1e-300)
    err = float(np.abs(np.asarray(got, dtype=np.float64) - want).max()) / scale
    assert err <= tol, f"{what}: {got} vs {want}: error {err:.3g} relative to {scale:.3g}"


@settings(max_examples=20, deadline=None)
@given(n=st.integers(1, 12), d=st.integers(1, 6), dt=st.sampled_from([np.float64, np.float32]),
       seed=st.integers(0, 99))
def test_hvp_equals_hand_reference(n, d, dt, seed):
    X, y, w = _data(n, d, dt, seed)
    v = np.random.default_rng(seed + 1).standard_normal(d).astype(dt)
    with _recorder():
        hv = api.hvp_binary(X, w, v, lam=0.3)
    assert hv.dtype == dt and hv.shape == (d,)
    want = ref.hvp(w.astype(np.float64), 0.0, X.astype(np.float64), y, v.astype(np.float64),
                   0.0, 0.3)[0]
    assert_close(hv, want, tolerance("reference", dt), "H·v")


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_stable_for_logits_of_1e4(no_engine, dt):
    X = np.array([[1.0], [-1.0], [1.0]], dtype=dt)
    w = np.array([1e4], dtype=dt)  # logits 1e4, -1e4, 1e4
    y = np.array([0, 0, 1])
    loss, g = api.loss_and_grad_binary(X, y, w, reduction="sum")
    # Row 1: label 0 at logit 1e4 costs 1e4; rows 2 and 3 are right and cost ~0.
    assert np.isfinite(loss) and np.isfinite(g).all()
    assert_close(loss, np.float64(1e4), tolerance("reference", dt), "loss at |t| = 1e4")
    assert_close(g, np.array([1.0]), tolerance("reference", dt), "dJ/dw at |t| = 1e4")
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):  # textbook: log(0)
        s = 1 / (1 + np.exp(-(X @ w)))
        assert not np.isfinite(-(y * np.log(s) + (1 - y) * np.log(1 - s)).sum())


X0, Y0, W0 = _data(4, 3, np.float64)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"X": X0.tolist()}, r"X is a list: expected a numpy.ndarray"),
    ({"X": X0.astype(np.int64)}, r"X has dtype int64: expected float32 or float64"),
    ({"X": np.empty((0, 3))}, r"X is empty"),
    ({"w": W0.astype(np.float32)}, r"w has dtype float32 but X has float64"),
    ({"w": W0[:2]}, r"w has shape \(2,\): expected \(3,\)"),
    ({"w": W0[:, None]}, r"w has shape \(3, 1\): expected 1 dimensions"),
    ({"w": np.array([np.nan, 0, 0])}, r"w contains NaN"),
    ({"w": np.empty(0)}, r"w is empty"),
    ({"y": Y0[:3]}, r"y has shape \(3,\): expected \(4,\)"),
    ({"y": Y0 + 1}, r"y contains label 2: expected labels 0 or 1"),
    ({"y": np.array([0.2, 1.5, 0.0, 1.0])}, r"y contains 1.5: expected probabilities in \[0, 1\]"),
    ({"y": np.array([0.2, np.nan, 0.0, 1.0])}, r"y contains NaN or inf"),
    ({"y": np.array(["a", "b", "c", "d"])}, r"y has dtype <U1"),
    ({"y": [0, 1, 0, 1]}, r"y is a list"),
    ({"lam": -1.0}, r"lam is -1.0: expected a finite real number >= 0"),
    ({"b": np.zeros(2)}, r"b is a ndarray: expected a real number or None"),
    ({"b": np.inf}, r"b is inf: expected a finite real number"),
    ({"b": True}, r"b is a bool"),
    ({"reduction": "max"}, r"reduction='max': expected 'mean' or 'sum'"),
])
def test_bad_input_is_a_derive_error_naming_it(no_engine, kwargs, match):
    args = {"X": X0, "y": Y0, "w": W0, **kwargs}
    extra = {k: args.pop(k) for k in ("lam", "b", "reduction") if k in args}
    with pytest.raises(DeriveError, match=match):
        api.loss_and_grad_binary(args["X"], args["y"], args["w"], **extra)


def test_bad_input_to_hvp_and_overflow(no_engine):
    with pytest.raises(DeriveError, match=r"v has shape \(2,\): expected \(3,\)"):
        api.hvp_binary(X0, W0, W0[:2])
    X = X0.copy()
    X[1, 1] = np.nan
    with pytest.raises(DeriveError, match=r"X contains NaN"):
        api.loss_and_grad_binary(X, Y0, W0)
    with pytest.raises(DeriveError, match=r"logits X·w overflow float64"):
        api.loss_and_grad_binary(np.full((2, 1), 1e200), np.array([0, 1]), np.array([1e200]))


def test_each_call_passes_the_gate_of_its_variant(no_engine):
    GATED.clear()
    api.loss_and_grad_binary(X0, Y0, W0, b=0.1, reduction="sum")
    api.hvp_binary(X0, W0, W0)
    # a sum over row blocks is also gated on the blocking identity (row_blocks)
    assert GATED == [("binary_loss_sum_bias", "binary_grad_w_sum_bias", "binary_grad_b_sum_bias",
                      "row_blocks"),
                     ("binary_hvp_mean", "row_blocks")]


def test_the_real_gate_offers_the_kernel_exactly_when_its_links_are_proved():
    # No result is assumed: the engine's verdicts decide, and the kernel follows them.
    variant = links.gate_links("loss_and_grad_binary", {"reduction": "mean", "bias": False})
    proved = all(links.check(link.name).proved for link in variant)
    if proved:
        loss, _ = api.loss_and_grad_binary(X0, Y0, W0)
        assert_close(loss, ref.loss(W0, 0.0, X0, Y0), 1e-12, "loss")
    else:
        with pytest.raises(DeriveError, match=r"'loss_and_grad_binary' not offered: .* is "
                                              r"(unknown|refuted), expected proved"):
            api.loss_and_grad_binary(X0, Y0, W0)


def test_the_loss_links_are_proved():
    # The loss form reads log σ and log(1 − σ) exactly as the model writes them.
    for name in ("binary_loss_mean", "binary_loss_sum_bias"):
        assert links.check(name).verdict.status == "proved", name


def _mutants():
    import sympy as sp

    from derive.models import logistic as fam

    z, s, u = fam.Xm * fam.wm, fam.Sigmoid(fam.Xm * fam.wm), fam.Xm * fam.vm
    two_lam_w = 2 * fam.lam * fam.wm
    return [
        ("binary_loss_mean", lambda f: f * 2),
        ("binary_grad_w_mean", lambda f: -f),
        ("binary_grad_w_mean", lambda f: fam.Xm.T * (fam.Sigmoid(-z) - fam.ym) / fam.N + two_lam_w),
        ("binary_grad_w_mean", lambda f: fam.Xm.T * (s - fam.ym) / fam.N + fam.lam * fam.wm),
        ("binary_grad_w_mean", lambda f: fam.Xm.T * (s - fam.ym) + two_lam_w),
        ("binary_grad_b_mean_bias", lambda f: 2 * f),
        ("binary_hvp_mean", lambda f: fam.Xm.T * sp.HadamardProduct(s, u) / fam.N
         + 2 * fam.lam * fam.vm),  # s for s(1 − s)
    ]


@pytest.mark.parametrize(("name", "mutate"), _mutants(),
                         ids=["loss x2", "grad sign", "sigmoid(-z)", "lam for 2lam", "no 1/N",
                              "grad_b x2", "hvp without (1-s)"])
def test_a_wrong_form_is_not_proved(name, mutate):
    good = links.LINKS[name]
    wrong = links.Link(good.name + "_mutant", good.kernel, good.output, mutate(good.form),
                       good.indices, good.target, good.claim, good.statement)
    assert links._prove(wrong).verdict.status != "proved"


def test_dask_rows_match_memory(no_engine):
    da = pytest.importorskip("dask.array")
    X, y, w = _data(5000, 7, np.float64, labels="prob")
    for bias in (None, 0.2):
        want = api.loss_and_grad_binary(X, y, w, lam=0.1, b=bias)
        got = api.loss_and_grad_binary(da.from_array(X, chunks=(1200, 7)),
                                       da.from_array(y, chunks=900), w, lam=0.1, b=bias)
        assert len(got) == len(want) and all(isinstance(g, np.ndarray | np.floating) for g in got)
        for g, e in zip(got, want, strict=True):
            assert_close(g, e, 1e-12, "dask vs memory")
    bad = np.where(np.arange(5000) == 2500, 3, (y > 0.5).astype(int))
    with pytest.raises(DeriveError, match=r"rows 2400\.\.3599 of the Dask arrays: y contains"):
        api.loss_and_grad_binary(da.from_array(X, chunks=(1200, 7)), bad, w)


RUNNER = """
import importlib.util, json, sys
sys.modules["sympy"] = None   # any import of sympy or derive now fails
sys.modules["derive"] = None
spec = importlib.util.spec_from_file_location("kern", sys.argv[1])
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
import numpy as np
d = np.load(sys.argv[2])
loss, gw, gb = mod.loss_and_grad_binary(d["X"], d["y"], d["w"], lam=0.1, b=0.3)
hv = mod.hvp_binary(d["X"], d["w"], d["w"])
print(json.dumps({"loss": float(loss), "gw": gw.tolist(), "gb": float(gb), "hv": hv.tolist()}))
"""


def test_the_module_with_every_kernel_runs_the_logistic_ones_alone(tmp_path):
    from derive.kernels.generate import module_source

    (tmp_path / "k.py").write_text(module_source(), encoding="utf-8")
    (tmp_path / "run.py").write_text(RUNNER, encoding="utf-8")
    X, y, w = _data(3000, 6, np.float64, labels="prob")  # several row blocks
    np.savez(tmp_path / "d.npz", X=X, y=y, w=w)
    proc = subprocess.run([sys.executable, "-I", str(tmp_path / "run.py"), str(tmp_path / "k.py"),
                           str(tmp_path / "d.npz")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    gw, gb = ref.grad(w, 0.3, X, y, 0.1)
    assert_close(out["loss"], ref.loss(w, 0.3, X, y, 0.1), 1e-12, "emitted loss")
    assert_close(np.array(out["gw"]), gw, 1e-12, "emitted dJ/dw")
    assert_close(out["gb"], gb, 1e-12, "emitted dJ/db")
    assert_close(np.array(out["hv"]), ref.hvp(w, 0.0, X, y, w, 0.0, 0.0)[0], 1e-12, "emitted H·v")
