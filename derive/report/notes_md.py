"""Annotated Markdown notes: the author's own Markdown with the verdicts, for GitHub.

After every display that holds checked steps comes one line per step (its number
``chain.step``, the verdict, the short reason, the rules the engine recorded), and for a
step that is not proved a collapsible ``<details>`` block with the formula as derive read
it and, for a refuted step, the counterexample. ``\\[…\\]`` displays become ``$$…$$``
(GitHub renders those); everything else the author wrote is kept.

>>> src = "Text\\n\\\\[ a = a \\\\]\\n"
>>> res = [{"file": "n.md", "line": 2, "column": 8, "chain": 1, "step": 1,
...         "verdict": "proved", "trace": {"rules": ["normal form"]}}]
>>> print(annotated_markdown("n.md", src, res))  # doctest: +NORMALIZE_WHITESPACE
<!-- Annotated by `derive verify --report` from n.md: do not edit by hand. -->
> **derive** checked 1 step of `n.md`: 1 proved, 0 refuted, 0 unknown, 0 definitions.
<BLANKLINE>
Text
$$ a = a $$
<BLANKLINE>
> **1.1** ✅ **proved** — by normal form
<BLANKLINE>
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from derive.report.compile import atomic_write
from derive.report.notes import (
    _inheritance,
    _record,
    _step_id,
    _verdict,
    by_text,
    display_blocks,
    place_steps,
    short_reason,
)
from derive.verdicts import PASSING, VERDICTS

__all__ = ["annotated_markdown", "write_annotated_markdown"]

_MARK = {"proved": "✅", "refuted": "❌", "unknown": "❔", "definition": "📝", "skipped": "⏭️"}


def _display_md(text: str) -> str:
    """A display as GitHub renders it: ``\\[…\\]`` becomes ``$$…$$`` on the same lines."""
    if text.startswith("\\[") and text.endswith("\\]"):
        return "$$" + text[2:-2] + "$$"
    return text


def _prose_md(text: str) -> str:
    """Prose as GitHub renders it: ``\\(…\\)`` as ``$…$``; a run of ``%`` comment lines
    (sources, transcription notes, ``% derive:`` declarations) as a code block."""
    text = re.sub(r"\\\((.*?)\\\)", r"$\1$", text)

    def fence(m: re.Match[str]) -> str:
        return "```text\n" + m.group(0).rstrip("\n") + "\n```\n"

    return re.sub(r"(?m)(?:^%[^\n]*(?:\n|$))+", fence, text)


def _cell(value: Any) -> str:
    text = str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _counterexample_md(cex: Mapping[str, Any]) -> list[str]:
    rows = ["| | value |", "|---|---|"]
    for key in ("sizes", "indices", "values"):
        for name, v in (cex.get(key) or {}).items():
            rows.append(f"| {_cell(key[:-1] if key != 'indices' else 'index')} `{_cell(name)}` "
                        f"| `{_cell(v)}` |")
    if cex.get("entry"):
        rows.append(f"| first differing entry | `{_cell(cex['entry'])}` |")
    if cex.get("shapes"):
        rows.append(f"| shapes | `{_cell(cex['shapes'][0])}` vs `{_cell(cex['shapes'][1])}` |")
    for key, label in (("lhs", "previous line"), ("rhs", "this line")):
        if cex.get(key) is not None:
            rows.append(f"| {label} | `{_cell(cex[key])}` |")
    return rows


def _read_lines(r: Mapping[str, Any]) -> list[str]:
    """The formula as derive read it (``read``: LaTeX in the notes' own letters, see
    ``derive.latex.as_read``), and each reading's for an ambiguous step. The engine's
    ``trace.equality`` is never printed: it is SymPy's text, with internal dummy names."""
    out: list[str] = []
    if r.get("read"):
        out += ["read as", "", "$$", str(r["read"]), "$$", ""]
    for reading in r.get("readings") or ():
        if isinstance(reading, Mapping) and reading.get("read"):
            out += [f"reading {reading.get('reading', '?')} "
                    f"({reading.get('verdict', '?')}) read as", "",
                    "$$", str(reading["read"]), "$$", ""]
    return out


def _step_lines(p: Any, chain_note: str | None) -> list[str]:
    r = p.result
    verdict = _verdict(r)
    words = [f"> **{_step_id(r)}** {_MARK[verdict]} **{verdict}**"]
    said = []
    if chain_note:
        said.append(chain_note)
    if r.get("note") and verdict != "proved":
        said.append(short_reason(str(r["note"])))
    if by_text(r):
        said.append(by_text(r))
    line = words[0] + (" — " + "; ".join(said) if said else "")
    out = [line, ""]
    if verdict in PASSING:  # a proof or a definition: nothing to look into
        return out
    details = ["<details><summary>" + f"step {_step_id(r)}: the formula as read"
               + (" and the counterexample" if r.get("counterexample") else "")
               + "</summary>", ""]
    if p.previous or p.this:
        details += ["$$", f"{p.previous or '?'} = {p.this or '?'}", "$$", ""]
    details += _read_lines(r)
    if r.get("note"):
        details += [f"derive: {_cell(r['note'])}", ""]
    if isinstance(r.get("counterexample"), Mapping):
        details += [*_counterexample_md(r["counterexample"]), ""]
    details += ["</details>", ""]
    return out + details


def annotated_markdown(source_path: str, source_text: str,
                       results: Sequence[Any]) -> str:
    """The annotated Markdown text (see the module docstring)."""
    results = [_record(r) for r in results]
    placed = place_steps(source_text, results)
    notes = _inheritance(results)
    blocks = display_blocks(source_text)
    after: dict[int, list[Any]] = {}
    for p in placed:
        block = next((b for b in blocks if b[0] <= p.mark_at <= b[1]), None)
        if block is not None:
            at = block[1]
        else:
            nl = source_text.find("\n", p.mark_at)
            at = len(source_text) if nl < 0 else nl
        after.setdefault(at, []).append(p)
    counts = {v: sum(1 for r in results if _verdict(r) == v) for v in (*VERDICTS, "skipped")}
    name = Path(source_path).name
    head = [f"<!-- Annotated by `derive verify --report` from {name}: do not edit by hand. -->",
            f"> **derive** checked {len(results)} step{'s' if len(results) != 1 else ''} of "
            f"`{name}`: {counts['proved']} proved, {counts['refuted']} refuted, "
            f"{counts['unknown']} unknown, {counts['definition']} definition"
            + ("s" if counts["definition"] != 1 else "") + (f", {counts['skipped']} skipped"
                                             if counts["skipped"] else "") + ".", ""]
    out: list[str] = []
    pos = 0
    cuts = sorted(set(after) | {b[1] for b in blocks})
    starts = {b[1]: b[0] for b in blocks}
    for cut in cuts:
        if cut in starts:
            out.append(_prose_md(source_text[pos : starts[cut]]))
            out.append(_display_md(source_text[starts[cut] : cut]))
        else:
            out.append(_prose_md(source_text[pos:cut]))
        pos = cut
        if cut in after:
            steps = sorted(after[cut], key=lambda p: (int(p.result.get("chain", 0)),
                                                      int(p.result.get("step", 0))))
            lines = [x for p in steps for x in _step_lines(p, notes.get(id(p.result)))]
            out.append("\n\n" + "\n".join(lines))
    out.append(_prose_md(source_text[pos:]))
    body = "".join(out)
    body = re.sub(r"\n{3,}", "\n\n", body)
    return "\n".join(head) + "\n" + body.rstrip("\n") + "\n"


def write_annotated_markdown(source_path: str, source_text: str, results: Sequence[Any],
                             out_dir: str, name: str | None = None) -> str:
    """Write ``<out_dir>/<name>-annotated.md`` and return its path."""
    out = Path(out_dir) / ((name or Path(source_path).stem) + "-annotated.md")
    return atomic_write(out, annotated_markdown(source_path, source_text, results))
