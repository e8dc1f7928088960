"""The formula as read (derive.latex.as_read) is printed in the notes' own letters: a bound
index the reader renamed internally (``k'7``) is shown as the notes' ``k``, and renamed to
another readable letter only where ``k`` would collide (free in the step, or bound by a sum
around or inside it). No internal name reaches a reader: not in the record's ``read``, not
in the annotated Markdown (issue 22, residual of the PNG review)."""

from __future__ import annotations

import re

import pytest
import sympy as sp

from derive.latex.as_read import as_read, readable_names
from derive.latex.verify import verify_file
from derive.report.notes_md import annotated_markdown

K = sp.Symbol("K", integer=True, positive=True)
t, a = sp.IndexedBase("t"), sp.IndexedBase("a")
k1, k2, k3 = (sp.Symbol(f"k'{n}", integer=True) for n in (7, 8, 9))
k, j = sp.Symbol("k", integer=True), sp.Symbol("j", integer=True)
INTERNAL = re.compile(r"[A-Za-z]+'\d")


def _limits(tex: str) -> list[str]:
    """The bound letters of the printed sums, in order."""
    return re.findall(r"\\sum_\{(.+?)=", tex)


CASES = [
    # (lhs, rhs, the bound letters printed, why)
    (sp.Sum(a[k1], (k1, 1, K)), sp.Integer(1), ["k"], "no collision: the notes' letter"),
    (sp.Sum(a[k1], (k1, 1, K)) * a[k], sp.Integer(1), ["i"], "k free on the left"),
    (sp.Sum(a[k1], (k1, 1, K)), a[k], ["i"], "k free on the other side"),
    (sp.Sum(a[k1] * sp.Sum(t[k2], (k2, 1, K)), (k1, 1, K)), sp.Integer(0), ["k", "i"],
     "nested sums of one stem: distinct letters"),
    (sp.Sum(a[k] * sp.Sum(t[k2], (k2, 1, K)), (k, 1, K)), sp.Integer(0), ["k", "i"],
     "the notes' own bound k around an internal one"),
    (sp.Sum(a[k1], (k1, 1, K)) - sp.Sum(t[k2], (k2, 1, K)), sp.Integer(0), ["k", "k"],
     "sibling sums: both the notes' k"),
    (sp.Sum(a[k1] * sp.Sum(t[k2] * sp.Sum(a[k3], (k3, 1, K)), (k2, 1, K)), (k1, 1, K))
     + a[sp.Symbol("i", integer=True)], sp.Integer(0), ["k", "j", "l"],
     "k's nest, i free: the next letters"),
]


@pytest.mark.parametrize("lhs, rhs, letters, why", CASES, ids=[c[3] for c in CASES])
def test_bound_letters_are_the_notes_unless_they_collide(lhs, rhs, letters, why):
    tex = as_read(lhs, rhs)
    assert not INTERNAL.search(tex), tex
    assert sorted(_limits(tex)) == sorted(letters), (why, tex)


def test_sums_differing_only_in_their_dummy_are_not_merged():
    # renaming by substitution would let SymPy cancel the two sums to 0
    lhs = sp.Sum(a[k1], (k1, 1, K)) - sp.Sum(a[k2], (k2, 1, K))
    tex = as_read(lhs, sp.Integer(1))
    assert tex.count(r"\sum_{k=1}^{K}") == 2 and not tex.startswith("0 ="), tex


def test_the_notes_spelling_of_the_stem_is_used():
    ell = sp.Symbol("ell'4", integer=True)
    tex = as_read(sp.Sum(a[ell], (ell, 1, K)), sp.Integer(0), {"ell": r"\ell"})
    assert r"\sum_{\ell=1}^{K}" in tex, tex


def test_every_letter_taken_falls_back_to_primes_never_an_internal_name():
    free = sp.symbols(" ".join("ijklmnpqrsuvwabcdefgh"), integer=True)
    names = readable_names((sp.Sum(a[k1], (k1, 1, K)) + sum(free),))
    assert names == {k1: "k'"}


def test_size_one_range_and_empty_step():
    assert readable_names(()) == {}
    assert as_read(sp.Sum(a[k1], (k1, 1, 1)), a[1]) .startswith(r"\sum_{k=1}^{1}")


HEAD = "% derive: size K\n% derive: index i, j, k in 1..K\n% derive: tensor t_k, a_k\n"


def test_a_refuted_step_reads_in_the_notes_letters_in_record_and_markdown(tmp_path):
    src = HEAD + "$$\\sum_{k=1}^K t_k a_j = \\sum_{k=1}^K t_k a_k$$\n"
    p = tmp_path / "n.md"
    p.write_text(src, encoding="utf-8")
    (rec,) = verify_file(str(p))
    assert rec["verdict"] == "refuted", rec
    assert not INTERNAL.search(rec["read"]), rec["read"]
    assert r"\sum_{k=1}^{K}" in rec["read"], rec["read"]
    md = annotated_markdown(str(p), src, [rec])
    assert "read as" in md and rec["read"] in md
    assert not INTERNAL.search(md), md


def test_a_free_renamed_index_gets_a_letter_no_other_symbol_of_the_step_has():
    # ∂/∂ω_{k,d} Σ_d ω_{k,d} x_d: the notes bind d in the sum, the reader renamed the free d
    w, xx = sp.IndexedBase("omega"), sp.IndexedBase("x")
    d, d1, D = sp.Symbol("d", integer=True), sp.Symbol("d'1", integer=True), sp.Symbol("D")
    lhs = sp.Derivative(sp.Sum(w[k, d] * xx[d], (d, 1, D)), w[k, d1])
    tex = as_read(lhs, xx[d1])
    assert not INTERNAL.search(tex), tex
    free_letter = re.search(r"\{x\}_\{(\w)\}$", tex).group(1)
    assert free_letter not in {"d", "k"}, tex  # d is the sum's, k is free already
    # alone, it is printed with the notes' letter
    assert as_read(xx[d1], xx[d1]) == "{x}_{d} = {x}_{d}"
