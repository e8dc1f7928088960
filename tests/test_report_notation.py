"""The report reads each family's notation: no model letter is matched in derive/report."""

from __future__ import annotations

import ast
import pathlib

import pytest
import sympy as sp

import derive.report
from derive.models import FAMILIES
from derive.models.family import Fold, Notation
from derive.report.fold import fold, merge, tidy_dummies
from derive.report.printer import ReportPrinter
from derive.report.style import Style

REPORT = pathlib.Path(derive.report.__file__).parent  # the package under test


def _quantity_names() -> set[str]:
    names: set[str] = set()
    for fam in FAMILIES:
        for f in fam.notation.folds:
            for e in (f.symbol, f.form):
                names |= {str(b.label) for b in e.atoms(sp.IndexedBase)}
                names |= {s.name for s in e.free_symbols if isinstance(s, sp.Symbol)}
    return names


@pytest.mark.parametrize("path", sorted(REPORT.glob("*.py")), ids=lambda p: p.name)
def test_report_modules_name_no_model(path: pathlib.Path) -> None:
    """No report module imports a family module or compares with a quantity's name
    (docstring examples may use a family, as a reader would)."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            assert node.module in ("derive.models", "derive.models.family") or not \
                node.module.startswith("derive.models"), (path.name, node.module)
    quantities = _quantity_names() - {"d", "c", "k", "l", "n", "p", "q", "s", "j", "i", "m"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for side in [node.left, *node.comparators]:
                if isinstance(side, ast.Constant) and isinstance(side.value, str):
                    assert side.value not in quantities, (path.name, side.value)
        if isinstance(node, ast.Dict):
            for k in node.keys:
                if isinstance(k, ast.Constant) and isinstance(k.value, str):
                    assert k.value not in quantities, (path.name, k.value)


def test_every_family_declares_a_notation() -> None:
    for fam in FAMILIES:
        assert isinstance(fam.notation, Notation), fam.name
        assert fam.notation.prose and fam.notation.folds, fam.name


# ----------------------------------------------------------------------------- folds
a, u, sig = sp.IndexedBase("a"), sp.IndexedBase("u"), sp.IndexedBase("g")
tot, s = sp.Symbol("tot"), sp.Symbol("s")
q, r, d, e, m = sp.symbols("q r d e m", integer=True)
M = sp.Symbol("M", integer=True, positive=True)
TOTAL = Fold(tot, sp.Sum(a[q], (q, 1, M)))
SOFT = Fold(sig[q], sp.exp(u[q]) / sp.Sum(sp.exp(u[r]), (r, 1, M)))
LOGISTIC = Fold(s, 1 / (1 + sp.exp(-tot)))


@pytest.mark.parametrize(
    ("expr", "folds", "expected"),
    [
        # a pattern: any name for the summation index; not over another range
        (sp.Sum(a[d], (d, 1, M)), (TOTAL,), tot),
        (sp.Sum(a[d], (d, 1, M + 1)), (TOTAL,), sp.Sum(a[d], (d, 1, M + 1))),
        (sp.Sum(a[d], (d, 2, M)), (TOTAL,), sp.Sum(a[d], (d, 2, M))),
        # part of a larger sum, or negated
        (sp.Sum(a[d], (d, 1, M)) + 3, (TOTAL,), tot + 3),
        (-sp.Sum(a[d], (d, 1, M)), (TOTAL,), -tot),
        # a later fold uses an earlier one; a power of the form's base is a power
        (1 / (1 + sp.exp(-sp.Sum(a[d], (d, 1, M)))), (TOTAL, LOGISTIC), s),
        ((1 + sp.exp(-tot)) ** -2 * sp.exp(-tot), (LOGISTIC,), s**2 * sp.exp(-tot)),
        (sp.log(1 + sp.exp(-tot)), (LOGISTIC,), sp.log(1 + sp.exp(-tot))),  # softplus kept
        # a normalised exponential: at any index, in products, not with another range
        (sp.exp(u[e]) / sp.Sum(sp.exp(u[d]), (d, 1, M)), (SOFT,), sig[e]),
        (sp.exp(u[e] + u[m]) / sp.Sum(sp.exp(u[d]), (d, 1, M)) ** 2, (SOFT,), sig[e] * sig[m]),
        (sp.exp(u[e]) / sp.Sum(sp.exp(u[d]), (d, 1, M + 1)), (SOFT,),
         sp.exp(u[e]) / sp.Sum(sp.exp(u[d]), (d, 1, M + 1))),
        (sp.exp(u[e]) / sp.Sum(sp.exp(2 * u[d]), (d, 1, M)), (SOFT,),
         sp.exp(u[e]) / sp.Sum(sp.exp(2 * u[d]), (d, 1, M))),
    ],
)
def test_fold_cases(expr: sp.Expr, folds: tuple[Fold, ...], expected: sp.Expr) -> None:
    assert fold(expr, Notation(folds=folds)) == expected


def test_a_hole_never_captures_a_bound_index() -> None:
    """``Σ_d b_{dd}``: the form ``b_{dq}`` summed over d must not fold with q := d."""
    b = sp.IndexedBase("b")
    z = sp.IndexedBase("z")
    notation = Notation(folds=(Fold(z[q], sp.Sum(b[r, q], (r, 1, M))),))
    assert fold(sp.Sum(b[d, e], (d, 1, M)), notation) == z[e]
    assert fold(sp.Sum(b[d, d], (d, 1, M)), notation) == sp.Sum(b[d, d], (d, 1, M))


def test_merged_notations_keep_each_family_apart() -> None:
    both = merge(f.notation for f in FAMILIES)
    assert len(both.folds) == sum(len(f.notation.folds) for f in FAMILIES)


def test_printer_names_and_order_come_from_the_notation() -> None:
    w, x = sp.IndexedBase("w"), sp.IndexedBase("x")
    i = sp.Symbol("i", integer=True)
    plain = ReportPrinter().doprint(x[i] * w[i])
    ordered = ReportPrinter(notation=Notation(factor_order=((x,), (w,)),
                                              names={"w": r"\omega"})).doprint(x[i] * w[i])
    assert plain == "w_{i} x_{i}" and ordered == r"x_{i} \omega_{i}"
    assert tidy_dummies(sp.Sum(x[d], (d, 1, M)), Notation(dummies={M: "i"})) == sp.Sum(
        x[i], (i, 1, M))


def test_assumption_kinds_are_written_generically() -> None:
    from derive.engine.claims import sums_to_one

    Y = sp.IndexedBase("Y", shape=(sp.Symbol("N"), M))
    style = Style(Notation(letters={M: "k", sp.Symbol("N"): "n"}))
    assert style.assumption(sums_to_one(Y)) == (
        r"\sum_{k=1}^{M} Y_{nk} = 1 \text{ for every } n")


def test_a_new_family_gets_its_part_from_its_declarations_alone(monkeypatch) -> None:
    """A family the report has never seen: its module's declarations (claims, notation)
    are all the report needs for a part of its own, in its own notation."""
    import derive.models as models
    from derive.engine import Scope
    from derive.engine.prover import prove
    from derive.models.family import Entry, Family, catalogue
    from derive.report.data import Entry as Shown
    from derive.report.data import ReportData
    from derive.report.document import render

    size = sp.Symbol("M", integer=True, positive=True)
    h = sp.IndexedBase("h", shape=(size,))
    total, i_ = sp.Symbol("H"), sp.Symbol("i", integer=True)
    scope = Scope(index_ranges={i_: (sp.Integer(1), size), q: (sp.Integer(1), size)})
    claims, mutants = catalogue([Entry(
        "toy_total_grad", sp.Derivative(total, h[i_]), sp.exp(h[i_]),
        defs={total: lambda: sp.Sum(sp.exp(h[q]), (q, 1, size))},
        description="a toy claim", wrong={"drops the exponential": (sp.Integer(1), None)})],
        scope)
    toy = Family(name="toy", title="A toy family", scope=scope, claims=claims,
                 mutants=mutants, notation=Notation(
                     folds=(Fold(total, sp.Sum(sp.exp(h[q]), (q, 1, size))),),
                     prose="The toy prose, declared by the family.",
                     dummies={size: "r"}))
    monkeypatch.setattr(models, "FAMILIES", (*models.FAMILIES, toy))
    data = ReportData(claims=[Shown(c, prove(c)) for c in claims],
                      mutants=[Shown(m, prove(m)) for m in mutants], kernel_rows=[])
    tex = render(data)
    part = tex[tex.index(r"\section{A toy family}") :]
    assert "The toy prose, declared by the family." in part
    assert r"\verdict{proved}" in part and r"\begin{proof}" in part
    assert r"\frac{\partial H}{\partial h_{i}} = e^{h_{i}}" in part  # H folded back
    assert r"\verdict{refuted}" in part and r"\label{cex:toy-total-grad}" in part
    assert "This family declares no kernels yet" in part


@pytest.mark.parametrize(
    ("label", "tex"),
    [
        ("without y ∈ {0, 1}", r"without $y \in \{0, 1\}$"),
        ("σ' kept: s(1 − s)(s − y)", r"$\sigma '$ kept: $s(1 - s)(s - y)$"),
        ("odd ⊗ symbol", "odd $?$ symbol"),  # never a raw non-ASCII character for pdflatex
    ],
)
def test_variant_labels_are_safe_mathematics(label: str, tex: str) -> None:
    from derive.report.sources import variant_tex

    assert variant_tex(label) == tex


_s, _y, _t = sp.symbols("s y t")


@pytest.mark.parametrize("expr, tex", [
    # a log is the last factor: "\log(1 - s)(1 - y)" reads as the log of a product
    (sp.log(1 - _s) * (1 - _y), r"\left(1 - y\right) \log \left(1 - s\right)"),
    (2 * sp.log(_s) * (1 - _y), r"2 \left(1 - y\right) \log s"),
    (_y * sp.log(_s), r"y \log s"),
    # a log inside a sum's argument or a log's argument stays where it is
    (sp.log((1 - _s) * (1 - _y)), r"\log \left(\left(1 - s\right) \left(1 - y\right)\right)"),
    (sp.log(_s) + (1 - _y), None),
])
def test_a_log_factor_is_printed_last(expr, tex) -> None:
    from derive.report.printer import report_latex

    got = report_latex(expr)
    if tex is not None:
        assert got == tex
    else:  # a sum, not a product: no factor moves
        assert got.count(r"\log s") == 1 and r"\log s \left" not in got
