"""The typed verdict of one step of a chain: what the checker builds, and every renderer reads.

A :class:`StepResult` says where the step is (``file``, ``line``, ``column``; ``cell`` in a
notebook: :attr:`StepResult.span`), which step it is (``chain``, ``step``), the ``verdict``
(one of :data:`VERDICTS`) and why (``note``, also :attr:`StepResult.reason`), the step as
the notes write it (``formula``), as derive read it (``read``), the ``counterexample`` of a
refuted step, and the ``readings`` of an ambiguous one. The checker
(:mod:`derive.latex.verify`) makes one per step and its gates derive new ones from it
(:meth:`StepResult.evolve`); the renderers (terminal, JSON, annotations, annotated copies,
report) read them.

It is also a read-only mapping of the JSON record ``derive verify --json`` prints
(``r["verdict"]``, ``r.get("note")``), with the record's keys in the order they were
given: :meth:`StepResult.as_dict` gives that record back, key for key and in order.

>>> rec = {"file": "n.md", "line": 3, "column": 5, "chain": 1, "step": 1,
...        "verdict": "refuted", "seconds": 0.01,
...        "counterexample": {"sizes": {"K": 2}, "lhs": 1.0, "rhs": 2.0}}
>>> r = StepResult.from_dict(rec)
>>> r.verdict, r.position, r.counterexample["sizes"], r["seconds"]
('refuted', 'n.md:3:5', {'K': 2}, 0.01)
>>> r.as_dict() == rec and list(r.as_dict()) == list(rec)
True
>>> u = r.evolve(verdict="unknown", note="not confirmed", drop=("counterexample",))
>>> list(u), u.reason
(['file', 'line', 'column', 'chain', 'step', 'verdict', 'seconds', 'note'], 'not confirmed')
>>> r["verdict"] = "proved"
Traceback (most recent call last):
...
TypeError: 'StepResult' object does not support item assignment
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from derive.verdicts import PASSING, VERDICTS, summary_line

__all__ = ["PASSING", "VERDICTS", "Span", "StepResult", "summary_line"]

#: the record's keys that are typed fields, in the order a record lists them by default
_FIELDS = ("file", "cell", "line", "column", "chain", "step", "verdict", "note", "seconds",
           "trace", "residual", "read", "counterexample", "readings", "unread", "defines",
           "inferred", "formula")
_REQUIRED = ("file", "line", "column", "chain", "step", "verdict")
_ABSENT: dict[str, Any] = {"cell": None, "note": "", "seconds": None, "trace": None,
                           "residual": None, "read": "", "counterexample": None,
                           "readings": None, "unread": False, "defines": None,
                           "inferred": None, "formula": ""}


class Span(NamedTuple):
    """Where a step is: the file, a notebook's cell (None elsewhere), line and column."""

    file: str
    cell: int | None
    line: int
    column: int


@dataclass(frozen=True, eq=False)
class StepResult(Mapping[str, Any]):
    """One step's verdict. The typed fields are the record's known keys; ``extra`` holds
    any other (a gate's own flag, e.g. the referee's ``disagreement``); ``keys_`` is the
    record's keys in order (by default: every required key and each optional one that is
    set, in the order of ``_FIELDS``). Equality is the mapping's (the record's)."""

    file: str
    line: int
    column: int
    chain: int
    step: int
    verdict: str
    note: str = ""
    formula: str = ""
    read: str = ""
    counterexample: Mapping[str, Any] | None = None
    readings: list[dict[str, Any]] | None = None
    cell: int | None = None
    seconds: float | None = None
    trace: Mapping[str, Any] | None = None
    residual: str | None = None
    unread: bool = False
    defines: str | None = None
    inferred: list[str] | None = None
    extra: tuple[tuple[str, Any], ...] = ()
    keys_: tuple[str, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"StepResult: verdict {self.verdict!r}: expected one of "
                             f"{', '.join(VERDICTS)}")
        own = {k for k, _ in self.extra}
        if own & set(_FIELDS):
            raise ValueError(f"StepResult: extra keys {sorted(own & set(_FIELDS))} are fields")
        if not self.keys_:
            keys = tuple(k for k in _FIELDS if k in _REQUIRED or getattr(self, k) != _ABSENT[k])
            object.__setattr__(self, "keys_", keys + tuple(k for k, _ in self.extra))
        missing = [k for k in _REQUIRED if k not in self.keys_]
        unknown = [k for k in self.keys_ if k not in _FIELDS and k not in own]
        if missing or unknown or len(set(self.keys_)) != len(self.keys_):
            raise ValueError(f"StepResult: keys {self.keys_}: expected each of {_REQUIRED} "
                             "once, and only fields or extra keys")

    # -- the read-only mapping: the JSON record ---------------------------------------------
    def __getitem__(self, key: str) -> Any:
        if key not in self.keys_:
            raise KeyError(key)
        if key in _FIELDS:
            return getattr(self, key)
        return dict(self.extra)[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_)

    def __len__(self) -> int:
        return len(self.keys_)

    def __contains__(self, key: object) -> bool:
        return key in self.keys_

    def __repr__(self) -> str:
        return f"StepResult({self.as_dict()!r})"

    # -- typed views ---------------------------------------------------------------------------
    @property
    def reason(self) -> str:
        """Why the verdict is what it is (the verifier's note; empty when proved plainly)."""
        return self.note

    @property
    def span(self) -> Span:
        """Where the step is (its right member's position)."""
        return Span(self.file, self.cell, self.line, self.column)

    @property
    def position(self) -> str:
        """``file:line:column``, or ``file:cell N:line:column`` in a notebook."""
        cell = f"cell {self.cell}:" if self.cell is not None else ""
        return f"{self.file}:{cell}{self.line}:{self.column}"

    # -- making and deriving -----------------------------------------------------------------
    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> StepResult:
        """The typed form of one record of ``derive verify --json`` (its keys kept in order);
        a StepResult is returned as it is."""
        if isinstance(record, StepResult):
            return record
        own = {k: record[k] for k in record if k in _FIELDS}
        extra = tuple((k, v) for k, v in record.items() if k not in _FIELDS)
        missing = [k for k in _REQUIRED if k not in own and k != "column"]
        if missing:
            raise ValueError(f"StepResult: a record without {', '.join(missing)}: {record!r}")
        keys = tuple(record)
        if "column" not in own:  # an old record without a column: column 0
            keys = (*keys[:keys.index("line") + 1], "column", *keys[keys.index("line") + 1:])
        typed = {**own, "line": int(own["line"]), "column": int(own.get("column") or 0),
                 "chain": int(own["chain"]), "step": int(own["step"]),
                 "verdict": str(own["verdict"])}
        return cls(**typed, extra=extra, keys_=keys)

    def evolve(self, drop: tuple[str, ...] = (), **changes: Any) -> StepResult:
        """A new result with ``changes`` and without the keys ``drop``, as a dict update
        would make it: a key already there keeps its place, a new one comes last."""
        record = {k: v for k, v in self.items() if k not in drop}
        record.update(changes)
        return StepResult.from_dict(record)

    def as_dict(self) -> dict[str, Any]:
        """The JSON record (what ``derive verify --json`` prints for this step)."""
        return dict(self.items())
