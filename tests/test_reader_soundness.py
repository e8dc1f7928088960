"""Issue 18, the reader's mechanisms: one character table, a fault barrier per step, TeX's
double-script rule, and the entry-by-entry reading of a derivative by a matrix entry.

Each mechanism is tested where it must act and where it must not (another dash, another
size, a colliding name, another spelling)."""

from __future__ import annotations

import pytest

from derive.latex.charmap import normalize, read_char
from derive.latex.verify import verify_file

SOFTMAX = r"""% derive: size K, D
% derive: index i, d in 1..D
% derive: index j, k, c in 1..K
% derive: tensor x_d, y_k, \theta_{dk}
% derive: assume \sum_{k=1}^K y_k = 1
% derive: let z_k = \sum_{i=1}^D \theta_{ik} x_i
% derive: let s_k = \frac{e^{z_k}}{\sum_{c=1}^K e^{z_c}}
% derive: let L = -\sum_{k=1}^K y_k \log s_k
"""


def verdicts(tmp_path, text: str, name: str = "n.md") -> list[dict]:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return verify_file(str(p))


def kinds(recs: list[dict]) -> list[str]:
    return [r["verdict"] for r in recs]


# --- the character table -------------------------------------------------------------

DASHES = ["\u2212", "\u2013", "\u2014", "\u2010", "\u2011", "\u2012", "\ufe63", "\uff0d"]


@pytest.mark.parametrize("dash", DASHES, ids=[f"U+{ord(d):04X}" for d in DASHES])
def test_every_pasted_minus_is_a_minus(tmp_path, dash):
    recs = verdicts(tmp_path, f"$$5 {dash} 3 = 2$$\n\n$$5 {dash} 3 = 8$$\n\n$$5 {dash} 3 {dash} 1 = 1$$\n")
    assert kinds(recs) == ["proved", "refuted", "proved"]


def test_minus_inside_a_definition_is_a_minus(tmp_path):
    text = ("% derive: scalar t\n% derive: let \\sigma(t) = \\frac{1}{1+e^{\u2212t}}\n"
            "$$\\frac{d \\sigma(t)}{dt} = \\sigma(t)(1-\\sigma(t))$$\n\n"
            "$$\\frac{d \\sigma(t)}{dt} = -\\sigma(t)(1-\\sigma(t))$$\n")
    assert kinds(verdicts(tmp_path, text)) == ["proved", "refuted"]


def test_a_plus_is_still_a_plus(tmp_path):
    # the table must not turn other signs into minus: full-width plus is a plus
    recs = verdicts(tmp_path, "$$5 \uff0b 3 = 8$$\n\n$$5 + 3 = 8$$\n\n$$5 \uff0b 3 = 2$$\n")
    assert kinds(recs) == ["proved", "proved", "refuted"]


@pytest.mark.parametrize("op", ["\u00d7", "\u00b7", "\u22c5", "\u2219", "\\times", "\\cdot"])
def test_products(tmp_path, op):
    assert kinds(verdicts(tmp_path, f"$$2 {op} 3 = 6$$\n\n$$2 {op} 3 = 5$$\n")) == [
        "proved", "refuted"]


def test_superscript_characters_are_powers_not_digits(tmp_path):
    # NFKC alone reads 2³ as 23: the table reads a run of superscripts as one exponent
    recs = verdicts(tmp_path, "$$2\u00b3 = 8$$\n\n$$2\u00b3 = 23$$\n\n$$2\u00b9\u2070 = 1024$$\n\n"
                    "$$2\u207b\u00b9 = \\frac{1}{2}$$\n")
    assert kinds(recs) == ["proved", "refuted", "proved", "proved"]


def test_greek_and_operators_read_as_their_commands(tmp_path):
    head = ("% derive: size K\n% derive: index j, k, c in 1..K\n% derive: tensor z_k\n"
            "% derive: let \\sigma_k = \\frac{e^{z_k}}{\\sum_{c=1}^K e^{z_c}}\n")
    text = head + ("$$\u03c3_k = \\sigma_k$$\n\n"
                   "$$\u2211_{k=1}^K z_k = \\sum_{k=1}^K z_k$$\n\n"
                   "$$\\frac{\u2202 \u03c3_k}{\u2202 z_j} = \\sigma_k (\\delta_{jk} \u2212 \u03c3_j)$$\n\n"
                   "$$\u2211_{k \u2208 [K]} z_k = \\sum_{k=1}^K z_k$$\n\n"
                   "$$\\frac{\u2202 \u03c3_k}{\u2202 z_j} = \\sigma_k (\\delta_{jk} + \u03c3_j)$$\n")
    assert kinds(verdicts(tmp_path, text)) == ["proved", "proved", "proved", "proved",
                                               "refuted"]


def test_varepsilon_and_epsilon_stay_two_letters():
    # unicode-math: ε (U+03B5) is \varepsilon, ϵ (U+03F5) is \epsilon
    assert read_char("\u03b5").strip() == "\\varepsilon"
    assert read_char("\u03f5").strip() == "\\epsilon"


def test_styled_letters_keep_their_style():
    assert read_char("\U0001d7d9") == "\\mathbb{1}"   # 𝟙, not the digit 1
    assert read_char("\U0001d431") == "\\mathbf{x}"   # 𝐱
    assert read_char("\U0001d465") == "x"             # 𝑥 (italic is the default)
    assert read_char("\u211d") == "\\mathbb{R}"       # ℝ


@pytest.mark.parametrize("char", ["\u2295", "\u039a", "\u00bd", "\u0302", "\u2603"],
                         ids=["oplus", "greek-Kappa-homoglyph", "one-half", "combining-hat",
                              "snowman"])
def test_a_character_not_in_the_table_is_a_located_unknown(tmp_path, char):
    text = ("% derive: size K\n% derive: index j, k in 1..K\n% derive: tensor z_k\n"
            f"$$z_k + {char} = z_k$$\n\n$$z_j + z_k = z_k + z_j$$\n")
    recs = verdicts(tmp_path, text)
    assert kinds(recs) == ["unknown", "proved"]
    assert "n.md:4:9: unknown character" in recs[0]["note"], recs[0]["note"]
    assert f"U+{ord(char):04X}" in recs[0]["note"]


def test_columns_after_a_mapped_character_are_the_files(tmp_path):
    # σ becomes \sigma (6 characters): the error after it still points at the file's column
    text = "% derive: size K\n% derive: index k in 1..K\n% derive: tensor z_k\n$$\u03c3 = \\foo$$\n"
    recs = verdicts(tmp_path, text)
    assert "n.md:4:7: unsupported command \\foo" in recs[0]["note"], recs[0]["note"]


def test_normalize_maps_each_output_character_to_its_source():
    out, back = normalize("a\u2212\u03b2")
    assert out == "a-\\beta "
    assert back == [0, 1] + [2] * 6
    assert normalize("plain ascii") == ("plain ascii", list(range(11)))


# --- the character table runs before anything reads the text (one entry point) ----------

@pytest.mark.parametrize("dots", ["\\dots", "\u2026", "\u22ef"])
def test_a_pasted_ellipsis_before_an_equation_tag_is_part_of_the_tag(tmp_path, dots):
    # "… ③" as the tag of a line: the tag (with its dots) is not mathematics
    text = f"$$5 - 3 = 2 {dots} \\textcircled{{3}}$$\n\n$$5 - 3 = 8 {dots} \\textcircled{{4}}$$\n"
    assert kinds(verdicts(tmp_path, text)) == ["proved", "refuted"]


@pytest.mark.parametrize("neq", ["\\neq", "\\ne", "\u2260"])
def test_a_pasted_neq_in_a_line_condition_is_the_condition(tmp_path, neq):
    head = "% derive: size K\n% derive: index i, j in 1..K\n"
    # true only where i != j: read without its condition the step would be refuted at i = j
    text = head + f"$$\\delta_{{ij}} = 0, \\quad i {neq} j$$\n\n$$\\delta_{{ij}} = 1, \\quad i {neq} j$$\n"
    assert kinds(verdicts(tmp_path, text)) == ["proved", "refuted"]


AUTO = "% derive: auto\n% derive: size K\n% derive: index k in 1..K\n% derive: tensor z_k\n"


@pytest.mark.parametrize("sigma", ["\\sum", "\u2211"])
def test_auto_reads_a_pasted_sum_in_a_definition(tmp_path, sigma):
    # the definition is the first member of a chain: its text ends where the second '=' is
    # found, an offset into the text as the table reads it
    text = AUTO + (f"$$S = {sigma}_{{k=1}}^K 2 z_k = 2 {sigma}_{{k=1}}^K z_k$$\n\n"
                   f"$$S = {sigma}_{{k=1}}^K z_k$$\n")
    recs = verdicts(tmp_path, text)
    # the first equation of S only introduces it: a definition
    assert kinds(recs) == ["definition", "proved", "refuted"], recs


@pytest.mark.parametrize("theta", ["\\theta", "\u03b8"])
def test_auto_reads_a_pasted_greek_letter_in_a_definition(tmp_path, theta):
    text = AUTO + (f"% derive: scalar \\theta\n$$S = {theta} + 1 = 1 + {theta}$$\n\n"
                   f"$$S = {theta}$$\n")
    recs = verdicts(tmp_path, text)
    # the first equation of S only introduces it: a definition
    assert kinds(recs) == ["definition", "proved", "refuted"], recs


@pytest.mark.parametrize("ell", ["\\ell", "\u2113"])
def test_a_pasted_ell_is_the_ell_used_later(tmp_path, ell):
    text = AUTO + f"$${ell}(z) = z_1 + 1$$\n\n$$\\ell(z) - 1 = z_1$$\n\n$$\\ell(z) = z_1$$\n"
    recs = verdicts(tmp_path, text)
    assert kinds(recs)[-2:] == ["proved", "refuted"], recs


@pytest.mark.parametrize("theta", ["\\theta", "\u03b8"])
def test_a_pasted_letter_in_a_declaration_is_the_letter_in_the_math(tmp_path, theta):
    # scalar θ declares \theta: the definition auto makes of S uses it
    text = AUTO + f"% derive: scalar {theta}\n$$S = \\theta + 1 = 1 + \u03b8$$\n\n$$S = \u03b8$$\n"
    assert kinds(verdicts(tmp_path, text)) == ["definition", "proved", "refuted"]


def test_positions_survive_the_table_and_a_macro(tmp_path):
    # σ (one character, \sigma after the table) then a macro: the error after both is
    # reported at the file's own column
    text = ("\\newcommand{\\ones}{1}\n% derive: size K\n% derive: index k in 1..K\n"
            "$$\u03c3 + \\ones = \\foo$$\n")
    recs = verdicts(tmp_path, text, "n.tex")
    assert "n.tex:4:15: unsupported command \\foo" in recs[0]["note"], recs[0]["note"]


# --- fault barrier ---------------------------------------------------------------------

def test_an_overflow_in_one_step_leaves_the_rest_checked(tmp_path):
    text = ("$$e^{e^{e^{e^{10}}}} = 1$$\n\n$$2 + 2 = 4$$\n\n$$2 + 2 = 5$$\n")
    recs = verdicts(tmp_path, text)
    assert kinds(recs) == ["unknown", "proved", "refuted"]
    assert "OverflowError" in recs[0]["note"]


def test_any_exception_in_a_step_is_that_steps_unknown(tmp_path, monkeypatch):
    from derive.latex import verify as V

    real = V._Checker.step
    calls = []

    def flaky(self, number, step, *a, **k):
        calls.append(number)
        if number == 1:
            raise RecursionError("maximum recursion depth exceeded")
        return real(self, number, step, *a, **k)

    monkeypatch.setattr(V._Checker, "step", flaky)
    recs = verdicts(tmp_path, "$$1 + 1 = 2$$\n\n$$2 + 2 = 4$$\n\n$$2 + 2 = 5$$\n")
    assert kinds(recs) == ["unknown", "proved", "refuted"]
    assert "recursion limit" in recs[0]["note"]


def test_an_exception_while_reading_a_block_is_that_blocks_unknown(tmp_path, monkeypatch):
    from derive.latex import blocks as B  # every block is parsed there, once

    real = B.parse_block

    def flaky(text, *a, **k):
        if "7" in text:
            raise ZeroDivisionError("boom")
        return real(text, *a, **k)

    monkeypatch.setattr(B, "parse_block", flaky)
    recs = verdicts(tmp_path, "$$7 = 7$$\n\n$$2 + 2 = 4$$\n")
    assert kinds(recs) == ["unknown", "proved"]
    assert "ZeroDivisionError" in recs[0]["note"]


# --- double scripts ----------------------------------------------------------------------

@pytest.mark.parametrize("block, col, kind", [
    ("2^3^2 = 512", 7, "superscript"), ("2^3^2 = 64", 7, "superscript"),
    ("z_1_2 = 1", 7, "subscript"), ("z^2_1^3 = 1", 9, "superscript"),
    ("z^{2}' = 1", 8, "superscript"), ("\\sum_k_j z_k = 1", 10, "subscript"),
])
def test_double_scripts_are_texs_error(tmp_path, block, col, kind):
    text = ("% derive: size K\n% derive: index j, k in 1..K\n% derive: tensor z_k\n"
            f"$${block}$$\n\n$$2 + 2 = 4$$\n")
    recs = verdicts(tmp_path, text)
    assert kinds(recs) == ["unknown", "proved"]
    assert f"n.md:4:{col}: Double {kind}" in recs[0]["note"], recs[0]["note"]


def test_grouped_scripts_are_read(tmp_path):
    text = ("% derive: size K\n% derive: index j, k in 1..K\n% derive: tensor z_k\n"
            "$$2^{3^2} = 512$$\n\n${2^3}^2 = 64$$\n\n$$z_k^2 = z_k z_k$$\n\n"
            "$$z^2_k = z_k^2$$\n\n$$2^{3^2} = 64$$\n")
    text = text.replace("\n${2", "\n$${2")
    assert kinds(verdicts(tmp_path, text)) == ["proved", "proved", "proved", "proved",
                                               "refuted"]


# --- entry-by-entry reading of a derivative by a matrix entry -------------------------------

def test_derivative_by_an_entry_equals_a_matrix_read_entrywise(tmp_path):
    text = SOFTMAX + "\n\n".join([
        r"$$\frac{\partial L}{\partial \theta_{dk}} = x_d (s_k - y_k)$$",
        r"$$\frac{\partial L}{\partial \theta_{dk}} = x (s - y)^\top$$",
        r"$$\frac{\partial L}{\partial \theta_{dk}} = x \otimes (s - y)$$",
        r"$$\frac{\partial L}{\partial \theta_{dk}} = x (s + y)^\top$$",
        r"$$\frac{\partial L}{\partial \theta_{dk}} = x \otimes (s + y)$$",
    ]) + "\n"
    assert kinds(verdicts(tmp_path, text)) == ["proved", "proved", "proved", "refuted",
                                               "refuted"]


def test_entrywise_reading_never_guesses_a_layout(tmp_path):
    # transposed layout, an index free on both sides, one index too few: never refuted
    text = SOFTMAX + "\n\n".join([
        r"$$\frac{\partial L}{\partial \theta_{dk}} = (s - y) x^\top$$",
        r"$$\frac{\partial L}{\partial \theta_{dk}} = x_d (s - y)^\top$$",
        r"$$\frac{\partial L}{\partial \theta_{d1}} = x (s - y)^\top$$",
    ]) + "\n"
    recs = verdicts(tmp_path, text)
    assert kinds(recs) == ["unknown", "unknown", "unknown"], [r.get("note") for r in recs]


# --- summation domains ------------------------------------------------------------------

SETS = r"""% derive: size K
% derive: index j, k in 1..K
% derive: tensor z_k
"""


@pytest.mark.parametrize("step, verdict", [
    # intervals other than 1..K are read as written, never as the declared range
    (r"\sum_{k \in \{2, \ldots, K\}} z_k = \sum_{k=1}^K z_k", "refuted"),
    (r"\sum_{k\in\{3,\ldots,K\}} 1 = K", "refuted"),
    (r"\sum_{k \in \{3,\ldots,K\}} 1 = K - 2", "refuted"),        # K = 1: empty, 0 vs -1
    (r"\sum_{k \in \{2,\ldots,K\}} \delta_{k1} = 1", "refuted"),
    (r"\sum_{k \in \{2,\ldots,K\}} \delta_{k1} = 0", "proved"),
    (r"\sum_{k \in \{j,\ldots,K\}} z_k = \sum_{k=1}^K z_k", "unknown"),  # up or down?
    (r"\prod_{k \in \{2,\ldots,K\}} z_k = \prod_{k=1}^K z_k", "refuted"),
    # descending and stepped sets, read as the set they list
    (r"\sum_{k \in \{K, \ldots, 1\}} z_k = \sum_{k=1}^{K} z_k", "proved"),
    (r"\sum_{k \in \{K, K-1, \ldots, 1\}} z_k = \sum_{k=1}^{K} z_k", "proved"),
    (r"\sum_{k \in \{K, \ldots, 1\}} z_k = z_1", "refuted"),    # K = 2, z = (0, 1)
    # against a number alone: a relation of the input z (derive.latex.input_relations)
    (r"\sum_{k \in \{K, \ldots, 1\}} z_k = 0", "unknown"),
    (r"\sum_{k \in \{1, 3, \ldots, 7\}} k = 16", "proved"),
    (r"\sum_{k \in \{1, 3, \ldots, 7\}} k = 28", "refuted"),
    (r"\sum_{k \in \{1, 3, \ldots, 2K-1\}} 1 = K", "proved"),
    (r"\sum_{k \in \{1, 3, \ldots, K\}} 1 = K", "unknown"),       # K may be even
    (r"\sum_{k \in \{7, 5, \ldots, 1\}} k = 16", "proved"),
    # the whole range, in every spelling
    (r"\sum_{k \in \{1,\ldots,K\}} z_k = \sum_{k=1}^K z_k", "proved"),
    (r"\sum_{k \in \{1, 2, \ldots, K\}} z_k = \sum_{k=1}^K z_k", "proved"),
    (r"\sum_{k \in [K]} z_k = \sum_{k=1}^K z_k", "proved"),
    (r"\sum_{k \in \{1 , \ldots , K\}} z_k = \sum_{c=1}^{K} z_c", "proved"),
    # written-out sets: one term per element
    (r"\sum_{k \in \{1,2,3\}} z_k = z_1 + z_2 + z_3", "proved"),
    (r"\sum_{k \in \{1,2,3\}} z_k = \sum_{k=1}^K z_k", "refuted"),
    (r"\sum_{k \in \{2,2,1\}} z_k = z_1 + z_2", "proved"),          # a set counts 2 once
    (r"\sum_{k \in \{2\}} z_k = z_2", "proved"),                      # a size of 1
    (r"\sum_{k \in \{1,2\}} z_k = z_1", "refuted"),
    # not read: unknown, never the declared range
    (r"\sum_{k \in S} z_k = \sum_{k=1}^K z_k", "unknown"),
    (r"\sum_{k \in \{2,\ldots,K\}}^{K} z_k = \sum_{k=1}^K z_k", "unknown"),
    (r"\sum_{k \in [K]}^{K} z_k = \sum_{k=1}^K z_k", "unknown"),
    (r"\sum_{k \in \{1, 2, 4, \ldots, K\}} z_k = \sum_{k=1}^K z_k", "unknown"),
    (r"\sum_{k \in \{j, 1\}} z_k = z_j + z_1", "unknown"),           # j may be 1
    (r"\sum_{k \in \{\ldots, K\}} z_k = \sum_{k=1}^K z_k", "unknown"),
])
def test_summation_domains_are_read_exactly(tmp_path, step, verdict):
    recs = verdicts(tmp_path, SETS + f"$${step}$$\n")
    assert kinds(recs) == [verdict], recs[0].get("note")


@pytest.mark.parametrize("step, verdict", [
    (r"\sum_{k \neq j} z_k = \sum_{k=1}^K z_k - z_j", "proved"),
    (r"\sum_{k \ne j} z_k = \sum_{k=1}^K z_k", "refuted"),
    (r"\sum_{\substack{k=1 \\ k \neq j}}^{K} z_k = \sum_{k=1}^K z_k - z_j", "proved"),
    (r"\sum_{\substack{k=2 \\ k \neq j}}^{K} z_k = \sum_{k=1}^K z_k - z_j", "refuted"),
])
def test_conditions_under_the_sum(tmp_path, step, verdict):
    assert kinds(verdicts(tmp_path, SETS + f"$${step}$$\n")) == [verdict]


def test_a_finite_set_does_not_declare_the_index_range(tmp_path):
    # inference: \{1,2,3\} says nothing about k's range (it used to make k run over 1..3)
    from derive.latex.chains import extract
    from derive.latex.infer import infer_directives

    notes = extract("% derive: tensor z_k\n$$\\sum_{k \\in \\{1,2,3\\}} z_k = z_1 + z_2 + z_3$$\n"
                    "$$\\sum_{k \\in [K]} z_k = \\sum_{c=1}^K z_c$$\n", "n.md")
    rests = [d.rest for d in infer_directives(notes)]
    assert not any("1..3" in r for r in rests), rests
    assert any("1..K" in r for r in rests), rests


# --- cases ------------------------------------------------------------------------------

CASES_HEAD = r"""% derive: size K
% derive: index i, j, k in 1..K
% derive: tensor z_k
"""


def _cases(*rows: str) -> str:
    return r"\begin{cases} " + r" \\ ".join(rows) + r" \end{cases}"


@pytest.mark.parametrize("lhs, rows, verdict", [
    # the slip: wrong at i = j = k, where both rows apply (the derivative is 2 z_i there)
    (r"\frac{\partial (z_i z_k)}{\partial z_j}",
     (r"z_k & \text{if } i = j", r"z_i & \text{if } j = k", r"0 & \text{otherwise}"), "unknown"),
    # contradictory rows under one condition: never proved
    (r"\frac{\partial z_k}{\partial z_j}",
     (r"1 & \text{if } j = k", r"2 & \text{if } j = k", r"0 & \text{otherwise}"), "unknown"),
    (r"\frac{\partial z_k}{\partial z_j}",
     (r"2 & \text{if } j = k", r"1 & \text{if } j = k", r"0 & \text{otherwise}"), "unknown"),
    # overlapping rows that agree: the step holds for every row that applies
    (r"\frac{\partial z_k}{\partial z_j}",
     (r"1 & \text{if } j = k", r"1 & \text{if } k = j", r"0 & \text{otherwise}"), "proved"),
    # ... and fails where only 'otherwise' applies: refuted (its complement is not 1 - 2δ)
    (r"\frac{\partial z_k}{\partial z_j}",
     (r"1 & \text{if } j = k", r"1 & \text{if } k = j", r"5 & \text{otherwise}"), "refuted"),
    # disjoint rows, covered: the usual reading
    (r"\frac{\partial z_k}{\partial z_j}", (r"1 & j = k", r"0 & j \neq k"), "proved"),
    (r"\frac{\partial z_k}{\partial z_j}", (r"1 & j = k", r"1 & j \neq k"), "refuted"),
    (r"\frac{\partial z_k}{\partial z_j}", (r"1 & \text{if } j = k", r"0 & \text{otherwise}"),
     "proved"),
    # rows that do not cover every value, or conditions in words: unknown, never 0 there
    (r"\frac{\partial z_k}{\partial z_j}", (r"1 & \text{if } j = k",), "unknown"),
    (r"\frac{\partial z_k}{\partial z_j}",
     (r"1 & \text{if } j \text{ equals } k", r"0 & \text{otherwise}"), "unknown"),
    (r"\frac{\partial z_k}{\partial z_j}", (r"1 & j = k", r"0", r"0"), "unknown"),
    # one row (a size of 1)
    (r"z_k", (r"z_k & \text{otherwise}",), "proved"),
    (r"z_k", (r"z_j & \text{otherwise}",), "refuted"),
])
def test_cases_rows_by_their_conditions(tmp_path, lhs, rows, verdict):
    recs = verdicts(tmp_path, CASES_HEAD + f"$${lhs} = {_cases(*rows)}$$\n")
    assert kinds(recs) == [verdict], recs[0].get("note")


def test_three_overlapping_rows_every_one_that_applies(tmp_path):
    # δ_ij + δ_jk - δ_ij δ_jk ... written as three rows that agree wherever they overlap
    rows = (r"1 & i = j", r"1 & j = k", r"1 & i = k", r"0 & \text{otherwise}")
    good = r"\delta_{ij} + \delta_{jk} + \delta_{ik} - \delta_{ij}\delta_{jk} - \delta_{ij}\delta_{ik} - \delta_{jk}\delta_{ik} + \delta_{ij}\delta_{jk}\delta_{ik}"
    recs = verdicts(tmp_path, CASES_HEAD + f"$${good} = {_cases(*rows)}$$\n\n"
                    f"$$\\delta_{{ij}} + \\delta_{{jk}} + \\delta_{{ik}} = {_cases(*rows)}$$\n")
    assert kinds(recs)[0] == "proved", recs[0].get("note")
    assert kinds(recs)[1] != "proved"


# --- a bound index with a power, empty ranges, dependent limits ------------------------

@pytest.mark.parametrize("step, verdict", [
    # k is declared free too: inside the sum k^2 is the bound k, never the free one
    (r"\sum_{k \in \{1,2,3\}} k^2 = 14", "proved"),
    (r"\sum_{k \in \{1,2,3\}} k^2 = 30", "refuted"),
    (r"\sum_{k=1}^{3} k^2 = 14", "proved"),
    (r"\sum_{k=1}^{K} k^2 = 3 k^2", "refuted_or_unknown"),
    # empty ranges are empty (README), whatever SymPy's Karr convention says
    (r"\sum_{k=5}^{3} 1 = -1", "refuted"),
    (r"\sum_{k=5}^{3} 1 = 0", "proved"),
    (r"\sum_{k=4}^{3} z_k = 0", "proved"),
    (r"\sum_{k=K+1}^{K} z_k = 0", "proved"),
    (r"\prod_{k=5}^{3} 2 = 1", "proved"),
    (r"\sum_{k=3}^{3} 1 = 1", "proved"),            # a range of size 1 is not empty
])
def test_bound_letters_and_empty_ranges(tmp_path, step, verdict):
    """(and e^{...} stays Euler's number where e is an index letter: see below)"""
    recs = verdicts(tmp_path, SETS + f"$${step}$$\n")
    if verdict == "refuted_or_unknown":
        assert kinds(recs)[0] != "proved"
    else:
        assert kinds(recs) == [verdict], recs[0].get("note")


DEPENDENT = r"""% derive: size K
% derive: index a, b, c, j in 1..K
% derive: tensor z_k
"""


@pytest.mark.parametrize("step", [
    r"\sum_{c=1}^{K} \sum_{j=1}^{c} 1 = \frac{K(K+1)}{2}",
    r"\sum_{c=1}^{K} \sum_{j=1}^{c} z_j = \sum_{a=1}^{K} \sum_{b=1}^{a} z_b",  # a renaming
    r"\sum_{c=1}^{K} \sum_{j=c}^{K} z_j = \sum_{j=1}^{K} j z_j",
    r"\prod_{c=1}^{K} \prod_{j=1}^{c} 2 = \prod_{c=1}^{K} 2^{c}",
    r"\sum_{c=j}^{K} \sum_{a=1}^{c} 1 = \sum_{c=j}^{K} c",
])
def test_true_dependent_limits_are_never_refuted(tmp_path, step):
    recs = verdicts(tmp_path, DEPENDENT + f"$${step}$$\n")
    assert kinds(recs)[0] in ("proved", "unknown"), recs[0]


@pytest.mark.parametrize("step, lhs, rhs", [
    (r"\sum_{c=1}^{K} \sum_{j=1}^{c} 1 = K^2", 3.0, 4.0),
    (r"\sum_{c=1}^{K} \sum_{j=1}^{c-1} 1 = \frac{K(K+1)}{2}", 1.0, 3.0),
])
def test_false_dependent_limits_are_refuted_with_a_true_counterexample(tmp_path, step, lhs,
                                                                       rhs):
    recs = verdicts(tmp_path, DEPENDENT + f"$${step}$$\n")
    assert kinds(recs) == ["refuted"]
    cex = recs[0]["counterexample"]
    assert cex["sizes"] == {"K": 2} and (cex["lhs"], cex["rhs"]) == (lhs, rhs), cex
    assert not any("'" in name for name in cex["values"]), cex  # no bound index drawn


def test_the_numeric_evaluator_binds_the_outer_index_first():
    import numpy as np
    import sympy as sp

    from derive.engine.numeric import Point, evaluate

    K, c, j = sp.Symbol("K", integer=True, positive=True), sp.Symbol("c"), sp.Symbol("j")
    z = sp.IndexedBase("z")
    pt = Point(sizes={K: 3}, indices={}, arrays={"z": np.array([1.0, 10.0, 100.0])})
    # Σ_{c=1}^{3} Σ_{j=1}^{c} z_j = 1 + 11 + 111, and SymPy's one-Sum form of it
    assert evaluate(sp.Sum(sp.Sum(z[j], (j, 1, c)), (c, 1, K)), pt) == 123.0
    assert evaluate(sp.Sum(z[j], (j, 1, c), (c, 1, K)), pt) == 123.0
    assert evaluate(sp.Product(sp.Integer(2), (j, 1, c), (c, 1, K)), pt) == 64.0
    assert evaluate(sp.Sum(z[j], (j, c, K), (c, 1, K)), pt) == 1 + 20 + 300


def test_e_with_a_power_is_eulers_number_even_as_an_index_letter(tmp_path):
    head = "% derive: size K\n% derive: index e, k in 1..K\n% derive: tensor z_k\n"
    recs = verdicts(tmp_path, head + "$$\\sum_{e=1}^K e^{z_e} = \\sum_{k=1}^K e^{z_k}$$\n\n"
                    "$$\\sum_{e=1}^K e^{z_e} = \\sum_{k=1}^K e^{2 z_k}$$\n\n"
                    "$$\\sum_{k=1}^K k^2 = \\sum_{e=1}^K e^{2}$$\n")
    assert kinds(recs)[:2] == ["proved", "refuted"]
    assert kinds(recs)[2] != "proved"  # e^2 is Euler's e squared here: K e^2 ≠ Σ k^2
