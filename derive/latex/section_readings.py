"""Per-section readings: a file whose sections give a letter two meanings is read in parts.

Notes often reuse a letter with another meaning in a later section: ``i`` runs over the
``m`` training examples in one section and over ``N`` samples in the next, ``J`` is
``J(w, b)`` there and ``J(w)`` here. Read as one file, such a letter has two ranges and
inference leaves it undeclared (:mod:`derive.latex.infer`: a conflict), so every block that
writes it stays ``unknown``. Here the file is cut at section starts (Markdown headings,
``\\section``, a notebook's heading cells: :func:`derive.latex.prose.sections`) into the
fewest consecutive spans that each read without a conflict the whole file did not already
have in one of its sections: a span grows section by section and a section that brings a
new conflict starts the next span. Each span is then checked with its own inference (its
displays, and the prose before its end with its own definitions first).

A line of prose that defines a name again with another body ("Now let $a = 3x$",
:func:`derive.latex.infer.prose_redefinitions`) starts a part too, as a heading does.

A file inference reads without a conflict, or without sections, is one span: nothing
changes for it. A conflict inside one section stays a conflict.

>>> from derive.latex.sources import read_text
>>> from derive.latex.blocks import parse_blocks
>>> text = "# A\\n$$a = \\\\sum_{i=1}^{m} x_i$$\\n# B\\n$$b = \\\\sum_{i=1}^{N} y_i$$\\n"
>>> notes = read_text(text)
>>> reading_spans(notes, parse_blocks(notes, frozenset()))
[(1, 3), (3, 6)]
"""

from __future__ import annotations

from collections.abc import Sequence

from derive.latex.blocks import Block
from derive.latex.chains import Notes
from derive.latex.infer import inference
from derive.latex.prose import sections

__all__ = ["reading_spans"]


def reading_spans(notes: Notes, blocks: Sequence[Block]) -> list[tuple[int, int]] | None:
    """The spans ``[first line, end line)`` to read the notes in, or None when the whole
    file is one reading (no conflict, no section, or no section that resolves one)."""
    whole = inference(notes, blocks)
    if not whole.conflicts:
        return None
    end = notes.text.count("\n") + 2
    # a section starts a part, and so does a line of prose that defines a name again
    starts = set(sections(notes)) | set(whole.redefinitions)
    bounds = [1, *[s for s in sorted(starts) if 1 < s < end], end]
    if len(bounds) < 3:
        return None
    spans: list[tuple[int, int]] = []
    lo, hi = bounds[0], bounds[1]
    have = set(inference(notes, blocks, (lo, hi)).conflicts)
    for nxt in bounds[2:]:
        grown = set(inference(notes, blocks, (lo, nxt)).conflicts)
        if grown - have:  # this section gives a letter another meaning: a new reading
            spans.append((lo, hi))
            lo = hi
            have = set(inference(notes, blocks, (lo, nxt)).conflicts)
        else:
            have = grown
        hi = nxt
    spans.append((lo, hi))
    return spans if len(spans) > 1 else None
