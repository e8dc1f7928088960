"""Per-section redefinition (issue 19 item 4): a letter that runs over one range in a section
and over another in a later one is read section by section (derive.latex.section_readings),
with the rows where the file must stay one reading."""

from __future__ import annotations

import pytest

from derive.latex.blocks import parse_blocks
from derive.latex.section_readings import reading_spans
from derive.latex.sources import read_text
from derive.latex.verify import verify_notes

# the letter i is free in the second step of each: it needs its range
SAMPLES = "# Examples\n\n$$\\sum_{i=1}^{m} x_i = \\sum_{j=1}^{m} x_j$$\n\n$$x_i + x_i = 2 x_i$$\n\n"
BATCH = "# Batch\n\n$$\\sum_{i=1}^{N} y_i = \\sum_{k=1}^{N} y_k$$\n\n$$y_i - y_i = 0$$\n"


def verdicts(text: str) -> list[str]:
    return [r["verdict"] for r in verify_notes(read_text(text, "md"))]


def spans(text: str) -> list[tuple[int, int]] | None:
    notes = read_text(text, "md")
    return reading_spans(notes, parse_blocks(notes, frozenset()))


ROWS = [
    # (notes, verdicts): i over 1..m in one section, over 1..N in the next: each section
    # is read with its own range (one reading of the file left i undeclared: unknown)
    (SAMPLES + BATCH, ["proved", "proved", "proved", "proved"]),
    # a false step in the second reading is still refuted
    (SAMPLES + "# Batch\n\n$$\\sum_{i=1}^{N} y_i = N y_1$$\n",
     ["proved", "proved", "refuted"]),
    # must NOT split: the two ranges in one section (no heading between them)
    (SAMPLES + BATCH.replace("# Batch\n\n", ""), ["proved", "unknown", "proved", "unknown"]),
    # must NOT split: no conflict; a definition in the first section serves the second (the
    # inline definition is a step of its own, derive.latex.inline_steps)
    ("# A\n\nwhere $p_k = e^{z_k}$ here.\n\n# B\n\n"
     "$$\\sum_{k=1}^{K} p_k = \\sum_{k=1}^{K} e^{z_k}$$\n", ["definition", "proved"]),
]


@pytest.mark.parametrize(("notes", "want"), ROWS)
def test_sections_that_give_a_letter_two_ranges_are_read_apart(notes, want):
    assert verdicts(notes) == want


def test_spans_cut_only_where_a_new_meaning_starts():
    # three sections, the new range in the third: the first two read together
    text = "# A\n\n$$a = \\sum_{i=1}^{m} x_i$$\n\n# B\n\n$$b = \\sum_{i=1}^{m} x_i$$\n\n" + BATCH
    assert spans(text) == [(1, 9), (9, 15)]
    assert spans(SAMPLES + BATCH.replace("# Batch\n\n", "")) is None  # one section
    assert spans("# A\n\n$$a = \\sum_{i=1}^{m} x_i$$\n\n# B\n\n$$b = x_1$$\n") is None


def test_chain_numbers_run_on_through_the_readings():
    recs = verify_notes(read_text(SAMPLES + BATCH, "md"))
    assert [r["chain"] for r in recs] == [1, 2, 3, 4]
    assert [r["line"] for r in recs] == [3, 5, 9, 11]


def test_explain_prints_each_reading_with_the_lines_it_reads(tmp_path, capsys):
    from derive.cli import main

    p = tmp_path / "n.md"
    p.write_text(SAMPLES + BATCH)
    main(["verify", "--explain", "-q", str(p)])
    out = capsys.readouterr().out
    assert "% lines 1-6, read on their own" in out and "% lines 7-" in out
    assert "% derive: index i, j in 1..m" in out and "% derive: index i, k in 1..N" in out
    assert "% conflict" not in out
    # must NOT print reading headers for a file read as one
    p.write_text(SAMPLES)
    main(["verify", "--explain", "-q", str(p)])
    assert "read on their own" not in capsys.readouterr().out
