"""The report's printer, folding, tables and document (no TeX needed)."""

from __future__ import annotations

import os
import re

import numpy as np
import pytest
import sympy as sp

import derive.catalogue as cat
from derive.engine.prover import prove
from derive.models.softmax import (
    NOTATION,
    D,
    K,
    N,
    T,
    X,
    Y,
    c,
    i,
    j,
    k,
    n,
    nll,
    sigma,
    softmax,
    theta,
    x,
    y,
    z,
)
from derive.report import compile as rcompile
from derive.report import write_report
from derive.report.chain import chain_latex, tex_width
from derive.report.document import Entry, ReportData, _key, collect, proof_chain, render
from derive.report.fold import fold, tidy_dummies
from derive.report.printer import report_latex
from derive.report.sources import variant_tex
from derive.report.stamp import Stamp
from derive.report.tables import counterexample_table, escape_text, fmt_bound, kernel_table

from .source_tree import source_file


# ----------------------------------------------------------------------------- printer
@pytest.mark.parametrize(
    ("expr", "tex"),
    [
        (theta[i, j], r"\theta_{ij}"),
        (X[n, i], r"X_{ni}"),
        (sp.KroneckerDelta(k, j), r"\delta_{jk}"),
        (sp.Sum(y[c], (c, 1, K)), r"\sum_{c=1}^{K} y_{c}"),
        (sp.Derivative(sp.Symbol("L"), theta[i, j]), r"\frac{\partial L}{\partial \theta_{ij}}"),
        (x[i] * softmax(j) * (sp.KroneckerDelta(j, k) - softmax(k)),
         r"x_{i} \sigma_{j} \left(\delta_{jk} - \sigma_{k}\right)"),
        (softmax(k, logits=z, temperature=T), r"\sigma_{k}"),
        (-sp.log(softmax(j, sample=n)), r"- \log \sigma_{nj}"),
        (2 * sp.Symbol("lambda") * theta[i, j], r"2 \lambda \theta_{ij}"),
    ],
)
def test_compact_notation(expr: sp.Expr, tex: str) -> None:
    assert report_latex(expr) == tex
    assert report_latex(expr, NOTATION) == tex  # the family's own notation: the same


def test_fold_is_an_identity() -> None:
    """Folding σ back in and expanding it again gives the same value."""
    expr = sp.diff(nll(logits=z), z[j]) * sp.exp(z[k]) / sp.Sum(sp.exp(z[c]), (c, 1, K))
    folded = fold(expr, NOTATION)
    assert folded.has(sigma) and not folded.has(sp.exp)
    back = folded.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base == sigma,
        lambda e: softmax(e.indices[-1], logits=z),
    )
    vals = {("z", 1): 0.3, ("z", 2): -1.2, ("z", 3): 2.0, ("y", 1): 0.25, ("y", 2): 0.5,
            ("y", 3): 0.25}

    def num(e: sp.Expr) -> float:
        e = e.subs({K: 3, j: 1, k: 2}).doit()
        e = e.replace(lambda a: isinstance(a, sp.Indexed),
                      lambda a: sp.Float(vals[(str(a.base.label), int(a.indices[0]))]))
        return float(e)

    assert num(back) == pytest.approx(num(expr), rel=1e-12)


def test_fold_ignores_dummy_names_and_shapes() -> None:
    """The engine strips shapes and renames dummies; folding must still see the softmax."""
    th, xx = sp.IndexedBase("theta"), sp.IndexedBase("x")
    p, q = sp.symbols("p q", integer=True)
    z_q = sp.Sum(th[p, q] * xx[p], (p, 1, D))
    z_k = sp.Sum(th[p, k] * xx[p], (p, 1, D))
    assert fold(sp.exp(z_k) / sp.Sum(sp.exp(z_q), (q, 1, K)), NOTATION) == sigma[k]
    assert fold(sp.exp(z_k) * sp.exp(z_k) / sp.Sum(sp.exp(z_q), (q, 1, K)) ** 2,
                NOTATION) == sigma[k] ** 2


def test_fold_leaves_other_fractions_alone() -> None:
    expr = sp.exp(z[k]) / sp.Sum(sp.exp(2 * z[c]), (c, 1, K))
    assert not fold(expr, NOTATION).has(sigma)


def test_tidy_dummies_uses_free_letters() -> None:
    d = sp.Symbol("d", integer=True)
    expr = tidy_dummies(sp.Sum(X[d, i] * Y[d, j], (d, 1, N)), NOTATION)
    assert expr == sp.Sum(X[n, i] * Y[n, j], (n, 1, N))
    clash = tidy_dummies(sp.Sum(y[d], (d, 1, K)) * y[c], NOTATION)
    (inner,) = [a for a in clash.args if isinstance(a, sp.Sum)]
    assert inner.limits[0][0] != c


# ----------------------------------------------------------------------------- chain
def test_long_lines_are_broken() -> None:
    long = sum((y[q] * x[q] for q in range(1, 25)), sp.Integer(0))
    tex = chain_latex("L", [("step", long)], budget=20)
    lines = tex.splitlines()[1:-1]
    assert len(lines) > 2
    assert all(tex_width(line.split("&", 1)[1]) < 35 for line in lines)
    assert tex.count(r"\tag*") == 1  # the label goes on the last line of the step


# ----------------------------------------------------------------------------- tables
def test_counterexample_table() -> None:
    tab = counterexample_table(
        {"sizes": {"K": 2, "D": 1}, "indices": {"j": 1}, "values": {"theta": [[1, -2]],
         "x": [3]}, "lhs": 0.25, "rhs": -0.25},
        lhs=r"\frac{\partial L}{\partial \theta_{ij}}",
    )
    assert r"\theta = \begin{pmatrix}1 & -2\end{pmatrix}" in tab
    assert "D = 1, K = 2" in tab and "-0.25" in tab  # sizes in the order N, D, K


def test_error_bounds_are_stable_decades() -> None:
    assert fmt_bound(3.1e-16) == fmt_bound(9.9e-16) == "<10^{-15}"
    assert fmt_bound(0.0) == "0"


def test_kernel_table_has_one_row_per_check() -> None:
    rows = [{"kernel": "loss_and_grad", "dtype": "float64", "ref_rel_error": 2e-16,
             "fd_rel_error": 3e-10, "tolerance": 1e-6, "ok": True},
            {"kernel": "loss_and_grad", "dtype": "float32", "ref_rel_error": 1e-7,
             "fd_rel_error": 2e-3, "tolerance": 1e-2, "ok": False}]
    tab = kernel_table(rows)
    assert tab.count(r"\\") == 3  # header + two rows
    assert r"\textbf{no}" in tab and "fin.\\ diff." in tab


# ----------------------------------------------------------------------------- document
@pytest.fixture(scope="module")
def data() -> ReportData:
    return collect(bench_path=None)


def test_every_claim_and_mutant_appears(data: ReportData) -> None:
    tex = render(data)
    for e in data.claims:
        assert escape_text(e.claim.name) in tex
        assert rf"\label{{thm:{_key(e.claim.name)}}}" in tex and rf"\ref{{thm:{_key(e.claim.name)}}}" in tex
    variants = tex[tex.index(r"\subsection{Wrong variants") : tex.index(r"\section{Numerical")]
    for e in data.mutants:  # each under its claim's subsection, its label set as math
        part = variants[variants.index(rf"\label{{cex:{_key(e.claim.mutant_of)}}}") :]
        assert rf"\textbf{{{variant_tex(e.claim.description)}}}" in part
        assert "_" not in variant_tex(e.claim.description).replace("$", " $").split("$")[0::2][0]
    assert tex.count(r"\begin{tabular}{ll}") >= sum(
        1 for e in data.mutants if e.verdict.counterexample is not None
    )


def test_proofs_read_sigma_not_the_fraction(data: ReportData) -> None:
    tex = render(data)
    proofs = tex[tex.index(r"\subsection{Proved identities}") : tex.index(r"\subsection{Wrong")]
    assert r"\exp" not in proofs and "e^{" in proofs  # e^{z_k} only in σ's definition
    assert r"{\theta}_{" not in tex and r"\theta_{ij}" in tex
    assert r"\sigma_{k}" in proofs and r"\delta_{jk}" in proofs


def test_proof_chain_ends_in_the_claim(data: ReportData) -> None:
    for e in data.claims:
        if e.verdict.status != "proved":
            continue
        lines, remark = proof_chain(e)
        assert remark == ""
        assert report_latex(lines[-1][1]) == report_latex(e.claim.rhs), e.claim.name


def test_unknown_verdict_says_so() -> None:
    claim = cat.CLAIMS[0]
    from derive.engine.claims import Verdict

    entry = Entry(claim, Verdict(name=claim.name, status="unknown", residual=y[k] - y[j]))
    tex = render(ReportData(claims=[entry], mutants=[]))
    assert r"\verdict{unknown}" in tex and "could not reduce the difference" in tex
    assert r"\begin{proof}" not in tex  # no proof (and no end-of-proof mark) for an unknown
    assert r"\text{difference} &= y_{k} - y_{j}" in tex


STAMP = Stamp(date="1999-12-31", derive="9.9.9", commit="0123456789ab", sympy="1.0",
              numpy="2.0")
#: The title page's stamp lines (date, versions, commit): what differs between two runs.
STAMP_LINES = re.compile(rb"^\\newcommand\{\\report(?:date|derive|commit|sympy|numpy)\}.*$",
                         re.M)


def test_regenerating_gives_identical_bytes(tmp_path) -> None:
    """With the stamp injected, two writes are the same bytes; the stamp is printed, and no
    other date or timing is."""
    a = write_report(str(tmp_path / "a"), compile_pdf=False, stamp=STAMP)
    b = write_report(str(tmp_path / "b"), compile_pdf=False, stamp=STAMP)
    text_a = open(a["tex"], "rb").read()
    assert text_a == open(b["tex"], "rb").read()
    for word in ("1999-12-31", "9.9.9", "0123456789ab"):
        assert word.encode() in text_a
    body = STAMP_LINES.sub(b"", text_a)
    for word in ("seconds", "1999", r"\today"):
        assert word.encode() not in body
    assert not re.search(rb"20[0-9]{2}-[01][0-9]-[0-3][0-9]", body.split(b"thebibliography")[0])


def test_the_stamp_is_this_run_by_default() -> None:
    from derive.report.stamp import NO_GIT, current_stamp

    s = current_stamp()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", s.date)
    assert s.numpy == np.__version__ and s.sympy == sp.__version__
    assert s.commit == NO_GIT or re.fullmatch(r"[0-9a-f]{12}( \+ changes)?", s.commit)


def test_committed_report_is_up_to_date(tmp_path) -> None:
    committed = str(source_file("reports/softmax-regression.tex"))
    os.makedirs(tmp_path / "r")
    for name in ("bench.json", "fd-error.json"):  # measured data the report renders
        data = os.path.join(os.path.dirname(committed), name)
        if os.path.exists(data):
            with open(data, "rb") as src, open(tmp_path / "r" / name, "wb") as dst:
                dst.write(src.read())
    fresh = write_report(str(tmp_path / "r"), compile_pdf=False)
    # The kernel checks' errors are measured when the report is written; their decade
    # (``<10^{-9}`` or ``<10^{-8}``; ``0`` or ``<10^{-16}``) depends on the BLAS kernel of the
    # machine, so the cells of the check table are compared as placeholders here (the kernel
    # tests hold each error to its tolerance).
    measured = re.compile(rb"\$(?:0|<10\^\{-\d+\})\$")
    # the title page's stamp (date, versions, commit) is where and when it was written
    got = measured.sub(b"<MEASURED>", STAMP_LINES.sub(b"<STAMP>", open(fresh["tex"], "rb").read()))
    want = measured.sub(b"<MEASURED>", STAMP_LINES.sub(b"<STAMP>", open(committed, "rb").read()))
    assert got == want, (
        "the proofs changed: regenerate the report with `derive report` and commit it"
    )


def test_interrupted_write_keeps_the_old_file(tmp_path, monkeypatch) -> None:
    target = tmp_path / "r.tex"
    target.write_text("old")

    def boom(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(rcompile.os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        rcompile.atomic_write(target, "new")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["r.tex"]


def test_no_tex_engine_is_not_an_error(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(rcompile, "tex_engine", lambda: None)
    tex = tmp_path / "a.tex"
    tex.write_text("x")
    result = rcompile.compile_pdf(tex)
    assert result.pdf is None and not result.problems
    assert "install" in result.message and "latexmk" in result.message


def test_report_cli_writes_the_tex(tmp_path, capsys) -> None:
    from derive.cli import main

    assert main(["report", "--out", str(tmp_path), "--no-pdf"]) == 0
    assert (tmp_path / "softmax-regression.tex").exists()
    assert "softmax-regression.tex" in capsys.readouterr().out


def test_mutants_are_shown_refuted_with_a_table(data: ReportData) -> None:
    e = next(e for e in data.mutants if e.verdict.counterexample is not None)
    tex = render(ReportData(claims=[], mutants=[e]))
    assert r"\verdict{refuted}" in tex and "true value" in tex and "claimed" in tex
    assert prove(e.claim).status == "refuted"


def test_committed_fd_curves_match_a_fresh_measurement() -> None:
    """The committed ``fd-error.json`` is a measurement, not a made-up number: on the
    truncation side (error ∝ h², independent of the CPU's rounding) a fresh measurement on
    this machine agrees with it to two digits, and each curve has the V shape."""
    import json

    from derive.kernels import fd_error_curve

    path = source_file("reports/fd-error.json")
    committed = json.load(open(path))
    for dtype, smallest_h in (("float64", 1e-3), ("float32", 1e-1)):
        fresh = dict(fd_error_curve(dtype))
        old = {float(h): float(e) for h, e in committed[dtype]}
        assert sorted(fresh) == sorted(old)
        for h in fresh:
            if h >= smallest_h:
                assert fresh[h] == pytest.approx(old[h], rel=0.01), (dtype, h)
        errors = [old[h] for h in sorted(old, reverse=True)]
        bottom = errors.index(min(errors))
        assert 0 < bottom < len(errors) - 1, (dtype, errors)  # falls, then rises: a V


def test_written_files_are_readable_and_keep_their_mode(tmp_path) -> None:
    new = tmp_path / "new.tex"
    rcompile.atomic_write(new, "x")
    assert new.stat().st_mode & 0o777 == 0o644
    kept = tmp_path / "kept.tex"
    kept.write_text("old")
    kept.chmod(0o664)
    rcompile.atomic_write(kept, "new")
    assert kept.stat().st_mode & 0o777 == 0o664
