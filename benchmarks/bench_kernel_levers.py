"""Benchmark: where the generated ``loss_and_grad`` loses time against the machine (issue 21).

Three measurements, each in one process, the variants of one measurement in alternating
rounds (medians of wall and CPU time, and the median over rounds of each variant's ratio to
the first; on a shared machine compare within one run, and prefer the CPU-time ratio of the
one-thread sections):

* ``gemm``: one thread, BLAS at one thread. The square GEMM rate (1500×1500) against the
  two block products of the kernel at width K and at padded widths: ``X_b·W`` and
  ``M_bᵀ·X_b`` over the rows of X in blocks of the driver's size. Prints each product's
  rate as a fraction of the square rate: the bench's limit at K = 10 is the square rate
  (FLOP bound), so the two products alone cost ``1/fraction`` of it.
* ``orientation``: the same products written other ways (``(Wᵀ·X_bᵀ)ᵀ``, a Fortran-order
  W or output; ``X_bᵀ·M_b`` and a Fortran-order M).
* ``threads``: the generated kernel with the driver's threads (BLAS at one thread inside)
  against one thread with OpenBLAS's own threads.

    python benchmarks/bench_kernel_levers.py [--k 10] [--dtype float64] [--rounds 7]
        [--only gemm orientation threads]

threadpoolctl's view of BLAS (kernel, threads) and the ``OPENBLAS_*``/``OMP_*`` environment
are printed first; every BLAS limit is restored after.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

N, D = 60000, 784


def alternate(fns: dict[str, Callable[[], object]], rounds: int) -> dict[str, list]:
    """Per variant: ``[(wall, cpu), ...]`` over ``rounds`` rounds, the order rotating."""
    names = list(fns)
    for name in names:  # warm-up: caches, packing buffers, thread pools
        fns[name]()
    out: dict[str, list] = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names):] + names[: r % len(names)]:
            c0, t0 = time.process_time(), time.perf_counter()
            fns[name]()
            out[name].append((time.perf_counter() - t0, time.process_time() - c0))
    return out


def report(title: str, times: dict[str, list]) -> dict[str, float]:
    """Print the table; return each variant's median CPU seconds."""
    names = list(times)
    base = np.array(times[names[0]])
    print(f"--- {title} (load {os.getloadavg()[0]:.1f})")
    cpu = {}
    for name in names:
        t = np.array(times[name])
        wall, cpu[name] = float(np.median(t[:, 0])), float(np.median(t[:, 1]))
        wr, cr = np.median(t[:, 0] / base[:, 0]), np.median(t[:, 1] / base[:, 1])
        print(f"  {name:30s} wall {wall * 1e3:9.2f} ms  cpu {cpu[name] * 1e3:9.2f} ms"
              f"  ratio wall {wr:.3f} cpu {cr:.3f}")
    return cpu


def data(k: int, dtype: str):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((N, D), dtype=np.float32).astype(dtype, copy=False)
    return X, rng.integers(0, k, N), (0.01 * rng.standard_normal((D, k))).astype(dtype)


def blocks_of(X: np.ndarray) -> list[np.ndarray]:
    """X cut as the driver cuts it (its budget of bytes of X per block)."""
    from derive.kernels.driver import _BUDGET
    from derive.kernels.runtime import block_rows_for

    step = block_rows_for(D, X.dtype.itemsize, _BUDGET.get(X.dtype.name, 1 << 20))
    return [X[s : s + step] for s in range(0, len(X), step)]


def gemm(k: int, dtype: str, rounds: int) -> None:
    X, _, W = data(k, dtype)
    blocks = blocks_of(X)
    rows = blocks[0].shape[0]
    sq = np.random.default_rng(1).standard_normal((1500, 1500)).astype(dtype)
    widths = sorted({k, 12, 16, 32} if k < 32 else {k})
    fns: dict[str, Callable[[], object]] = {"square 1500": lambda: sq @ sq}
    for w in widths:
        Ww = np.zeros((D, w), dtype)
        Ww[:, : min(k, w)] = W[:, : min(k, w)]
        M = np.random.default_rng(2).standard_normal((rows, w)).astype(dtype)
        z, acc = np.empty((rows, w), dtype), np.empty((w, D), dtype)

        def fwd(Ww=Ww, z=z):
            for xb in blocks:
                np.matmul(xb, Ww, out=z[: len(xb)])

        def bwd(M=M, acc=acc):
            for xb in blocks:
                np.matmul(M[: len(xb)].T, xb, out=acc)

        fns[f"X_b@W width {w}"], fns[f"M_b.T@X_b width {w}"] = fwd, bwd
    with threadpool_limits(1, user_api="blas"):
        cpu = report(f"gemm: one thread, {dtype}, K={k}, {rows}-row blocks", alternate(fns, rounds))
    rate = 2 * 1500**3 / cpu["square 1500"]
    print(f"  square GEMM: {rate / 1e9:.1f} GFLOP/s per core (CPU time)")
    for w in widths:
        for name in (f"X_b@W width {w}", f"M_b.T@X_b width {w}"):
            done = 2 * N * D * w / cpu[name]
            print(f"  {name:22s} {done / 1e9:6.1f} GFLOP/s = {done / rate:.2f} of square;"
                  f" of it useful (K={k}): {2 * N * D * k / cpu[name] / rate:.2f}")


def orientation(k: int, dtype: str, rounds: int) -> None:
    X, _, W = data(k, dtype)
    blocks = blocks_of(X)
    rows = blocks[0].shape[0]
    Wf, Wt = np.asfortranarray(W), np.ascontiguousarray(W.T)
    z, zf = np.empty((rows, k), dtype), np.empty((rows, k), dtype, order="F")
    M = np.random.default_rng(2).standard_normal((rows, k)).astype(dtype)
    Mf = np.asfortranarray(M)
    acc, acc_t = np.empty((k, D), dtype), np.empty((D, k), dtype)

    def each(step: Callable[[np.ndarray], object]) -> Callable[[], None]:
        def run() -> None:
            for xb in blocks:
                step(xb)
        return run

    first = {
        "X_b@W": each(lambda xb: np.matmul(xb, W, out=z[: len(xb)])),
        "X_b@W, W Fortran order": each(lambda xb: np.matmul(xb, Wf, out=z[: len(xb)])),
        "X_b@W into Fortran order": each(lambda xb: np.matmul(xb, W, out=zf[: len(xb)])),
        "(W.T@X_b.T).T": each(lambda xb: (Wt @ xb.T).T),
    }
    second = {
        "M_b.T@X_b (KxD)": each(lambda xb: np.matmul(M[: len(xb)].T, xb, out=acc)),
        "M_b.T@X_b, M Fortran order": each(lambda xb: np.matmul(Mf[: len(xb)].T, xb, out=acc)),
        "X_b.T@M_b (DxK)": each(lambda xb: np.matmul(xb.T, M[: len(xb)], out=acc_t)),
    }
    with threadpool_limits(1, user_api="blas"):
        report(f"orientation, first product: one thread, {dtype}, K={k}", alternate(first, rounds))
        report(f"orientation, second product: one thread, {dtype}, K={k}",
               alternate(second, rounds))


def threads(k: int, dtype: str, rounds: int) -> None:
    import derive.kernels.bundle as bundle
    from derive.kernels.api import loss_and_grad

    X, y, W = data(k, dtype)
    mod = bundle.module()
    own = mod.worker_count

    def one_thread() -> None:
        mod.worker_count = lambda: 1  # the driver's blocks in this thread, BLAS unlimited
        try:
            loss_and_grad(X, y, W)
        finally:
            mod.worker_count = own

    report(f"threads: generated loss_and_grad, {dtype}, K={k}", alternate({
        "driver threads, BLAS at 1": lambda: loss_and_grad(X, y, W),
        "one thread, OpenBLAS threads": one_thread,
    }, rounds))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--dtype", default="float64", choices=("float64", "float32"))
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--only", nargs="+", default=["gemm", "orientation", "threads"],
                    choices=("gemm", "orientation", "threads"))
    args = ap.parse_args()
    blas = [(i["internal_api"], i["version"], i.get("architecture"), i["num_threads"])
            for i in threadpool_info() if i["user_api"] == "blas"]
    env = {v: os.environ[v] for v in os.environ if v.startswith(("OPENBLAS", "OMP_"))}
    print(f"BLAS {blas}; env {env}; N={N} D={D}")
    sections = {"gemm": gemm, "orientation": orientation, "threads": threads}
    for name in args.only:
        sections[name](args.k, args.dtype, args.rounds)


if __name__ == "__main__":
    main()
