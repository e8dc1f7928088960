"""Maths delimiters in raw HTML: one table, one scanner (MathJax's reading of a page).

A Markdown file may hold HTML blocks (``<div>…</div>``, ``<script>…</script>``) that
CommonMark passes through untouched; MathJax then finds the maths in the page. This module
finds it the same way, from :data:`DELIMITERS`, a table of

* the opening (a regular expression, matched where the scan stands),
* the closing (a string, or a function of the opening match),
* whether the formula is a display (``True``), inline (``False``) or a display only when
  nothing else is on its lines (``None``: ``$$…$$``, as kramdown reads it).

A new delimiter is one row. ``<code>``, ``<pre>``, ``<textarea>``, other ``<script>``s and
``<!-- … -->`` comments are never read (MathJax skips them), and neither is a backslash-escaped
``\\$``. A single ``$`` is not a delimiter in HTML (MathJax's default; a price "$5 and $6" in a
``<div>`` is not maths). An opening without its closing is a located error, never dropped.

>>> [(f.body, f.display) for f in scan("<div>\\\\(z=wx\\\\) and $5</div>")]
[('z=wx', False)]
>>> [(f.body, f.display) for f in scan('<script type="math/tex; mode=display">a=b</script>')]
[('a=b', True)]
>>> scan("<pre>\\\\(a=b</pre>")
[]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["DELIMITERS", "SCRIPT", "Delimiter", "Found", "Unclosed", "scan"]

_ENVS = r"(?:equation|align|alignat|gather|multline|eqnarray|flalign)\*?"


@dataclass(frozen=True)
class Delimiter:
    """One way of writing a formula in HTML (one row of :data:`DELIMITERS`)."""

    name: str
    opening: re.Pattern[str]
    closing: str | Callable[[re.Match[str]], str]
    display: bool | None  # None: a display when alone on its lines, else inline

    def close(self, m: re.Match[str]) -> str:
        return self.closing if isinstance(self.closing, str) else self.closing(m)


#: the delimiters MathJax reads in a page, in the order they are tried at one position
DELIMITERS: tuple[Delimiter, ...] = (
    Delimiter("script-display", re.compile(
        r"<script\s+type\s*=\s*[\"']math/tex;\s*mode\s*=\s*display[\"']\s*>", re.I),
        "</script>", True),
    Delimiter("script-inline", re.compile(r"<script\s+type\s*=\s*[\"']math/tex[\"']\s*>", re.I),
              "</script>", False),
    Delimiter("double-dollar", re.compile(r"(?<!\\)\$\$"), "$$", None),
    Delimiter("bracket", re.compile(r"(?<!\\)\\\["), "\\]", True),
    Delimiter("paren", re.compile(r"(?<!\\)\\\("), "\\)", False),
    Delimiter("environment", re.compile(r"\\begin\{(?P<env>" + _ENVS + r")\}"),
              lambda m: f"\\end{{{m['env']}}}", True),
)

#: the opening tag of a MathJax script (inline or display), as a paragraph may hold one
SCRIPT = re.compile(r"<script\s+type\s*=\s*[\"']math/tex[;\"']", re.I)

# what MathJax never reads: comments, code, preformatted text, other scripts, styles
_SKIP = re.compile(r"<!--.*?-->|<(?P<tag>code|pre|textarea|style)\b.*?</(?P=tag)\s*>"
                   r"|<script(?![^>]*math/tex)\b.*?</script\s*>", re.I | re.S)


@dataclass(frozen=True)
class Found:
    """One formula: the offsets of its body in the scanned text, the whole span with its
    delimiters, and whether it is a display."""

    start: int
    end: int
    span: tuple[int, int]
    display: bool
    body: str
    delimiter: str


@dataclass(frozen=True)
class Unclosed:
    """An opening with no closing: where, and what was expected."""

    offset: int
    opening: str
    closing: str


def _alone(text: str, start: int, end: int) -> bool:
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right < 0 else right
    return not _strip_tags(text[left:start]).strip() and not _strip_tags(text[end:right]).strip()


def _strip_tags(s: str) -> str:
    return re.sub(r"<[^<>]*>", "", s)


def scan(text: str, start: int = 0, end: int | None = None) -> list[Found | Unclosed]:
    """The formulas of ``text[start:end]`` (raw HTML), in order; an opening never closed is
    an :class:`Unclosed` (and ends the scan: what follows it is inside the open formula)."""
    end = len(text) if end is None else end
    out: list[Found | Unclosed] = []
    pos = start
    while pos < end:
        skip = _SKIP.match(text, pos, end)
        if skip is not None:
            pos = skip.end()
            continue
        hit = None
        for d in DELIMITERS:
            m = d.opening.match(text, pos, end)
            if m is not None:
                hit = (d, m)
                break
        if hit is None:
            pos += 1
            continue
        d, m = hit
        closing = d.close(m)
        close = text.find(closing, m.end(), end)
        if close < 0:
            out.append(Unclosed(m.start(), m.group(), closing))
            return out
        a, b = m.end(), close
        span = (m.start(), close + len(closing))
        display = d.display if d.display is not None else _alone(text, *span)
        if text[a:b].strip():
            out.append(Found(a, b, span, display, text[a:b], d.name))
        pos = span[1]
    return out
