"""The report as a reader uses it: links, sources, symbols, signs, kernel maths, figures."""

from __future__ import annotations

import json
import re

import pytest

from derive.models import FAMILIES
from derive.report.document import ReportData, _key, collect, render
from derive.report.figures import bench_rows
from derive.report.sources import SEEDS, cite_source, corpus_references, one_sign

BIBLIOGRAPHY = {**SEEDS, **{k: v for f in FAMILIES for k, v in f.notation.references.items()},
                **corpus_references()}
OBJECTIVES = {k: v for f in FAMILIES for k, v in f.notation.objectives.items()}


@pytest.fixture(scope="module")
def data() -> ReportData:
    return collect(bench_path=None)


@pytest.fixture(scope="module")
def tex(data: ReportData) -> str:
    return render(data)


def _block(tex: str, name: str) -> str:
    start = tex.index(rf"\label{{thm:{_key(name)}}}")
    ends = [tex.find(mark, start) for mark in (r"\end{proof}", r"\begin{theorem}")]
    return tex[start : min([e for e in ends if e > 0] or [len(tex)])]


def test_abstract_and_results_table_come_first(tex: str) -> None:
    assert tex.index(r"\begin{abstract}") < tex.index(r"\section{Results}") < tex.index(
        r"\subsection{Model and notation}")


def test_results_table_links_every_proof_counterexample_and_kernel(data, tex) -> None:
    table = tex[tex.index(r"\section{Results}") : tex.index(r"\subsection{Model")]
    for e in data.claims:
        key = _key(e.claim.name)
        assert rf"\ref{{thm:{key}}}" in table and rf"\label{{thm:{key}}}" in tex
        if any(m.claim.mutant_of == e.claim.name for m in data.mutants):
            assert rf"\ref{{cex:{key}}}" in table and rf"\label{{cex:{key}}}" in tex
    for link in data.links or []:
        kernel = _key(str(link["kernel"]))
        assert rf"\ref{{ker:{kernel}}}" in table and rf"\label{{ker:{kernel}}}" in tex
    labels = re.findall(r"\\label\{([^}]*)\}", tex)
    assert len(labels) == len(set(labels)), "a label defined twice"
    for ref in set(re.findall(r"\\ref\{([^}]*)\}", tex)):
        assert ref in labels, ref


def test_every_source_is_cited_and_listed(data, tex) -> None:
    cited = set(re.findall(r"\\cite(?:\[[^\]]*\])?\{([^}]*)\}", tex))
    cited = {k for group in cited for k in group.split(",")}
    assert cited <= set(BIBLIOGRAPHY)
    for key in BIBLIOGRAPHY:
        assert rf"\bibitem{{{key}}}" in tex
    for e in data.claims:
        for seed in re.findall(r"seed (\d{3})", e.claim.source):
            assert f"seed{seed}" in cited


def test_cite_source_keeps_the_locator() -> None:
    assert cite_source("seed 000, eq. (15)") == r"\cite[eq.~(15)]{seed000}"


def test_one_symbol_per_objective(tex) -> None:
    """Within a family, claims about one objective write it with one symbol, and different
    objectives with different symbols."""
    import sympy as sp

    from derive import catalogue

    for fam in FAMILIES:
        objectives = fam.notation.objectives
        by_objective: dict[str, set[str]] = {}
        for name, symbol in objectives.items():
            block = _block(tex, name)
            others = [s for n, s in objectives.items() if s != symbol]
            assert re.search(r"\\partial(\^\{\d\})? " + re.escape(symbol) + "}", block), name
            assert not any(f"\\partial {s}}}" in block for s in others), name
            claim = catalogue.get(name)
            (target,) = [b for k, b in claim.defs.items() if isinstance(k, sp.Symbol)
                         and k.name == "J"]
            by_objective.setdefault(str(target()), set()).add(symbol)
        assert all(len(s) == 1 for s in by_objective.values()), fam.name
        assert len({next(iter(s)) for s in by_objective.values()}) == len(by_objective)


def test_one_sign_convention_in_every_statement(data, tex) -> None:
    for e in data.claims:
        block = _block(tex, e.claim.name)
        assert not re.search(r"(Y_\{nj\}|y_\{j\}) - \\sigma_\{n?j\}", block), e.claim.name


def test_one_sign_moves_a_minus_into_the_difference_only() -> None:
    import sympy as sp

    a, b, c, n = sp.symbols("a b c n")
    assert one_sign(-sp.Sum(c * (a - b), (n, 1, 3)) / 2) == sp.Sum(c * (b - a), (n, 1, 3)) / 2
    assert one_sign(-c) == -c  # nothing to absorb the sign: left alone


def test_proofs_are_amsthm_proofs_with_chain_rule_and_delta_steps(data, tex) -> None:
    proved = [e for e in data.claims if e.verdict.status == "proved"]
    assert tex.count(r"\begin{proof}") == tex.count(r"\end{proof}") == len(proved)
    for e in proved:
        block = _block(tex, e.claim.name)
        proof = block.split(r"\begin{proof}")[1]
        if "partial" in proof and "differentiate" in e.verdict.rules:
            # how the derivative was taken is said, by the rule the engine recorded
            assert "derivative" in proof or "sum the Kronecker deltas" in proof, e.claim.name
    assert "differentiate and sum the Kronecker deltas" not in tex


def test_kernel_maths_in_the_report_notation(data, tex) -> None:
    if data.links is None:
        pytest.skip("derive.kernels is not installed")
    start = tex.index(r"\subsection{Kernels}\label{sec:softmax-kernels}")
    kernels = tex[start : tex.index(r"\section{", start)]  # softmax's (other families: W)
    assert r"\operatorname{diag}\left(s\right) - s s^{\mathsf{T}}" in kernels
    assert r"^{T} \operatorname{softmax}" not in kernels and "softmax}\\left(z" not in kernels
    maths = " ".join(re.findall(r"\\begin\{align\*\}(.*?)\\end\{align\*\}", kernels, re.S))
    assert not re.search(r"(?<![\\\w])W(?!\w)", maths), "W and Θ mixed"
    for term in ("hvp", "$V$", r"\Theta"):
        assert term in kernels


def test_tolerance_lines_are_drawn_from_the_kernel_checks(data, tex) -> None:
    from derive.declare.numeric import TOLERANCES

    figure = tex[tex.index(r"\begin{loglogaxis}") : tex.index(r"\end{loglogaxis}")]
    assert figure.count("dashed") == len(TOLERANCES["finite_difference"])
    for tol in TOLERANCES["finite_difference"].values():
        assert f"{{{float(tol):.3g}}}" in figure


def test_commands_are_typeset_as_typed(tex) -> None:
    assert "--json" not in tex.replace("-{}-json", "")
    assert "-{}-json" in tex


def test_bench_reading_is_tolerant(data, tmp_path) -> None:
    assert bench_rows({"float64": {"numpy_ms": 1.0}})["float64"]["numpy_ms"] == 1.0
    runs = {"runs": [{"dtype": "float32", "K": k, "numpy_ms": k / 10} for k in (10, 100)]}
    assert sorted(bench_rows(runs)) == ["float32 K10", "float32 K100"]
    assert bench_rows({"something": "else"}) == {} and bench_rows([1, 2]) == {}
    odd = tmp_path / "bench.json"
    odd.write_text(json.dumps({"version": 3}))
    done = {e.claim.name: e.verdict for e in data.claims + data.mutants}
    again = collect(bench_path=odd, verdicts=done)
    assert again.bench is None and "no per-run times" in again.missing["bench"]
    assert "No benchmark ratios" in render(again)


def test_title_page_says_date_version_commit_and_library_versions(data) -> None:
    """Each stamp value is defined once and printed on the title page, beside its name."""
    from derive.report.stamp import Stamp

    stamp = Stamp(date="1987-06-05", derive="4.5.6", commit="fedcba987654", sympy="7.8.9",
                  numpy="3.2.1")
    text = render(data, stamp=stamp)
    title = text[text.index(r"\begin{titlepage}") : text.index(r"\end{titlepage}")]
    for macro, value, label in (("date", "1987-06-05", None), ("derive", "4.5.6", "derive"),
                                ("commit", "fedcba987654", "commit"),
                                ("sympy", "7.8.9", "SymPy"), ("numpy", "3.2.1", "NumPy")):
        assert text.count(rf"\newcommand{{\report{macro}}}{{{value}}}") == 1, macro
        assert rf"\report{macro}" in title, macro
        if label:
            assert re.search(rf"^{label} & (\\texttt\{{)?\\report{macro}\b", title, re.M), label


def test_one_bibliography_with_every_cited_source_and_nothing_uncited(tex) -> None:
    assert tex.count(r"\begin{thebibliography}") == 1
    assert "\\bibliography{" not in tex  # no second, BibTeX-made list
    cited = {k.strip() for g in re.findall(r"\\cite(?:\[[^\]]*\])?\{([^}]*)\}", tex)
             for k in g.split(",")}
    listed = re.findall(r"\\bibitem(?:\[[^\]]*\])?\{([^}]*)\}", tex)
    assert len(listed) == len(set(listed))
    assert cited == set(listed)
    # the corpus notes the report cites are in it
    assert set(corpus_references()) <= cited
