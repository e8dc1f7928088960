"""``derive bench``: each implementation alone in a fresh process, in alternating rounds.

One measurement = one new Python process that builds the data (same seed everywhere),
runs one implementation twice to warm up, then times ``repeats`` calls and reports
their median. Rounds alternate the implementations (the order rotates each round), so
a load change on a shared machine hits them alike; across rounds the median and the
spread (min–max of the per-round medians) are reported. The parent process times
nothing and changes nothing: no BLAS limits, no NumPy error state, no imports of JAX or
PyTorch. Implementations that are not installed (JAX, PyTorch: ``pip install
"derive[bench]"``) are skipped and said so.

The physical limit is measured in the same run, in its own processes: the GEMM rate of a
square product on all cores (FLOP bound: ``4·N·D·K`` flops) and one pass over X (memory
bound); the limit is the larger of the two.

>>> r = run(n=512, d=16, ks=(4,), rounds=1, repeats=2, dtypes=("float64",),
...         impls=("numpy", "generated"))                              # doctest: +SKIP
>>> sorted(r["runs"][0]["impls"])                                      # doctest: +SKIP
['generated', 'numpy']
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from importlib import metadata

import numpy as np

__all__ = ["IMPLS", "format_table", "measure", "run"]

#: Every implementation ``derive bench`` knows, in table order.
IMPLS = ("generated", "numpy", "gemm", "jax", "torch", "limit")
_LABELS = {
    "generated": "generated (derive)",
    "numpy": "hand-written NumPy",
    "gemm": "two bare GEMMs",
    "jax": "JAX jit",
    "torch": "PyTorch autograd",
    "limit": "physical limit",
}
_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
        "MKL_NUM_THREADS", "XLA_FLAGS")


# --------------------------------------------------------------------------- child side


def _data(n: int, d: int, k: int, dtype: str, seed: int):
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    X = rng.standard_normal((n, d), dtype=np.float32).astype(dt, copy=False)
    y = rng.integers(0, k, n)
    W = (0.01 * rng.standard_normal((d, k))).astype(dt)
    return X, y, W


def _times(fn: Callable[[], object], repeats: int) -> list[float]:
    fn()  # warm-up: caches, thread pools, compiled or generated code
    fn()
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def _impl_numpy(X, y, W):
    from derive.references import softmax as reference

    return (lambda: reference.loss_and_grad(X, y, W)), "derive.references.softmax (hand NumPy)"


def _impl_generated(X, y, W):
    from derive.kernels.api import loss_and_grad

    return (lambda: loss_and_grad(X, y, W)), "derive.kernels.loss_and_grad"


def _impl_gemm(X, y, W):
    M = np.random.default_rng(1).standard_normal((X.shape[0], W.shape[1])).astype(X.dtype)
    return (lambda: (X @ W, X.T @ M)), "X@W and X.T@M, nothing else"


def _impl_jax(X, y, W):
    import jax
    import jax.numpy as jnp

    if X.dtype == np.float64:
        jax.config.update("jax_enable_x64", True)  # this child process only

    def loss(w, x, t):
        logp = jax.nn.log_softmax(x @ w, axis=1)
        return -jnp.mean(jnp.take_along_axis(logp, t[:, None], axis=1))

    f = jax.jit(jax.value_and_grad(loss))
    xj, yj, wj = jnp.asarray(X), jnp.asarray(y), jnp.asarray(W)
    return (lambda: f(wj, xj, yj)[1].block_until_ready()), f"jax {jax.__version__} jit, CPU"


def _impl_torch(X, y, W):
    import torch

    xt, yt, w0 = torch.from_numpy(X), torch.from_numpy(y.astype(np.int64)), torch.from_numpy(W)

    def call():
        w = w0.clone().requires_grad_(True)
        torch.nn.functional.cross_entropy(xt @ w, yt).backward()
        return w.grad

    note = f"torch {torch.__version__} autograd, {torch.get_num_threads()} threads"
    return call, note


_IMPL_FNS = {
    "numpy": _impl_numpy,
    "generated": _impl_generated,
    "gemm": _impl_gemm,
    "jax": _impl_jax,
    "torch": _impl_torch,
}


def _limit(X, k: int, repeats: int) -> dict:
    """FLOP bound from a square GEMM's rate, memory bound from one pass over X."""
    a = np.random.default_rng(1).standard_normal((1500, 1500)).astype(X.dtype)
    gemm_s = min(_times(lambda: a @ a, max(3, repeats)))
    peak = 2 * 1500**3 / gemm_s
    n, d = X.shape
    ones = np.ones(n, dtype=X.dtype)
    read = _times(lambda: ones @ X, repeats)
    flop_ms = 4 * n * d * k / peak * 1e3
    read_ms = float(np.median(read)) * 1e3
    return {
        "ms": [max(flop_ms, read_ms) * 1e-3] * len(read),
        "limit_flop_ms": round(flop_ms, 3),
        "limit_read_x_ms": round(read_ms, 3),
        "peak_gflops": round(peak / 1e9, 1),
        "x_read_gbytes_per_s": round(X.nbytes / (read_ms * 1e-3) / 1e9, 1),
    }


def _threads() -> list[dict]:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return []
    keys = ("internal_api", "version", "num_threads", "architecture", "threading_layer")
    return [{k: i.get(k) for k in keys} for i in threadpool_info()]


def _declared(kernel: str, impl: str, n: int, d: int, k: int, dtype: str, seed: int):
    """A family's own benchmark of ``kernel`` (``Kernel.bench``): the implementation
    ``impl`` as ``(call, note)``, and the data's X (for the physical limit)."""
    from derive.kernels.api import KERNELS

    kern = KERNELS.get(kernel)
    if kern is None or kern.bench is None:
        raise ValueError(f"kernel {kernel!r} declares no benchmark")
    impls, X = kern.bench(n=n, d=d, k=k, dtype=np.dtype(dtype), seed=seed)
    return impls.get(impl), X


def measure(impl: str, *, n: int, d: int, k: int, dtype: str, repeats: int, seed: int = 0,
            kernel: str | None = None) -> dict:
    """Time one implementation in this process (the child side of :func:`run`)."""
    out: dict = {"impl": impl, "threads_before": _threads()}
    if kernel is not None:  # a family's declared benchmark: its implementations only
        found, X = _declared(kernel, impl, n, d, k, dtype, seed)
        if impl == "limit":
            out.update(_limit(X, k, repeats))
        elif found is None:
            return {"impl": impl, "skipped": f"{kernel} declares no {impl} implementation"}
        else:
            fn, out["note"] = found
            out["ms"] = _times(fn, repeats)
        out["ms"] = [round(t * 1e3, 3) for t in out["ms"]]
        out["threads_after"] = _threads()
        return out
    X, y, W = _data(n, d, k, dtype, seed)
    if impl == "limit":
        out.update(_limit(X, k, repeats))
    else:
        try:
            fn, note = _IMPL_FNS[impl](X, y, W)
        except ImportError as exc:
            return {"impl": impl, "skipped": f"{impl} not installed ({exc.name})"}
        out["note"] = note
        out["ms"] = _times(fn, repeats)
        if impl != "gemm":
            out["grad_rel_error"] = _grad_error(fn, X, y, W)
    out["ms"] = [round(t * 1e3, 3) for t in out["ms"]]
    out["threads_after"] = _threads()
    return out


def _grad_error(fn, X, y, W) -> float:
    from derive.kernels.checks import rel_error
    from derive.references import softmax as reference

    got = fn()
    grad = got[1] if isinstance(got, tuple) else got
    grad = np.asarray(grad.detach().numpy() if hasattr(grad, "detach") else grad)
    want = reference.grad(X.astype(np.float64), y, W.astype(np.float64))
    return float(f"{rel_error(grad.astype(np.float64), want):.3g}")


# -------------------------------------------------------------------------- parent side


def _machine() -> dict:
    model = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            model = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")),
                         model)
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "cpu": model,
        "cpu_count": os.cpu_count(),
        "usable_cpus": usable,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "env": {v: os.environ[v] for v in _ENV if v in os.environ},
    }


def _versions() -> dict:
    out = {}
    for dist in ("numpy", "sympy", "threadpoolctl", "jax", "jaxlib", "torch", "derive"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = None
    return out


def _child(impl: str, **kw) -> dict:
    cmd = [sys.executable, "-m", "derive.kernels.bench", json.dumps({"impl": impl, **kw})]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-3:]
        return {"impl": impl, "failed": " | ".join(tail) or f"exit {proc.returncode}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _summary(rounds: list[dict]) -> dict:
    medians = [float(np.median(r["ms"])) for r in rounds]
    out = {
        "ms": round(float(np.median(medians)), 3),
        "min_ms": round(min(medians), 3),
        "max_ms": round(max(medians), 3),
        "round_medians_ms": [round(m, 3) for m in medians],
    }
    extra = ("note", "grad_rel_error", "limit_flop_ms", "limit_read_x_ms", "peak_gflops",
             "x_read_gbytes_per_s")
    for key in extra:
        if key in rounds[-1]:
            out[key] = rounds[-1][key]
    # Pools after the calls: JAX's and PyTorch's own libraries are loaded by then.
    out["threads"] = rounds[-1]["threads_after"]
    out["blas_threads_unchanged"] = all(
        t in r["threads_after"] for r in rounds for t in r["threads_before"]
    )
    return out


def run(
    *,
    n: int = 60000,
    d: int = 784,
    ks: Sequence[int] = (10, 100, 1000),
    rounds: int = 3,
    repeats: int = 5,
    dtypes: Sequence[str] = ("float64", "float32"),
    impls: Sequence[str] = IMPLS,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
    kernel: str | None = None,
) -> dict:
    """All measurements of one benchmark run, as one JSON-ready dict."""
    out: dict = {
        "machine": _machine(),
        "versions": _versions(),
        "method": (
            f"each implementation alone in a fresh process; {rounds} alternating rounds "
            f"(order rotated each round); per process {repeats} timed calls after 2 warm-up "
            "calls, median; across rounds median and min-max of the per-round medians"
        ),
        "kernel": kernel or "loss_and_grad",
        "shape": {"N": n, "D": d, "K": list(ks)},
        "rounds": rounds,
        "repeats": repeats,
        "runs": [],
        "notes": [],
    }
    for dtype in dtypes:
        for k in ks:
            per: dict[str, list[dict]] = {i: [] for i in impls}
            for r in range(rounds):
                order = list(impls[r % len(impls):]) + list(impls[: r % len(impls)])
                for impl in order:
                    if progress:
                        progress(f"{dtype} K={k} round {r + 1}/{rounds}: {impl}")
                    per[impl].append(
                        _child(impl, n=n, d=d, k=k, dtype=dtype, repeats=repeats, seed=seed,
                               **({"kernel": kernel} if kernel else {}))
                    )
            row: dict = {"dtype": dtype, "K": k, "impls": {}}
            for impl, results in per.items():
                bad = [x for x in results if "ms" not in x]
                if bad:
                    out["notes"].append(
                        f"{dtype} K={k} {impl}: {bad[0].get('skipped') or bad[0].get('failed')}"
                    )
                    continue
                row["impls"][impl] = _summary(results)
            _ratios(row)
            out["runs"].append(row)
    out["machine"]["load_average_at_end"] = (
        list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    )
    out["notes"] = sorted(set(out["notes"]))
    out.update(_report_rows(out))
    return out


def _ratios(row: dict) -> None:
    t = {name: v["ms"] for name, v in row["impls"].items()}
    for base in ("numpy", "jax", "limit"):
        if t.get(base):
            for name, v in row["impls"].items():
                v[f"ratio_to_{base}"] = round(t[name] / t[base], 3)


def _report_rows(result: dict) -> dict:
    """Per dtype, the K = 10 row in the flat keys the report reads (``generated_ms``, ...)."""
    out: dict = {}
    for row in result["runs"]:
        if row["K"] != 10:
            continue
        flat = {f"{name}_ms": v["ms"] for name, v in row["impls"].items()}
        if "limit" in row["impls"]:
            flat["peak_gflops"] = row["impls"]["limit"]["peak_gflops"]
        out[row["dtype"]] = flat
    return out


def format_table(result: dict) -> str:
    """The human-readable table of :func:`run`'s result."""
    m = result["machine"]
    lines = [
        f"{m['cpu']}, {m['usable_cpus']} usable CPUs, load {m['load_average_at_start']}"
        " at start (a shared machine: absolute times are noise, ratios within one run are"
        " the evidence)",
        result["method"],
        f"kernel {result.get('kernel', 'loss_and_grad')}: N={result['shape']['N']}"
        f" D={result['shape']['D']}",
        f"{'dtype':8} {'K':>5} {'impl':20} {'median ms':>10} {'min-max ms':>17}"
        f" {'/NumPy':>7} {'/JAX':>7} {'/limit':>7}",
    ]
    for row in result["runs"]:
        for impl in IMPLS:
            v = row["impls"].get(impl)
            if v is None:
                continue
            cells = [f"{v.get(f'ratio_to_{b}', float('nan')):7.3f}" for b in ("numpy", "jax",
                                                                                 "limit")]
            lines.append(
                f"{row['dtype']:8} {row['K']:5} {_LABELS[impl]:20} {v['ms']:10.2f}"
                f" {v['min_ms']:8.2f}-{v['max_ms']:<8.2f} {' '.join(cells)}"
            )
    threads = {
        (t["internal_api"], t["num_threads"], t["architecture"])
        for row in result["runs"] for v in row["impls"].values() for t in v["threads"]
    }
    lines.append(f"BLAS/OpenMP pools seen in the children: {sorted(threads, key=str)}")
    lines.append(f"versions: {result['versions']}")
    lines.extend(result["notes"])
    return "\n".join(lines)


def main_json(result: dict) -> str:
    return json.dumps(result, indent=2, sort_keys=True)


if __name__ == "__main__":  # the child: python -m derive.kernels.bench '{"impl": ...}'
    spec = json.loads(sys.argv[1])
    print(json.dumps(measure(spec.pop("impl"), **spec)))
