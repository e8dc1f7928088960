"""One run, one read (issue 19, item 1): ``derive verify --report DIR`` reads a notes file
once and parses each of its blocks once; the annotated copies (LaTeX, Markdown, notebook)
are rendered from the step records of that one verification run, never from a second
read or parse of the file.

Reads are counted where every read of a file goes through (``open``, builtin and ``io``;
``nbformat.read`` and :func:`derive.latex.chains.read_text` both call it); parses where every
block is tokenized (:func:`derive.latex.parser.tokenize`, as in ``test_parse_once``).
"""

from __future__ import annotations

import builtins
import io
from collections import Counter
from pathlib import Path

import nbformat
import pytest

import derive.latex.parser as parser
import derive.latex.sources as sources
import derive.report.compile as compile_mod
from derive.cli import main

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "tests" / "corpus_unseen" / "dev" / "a14_dlfs_softmax_ce_two_class.ipynb"
NOTES_MD = ("% no declarations: inference reads them\n\n"
            "$$a + b = b + a$$\n\n"
            "$$2 (a + b) = 2 a + 2 b = 2 b + 2 a$$\n")
NOTES_TEX = ("\\begin{equation}\n  a + b = b + a\n\\end{equation}\n"
             "\\begin{equation}\n  (a + b)^2 = a^2 + 2 a b + b^2\n\\end{equation}\n")


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, Counter]:
    """'read': path -> times it was opened; 'parse': (text, line, col) -> tokenizations."""
    seen: dict[str, Counter] = {"read": Counter(), "parse": Counter()}
    real_open, tokenize = builtins.open, parser.tokenize

    def opening(file: object, *args: object, **kwargs: object) -> object:
        mode = str(args[0] if args else kwargs.get("mode", "r"))
        if isinstance(file, (str, Path)) and not set(mode) & set("wax+"):
            seen["read"][str(Path(file).resolve())] += 1
        return real_open(file, *args, **kwargs)

    def tokenizing(text: str, line: int, col: int, *args: object, **kwargs: object) -> object:
        seen["parse"][text, line, col] += 1
        return tokenize(text, line, col, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", opening)
    monkeypatch.setattr(io, "open", opening)
    monkeypatch.setattr(parser, "tokenize", tokenizing)
    monkeypatch.setattr(compile_mod, "tex_engine", lambda: None)  # no PDF: not what is counted
    return seen


def _report(path: Path, out: Path) -> None:
    assert main(["verify", "-q", "-j", "1", "--report", str(out), str(path)]) in (0, 1, 3)


@pytest.mark.parametrize("suffix, text", [(".md", NOTES_MD), (".tex", NOTES_TEX)])
def test_a_report_reads_the_notes_once_and_parses_each_block_once(
        tmp_path: Path, counted: dict[str, Counter], suffix: str, text: str) -> None:
    path = tmp_path / f"notes{suffix}"
    path.write_text(text, encoding="utf-8")
    _report(path, tmp_path / "out")
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "notes-annotated.tex" in written, written
    assert counted["read"][str(path.resolve())] == 1
    blocks = [s for s in sources.read_source(str(path)).segments if not s.error]
    assert len(blocks) == 2
    assert [counted["parse"][s.text, s.line, s.col] for s in blocks] == [1, 1]


def test_a_notebook_report_reads_the_notebook_once(
        tmp_path: Path, counted: dict[str, Counter]) -> None:
    _report(NOTEBOOK, tmp_path / "out")
    assert any(p.suffix == ".ipynb" for p in (tmp_path / "out").iterdir())
    assert counted["read"][str(NOTEBOOK.resolve())] == 1


def test_the_counters_see_a_second_read_and_parse(counted: dict[str, Counter],
                                                  tmp_path: Path) -> None:
    """The counters would catch a renderer that reads or parses the file again."""
    path = tmp_path / "n.md"
    path.write_text(NOTES_MD, encoding="utf-8")
    sources.read_source(str(path))
    sources.read_source(str(path))
    nbformat.read(str(NOTEBOOK), as_version=4)
    parser.parse_block("a = b", 3, 3)
    assert counted["read"][str(path.resolve())] == 2
    assert counted["read"][str(NOTEBOOK.resolve())] == 1
    assert counted["parse"]["a = b", 3, 3] == 1


@pytest.mark.parametrize("suffix, text", [(".md", NOTES_MD), (".tex", NOTES_TEX)])
def test_explain_reads_the_notes_once_and_parses_each_block_once(
        tmp_path: Path, counted: dict[str, Counter], suffix: str, text: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    """``--explain`` prints what was inferred from the records of the same run: no second
    read (inference on a re-read file) and no second parse."""
    path = tmp_path / f"notes{suffix}"
    path.write_text(text, encoding="utf-8")
    assert main(["verify", "-q", "--explain", str(path)]) in (0, 1, 3)
    out = capsys.readouterr().out
    assert out.startswith(f"{path}: ") and "inferred declaration(s)" in out
    assert "as read:" in out  # and each step with the formula as read
    assert counted["read"][str(path.resolve())] == 1
    blocks = [s for s in sources.read_source(str(path)).segments if not s.error]
    assert [counted["parse"][s.text, s.line, s.col] for s in blocks] == [1] * len(blocks)


def test_explain_of_several_files_reads_each_once(tmp_path: Path, counted: dict[str, Counter],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Several files (checked in parallel without --explain) and a notebook: each read once,
    each file's inferred declarations printed in the order the files are given."""
    paths = [tmp_path / "a.md", tmp_path / "b.tex"]
    paths[0].write_text(NOTES_MD, encoding="utf-8")
    paths[1].write_text(NOTES_TEX, encoding="utf-8")
    given = [*paths, NOTEBOOK]
    assert main(["verify", "-q", "--explain", *map(str, given)]) in (0, 1, 3)
    out = capsys.readouterr().out
    heads = [line.split(": ")[0] for line in out.splitlines()
             if line.endswith("inferred declaration(s)")]
    assert heads == [str(p) for p in given]
    assert [counted["read"][str(p.resolve())] for p in given] == [1, 1, 1]
