"""Benchmark: the proven gradient over a data set larger than the Dask workers' memory.

Makes a float32 ``.npy`` of ``--gb`` gigabytes (rows of D = 784 features, labels
0..K-1 in a second file) unless it exists, then

1. the in-memory kernel on a slice (``--slice-gb``, loaded into this process), alone;
2. a ``dask.distributed.LocalCluster`` of ``--workers`` processes limited to
   ``--memory-limit`` each, streaming the file chunk by chunk (each worker memory-maps
   the file and copies its rows: nothing but paths travels in the task graph), the same
   proven block function per chunk, partial sums reduced in a tree.

Prints one JSON document: GB/s of both, their ratio, the gradient's agreement with the
in-memory kernel on the slice and (``--full-compare``: the whole file loaded into this
process after the cluster closed) on the whole data, the workers' memory limit against
the file's size, and the machine's RAM (a file smaller than RAM may be
served from the page cache after the first pass: both passes are reported).

    python benchmarks/bench_dask.py --dir /work/tmp/derive-ooc [--gb 8] [--keep]
    python benchmarks/bench_dask.py --dir /tmp/derive-ooc --gb 1 --memory-limit 256MB \
        --full-compare        # a file 4× one worker's memory, compared whole

Needs ``pip install "derive[dask]"``. Shared 2-core machines: absolute GB/s are noise;
the ratio in one run is the evidence.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path

import numpy as np

D, K = 784, 10


def make_data(folder: Path, gb: float, seed: int = 0) -> tuple[Path, Path]:
    """``x.npy`` (float32, N×784) and ``y.npy`` (int8 labels), written block by block."""
    folder.mkdir(parents=True, exist_ok=True)
    n = int(gb * 1e9) // (D * 4)
    xp, yp = folder / "x.npy", folder / "y.npy"
    if xp.exists() and yp.exists() and np.load(xp, mmap_mode="r").shape == (n, D):
        return xp, yp
    free = shutil.disk_usage(folder).free
    if free < n * D * 4 * 1.1:
        raise SystemExit(f"{folder}: {free / 1e9:.1f} GB free, need {n * D * 4 / 1e9:.1f} GB")
    rng = np.random.default_rng(seed)
    W_true = rng.standard_normal((D, K)).astype(np.float32) / np.sqrt(D)
    X = np.lib.format.open_memmap(xp, mode="w+", dtype=np.float32, shape=(n, D))
    Y = np.lib.format.open_memmap(yp, mode="w+", dtype=np.int8, shape=(n,))
    step = 65536
    for s in range(0, n, step):
        block = rng.standard_normal((min(step, n - s), D), dtype=np.float32)
        X[s : s + len(block)] = block
        Y[s : s + len(block)] = np.argmax(block @ W_true * 3 + rng.gumbel(size=(len(block), K)),
                                          axis=1)
    X.flush()
    Y.flush()
    del X, Y
    return xp, yp


def timed(fn, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", required=True, help="folder for x.npy and y.npy")
    ap.add_argument("--gb", type=float, default=8.0, help="size of X in GB (default 8)")
    ap.add_argument("--slice-gb", type=float, default=0.5, help="in-memory slice (default 0.5)")
    ap.add_argument("--chunk-mb", type=float, default=64, help="rows per chunk, in MB of X")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--memory-limit", default="1GB", help="per worker (default 1GB)")
    ap.add_argument("--passes", type=int, default=2, help="full passes over the file")
    ap.add_argument("--keep", action="store_true", help="keep the data files")
    ap.add_argument("--full-compare", action="store_true",
                    help="also run the whole file in memory here and compare")
    args = ap.parse_args()

    import dask
    from distributed import Client, LocalCluster

    from derive.kernels import loss_and_grad
    from derive.kernels.chunked import rows_from_npy

    folder = Path(args.dir)
    t0 = time.perf_counter()
    xp, yp = make_data(folder, args.gb)
    made_s = time.perf_counter() - t0
    Xm, ym = np.load(xp, mmap_mode="r"), np.load(yp, mmap_mode="r")
    n = Xm.shape[0]
    W = (0.01 * np.random.default_rng(1).standard_normal((D, K))).astype(np.float32)

    # 1. In-memory kernel on a slice, alone (no cluster running yet).
    rows = min(n, int(args.slice_gb * 1e9) // (D * 4))
    Xs, ys = np.array(Xm[:rows]), np.array(ym[:rows])
    loss_and_grad(Xs, ys, W)  # warm-up: proof gate, generated module
    mem_t = timed(lambda: loss_and_grad(Xs, ys, W), 5)
    mem_gbs = Xs.nbytes / np.median(mem_t) / 1e9
    _, g_slice = loss_and_grad(Xs, ys, W, reduction="sum")
    Xs = ys = None  # free the slice before the cluster starts

    # 2. The whole file through a LocalCluster with memory-limited workers.
    chunk_rows = max(1, int(args.chunk_mb * 1e6) // (D * 4))
    with dask.config.set({"distributed.worker.memory.spill": False}), LocalCluster(
        n_workers=args.workers, threads_per_worker=1, processes=True,
        memory_limit=args.memory_limit, dashboard_address=None,
    ) as cluster, Client(cluster) as client:
        X, y = rows_from_npy(str(xp), chunk_rows), rows_from_npy(str(yp), chunk_rows)
        # The slice through the cluster: same result as in memory?
        _, g_dask_slice = loss_and_grad(X[:rows], y[:rows], W, reduction="sum")
        passes = timed(lambda: loss_and_grad(X, y, W), args.passes)
        loss_dask, g_dask = loss_and_grad(X, y, W, reduction="sum")
        limits = [w["memory_limit"] for w in client.scheduler_info()["workers"].values()]
    full = None
    if args.full_compare:  # the whole file in this process's memory, the same kernel
        loss_mem, g_mem = loss_and_grad(np.load(xp), np.load(yp), W, reduction="sum")
        full = {
            "loss_dask": float(loss_dask), "loss_in_memory": float(loss_mem),
            "loss_rel_error": float(f"{abs(loss_dask - loss_mem) / abs(loss_mem):.3g}"),
            "grad_rel_error": float(f"{np.abs(g_dask - g_mem).max() / np.abs(g_mem).max():.3g}"),
            "file_over_one_worker_memory": round(Xm.nbytes / min(limits), 2),
        }
    rel = float(np.abs(g_dask_slice - g_slice).max() / np.abs(g_slice).max())
    ooc_gbs = [Xm.nbytes / t / 1e9 for t in passes]
    result = {
        "data": {"file": str(xp), "X_gbytes": round(Xm.nbytes / 1e9, 2), "N": n, "D": D,
                 "K": K, "dtype": "float32", "made_in_s": round(made_s, 1)},
        "cluster": {"workers": args.workers, "threads_per_worker": 1,
                    "memory_limit_bytes_each": limits, "chunk_rows": chunk_rows,
                    "chunk_mbytes": round(chunk_rows * D * 4 / 1e6, 1)},
        "machine": {"cpus": os.cpu_count(),
                    "ram_gbytes": round(os.sysconf("SC_PAGE_SIZE")
                                        * os.sysconf("SC_PHYS_PAGES") / 1e9, 1),
                    "load_average": list(os.getloadavg())},
        "in_memory_slice": {"rows": rows, "gbytes": round(rows * D * 4 / 1e9, 2),
                            "median_s": round(float(np.median(mem_t)), 4),
                            "gbytes_per_s": round(mem_gbs, 2)},
        "out_of_core": {"pass_s": [round(t, 2) for t in passes],
                        "gbytes_per_s": [round(v, 2) for v in ooc_gbs]},
        "ratio_out_of_core_to_in_memory": round(max(ooc_gbs) / mem_gbs, 3),
        "slice_grad_rel_error_dask_vs_in_memory": float(f"{rel:.3g}"),
        "whole_file_dask_vs_in_memory": full,
        "note": "2 cores shared with other engineers while measured: ratios, not absolutes",
    }
    print(json.dumps(result, indent=2))
    if not args.keep:
        xp.unlink()
        yp.unlink()


if __name__ == "__main__":
    main()
