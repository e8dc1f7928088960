"""Read a Jupyter notebook's Markdown cells (nbformat) as Markdown notes.

Each Markdown cell is read by :mod:`derive.latex.sources.markdown` on its own (a display cannot
run into the next cell); code cells are never read. Cells are numbered from 1 in notebook
order, code cells counted, and positions are ``cell N:line:column``. The notes'
``origin`` maps each line of the joined text back to its (cell, line).

>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[
...     nbformat.v4.new_code_cell("x = 1  # $$a = b$$"),
...     nbformat.v4.new_markdown_cell("<!-- derive: size K -->\\n$$ c = c $$")])
>>> notes = read(nbformat.writes(nb), "nb.ipynb")
>>> [(notes.origin[s.line - 1], s.text.strip()) for s in notes.segments]
[((2, 2), 'c = c')]
"""

from __future__ import annotations

from dataclasses import replace

from derive.errors import DeriveError
from derive.latex.chains import Notes, blank_comments, build_notes, check_size
from derive.latex.errors import located
from derive.latex.sources import markdown, relocate_message
from derive.latex.sources.plain_math import transpose_declared

__all__ = ["markdown_cells", "read"]


def markdown_cells(text: str, source: str) -> list[tuple[int, str]]:
    """(cell number, text) of every Markdown cell of the notebook JSON ``text``."""
    import nbformat

    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat raises JSON, validation and version errors
        raise located(source, 1, 1, f"not a Jupyter notebook ({type(exc).__name__}: "
                      f"{str(exc).splitlines()[0] if str(exc) else ''}): expected an "
                      ".ipynb file in nbformat 4") from None
    return [(n, cell.source) for n, cell in enumerate(nb.cells, start=1)
            if cell.cell_type == "markdown"]


def read(text: str, source: str) -> Notes:
    """The notes of the notebook JSON ``text``: its Markdown cells, joined."""
    check_size(text, source)
    parts, origin = [], []
    maths, prose, blocks, comments, kept = [], [], [], [], []
    inline, unclosed, plain = [], [], []
    at = 0
    for number, cell in markdown_cells(text, source):
        cell = cell.replace("\r\n", "\n").replace("\r", "\n")
        if not cell.endswith("\n"):
            cell += "\n"
        lay = markdown.layout(cell)
        parts.append(cell)
        maths.append(lay.math)
        prose.append(lay.prose)
        blocks += [(a + at, b + at) for a, b in lay.blocks]
        comments += [(a + at, body) for a, body in lay.comments]
        kept += [(a + at, b + at) for a, b in lay.kept]
        inline += [(a + at, b + at) for a, b in lay.inline]
        plain += [(a + at, b + at) for a, b in lay.plain]
        unclosed += [(a + at, opening, closing) for a, opening, closing in lay.unclosed]
        origin += [(number, n) for n in range(1, cell.count("\n") + 1)]
        at += len(cell)
    joined = "".join(parts)
    lay = markdown.Layout(math="".join(maths), prose="".join(prose), blocks=tuple(blocks),
                          comments=tuple(comments), kept=tuple(kept), inline=frozenset(inline),
                          unclosed=tuple(unclosed), plain=frozenset(plain),
                          transpose=transpose_declared("".join(prose)))
    try:
        markdown.check_closed(lay, source)
        found = markdown.directives(joined, lay, source)
        notes = build_notes(joined, blank_comments(lay.math), found, source,
                            lambda clean, _source: list(lay.blocks), inline=lay.inline)
        notes = markdown.translate_plain(notes, lay)
    except DeriveError as exc:
        raise DeriveError(relocate_message(str(exc), source, tuple(origin))) from None
    return replace(notes, origin=tuple(origin))
