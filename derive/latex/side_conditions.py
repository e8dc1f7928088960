r"""Conditions the prose states beside a display: a refutation where they fail is no refutation.

Authors write a step's condition in the sentence around the display rather than in it:
"…$$\frac{\partial^2 f}{\partial x_k \partial x_j} = -p_k p_j,$$ where $j \neq k$", or
"Case 2: \(i \neq j\)" just before it, often with no blank line between paragraphs.
A counterexample at j = k refutes the step only where the author did not claim it.

:func:`stated` reads the ``a \neq b`` and ``a = b`` conditions (two single letters) of the
inline math written *for* the display on a line:

- the sentence that leads into it: the prose between the display before (or the last
  blank line, or the last full stop outside maths) and this display;
- the sentence that follows it, when it opens with a connective ("where", "for", "when",
  "if", "with", "provided", "assuming", "unless"), up to its full stop, a blank line or
  the next display.

A condition in another display's sentence (the "Case 1: \(i = j\)" line before an earlier
display, an "Interpretation: … for \(i \neq j\)." after it) is not this display's.
:func:`broken` names the condition a counterexample's index values break.

>>> text = "For the second derivative $$f_{jk} = 0,$$ where $j \\neq k$.\n\nNext."
>>> stated(text, "", 1)
{('j', 'k', False)}
>>> broken({('j', 'k', False)}, {"j": 1, "k": 1}), broken({('j', 'k', False)}, {"j": 1, "k": 2})
('j \\neq k', None)
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

__all__ = ["Condition", "broken", "display_conditions", "stated"]

Condition = tuple[str, str, bool]  # (a, b, equal): a = b when equal, else a \neq b

_COMMENT = re.compile(r"<!--.*?-->|^[ \t]*%[^\n]*", re.S | re.M)
_DISPLAY = re.compile(r"\$\$.*?\$\$|\\\[.*?\\\]|\\begin\{(\w+\*?)\}.*?\\end\{\1\}", re.S)
_INLINE = re.compile(r"\$(.+?)\$|\\\((.+?)\\\)", re.S)
_REL = re.compile(r"(?<![\\A-Za-z])([A-Za-z])\s*(\\neq?|\\not\s*=|!=|≠|=)(?![A-Za-z])\s*"
                  r"([A-Za-z])(?![A-Za-z_{(])")
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n[ \t]*\n|\n[ \t]*#")
_CONNECTIVE = re.compile(r"[\s,.;:]*(?:where|for|when|whenever|if|with|provided|assuming|"
                         r"unless|as long as)\b", re.I)


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group())


def _conditions(prose: str) -> set[Condition]:
    out: set[Condition] = set()
    for m in _INLINE.finditer(prose):
        for a, rel, b in _REL.findall(m.group(1) or m.group(2) or ""):
            if a != b:
                x, y = sorted((a, b))
                out.add((x, y, rel == "="))
    return out


def _displays(text: str, math: str) -> list[tuple[int, int]]:
    """The character spans of the display maths of ``text`` (comments blanked); a
    delimiter that ``math`` blanks (in code, in a comment) opens no display."""
    return [m.span() for m in _DISPLAY.finditer(text)
            if not math or math[m.start():m.start() + 2].strip()]


def _mask_inline(prose: str) -> str:
    """``prose`` with its inline maths blanked (same positions): full stops inside maths
    end no sentence."""
    return _INLINE.sub(lambda m: "x" * len(m.group()), prose)


def _lead(prose: str) -> str:
    masked = _mask_inline(prose)
    cut = max((m.end() for m in _SENTENCE_END.finditer(masked)), default=0)
    return prose[cut:]


def _trail(prose: str) -> str:
    if not _CONNECTIVE.match(prose):
        return ""
    m = _SENTENCE_END.search(_mask_inline(prose))
    return prose[:m.start()] if m else prose


def stated(text: str, math: str, line: int) -> set[Condition]:
    """The conditions the prose states for the display on ``line`` (1-based) of ``text``;
    ``math`` is the text with what is not mathematics blanked (same positions), or ""."""
    text = _COMMENT.sub(_blank, text)
    spans = _displays(text, math)
    starts = [0] + [text.count("\n", 0, s) + 1 for s, _ in spans]
    for n, (s, e) in enumerate(spans):
        first, last = starts[n + 1], text.count("\n", 0, e) + 1
        if first <= line <= last:
            before = spans[n - 1][1] if n else 0
            after = spans[n + 1][0] if n + 1 < len(spans) else len(text)
            lead = _lead(text[before:s])
            trail = _trail(text[e:after])
            return _conditions(lead) | _conditions(trail)
    return set()


def broken(conditions: set[Condition], indices: Mapping[str, object]) -> str | None:
    """The condition (as LaTeX) the counterexample's ``indices`` break, or None."""
    for a, b, equal in sorted(conditions):
        if indices.get(a) is None or indices.get(b) is None:
            continue
        if (indices[a] == indices[b]) != equal:
            return f"{a} = {b}" if equal else f"{a} \\neq {b}"
    return None


def display_conditions(text: str, math: str, line: int, display: str,
                       indices: Collection[str]) -> list[str]:
    """The conditions the prose states for the display on ``line`` between two of the
    ``indices`` both written in that display (its source ``display``), as ``where`` lines
    read them (``i \\neq j``, ``j = k``): the display is checked under them."""
    bare = re.sub(r"\\(?:text|mathrm|operatorname)\s*\{[^{}]*\}|\\[A-Za-z]+", " ", display)
    letters = set(re.findall(r"[A-Za-z]", bare))
    return [f"{a} = {b}" if equal else f"{a} \\neq {b}"
            for a, b, equal in sorted(stated(text, math, line))
            if a in letters and b in letters and a in indices and b in indices]
