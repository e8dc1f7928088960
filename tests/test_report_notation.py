"""One notation per quantity per section (issue 22 residual): the report's kernels
subsection wrote the softmax probabilities as the matrix ``P`` and as ``σ_{nk}`` in one
section, and one row's softmax as ``s`` and ``σ_k``. The kernels section now writes the
entries of a named matrix with the matrix's letter (``P_{nk}``, ``s_k``). The check below
finds both notations of a quantity in one section; it is run on the committed report, on
a freshly rendered kernels section, and on the old rendering, which it must reject."""

from __future__ import annotations

import re

import pytest
import sympy as sp

from derive.models import FAMILIES
from derive.report.data import ReportData
from derive.report.kernel_section import entry_style, entry_tex, kernels
from derive.report.sources import one_sign
from derive.report.style import Style

from .source_tree import source_file

_MATH = re.compile(r"\$([^$]+)\$|\\\[(.+?)\\\]|\\begin\{align\*\}(.+?)\\end\{align\*\}", re.S)


def _math(tex: str) -> str:
    return " ".join(next(g for g in m.groups() if g is not None) for m in _MATH.finditer(tex))


def notations(style: Style) -> list[tuple[str, str, re.Pattern[str], re.Pattern[str]]]:
    """For each named matrix of the notation that holds a quantity's entries: its name, the
    quantity's, and a pattern for each way of writing it (the matrix letter as a symbol;
    the quantity's own name with as many indices as the matrix has)."""
    out = []
    names = style.notation.names
    for kind, label in style.notation.matrix_entries.items():
        letter = style.notation.matrix_names[kind]
        rank = 1 if kind.endswith("(row)") else 2
        own = re.escape(names.get(label, label))
        index = r"(?:\{[^{},]\}|[0-9A-Za-z])" if rank == 1 else r"\{[^{}]{2,}\}"
        out.append((letter, label,
                    re.compile(r"(?<![\\\w])" + re.escape(letter) + r"(?![A-Za-z])"),
                    re.compile(own + r"_" + index)))
    return out


def two_notations(section: str, style: Style) -> list[str]:
    """The quantities the section's mathematics writes in two ways."""
    math = _math(section)
    return [f"{letter} and {label}" for letter, label, mat, ent in notations(style)
            if mat.search(math) and ent.search(math)]


def _subsections(tex: str) -> list[tuple[str, str]]:
    parts = re.split(r"(?m)^\\(?:sub)?section\*?\{", tex)
    return [(p.split("}", 1)[0], p) for p in parts[1:]]


SOFTMAX = next(f for f in FAMILIES if f.name == "softmax")


def test_the_softmax_notation_names_the_entries_of_its_matrices():
    # without these the check below has nothing to look for: P and s hold σ's entries
    assert dict(SOFTMAX.notation.matrix_entries) == {"Softmax": "sigma",
                                                    "Softmax(row)": "sigma"}
    assert len(notations(Style(SOFTMAX.notation))) == 2


def test_the_committed_report_writes_each_quantity_one_way_in_each_kernels_section():
    tex = source_file("reports/softmax-regression.tex").read_text(encoding="utf-8")
    parts = [(title, body) for title, body in _subsections(tex) if title == "Kernels"]
    assert len(parts) >= 2, [t for t, _ in _subsections(tex)]
    style = Style(SOFTMAX.notation)
    seen = 0
    for _title, body in parts:
        assert two_notations(body, style) == [], body[:400]
        seen += bool(notations(style)[0][2].search(_math(body)))
    assert seen >= 1  # the softmax part's kernels section does use P


@pytest.fixture(scope="module")
def links() -> list[dict]:
    from derive import kernels as kern

    return [ln for ln in kern.matrix_links() if ln.get("entry") is not None]


def test_a_rendered_kernels_section_passes_and_the_old_rendering_is_caught(links):
    style = Style(SOFTMAX.notation)
    names = [c.name for c in SOFTMAX.claims]
    data = ReportData(claims=[], mutants=[], links=links, kernel_rows=[])
    section = kernels(data, style, names, "sec:k")
    assert "P_{nj}" in section and "s_{k}" in section, section
    assert two_notations(section, style) == []
    # the rendering before the fix: indexed forms in the theorems' σ beside P and s
    old = section
    for ln in links:
        if ln.get("claim") in names:
            old = old.replace(entry_tex(ln["entry"], style), style.tex(one_sign(ln["entry"])))
    assert two_notations(old, style) == ["P and sigma", "s and sigma"]


def test_entries_are_renamed_by_their_number_of_indices_only():
    style = Style(SOFTMAX.notation)
    _shown, renames = entry_style(style)
    assert sorted((k, str(b)) for k, b in renames.items()) == [
        (("sigma", 1), "s"), (("sigma", 2), "P")]
    sigma, y = sp.IndexedBase("sigma"), sp.IndexedBase("Y")
    n, k = sp.symbols("n k", integer=True)
    # a σ with three indices is no entry of P or s: left as it is
    assert entry_tex(sigma[n, k, k], style) == style.tex(sigma[n, k, k])
    # probabilities keep their place before the labels in a product
    assert entry_tex(sigma[n, k] * y[n, k], style).index("P") < \
        entry_tex(sigma[n, k] * y[n, k], style).index("Y")
    # a family with no named matrices is printed exactly as the theorems print it
    plain = Style(None)
    assert entry_style(plain)[1] == {} and entry_tex(sigma[k], plain) == plain.tex(sigma[k])
