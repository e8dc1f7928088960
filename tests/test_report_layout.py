"""The report and every annotated corpus file, as a reader sees them (issue 22): every page
rendered to text with positions (``pdftotext -bbox-layout``) with no overprinted words and
nothing outside the page; no overfull box over 1 pt in the LaTeX logs; ``chktex`` clean
except the warning classes justified below. Skipped (with the reason) where TeX is absent.
Proving and compiling the corpus takes minutes: ``pytest -m layout`` runs it (the check
itself, on a small document, always runs).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from derive.cli import main as derive_main
from derive.report import write_report
from derive.report.compile import compile_pdf
from derive.report.stamp import Stamp

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "derive" / "corpus"
REPORTS = ROOT / "reports"

needs_tex = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdflatex", "pdftotext")),
    reason="TeX (pdflatex) or poppler (pdftotext) is not installed: `sudo bash .ci/install-tex`")

#: chktex warning classes that are not faults here, each with its reason (one line each):
CHKTEX_ALLOWED = {
    1: "a command followed by a space in generated math (\\sigma x) is what is meant",
    2: "a non-breaking space before a reference is not wanted inside tables and tags",
    3: "braces around one-letter subscripts of generated math are harmless",
    8: "a hyphen in a range of values printed by the benchmark is '--' already; false hits",
    9: "a parenthesis opened in one \\text{} and closed in another, in the notes' own remarks",
    11: "'...' in quoted titles of the sources, not an ellipsis of ours",
    12: "interword spacing after abbreviations in transcribed prose is the author's",
    13: "intersentence spacing after a capital (C1. etc.) is intended",
    15: "no match for a bracket: an interval [0, 1) or a one-sided delimiter in notes",
    17: "unmatched brackets in half-open intervals and in the notes' own LaTeX",
    18: "typewriter quotes inside \\texttt and verbatim-like source addresses",
    21: "\\_ inside \\texttt names is the intended output",
    24: "a \\label after a caption in a float is the usual place",
    25: "a script of two letters (\\sum_{k=1}^ne, p_jp_i) typed so by the notes, read alike by MathJax",
    26: "a space before punctuation inside math ($a$ ,) comes from the notes' own text",
    29: "'x' as a letter, not a times sign, in the notes' formulas",
    35: "a math function written as \\operatorname or text in the notes",
    36: "space before a parenthesis in math is the notes' own typing",
    37: "\\left( before a fraction in generated math is deliberate",
    40: "a full stop after a display (\\[ … \\].) is where the notes' author typed it",
    44: "user regex not used",
    46: "\\( \\) in the notes' own Markdown prose is kept as the author wrote it",
}


# ---------------------------------------------------------------- text with positions
def _pages(pdf: Path) -> list[tuple[float, float, list[tuple]]]:
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    pages = []
    for pm in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = []
        for line_no, lm in enumerate(re.finditer(r"<line [^>]*>(.*?)</line>", pm[3], re.S)):
            for wm in re.finditer(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" '
                                  r'yMax="([-\d.]+)">([^<]*)</word>', lm[1]):
                words.append((float(wm[1]), float(wm[2]), float(wm[3]), float(wm[4]),
                              html.unescape(wm[5]), line_no))
        pages.append((float(pm[1]), float(pm[2]), words))
    return pages


_EDGE = 5.0  #: points: no word closer than this to the page's edge
#: TeX builds \\vdots and \\ddots from periods stacked closer than a line: pdftotext gives
#: each period the full height of its font, so their boxes overlap while their ink (a dot
#: on the baseline) does not. Two words made only of periods are never an overprint.
_DOTS = re.compile(r"[.\u00b7\u22c5]+")


def layout_problems(pdf: Path, overlap: float = 0.3) -> list[str]:
    """Words outside the page, and words of different lines printed over each other (their
    boxes share more than ``overlap`` of the smaller one's area: a sub- or superscript
    beside its base shares little, an overprinted line shares most)."""
    bad = []
    for n, (width, height, words) in enumerate(_pages(pdf), 1):
        for w in words:
            # pdftotext drops the glyphs past the page's edge: a word that reaches within
            # 5 pt of an edge is (partly) outside the page
            if min(w[0], w[1], width - w[2], height - w[3]) < _EDGE:
                bad.append(f"{pdf.name} p.{n}: {w[4]!r} outside the page")
        words.sort()
        for i, a in enumerate(words):
            for b in words[i + 1 :]:
                if b[0] >= a[2]:
                    break
                if a[5] == b[5] or (_DOTS.fullmatch(a[4]) and _DOTS.fullmatch(b[4])):
                    continue
                ox = min(a[2], b[2]) - max(a[0], b[0])
                oy = min(a[3], b[3]) - max(a[1], b[1])
                small = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
                if ox > 0 and oy > 0 and ox * oy > overlap * small:
                    bad.append(f"{pdf.name} p.{n}: {a[4]!r} over {b[4]!r}")
    return bad


def overfull(log: str, limit: float = 1.0) -> list[str]:
    return [m.group(0) for m in re.finditer(r"^Overfull \\[hv]box \(([\d.]+)pt too \w+\).*$",
                                            log, re.M) if float(m.group(1)) > limit]


def chktex_classes(tex: Path) -> dict[int, str]:
    out = subprocess.run(["chktex", "-q", "-v0", "-f%n:%l:%m\n", str(tex)],
                         capture_output=True, text=True).stdout
    found: dict[int, str] = {}
    for line in out.splitlines():
        m = re.match(r"(\d+):(\d+):(.*)", line)
        if m:
            found.setdefault(int(m[1]), f"line {m[2]}: {m[3]}")
    return found


# ---------------------------------------------------------------- the documents
@pytest.fixture(scope="module")
def built(tmp_path_factory) -> list[tuple[Path, Path, str]]:
    """(tex, pdf, log) of the report (with the committed measurements) and of the annotated
    copy of every corpus file."""
    if not all(shutil.which(t) for t in ("pdflatex", "pdftotext")):
        pytest.skip("TeX (pdflatex) or poppler (pdftotext) is not installed")
    out = tmp_path_factory.mktemp("layout")
    rep = out / "report"
    rep.mkdir()
    for name in ("bench.json", "fd-error.json"):
        if (REPORTS / name).exists():
            shutil.copy(REPORTS / name, rep / name)
    stamp = Stamp(date="2000-01-01", derive="0", commit="0123456789ab", sympy="0", numpy="0")
    docs = [Path(write_report(str(rep), compile_pdf=False, stamp=stamp)["tex"])]
    ann = out / "annotated"
    files = sorted(str(p) for p in CORPUS.glob("[0-9]*.*") if p.suffix in (".md", ".tex"))
    derive_main(["verify", "-q", "--report", str(ann), *files])
    docs += sorted(ann.glob("*-annotated.tex"))
    assert len(docs) == 1 + len(files)
    got = []
    for tex in docs:
        res = compile_pdf(tex)
        assert res.pdf is not None, res.message
        got.append((tex, Path(res.pdf), res.log))
    return got


@needs_tex
@pytest.mark.layout
def test_no_overprinted_words_and_nothing_outside_the_page(built) -> None:
    bad = [p for _, pdf, _ in built for p in layout_problems(pdf)]
    assert bad == [], "\n".join(bad[:30])


@needs_tex
@pytest.mark.layout
def test_no_overfull_box_over_one_point(built) -> None:
    bad = [f"{tex.name}: {b}" for tex, _, log in built for b in overfull(log)]
    assert bad == [], "\n".join(bad[:30])


@needs_tex
@pytest.mark.layout
@pytest.mark.skipif(shutil.which("chktex") is None, reason="chktex is not installed")
def test_chktex_clean_but_for_justified_classes(built) -> None:
    bad = []
    for tex, _, _ in built:
        for cls, where in chktex_classes(tex).items():
            if cls not in CHKTEX_ALLOWED:
                bad.append(f"{tex.name}: warning {cls} ({where})")
    assert bad == [], "\n".join(bad)


@needs_tex
def test_the_layout_check_sees_an_overprint(tmp_path) -> None:
    """The check itself: two lines printed over each other and a word off the page fail."""
    tex = tmp_path / "bad.tex"
    tex.write_text("\\documentclass{article}\\begin{document}\n"
                   "Some words here.\\par\\vspace{-\\baselineskip}Other words there.\\par\n"
                   "\\noindent\\hspace*{15.9cm}Away from the page\n\\end{document}\n")
    res = compile_pdf(tex)
    assert res.pdf is not None
    bad = layout_problems(Path(res.pdf))
    assert any("over" in b for b in bad) and any("outside the page" in b for b in bad), bad


@needs_tex
def test_stacked_dots_are_not_an_overprint_but_a_dot_over_a_word_is(tmp_path) -> None:
    """\\vdots and \\ddots (periods stacked closer than their glyph boxes) read cleanly; a
    period printed over a word of another line still counts."""
    tex = tmp_path / "dots.tex"
    tex.write_text("\\documentclass{article}\\usepackage{amsmath}\\begin{document}\n"
                   "\\[ \\begin{bmatrix} a & \\dots & b \\\\ \\vdots & \\ddots & \\vdots \\\\ "
                   "c & \\dots & d \\end{bmatrix} \\]\n\\end{document}\n")
    res = compile_pdf(tex)
    assert res.pdf is not None
    assert layout_problems(Path(res.pdf)) == []
    tex.write_text("\\documentclass{article}\\begin{document}\n"
                   "Words here.\\par\\vspace{-\\baselineskip}.....\\par\n\\end{document}\n")
    res = compile_pdf(tex)
    assert res.pdf is not None
    assert any("over" in b for b in layout_problems(Path(res.pdf)))
