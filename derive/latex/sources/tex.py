"""Read LaTeX notes: display blocks found in the text, ``%`` comments blanked.

>>> [s.text.strip() for s in read("% derive: size K\\n\\\\[ a = b \\\\]\\n", "n.tex").segments]
['a = b']
"""

from __future__ import annotations

from derive.latex.chains import Notes, extract

__all__ = ["read"]


def read(text: str, source: str) -> Notes:
    """The notes of the LaTeX ``text`` (``source`` names it in messages)."""
    return extract(text, source)
