"""The reader's own reasons (issue 18): each misreading is caught by a test of its mechanism.

Six reader mechanisms once had tests that asserted only "not proved". With the mechanism
broken, the independent referee still refused the misread step, so the verdict became
``unknown (not confirmed by the referee)`` and those tests passed: only the whole suite
caught the break, by accident. Here each mechanism is checked by the reason it gives, and,
where it decides a verdict, by the verdict the reader reaches with the referee standing
aside (``REFEREE`` replaced by a judge that lets every record stand): the reading itself,
not the safety net. Each has its counterpart where the rule must not act.
"""

from __future__ import annotations

from typing import Any

import pytest

from derive.latex import verify as V

SETS = "% derive: size K\n% derive: index j, k in 1..K\n% derive: tensor z_k\n"
CASES = "% derive: size K\n% derive: index i, j, k in 1..K\n% derive: tensor z_k\n"


def _records(tmp_path, text: str) -> list[dict[str, Any]]:
    p = tmp_path / "n.md"
    p.write_text(text, encoding="utf-8")
    return V.verify_file(str(p))


def _unrefereed(tmp_path, monkeypatch, text: str) -> list[dict[str, Any]]:
    """The records with the referee standing aside: the reader's and engine's own verdict."""
    monkeypatch.setattr(V, "REFEREE", lambda directives, *more: lambda rec, *args: rec)
    return _records(tmp_path, text)


def _both(tmp_path, monkeypatch, text: str) -> list[list[dict[str, Any]]]:
    """The records with the referee, then without it."""
    with_referee = _records(tmp_path, text)
    return [with_referee, _unrefereed(tmp_path, monkeypatch, text)]


def _cases(*rows: str) -> str:
    return r"\begin{cases} " + r" \\ ".join(rows) + r" \end{cases}"


# --- summation domains (derive/latex/elaborate_sums.py) -----------------------------------

@pytest.mark.parametrize("step", [
    # true under the set's reading, false under the declared range: either reading would
    # decide it, so only the reason tells the ambiguity was seen
    r"\sum_{k \in \{2,\ldots,K\}}^{K} z_k = \sum_{k=1}^K z_k - z_1",
    r"\sum_{k \in [K]}^{K} z_k = \sum_{k=1}^K z_k",
    r"\prod_{k \in \{1,\ldots,K\}}^{K} z_k = \prod_{k=1}^K z_k",
])
def test_a_set_sum_with_an_upper_limit_is_ambiguous(tmp_path, monkeypatch, step):
    for recs in _both(tmp_path, monkeypatch, SETS + f"$${step}$$\n"):
        assert [r["verdict"] for r in recs] == ["unknown"], recs
        assert "over a set that also carries an upper limit" in recs[0]["note"], recs


@pytest.mark.parametrize("step", [
    r"\sum_{k \in \{2,\ldots,K\}} z_k + z_1 = \sum_{k=1}^K z_k",   # the set alone
    r"\sum_{k=2}^{K} z_k + z_1 = \sum_{k=1}^K z_k",                  # the limits alone
    r"\sum_{k \in [K]} z_k = \sum_{k=1}^K z_k",
])
def test_a_set_or_limits_alone_are_read(tmp_path, monkeypatch, step):
    for recs in _both(tmp_path, monkeypatch, SETS + f"$${step}$$\n"):
        assert [r["verdict"] for r in recs] == ["proved"], recs


@pytest.mark.parametrize("elements", [
    r"1, 2, 4, \ldots, K",        # steps 1 then 2
    r"1, 3, 4, \ldots, K",        # steps 2 then 1
    r"K, K-1, K-3, \ldots, 1",    # descending, uneven
])
def test_elements_before_ldots_that_step_unevenly_are_not_read(tmp_path, monkeypatch,
                                                                 elements):
    step = rf"\sum_{{k \in \{{{elements}\}}}} z_k = \sum_{{k=1}}^K z_k"
    for recs in _both(tmp_path, monkeypatch, SETS + f"$${step}$$\n"):
        assert [r["verdict"] for r in recs] == ["unknown"], recs
        assert "not an arithmetic progression" in recs[0]["note"], recs


@pytest.mark.parametrize("step", [
    r"\sum_{k \in \{1, 3, \ldots, 2K-1\}} 1 = K",          # one step of 2
    r"\sum_{k \in \{1, 2, \ldots, K\}} z_k = \sum_{k=1}^K z_k",
    r"\sum_{k \in \{K, K-1, \ldots, 1\}} z_k = \sum_{k=1}^K z_k",
])
def test_elements_before_ldots_that_step_evenly_are_read(tmp_path, monkeypatch, step):
    for recs in _both(tmp_path, monkeypatch, SETS + f"$${step}$$\n"):
        assert [r["verdict"] for r in recs] == ["proved"], recs


@pytest.mark.parametrize("step", [
    r"\sum_{k \in \{1, 3, 5, \ldots, 2K-1\}} 1 = K",       # three elements, even steps
    r"\sum_{k \in \{1, 2, 3, \ldots, K\}} z_k = \sum_{k=1}^K z_k",
    r"\sum_{k \in \{K, K-1, K-2, \ldots, 1\}} z_k = \sum_{k=1}^K z_k",
])
def test_three_elements_that_step_evenly_are_read(tmp_path, monkeypatch, step):
    """The reader reads them (the referee may abstain: at K = 1 the listed elements pass
    the last one, so the set is not what it says)."""
    recs = _unrefereed(tmp_path, monkeypatch, SETS + f"$${step}$$\n")
    assert [r["verdict"] for r in recs] == ["proved"], recs


# --- a condition the prose states beside a display (derive/latex/verify_gates.py) ---------

# The display carries a condition of its own (', \quad i = i'), so the prose's condition is
# not applied as a 'where' line: the step is checked as written, and its counterexample
# (j = k) is where the prose says the step is not claimed.
GATED = CASES + "Case 2: \\(j \\neq k\\)\n$$\\delta_{jk} z_i = 0, \\quad i = i$$\n"


def test_a_refutation_breaking_the_prose_condition_is_unknown_naming_it(tmp_path,
                                                                         monkeypatch):
    for recs in _both(tmp_path, monkeypatch, GATED):
        assert [r["verdict"] for r in recs] == ["unknown"], recs
        assert "the prose beside this display states j \\neq k" in recs[0]["note"], recs
        assert "counterexample" not in recs[0], recs


@pytest.mark.parametrize("text", [
    GATED.replace("Case 2: \\(j \\neq k\\)\n", ""),                    # no condition
    GATED.replace("Case 2: \\(j \\neq k\\)\n", "Case 1: \\(j = k\\)\n"),  # the cex keeps it
    GATED.replace("Case 2: \\(j \\neq k\\)\n", "Case 2: \\(j \\neq k\\).\n\nNext.\n"),
])
def test_without_that_condition_the_refutation_stands(tmp_path, monkeypatch, text):
    for recs in _both(tmp_path, monkeypatch, text):
        assert [r["verdict"] for r in recs] == ["refuted"], recs


# --- a quantity the notes define but derive cannot read (derive/latex/dependence.py) -------

UNREAD = [
    # (two short-hands on one \qquad line are read now: test_construct_spellings)
    # a definition followed by a relation derive does not check
    r"$$t_i = \frac{e^{x_i}}{\sum_{j=1}^n e^{x_j}} \geq 0$$",
]


@pytest.mark.parametrize("definition", UNREAD)
def test_a_refutation_of_a_quantity_the_notes_define_is_unknown(tmp_path, monkeypatch,
                                                                  definition):
    """Σ t_i = 1 holds by construction: a counterexample giving t any value refutes a true
    step; Σ t_i = 2 is false, but not at the values such a counterexample draws."""
    text = definition + "\n\n$$\\sum_{i=1}^n t_i = 1$$\n\n$$\\sum_{i=1}^n t_i = 2$$\n"
    for recs in _both(tmp_path, monkeypatch, text):
        last = recs[-2:]
        assert [r["verdict"] for r in last] == ["unknown", "unknown"], recs
        for r in last:
            assert "t is defined at line 1 but derive read no definition" in r["note"], r


def test_a_quantity_declared_as_data_is_refuted_at_any_value(tmp_path, monkeypatch):
    # t is data, not defined: a claim of algebra about it is refuted (n = 2, t = (0, 1)
    # gives 1 vs 0); against a number alone it may state what t is (input_relations)
    text = ("% derive: size n\n% derive: index i, j in 1..n\n% derive: tensor t_i, x_i\n"
            "$$\\sum_{i=1}^n t_i = n t_1$$\n\n$$\\sum_{i=1}^n t_i = 1$$\n")
    for recs in _both(tmp_path, monkeypatch, text):
        assert [r["verdict"] for r in recs] == ["refuted", "unknown"], recs


# --- cases rows (derive/latex/verify_readings.py, elaborate_cases.py) ---------------------

@pytest.mark.parametrize("rows", [
    (r"1 & \text{if } j = k", r"2 & \text{if } j = k", r"0 & \text{otherwise}"),
    (r"2 & \text{if } j = k", r"1 & \text{if } j = k", r"0 & \text{otherwise}"),
    (r"1 & j = k", r"2 & k = j", r"0 & \text{otherwise}"),
])
def test_overlapping_rows_that_disagree_are_never_proved_by_one_of_them(
        tmp_path, monkeypatch, rows):
    text = CASES + f"$$\\frac{{\\partial z_k}}{{\\partial z_j}} = {_cases(*rows)}$$\n"
    for recs in _both(tmp_path, monkeypatch, text):
        assert [r["verdict"] for r in recs] == ["unknown"], recs
        assert "the step does not hold under every one of them" in recs[0]["note"], recs


def test_overlapping_rows_that_agree_are_proved_under_every_one(tmp_path, monkeypatch):
    rows = (r"1 & \text{if } j = k", r"1 & \text{if } k = j", r"0 & \text{otherwise}")
    text = CASES + f"$$\\frac{{\\partial z_k}}{{\\partial z_j}} = {_cases(*rows)}$$\n"
    for recs in _both(tmp_path, monkeypatch, text):
        assert [r["verdict"] for r in recs] == ["proved"], recs
        assert "the step holds under every row that applies" in recs[0]["note"], recs


@pytest.mark.parametrize("lhs, rows", [
    (r"\delta_{jk}", (r"1 & \text{if } j = k",)),           # true where a row applies
    (r"0", (r"0 & j \neq k",)),
    (r"\frac{\partial z_k}{\partial z_j}", (r"1 & j = k",)),
    (r"z_i", (r"z_i & i = j", r"z_i & i = k")),            # j = k = i is covered, i ≠ j, k not
])
def test_rows_that_leave_a_gap_are_never_zero_there(tmp_path, monkeypatch, lhs, rows):
    text = CASES + f"$${lhs} = {_cases(*rows)}$$\n"
    for recs in _both(tmp_path, monkeypatch, text):
        assert [r["verdict"] for r in recs] == ["unknown"], recs
        assert "do not cover every index value" in recs[0]["note"], recs


@pytest.mark.parametrize("rows", [
    (r"1 & \text{if } j = k", r"0 & \text{otherwise}"),
    (r"1 & j = k", r"0 & j \neq k"),                       # covered without 'otherwise'
])
def test_rows_that_cover_every_value_are_read(tmp_path, monkeypatch, rows):
    text = CASES + f"$$\\delta_{{jk}} = {_cases(*rows)}$$\n"
    for recs in _both(tmp_path, monkeypatch, text):
        assert [r["verdict"] for r in recs] == ["proved"], recs
