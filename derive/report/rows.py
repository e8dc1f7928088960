"""Rows and members of a display-math block, found in the notes' own source text.

The verifier reports each step at the position of its right-hand member. To put a verdict
beside the *row* that holds the step, and to quote both members of a refuted step in the
notes' own notation, the annotated copy needs the row and member boundaries around such a
position. They are found by a small scan: braces and nested environments (``cases``,
``bmatrix``, ...) hide what is inside them; ``split``/``aligned``/``gathered`` are the row
structure itself, so their ``\\\\`` end rows.

>>> text = r"$$\\begin{split} L &= a + b \\\\ &= c \\end{split}$$"
>>> [text[s:e].strip() for s, e in display_rows(text, 0, len(text))]
['L &= a + b', '&= c']
>>> row = display_rows(text, 0, len(text))[0]
>>> [text[s:e].strip() for s, e in row_members(text, row)]
['L &', 'a + b']
"""

from __future__ import annotations

import re

__all__ = ["balanced", "display_rows", "member_text", "row_has_alignment", "row_members"]

#: Environments whose rows are the chain's rows (the ``\\`` inside them ends a row).
ROW_ENVS = ("split", "aligned", "alignedat", "gathered", "align", "align*", "gather",
            "gather*", "multline", "multline*", "flalign", "flalign*", "eqnarray",
            "eqnarray*", "equation", "equation*")

_BEGIN = re.compile(r"\\begin\{([^}]*)\}")
_END = re.compile(r"\\end\{([^}]*)\}")
_OPEN = re.compile(r"\$\$|\\\[|\\begin\{[^}]*\}")
_CLOSE = re.compile(r"(\$\$|\\\]|\\end\{[^}]*\})\s*\Z")


def _tokens(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Top-level ``row``/``amp``/``rel`` separators in ``text[start:end]``."""
    out = []
    depth = 0
    envs: list[str] = []
    pos = start
    while pos < end:
        ch = text[pos]
        if ch == "\\":
            m = _BEGIN.match(text, pos)
            if m:
                if depth or envs or m.group(1) not in ROW_ENVS:
                    envs.append(m.group(1))
                else:
                    out.append(("row", pos, m.end()))
                pos = m.end()
                continue
            m = _END.match(text, pos)
            if m:
                if envs and envs[-1] == m.group(1):
                    envs.pop()
                elif not depth:
                    out.append(("row", pos, m.end()))
                pos = m.end()
                continue
            if text.startswith("\\\\", pos):
                if not depth and not envs:
                    out.append(("row", pos, pos + 2))
                pos += 2
                continue
            pos += 2  # \{, \}, \= ... are escaped characters
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif not depth and not envs:
            if ch == "&":
                out.append(("amp", pos, pos + 1))
            elif ch == "=":
                out.append(("rel", pos, pos + 1))
        pos += 1
    return out


def _inner(text: str, start: int, end: int) -> tuple[int, int]:
    m = _OPEN.match(text, start)
    a = m.end() if m else start
    c = _CLOSE.search(text, a, end)
    b = c.start() if c else end
    return a, b


def display_rows(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the rows of the display ``text[start:end]`` (its
    delimiters excluded); a row's end is where a mark after it goes."""
    a, b = _inner(text, start, end)
    cuts = [a] + [p for kind, s, e in _tokens(text, a, b) if kind == "row" for p in (s, e)] + [b]
    rows = []
    for s, e in zip(cuts[::2], cuts[1::2], strict=True):
        while e > s and text[e - 1].isspace():
            e -= 1
        if text[s:e].strip():
            rows.append((s, e))
    return rows


def row_members(text: str, row: tuple[int, int]) -> list[tuple[int, int]]:
    """The members of a row: the pieces between its top-level ``=`` (``&`` left out); an
    ``=`` inside parentheses, ``p(y = k \\mid x)``, is part of its member.

    >>> t = "L = -log p(y = k) = c"
    >>> [t[a:b].strip() for a, b in row_members(t, (0, len(t)))]
    ['L', '-log p(y = k)', 'c']
    """
    s, e = row
    inside = _paren_pairs(text, s, e)
    rels = [(a, b) for kind, a, b in _tokens(text, s, e) if kind == "rel"
            and not any(o < a < c for o, c in inside)]
    cuts = [s] + [p for a, b in rels for p in (a, b)] + [e]
    return list(zip(cuts[::2], cuts[1::2], strict=True))


def _paren_pairs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Offsets of the matched ``(``…``)`` pairs in ``text[start:end]`` (an unmatched one,
    as in the interval ``(0, 1]``, pairs with nothing)."""
    pairs, stack = [], []
    for pos in range(start, end):
        if text[pos] == "(" and text[pos - 1 : pos] != "\\":
            stack.append(pos)
        elif text[pos] == ")" and text[pos - 1 : pos] != "\\" and stack:
            pairs.append((stack.pop(), pos))
    return pairs


def balanced(tex: str) -> bool:
    """Can ``tex`` be typeset alone: braces, ``\\left``/``\\right`` and environments paired?

    >>> balanced(r"\\left( a \\right)"), balanced(r"\\left( a"), balanced("{a")
    (True, False, False)
    """
    body = re.sub(r"\\[{}]", "", tex)
    depth = 0
    for ch in body:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    if depth:
        return False
    lefts = len(re.findall(r"\\left(?![a-zA-Z])", body))
    rights = len(re.findall(r"\\right(?![a-zA-Z])", body))
    return lefts == rights and len(_BEGIN.findall(body)) == len(_END.findall(body))


def member_text(text: str, span: tuple[int, int]) -> str | None:
    """The member's LaTeX, cleaned for quoting (``&``, tags and labels dropped), or
    ``None`` when it cannot stand alone (e.g. a ``\\left(`` closed on a later row)."""
    s, e = span
    amps = [a for kind, a, _ in _tokens(text, s, e) if kind == "amp"]
    chars = list(text[s:e])
    for a in amps:  # the row's alignment marks; a matrix keeps its own & between entries
        chars[a - s] = " "
    tex = "".join(chars)
    tex = re.sub(r"\\(?:tag|label)\*?\{[^}]*\}|\\(?:nonumber|notag)\b", "", tex)
    tex = re.sub(r"[.,;]\s*$", "", tex.strip()).strip()
    if not tex or not balanced(tex):
        return None
    return tex


def row_has_alignment(text: str, row: tuple[int, int]) -> bool:
    """Whether the row holds a top-level ``&`` (an alignment point).

    >>> row_has_alignment("a &= b", (0, 6)), row_has_alignment("a = {b & c}", (0, 11))
    (True, False)
    """
    return any(kind == "amp" for kind, _, _ in _tokens(text, *row))
