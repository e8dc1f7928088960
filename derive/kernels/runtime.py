"""What generated kernels run on: stable softmax helpers and a row-blocking driver.

This module imports only NumPy and the standard library: ``derive kernels --emit``
copies its source verbatim into the emitted module, next to the generated code.

The driver exists because a data term of a proven form, ``Xᵀ·R(X, Y)``, is a sum
over rows: ``Σ_b X_bᵀ·R(X_b, Y_b)`` for row blocks ``b``. Working block by block keeps
``X_b`` in cache between the two products (``X_b·W`` and ``X_bᵀ·M_b``), keeps every
temporary at block size, and lets each core own a contiguous range of blocks with a
single-threaded BLAS (OpenBLAS threads skinny K=10 products poorly).

>>> import numpy
>>> _log_softmax(numpy.array([[1e4, 0.0]]))
array([[     0., -10000.]])
"""

from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy


def _rowmax(a):
    # NumPy reduces a short last axis row by row (K=10: 2.7 ms at N=60000); the
    # maximum over K columns is K vectorised passes instead (0.6 ms).
    k = a.shape[-1]
    if k > 64:
        return a.max(axis=-1, keepdims=True)
    m = a[..., 0:1].copy()
    for c in range(1, k):
        numpy.maximum(m, a[..., c : c + 1], out=m)
    return m


def _rowsum(a):
    # Row sums as a product with a column of ones: BLAS instead of a per-row reduce.
    return a @ numpy.ones((a.shape[-1], 1), dtype=a.dtype)


def _log_softmax(a):
    # Max shift: exp never overflows, and the largest entry's term is exactly 1.
    s = a - _rowmax(a)
    s -= numpy.log(_rowsum(numpy.exp(s)))
    return s


def _softmax(a):
    e = numpy.exp(a - _rowmax(a))
    e /= _rowsum(e)
    return e


def _sub_onehot(a, t):
    # In place: the printer hands over a fresh array (or a copy of a shared one).
    a[numpy.arange(a.shape[0]), t] -= 1
    return a


def _pick_sum(a, t):
    # trace(onehot(t)ᵀ·A) = Σ_n A[n, t_n], without the n×K one-hot matrix.
    return a[numpy.arange(a.shape[0]), t].sum()


def _rowsum_bcast(a):
    # (A·1)·1ᵀ: every entry of a row replaced by the row's sum, as a broadcast view.
    return numpy.broadcast_to(_rowsum(a), a.shape)


def _diag(col):
    # DiagMatrix of a column (..., K, 1): broadcasting against I_K puts it on the diagonal.
    return col * numpy.eye(col.shape[-2], dtype=col.dtype)


def _trace_ab(a, b):
    # trace(Aᵀ·B) = Σ A∘B, without the K×K product.
    return numpy.vdot(a, b)


# ---------------------------------------------------------------------------
# BLAS threads. Only OpenBLAS is steered; any other BLAS keeps its own threading and
# the driver then runs the blocks in the calling thread.

_BLAS_LOCAL: Callable[[int], int] | None = None
_BLAS_PROBED = False


def _blas_thread_local() -> Callable[[int], int] | None:
    """``openblas_set_num_threads_local`` of the loaded OpenBLAS, if there is one."""
    global _BLAS_LOCAL, _BLAS_PROBED
    if _BLAS_PROBED:
        return _BLAS_LOCAL
    _BLAS_PROBED = True
    paths: list[str] = []
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1] if line.strip() else ""
                if "openblas" in os.path.basename(path).lower() and path not in paths:
                    paths.append(path)
    except OSError:
        return None
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
            fn = lib.openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        fn.argtypes = [ctypes.c_int]
        fn.restype = ctypes.c_int
        _BLAS_LOCAL = fn
        break
    return _BLAS_LOCAL


def worker_count() -> int:
    """Cores this process may use (the driver's thread count), at most 8."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _pool(workers: int) -> ThreadPoolExecutor:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None or _POOL._max_workers != workers:
            _POOL = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="derive-kernel")
        return _POOL


def block_rows_for(cols: int, itemsize: int, budget: int = 1 << 20) -> int:
    """Rows per block so that one block of X takes about ``budget`` bytes."""
    return max(8, budget // max(1, cols * itemsize))


def _add(acc: list | None, out: Sequence) -> list:
    if acc is None:
        return [o.copy() if isinstance(o, numpy.ndarray) else o for o in out]
    for p, o in enumerate(out):
        if isinstance(o, numpy.ndarray):
            acc[p] += o
        else:
            acc[p] = acc[p] + o
    return acc


def _run_range(fn, rows, shared, lo: int, hi: int, step: int, single: bool) -> list | None:
    setter = _blas_thread_local() if single else None
    previous = setter(1) if setter is not None else None
    try:
        acc = None
        for start in range(lo, hi, step):
            stop = min(start + step, hi)
            acc = _add(acc, fn(*[r[start:stop] for r in rows], *shared))
        return acc
    finally:
        if setter is not None and previous is not None:
            setter(previous)


def reduce_rows(
    fn: Callable[..., Sequence],
    rows: Sequence[numpy.ndarray],
    shared: Sequence[object],
    *,
    block_rows: int,
    workers: int | None = None,
    min_parallel_rows: int = 2048,
) -> list:
    """``Σ_b fn(*[r[b] for r in rows], *shared)`` over row blocks ``b``, entry by entry.

    Row ranges go to ``workers`` threads (contiguous ranges, summed in a fixed order,
    so the result does not depend on scheduling). Small inputs run in one block.

    >>> import numpy
    >>> reduce_rows(lambda a: (a.sum(),), [numpy.arange(10.0)], [], block_rows=3)
    [np.float64(45.0)]
    """
    total = len(rows[0])
    workers = worker_count() if workers is None else workers
    if total <= block_rows or total < min_parallel_rows:
        # A small input is one block: splitting it only makes the products smaller.
        return list(fn(*rows, *shared))
    if workers == 1:
        return _run_range(fn, rows, shared, 0, total, max(1, block_rows), False)
    if _blas_thread_local() is None:  # cannot keep BLAS to one thread: do not nest threads
        return _run_range(fn, rows, shared, 0, total, block_rows, False)
    nblocks = -(-total // block_rows)
    workers = min(workers, nblocks)
    cuts = [block_rows * (nblocks * w // workers) for w in range(workers)] + [total]
    jobs = [
        _pool(workers).submit(_run_range, fn, rows, shared, cuts[w], cuts[w + 1], block_rows, True)
        for w in range(workers)
    ]
    acc = None
    for job in jobs:
        acc = _add(acc, job.result())
    return acc
