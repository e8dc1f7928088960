"""``derive verify notes.tex --report``: an annotated copy of the user's notes.

Every *row* of a display that holds a checked step gets its verdict in the margin, on the
row's own baseline: the step as the CLI numbers it (``chain.step``), the verdict, and the
short reason the verifier gave (a counterexample number, "skipped", "shapes", ...). The
first wrong step of a chain is marked, and the later steps of that chain say that they
inherit it. An appendix lists every step and, for each refuted one, the previous line and
this line in the notes' own notation with their values at the counterexample.

The notes themselves are not changed: an invisible mark goes at the end of each row
(a zero-size TikZ overlay, so no line gets wider), the preamble gains what the notes and
the marks need, and Markdown notes are wrapped in a minimal document first.

>>> import tempfile
>>> src = "\\\\documentclass{article}\\n\\\\begin{document}\\n"
>>> src += "\\\\[ a = a \\\\]\\n\\\\end{document}\\n"
>>> res = [{"file": "n.tex", "line": 3, "column": 8, "chain": 1, "step": 1,
...         "verdict": "proved"}]
>>> path = write_annotated_notes("n.tex", src, res, tempfile.mkdtemp())
>>> path.endswith("n-annotated.tex")
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from derive.report.compile import atomic_write
from derive.report.markdown import PRIVATE, markdown_to_latex
from derive.report.remarks import remark_breaks
from derive.report.rows import display_rows, member_text, row_members
from derive.report.tables import counterexample_table, escape_text, fmt_value
from derive.verdicts import VERDICTS

__all__ = ["Placed", "display_blocks", "margin_marks", "place_steps", "remove_marks",
           "short_reason", "write_annotated_notes"]

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

_DISPLAY = re.compile(
    r"\\begin\{(?P<env>align|equation|gather|multline|eqnarray|flalign)(?P<star>\*?)\}"
    r".*?\\end\{(?P=env)(?P=star)\}"
    r"|\\\[.*?\\\]"
    r"|\$\$.*?\$\$",
    re.S,
)

#: The verifier's notes, shortened for a margin: (pattern, short form). First match wins;
#: ``\\1`` refers to the pattern's groups. Unmatched notes keep their first clause.
SHORT_REASONS: tuple[tuple[str, str], ...] = (
    (r"^not checked: (?:an? )?([^(,:;]*)", r"\1"),
    (r"^not read: (?:[^\s:]+:\d+(?::\d+)?: )?([^:,;(]*)", r"not read: \1"),
    (r"elided rows \(\\vdots\)", r"$\\vdots$: no fixed size"),
    (r"^\\[lcv]?dots elides entries", r"$\\ldots$: no fixed size"),
    (r"^the last row or column of a matrix with dots is not labelled",
     "dots: last row/column size undeclared"),
    (r"^derivative of an? (?:column |row )?(vector|matrix)\b.*? by an? (?:column |row )?"
     r"(vector|matrix)\b", r"\1-by-\2 derivative"),
    (r"^shapes differ: (\S+) vs (\S+)", r"shapes \1 vs \2"),
    (r"^entry \((\d+), (\d+)\)", r"entry (\1, \2) differs"),
    (r"expected equal shapes|cannot (?:add|multiply)|expected a scalar", "shapes do not match"),
    (r"outside the decided fragment", "outside the decided fragment"),
    (r"^engine error", "engine error"),
    (r"not available", "engine not available"),
)


def short_reason(note: str) -> str:
    """A margin-sized form of a verifier note (plain text; ``$…$`` allowed).

    >>> short_reason("a matrix with elided rows (\\\\vdots) has no fixed size: not checkable")
    '$\\\\vdots$: no fixed size'
    >>> short_reason("not checked: an update rule (W is replaced by W - alpha dJ/dW)")
    'update rule'
    """
    for pattern, short in SHORT_REASONS:
        m = re.search(pattern, note)
        if m:
            return _cap(m.expand(short).strip())
    return _cap(re.split(r"[:;(]", note, maxsplit=1)[0].strip())


def _cap(text: str, limit: int = 40) -> str:
    """At most ``limit`` characters (a margin holds two lines): cut at a word, with "..."."""
    if len(text) <= limit:
        return text
    return text[: limit - 3].rsplit(" ", 1)[0].rstrip(" ,;") + "..."


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


@dataclass
class Placed:
    """Where one verdict goes: the offset its mark is inserted at (a row's end, or a line's
    start outside display math), and the two members the step compares (``None`` when
    they cannot be quoted alone)."""

    result: Mapping[str, Any]
    mark_at: int
    row: int  #: 1-based row of the display (0 outside display math)
    previous: str | None
    this: str | None


def _offset(text: str, line: int, col: int) -> int:
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    line = min(max(line, 1), len(starts))
    return min(starts[line - 1] + max(col - 1, 0), len(text))


def place_steps(text: str, results: Sequence[Mapping[str, Any]]) -> list[Placed]:
    """Tie every result to the display row (and members) its position falls in."""
    blocks = display_blocks(text)
    rows_of = {b[:2]: display_rows(text, b[0], b[1]) for b in blocks}
    placed: list[Placed] = []
    right_of: dict[tuple[Any, Any, int], str | None] = {}
    for r in results:
        col = int(r.get("column") or 0)
        pos = _offset(text, int(r.get("line", 0)), col)
        block = next(((s, e) for s, e, _, _ in blocks if s <= pos <= e), None)
        if block is None:  # outside display math: a mark at the start of its line
            start = _offset(text, int(r.get("line", 0)), 1)
            placed.append(Placed(r, start, 0, None, None))
            continue
        rows = rows_of[block]
        if not rows:
            placed.append(Placed(r, block[0], 0, None, None))
            continue
        if col:
            at = next((n for n, (s, e) in enumerate(rows) if pos <= e), len(rows) - 1)
        else:  # no column: the first row on the step's line
            at = next((n for n, (s, e) in enumerate(rows)
                       if _line_of(text, e) >= int(r.get("line", 0))), 0)
        row = rows[at]
        members = row_members(text, row)
        k = next((n for n, (s, e) in enumerate(members) if pos <= e), len(members) - 1)
        this = member_text(text, members[k]) if col else None
        key = (r.get("file"), r.get("chain"), int(r.get("step", 0)))
        if (key[0], key[1], key[2] - 1) in right_of:
            previous = right_of[(key[0], key[1], key[2] - 1)]
        elif k > 0 and col:
            previous = member_text(text, members[k - 1])
        elif at > 0 and col:
            previous = member_text(text, row_members(text, rows[at - 1])[-1])
        else:
            previous = None
        right_of[key] = this
        placed.append(Placed(r, row[1], at + 1, previous, this))
    return placed


def margin_marks(text: str) -> list[tuple[int, str, str, str]]:
    """``(start offset, chain, step, verdict)`` of every margin verdict in an annotated copy.

    >>> margin_marks(r"x \\derivenote{\\derivestep{2}{1}{proved}{}} y")
    [(2, '2', '1', 'proved')]
    """
    out = []
    for m in re.finditer(r"\\derivenote\{", text):
        out.extend((m.start(), *s.groups()) for s in
                   re.finditer(r"\\derivestep\{([^}]*)\}\{([^}]*)\}\{([^}]*)\}",
                               text[m.end() : _closing(text, m.end() - 1)]))
    return out


def remove_marks(text: str) -> str:
    """``text`` without the ``\\derivenote{...}`` marks (what the notes' author wrote).

    >>> remove_marks(r"a = b\\derivenote{\\derivestep{1}{1}{proved}{}} \\\\")
    'a = b \\\\\\\\'
    """
    while (m := re.search(r"\\derivenote\{", text)) is not None:
        text = text[: m.start()] + text[_closing(text, m.end() - 1) + 1 :]
    return text


def _closing(text: str, brace: int) -> int:
    depth = 0
    for pos in range(brace, len(text)):
        if text[pos] == "{" and text[pos - 1] != "\\":
            depth += 1
        elif text[pos] == "}" and text[pos - 1] != "\\":
            depth -= 1
            if depth == 0:
                return pos
    return len(text)


def _verdict(r: Mapping[str, Any]) -> str:
    verdict = str(r.get("verdict", "unknown"))
    if verdict == "unknown" and str(r.get("note", "")).startswith("not checked"):
        return "skipped"
    return verdict if verdict in VERDICTS else "unknown"


def _step_id(r: Mapping[str, Any]) -> str:
    return f"{r.get('chain', '')}.{r.get('step', '')}"


def _record(r: Any) -> Mapping[str, Any]:
    """A verifier result as a mapping: a :class:`~derive.latex.step_result.StepResult` (or
    a plain record) as it is; another object with ``as_dict``, its record."""
    return r if isinstance(r, Mapping) else r.as_dict()


def trace_of(r: Mapping[str, Any]) -> Mapping[str, Any]:
    """The rule trace the verifier recorded for a step (empty if none)."""
    t = r.get("trace")
    return t if isinstance(t, Mapping) else {}


def _inheritance(results: Sequence[Mapping[str, Any]]) -> dict[int, str]:
    """``id(result) ->`` "first wrong step" (the first refuted step of its chain) or
    "inherits c.s": only where the verifier recorded that this step is the same equality,
    by value, that step c.s already decided (never because of where the step sits)."""
    first: set[tuple[Any, Any]] = set()
    out: dict[int, str] = {}
    for r in sorted(results, key=lambda r: (str(r.get("file")), int(r.get("chain", 0)),
                                            int(r.get("step", 0)))):
        key = (r.get("file"), r.get("chain"))
        inherits = trace_of(r).get("inherits")
        if inherits:
            out[id(r)] = f"inherits {inherits}"
        elif r.get("verdict") == "refuted" and key not in first:
            out[id(r)] = "first wrong step"
        if r.get("verdict") == "refuted":
            first.add(key)
    return out


def by_text(r: Mapping[str, Any]) -> str:
    """"by rule, rule" from the step's rule trace, and "closed numerically" where the
    trace says so; empty when the trace records nothing."""
    t = trace_of(r)
    if r.get("verdict") != "proved":  # the rules tried on a step not proved closed nothing
        return ""
    rules = [str(x) for x in t.get("rules", ()) or ()]
    parts = ["by " + ", ".join(rules)] if rules else []
    if t.get("numeric"):
        parts.append("closed numerically")
    return "; ".join(parts)


def _margin_text(r: Mapping[str, Any], cex_no: int | None, chain_note: str | None) -> str:
    verdict = _verdict(r)
    parts = []
    if cex_no is not None:
        parts.append(rf"C{cex_no}")
    if chain_note:
        parts.append(chain_note)
    note = str(r.get("note", ""))
    if trace_of(r).get("numeric"):
        parts.append("closed numerically")
    if verdict in ("unknown", "skipped") and note:
        parts.append(_reason_tex(short_reason(note)))
    elif verdict == "refuted" and cex_no is None and note:
        parts.append(_reason_tex(short_reason(note)))
    tail = ("; ".join(parts)) if parts else ""
    return (rf"\derivestep{{{r.get('chain', '')}}}{{{r.get('step', '')}}}{{{verdict}}}"
            rf"{{{tail}}}")


def _reason_tex(reason: str) -> str:
    """Plain text with ``$…$`` math kept."""
    parts = re.split(r"(\$[^$]+\$)", reason)
    return "".join(p if p.startswith("$") and len(p) > 1 else escape_text(p) for p in parts)


def write_annotated_notes(
    source_path: str,
    source_text: str,
    results: Sequence[Mapping[str, Any]],
    out_dir: str,
    name: str | None = None,
) -> str:
    """Write ``<out_dir>/<name>-annotated.tex`` (``name`` defaults to the source's stem)
    and return its path.

    ``results`` are the verifier's JSON objects (``file``, ``line``, ``column``, ``chain``,
    ``step``, ``verdict``, ``note``, and ``counterexample`` for refuted steps).
    """
    results = [_record(r) for r in results]
    markdown = "\\begin{document}" not in source_text
    placed = place_steps(source_text, results)
    refuted = [p for p in placed if p.result.get("verdict") == "refuted"
               and p.result.get("counterexample")]
    cex_numbers = {id(p.result): no for no, p in enumerate(refuted, 1)}
    chain_notes = _inheritance(results)
    marks: dict[int, list[str]] = {}
    for p in placed:
        marks.setdefault(p.mark_at, []).append(
            _margin_text(p.result, cex_numbers.get(id(p.result)), chain_notes.get(id(p.result))))
    # a long remark at a row's end goes on a line of its own, and the row's mark with the
    # row (inserted before the remark's break)
    breaks = remark_breaks(source_text, [b[:2] for b in display_blocks(source_text)],
                           markdown)
    for (at, _), (row_end, _) in zip(breaks[::2], breaks[1::2], strict=True):
        if row_end in marks:
            marks.setdefault(at, []).extend(marks.pop(row_end))
    text = source_text
    fills: dict[str, str] = {}
    # (offset, order, what): inserted from the end; at one offset the break goes in first,
    # so the mark lands before it
    inserts = [(where, 0, n) for n, where in enumerate(sorted(marks))]
    inserts += [(at, 1, ins) for at, ins in breaks]
    for where, is_break, what in sorted(inserts, key=lambda t: (t[0], t[1]), reverse=True):
        if not is_break:
            key = f"\ue000{what}\ue001"
            fills[key] = r"\derivenote{" + "".join(marks[where]) + "}"
            what = key
        text = text[:where] + str(what) + text[where:]
    preamble = (TEMPLATES / "notes-preamble.tex").read_text(encoding="utf-8")
    if markdown:
        text = markdown_to_latex(text, preamble)
    else:
        text = text.replace("\\begin{document}", preamble + "\\begin{document}", 1)
    text = PRIVATE.sub(lambda m: fills[m.group(0)], text)
    appendix = _appendix(source_path, results, placed, refuted, cex_numbers, chain_notes)
    end = text.rfind("\\end{document}")
    text = text[:end] + appendix + text[end:]
    out = Path(out_dir) / ((name or Path(source_path).stem) + "-annotated.tex")
    return atomic_write(out, text)


def _appendix(
    source_path: str,
    results: Sequence[Mapping[str, Any]],
    placed: Sequence[Placed],
    refuted: Sequence[Placed],
    cex_numbers: Mapping[int, int],
    chain_notes: Mapping[int, str],
) -> str:
    counts = {v: sum(1 for r in results if _verdict(r) == v) for v in (*VERDICTS, "skipped")}
    rows = []
    for p in sorted(placed, key=lambda p: (int(p.result.get("chain", 0)),
                                           int(p.result.get("step", 0)))):
        r = p.result
        why = []
        if id(r) in cex_numbers:
            why.append(rf"C{cex_numbers[id(r)]} (p.~\pageref{{derive-cex-{cex_numbers[id(r)]}}})")
        if id(r) in chain_notes:
            why.append(chain_notes[id(r)])
        if r.get("note") and _verdict(r) != "proved":
            why.append(_reason_tex(short_reason(str(r["note"]))))
        if by_text(r):
            why.append(escape_text(by_text(r)))
        rows.append(rf"{int(r.get('line', 0))} & {p.row or '--'} & {_step_id(r)} & "
                    rf"\deriveverdict{{{_verdict(r)}}} & {'; '.join(why)} \\")
    summary = (f"{len(results)} steps, {counts['proved']} proved, {counts['refuted']} "
               f"refuted, {counts['unknown']} unknown, {counts['definition']} definition"
               + ("s" if counts["definition"] != 1 else ""))
    if counts["skipped"]:
        summary += f", {counts['skipped']} skipped"
    parts = [
        "\n\\clearpage\n\\appendix\n\\section*{Checked by derive}\n",
        f"\\texttt{{{escape_text(Path(source_path).name)}}}: {summary}.\n"
        "Each step is numbered \\emph{chain.step} as \\texttt{derive verify} prints it; the "
        "margin mark sits on the row that holds the step's right-hand side. Each step "
        "compares its line with the line before it, nothing more: after a wrong step, a "
        "proved step says only that its two lines agree. A step's \\emph{by} names the rules "
        "the engine recorded for it; a step that \\emph{inherits} another is the same "
        "equality, already decided there.\n",
        "\\begin{center}\\small\n\\begin{longtable}{rrrlp{0.5\\linewidth}}\n\\toprule\n"
        "line & row & step & verdict & why \\\\\n\\midrule\n\\endhead\n"
        + "\n".join(rows) + "\n\\bottomrule\n\\end{longtable}\n\\end{center}\n",
    ]
    for p in refuted:
        r = p.result
        no = cex_numbers[id(r)]
        parts.append(
            f"\\subsection*{{C{no}: step {_step_id(r)}, line {int(r.get('line', 0))}}}"
            f"\\label{{derive-cex-{no}}}\n"
            + ("The step does not follow from the previous line: at these sizes the two "
             "lines have different shapes" if r["counterexample"].get("shapes") else
             "The step does not follow from the previous line: at these sizes, indices and "
             "inputs the two lines have different values")
            + (f" ({_reason_tex(str(r['note']))})" if r.get("note") else "") + ".\n"
        )
        cex = r["counterexample"]
        if any(cex.get(k) for k in ("sizes", "indices", "values", "entry")):
            parts.append(counterexample_table(cex, with_sides=False) + "\n")
        shapes = cex.get("shapes") or [None, None]  # a step equating different shapes
        for label, expr, value, shape in (
            ("Previous line", p.previous, cex.get("lhs"), shapes[0]),
            ("This line", p.this, cex.get("rhs"), shapes[1]),
        ):
            if shape is not None:
                shown = rf"\derivefit{{{expr}}}" if expr else ""
                parts.append(rf"\par\noindent {label} (a {escape_text(str(shape))}):"
                             rf"\nopagebreak\[ {shown} \]" + "\n")
                continue
            shown = rf"\derivefit{{{expr}}} = " if expr else ""
            parts.append(rf"\par\noindent {label}:\nopagebreak"
                         rf"\[ {shown}{fmt_value(value)} \]" + "\n")
    return "".join(parts)
