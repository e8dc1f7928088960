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
>>> _sigmoid(numpy.array([-1e4, 0.0, 1e4])), _softplus(numpy.array([-1e4, 1e4]))
(array([0. , 0.5, 1. ]), array([    0., 10000.]))
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait

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


def _softplus(a):
    # log(1 + e^a) = max(a, 0) + log1p(e^{-|a|}): exp never overflows, and log1p keeps
    # the digits of a tiny e^{-|a|} that log(1 + ...) would round away.
    return numpy.maximum(a, 0) + numpy.log1p(numpy.exp(-numpy.abs(a)))


def _sigmoid(a):
    # 1/(1 + e^{-a}) for a >= 0 and e^a/(1 + e^a) below: exp of a non-positive number only.
    e = numpy.exp(-numpy.abs(a))
    return numpy.where(a >= 0, 1, e) / (1 + e)


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


# Logits of a row block, X_b·W, computed as (Wᵀ·X_bᵀ)ᵀ (the result then sits K×B in
# memory, which the softmax and (Mᵀ·X_b) read contiguously) where that was faster: in
# float64 0.8 of the time at K=10, and slower in float32 (1.15) on OpenBLAS 0.3.31
# (SkylakeX kernels), measured side by side in one process, N=60000, D=784.
_TRANSPOSED_LOGITS = {"float64": True, "float32": False}


def _mm(a, b):
    if _TRANSPOSED_LOGITS.get(a.dtype.name, False) and a.ndim == 2 and b.ndim == 2:
        return (b.T @ a.T).T
    return a @ b


def _tmm(a, b):
    # Aᵀ·B computed as (Bᵀ·A)ᵀ: for a row block (A = X_b, B×D; B = M_b, B×K) OpenBLAS
    # runs this orientation faster (K×D output from a K-row left factor; measured side by
    # side, N=60000, D=784: 0.67-0.9 of the time at K = 10, 100, 1000 in float64, within
    # noise in float32). The same matrix: only the order BLAS walks memory differs.
    return (b.T @ a).T


def _diag(col):
    # DiagMatrix of a column (..., K, 1): broadcasting against I_K puts it on the diagonal.
    return col * numpy.eye(col.shape[-2], dtype=col.dtype)


def _trace_ab(a, b):
    # trace(Aᵀ·B) = Σ A∘B, without the K×K product.
    return numpy.vdot(a, b)


# ---------------------------------------------------------------------------
# BLAS threads. The driver runs row ranges on its own threads, each wanting a
# single-threaded BLAS (OpenBLAS threads skinny K=10 products poorly). No library offers
# a per-thread BLAS thread count that works: OpenBLAS's ``openblas_set_num_threads_local``
# sets the process-wide count in the builds NumPy ships (two workers saving and restoring
# it race and leave 1 behind), and threadpoolctl, the well-kept way to steer BLAS pools,
# sets process-wide limits only. So the limit is process-wide, held only while blocks run,
# shared by concurrent kernel calls (the first sets it, the last restores what it found).
# Without threadpoolctl (the emitted module needs only NumPy) the blocks run in the
# calling thread and BLAS keeps its own threading.

try:
    from threadpoolctl import ThreadpoolController
except ImportError:  # pragma: no cover - threadpoolctl is a dependency of derive
    ThreadpoolController = None

_BLAS_LOCK = threading.Lock()
_BLAS_STATE: dict = {"users": 0, "limits": None, "controller": None}


def _blas_controller():
    """threadpoolctl's view of the BLAS libraries loaded now (None without threadpoolctl)."""
    if ThreadpoolController is None:
        return None
    if _BLAS_STATE["controller"] is None:
        _BLAS_STATE["controller"] = ThreadpoolController()
    return _BLAS_STATE["controller"]


@contextlib.contextmanager
def single_threaded_blas():
    """BLAS at one thread inside the block; every library's count restored after.

    >>> from threadpoolctl import threadpool_info
    >>> before = [i["num_threads"] for i in threadpool_info()]
    >>> with single_threaded_blas():
    ...     inside = {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}
    >>> inside <= {1}, [i["num_threads"] for i in threadpool_info()] == before
    (True, True)
    """
    controller = _blas_controller()
    if controller is None:
        yield
        return
    with _BLAS_LOCK:
        if _BLAS_STATE["users"] == 0:
            _BLAS_STATE["limits"] = controller.limit(limits=1, user_api="blas")
        _BLAS_STATE["users"] += 1
    try:
        yield
    finally:
        with _BLAS_LOCK:
            _BLAS_STATE["users"] -= 1
            if _BLAS_STATE["users"] == 0:
                _BLAS_STATE["limits"].restore_original_limits()
                _BLAS_STATE["limits"] = None


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


def _run_range(fn, rows, shared, lo: int, hi: int, step: int) -> list | None:
    acc = None
    for start in range(lo, hi, step):
        stop = min(start + step, hi)
        acc = _add(acc, fn(*[r[start:stop] for r in rows], *shared))
    return acc


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
        # A small input is one block: splitting it only makes the products smaller. Its
        # products are too small for BLAS threads to pay (on a busy machine a second
        # OpenBLAS thread made a 1797×64 product 100× slower, measured).
        with single_threaded_blas():
            return list(fn(*rows, *shared))
    if workers == 1 or _blas_controller() is None:  # no BLAS control: do not nest threads
        return _run_range(fn, rows, shared, 0, total, max(1, block_rows))
    nblocks = -(-total // block_rows)
    workers = min(workers, nblocks)
    cuts = [block_rows * (nblocks * w // workers) for w in range(workers)] + [total]
    with single_threaded_blas():
        # Each worker runs in a copy of the caller's context: NumPy's error state
        # (a context variable) is the caller's there too, and nothing leaks back.
        jobs = [
            _pool(workers).submit(
                contextvars.copy_context().run,
                _run_range, fn, rows, shared, cuts[w], cuts[w + 1], block_rows,
            )
            for w in range(workers)
        ]
        wait(jobs)  # all done before the limits are restored, even if one raised
        acc = None
        for job in jobs:
            acc = _add(acc, job.result())
    return acc
