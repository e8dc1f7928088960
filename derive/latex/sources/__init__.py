"""Sources: one reader per kind of notes file, chosen by the file's suffix.

The first stage of reading notes: a reader turns a file's text into
:class:`~derive.latex.chains.Notes` (its ``derive:`` declarations and the display blocks
with their positions in the file); everything after it is the same for every kind.

=========  ==============================================  ==========================
suffix     reader                                           positions
=========  ==============================================  ==========================
``.tex``   :mod:`.tex` (display blocks of LaTeX)            ``line:column``
``.md``    :mod:`.markdown` (CommonMark; code never read)   ``line:column``
``.ipynb`` :mod:`.notebook` (Markdown cells, nbformat)      ``cell N:line:column``
=========  ==============================================  ==========================

A new kind of source is one module with ``read(text, source) -> Notes`` and one entry in
:data:`READERS`. A new way of delimiting maths in raw HTML is one row of
:data:`derive.latex.sources.delimiters.DELIMITERS`. A file with any other suffix is read as
LaTeX, as it always was.

>>> [s.text.strip() for s in read_text("`$$x = y$$` and\\n\\n$$a = a$$", "md").segments]
['a = a']
>>> sorted(READERS)
['.ipynb', '.markdown', '.md', '.tex']
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable
from typing import Any

from derive.errors import DeriveError
from derive.latex.chains import Notes
from derive.latex.chains import read_text as _file_text

__all__ = ["FORMATS", "READERS", "read_source", "read_source_text", "read_text", "reader",
           "relocate", "relocate_error", "relocate_message", "suffixes"]

#: suffix -> the module that reads it (imported when a file of that kind is read)
READERS: dict[str, str] = {
    ".tex": "derive.latex.sources.tex",
    ".md": "derive.latex.sources.markdown",
    ".markdown": "derive.latex.sources.markdown",
    ".ipynb": "derive.latex.sources.notebook",
}
#: the names ``format=`` takes, and the suffix each stands for
FORMATS: dict[str, str] = {"tex": ".tex", "latex": ".tex", "md": ".md", "markdown": ".md",
                           "ipynb": ".ipynb", "notebook": ".ipynb"}


def suffixes() -> tuple[str, ...]:
    """Every suffix a reader is registered for (folders are searched for these)."""
    return tuple(READERS)


def reader(suffix: str) -> Callable[[str, str], Notes]:
    """The ``read(text, source)`` function for files ending in ``suffix`` (LaTeX when no
    reader is registered for it)."""
    module = importlib.import_module(READERS.get(suffix.lower(), READERS[".tex"]))
    read: Callable[[str, str], Notes] = module.read
    return read


def read_source(path: str) -> Notes:
    """Read the notes file at ``path`` with the reader its suffix names."""
    return read_source_text(path)[1]


def read_source_text(path: str) -> tuple[str, Notes]:
    """The characters of the notes file at ``path`` (read once) and the notes its reader
    makes of them: what a renderer of the file's verdicts needs, without reading it again."""
    text = _file_text(path)
    return text, reader(os.path.splitext(path)[1])(text, path)


def read_text(text: str, format: str = "md", source: str = "<text>") -> Notes:
    """Read notes given as a string; ``format`` is ``"md"``, ``"tex"`` or ``"ipynb"``."""
    suffix = FORMATS.get(format.lower().lstrip("."))
    if suffix is None:
        raise DeriveError(f"format {format!r} is not a kind of notes: expected one of "
                          f"{', '.join(sorted(set(FORMATS)))}")
    return reader(suffix)(text, source)



def relocate_message(message: str, source: str, origin: tuple[tuple[int, int], ...]) -> str:
    """``source:LINE:COL`` in ``message`` (a line of the joined cells) as
    ``source:cell N:LINE:COL`` (the line in that cell).

    >>> relocate_message("nb.ipynb:4:2: undeclared q", "nb.ipynb", ((1, 1), (1, 2), (3, 1), (3, 2)))
    'nb.ipynb:cell 3:2:2: undeclared q'
    """
    if not origin:
        return message

    def one(m: re.Match[str]) -> str:
        line = int(m.group(1))
        if not 1 <= line <= len(origin):
            return m.group()
        cell, own = origin[line - 1]
        return f"{source}:cell {cell}:{own}:{m.group(2)}"

    return re.sub(re.escape(source) + r":(\d+):(\d+)", one, message)


def relocate(notes: Notes, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Step records of ``notes`` with their positions in the file: for a notebook, the
    ``line`` within the cell and a ``cell`` number, and messages that say the cell."""
    if not notes.origin:
        return results
    out = []
    for r in results:
        r = dict(r)
        line = int(r.get("line", 0))
        if 1 <= line <= len(notes.origin):
            cell, own = notes.origin[line - 1]
            r = {**{k: v for k, v in r.items() if k != "line"}, "cell": cell, "line": own}
            r = {k: r[k] for k in ("file", "cell", "line", *[k for k in r if k not in (
                "file", "cell", "line")])}
        if isinstance(r.get("note"), str):
            r["note"] = relocate_message(r["note"], notes.source, notes.origin)
        out.append(r)
    return out


def relocate_error(notes: Notes, exc: DeriveError) -> DeriveError:
    """``exc`` with its position said as the file's own (the cell of a notebook)."""
    if not notes.origin:
        return exc
    return DeriveError(relocate_message(str(exc), notes.source, notes.origin))
