"""``derive verify notes.tex --report``: an annotated copy of the user's notes.

Each display block gets, in the margin next to it, the verdict of every step it holds
(proved / refuted / unknown, with the source line); an appendix lists all steps and the
counterexamples of the refuted ones. The notes themselves are not changed: marks go
*before* a display (a margin note cannot go inside one), the preamble gains a few
``\\providecommand`` lines, and Markdown notes (``$$`` blocks) are wrapped in a minimal
document first.

>>> import tempfile
>>> src = "\\\\documentclass{article}\\n\\\\begin{document}\\n"
>>> src += "\\\\[ a = a \\\\]\\n\\\\end{document}\\n"
>>> res = [{"file": "n.tex", "line": 3, "chain": 1, "step": 1, "verdict": "proved"}]
>>> path = write_annotated_notes("n.tex", src, res, tempfile.mkdtemp())
>>> path.endswith("n-annotated.tex")
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from derive.report.compile import atomic_write
from derive.report.tables import counterexample_table, escape_text

__all__ = ["display_blocks", "markdown_to_latex", "write_annotated_notes"]

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

_DISPLAY = re.compile(
    r"\\begin\{(?P<env>align|equation|gather|multline|eqnarray|flalign)(?P<star>\*?)\}"
    r".*?\\end\{(?P=env)(?P=star)\}"
    r"|\\\[.*?\\\]"
    r"|\$\$.*?\$\$",
    re.S,
)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def display_blocks(text: str) -> list[tuple[int, int, int, int]]:
    """``(start offset, end offset, first line, last line)`` of every display-math block.

    >>> display_blocks("a\\n$$x\\n= y$$\\n")
    [(2, 11, 2, 3)]
    """
    out = []
    for m in _DISPLAY.finditer(_mask_comments(text)):
        out.append((m.start(), m.end(), _line_of(text, m.start()), _line_of(text, m.end() - 1)))
    return out


def _mask_comments(text: str) -> str:
    """``text`` with comments blanked (same length), so ``% $$`` starts no block."""
    return re.sub(r"(?<!\\)%[^\n]*", lambda m: " " * len(m.group(0)), text)


def markdown_to_latex(text: str) -> str:
    """A minimal LaTeX document for Markdown notes: headings, paragraphs, ``$``/``$$`` math.

    >>> "\\\\section*{Intro}" in markdown_to_latex("# Intro\\n")
    True
    """
    out: list[str] = []
    pos = 0
    for m in re.finditer(r"\$\$.*?\$\$", text, re.S):
        out.append(_md_text(text[pos : m.start()]))
        # $$…$$ becomes \[…\] (amsmath refuses split and aligned inside $$, MathJax
        # does not); same lines, so the verifier's line numbers still match.
        out.append("\\[" + m.group(0)[2:-2] + "\\]")
        pos = m.end()
    out.append(_md_text(text[pos:]))
    head = (
        "\\documentclass[10pt]{article}\\usepackage[T1]{fontenc}\\usepackage{lmodern}"
        "\\usepackage{amsmath,amssymb}"
        "\\usepackage[margin=2.5cm,marginparwidth=2.2cm]{geometry}"
        "\\setlength{\\parindent}{0pt}\\begin{document}"
    )
    return head + "".join(out) + "\n\\end{document}\n"


def _md_text(chunk: str) -> str:
    lines = []
    for line in chunk.split("\n"):
        heading = re.match(r"\s*(#+)\s*(.*)", line)
        if line.lstrip().startswith("%"):  # the notes' own LaTeX comments stay comments
            lines.append(line)
        elif heading:
            lines.append(r"\section*{" + _md_inline(heading.group(2)) + "}")
        else:
            lines.append(_md_inline(line))
    return "\n".join(lines)


def _md_inline(line: str) -> str:
    parts = re.split(r"(\$[^$]+\$)", line)
    return "".join(p if p.startswith("$") and len(p) > 1 else escape_text(p) for p in parts)


def _mark(result: Mapping[str, Any], cex_no: int | None) -> str:
    verdict = str(result.get("verdict", "unknown"))
    if verdict not in ("proved", "refuted", "unknown"):
        verdict = "unknown"
    text = rf"l.\,{int(result.get('line', 0))}: \deriveverdict{{{verdict}}}"
    if cex_no is not None:
        text += rf" (C{cex_no})"
    return text


def write_annotated_notes(
    source_path: str,
    source_text: str,
    results: Sequence[Mapping[str, Any]],
    out_dir: str,
) -> str:
    """Write ``<out_dir>/<name>-annotated.tex`` and return its path.

    ``results`` are the verifier's JSON objects (``file``, ``line``, ``chain``, ``step``,
    ``verdict``, and ``counterexample`` for refuted steps).
    """
    text = source_text
    if "\\begin{document}" not in text:
        text = markdown_to_latex(text)
        offset_lines = 0  # the wrapper adds no line before the notes' first line
    else:
        offset_lines = 0
    blocks = display_blocks(text)
    cex_numbers: dict[int, int] = {}
    refuted = [r for r in results if r.get("verdict") == "refuted" and r.get("counterexample")]
    for no, r in enumerate(refuted, 1):
        cex_numbers[id(r)] = no
    marks: dict[int, list[str]] = {}  # insertion offset -> marks
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    for r in sorted(results, key=lambda r: (int(r.get("line", 0)), int(r.get("step", 0)))):
        line = int(r.get("line", 0)) + offset_lines
        where = next((s for s, _, lo, hi in blocks if lo <= line <= hi), None)
        if where is None:
            where = line_starts[min(max(line, 1), len(line_starts)) - 1]
        marks.setdefault(where, []).append(_mark(r, cex_numbers.get(id(r))))
    for where in sorted(marks, reverse=True):
        note = r"\derivemark{" + r"\\ ".join(marks[where]) + "}"
        text = text[:where] + note + text[where:]
    preamble = (TEMPLATES / "notes-preamble.tex").read_text(encoding="utf-8")
    text = text.replace("\\begin{document}", preamble + "\\begin{document}", 1)
    appendix = _appendix(source_path, results, refuted)
    end = text.rfind("\\end{document}")
    text = text[:end] + appendix + text[end:]
    out = Path(out_dir) / (Path(source_path).stem + "-annotated.tex")
    return atomic_write(out, text)


def _appendix(
    source_path: str,
    results: Sequence[Mapping[str, Any]],
    refuted: Sequence[Mapping[str, Any]],
) -> str:
    counts = {v: sum(1 for r in results if r.get("verdict") == v)
              for v in ("proved", "refuted", "unknown")}
    rows = "\n".join(
        rf"{int(r.get('line', 0))} & {r.get('chain', '')} & {r.get('step', '')} & "
        rf"\deriveverdict{{{r.get('verdict', 'unknown')}}} \\"
        for r in sorted(results, key=lambda r: (int(r.get("line", 0)), int(r.get("step", 0))))
    )
    parts = [
        "\n\\clearpage\n\\appendix\n\\section*{Checked by derive}\n",
        f"\\texttt{{{escape_text(Path(source_path).name)}}}: {len(results)} steps, "
        f"{counts['proved']} proved, {counts['refuted']} refuted, {counts['unknown']} unknown.\n",
        "\\begin{center}\n\\begin{tabular}{rrrl}\n\\hline\nline & chain & step & verdict \\\\\n"
        f"\\hline\n{rows}\n\\hline\n\\end{{tabular}}\n\\end{{center}}\n",
    ]
    for no, r in enumerate(refuted, 1):
        parts.append(
            f"\\subsection*{{C{no}: line {int(r.get('line', 0))}, chain {r.get('chain', '')}, "
            f"step {r.get('step', '')}}}\n"
            "The step does not follow from the previous one: at these sizes, indices and "
            "inputs the two sides differ.\n"
        )
        parts.append(
            counterexample_table(r["counterexample"]).replace(r"\toprule", r"\hline")
            .replace(r"\bottomrule", r"\hline") + "\n"
        )
    return "".join(parts)
