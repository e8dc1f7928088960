"""The context of one normal form: the exception for what it cannot decide, the budget of
a proof, and the trace of the rules applied (what a report may say was done)."""

from __future__ import annotations

import time
from contextvars import ContextVar
from dataclasses import dataclass

__all__ = ["Budget", "OverBudget", "Unsupported", "trace_rule", "traced"]


class Unsupported(Exception):
    """The expression leaves the fragment this algebra decides (the prover says unknown)."""


class OverBudget(Unsupported):
    """The normal form grew past its time or size budget (the prover says unknown)."""


@dataclass
class Budget:
    """Limits for one proof: wall time, terms in one polynomial, δ case splits.

    Exceeding any of them raises :class:`OverBudget`, which the prover reports as
    ``unknown`` with the reason, never as a hang or a traceback.
    """

    seconds: float = 20.0
    max_terms: int = 20_000
    max_splits: int = 64
    deadline: float = 0.0
    splits: int = 0

    def start(self) -> Budget:
        self.deadline = time.perf_counter() + self.seconds
        self.splits = 0
        return self

    def tick(self) -> None:
        if self.deadline and time.perf_counter() > self.deadline:
            raise OverBudget(f"time budget of {self.seconds:g} s exceeded")


_BUDGET: ContextVar[Budget | None] = ContextVar("derive_budget", default=None)
_NO_LIMIT = Budget()  # outside prove_equal (to_poly called directly): no deadline; is_zero
# sets a fresh budget of its own, so this shared one never counts δ splits


def _budget() -> Budget:
    return _BUDGET.get() or _NO_LIMIT

#: The rules the normal form applied while it is set (a list, in order, no repeats): what a
#: report may say was done for a step, and nothing else (:func:`traced`).
_TRACE: ContextVar[list[str] | None] = ContextVar("derive_trace", default=None)


def trace_rule(name: str) -> None:
    """Record that rule ``name`` was applied (only while :func:`traced` collects)."""
    trace = _TRACE.get()
    if trace is not None and name not in trace:
        trace.append(name)


class traced:
    """``with traced() as rules:`` collects the names of the rules applied inside.

    >>> import sympy as sp
    >>> from derive.engine.algebra import to_poly
    >>> from derive.engine.scope import Scope
    >>> K = sp.Symbol("K", integer=True, positive=True)
    >>> c, j = sp.symbols("c j", integer=True)
    >>> x = sp.IndexedBase("x", shape=(K,))
    >>> scope = Scope(index_ranges={j: (1, K)})
    >>> with traced() as rules:
    ...     _ = to_poly(sp.Sum(sp.KroneckerDelta(c, j) * x[c], (c, 1, K)), scope)
    >>> rules
    ['sum the Kronecker deltas']
    """

    def __enter__(self) -> list[str]:
        self.rules: list[str] = []
        self.token = _TRACE.set(self.rules)
        return self.rules

    def __exit__(self, *exc: object) -> None:
        _TRACE.reset(self.token)

