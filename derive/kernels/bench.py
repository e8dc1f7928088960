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
IMPLS = ("generated", "numpy", "gemm", "gemm_blocked", "jax", "torch", "limit")
_LABELS = {
    "generated": "generated (derive)",
    "numpy": "hand-written NumPy",
    "gemm": "two bare GEMMs",
    "gemm_blocked": "GEMMs of the blocks",
    "jax": "JAX jit",
    "torch": "PyTorch autograd",
    "limit": "physical limit",
}
_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
        "MKL_NUM_THREADS", "XLA_FLAGS")


# --------------------------------------------------------------------------- child side


def _data(n: int, d: int, k: int, dtype: str, seed: int):
    """X, labels and weights; K = 2 is binary logistic regression (labels 0/1, w of shape
    (D,)), every other K softmax regression."""
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    X = rng.standard_normal((n, d), dtype=np.float32).astype(dt, copy=False)
    y = rng.integers(0, k, n)
    shape = (d,) if k == 2 else (d, k)
    W = (0.01 * rng.standard_normal(shape)).astype(dt)
    return X, y, W


#: Seconds of timed calls one process aims at (``budget_s``): a call slower than the
#: budget is timed once. The same rule for every implementation.
BUDGET_S = 6.0


def _times(fn: Callable[[], object], repeats: int, budget_s: float | None = None) -> list[float]:
    """Warm-up, then the timed calls. Warm-up, the same rule for every implementation: two
    calls (caches, thread pools, compiled or generated code), the second skipped when the
    first took longer than ``budget_s`` (a JIT has compiled by then; at K = 1000 a call
    takes seconds). Timed calls: ``repeats``, fewer when they would take longer than
    ``budget_s`` in all (at least one)."""
    t0 = time.perf_counter()
    fn()
    warm = time.perf_counter() - t0
    if budget_s is None or warm <= budget_s:
        t0 = time.perf_counter()
        fn()
        warm = time.perf_counter() - t0
    if budget_s is not None:
        repeats = max(1, min(repeats, int(budget_s / max(warm, 1e-9))))
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def _impl_numpy(X, y, W):
    if W.ndim == 1:
        from derive.references import logistic as ref

        return (lambda: ref.loss_and_grad(X, y, W)), "derive.references.logistic (hand NumPy)"
    from derive.references import softmax as reference

    return (lambda: reference.loss_and_grad(X, y, W)), "derive.references.softmax (hand NumPy)"


def _impl_generated(X, y, W):
    if W.ndim == 1:
        from derive.kernels.api import loss_and_grad_binary

        return (lambda: loss_and_grad_binary(X, y, W)), "derive.kernels.loss_and_grad_binary"
    from derive.kernels.api import loss_and_grad

    return (lambda: loss_and_grad(X, y, W)), "derive.kernels.loss_and_grad"


def _impl_gemm(X, y, W):
    cols = 1 if W.ndim == 1 else W.shape[1]
    M = np.random.default_rng(1).standard_normal((X.shape[0], cols)).astype(X.dtype)
    W2 = W.reshape(X.shape[1], cols)
    return (lambda: (X @ W2, X.T @ M)), "X@W and X.T@M, nothing else"


def _impl_gemm_blocked(X, y, W):
    """The two products of derive's blocks and nothing else: ``X_b·W`` and ``M_bᵀ·X_b`` for
    every row block, run by the generated module's own driver (same blocks, threads,
    workspaces and accumulators). ``generated`` over this is what the rest of a block
    (softmax, loss, S − Y) and the driver cost; this over ``limit`` is what the BLAS
    products of those shapes reach against a square GEMM."""
    import derive.kernels.bundle as bundle

    mod = bundle.module()
    W2 = W.reshape(X.shape[1], -1)

    def block(ws, acc, xb, w):
        z = mod._mm_into(xb, w, ws.get(0, xb.shape[0], w.shape[1]))
        mod._acc_tmm(acc, 0, xb, z, ws.get(2, w.shape[1], xb.shape[1]))

    def call():
        return mod._sum_blocks(block, [X], [W2], X.shape[1], X.dtype, 1)

    return call, "X_b@W and M_b.T@X_b per block, derive's driver, nothing else"


def _impl_jax(X, y, W):
    import jax
    import jax.numpy as jnp

    if X.dtype == np.float64:
        jax.config.update("jax_enable_x64", True)  # this child process only

    if W.ndim == 1:  # binary logistic: mean of softplus(z) − y·z

        def loss(w, x, t):
            z = x @ w
            return jnp.mean(jax.nn.softplus(z) - t * z)

        yj = jnp.asarray(y.astype(X.dtype))
    else:

        def loss(w, x, t):
            logp = jax.nn.log_softmax(x @ w, axis=1)
            return -jnp.mean(jnp.take_along_axis(logp, t[:, None], axis=1))

        yj = jnp.asarray(y)
    f = jax.jit(jax.value_and_grad(loss))
    xj, wj = jnp.asarray(X), jnp.asarray(W)
    return (lambda: f(wj, xj, yj)[1].block_until_ready()), f"jax {jax.__version__} jit, CPU"


def _impl_torch(X, y, W):
    import torch

    xt, w0 = torch.from_numpy(X), torch.from_numpy(W)
    if W.ndim == 1:
        yt = torch.from_numpy(y.astype(X.dtype))

        def call():
            w = w0.clone().requires_grad_(True)
            torch.nn.functional.binary_cross_entropy_with_logits(xt @ w, yt).backward()
            return w.grad
    else:
        yt = torch.from_numpy(y.astype(np.int64))

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
    "gemm_blocked": _impl_gemm_blocked,
    "jax": _impl_jax,
    "torch": _impl_torch,
}


def _sig(x: float, digits: int = 4) -> float:
    """``x`` to ``digits`` significant digits: timings span microseconds (a small test case)
    to seconds, so a fixed number of decimals would erase the small ones.

    >>> _sig(0.0032160804), _sig(1234.5678)
    (0.003216, 1235.0)
    """
    return float(f"{x:.{digits}g}")


def _limit(X, k: int, repeats: int) -> dict:
    """The machine's limit for one call, measured now: ``max(bytes of X / bandwidth,
    FLOPs / GEMM rate)``. The bandwidth is one streaming read of an array the size of X
    (``1ᵀ·X``, a memory-bound BLAS pass on all cores); the GEMM rate that of a square
    product on all cores; the FLOPs ``4·N·D·K`` (the two products ``X·W`` and ``Xᵀ·R``;
    K = 1 column for binary logistic, K = 2 in the table)."""
    a = np.random.default_rng(1).standard_normal((1500, 1500)).astype(X.dtype)
    gemm_s = float(np.median(_times(lambda: a @ a, max(3, repeats), BUDGET_S)))
    rate = 2 * 1500**3 / gemm_s
    n, d = X.shape
    ones = np.ones(n, dtype=X.dtype)
    read = _times(lambda: ones @ X, repeats, BUDGET_S)
    cols = 1 if k == 2 else k
    flop_ms = 4 * n * d * cols / rate * 1e3
    out = []
    for r in read:  # one limit per timed read: the spread is the bandwidth's
        out.append(max(flop_ms * 1e-3, r))
    read_ms = float(np.median(read)) * 1e3
    return {
        "ms": out,
        "limit_flop_ms": _sig(flop_ms),
        "limit_read_x_ms": _sig(read_ms),
        "gemm_gflops": _sig(rate / 1e9),
        "peak_gflops": _sig(rate / 1e9),
        "bandwidth_gbytes_per_s": _sig(X.nbytes / (read_ms * 1e-3) / 1e9),
        "x_read_gbytes_per_s": _sig(X.nbytes / (read_ms * 1e-3) / 1e9),
        "x_bytes": int(X.nbytes),
        "flops": 4 * n * d * cols,
    }


def _peak_extra(fn, impl: str) -> tuple[dict, object]:
    """Peak memory a call takes beyond what exists before it: traced allocations for the
    NumPy implementations (``tracemalloc`` sees NumPy's), the resident set's high-water
    mark for JAX and PyTorch (their own allocators; an upper bound on the call); and the
    call's result (its gradient is the one checked)."""
    if impl in ("generated", "numpy", "gemm", "gemm_blocked"):
        import tracemalloc

        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            base = tracemalloc.get_traced_memory()[0]
            got = fn()
            return {"peak_extra_bytes": tracemalloc.get_traced_memory()[1] - base,
                    "peak_extra_method": "tracemalloc"}, got
        finally:
            tracemalloc.stop()
    import resource

    before = _rss_bytes()
    got = fn()
    high = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"peak_extra_bytes": max(0, high - before),
            "peak_extra_method": "RSS high-water"}, got


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


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
    import derive.kernels.api as api
    from derive.kernels.links import KERNELS

    kern = KERNELS[kernel][1] if kernel in KERNELS else None
    if kern is None or kern.bench is None:
        raise ValueError(f"kernel {kernel!r} declares no benchmark")
    impls, X = kern.bench(n=n, d=d, k=k, dtype=np.dtype(dtype), seed=seed, api=api)
    return impls.get(impl), X


def measure(impl: str, *, n: int, d: int, k: int, dtype: str, repeats: int, seed: int = 0,
            kernel: str | None = None, budget_s: float | None = None,
            ref_dir: str | None = None) -> dict:
    """Time one implementation in this process (the child side of :func:`run`)."""
    out: dict = {"impl": impl, "threads_before": _threads(),
                 "env": {v: os.environ[v] for v in _ENV if v in os.environ}}
    if kernel is not None:  # a family's declared benchmark: its implementations only
        found, X = _declared(kernel, impl, n, d, k, dtype, seed)
        if impl == "limit":
            out.update(_limit(X, k, repeats))
        elif found is None:
            return {"impl": impl, "skipped": f"{kernel} declares no {impl} implementation"}
        else:
            fn, out["note"] = found
            out["ms"] = _times(fn, repeats, budget_s)
        out["ms"] = [_sig(t * 1e3) for t in out["ms"]]
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
        out["ms"] = _times(fn, repeats, budget_s)
        peak, got = _peak_extra(fn, impl)  # after the timed calls: they ran untraced
        out.update(peak)
        if impl not in ("gemm", "gemm_blocked"):
            out["grad_rel_error"] = _grad_error(got, X, y, W, ref_dir)
    out["ms"] = [_sig(t * 1e3) for t in out["ms"]]
    out["threads_after"] = _threads()
    return out


def _reference_grad(X, y, W) -> np.ndarray:
    """The hand NumPy reference's gradient, in float64."""
    if W.ndim == 1:
        from derive.references import logistic as ref

        return ref.grad(W.astype(np.float64), 0.0, X.astype(np.float64), y, 0.0)[0]
    from derive.references import softmax as reference

    return reference.grad(X.astype(np.float64), y, W.astype(np.float64))


def _grad_error(got, X, y, W, ref_dir: str | None = None) -> float:
    """Relative error of a call's gradient against the float64 reference. With ``ref_dir``
    (one folder per ``derive bench`` run, same data in every child) the reference is
    computed by the first child that needs it and read by the others (at K = 1000 it costs
    a call; it is never timed either way)."""
    from derive.declare.numeric import rel_error

    grad = got[1] if isinstance(got, tuple) else got
    grad = np.asarray(grad.detach().numpy() if hasattr(grad, "detach") else grad)
    path = None
    if ref_dir is not None:
        path = os.path.join(ref_dir, f"ref_{X.shape[0]}_{X.shape[1]}_{W.shape}_{X.dtype}.npy")
    want = np.load(path) if path is not None and os.path.exists(path) else None
    if want is None:
        want = _reference_grad(X, y, W)
        if path is not None:
            np.save(path + ".tmp.npy", want)
            os.replace(path + ".tmp.npy", path)
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
        "ms": _sig(float(np.median(medians))),
        "min_ms": _sig(min(medians)),
        "max_ms": _sig(max(medians)),
        "round_medians_ms": [_sig(m) for m in medians],
    }
    extra = ("note", "grad_rel_error", "limit_flop_ms", "limit_read_x_ms", "peak_gflops",
             "x_read_gbytes_per_s", "gemm_gflops", "bandwidth_gbytes_per_s", "x_bytes", "flops",
             "peak_extra_method")
    peaks = [r["peak_extra_bytes"] for r in rounds if "peak_extra_bytes" in r]
    if peaks:
        out["peak_extra_bytes"] = int(max(peaks))
    for key in extra:
        if key in rounds[-1]:
            out[key] = rounds[-1][key]
    if "x_bytes" in rounds[-1]:  # the limit: its figures are the medians over the same rounds
        read_ms = float(np.median([r["limit_read_x_ms"] for r in rounds]))
        gflops = float(np.median([r["gemm_gflops"] for r in rounds]))
        bandwidth = _sig(out["x_bytes"] / (read_ms * 1e-3) / 1e9)
        out.update(limit_read_x_ms=_sig(read_ms), gemm_gflops=_sig(gflops),
                   peak_gflops=_sig(gflops), limit_flop_ms=_sig(out["flops"] / gflops * 1e-6),
                   bandwidth_gbytes_per_s=bandwidth, x_read_gbytes_per_s=bandwidth)
    # Pools after the calls: JAX's and PyTorch's own libraries are loaded by then.
    out["threads"] = rounds[-1]["threads_after"]
    out["env"] = rounds[-1].get("env", {})
    out["blas_threads_unchanged"] = all(
        t in r["threads_after"] for r in rounds for t in r["threads_before"]
    )
    return out


_FIRST_CALL = """
import time
t0 = time.perf_counter()
import numpy as np
import derive.kernels
t1 = time.perf_counter()
rng = np.random.default_rng(0)
X = rng.standard_normal((2000, 50)); y = rng.integers(0, 10, 2000)
W = 0.01 * rng.standard_normal((50, 10))
t2 = time.perf_counter()
derive.kernels.loss_and_grad(X, y, W)
t3 = time.perf_counter()
import sys, json
print(json.dumps({"import_ms": (t1 - t0) * 1e3, "first_call_ms": (t3 - t2) * 1e3,
                  "sympy_imported": "sympy" in sys.modules}))
"""


#: The fresh-process imports :func:`startup` times, by name. ``import derive.kernels`` is
#: lazy (a module ``__getattr__``): it imports neither NumPy nor SymPy, so its time minus
#: that of ``import numpy`` is negative and says nothing about a user's cost. A user's
#: cost is ``from derive.kernels import loss_and_grad``: NumPy and the generated module
#: (from the verdict cache) loaded, the kernel ready to call; the import excess is that
#: minus ``import numpy`` (NumPy on both sides).
IMPORTS = {
    "numpy": "import numpy",
    "derive_kernels": "import derive.kernels",
    "loss_and_grad": "from derive.kernels import loss_and_grad",
}
_WHAT = "; import sys; print(int('numpy' in sys.modules), int('sympy' in sys.modules))"


def _wall(code: str) -> tuple[float, dict]:
    """Wall time of ``python -c code`` (whole process, ms), and which of NumPy and SymPy
    the process had imported when ``code`` was done (read in the process itself)."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code + _WHAT], check=True,
                          capture_output=True, text=True, timeout=600)
    ms = (time.perf_counter() - t0) * 1e3
    numpy_in, sympy_in = proc.stdout.split()[-2:]
    return ms, {"numpy": numpy_in == "1", "sympy": sympy_in == "1"}


def _first_call() -> dict:
    """One fresh process's first call of ``loss_and_grad`` (:data:`_FIRST_CALL`)."""
    proc = subprocess.run([sys.executable, "-c", _FIRST_CALL], check=True,
                          capture_output=True, text=True, timeout=600)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _stats(xs: Sequence[float]) -> dict:
    return {"ms": round(float(np.median(xs)), 1), "min_ms": round(min(xs), 1),
            "max_ms": round(max(xs), 1)}


def startup(rounds: int = 5) -> dict:
    """Fresh-process times: ``python -c`` of each of :data:`IMPORTS` (whole process, wall;
    the order rotated each round), and the first call of ``loss_and_grad`` (N=2000, D=50,
    K=10) in a process whose cache is warm. A first process of each kind, not timed, warms
    the verdict cache and the OS file cache, so no timed process pays a cold start the
    others do not. The import excess is the median over rounds of the same round's
    difference ``loss_and_grad − numpy`` (paired: a load change within a round hits both
    alike). derive's modules are compiled to bytecode first, as ``pip install`` does (an
    editable checkout under ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every
    module in every process)."""
    import compileall
    from pathlib import Path

    import derive

    compileall.compile_dir(str(Path(derive.__file__).parent), quiet=1)
    _first_call()  # fills the verdict cache, not timed
    names = list(IMPORTS)
    imported: dict[str, dict] = {}
    for name in names:  # warm-up, not timed
        imported[name] = _wall(IMPORTS[name])[1]
    ms: dict[str, list[float]] = {name: [] for name in names}
    first = []
    for r in range(rounds):  # each round: the first call, then the imports, rotated
        first.append(_first_call())
        for name in names[r % len(names):] + names[: r % len(names)]:
            t, seen = _wall(IMPORTS[name])
            ms[name].append(t)
            imported[name] = {m: imported[name][m] or seen[m] for m in seen}
    excess = [a - b for a, b in zip(ms["loss_and_grad"], ms["numpy"], strict=True)]
    lazy = [a - b for a, b in zip(ms["derive_kernels"], ms["numpy"], strict=True)]
    return {
        "python_c_import_numpy": _stats(ms["numpy"]),
        "python_c_import_derive_kernels": _stats(ms["derive_kernels"]),
        "python_c_from_derive_kernels_import_loss_and_grad": _stats(ms["loss_and_grad"]),
        "imports": {name: {"code": IMPORTS[name], **{f"{m}_imported": v
                                                     for m, v in imported[name].items()}}
                    for name in names},
        "import_excess_ms": round(float(np.median(excess)), 1),
        "import_excess_what": "median over rounds of (from derive.kernels import"
                              " loss_and_grad) - (import numpy), same round",
        "lazy_import_minus_numpy_ms": round(float(np.median(lazy)), 1),
        "first_call_warm_cache": _stats([f["first_call_ms"] for f in first]),
        "sympy_imported_by_first_call": any(f["sympy_imported"] for f in first),
        "rounds": rounds,
    }


def run(
    *,
    n: int = 60000,
    d: int = 784,
    ks: Sequence[int] = (2, 10, 100, 1000),
    rounds: int = 3,
    repeats: int = 5,
    dtypes: Sequence[str] = ("float64", "float32"),
    impls: Sequence[str] = IMPLS,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
    kernel: str | None = None,
    with_startup: bool = True,
    budget_s: float = BUDGET_S,
) -> dict:
    """All measurements of one benchmark run, as one JSON-ready dict."""
    started = time.perf_counter()
    import tempfile

    ref_dir = tempfile.TemporaryDirectory(prefix="derive-bench-")
    out: dict = {
        "machine": _machine(),
        "versions": _versions(),
        "method": (
            f"each implementation alone in a fresh process; {rounds} alternating rounds "
            f"(order rotated each round); per process up to {repeats} timed calls (at most"
            f" {budget_s:g} s of them, at least one) after 2 warm-up calls (1 when it took over"
            f" {budget_s:g} s), median; across rounds median and min-max of the per-round"
            " medians; the same rule and the same threads for every implementation"
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
                               budget_s=budget_s,
                               **({"kernel": kernel} if kernel else {"ref_dir": ref_dir.name}))
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
    if kernel is None and with_startup:
        if progress:
            progress("startup: import and first-call times")
        out["startup"] = startup(rounds=max(5, rounds))
    out["machine"]["load_average_at_end"] = (
        list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    )
    ref_dir.cleanup()
    out["notes"] = sorted(set(out["notes"]))
    out["elapsed_s"] = round(time.perf_counter() - started, 1)
    out.update(_report_rows(out))
    return out


#: The implementations every row's times are divided by (``ratio_to_<base>``), in table order:
#: ``gemm_blocked`` last (the products of derive's blocks alone; ``/blkGEMM`` in the table).
_BASES = ("numpy", "jax", "torch", "limit", "gemm_blocked")


def _ratios(row: dict) -> None:
    t = {name: v["ms"] for name, v in row["impls"].items()}
    for base in _BASES:
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


def _block_bound(row: dict, n: int, d: int) -> float | None:
    """The issue's bound on a call's extra memory, 2·(N·K + block·D) elements, in MB."""
    try:
        from derive.kernels.driver import _BUDGET
        from derive.kernels.runtime import block_rows_for
    except ImportError:  # pragma: no cover
        return None
    dt = np.dtype(row["dtype"])
    block = block_rows_for(d, dt.itemsize, _BUDGET.get(dt.name, 1 << 20))
    k = 1 if row["K"] == 2 else row["K"]
    return 2 * (n * k + block * d) * dt.itemsize / 1e6


def format_table(result: dict) -> str:
    """The human-readable table of :func:`run`'s result."""
    m = result["machine"]
    n, d = result["shape"]["N"], result["shape"]["D"]
    lines = [
        f"{m['cpu']}, {m['usable_cpus']} usable CPUs, load {m['load_average_at_start']}"
        f" at start, {m.get('load_average_at_end')} at end (a shared machine: absolute times"
        " are noise, ratios within one run are the evidence)",
        f"OpenBLAS/thread environment: {m.get('env') or 'none set'}",
        result["method"],
        f"kernel {result.get('kernel', 'loss_and_grad')}: N={n} D={d}"
        " (K=2: binary logistic regression, loss_and_grad_binary)",
        f"{'dtype':8} {'K':>5} {'impl':20} {'median ms':>10} {'min-max ms':>17}"
        f" {'/NumPy':>7} {'/JAX':>7} {'/torch':>7} {'/limit':>7} {'/blkGEMM':>8}"
        f" {'grad err':>9} {'peak MB':>8}",
    ]
    for row in result["runs"]:
        for impl in IMPLS:
            v = row["impls"].get(impl)
            if v is None:
                continue
            cells = [f"{v.get(f'ratio_to_{b}', float('nan')):{8 if b == 'gemm_blocked' else 7}.3f}"
                     for b in _BASES]
            err = v.get("grad_rel_error")
            peak = v.get("peak_extra_bytes")
            lines.append(
                f"{row['dtype']:8} {row['K']:5} {_LABELS[impl]:20} {v['ms']:10.2f}"
                f" {v['min_ms']:8.2f}-{v['max_ms']:<8.2f} {' '.join(cells)}"
                f" {err if err is not None else '':>9}"
                f" {'' if peak is None else f'{peak / 1e6:8.1f}'}"
            )
        lim = row["impls"].get("limit")
        if lim is not None:
            bound = _block_bound(row, n, d)
            lines.append(
                f"{'':14} limit = max({lim['x_bytes'] / 1e6:.0f} MB / "
                f"{lim['bandwidth_gbytes_per_s']} GB/s = {lim['limit_read_x_ms']} ms,"
                f" {lim['flops'] / 1e9:.2f} GFLOP / {lim['gemm_gflops']} GFLOP/s ="
                f" {lim['limit_flop_ms']} ms); peak-memory bound 2(NK+BD) ="
                f" {bound:.1f} MB" if bound is not None else "")
    start = result.get("startup")
    if start:
        lines.extend(_startup_lines(start))
    threads = {
        (t["internal_api"], t["num_threads"], t["architecture"])
        for row in result["runs"] for v in row["impls"].values() for t in v["threads"]
    }
    lines.append(f"BLAS/OpenMP pools seen in the children: {sorted(threads, key=str)}")
    envs = {json.dumps(r.get("env", {}), sort_keys=True)
            for row in result["runs"] for v in row["impls"].values() for r in [v]}
    lines.append(f"OpenBLAS/thread environment in the children: {sorted(envs)}")
    lines.append(f"versions: {result['versions']}")
    if "elapsed_s" in result:
        lines.append(f"elapsed: {result['elapsed_s']} s")
    lines.extend(result["notes"])
    return "\n".join(lines)


def _startup_lines(start: dict) -> list[str]:
    """The startup figures of :func:`startup`, with what each import brought in."""

    def fig(key: str) -> str:
        v = start[key]
        return f"{v['ms']} ms [{v['min_ms']}-{v['max_ms']}]"

    lines = [f"startup ({start['rounds']} rounds of fresh processes, order rotated; medians"
             " [min-max]):"]
    keys = {"numpy": "python_c_import_numpy", "derive_kernels": "python_c_import_derive_kernels",
            "loss_and_grad": "python_c_from_derive_kernels_import_loss_and_grad"}
    for name, info in start.get("imports", {}).items():
        lines.append(f"  python -c '{info['code']}' {fig(keys[name])}; NumPy imported:"
                     f" {info['numpy_imported']}, SymPy imported: {info['sympy_imported']}")
    lines.append(f"  import excess {start['import_excess_ms']} ms"
                 f" ({start.get('import_excess_what')})"
                 f"; first call (warm cache, N=2000 D=50 K=10, generated module loaded in it)"
                 f" {fig('first_call_warm_cache')}, SymPy imported:"
                 f" {start['sympy_imported_by_first_call']}")
    return lines


def main_json(result: dict) -> str:
    return json.dumps(result, indent=2, sort_keys=True)


if __name__ == "__main__":  # the child: python -m derive.kernels.bench '{"impl": ...}'
    spec = json.loads(sys.argv[1])
    print(json.dumps(measure(spec.pop("impl"), **spec)))
