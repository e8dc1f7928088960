"""The verdicts a checked step can get: one list for every summary, table and report.

``proved`` and ``refuted`` are the engine's answers, ``unknown`` is an honest "cannot
tell", and ``definition`` is a step that only introduces a symbol (issue 19): it is never
a proof, is counted apart from the proofs, and never fails a run.

>>> summary_line(["proved", "definition", "unknown"])
'3 steps: 1 proved, 0 refuted, 1 unknown, 1 definition'
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["PASSING", "VERDICTS", "summary_line"]

#: every verdict a step can get, in the order summaries list them
VERDICTS = ("proved", "refuted", "unknown", "definition")
#: verdicts that do not fail a run (exit code 0, a passing pytest item)
PASSING = frozenset({"proved", "definition"})


def summary_line(verdicts: Iterable[str]) -> str:
    """``N steps: a proved, b refuted, c unknown, d definition``: every verdict counted."""
    given = list(verdicts)
    counts = {v: sum(x == v for x in given) for v in VERDICTS}
    return f"{len(given)} steps: " + ", ".join(f"{n} {v}" for v, n in counts.items())
