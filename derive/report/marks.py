"""Small LaTeX marks the report's sections share: label keys, typewriter names, verdicts.

>>> key("nll_grad_theta [sign flip]")
'nll-grad-theta-sign-flip'
>>> tt("a_b --json")
'\\\\texttt{a\\\\_\\\\allowbreak{}b -{}-json}'
"""

from __future__ import annotations

import re

from derive.engine.claims import Verdict
from derive.report.tables import escape_text

__all__ = ["key", "tt", "verdict_tex"]


def key(name: str) -> str:
    """A label key from a claim name (``[`` and spaces are not welcome in labels)."""
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")


def tt(text: str) -> str:
    """Typewriter text; ``--`` stays two hyphens (not an en dash); breaks after ``_``."""
    return r"\texttt{" + escape_text(text).replace("--", "-{}-").replace(
        r"\_", r"\_\allowbreak{}") + "}"


def verdict_tex(v: Verdict) -> str:
    return rf"\verdict{{{v.status}}}"
