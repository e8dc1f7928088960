"""Sources as readers: Markdown read as Markdown, notebooks, the string API, readable
refutations, the annotated notebook and the %%derive cell magic."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

import derive
from derive.errors import DeriveError
from derive.latex.corpus import corpus_dir
from derive.latex.sources import READERS, read_source, read_text
from derive.latex.sources.markdown import read as read_md

from .source_tree import ROOT, source_file

CORPUS = Path(corpus_dir())
NOTEBOOK = Path(__file__).resolve().parent / "data" / "softmax_gradient.ipynb"

DECL = "<!-- derive: size K\n     index k in 1..K\n     tensor z_k -->\n"
TRUE = "\\sum_{k=1}^{K} (z_k + 1) = \\sum_{k=1}^{K} z_k + K"
FALSE = "\\sum_{k=1}^{K} (z_k + 1) = \\sum_{k=1}^{K} z_k + 1"


def _steps(text: str) -> list[tuple[int, int, str]]:
    return [(s.line, s.col, " ".join(s.text.split())) for s in read_md(text, "n.md").segments]


# --- Markdown: maths only from math spans and displays -------------------------------------

def test_code_fences_indented_code_and_inline_code_are_never_read() -> None:
    text = (DECL
            + "```latex\n$$ " + FALSE + " $$\n\\[ a = 2a \\]\n% derive: size Q\n```\n\n"
            + "    $$ 1 = 2 $$\n\n"
            + "Inline code `$$ " + FALSE + " $$` and `\\[ b = 2b \\]` is not maths.\n\n"
            + "$$ " + TRUE + " $$\n")
    assert _steps(text) == [(14, 3, TRUE)]
    assert [d.keyword for d in read_md(text, "n.md").directives] == ["size", "index", "tensor"]
    results = derive.verify_text(text)
    assert [(r.line, r.verdict) for r in results] == [(14, "proved")]
    # the same maths outside code is read (and the false one refuted): the test can fail
    exposed = text.replace("```latex\n", "\n").replace("```\n", "\n").replace("`", "")
    assert "refuted" in [r.verdict for r in derive.verify_text(exposed.replace(
        "% derive: size Q\n", ""))]


def test_markdown_displays_and_exact_positions() -> None:
    text = ("Intro with $x$ inline.\n"             # 1  inline maths: not a display
            "$a = a$\n"                            # 2  a paragraph line that is one $…$
            "> quoted\n"                           # 3
            "> $$ b = b $$\n"                      # 4  inside a block quote
            "\n"
            "\\[c = c\\] \\[d = d\\]\n"            # 6  two displays on one line
            "text \\[e = e\\] more\n"              # 7  \[ inside a paragraph
            "\n"
            "\\begin{align}\n"                     # 9
            "f &= f\n"                             # 10
            "\\end{align}\n"
            "Costs $$g = g$$ inline.\n")           # 12 $$ inside a paragraph
    assert _steps(text) == [(2, 2, "a = a"), (4, 5, "b = b"), (6, 3, "c = c"),
                            (6, 13, "d = d"), (7, 8, "e = e"), (9, 14, "f &= f"),
                            (12, 9, "g = g")]


def test_html_comment_declarations_and_percent_lines() -> None:
    text = ("<!-- derive: size K -->\n"
            "<!--\nderive: index k in 1..K\n-->\n"
            "<!-- not for derive -->\n"
            "% derive: tensor z_k\n"
            "Text <!-- derive: scalar c --> inline.\n")
    got = [(d.line, d.col, d.keyword, d.rest) for d in read_md(text, "n.md").directives]
    assert got == [(1, 14, "size", "K"), (3, 9, "index", "k in 1..K"),
                   (6, 11, "tensor", "z_k"), (7, 19, "scalar", "c")]


def test_unclosed_display_is_an_error_at_its_position() -> None:
    with pytest.raises(DeriveError, match=r"^n\.md:3:1: display math '\$\$' is never closed"):
        read_md("Text.\n\n$$ a = b\n\nMore.\n", "n.md")
    # ... but not inside code
    assert _steps("```\n$$ a = b\n```\n") == []


def test_every_markdown_file_of_the_repository_reads_without_error() -> None:
    readme = source_file("README.md")
    # heldout/ (the current round's held-out half) is never read before its one report; heldout1/
    # (reported, now development data) is read like every other file
    files = sorted(p for p in ROOT.rglob("*.md") if not {".venv", "node_modules", ".git",
                                                         "heldout"}
                   & set(p.relative_to(ROOT).parts))
    assert len(files) >= 5
    for path in files:
        read_source(str(path))  # raises DeriveError on a false error
    # the README's maths are all in code blocks (examples), and none is read
    assert read_source(str(readme)).segments == ()


def test_readme_verifies_without_an_error_from_the_command_line() -> None:
    readme = source_file("README.md")
    out = subprocess.run([sys.executable, "-m", "derive", "verify", "--json", "-q",
                          str(readme)], capture_output=True, text=True, timeout=300)
    assert "error" not in out.stderr and json.loads(out.stdout) == []


# --- the registry and the string API -------------------------------------------------------

def test_registry_and_formats() -> None:
    assert {".tex", ".md", ".ipynb"} <= set(READERS)
    tex = read_text("% derive: size K\n\\[ a = b \\]\n", format="tex")
    assert [s.line for s in tex.segments] == [2]
    with pytest.raises(DeriveError, match="format 'docx' is not a kind of notes"):
        read_text("x", format="docx")


def test_verify_text_returns_typed_results_with_the_json_record() -> None:
    (ok,) = derive.verify_text(DECL + "$$ " + TRUE + " $$\n")
    (bad,) = derive.verify_text(DECL + "$$ " + FALSE + " $$\n", source="mine.md")
    assert isinstance(ok, derive.StepResult) and ok.verdict == "proved"
    assert (bad.file, bad.line, bad.column, bad.verdict) == ("mine.md", 4, 31, "refuted")
    assert bad.formula == FALSE and bad.read  # as written, and as read
    assert bad.counterexample["sizes"] == {"K": 2}
    assert derive.StepResult.from_dict(bad.as_dict()) == bad
    with pytest.raises(AttributeError):
        bad.verdict = "proved"  # type: ignore[misc]


def test_verify_file_equals_the_cli_json(tmp_path: Path) -> None:
    path = tmp_path / "n.md"
    path.write_text(DECL + "$$ " + FALSE + " $$\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "derive", "verify", "--json", "-q", str(path)],
                         capture_output=True, text=True, timeout=300)
    strip = lambda rs: [{k: v for k, v in r.items() if k != "seconds"} for r in rs]  # noqa: E731
    assert strip([r.as_dict() for r in derive.verify_file(str(path))]) == strip(
        json.loads(out.stdout))


# --- notebooks -----------------------------------------------------------------------------

def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "derive", "verify", "-q", *args],
                          capture_output=True, text=True, timeout=300)


def test_notebook_from_the_command_line_and_a_folder(tmp_path: Path) -> None:
    out = _cli(str(NOTEBOOK))
    assert out.returncode == 1, out.stderr
    lines = out.stdout.splitlines()
    assert f"{NOTEBOOK}:cell 4:10: refuted  (chain 3, step 3)  <-- first step not proved" in lines
    # cell 4's "With $\\partial p_k / \\partial o_i = p_k(\\delta_{ki} - p_i)$:" is a step
    assert f"{NOTEBOOK}:cell 4:1: proved  (chain 4, step 1)" in lines
    assert lines[-1] == "6 steps: 3 proved, 1 refuted, 0 unknown, 2 definition"
    (tmp_path / "nb").mkdir()
    (tmp_path / "nb" / "a.ipynb").write_text(NOTEBOOK.read_text())
    assert _cli(str(tmp_path / "nb")).stdout.splitlines()[-1] == lines[-1]


def test_notebook_json_records_and_verify_text_agree() -> None:
    by_file = [r.as_dict() for r in derive.verify_file(str(NOTEBOOK))]
    by_text = [r.as_dict() for r in derive.verify_text(NOTEBOOK.read_text(), format="ipynb",
                                                       source=str(NOTEBOOK))]
    strip = lambda rs: [{k: v for k, v in r.items() if k != "seconds"} for r in rs]  # noqa: E731
    assert strip(by_file) == strip(by_text)
    assert [(r["cell"], r["line"], r["verdict"]) for r in by_file] == [
        (1, 11, "definition"), (1, 12, "definition"), (3, 4, "proved"), (4, 4, "proved"),
        (4, 10, "refuted"), (4, 1, "proved")]  # the last: cell 4's inline "With $... = ...$:"


def test_notebook_errors_name_the_cell(tmp_path: Path) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1"),
                                         nbformat.v4.new_markdown_cell("ok\n\n$$ a = b\n\nno")])
    with pytest.raises(DeriveError, match=r"nb\.ipynb:cell 2:3:1: display math"):
        derive.verify_text(nbformat.writes(nb), format="ipynb", source="nb.ipynb")
    with pytest.raises(DeriveError, match=r"x\.ipynb:1:1: not a Jupyter notebook"):
        derive.verify_text("{not json", format="ipynb", source="x.ipynb")


def test_annotated_notebook_opens_with_nbformat(tmp_path: Path) -> None:
    import nbformat

    out = _cli(str(NOTEBOOK), "--report", str(tmp_path))
    written = tmp_path / "softmax_gradient-annotated.ipynb"
    assert f"explained in {written}" in out.stdout
    nb = nbformat.read(str(written), as_version=4)
    nbformat.validate(nb)
    original = nbformat.read(str(NOTEBOOK), as_version=4)
    verdicts = [c for c in nb.cells if "derive-verdict" in c.metadata.get("tags", [])]
    assert len(verdicts) == 6  # one after each checked display and inline step ("With $…$:")
    # the notebook's own cells are all still there, in order, with nothing lost
    own = "".join(c.source for c in nb.cells if c not in verdicts)
    assert own.replace("\n", "") == "".join(c.source for c in original.cells).replace("\n", "")
    last = verdicts[-1]
    assert last.source.startswith("**derive** · step 3.3: **refuted**")
    assert "$y_i - p_i$ = -0.731059" in last.source
    before = nb.cells[nb.cells.index(last) - 1].source
    assert before.rstrip().endswith("= y_i - p_i\n$$")
    assert last.metadata["derive"]["verdicts"][0]["counterexample"]["sizes"] == {"n": 2}


def test_cell_magic_checks_a_cell_in_place(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("IPython")
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "derive")
    shell.run_cell_magic("derive", "", DECL + "$$ " + FALSE + " $$\n")
    out = capsys.readouterr().out
    assert "<cell>:4: refuted  (chain 1, step 1)" in out
    assert "at K = 2" in out and "(difference" in out
    assert [r.verdict for r in shell.user_ns["_derive"]] == ["refuted"]
    # a corpus-style notebook cell: the notebook's Markdown cells pasted into one cell
    import nbformat

    cells = [c.source for c in nbformat.read(str(NOTEBOOK), 4).cells
             if c.cell_type == "markdown"]
    shell.run_cell_magic("derive", "", "\n\n".join(cells))
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "6 steps: 3 proved, 1 refuted, 0 unknown, 2 definition"
    shell.run_cell_magic("derive", "tex", "\\[ a = b")
    assert capsys.readouterr().out.startswith("derive: error: <cell>:1:1: display math")


# --- readable refutations in the terminal ---------------------------------------------------

def test_refutation_in_the_terminal_for_a_corpus_slip() -> None:
    path = CORPUS / "02_zakariapz_ce_softmax.md"
    out = _cli(str(path)).stdout.splitlines()
    at = out.index(f"{path}:17: refuted  (chain 4, step 1)  <-- first step not proved")
    # y is the weight of a log under a sum: a label distribution (derive.latex.label_targets)
    assert out[at + 1] == "    at C = 2, j = 2, a = [2, 1], y = [0, 1]:"
    # independently: l_j = y_j log p_j, so dl_j/dp_j = y_j / p_j = e + 1 at p_2 = 1/(e + 1)
    p2 = math.exp(1) / (math.exp(2) + math.exp(1))
    assert f"{1 / p2:.5f}" == "3.71828" and f"{2 / p2:.5f}" == "7.43656"
    assert out[at + 2] == ("    \\frac{∂ \\ell_j}{∂ p_j} = 3.71828 but \\frac{∂}{∂ p_j} "
                           "( - y_j \\log p_j ) = -3.71828 (difference 7.43656)")
    assert "counterexample: {" not in "\n".join(out)  # no raw JSON in the terminal


def test_json_keeps_the_full_record() -> None:
    path = CORPUS / "02_zakariapz_ce_softmax.md"
    out = subprocess.run([sys.executable, "-m", "derive", "verify", "--json", "-q", str(path)],
                         capture_output=True, text=True, timeout=300)
    (first,) = [r for r in json.loads(out.stdout) if r["verdict"] == "refuted"][:1]
    assert first["counterexample"] == {"sizes": {"C": 2}, "indices": {"j": 2},
                                       "values": {"a": [2, 1], "y": [0, 1]},
                                       "lhs": 3.718281828, "rhs": -3.71828182846}
    p2 = math.exp(1) / (math.exp(2) + math.exp(1))  # y_2 / p_2 and -y_2 / p_2, by hand
    assert abs(first["counterexample"]["lhs"] - 1 / p2) < 1e-8
    assert os.path.basename(first["file"]) == path.name


def test_a_corpus_notebook_from_the_command_line_verify_text_and_the_cell_magic(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import nbformat

    path = source_file("tests/corpus_unseen/dev/a14_dlfs_softmax_ce_two_class.ipynb")
    by_file = [r.as_dict() for r in derive.verify_file(str(path))]
    by_text = [r.as_dict() for r in derive.verify_text(path.read_text(encoding="utf-8"),
                                                       format="ipynb", source=str(path))]
    strip = lambda rs: [{k: v for k, v in r.items() if k != "seconds"} for r in rs]  # noqa: E731
    assert by_file and strip(by_file) == strip(by_text)
    nb = nbformat.read(str(path), as_version=4)
    assert {nb.cells[r["cell"] - 1].cell_type for r in by_file} == {"markdown"}
    out = _cli(str(path), "--report", str(tmp_path))
    assert out.returncode in (0, 1, 3), out.stderr  # proved, refuted, only unknowns
    assert out.stdout.splitlines()[-1].startswith(f"{len(by_file)} steps: ")
    annotated = nbformat.read(str(tmp_path / (path.stem + "-annotated.ipynb")), as_version=4)
    nbformat.validate(annotated)
    verdicts = [c for c in annotated.cells if "derive-verdict" in c.metadata.get("tags", [])]
    assert sum(len(c.metadata["derive"]["verdicts"]) for c in verdicts) == len(by_file)
    own = "".join(c.source for c in annotated.cells if c not in verdicts)
    assert own.replace("\n", "") == "".join(c.source for c in nb.cells).replace("\n", "")
    pytest.importorskip("IPython")
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "derive")
    shell.run_cell_magic("derive", "", "\n\n".join(
        c.source for c in nb.cells if c.cell_type == "markdown"))
    capsys.readouterr()
    assert [r.verdict for r in shell.user_ns["_derive"]] == [r["verdict"] for r in by_file]


MATH_FENCES = [
    # (text, the segments read: (line, col, text))
    ("```math\n" + TRUE + "\n```\n", [(2, 1, TRUE)]),           # GitHub's display maths
    ("~~~math\n" + TRUE + "\n~~~\n", [(2, 1, TRUE)]),           # the other fence
    ("text\n\n```Math\n" + TRUE + "\n\n```\n", [(4, 1, TRUE)]),  # info is case-blind
    # must NOT be read: other fences stay code
    ("```latex\n" + TRUE + "\n```\n", []),
    ("```\n" + TRUE + "\n```\n", []),
    ("```mathematica\n" + TRUE + "\n```\n", []),
    ("```math\n```\n", []),                                       # an empty body
]


@pytest.mark.parametrize(("text", "want"), MATH_FENCES)
def test_math_fences_are_displays(text, want) -> None:
    assert _steps(DECL + text) == [(line + 3, col, t) for line, col, t in want]
