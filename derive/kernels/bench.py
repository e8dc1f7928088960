"""``derive bench``: the generated kernel against hand-written NumPy, BLAS and the limit.

All NumPy timings of one dtype are taken in interleaved rounds (reference, generated,
bare GEMMs, one after the other, ``repeats`` times after a warm-up), so a load change
on a shared machine hits them alike; medians are reported. JAX and PyTorch, when
installed, are timed afterwards (their thread pools would disturb NumPy's timings).

>>> r = run(n=256, d=16, k=4, repeats=3, dtypes=("float64",), extras=False)  # doctest: +SKIP
>>> sorted(r["float64"])[:3]                                                 # doctest: +SKIP
['gemm_ms', 'generated_ms', 'limit_ms']
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable

import numpy as np

from derive.kernels import reference
from derive.kernels.api import loss_and_grad
from derive.kernels.checks import rel_error

__all__ = ["format_table", "run"]


def _median_ms(samples: list[float]) -> float:
    return round(float(np.median(samples)) * 1e3, 2)


def _interleaved(fns: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    for fn in fns.values():  # warm-up: caches, thread pools, generated code
        fn()
        fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {name: _median_ms(t) for name, t in times.items()}


def _best_ms(fn: Callable[[], object], repeats: int) -> float:
    fn()
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1e3


def _peak_gflops(dt: np.dtype, repeats: int) -> float:
    """The machine's GEMM rate on a square product (BLAS's best case)."""
    a = np.random.default_rng(1).standard_normal((1500, 1500)).astype(dt)
    return 2 * 1500**3 / (_best_ms(lambda: a @ a, max(3, repeats // 3)) * 1e-3) / 1e9


def _jax_ms(X, y, W, repeats: int) -> tuple[float | None, str]:
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return None, "jax not installed: skipped"
    if X.dtype == np.float64:
        jax.config.update("jax_enable_x64", True)

    def loss(w, x, t):
        logp = jax.nn.log_softmax(x @ w, axis=1)
        return -jnp.mean(jnp.take_along_axis(logp, t[:, None], axis=1))

    f = jax.jit(jax.value_and_grad(loss))
    xj, yj, wj = jnp.asarray(X), jnp.asarray(y), jnp.asarray(W)

    def call() -> None:
        f(wj, xj, yj)[1].block_until_ready()

    note = f"jax {jax.__version__} jit(value_and_grad), CPU"
    return _interleaved({"jax": call}, repeats)["jax"], note


def _torch_ms(X, y, W, repeats: int) -> tuple[float | None, str]:
    try:
        import torch
    except ImportError:
        return None, "torch not installed: skipped"
    torch.set_num_threads(os.cpu_count() or 1)
    xt, yt = torch.from_numpy(X), torch.from_numpy(y.astype(np.int64))
    w0 = torch.from_numpy(W)

    def call() -> None:
        w = w0.clone().requires_grad_(True)
        loss = torch.nn.functional.cross_entropy(xt @ w, yt)
        loss.backward()

    threads = torch.get_num_threads()
    note = f"torch {torch.__version__} autograd, {threads} threads"
    return _interleaved({"torch": call}, repeats)["torch"], note


def run(
    *,
    n: int = 60000,
    d: int = 784,
    k: int = 10,
    repeats: int = 15,
    dtypes: tuple[str, ...] = ("float64", "float32"),
    extras: bool = True,
    seed: int = 0,
) -> dict:
    """Time every implementation at N×D×K for each dtype; one JSON-ready dict."""
    out: dict = {
        "shape": {"N": n, "D": d, "K": k},
        "repeats": repeats,
        "statistic": "median after 2 warm-up calls",
        "cpu_count": os.cpu_count(),
        "numpy": np.__version__,
        "notes": [],
    }
    rng = np.random.default_rng(seed)
    for name in dtypes:
        dt = np.dtype(name)
        X = rng.standard_normal((n, d)).astype(dt)
        y = rng.integers(0, k, n)
        W = (0.01 * rng.standard_normal((d, k))).astype(dt)
        M = rng.standard_normal((n, k)).astype(dt)
        gen_loss, gen_grad = loss_and_grad(X, y, W)
        ref_loss, ref_grad = reference.loss_and_grad(X, y, W)
        ms = _interleaved(
            {
                "numpy_ms": lambda X=X, y=y, W=W: reference.loss_and_grad(X, y, W),
                "generated_ms": lambda X=X, y=y, W=W: loss_and_grad(X, y, W),
                "gemm_ms": lambda X=X, W=W, M=M: (X @ W, X.T @ M),
            },
            repeats,
        )
        peak = _peak_gflops(dt, repeats)
        flop_ms = 4 * n * d * k / (peak * 1e9) * 1e3
        ones = np.ones(n, dtype=dt)
        read_ms = _best_ms(lambda X=X, ones=ones: ones @ X, repeats)  # one pass over X
        row = {
            **ms,
            "ratio_generated_to_numpy": round(ms["generated_ms"] / ms["numpy_ms"], 3),
            "ratio_gemm_to_numpy": round(ms["gemm_ms"] / ms["numpy_ms"], 3),
            "limit_ms": round(max(flop_ms, read_ms), 2),
            "limit_flop_ms": round(flop_ms, 2),
            "limit_read_x_ms": round(read_ms, 2),
            "peak_gflops": round(peak, 1),
            "x_read_gbytes_per_s": round(X.nbytes / (read_ms * 1e-3) / 1e9, 1),
            "grad_rel_error": rel_error(gen_grad, ref_grad),
            "loss_rel_error": rel_error(np.array(gen_loss), np.array(ref_loss)),
        }
        row["ratio_limit_to_numpy"] = round(row["limit_ms"] / ms["numpy_ms"], 3)
        row["ratio_generated_to_limit"] = round(ms["generated_ms"] / row["limit_ms"], 2)
        if extras:
            for key, fn in (("jax_ms", _jax_ms), ("torch_ms", _torch_ms)):
                val, note = fn(X, y, W, repeats)
                out["notes"].append(f"{name}: {note}")
                if val is not None:
                    row[key] = val
                    row[key.replace("_ms", "_ratio_to_numpy")] = round(val / ms["numpy_ms"], 3)
        out[name] = row
        del X, M
    return out


def format_table(result: dict) -> str:
    """The human-readable table of :func:`run`'s result."""
    shape = result["shape"]
    lines = [
        f"N={shape['N']} D={shape['D']} K={shape['K']}, median of {result['repeats']}"
        f" (interleaved), ratio = time / hand-written NumPy",
        f"{'dtype':8} {'impl':22} {'ms':>9} {'ratio':>7}",
    ]
    for name in ("float64", "float32"):
        row = result.get(name)
        if row is None:
            continue
        base = row["numpy_ms"]
        impls = [
            ("hand-written NumPy", base),
            ("generated (derive)", row["generated_ms"]),
            ("two bare GEMMs", row["gemm_ms"]),
            ("JAX jit", row.get("jax_ms")),
            ("PyTorch autograd", row.get("torch_ms")),
            ("physical limit", row["limit_ms"]),
        ]
        for label, val in impls:
            if val is None:
                continue
            lines.append(f"{name:8} {label:22} {val:9.2f} {val / base:7.3f}")
        lines.append(
            f"{name:8} peak {row['peak_gflops']} GFLOP/s, X read {row['limit_read_x_ms']} ms;"
            f" generated/limit {row['ratio_generated_to_limit']}; grad rel. error"
            f" {row['grad_rel_error']:.3g}"
        )
    lines.extend(result["notes"])
    return "\n".join(lines)


def main_json(result: dict) -> str:
    return json.dumps(result, indent=2, sort_keys=True)
