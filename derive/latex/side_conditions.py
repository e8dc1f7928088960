r"""Conditions the prose states beside a display: a refutation where they fail is no refutation.

Authors write a step's condition in the sentence around the display rather than in it:
"…$$\frac{\partial^2 f}{\partial x_k \partial x_j} = -p_k p_j,$$ where $j \neq k$", or
"Case 2: \(i \neq j\)" just before it. A counterexample at j = k refutes the step only where
the author did not claim it. :func:`stated_distinct` reads the ``a \neq b`` conditions of the
inline math in the paragraph around a line (the display's own maths excluded);
:func:`violated` tells whether a counterexample's index values break one of them.

>>> text = "For the second derivative $$f_{jk} = 0,$$ where $j \\neq k$.\n\nNext."
>>> stated_distinct(text, 1)
{('j', 'k')}
>>> violated({('j', 'k')}, {"j": 1, "k": 1}), violated({('j', 'k')}, {"j": 1, "k": 2})
(True, False)
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["stated_distinct", "violated"]

_DISPLAY = re.compile(r"\$\$.*?\$\$|\\\[.*?\\\]|\\begin\{(\w+\*?)\}.*?\\end\{\1\}", re.S)
_INLINE = re.compile(r"\$(.+?)\$|\\\((.+?)\\\)", re.S)
_NEQ = re.compile(r"(?<![\\A-Za-z])([A-Za-z])\s*(?:\\neq?|\\not\s*=|!=|≠)(?![A-Za-z])\s*"
                  r"([A-Za-z])(?![A-Za-z_])")


def stated_distinct(text: str, line: int) -> set[tuple[str, str]]:
    """The pairs ``(a, b)`` the inline math of the paragraph around ``line`` (1-based, the
    lines up to the nearest blank line each way) states distinct."""
    lines = text.split("\n")
    lo = hi = min(max(line - 1, 0), len(lines) - 1) if lines else 0
    while lo > 0 and lines[lo - 1].strip():
        lo -= 1
    while hi + 1 < len(lines) and lines[hi + 1].strip():
        hi += 1
    prose = _DISPLAY.sub(" ", "\n".join(lines[lo:hi + 1]))
    out: set[tuple[str, str]] = set()
    for m in _INLINE.finditer(prose):
        for a, b in _NEQ.findall(m.group(1) or m.group(2) or ""):
            if a != b:
                out.add(tuple(sorted((a, b))))  # type: ignore[arg-type]
    return out


def violated(pairs: set[tuple[str, str]], indices: Mapping[str, object]) -> bool:
    """Do the counterexample's ``indices`` make a pair stated distinct equal?"""
    return any(a in indices and b in indices and indices[a] == indices[b] for a, b in pairs)
