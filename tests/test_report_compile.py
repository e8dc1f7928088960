"""Compile both reports with pdflatex and look at the result (skips without a TeX engine)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from derive.report import write_annotated_notes, write_report
from derive.report.compile import compile_pdf, log_problems
from derive.report.notes import remove_marks

NEEDED = ("pdflatex", "latexmk", "pdftotext", "pdfinfo")
MISSING = [tool for tool in NEEDED if shutil.which(tool) is None]
pytestmark = pytest.mark.skipif(
    bool(MISSING),
    reason=f"no TeX engine: {', '.join(MISSING)} not installed (run `bash .ci/install-tex`)",
)
NOTES = Path(__file__).parent / "data" / "report_notes.tex"


def _pages(pdf: str) -> int:
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def _text(pdf: str) -> str:
    out = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.replace("\u2009", " ").split())


def _clean_log(log: str) -> None:
    assert log, "no LaTeX log"
    assert log_problems(log) == []
    assert not re.search(r"^! ", log, re.M)
    assert "undefined" not in log.lower() or "There were undefined" not in log


def test_main_report_compiles_cleanly(tmp_path) -> None:
    result = write_report(str(tmp_path), compile_pdf=True)
    assert result["compiled"], result["message"]
    log = (tmp_path / "softmax-regression.log").read_text(errors="replace")
    _clean_log(log)
    assert 5 <= _pages(result["pdf"]) <= 80  # six families (57 pages with the canonical ones)
    text = _text(result["pdf"])
    for phrase in ("Softmax regression", "Model and notation", "Proved identities",
                   "Wrong variants", "softmax_jacobian_theta", "proved", "refuted",
                   "true value", "Abstract", "Results", "References", "Theorem 1", "chain rule"):
        assert phrase in text, phrase
    assert "Overfull" not in log
    assert not re.search(r"re-\s*futed|pro-\s*ved", text)  # verdicts are never hyphenated
    assert "??" not in text  # every \ref and \cite resolved


def test_annotated_notes_compile_with_marks_and_appendix(tmp_path) -> None:
    source = NOTES.read_text()
    results = [
        {"file": str(NOTES), "line": 11, "chain": 1, "step": 1, "verdict": "proved"},
        {"file": str(NOTES), "line": 14, "chain": 1, "step": 2, "verdict": "proved"},
        {"file": str(NOTES), "line": 15, "chain": 1, "step": 3, "verdict": "refuted",
         "counterexample": {"sizes": {"K": 2}, "indices": {"j": 1, "k": 2},
                            "values": {"z": [0, 0]}, "lhs": -0.25, "rhs": 0.25}},
    ]
    out = write_annotated_notes(str(NOTES), source, results, str(tmp_path))
    annotated = remove_marks(Path(out).read_text())
    # the user's own lines are all still there, in order
    kept = [line for line in source.splitlines() if line.strip()]
    assert all(line in annotated for line in kept)
    built = compile_pdf(out)
    assert built.pdf is not None, built.message
    _clean_log(built.log)
    assert _pages(built.pdf) == 2
    text = _text(built.pdf)
    assert "1.3 refuted: C1; first wrong step" in text
    assert "Checked by derive" in text and "C1: step 1.3, line 15" in text
    assert "3 steps, 2 proved, 1 refuted, 0 unknown" in text


def test_markdown_notes_are_wrapped(tmp_path) -> None:
    source = "# Title\n\nSome text with $x_i$ and 50%.\n\n$$\na = a\n$$\n"
    results = [{"file": "n.md", "line": 6, "chain": 1, "step": 1, "verdict": "unknown"}]
    out = write_annotated_notes("n.md", source, results, str(tmp_path))
    built = compile_pdf(out)
    assert built.pdf is not None, built.message
    assert "unknown" in _text(built.pdf)


def test_notes_typing_that_mathjax_draws_is_drawn_alike(tmp_path) -> None:
    """A typed middle dot (·) is a product dot and \\mathcal{l} a script l, as MathJax draws
    them; without the preamble's help TeX prints other glyphs (a ring accent, an arrow).
    \\mathcal{L} stays calligraphic."""
    source = "$$ \\mathcal{l}(a) = a · b + \\mathcal{L} $$\n"
    results = [{"file": "n.md", "line": 1, "chain": 1, "step": 1, "verdict": "unknown"}]
    built = compile_pdf(write_annotated_notes("n.md", source, results, str(tmp_path)))
    assert built.pdf is not None, built.message
    text = _text(built.pdf)
    assert "\u2113(a)" in text and "\u00b7" in text and "L" in text, text
    assert "\u016f" not in text and "\u2195" not in text, text


def test_latex_failure_is_reported(tmp_path) -> None:
    bad = tmp_path / "bad.tex"
    bad.write_text("\\documentclass{article}\\begin{document}\\undefinedmacro\\end{document}\n")
    built = compile_pdf(bad)
    assert built.pdf is None and built.problems
    assert not (tmp_path / "bad.pdf").exists()


def test_kernel_section_and_figures_compile(tmp_path) -> None:
    """The numeric sections with stand-in data (the real rows come from derive.kernels)."""
    from derive.report.compile import atomic_write
    from derive.report.document import ReportData, render

    curve64 = [(10.0 ** -e, max(10.0 ** (-2 * e), 1e-16 * 10.0**e)) for e in range(1, 12)]
    curve32 = [(10.0 ** -e, max(10.0 ** (-2 * e), 1e-7 * 10.0**e)) for e in range(1, 8)]
    data = ReportData(
        claims=[], mutants=[],
        kernel_rows=[{"kernel": "loss_and_grad", "dtype": "float64", "ref_rel_error": 2e-16,
                      "fd_rel_error": 3e-10, "complex_step_rel_error": 1e-16,
                      "tolerance": 1e-6, "ok": True}],
        fd_curves={"float64": curve64, "float32": curve32},
        fd_tolerances={"float64": 1e-6, "float32": 1e-2},
        bench={"float64": {"generated_ms": 60.0, "numpy_ms": 87.0, "jax_ms": 62.0,
                           "limit_ms": 10.9},
               "float32": {"generated_ms": 29.0, "numpy_ms": 43.0, "limit_ms": 4.45}},
    )
    tex = atomic_write(tmp_path / "numeric.tex", render(data))
    built = compile_pdf(tex)
    assert built.pdf is not None, built.message
    _clean_log(built.log)
    text = _text(built.pdf)
    for phrase in ("step size h", "relative error", "time / NumPy time", "float32",
                   "generated kernel", "fin. diff."):
        assert phrase in text, phrase


def test_annotated_seed_example_compiles(tmp_path) -> None:
    """Seed 004, verified for real: its slips show as refuted in the margin and appendix."""
    from derive.latex.cli import example_paths
    from derive.latex.verify import verify_file

    (path,) = [p for p in example_paths() if Path(p).name.startswith("004_")]
    results = verify_file(path)
    out = write_annotated_notes(path, Path(path).read_text(), results, str(tmp_path))
    built = compile_pdf(out)
    assert built.pdf is not None, built.message
    _clean_log(built.log)
    assert "Overfull" not in built.log
    assert _pages(built.pdf) >= 2
    text = _text(built.pdf)
    refuted = sum(r["verdict"] == "refuted" for r in results)
    assert refuted > 0 and "refuted" in text and "Checked by derive" in text
    assert f"{len(results)} steps" in text
