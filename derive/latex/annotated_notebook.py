"""``derive verify notebook.ipynb --report DIR``: an annotated copy of the notebook.

Each Markdown cell that holds a checked display is cut after that display, and a new
Markdown cell (tagged ``derive-verdict``, its records in the cell's ``derive`` metadata)
follows it with the verdict of each of its steps; a refuted step is explained in the
notes' notation. Code cells and their outputs are kept as they are. The copy is a valid
nbformat 4 notebook (Jupyter opens it).

>>> import nbformat, tempfile, os
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("$$\\na = a\\n$$\\nText.")])
>>> path = os.path.join(tempfile.mkdtemp(), "n.ipynb")
>>> nbformat.write(nb, path)
>>> res = [{"file": path, "cell": 1, "line": 2, "column": 1, "chain": 1, "step": 1,
...         "verdict": "proved"}]
>>> out = nbformat.read(write_annotated_notebook(path, res, os.path.dirname(path)), 4)
>>> [c.source for c in out.cells]
['$$\\na = a\\n$$\\n', '**derive** · step 1.1: proved', 'Text.']
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from derive.latex.sources.markdown import layout
from derive.latex.terminal import explain

__all__ = ["verdict_markdown", "write_annotated_notebook"]


def verdict_markdown(results: Sequence[Mapping[str, Any]]) -> str:
    """The Markdown of a verdict cell: one line per step, a refutation explained."""
    lines = []
    for r in results:
        verdict = str(r["verdict"])
        shown = f"**{verdict}**" if verdict == "refuted" else verdict
        line = f"step {r['chain']}.{r['step']}: {shown}"
        if r.get("note"):
            line += f" ({r['note']})"
        why = explain(r, markdown=True)
        if why:
            line += " — " + why
        lines.append(line)
    if len(lines) == 1:
        return "**derive** · " + lines[0]
    return "**derive**\n\n" + "\n".join(f"- {line}" for line in lines)


def _cuts(source: str, records: Sequence[Mapping[str, Any]]
          ) -> list[tuple[int, list[Mapping[str, Any]]]]:
    """(offset just after the display's last line, its records) for each checked display
    of a cell, in order."""
    starts = [0] + [n + 1 for n, ch in enumerate(source) if ch == "\n"]
    out: list[tuple[int, list[Mapping[str, Any]]]] = []
    left = list(records)
    for a, b in layout(source).blocks:
        first = source.count("\n", 0, a) + 1
        last = source.count("\n", 0, b) + 1
        mine = [r for r in left if first <= int(r["line"]) <= last]
        if not mine:
            continue
        left = [r for r in left if r not in mine]
        cut = starts[last] if last < len(starts) else len(source)
        if out and out[-1][0] == cut:  # two displays on one line: one verdict cell
            out[-1][1].extend(mine)
        else:
            out.append((cut, mine))
    if left:  # a step not inside any display (it should not happen): at the cell's end
        out.append((len(source), left))
    return out


def write_annotated_notebook(path: str, results: Sequence[Mapping[str, Any]], out_dir: str,
                             name: str | None = None, text: str | None = None) -> str:
    """Write ``<name>-annotated.ipynb`` into ``out_dir``; returns its path. ``text``: the
    notebook's characters as the verification run read them (else it is read from
    ``path``)."""
    import nbformat

    nb = nbformat.reads(text, as_version=4) if text is not None else nbformat.read(
        path, as_version=4)
    cells = []
    for number, cell in enumerate(nb.cells, start=1):
        mine = [r for r in results if r.get("cell") == number]
        if cell.cell_type != "markdown" or not mine:
            cells.append(cell)
            continue
        at, source = 0, cell.source
        for n, (cut, records) in enumerate(_cuts(source, mine)):
            piece = source[at:cut]
            if n == 0:
                cell.source = piece
                cells.append(cell)
            elif piece.strip():
                cells.append(nbformat.v4.new_markdown_cell(piece))
            verdict = nbformat.v4.new_markdown_cell(verdict_markdown(records))
            verdict.metadata["tags"] = ["derive-verdict"]
            verdict.metadata["derive"] = {"verdicts": [dict(r) for r in records]}
            cells.append(verdict)
            at = cut
        if source[at:].strip():
            cells.append(nbformat.v4.new_markdown_cell(source[at:]))
    if (nb.nbformat, nb.nbformat_minor) < (4, 5):  # cell ids came with nbformat 4.5
        for cell in cells:
            cell.pop("id", None)
    nb.cells = cells
    nbformat.validate(nb)
    stem = name or os.path.splitext(os.path.basename(path))[0]
    out = os.path.join(out_dir, stem + "-annotated.ipynb")
    nbformat.write(nb, out)
    return out
