"""The vocabulary of the prover: assumptions, claims and verdicts (plain data)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import sympy as sp

from derive.engine.scope import Scope

__all__ = [
    "Assumption",
    "Claim",
    "Counterexample",
    "Step",
    "Verdict",
    "binary",
    "nonnegative",
    "one_hot",
    "sums_to_one",
]

Status = Literal["proved", "refuted", "unknown"]


Kind = Literal["sums_to_one", "nonnegative", "binary", "one_hot"]


@dataclass(frozen=True)
class Assumption:
    """A hypothesis on the entries of one quantity ``base``; ``kind`` says which.

    * ``sums_to_one``: ``Σ_k base[..., k] = 1`` along ``axis`` for every value of the
      other indices (a probability or one-hot label row);
    * ``nonnegative``: every entry ``≥ 0``;
    * ``binary``: every entry is 0 or 1 (``y² = y``);
    * ``one_hot``: binary and summing to one along ``axis`` (``y_j y_k = δ_jk y_k``).

    The algebra uses each as rewrite rules where it licenses one (``nonnegative`` licenses
    none); the counterexample search and the spot check draw inputs that satisfy them
    (soft labels for ``nonnegative`` + ``sums_to_one``, one-hot rows for ``one_hot``).
    Build them with :func:`sums_to_one`, :func:`nonnegative`, :func:`binary`,
    :func:`one_hot`.

    >>> K = sp.Symbol("K", integer=True, positive=True)
    >>> str(sums_to_one(sp.IndexedBase("y", shape=(K,))))
    'Σ_k y_k = 1'
    """

    base: sp.IndexedBase
    axis: int = -1
    kind: Kind = "sums_to_one"

    @property
    def rank(self) -> int:
        return len(self.base.shape) if self.base.shape is not None else 1

    def __str__(self) -> str:
        name = str(self.base.label)
        letters = "nk" if self.rank == 2 else "k" if self.rank == 1 else "".join(
            "abcdefghij"[p] for p in range(self.rank))
        entry = f"{name}_{letters}"
        axis = self.axis % self.rank
        along = letters[axis]
        others = ", ".join(q for p, q in enumerate(letters) if p != axis)
        total = f"Σ_{along} {entry} = 1" + (f" for every {others}" if others else "")
        every = f" for every {', '.join(letters)}" if self.rank > 1 else ""
        if self.kind == "sums_to_one":
            return total
        if self.kind in ("nonnegative", "binary") and self.rank == 1:
            # one index: the letter of its size where that is one letter (Y_n for N rows)
            size = self.base.shape[0] if self.base.shape is not None else None
            one = str(size).lower() if isinstance(size, sp.Symbol) and len(str(size)) == 1 else "k"
            entry = f"{name}_{one}"
        if self.kind == "nonnegative":
            return f"{entry} ≥ 0{every}"
        if self.kind == "binary":
            return f"{entry} ∈ {{0, 1}}{every}"
        return f"{entry} ∈ {{0, 1}}, {total}"


def sums_to_one(base: sp.IndexedBase, axis: int = -1) -> Assumption:
    """The hypothesis a one-hot or probability label vector satisfies: ``Σ_k y_k = 1``."""
    return Assumption(base=base, axis=axis)


def nonnegative(base: sp.IndexedBase) -> Assumption:
    """Every entry of ``base`` is ``≥ 0`` (with :func:`sums_to_one`: soft labels).

    >>> N, K = sp.symbols("N K", integer=True, positive=True)
    >>> str(nonnegative(sp.IndexedBase("Y", shape=(N, K))))
    'Y_nk ≥ 0 for every n, k'
    """
    return Assumption(base=base, kind="nonnegative")


def binary(base: sp.IndexedBase) -> Assumption:
    """Every entry of ``base`` is 0 or 1, so ``y^k = y`` (labels of binary classification).

    >>> N = sp.Symbol("N", integer=True, positive=True)
    >>> str(binary(sp.IndexedBase("y", shape=(N,))))
    'y_n ∈ {0, 1}'
    """
    return Assumption(base=base, kind="binary")


def one_hot(base: sp.IndexedBase, axis: int = -1) -> Assumption:
    """Rows of ``base`` along ``axis`` are one-hot: entries in {0, 1} summing to 1, so
    ``y_j y_k = δ_jk y_k`` along the axis.

    >>> N, K = sp.symbols("N K", integer=True, positive=True)
    >>> str(one_hot(sp.IndexedBase("Y", shape=(N, K))))
    'Y_nk ∈ {0, 1}, Σ_k Y_nk = 1 for every n'
    """
    return Assumption(base=base, axis=axis, kind="one_hot")


@dataclass(frozen=True)
class Claim:
    """One entry of the catalogue, or a user's own claim: ``lhs = rhs``.

    ``lhs`` and ``rhs`` may use abbreviations (``σ_k`` as ``sigma[k]``, ``L`` as a
    Symbol) that ``defs`` expands: a map from an ``IndexedBase`` or ``Symbol`` to a
    function of its indices returning the full expression. Derivatives are written
    unevaluated (``sp.Derivative(L, theta[i, j])``): the prover differentiates them
    with SymPy and, independently, with finite differences when it looks for a
    counterexample.

    >>> import sympy as sp
    >>> K = sp.Symbol("K", integer=True, positive=True)
    >>> j, k, c = sp.symbols("j k c", integer=True)
    >>> z, sigma = sp.IndexedBase("z", shape=(K,)), sp.IndexedBase("sigma")
    >>> def softmax(q):
    ...     return sp.exp(z[q]) / sp.Sum(sp.exp(z[c]), (c, 1, K))
    >>> claim = Claim(
    ...     name="softmax_jacobian",
    ...     lhs=sp.Derivative(sigma[k], z[j]),
    ...     rhs=sigma[k] * (sp.KroneckerDelta(j, k) - sigma[j]),
    ...     defs={sigma: softmax},
    ... )
    >>> claim.expanded()[1].has(sp.exp)
    True
    """

    name: str
    lhs: sp.Expr
    rhs: sp.Expr
    assumptions: tuple[Assumption, ...] = ()
    defs: Mapping[Any, Callable[..., sp.Expr]] = field(default_factory=dict)
    scope: Scope | None = None  # None: the ranges are read from the quantities' shapes
    source: str = ""
    description: str = ""
    mutant_of: str | None = None

    def expand_defs(self, expr: sp.Expr) -> sp.Expr:
        """Replace every abbreviation by its definition (innermost first)."""
        for _ in range(8):  # definitions may refer to other definitions
            new = expr
            for key, build in self.defs.items():
                if isinstance(key, sp.IndexedBase):
                    new = new.replace(
                        lambda e, key=key: isinstance(e, sp.Indexed) and e.base == key,
                        lambda e, build=build: build(*e.indices),
                    )
                else:
                    new = new.xreplace({key: build()})
            if new == expr:
                return new
            expr = new
        return expr

    def expanded(self) -> tuple[sp.Expr, sp.Expr]:
        return self.expand_defs(self.lhs), self.expand_defs(self.rhs)


@dataclass(frozen=True)
class Counterexample:
    """Concrete sizes, index values and inputs where the two sides differ.

    ``lhs`` is the true value (finite differences of the original function, float64,
    for derivatives); ``rhs`` the claimed closed form at the same point.
    """

    sizes: dict[str, int]
    indices: dict[str, int]
    values: dict[str, Any]
    lhs: float
    rhs: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "sizes": self.sizes,
            "indices": self.indices,
            "values": self.values,
            "lhs": self.lhs,
            "rhs": self.rhs,
        }


@dataclass(frozen=True)
class Step:
    """One line of a proof as the engine took it: what was done, and the result."""

    label: str
    expr: sp.Expr


@dataclass
class Verdict:
    """``proved``, ``refuted`` (with a counterexample) or ``unknown`` (with the residual)."""

    name: str
    status: Status
    assumptions: tuple[str, ...] = ()
    residual: sp.Expr = sp.S.Zero
    seconds: float = 0.0
    counterexample: Counterexample | None = None
    steps: list[Step] = field(default_factory=list)
    note: str = ""
    #: The rule trace: the names of the rules the engine applied, in order (the
    #: differentiation, each assumption used, δ sums and case splits, ...). A report may
    #: say a step was done "by" a rule only if it is named here.
    rules: list[str] = field(default_factory=list)
    #: True when the verdict rests on a numeric check rather than an exact reduction (the
    #: engine closes no step that way today; a report must then say "closed numerically").
    numeric: bool = False

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "verdict": self.status,
            "seconds": round(self.seconds, 4),
            "assumptions": list(self.assumptions),
            "residual": str(self.residual),
        }
        if self.counterexample is not None:
            out["counterexample"] = self.counterexample.as_dict()
        if self.note:
            out["note"] = self.note
        out["rules"] = list(self.rules)
        out["numeric"] = self.numeric
        return out
