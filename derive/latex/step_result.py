"""The typed verdict of one step of a chain, as the public API returns it.

A :class:`StepResult` says where the step is (``file``, ``line``, ``column``; ``cell`` in a
notebook), which step it is (``chain``, ``step``), the ``verdict`` (``proved``,
``refuted``, ``unknown``, ``definition``) and why (``note``), the step as the notes write it
(``formula``), as derive read it (``read``), and the ``counterexample`` of a refuted
step. :meth:`StepResult.as_dict` gives back the JSON record ``derive verify --json``
prints, key for key.

>>> rec = {"file": "n.md", "line": 3, "column": 5, "chain": 1, "step": 1,
...        "verdict": "refuted", "seconds": 0.01,
...        "counterexample": {"sizes": {"K": 2}, "lhs": 1.0, "rhs": 2.0}}
>>> r = StepResult.from_dict(rec)
>>> r.verdict, r.position, r.counterexample["sizes"]
('refuted', 'n.md:3:5', {'K': 2})
>>> r.as_dict() == rec
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from derive.verdicts import PASSING, VERDICTS, summary_line

__all__ = ["PASSING", "VERDICTS", "StepResult", "summary_line"]

_OWN = ("file", "cell", "line", "column", "chain", "step", "verdict", "note", "formula",
        "read", "counterexample")


@dataclass(frozen=True)
class StepResult:
    """One step's verdict. ``extra`` holds the record's other fields (``seconds``,
    ``residual``, ``unread``) in their order."""

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
    cell: int | None = None
    extra: tuple[tuple[str, Any], ...] = field(default=(), compare=False)

    @property
    def reason(self) -> str:
        """Why the verdict is what it is (the verifier's note; empty when proved plainly)."""
        return self.note

    @property
    def position(self) -> str:
        """``file:line:column``, or ``file:cell N:line:column`` in a notebook."""
        cell = f"cell {self.cell}:" if self.cell is not None else ""
        return f"{self.file}:{cell}{self.line}:{self.column}"

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> StepResult:
        """The typed form of one record of ``derive verify --json``."""
        return cls(file=str(record["file"]), line=int(record["line"]),
                   column=int(record.get("column") or 0), chain=int(record["chain"]),
                   step=int(record["step"]), verdict=str(record["verdict"]),
                   note=str(record.get("note", "")), formula=str(record.get("formula", "")),
                   read=str(record.get("read", "")),
                   counterexample=record.get("counterexample"),
                   cell=None if record.get("cell") is None else int(record["cell"]),
                   extra=tuple((k, v) for k, v in record.items() if k not in _OWN))

    def as_dict(self) -> dict[str, Any]:
        """The JSON record (what ``derive verify --json`` prints for this step)."""
        out: dict[str, Any] = {"file": self.file}
        if self.cell is not None:
            out["cell"] = self.cell
        out |= {"line": self.line, "column": self.column, "chain": self.chain,
                "step": self.step, "verdict": self.verdict}
        if self.note:
            out["note"] = self.note
        out |= dict(self.extra)
        for key in ("formula", "read"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.counterexample is not None:
            out["counterexample"] = self.counterexample
        return out

