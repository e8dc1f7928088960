"""Annotated notes: one margin verdict per step, on its row; output paths; interrupts."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from derive.cli import main
from derive.latex.cli import example_paths
from derive.outputs import unique_stems
from derive.progress import Progress
from derive.report.compile import compile_pdf, log_problems
from derive.report.notes import (
    margin_marks,
    place_steps,
    remove_marks,
    short_reason,
    write_annotated_notes,
)

PDFLATEX = shutil.which("pdflatex")
SPLIT = (
    "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n"
    "\\[ \\begin{split} L &= a + b \\\\\n &= c \\\\\n &= \\left( d \\right) \\end{split} \\]\n"
    "\\end{document}\n"
)


def _res(line, col, chain, step, verdict, **kw):
    return {"file": "n.tex", "line": line, "column": col, "chain": chain, "step": step,
            "verdict": verdict, **kw}


def test_each_step_is_marked_on_its_own_row(tmp_path):
    lines = SPLIT.splitlines()
    cols = [lines[3].index("a + b") + 1, lines[4].index("c") + 1, lines[5].index("\\left") + 1]
    results = [_res(4, cols[0], 1, 1, "proved"), _res(5, cols[1], 1, 2, "refuted", note="x"),
               _res(6, cols[2], 1, 3, "proved")]
    placed = place_steps(SPLIT, results)
    assert [p.row for p in placed] == [1, 2, 3]
    # each mark sits at the end of its row: just before the row's \\ or \end{split}
    assert [SPLIT[p.mark_at : p.mark_at + 3] for p in placed] == [" \\\\", " \\\\", " \\e"]
    assert [(p.previous, p.this) for p in placed] == [
        ("L", "a + b"), ("a + b", "c"), ("c", "\\left( d \\right)")]
    out = Path(write_annotated_notes("n.tex", SPLIT, results, str(tmp_path))).read_text()
    marks = margin_marks(out)
    assert [(c, s, v) for _, c, s, v in marks] == [
        ("1", "1", "proved"), ("1", "2", "refuted"), ("1", "3", "proved")]
    # 1.3 is another equality than 1.2 and its trace records no inheritance: by value only
    assert "first wrong step" in out and "inherits 1." not in out
    # the author's text is all there once the marks are taken out
    assert all(line in remove_marks(out) for line in SPLIT.splitlines()[3:6])


def test_skipped_block_reads_skipped_not_unknown(tmp_path):
    results = [_res(4, 20, 1, 1, "unknown", note="not checked: an update rule (W := ...)")]
    out = Path(write_annotated_notes("n.tex", SPLIT, results, str(tmp_path))).read_text()
    assert [v for *_, v in margin_marks(out)] == ["skipped"]
    assert "update rule" in out


@pytest.mark.parametrize(("note", "short"), [
    ("a matrix with elided rows (\\vdots) has no fixed size: not checkable", "$\\vdots$"),
    ("shapes differ: 3×3 vs 1×1 (exact arithmetic)", "shapes 3×3 vs 1×1"),
    ("a step equates a column vector of length D and a scalar: expected equal shapes",
     "shapes do not match"),
    ("not checked: an update rule (W is replaced by W - alpha dJ/dW)", "update rule"),
    ("something new the verifier says: with detail", "something new the verifier says"),
    # the reason why a step was not read, not just that it was not (issue 22)
    ("not read: /a/notes.md:18:4: J_{...} is undeclared: expected '% derive: tensor J_{...}'",
     "not read: J_{...} is undeclared"),
    ("not read: n.md:15:62: \\sum without an index, and the index it runs over is not clear",
     "not read: \\sum without an index"),
    ("\\ldots elides entries: a matrix of symbolic size written with dots is not checkable",
     "$\\ldots$: no fixed size"),
    ("derivative of a column vector of length D by a column vector of length D",
     "vector-by-vector derivative"),
    ("the last row or column of a matrix with dots is not labelled by a declared size (entry",
     "dots: last row/column size undeclared"),
    # a long first clause is cut at a word, and says so
    ("a very long first clause that the verifier wrote without any stop at all",
     "a very long first clause that the..."),
])
def test_short_reasons(note, short):
    assert short_reason(note).startswith(short)


@pytest.fixture(scope="module")
def verified():
    from derive.latex.verify import verify_file

    return {p: verify_file(p) for p in example_paths()}


def test_every_margin_verdict_is_exactly_one_step_of_the_cli(verified, tmp_path):
    for path, results in verified.items():
        out = write_annotated_notes(path, Path(path).read_text(), results, str(tmp_path))
        text = Path(out).read_text()
        marks = Counter((c, s, v) for _, c, s, v in margin_marks(text))
        expected = Counter(
            (str(r["chain"]), str(r["step"]),
             "skipped" if str(r.get("note", "")).startswith("not checked") else r["verdict"])
            for r in results)
        assert marks == expected, path
        assert max(marks.values()) == 1, path
        # the marks are in the notes, not in the appendix, and never in a comment
        appendix = text.index("\\section*{Checked by derive}")
        assert all(pos < appendix for pos, *_ in margin_marks(text))


@pytest.mark.skipif(PDFLATEX is None, reason="pdflatex is not installed")
def test_each_annotated_example_compiles_cleanly(verified, tmp_path):
    for path, results in verified.items():
        out = write_annotated_notes(path, Path(path).read_text(), results, str(tmp_path))
        built = compile_pdf(out)
        assert built.pdf is not None, built.message
        assert log_problems(built.log) == [], (path, built.problems)
        assert "Overfull" not in built.log and "Underfull \\hbox" not in built.log
        assert os.stat(built.pdf).st_mode & 0o777 == 0o644
        if shutil.which("pdftotext"):  # every word, margin notes included, inside the page
            boxes = subprocess.run(["pdftotext", "-bbox", built.pdf, "-"], check=True,
                                   capture_output=True, text=True).stdout
            pages = list(re.finditer(r'<page width="([\d.]+)".*?</page>', boxes, re.S))
            assert pages, "pdftotext -bbox gave no pages"
            for page in pages:
                right = max(map(float, re.findall(r'xMax="([\d.]+)"', page.group(0))),
                            default=0.0)
                assert right <= float(page.group(1)) - 14.0, (path, right)  # 5 mm of paper


def test_notes_sharing_a_basename_get_distinct_reports(tmp_path, capsys, monkeypatch):
    import derive.report.compile

    monkeypatch.setattr(derive.report.compile, "tex_engine", lambda: None)  # .tex is enough
    src = "% derive: size K\n% derive: index k in 1..K\n% derive: tensor y_k\n$$y_k = y_k$$\n"
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "notes.md").write_text(src)
    out = tmp_path / "out"
    code = main(["verify", str(tmp_path / "a" / "notes.md"), str(tmp_path / "b" / "notes.md"),
                 "--report", str(out)])
    assert code == 0
    assert sorted(p.name for p in out.glob("*.tex")) == ["a-notes-annotated.tex",
                                                        "b-notes-annotated.tex"]
    assert unique_stems(["x.md", "x.md"]) == ["x", "x-2"]
    capsys.readouterr()


@pytest.mark.parametrize("argv", [
    ["verify", "--examples", "--report", "{file}/sub"],
    ["report", "--out", "{file}/sub"],
    ["kernels", "--emit", "{file}/k.py"],
    ["kernels", "--emit", "{dir}"],
])
def test_unusable_output_path_is_refused_before_any_work(argv, tmp_path, capsys, monkeypatch):
    import derive.engine.prover
    import derive.latex.verify

    def no_work(*a, **k):
        raise AssertionError("proving started before the output path was checked")

    monkeypatch.setattr(derive.latex.verify, "verify_file", no_work)
    monkeypatch.setattr(derive.engine.prover, "prove", no_work)
    blocker = tmp_path / "plain-file"
    blocker.write_text("x")
    args = [a.format(file=blocker, dir=tmp_path) for a in argv]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("derive: error: ")
    assert "expected" in err


def test_progress_only_on_a_terminal(monkeypatch):
    import derive.progress

    monkeypatch.setattr(derive.progress, "DELAY", 0.0)
    quiet = io.StringIO()  # not a TTY
    with Progress("proving", total=2, stream=quiet) as bar:
        bar.step("a")
    assert quiet.getvalue() == ""
    shown = io.StringIO()
    with Progress("proving", total=2, stream=shown, enabled=True) as bar:
        bar.step("a")
    assert "proving 1/2" in shown.getvalue() and shown.getvalue().endswith("\r")
    tty = io.StringIO()
    tty.isatty = lambda: True  # type: ignore[method-assign]
    assert Progress("x", stream=tty).enabled and not Progress("x", stream=tty, quiet=True).enabled


_SLOW_TEX = "\\documentclass{article}\\begin{document}x\\loop\\iftrue\\repeat\\end{document}\n"


def _processes_in(folder: Path) -> list[int]:
    out = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if os.readlink(f"/proc/{pid}/cwd").startswith(str(folder)):
                    out.append(int(pid))
            except OSError:
                pass
    return out


@pytest.mark.skipif(PDFLATEX is None or not Path("/proc").exists(),
                    reason="needs pdflatex and /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_interrupted_compile_kills_latex_and_removes_temporary_files(sig, tmp_path):
    tex = tmp_path / "slow.tex"
    tex.write_text(_SLOW_TEX)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    code = f"from derive.report.compile import compile_pdf; compile_pdf({str(tex)!r})"
    proc = subprocess.Popen([sys.executable, "-c", code], env={**os.environ, "TMPDIR": str(tmp)})
    try:
        deadline = time.monotonic() + 60
        while not _processes_in(tmp) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _processes_in(tmp), "LaTeX never started"
        proc.send_signal(sig)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode != 0
    # the killed LaTeX (an endless loop: it never ends by itself) may take a moment to exit
    # on a loaded machine (60 s: a CI machine shared by many jobs); it must be gone well
    # before a run that was left alone could end, and that run never ends
    deadline = time.monotonic() + 60
    while _processes_in(tmp) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_in(tmp) == []
    assert list(tmp.iterdir()) == []


def test_quoted_member_keeps_a_matrix_and_drops_the_row_alignment():
    from derive.report.rows import member_text

    text = r"M &= \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}"
    assert member_text(text, (text.index("\\begin"), len(text))) == (
        r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}")
    assert member_text(text, (0, text.index("="))) == "M"
    assert member_text(r"\left( a", (0, 8)) is None  # cannot stand alone: not quoted


def test_report_without_tex_says_why_there_is_no_pdf(tmp_path, capsys, monkeypatch):
    import derive.report.compile

    monkeypatch.setattr(derive.report.compile, "tex_engine", lambda: None)
    src = tmp_path / "n.md"
    src.write_text("% derive: size K\n% derive: index k in 1..K\n% derive: tensor y_k\n"
                   "$$y_k = y_k$$\n")
    assert main(["verify", str(src), "--report", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "no PDF" in err and "pdflatex is not installed" in err
    assert (tmp_path / "out" / "n-annotated.tex").exists()
    assert not list((tmp_path / "out").glob("*.pdf"))


@pytest.mark.skipif(PDFLATEX is None or shutil.which("pdftotext") is None,
                    reason="needs pdflatex and pdftotext")
def test_two_sided_notes_put_even_page_verdicts_in_the_left_margin(tmp_path):
    body = "\\[ a = a \\]\n\\clearpage\n\\[ b = b \\]\n"
    src = ("\\documentclass[twoside]{article}\n\\usepackage{amsmath}\n\\begin{document}\n"
           + body + "\\end{document}\n")
    results = [_res(4, 6, 1, 1, "proved"), _res(6, 6, 2, 1, "proved")]
    built = compile_pdf(write_annotated_notes("n.tex", src, results, str(tmp_path)))
    assert built.pdf is not None and log_problems(built.log) == [], built.message
    boxes = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "2", built.pdf, "-"],
                           check=True, capture_output=True, text=True).stdout
    where = []
    for page in re.findall(r'<page width="([\d.]+)"(.*?)</page>', boxes, re.S):
        width, words = float(page[0]), page[1]
        m = re.search(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>proved<', words)
        assert m, "no verdict on the page"
        lo, hi = float(m.group(1)), float(m.group(2))
        assert 14.0 <= lo and hi <= width - 14.0
        where.append((lo, hi))
    (odd_lo, _), (_, even_hi) = where
    assert even_hi < odd_lo  # odd page: right margin; even page: left margin
