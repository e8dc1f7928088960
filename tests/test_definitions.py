"""A step that only introduces a symbol is a ``definition``, never ``proved`` (issue 19, item 5).

Each spelling of a definition, the steps that look like one but are claims (an already
defined symbol, a power, a self-reference, a continued chain, a later link), a re-definition
in a new section, and the verdict's plumbing: summary line, exit code, JSON, corpus table,
annotated Markdown, pytest plugin.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from derive.api import verify_text
from derive.latex.cli import exit_code
from derive.latex.corpus import FileRow, format_table, summarize
from derive.report.notes_md import annotated_markdown
from derive.verdicts import PASSING, VERDICTS, summary_line

AUTO = "<!-- derive: auto -->\n"
DECL = ("<!-- derive: size K\n     index k in 1..K\n     tensor y_k\n"
        "     let L = \\sum_{k=1}^{K} y_k -->\n")


def verdicts(text: str) -> list[tuple[int, int, str]]:
    """(line, step, verdict) of every step, no proof engine needed for definitions."""
    return [(r.line, r.step, r.verdict) for r in verify_text(text)]


def first(text: str) -> str:
    return verify_text(text)[0].verdict


@pytest.mark.parametrize("display", [
    r"L = \sum_{k=1}^{K} y_k",                      # a new symbol's first equation
    r"p_j = \frac{e^{z_j}}{\sum_{k=1}^{K} e^{z_k}}",  # with an index
    r"\sigma(t) = \frac{1}{1 + e^{-t}}",            # with an argument
    r"J(w, b) = w + b",                             # several arguments
    r"a^{(i)} = y_i + 1",                           # a sample superscript is a label
    r"\hat{y} = \frac{1}{1 + e^{-z}}",              # a decorated name
    r"L := \sum_{k=1}^{K} y_k",
    r"L \coloneqq \sum_{k=1}^{K} y_k",
    r"L \triangleq \sum_{k=1}^{K} y_k",
    r"L \equiv \sum_{k=1}^{K} y_k",
    r"L \stackrel{\text{def}}{=} \sum_{k=1}^{K} y_k",
    r"L \overset{\mathrm{def}}{=} \sum_{k=1}^{K} y_k",
])
def test_each_spelling_of_a_definition(display: str) -> None:
    assert first(f"$${display}$$\n") == "definition"
    assert first(AUTO + f"$${display}$$\n") == "definition"


@pytest.mark.parametrize("prose", ["Let", "Define", "We denote", "令"])
def test_prose_before_the_display_makes_it_a_definition_of_a_defined_symbol(prose: str) -> None:
    # L is defined by hand, so its equation is a claim ... unless the prose defines it anew
    assert first(DECL + "$$L = \\sum_{k=1}^{K} y_k + 1$$\n") == "refuted"
    assert first(DECL + f"{prose} $$L = \\sum_{{k=1}}^{{K}} y_k + 1$$\n") == "definition"


def test_already_defined_symbol_is_checked_not_a_definition() -> None:
    # by hand: a wrong equation of L is refuted, a right one proved
    assert first(DECL + "$$L = \\sum_{k=1}^{K} y_k + 1$$\n") == "refuted"
    assert first(DECL + "$$L = \\sum_{k=1}^{K} y_k$$\n") == "proved"
    # by an earlier definition in the same section (inference on): checked
    text = AUTO + "$$L = \\sum_{k=1}^{K} y_k$$\n\n$$L = \\sum_{k=1}^{K} y_k + 1$$\n"
    assert verdicts(text) == [(2, 1, "definition"), (4, 1, "refuted")]
    text = AUTO + "$$L = \\sum_{k=1}^{K} y_k$$\n\n$$L = \\sum_{j=1}^{K} y_j$$\n"
    assert verdicts(text) == [(2, 1, "definition"), (4, 1, "proved")]
    # the definition written again word for word restates it: no proof (issue 19, item 5;
    # tests/test_definitions_read.py)
    text = AUTO + "$$L = \\sum_{k=1}^{K} y_k$$\n\n$$L = \\sum_{k=1}^{K} y_k$$\n"
    assert verdicts(text) == [(2, 1, "definition"), (4, 1, "definition")]


@pytest.mark.parametrize("heading", ["# Two", "## Batch", "\\section{Two}"])
def test_redefinition_in_a_new_section_is_a_definition(heading: str) -> None:
    text = (AUTO + "# One\n\n$$L = \\sum_{k=1}^{K} y_k$$\n\n" + heading
            + "\n\n$$L = \\sum_{k=1}^{K} y_k + 1$$\n")
    assert [v for _, _, v in verdicts(text)] == ["definition", "definition"]
    same = text.replace(heading, "Some prose, no heading.")
    assert [v for _, _, v in verdicts(same)] == ["definition", "refuted"]


@pytest.mark.parametrize("display", [
    r"x^2 = x \cdot x",            # a power is not a symbol pattern
    r"w = w + 0",                  # the symbol on its right: an update, not a definition
    r"\frac{1}{2} = 0.5",          # no symbol on the left
    r"2 x = x + x",
    r"\boldsymbol{1}(j \neq k) = 1 - \delta_{jk}",      # an indicator, not a symbol
    r"\mathrm{logsumexp}(z) = \log \sum_{c=1}^K e^{z_c}",  # a function derive knows
    r"\text{softmax}(z)_j = \frac{e^{z_j}}{\sum_{c=1}^K e^{z_c}}",
])
def test_not_a_symbol_pattern_is_checked(display: str) -> None:
    assert first(AUTO + f"$${display}$$\n") != "definition"


def test_only_the_first_link_of_a_chain_defines() -> None:
    got = verdicts(AUTO + "$$L = \\sum_{k=1}^{K} y_k = \\sum_{k=1}^{K} y_k + 0$$\n")
    assert got == [(2, 1, "definition"), (2, 2, "proved")]
    # a continued block (starting with '=') never defines
    got = verdicts(AUTO + "$$L = \\sum_{k=1}^{K} y_k$$\n\n$$= \\sum_{k=1}^{K} y_k + 1$$\n")
    assert got == [(2, 1, "definition"), (4, 2, "refuted")]


def test_definition_in_every_summary(tmp_path: Path) -> None:
    assert "definition" in VERDICTS and "definition" in PASSING
    assert summary_line(["definition", "proved"]) == (
        "2 steps: 1 proved, 0 refuted, 0 unknown, 1 definition")
    # exit code: a definition does not fail; with an unknown it is still 3
    assert exit_code([{"verdict": "definition"}], refused=False) == 0
    assert exit_code([{"verdict": "definition"}, {"verdict": "unknown"}], refused=False) == 3
    recs = [r.as_dict() for r in verify_text("$$L = \\sum_{k=1}^{K} y_k$$\n", source="n.md")]
    assert recs[0]["verdict"] == "definition" and recs[0]["note"] == "defines L"
    assert {"file", "line", "column", "chain", "step", "verdict"} <= set(recs[0])
    (tmp_path / "n.md").write_text("$$L = \\sum_{k=1}^{K} y_k$$\n")
    rows = summarize([(str(tmp_path / "n.md"), recs, "", 0.1)])
    assert rows[0].definition == 1 and rows[0].proved == 0
    table = format_table(rows)
    assert table.splitlines()[0].split()[5] == "def"
    assert "0 proved, 0 refuted, 0 unknown, 1 definitions" in table
    assert format_table([FileRow("a.md", steps=1, proved=1)]).count("0 definitions") == 1
    md = annotated_markdown("n.md", "$$L = \\sum_{k=1}^{K} y_k$$\n", recs)
    assert "0 proved, 0 refuted, 0 unknown, 1 definition." in md
    assert "**definition**" in md and "<details>" not in md


def test_cli_counts_definitions_and_exits_zero(tmp_path: Path) -> None:
    notes = tmp_path / "n.md"
    notes.write_text(AUTO + "$$L = \\sum_{k=1}^{K} y_k$$\n\n$$L = \\sum_{j=1}^{K} y_j$$\n")
    out = subprocess.run([sys.executable, "-m", "derive", "verify", "-q", str(notes)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == "2 steps: 1 proved, 0 refuted, 0 unknown, 1 definition"
    out = subprocess.run([sys.executable, "-m", "derive", "verify", "-q", "--format", "github",
                          str(notes)], capture_output=True, text=True)
    assert out.returncode == 0 and "::" not in out.stdout
    assert out.stdout.splitlines()[-1].endswith("1 definition")
    out = subprocess.run([sys.executable, "-m", "derive", "verify", "-q", "--json", str(notes)],
                         capture_output=True, text=True)
    assert [r["verdict"] for r in json.loads(out.stdout)] == ["definition", "proved"]


def test_pytest_plugin_passes_a_definition(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text(AUTO + "$$L = \\sum_{k=1}^{K} y_k$$\n")
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          str(tmp_path / "n.md")],
                         capture_output=True, text=True, cwd=tmp_path)
    assert "1 passed" in out.stdout, out.stdout + out.stderr
    (tmp_path / "n.md").write_text(textwrap.dedent(DECL + "$$L = \\sum_{k=1}^{K} y_k + 1$$\n"))
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          str(tmp_path / "n.md")],
                         capture_output=True, text=True, cwd=tmp_path)
    assert "1 failed" in out.stdout, out.stdout + out.stderr
