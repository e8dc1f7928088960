"""What a model family declares about its kernels: one :class:`Output` row per kernel
output, grouped by :class:`Kernel` (the public function: its signature, its checks).

A family module lists its kernels in its ``# --- kernels`` block (``KERNELS = (...)``);
:mod:`derive.kernels` derives the proof links, the generated NumPy code, the verdict
cache keys, ``derive kernels --check/--show/--emit`` and the public functions from
those rows alone. Nothing in the kernels layer names a family.

Import safety: this module and :mod:`derive.declare.matrix` import SymPy and NumPy-free
engine modules, nothing from :mod:`derive.models` nor :mod:`derive.kernels`: a family
imports them while :mod:`derive.models` is being imported, and imports nothing from the
kernels (which read the families).

>>> import sympy as sp
>>> row = Output("demo", "f", "value", sp.Integer(0), (1, 1),
...              ExprTarget(lambda: sp.Integer(0)), "0 = 0", variant={"reduction": "mean"})
>>> row.variant, row.claim
((('reduction', 'mean'),), None)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sympy as sp

from derive.declare.matrix import Vocabulary
from derive.engine.claims import Assumption
from derive.engine.scope import as_expr

__all__ = ["ClaimTarget", "Encoding", "ExprTarget", "Kernel", "LossVariant", "Output",
           "loss_variants", "matches"]

Variant = tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class ClaimTarget:
    """The entry must equal the closed form of the family's catalogue claim ``claim``
    (optionally ``reshape``-d, e.g. a Hessian contracted with a direction); the claim
    itself must be proved too. Its assumptions are the claim's."""

    claim: str
    reshape: Callable[[sp.Expr], sp.Expr] | None = None


@dataclass(frozen=True)
class ExprTarget:
    """The entry must equal ``build()`` (a loss, or a ``Derivative`` of one, built by the
    family's builders) under ``assumptions``."""

    build: Callable[[], sp.Expr]
    assumptions: tuple[Assumption, ...] = ()


def _variant(value: Mapping[str, Any] | Variant) -> Variant:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted(items))


@dataclass(frozen=True)
class Output:
    """One kernel output: entry ``indices`` of the matrix ``form`` equals ``target``.

    ``name`` names the proof link (unique over all families); ``kernel`` the public
    function; ``output`` the value it returns; ``statement`` says what the target is (for
    headers and reports). ``variant`` picks the call this form serves (``{"reduction":
    "mean", "bias": True}``): a call runs every output whose variant it contains.
    ``runs=False`` marks a lemma proved with the kernel but not printed (a per-sample
    form of the batch output). ``shown`` gives the closed form a report prints for the
    entry (in the family's abbreviations); rows without it are not shown.
    """

    name: str
    kernel: str
    output: str
    form: sp.Expr
    indices: tuple[Any, Any]
    target: ClaimTarget | ExprTarget
    statement: str
    variant: Variant = ()
    runs: bool = True
    shown: Callable[[], sp.Expr] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "variant", _variant(self.variant))
        object.__setattr__(self, "indices", tuple(as_expr(q) for q in self.indices))

    @property
    def claim(self) -> str | None:
        return self.target.claim if isinstance(self.target, ClaimTarget) else None


@dataclass(frozen=True)
class Encoding:
    """Another way an argument may arrive, used only in the generated code: ``symbol``
    (a row quantity of the proof) replaced by ``value`` over the argument ``arg`` (e.g.
    ``Y`` by the one-hot matrix of integer labels ``t``). ``note`` says why the proof
    still holds (it goes into the emitted header)."""

    name: str
    symbol: sp.MatrixSymbol
    arg: sp.Symbol
    value: sp.Expr
    note: str = ""


@dataclass(frozen=True)
class Kernel:
    """A public kernel function and its output rows.

    ``bind`` has the public signature and docstring; its body uses NumPy only (it is
    copied into the emitted module) and maps the arguments to ``(variant, args,
    shapes)``: the variant of the call (including ``"encoding"`` when the kernel has
    ``encodings``: ``"dense"`` or an encoding's name), the values of the form's
    quantities by symbol name, and the shape each output is returned in (by output
    name). ``check`` (same signature) validates the arguments and returns them as a
    dict, every bad input a :class:`DeriveError` naming it. For a sum over rows, ``rows``
    names the row arguments (``X``, ``y``) and ``params(d, dtype, **rest)`` validates the
    other arguments alone (the Dask path checks them before any chunk is read).
    ``finite`` names the input blamed when an output is not finite, ``logits`` the
    product that overflowed otherwise (``"X·W"``). ``checks(dtype, api)`` returns the
    kernel's rows of the ``derive kernels --check`` table (:func:`derive.declare.numeric.row`:
    errors against the family's hand reference, central differences, complex step), calling
    the public kernels through ``api`` (the kernels layer passes them in: a family imports
    nothing from it). ``bench(n=, d=, k=, dtype=, seed=, api=)`` returns
    ``({"generated": (call, note), "numpy": (call, note)}, X)`` for ``derive bench --kernel
    NAME`` (each timed in its own process).
    """

    name: str
    bind: Callable[..., tuple[dict, dict, dict]]
    check: Callable[..., dict]
    outputs: tuple[Output, ...]
    vocabulary: Vocabulary
    encodings: tuple[Encoding, ...] = ()
    rows: tuple[str, ...] = ()
    params: Callable[..., dict] | None = None
    finite: str | None = None
    logits: str = ""
    checks: Callable[[Any], list[dict]] | None = None
    bench: Callable[..., tuple[dict, Any]] | None = None

    def __post_init__(self) -> None:
        bad = [o.name for o in self.outputs if o.kernel != self.name]
        if bad:
            raise ValueError(f"kernel {self.name!r}: outputs {bad} name another kernel")

    def variants(self) -> list[Variant]:
        """Every variant the generated code must serve (link variants × encodings)."""
        seen: list[Variant] = []
        for out in self.outputs:
            if out.runs and out.variant not in seen:
                seen.append(out.variant)
        if not self.encodings:
            return seen
        names = ["dense", *(e.name for e in self.encodings)]
        return [_variant({**dict(v), "encoding": name}) for v in seen for name in names]

    def running(self, variant: Variant) -> tuple[Output, ...]:
        """The printed outputs of one call variant, in declaration order."""
        return tuple(o for o in self.outputs if o.runs and matches(o.variant, variant))

    def linked(self, variant: Mapping[str, Any] | Variant) -> tuple[Output, ...]:
        """Every output (lemmas too) behind one call variant: what its proof gate needs."""
        want = _variant(variant)
        return tuple(o for o in self.outputs if matches(o.variant, want))


def matches(row: Variant, call: Variant) -> bool:
    """A row serves a call when every key the row fixes has the call's value."""
    have = dict(call)
    return all(key in have and have[key] == val for key, val in row)


@dataclass(frozen=True)
class LossVariant:
    """One call variant of a loss-and-gradient kernel: the mean or the sum over the N
    rows, with or without a bias (the loss carries λ‖·‖², zero when λ = 0).

    >>> [v.tag for v in loss_variants(sp.Symbol("N"))]
    ['mean', 'mean_bias', 'sum', 'sum_bias']
    """

    reduction: str
    bias: bool
    scale: sp.Expr  # 1/N for the mean, 1 for the sum

    @property
    def tag(self) -> str:
        return f"{self.reduction}{'_bias' if self.bias else ''}"

    @property
    def call(self) -> dict[str, Any]:
        """The keyword arguments of the public function this variant serves."""
        return {"reduction": self.reduction, "bias": self.bias}

    @property
    def loss_kw(self) -> dict[str, Any]:
        """The keyword arguments of the family's ``dataset_loss`` for this variant."""
        return {"reduction": self.reduction, "l2": True, "bias": self.bias}

    @property
    def said(self) -> str:
        return ", ".join(f"{key}={val!r}" for key, val in self.loss_kw.items())


def loss_variants(count: sp.Expr) -> list[LossVariant]:
    """The four variants (mean, sum) × (no bias, bias) over ``count`` rows."""
    return [LossVariant(red, bias, sp.Integer(1) / count if red == "mean" else sp.Integer(1))
            for red in ("mean", "sum") for bias in (False, True)]
