"""Kernels on Dask arrays: the proven per-block function on each row chunk,
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

import derive.kernels.bundle as bundle
from derive.declare import validate
from derive.errors import DeriveError

__all__ = ["is_dask", "rows_from_npy", "run"]


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


def _chunk(kernel: str, values: dict, start: int):
    """Partial sums of one row chunk (runs on a worker): the family's checks on the chunk's
    rows, then the generated block function of the call's variant."""
    mod = bundle.module()
    info = mod.KERNEL_INFO[kernel]
    values = {k: (np.asarray(v) if k in info["rows"] else v) for k, v in values.items()}
    stop = start + values[info["rows"][0]].shape[0]
    try:
        clean = info["check"](**values)
    except DeriveError as exc:
        raise DeriveError(f"rows {start}..{stop - 1} of the Dask arrays: {exc}") from None
    variant, args, _ = info["bind"](**clean)
    entry = mod.lookup(mod.TABLE, kernel, variant)
    with np.errstate(over="ignore", invalid="ignore"):
        return mod.block_sums(entry, args)


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


def run(name: str, values: dict, gate: Callable[[dict], None], *, split_every: int = 8):
    """The Dask path of a kernel that sums over rows (:func:`derive.kernels.api.call`).

    The first row argument (``X``) must be a Dask array (N, D) chunked by rows; the other
    row arguments (``y``) Dask or NumPy arrays with N rows. The other arguments are in
    memory, checked once by the family's ``params``; each chunk is checked where it runs.
    ``gate`` requires the proof links of the call's variant.
    """
    dask, da = _dask()
    info = bundle.module().KERNEL_INFO[name]
    first, *others = info["rows"]
    X = values[first]
    if info["params"] is None:
        raise DeriveError(f"{name} does not run on Dask arrays: expected NumPy arrays")
    if not is_dask(X):
        bad = next(other for other in others if is_dask(values[other]))
        raise DeriveError(
            f"{first} is a {type(X).__name__} and {bad} a Dask array: expected {first} as a"
            " Dask array too"
        )
    if X.ndim != 2:
        raise DeriveError(f"{first} has shape {X.shape}: expected 2 dimensions (N, D)")
    if X.dtype not in validate.FLOATS:
        raise DeriveError(f"{first} has dtype {X.dtype}: expected float32 or float64")
    n, d = X.shape
    if any(np.isnan(s) for s in (n, d)):
        raise DeriveError(f"{first} has unknown chunk sizes: expected known row counts")
    rest = {k: v for k, v in values.items() if k not in info["rows"]}
    params = info["params"](d, X.dtype, **rest)
    if n == 0:
        raise DeriveError(f"{first} is empty (shape {X.shape}): expected at least one row")
    if X.numblocks[1] != 1:  # a chunk must hold whole rows
        X = X.rechunk({1: -1})
    rows = {first: X}
    for other in others:
        arr = values[other] if is_dask(values[other]) else np.asarray(values[other])
        if arr.ndim not in (1, 2) or arr.shape[0] != n:
            raise DeriveError(
                f"{other} has shape {arr.shape}: expected {n} rows, one per row of {first}"
            )
        whole = (-1,) * (arr.ndim - 1)
        rows[other] = arr.rechunk((X.chunks[0], *whole)) if is_dask(arr) else da.from_array(
            arr, chunks=(X.chunks[0], *arr.shape[1:]))
    variant, args, shapes = info["bind"](**rows, **params)  # the variant reads shapes only
    gate(variant)

    starts = np.concatenate([[0], np.cumsum(X.chunks[0])[:-1]]).tolist()
    chunk = dask.delayed(_chunk, pure=True)
    blocks = zip(*(rows[r].to_delayed().ravel() for r in info["rows"]), strict=True)
    parts = [
        chunk(name, {**params, **dict(zip(info["rows"], part, strict=True))}, int(start))
        for part, start in zip(blocks, starts, strict=True)
    ]
    (acc,) = dask.compute(_tree(dask, parts, max(2, split_every)))

    mod = bundle.module()
    entry = mod.lookup(mod.TABLE, name, variant)
    with np.errstate(over="ignore", invalid="ignore"):
        out = mod.shaped(entry, mod.finish(entry, args, acc, n), shapes)
    outs = out if isinstance(out, tuple) else (out,)
    if not all(np.isfinite(o).all() for o in outs):
        raise DeriveError(
            f"the result is not finite: expected finite {first} (NaN or inf in {first}, or"
            f" logits beyond the {X.dtype} range)"
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
