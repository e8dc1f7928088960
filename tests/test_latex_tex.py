"""The .tex example compiles with pdflatex exactly as without its declarations, and
``derive verify --report`` writes annotated notes (compiled when a TeX engine exists)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from derive.cli import main
from derive.latex.cli import example_paths

PDFLATEX = shutil.which("pdflatex")
needs_tex = pytest.mark.skipif(PDFLATEX is None, reason="pdflatex is not installed on this "
                               "machine (the reports engineer installs texlive)")


def _tex_example() -> str:
    (path,) = [p for p in example_paths() if p.endswith("softmax_jacobian.tex")]
    return path


def _pdflatex(tex_path, cwd) -> tuple[int, str]:
    proc = subprocess.run(
        [PDFLATEX, "-halt-on-error", "-interaction=nonstopmode", "-no-shell-escape",
         os.path.basename(tex_path)],
        cwd=cwd, capture_output=True, text=True, timeout=120,
    )
    return proc.returncode, proc.stdout


def _pages(log: str) -> int:
    m = re.search(r"Output written on .*?\((\d+) pages?", log, re.S)
    assert m is not None, log[-2000:]
    return int(m.group(1))


def test_tex_example_uses_the_promised_constructs():
    with open(_tex_example(), encoding="utf-8") as fh:
        text = fh.read()
    for construct in (r"\begin{align*}", r"\left(", r"\right)", r"\cdot", r"\text{",
                      r"\boxed{", r"\cancel{", r"\nonumber", r"\usepackage{cancel}",
                      "% derive:"):
        assert construct in text, construct


def test_tex_example_is_proved_step_by_step():
    from derive.latex.verify import verify_file

    results = verify_file(_tex_example())
    assert len(results) >= 8
    assert {r["verdict"] for r in results} == {"proved"}


@needs_tex
def test_tex_example_compiles_exactly_as_without_declarations(tmp_path):
    with open(_tex_example(), encoding="utf-8") as fh:
        text = fh.read()
    with_decl = tmp_path / "with" / "notes.tex"
    without = tmp_path / "without" / "notes.tex"
    for p, body in ((with_decl, text),
                    (without, re.sub(r"(?m)^% derive:.*\n", "", text))):
        p.parent.mkdir()
        p.write_text(body)
    assert "% derive:" not in without.read_text()
    rc1, log1 = _pdflatex(with_decl, with_decl.parent)
    rc2, log2 = _pdflatex(without, without.parent)
    assert rc1 == 0, log1[-2000:]
    assert rc2 == 0, log2[-2000:]
    assert _pages(log1) == _pages(log2)
    # same typeset content: the .aux files (labels, page numbers) agree too
    assert (with_decl.parent / "notes.aux").read_text() == (without.parent / "notes.aux").read_text()


def test_verify_report_writes_annotated_notes(tmp_path, capsys):
    src = tmp_path / "notes.tex"
    with open(_tex_example(), encoding="utf-8") as fh:
        text = fh.read()
    # one wrong step, so that the report has a counterexample to show
    src.write_text(text.replace(r"&= \delta_{jk} - \sigma_j", r"&= \delta_{jk} + \sigma_j"))
    out_dir = tmp_path / "report"
    code = main(["verify", str(src), "--report", str(out_dir)])
    assert code == 1
    err = capsys.readouterr().err
    annotated = out_dir / "notes-annotated.tex"
    assert annotated.exists() and str(annotated) in err
    body = annotated.read_text()
    assert r"\deriveverdict{refuted}" in body and r"\deriveverdict{proved}" in body
    assert "C1" in body  # the counterexample of the refuted step, in the appendix
    if PDFLATEX is None:
        pytest.skip("pdflatex is not installed: the annotated notes were not compiled")
    rc, log = _pdflatex(annotated, out_dir)
    assert rc == 0, log[-2000:]


def test_verify_report_on_markdown_notes(tmp_path, capsys):
    src = tmp_path / "n.md"
    src.write_text("% derive: size K\n% derive: index k in 1..K\n% derive: tensor y_k\n"
                   "# Title\n\n$$y_k = y_k + 0$$\n")
    code = main(["verify", str(src), "--report", str(tmp_path / "out")])
    assert code == 0
    assert (tmp_path / "out" / "n-annotated.tex").exists()
    capsys.readouterr()
