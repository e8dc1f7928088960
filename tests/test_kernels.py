"""Numerics of the generated kernels: references, derivatives, stability, bad input,
and the emitted module in an isolated interpreter.

The proof links are tested in ``test_kernels_proof.py``; here the gate is replaced by
a recorder, so these tests exercise the generated code whatever the engine says.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derive.declare.numeric import (
    assert_close,
    central_difference,
    complex_step,
    rel_error,
    tolerance,
)
from derive.errors import DeriveError
from derive.kernels import api
from derive.kernels.generate import module_source
from derive.kernels.table import fd_error_curve, problem
from derive.references import softmax as reference

GATED: list[tuple[str, ...]] = []


@pytest.fixture(autouse=True)
def _no_engine(monkeypatch):
    monkeypatch.setattr(api, "proof_gate", lambda links: GATED.append(tuple(x.name for x in links)))


def _data(n, d, k, dt, seed=0, scale=0.5):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)).astype(dt)
    y = rng.integers(0, k, n)
    W = (scale * rng.standard_normal((d, k))).astype(dt)
    return X, y, W


shapes = st.tuples(st.integers(1, 12), st.integers(1, 6), st.integers(2, 5))
dtypes = st.sampled_from([np.float64, np.float32])


@settings(max_examples=40, deadline=None)
@given(shape=shapes, dt=dtypes, lam=st.sampled_from([0.0, 0.3]), seed=st.integers(0, 99),
       reduction=st.sampled_from(["mean", "sum"]), bias=st.booleans())
def test_generated_equals_reference(shape, dt, lam, seed, reduction, bias):
    n, d, k = shape
    X, y, W = _data(n, d, k, dt, seed)
    b = np.linspace(-1, 1, k).astype(dt) if bias else None
    out = api.loss_and_grad(X, y, W, lam=lam, b=b, reduction=reduction)
    tol = tolerance("reference", dt)
    assert all(o.dtype == dt for o in out), "no silent upcasting"
    X64, W64 = X.astype(np.float64), W.astype(np.float64)
    b64 = None if b is None else b.astype(np.float64)
    assert_close(out[0], reference.loss(X64, y, W64, lam, b64, reduction), tol, "loss")
    assert_close(out[1], reference.grad(X64, y, W64, lam, b64, reduction), tol, "dJ/dW")
    if bias:
        assert_close(out[2], reference.grad_bias(X64, y, W64, b64, reduction), tol, "dJ/db")


@settings(max_examples=15, deadline=None)
@given(shape=shapes, seed=st.integers(0, 99))
def test_gradient_matches_finite_differences(shape, seed):
    n, d, k = shape
    X, y, W = _data(n, d, k, np.float64, seed)
    _, g = api.loss_and_grad(X, y, W, lam=0.1)
    fd = central_difference(lambda w: api.loss_and_grad(X, y, w, lam=0.1)[0], W, 1e-6)
    assert_close(g, fd, tolerance("finite_difference", np.float64), "dJ/dW vs central diff.")


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_gradient_matches_complex_step(dt):
    X, y, W, _, _ = problem(dt)
    _, g = api.loss_and_grad(X, y, W, lam=0.2)
    cs = complex_step(lambda w: reference.loss(X.astype(w.dtype), y, w, 0.2), W, 1e-20)
    assert_close(g, cs, tolerance("complex_step", dt), "dJ/dW vs complex step")


def test_float32_gradient_matches_finite_differences():
    X, y, W, _, _ = problem(np.float32)
    _, g = api.loss_and_grad(X, y, W)
    fd = central_difference(lambda w: api.loss_and_grad(X, y, w)[0], W, 1e-2)
    assert_close(g, fd, tolerance("finite_difference", np.float32), "float32 dJ/dW")


def test_one_hot_and_label_rows_give_the_integer_label_result():
    X, y, W = _data(9, 4, 3, np.float64)
    Y = np.eye(3)[y]
    a, b = api.loss_and_grad(X, y, W), api.loss_and_grad(X, Y, W)
    assert_close(b[1], a[1], 1e-12, "one-hot rows vs labels")
    soft = np.full((9, 3), 1 / 3)
    _, g = api.loss_and_grad(X, soft, W)
    assert_close(g, reference.grad(X, soft, W), 1e-12, "probability rows")


def test_many_blocks_and_threads_match_reference():
    # Enough rows for several blocks per worker thread of the driver.
    X, y, W = _data(5000, 40, 3, np.float64)
    mod = __import__("derive.kernels.bundle", fromlist=["module"]).module()
    old = dict(mod._BUDGET)
    mod._BUDGET["float64"] = 40 * 8 * 64  # 64 rows per block
    try:
        loss, g = api.loss_and_grad(X, y, W, lam=0.1)
    finally:
        mod._BUDGET.update(old)
    assert_close(g, reference.grad(X, y, W, 0.1), 1e-12, "blocked dJ/dW")
    assert_close(loss, reference.loss(X, y, W, 0.1), 1e-12, "blocked loss")


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 6), k=st.integers(1, 6), dt=dtypes, seed=st.integers(0, 99))
def test_softmax_jacobian(n, k, dt, seed):
    # K = 1 is meaningful here (J = [[0]]), unlike for the loss. Logits of order 1: with a
    # saturated softmax, σ − σ² cancels and float32 keeps fewer than 5 relative digits
    # of the (tiny) Jacobian; saturation is tested for finiteness in the 1e4 test.
    Z = np.random.default_rng(seed).standard_normal((n, k)).astype(dt)
    J = api.softmax_jacobian(Z)
    assert J.shape == (n, k, k) and J.dtype == dt
    assert_close(J, reference.jacobian(Z.astype(np.float64)), tolerance("reference", dt), "J")
    assert api.softmax_jacobian(Z[0]).shape == (k, k)


@settings(max_examples=20, deadline=None)
@given(shape=shapes, dt=dtypes, seed=st.integers(0, 99))
def test_hvp_equals_reference_hessian(shape, dt, seed):
    n, d, k = shape
    X, _, W = _data(n, d, k, dt, seed)
    V = np.random.default_rng(seed + 1).standard_normal((d, k)).astype(dt)
    hv = api.hvp(X, W, V, lam=0.3)
    assert hv.dtype == dt
    ref = reference.hvp(X.astype(np.float64), W.astype(np.float64), V.astype(np.float64), 0.3)
    assert_close(hv, ref, tolerance("reference", dt), "H·V")


def test_hvp_matches_gradient_differences():
    X, y, W, _, V = problem(np.float64)
    hv = api.hvp(X, W, V)
    h = 1e-5
    fd = (api.loss_and_grad(X, y, W + h * V)[1] - api.loss_and_grad(X, y, W - h * V)[1]) / (2 * h)
    assert_close(hv, fd, 1e-7, "H·V vs gradient differences")


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_stable_for_logits_of_1e4(dt):
    X = np.array([[1.0], [-1.0], [0.5]], dtype=dt)
    W = np.array([[1e4, -1e4, 0.0]], dtype=dt)  # logits ±1e4 (±5e3 in the last row)
    y = np.array([1, 1, 0])
    loss, g = api.loss_and_grad(X, y, W, reduction="sum")
    assert np.isfinite(loss) and np.isfinite(g).all()
    # Row 1: z = (1e4, -1e4, 0), label 1 -> 2e4; row 2: label 1 is the max -> 0;
    # row 3: z = (5e3, -5e3, 0), label 0 is the max -> 0.
    assert_close(loss, np.float64(2e4), tolerance("reference", dt), "loss at |z| = 1e4")
    assert_close(g, reference.grad(X.astype(np.float64), y, W.astype(np.float64), 0, None, "sum"),
                 tolerance("reference", dt), "dJ/dW at |z| = 1e4")
    J = api.softmax_jacobian((X @ W).astype(dt))
    assert np.isfinite(J).all() and np.abs(J).max() < 1e-6


def test_naive_softmax_would_overflow_here():
    # The stability test above is not vacuous: the textbook formula gives NaN.
    with np.errstate(over="ignore", invalid="ignore"):
        z = np.array([1e4, -1e4, 0.0])
        assert np.isnan(np.exp(z) / np.exp(z).sum()).any()


def test_fd_error_curve_has_the_v_shape():
    curve = fd_error_curve(np.float64)
    errs = [e for _, e in curve]
    best = int(np.argmin(errs))
    assert 0 < best < len(errs) - 1
    assert errs[0] > 100 * errs[best] and errs[-1] > 100 * errs[best]
    assert fd_error_curve(np.float64) == curve  # deterministic


def test_failure_message_shows_analytic_and_numeric():
    with pytest.raises(AssertionError, match=r"analytic: .*\n.*numeric:"):
        assert_close(np.array([1.0, 2.0]), np.array([1.0, 2.5]), 1e-6, "demo")
    assert rel_error(np.array([1.0]), np.array([1.0])) == 0.0


# --- bad input -------------------------------------------------------------------

X0, Y0, W0 = _data(4, 3, 2, np.float64)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"X": X0.tolist()}, r"X is a list: expected a numpy.ndarray"),
        ({"X": X0.astype(np.int64)}, r"X has dtype int64: expected float32 or float64"),
        ({"X": X0[0]}, r"X has shape \(3,\): expected 2 dimensions"),
        ({"X": np.empty((0, 3))}, r"X is empty"),
        ({"W": W0.astype(np.float32)}, r"W has dtype float32 but X has float64"),
        ({"W": W0[:2]}, r"W has shape \(2, 2\): expected \(3, 2\)"),
        ({"W": W0[:, :1]}, r"W has K=1 class column: expected K >= 2"),
        ({"W": np.where(W0 > 0, np.nan, W0)}, r"W contains NaN"),
        ({"y": Y0[:3]}, r"y has shape \(3,\): expected \(4,\)"),
        ({"y": Y0 + 2}, r"y contains label [23]: expected labels in 0..1"),
        ({"y": Y0 - 1}, r"y contains label -1"),
        ({"y": Y0.astype(float)}, r"y has dtype float64: expected integer class labels"),
        ({"y": np.full((4, 2), 0.7)}, r"y row 0 sums to 1.4: expected label rows summing to 1"),
        ({"lam": -1.0}, r"lam is -1.0: expected a finite real number >= 0"),
        ({"lam": "0.1"}, r"lam is a str"),
        ({"b": np.zeros(3)}, r"b has shape \(3,\): expected \(2,\)"),
        ({"reduction": "max"}, r"reduction='max': expected 'mean' or 'sum'"),
    ],
)
def test_bad_input_is_a_derive_error(kwargs, match):
    args = {"X": X0, "y": Y0, "W": W0, **kwargs}
    extra = {k: args.pop(k) for k in ("lam", "b", "reduction") if k in args}
    with pytest.raises(DeriveError, match=match):
        api.loss_and_grad(args["X"], args["y"], args["W"], **extra)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_x_is_a_derive_error(bad):
    X = X0.copy()
    X[2, 1] = bad
    with pytest.raises(DeriveError, match=r"X contains (NaN|inf): expected finite values"):
        api.loss_and_grad(X, Y0, W0)
    with pytest.raises(DeriveError, match=r"X contains (NaN|inf)"):
        api.hvp(X, W0, W0)


def test_overflowing_logits_are_a_derive_error():
    X = np.full((2, 2), 1e200)
    with pytest.raises(DeriveError, match=r"logits X·W overflow float64"):
        api.loss_and_grad(X, np.array([0, 1]), np.full((2, 2), 1e200))


def test_bad_input_to_jacobian_and_hvp():
    with pytest.raises(DeriveError, match=r"z contains NaN"):
        api.softmax_jacobian(np.array([0.0, np.nan]))
    with pytest.raises(DeriveError, match=r"z has dtype int64"):
        api.softmax_jacobian(np.array([1, 2]))
    with pytest.raises(DeriveError, match=r"V has shape \(2, 2\): expected \(3, 2\)"):
        api.hvp(X0, W0, W0[:2])
    with pytest.raises(DeriveError, match=r"V has dtype float32 but X has float64"):
        api.hvp(X0, W0, W0.astype(np.float32))


def test_each_call_passes_the_proof_gate():
    GATED.clear()
    api.loss_and_grad(X0, Y0, W0, b=np.zeros(2), reduction="sum")
    api.softmax_jacobian(np.zeros(3))
    assert GATED == [("loss_sum_bias", "grad_sum_bias", "gradb_sum_bias"), ("softmax_jacobian",)]


# --- the emitted module, without derive or sympy -----------------------------------

RUNNER = textwrap.dedent(
    """
    import importlib.util, json, sys
    sys.modules["sympy"] = None   # any import of sympy or derive now fails
    sys.modules["derive"] = None
    spec = importlib.util.spec_from_file_location("kern", sys.argv[1])
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    import numpy as np
    data = np.load(sys.argv[2])
    loss, g, gb = mod.loss_and_grad(data["X"], data["y"], data["W"], lam=0.1, b=data["b"])
    J = mod.softmax_jacobian(data["X"] @ data["W"])
    hv = mod.hvp(data["X"], data["W"], data["V"])
    print(json.dumps({"loss": float(loss), "g": g.tolist(), "gb": gb.tolist(),
                      "J": J.tolist(), "hv": hv.tolist(), "dtype": str(g.dtype),
                      "mods": sorted(m for m in sys.modules if m.startswith(("sympy", "derive"))
                                     and sys.modules[m] is not None)}))
    """
)


def test_emitted_module_runs_in_an_isolated_interpreter(tmp_path):
    path = tmp_path / "kernels_out.py"
    path.write_text(module_source(), encoding="utf-8")
    (tmp_path / "run.py").write_text(RUNNER, encoding="utf-8")
    X, y, W, b, V = problem(np.float64, n=3000, d=6, k=3)  # several blocks
    np.savez(tmp_path / "data.npz", X=X, y=y, W=W, b=b, V=V)
    proc = subprocess.run(
        [sys.executable, "-I", str(tmp_path / "run.py"), str(path), str(tmp_path / "data.npz")],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["mods"] == [] and out["dtype"] == "float64"
    assert_close(out["loss"], reference.loss(X, y, W, 0.1, b), 1e-12, "emitted loss")
    assert_close(np.array(out["g"]), reference.grad(X, y, W, 0.1, b), 1e-12, "emitted dJ/dW")
    assert_close(np.array(out["gb"]), reference.grad_bias(X, y, W, b), 1e-12, "emitted dJ/db")
    assert_close(np.array(out["J"]), reference.jacobian(X @ W), 1e-12, "emitted J")
    assert_close(np.array(out["hv"]), reference.hvp(X, W, V), 1e-12, "emitted H·V")


def test_generated_code_has_no_python_loops_over_sums():
    src = module_source()
    generated = src[src.index("# --- Generated"): src.index("# --- Driver glue")]
    assert generated.count("def ") >= 10
    assert not re.search(r"\bfor\b|\bwhile\b|\bSum\(|(?<![\w.])sum\(", generated)
