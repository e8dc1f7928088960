"""``derive verify --format github``: GitHub Actions workflow-command annotations.

A refuted step becomes an ``::error`` and an unknown step a ``::warning`` at its
``file:line:col``, so the step is marked on the pull request's diff; proved steps and
definitions print nothing (the summary line after them counts every verdict). Values
are escaped as the workflow-command syntax requires (``%``, CR, LF in the
message; also ``:`` and ``,`` in the properties).

>>> r = {"file": "notes.md", "line": 3, "column": 5, "chain": 1, "step": 2,
...      "verdict": "refuted", "note": "a, b: 100% wrong"}
>>> print(github_annotations([r])[0])
::error file=notes.md,line=3,col=5,title=derive%3A step refuted::chain 1, ...: a, b: 100%25 wrong
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

__all__ = ["escape_data", "escape_property", "github_annotations"]

LEVEL = {"refuted": "error", "unknown": "warning"}  #: verdicts annotated, and how


def escape_data(text: str) -> str:
    """A workflow command's message: ``%``, CR and LF percent-encoded."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: as a message, and ``:``, ``,`` too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _message(r: dict[str, Any]) -> str:
    text = f"chain {r['chain']}, step {r['step']} is {r['verdict']}"
    if r.get("note"):
        text += f": {r['note']}"
    cex = r.get("counterexample")
    if cex:
        text += f"\ncounterexample: {json.dumps(cex, ensure_ascii=False)}"
    return text


def github_annotations(results: Iterable[dict[str, Any]]) -> list[str]:
    """One ``::error``/``::warning`` line per refuted/unknown step, in the order given."""
    lines = []
    for r in results:
        level = LEVEL.get(r["verdict"])
        if level is None:
            continue
        props = ",".join(f"{k}={escape_property(str(v))}" for k, v in (
            ("file", r["file"]), ("line", r["line"]), ("col", r.get("column", 1)),
            ("title", f"derive: step {r['verdict']}")))
        lines.append(f"::{level} {props}::{escape_data(_message(r))}")
    return lines
