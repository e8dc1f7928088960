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



# ---------------------------------------------------------------------------
# The fused pass (derive/kernels/fuse.py prints block functions that call these): every
# block-sized value lives in a buffer of the worker's Workspace, taken once and reused by
# every block; an in-place helper overwrites its argument with the node's value.


class Workspace:
    """One worker's buffers, by slot, in the dtype of X: ``get(slot, rows, cols)`` returns
    the first ``rows`` rows of a buffer allocated once (a block never needs more rows
    than the first one; the last, shorter block takes a view)."""

    def __init__(self, dtype):
        self.dtype = numpy.dtype(dtype)
        self._bufs = {}

    def get(self, slot, rows, cols):
        buf = self._bufs.get(slot)
        if buf is None or buf.shape[0] < rows or buf.shape[1] != cols:
            buf = self._bufs[slot] = numpy.empty((rows, cols), self.dtype)
        return buf[:rows]

    def like(self, slot, a):
        return self.get(slot, a.shape[0], a.shape[1])

    def ones(self, cols):
        buf = self._bufs.get(("ones", cols))
        if buf is None:
            buf = self._bufs[("ones", cols)] = numpy.ones((cols, 1), self.dtype)
        return buf

    def nbytes(self):
        return sum(b.nbytes for b in self._bufs.values())


def _mm_into(a, b, out):
    # A·B of a block into its workspace buffer (its own name: the printer of the unfused
    # functions prints _mm(A, B), defined above, and a second _mm here would replace it).
    return numpy.matmul(a, b, out=out)


def _copy(a, out):
    numpy.copyto(out, a)
    return out


def _rowmax_into(a, out):
    k = a.shape[-1]
    if k > 64:
        return numpy.max(a, axis=-1, keepdims=True, out=out)
    numpy.copyto(out, a[:, 0:1])
    for c in range(1, k):
        numpy.maximum(out, a[:, c : c + 1], out=out)
    return out


def _softmax_(a, ws):
    # In place: a - max (exp never overflows), exp, divided by the row sums.
    m = _rowmax_into(a, ws.get("m", a.shape[0], 1))
    a -= m
    numpy.exp(a, out=a)
    s = numpy.matmul(a, ws.ones(a.shape[1]), out=m)
    a /= s
    return a


def _log_softmax_(a, ws, key=None):
    # In place: a - max - log Σ exp(a - max); the largest entry's exp is exactly 1. With a
    # key, the exponentials and the row sums stay in the workspace under it for
    # _softmax_kept (the printer gives each log-softmax node its own key).
    m = _rowmax_into(a, ws.get("m", a.shape[0], 1))
    a -= m
    e = numpy.exp(a, out=ws.like(("e", key), a))
    s = numpy.matmul(e, ws.ones(a.shape[1]), out=ws.get(("s", key), a.shape[0], 1))
    a -= numpy.log(s, out=m)
    return a


def _softmax_kept(out, ws, key):
    # exp(log_softmax(A)) = exp(A - max)/Σ exp(A - max), from what _log_softmax_(., ws, key)
    # kept for the same block (same rows as ``out``).
    rows, cols = out.shape
    return numpy.divide(ws.get(("e", key), rows, cols), ws.get(("s", key), rows, 1), out=out)


def _log1p_exp_neg_abs(a, ws):
    # log1p(e^{-|a|}): exp of a non-positive number only, log1p keeps a tiny one's digits.
    e = numpy.abs(a, out=ws.like("sp", a))
    numpy.negative(e, out=e)
    numpy.exp(e, out=e)
    return numpy.log1p(e, out=e)


def _sigmoid_(a, ws):
    # 1/(1 + e^{-a}) for a >= 0 and e^a/(1 + e^a) below, with e = e^{-|a|}.
    e = numpy.abs(a, out=ws.like("sp", a))
    numpy.negative(e, out=e)
    numpy.exp(e, out=e)
    neg = a < 0
    numpy.copyto(a, 1)
    numpy.copyto(a, e, where=neg)
    e += 1
    a /= e
    return a


def _log_sigmoid_(a, ws):
    # log σ(a) = -softplus(-a) = min(a, 0) - log1p(e^{-|a|}).
    e = _log1p_exp_neg_abs(a, ws)
    numpy.minimum(a, 0, out=a)
    a -= e
    return a


def _log1m_sigmoid_(a, ws):
    # log(1 - σ(a)) = -softplus(a) = min(-a, 0) - log1p(e^{-|a|}).
    e = _log1p_exp_neg_abs(a, ws)
    numpy.negative(a, out=a)
    numpy.minimum(a, 0, out=a)
    a -= e
    return a


def _acc_add(acc, p, value):
    if acc[p] is None:
        acc[p] = value.copy() if isinstance(value, numpy.ndarray) else value
    elif isinstance(acc[p], numpy.ndarray):
        acc[p] += value
    else:
        acc[p] = acc[p] + value


def _acc_colsum(acc, p, f):
    # 1ᵀ·F of a block: its column sums.
    _acc_add(acc, p, f.sum(axis=0, keepdims=True))


def _acc_tmm(acc, p, a, m, tmp):
    # Aᵀ·M of a block, kept as Mᵀ·A (K×D, the orientation OpenBLAS runs faster for a
    # skinny M); the driver transposes the sum once, after the last block.
    numpy.matmul(m.T, a, out=tmp)
    _acc_add(acc, p, tmp)


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


def _blas_controller(refresh: bool = False):
    """threadpoolctl's view of the BLAS libraries loaded now (None without threadpoolctl);
    ``refresh`` looks again (a library loaded since, e.g. by JAX or PyTorch, is seen)."""
    if ThreadpoolController is None:
        return None
    if refresh or _BLAS_STATE["controller"] is None:
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
    if ThreadpoolController is None:
        yield
        return
    with _BLAS_LOCK:
        if _BLAS_STATE["users"] == 0:  # the outermost call: the libraries loaded now
            controller = _blas_controller(refresh=True)
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


_POOL = None  # a concurrent.futures.ThreadPoolExecutor, made on the first parallel call
_POOL_LOCK = threading.Lock()


def _pool(workers: int):
    # Imported here: a first call on a small input (one block) needs no thread pool.
    from concurrent.futures import ThreadPoolExecutor

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


def _run_range(fn, terms: int, rows, shared, lo: int, hi: int, step: int,
               spaces: dict | None = None) -> list:
    """Blocks ``lo..hi`` in order into accumulators of their own, in the workspace of the
    running thread (kept in ``spaces`` for the call's later ranges on that thread)."""
    key = threading.get_ident()
    ws = None if spaces is None else spaces.get(key)
    if ws is None:
        ws = Workspace(rows[0].dtype)
        if spaces is not None:
            spaces[key] = ws
    acc: list = [None] * terms
    for start in range(lo, hi, step):
        stop = min(start + step, hi)
        fn(ws, acc, *[r[start:stop] for r in rows], *shared)
    return acc


#: Row ranges per call (at most): more ranges than cores, so that a core slowed by other
#: processes takes fewer of them (threads pick the next range when free), and a fixed count
#: so the sum's order, hence its last bits, depends on neither the cores nor the scheduling.
RANGES = 16


def reduce_rows(
    fn: Callable[..., None],
    rows: Sequence[numpy.ndarray],
    shared: Sequence[object],
    *,
    block_rows: int,
    terms: int,
    workers: int | None = None,
    min_parallel_rows: int = 2048,
) -> list:
    """``Σ_b fn(b)`` over row blocks ``b``: ``fn(ws, acc, *[r[b] for r in rows], *shared)``
    adds block ``b``'s ``terms`` terms into ``acc`` (a list, ``None`` before the first).

    The blocks are cut into at most :data:`RANGES` contiguous ranges, each summed into its
    own accumulators; ``workers`` threads take the ranges as they become free (each
    thread with its own :class:`Workspace`, BLAS at one thread while they run), and the
    range sums are added in range order after, so the result is the same bits on any
    number of workers and any schedule. Small inputs run in one block.

    >>> import numpy
    >>> def block(ws, acc, a):
    ...     _acc_add(acc, 0, a.sum())
    >>> reduce_rows(block, [numpy.arange(10.0)], [], block_rows=3, terms=1)
    [np.float64(45.0)]
    """
    total = len(rows[0])
    workers = worker_count() if workers is None else workers
    if total <= block_rows or total < min_parallel_rows:
        # A small input is one block: splitting it only makes the products smaller. Its
        # products are too small for BLAS threads to pay (on a busy machine a second
        # OpenBLAS thread made a 1797×64 product 100× slower, measured).
        with single_threaded_blas():
            return _run_range(fn, terms, rows, shared, 0, total, max(1, total))
    nblocks = -(-total // block_rows)
    ranges = min(RANGES, nblocks)
    cuts = [block_rows * (nblocks * r // ranges) for r in range(ranges)] + [total]
    spaces: dict = {}
    if workers == 1 or _blas_controller() is None:  # no BLAS control: do not nest threads
        parts = [_run_range(fn, terms, rows, shared, cuts[r], cuts[r + 1], block_rows, spaces)
                 for r in range(ranges)]
    else:
        with single_threaded_blas():
            # Each range runs in a copy of the caller's context: NumPy's error state (a
            # context variable) is the caller's there too, and nothing leaks back.
            pool = _pool(min(workers, ranges))
            jobs = [
                pool.submit(
                    contextvars.copy_context().run, _run_range, fn, terms, rows, shared,
                    cuts[r], cuts[r + 1], block_rows, spaces,
                )
                for r in range(ranges)
            ]
            from concurrent.futures import wait

            wait(jobs)  # all done before the limits are restored, even if one raised
            parts = [job.result() for job in jobs]
    acc = None
    for part in parts:
        acc = _add(acc, part)
    return acc
