"""``loss_and_grad`` on Dask arrays: the proven per-block function on each row chunk,
partial sums combined by a tree reduction, on whatever scheduler is active.

A proven form ``c·Σ_n F(x_n, y_n) + R`` is a sum over rows (see
:mod:`derive.kernels.generate`): each chunk of rows gives its partial sums with the same
generated block function the in-memory kernel runs, the partial sums are added pairwise
(``split_every`` at a time) in a tree, and the finishing map ``acc ↦ c·acc + R`` runs
once in the caller. Nothing but the K×D partial sums travels between workers. Works on
the local scheduler and on a ``dask.distributed`` cluster (the active ``Client``).

Dask is an optional extra (``pip install "derive[dask]"``); this module is imported only
when a Dask array is passed.

>>> import numpy as np, dask.array as da
>>> from derive.kernels import loss_and_grad
>>> X = da.from_array(np.eye(4), chunks=(2, 4)); y = np.array([0, 1, 0, 1])
>>> loss, g = loss_and_grad(X, y, np.zeros((4, 2)))
>>> round(float(loss), 4), type(g).__name__
(0.6931, 'ndarray')
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from derive.errors import DeriveError
from derive.kernels import validate

__all__ = ["is_dask", "loss_and_grad", "rows_from_npy"]


def is_dask(value: object) -> bool:
    """A Dask collection (checked by type, without importing Dask)."""
    return type(value).__module__.split(".")[0] == "dask"


def _dask():
    try:
        import dask
        import dask.array as da
    except ImportError as exc:  # pragma: no cover - only without the extra
        raise DeriveError(
            "a Dask array was given but Dask is not installed:"
            ' expected `pip install "derive[dask]"`'
        ) from exc
    return dask, da


def _chunk(xb, yb, W, b, start, reduction, labels):
    """Partial sums of one row chunk (runs on a worker)."""
    from derive.kernels.generate import build_module

    xb = np.asarray(xb)
    yb = np.asarray(yb)
    stop = start + xb.shape[0]
    try:
        validate.float_matrix("X", xb, finite=False)
        validate.same_dtype("X", xb, "W", W)
        if xb.shape[1] != W.shape[0]:
            raise DeriveError(f"X has {xb.shape[1]} columns: expected D={W.shape[0]} like W")
        yb = validate.labels(yb, xb.shape[0], W.shape[1], xb.dtype)
    except DeriveError as exc:
        raise DeriveError(f"rows {start}..{stop - 1} of the Dask arrays: {exc}") from None
    mod = build_module()
    tag = reduction + ("_bias" if b is not None else "")
    block = getattr(mod, f"_block_{tag}_{'labels' if labels else 'dense'}")
    shared = (W,) if b is None else (W, b.reshape(-1, 1))
    with np.errstate(over="ignore", invalid="ignore"):
        return mod._sum_blocks(block, (xb, yb), shared, xb.shape[1], xb.dtype)


def _add(*parts):
    out = [p.copy() if isinstance(p, np.ndarray) else p for p in parts[0]]
    for part in parts[1:]:
        for i, p in enumerate(part):
            out[i] = out[i] + p
    return out


def _tree(dask, nodes: list, split_every: int) -> object:
    """Pairwise (``split_every``-wise) sums of delayed partial sums, level by level."""
    add = dask.delayed(_add, pure=True)
    while len(nodes) > 1:
        nodes = [
            add(*nodes[i : i + split_every]) if len(nodes[i : i + split_every]) > 1
            else nodes[i]
            for i in range(0, len(nodes), split_every)
        ]
    return nodes[0]


def loss_and_grad(
    X,
    y,
    W: np.ndarray,
    *,
    lam: float,
    b: np.ndarray | None,
    reduction: str,
    gate: Callable[[str, bool], None],
    split_every: int = 8,
) -> tuple:
    """The Dask path of :func:`derive.kernels.loss_and_grad` (same arguments).

    ``X``: a Dask array (N, D) chunked by rows; ``y``: Dask or NumPy labels (N,) or label
    rows (N, K). ``W``, ``b`` in memory. ``gate`` requires the proof links of the variant.
    """
    dask, da = _dask()
    if not is_dask(X):
        raise DeriveError(
            f"X is a {type(X).__name__} and y a Dask array: expected X as a Dask array too"
        )
    if X.ndim != 2:
        raise DeriveError(f"X has shape {X.shape}: expected 2 dimensions (N, D)")
    if X.dtype not in validate.FLOATS:
        raise DeriveError(f"X has dtype {X.dtype}: expected float32 or float64")
    n, d = X.shape
    if any(np.isnan(s) for s in (n, d)):
        raise DeriveError("X has unknown chunk sizes: expected known row counts")
    W = validate.float_matrix("W", W)
    k, lam, b = validate.model_parameters(W, d, X.dtype, lam, reduction, b)
    if n == 0:
        raise DeriveError(f"X is empty (shape {X.shape}): expected at least one row")
    if X.numblocks[1] != 1:  # a chunk must hold whole rows
        X = X.rechunk({1: -1})
    if not is_dask(y):
        y = np.asarray(y)
    if y.ndim not in (1, 2) or y.shape[0] != n:
        raise DeriveError(f"y has shape {y.shape}: expected ({n},) labels or ({n}, {k}) rows")
    whole = (-1,) if y.ndim == 2 else ()
    y = y.rechunk((X.chunks[0], *whole)) if is_dask(y) else da.from_array(
        y, chunks=(X.chunks[0], *y.shape[1:]))
    labels = y.ndim == 1
    gate(reduction, b is not None)

    starts = np.concatenate([[0], np.cumsum(X.chunks[0])[:-1]]).tolist()
    chunk = dask.delayed(_chunk, pure=True)
    parts = [
        chunk(xb, yb, W, b, int(start), reduction, labels)
        for xb, yb, start in zip(
            X.to_delayed().ravel(), y.to_delayed().ravel(), starts, strict=True
        )
    ]
    (acc,) = dask.compute(_tree(dask, parts, max(2, split_every)))

    from derive.kernels.generate import build_module

    mod = build_module()
    tag = reduction + ("_bias" if b is not None else "")
    out = getattr(mod, f"_finish_{tag}")(*acc, W, float(lam), n)
    if b is not None:
        out[2] = out[2].reshape(b.shape)
    out = tuple(out)
    if not all(np.isfinite(o).all() for o in out):
        raise DeriveError(
            "the result is not finite: expected finite X (NaN or inf in X, or |X·W| beyond "
            f"the {X.dtype} range)"
        )
    return out


def _load_rows(path: str, start: int, stop: int) -> np.ndarray:
    # Opened on the worker, read only the rows of this chunk (the file is never pickled).
    return np.array(np.load(path, mmap_mode="r")[start:stop])


def rows_from_npy(path: str, chunk_rows: int):
    """A Dask array over the rows of a ``.npy`` file, read chunk by chunk where it runs.

    Each chunk memory-maps the file and copies its rows, so workers hold only their
    chunks and nothing but the path travels in the task graph.
    """
    dask, da = _dask()
    arr = np.load(path, mmap_mode="r")
    n = arr.shape[0]
    if chunk_rows < 1:
        raise DeriveError(f"chunk_rows={chunk_rows}: expected a positive integer")
    load = dask.delayed(_load_rows, pure=True)
    blocks = [
        da.from_delayed(load(str(path), s, min(s + chunk_rows, n)),
                        shape=(min(s + chunk_rows, n) - s, *arr.shape[1:]), dtype=arr.dtype)
        for s in range(0, n, chunk_rows)
    ]
    return da.concatenate(blocks, axis=0)
