"""The driver of the generated kernels: find a call's functions in the table the generated
code defines, run the row blocks, finish, shape the outputs.

The generated code (:mod:`derive.kernels.generate`) ends with ``TABLE``: for each kernel
and call variant, either a sum over rows (``block`` run on row blocks and summed,
``finish`` mapping the sums to the outputs) or a ``direct`` function, with the names
of the quantities each takes. A family's ``bind`` function maps the public arguments
to ``(variant, args, shapes)``; :func:`run` does the rest. No string lookup of generated
names: the table holds the functions.

Like :mod:`derive.kernels.runtime`, this module is copied into the emitted module (its
``from __future__`` and ``from derive...`` imports dropped: the runtime precedes it there),
so it needs only the standard library and the runtime's names.

>>> import numpy
>>> table = {("twice", ()): {"direct": lambda a: [2 * a], "args": ("a",), "outputs": ("y",)}}
>>> run(table, "twice", ({}, {"a": numpy.ones(2)}, {}))
array([2., 2.])
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping

from derive.kernels.runtime import block_rows_for, reduce_rows

__all__ = ["block_sums", "finish", "lookup", "public", "run", "shaped"]

# Bytes of X per block: 4 MiB sits in this L3 share and was fastest for both dtypes
# (2-core AMD EPYC, OpenBLAS; 1 to 16 MiB measured side by side, N=60000, D=784, K=10).
_BUDGET = {"float64": 4 << 20, "float32": 4 << 20}


def _sum_blocks(block, rows, shared, cols, dtype, terms):
    step = block_rows_for(cols, dtype.itemsize, _BUDGET.get(dtype.name, 1 << 20))
    return reduce_rows(block, rows, shared, block_rows=step, terms=terms)


def lookup(table: Mapping, kernel: str, variant: Mapping) -> dict:
    """The table entry of one call variant of ``kernel``."""
    key = (kernel, tuple(sorted(variant.items())))
    if key not in table:
        raise ValueError(f"kernel {kernel!r} has no generated variant {dict(key[1])}")
    return table[key]


def block_sums(entry: Mapping, args: Mapping) -> list:
    """The summed block terms over all rows of the row arguments (the terms listed in
    ``entry["transposed"]`` are kept transposed until :func:`finish`)."""
    rows = [args[name] for name in entry["rows"]]
    shared = [args[name] for name in entry["shared"]]
    return _sum_blocks(entry["block"], rows, shared, rows[0].shape[1], rows[0].dtype,
                       len(entry["outputs"]))


def finish(entry: Mapping, args: Mapping, acc: list, count: int) -> list:
    """The outputs from the block sums ``acc`` of ``count`` rows."""
    values = {**args, entry["count"]: count}
    acc = [a.T if p in entry["transposed"] else a for p, a in enumerate(acc)]
    return entry["finish"](*acc, *[values[name] for name in entry["finish_args"]])


def shaped(entry: Mapping, out: list, shapes: Mapping) -> object:
    """Each output in the shape the caller asked for (``()``: a NumPy scalar); one output
    is returned alone, several as a tuple."""
    res = []
    for name, value in zip(entry["outputs"], out, strict=True):
        if name in shapes:
            value = value.reshape(shapes[name])
            if shapes[name] == ():
                value = value[()]
        res.append(value)
    return res[0] if len(res) == 1 else tuple(res)


def run(table: Mapping, kernel: str, bound: tuple) -> object:
    """Run one call: ``bound`` is what the kernel's ``bind`` returned."""
    variant, args, shapes = bound
    entry = lookup(table, kernel, variant)
    if "block" in entry:
        count = args[entry["rows"][0]].shape[0]
        out = finish(entry, args, block_sums(entry, args), count)
    else:
        out = entry["direct"](*[args[name] for name in entry["args"]])
    return shaped(entry, out, shapes)


def public(table: Mapping, name: str, bind: Callable) -> Callable:
    """The kernel ``name`` as a function with ``bind``'s signature and docstring."""

    def kernel(*args, **kwargs):
        return run(table, name, bind(*args, **kwargs))

    functools.update_wrapper(kernel, bind)
    kernel.__name__ = kernel.__qualname__ = name
    return kernel
