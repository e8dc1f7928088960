"""Verify notes from Python: a string or a file, with typed step results.

Every step of every chain comes back as a :class:`~derive.latex.step_result.StepResult`
(where, which step, the verdict and why, the step as written and as read, and the
counterexample of a refuted step); ``.as_dict()`` is the record ``derive verify --json``
prints.

>>> notes = '''
... <!-- derive: size K
...      index k in 1..K
...      tensor z_k -->
... $$ \\\\sum_{k=1}^{K} (z_k + 1) = \\\\sum_{k=1}^{K} z_k + K $$
... `$$ a = b $$` is code, never read.
... '''
>>> [(r.line, r.verdict) for r in verify_text(notes)]
[(5, 'proved')]
>>> wrong = verify_text(notes.replace("+ K $$", "+ 1 $$"))[0]
>>> wrong.verdict, wrong.counterexample["sizes"]
('refuted', {'K': 2})
>>> wrong.formula
'\\\\sum_{k=1}^{K} (z_k + 1) = \\\\sum_{k=1}^{K} z_k + 1'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from derive.latex.step_result import StepResult

__all__ = ["StepResult", "verify_file", "verify_text"]


def verify_text(text: str, format: str = "md", *, source: str = "<text>",
                prove: Callable[..., Any] | None = None) -> list[StepResult]:
    """Check every step of the notes ``text``; ``format`` is ``"md"`` (Markdown),
    ``"tex"`` (LaTeX) or ``"ipynb"`` (a notebook's JSON); ``source`` names the text in
    positions and messages. Raises :class:`~derive.errors.DeriveError` on input that is
    not notes."""
    from derive.latex.sources import read_text
    from derive.latex.verify import check_notes

    return check_notes(read_text(text, format, source), prove)


def verify_file(path: str, *, prove: Callable[..., Any] | None = None) -> list[StepResult]:
    """Check every step of the notes file at ``path`` (``.md``, ``.tex``, ``.ipynb``: the
    suffix chooses the reader)."""
    from derive.latex.sources import read_source
    from derive.latex.verify import check_notes

    return check_notes(read_source(path), prove)
