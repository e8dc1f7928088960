r"""A long remark at the end of a display row, set on a line of its own in an annotated copy.

Notes often end a row with a remark in words after a wide space: ``a &= b \qquad
\text{(where I is 1 when y = k and 0 otherwise)}``. With the row's formula that is wider
than the text column of an annotated copy (whose right margin holds the verdicts), so the
row runs into the verdict beside it. The annotated copy moves such a remark to the next
line of the same display, aligned where the row is aligned and without an equation number;
the row keeps its verdict mark. The notes themselves are not changed.

>>> src = r"\begin{align} a &= b \qquad \text{" + "w" * 40 + r"} \\ &= c \end{align}"
>>> [(src[at:at + 6], ins) for at, ins in remark_breaks(src, [(0, len(src))], False)]
[('\\qquad', '\\\\ &'), (' \\\\ &=', ' \\notag')]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from derive.report.rows import display_rows, row_has_alignment

__all__ = ["MIN_REMARK", "remark_breaks", "remark_start"]

#: Characters of source from which a row-final remark gets a line of its own (a short one,
#: ``\\quad \\text{(by (3))}``, fits beside its formula and stays there).
MIN_REMARK = 40

#: Displays whose rows may be split by ``\\\\``: outer environments with rows, and the
#: row environments inside another display.
_ROWS_OK = re.compile(r"\\begin\{(align|gather|flalign)\*?\}|\\begin\{(aligned|gathered)\}")
_REMARK = re.compile(r"\\q?quad\s*\\text\s*\{")
_KEEP = re.compile(r"\\(tag|label|notag|nonumber)\b")


def remark_start(text: str, start: int, end: int) -> int | None:
    """Offset of a row-final remark (``\\qquad \\text{…}`` to the row's end, at brace depth
    0, at least :data:`MIN_REMARK` characters, carrying no tag or label) in
    ``text[start:end]``, or ``None``.

    >>> remark_start("a = b \\\\quad \\\\text{(by (3))}", 0, 26) is None
    True
    """
    depth = 0
    pos = start
    while pos < end:
        ch = text[pos]
        if ch == "\\":
            if depth == 0 and _REMARK.match(text, pos):
                tail = text[pos:end]
                if len(tail.strip()) >= MIN_REMARK and not _KEEP.search(tail):
                    return pos
                return None
            pos += 2
            continue
        depth += ch == "{"
        depth -= ch == "}"
        pos += 1
    return None


def remark_breaks(text: str, blocks: Sequence[tuple[int, int]], markdown: bool,
                  ) -> list[tuple[int, str]]:
    """``(offset, text to insert)``: a row break before every long row-final remark, and
    ``\\notag`` at the end of the remark's row. ``markdown``: the notes are Markdown, whose
    displays become ``gather*`` when they hold rows (so a plain ``$$…$$`` may get one);
    ``blocks``: the ``(start, end)`` offsets of the display blocks."""
    out: list[tuple[int, str]] = []
    for s, e in blocks:
        block = text[s:e]
        if not (_ROWS_OK.search(block) or (markdown and block.startswith(("$$", "\\[")))):
            continue
        for row in display_rows(text, s, e):
            at = remark_start(text, *row)
            if at is None:
                continue
            amp = " &" if row_has_alignment(text, row) else ""
            out.append((at, "\\\\" + amp))
            out.append((row[1], " \\notag"))
    return out
