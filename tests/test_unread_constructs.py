"""Constructs published notes write that derive did not read (issue 19, item 2; session 32).

Each construct has a case table: the spellings it covers read as the plain spelling, and a
true step with it is proved and a false one refuted through ``derive verify`` with nothing
declared; then the rows where it must NOT apply (another spelling, another place, a colliding
name, something else after it). The truth of every verdict row is decided by hand at the
brute-force point written beside it, never by derive.

- a number set after a formula (``W = Q K^T \\in \\mathbb{R}^{n \\times n}``) is a type
  annotation (constructs.NUMBER_SETS, tokens._drop_memberships);
- a word of constructs.LABEL_WORDS as the whole subscript labels its base (``x_{max}``,
  ``x_{\\max}``, ``\\tau_{base}``), as ``x_{\\text{max}}`` does, never a product of indices;
- a period between two factors is a product (``\\sigma.\\frac{..}{..}``, ``e^{a}.e^{b}``);
- ``{a \\over b}`` is ``\\frac{a}{b}``.
"""

from __future__ import annotations

import pytest

from derive.latex import ast
from derive.latex.parser import parse_block
from derive.latex.verify import verify_file


def read(text: str) -> list[ast.Chain]:
    return parse_block(text, 1, 1, source="n.md", tolerant=True)


def verdicts(tmp_path, body: str) -> list[str]:
    p = tmp_path / "n.md"
    p.write_text(body + "\n")
    return [r["verdict"] for r in verify_file(str(p))]


def unread(chains: list[ast.Chain]) -> bool:
    return any(isinstance(m, ast.Unreadable) for c in chains for m in c.members)


# -- a number set after a formula: the space it lies in, not a claim ------------------------
@pytest.mark.parametrize("annotation", [
    r"\in \mathbb{R}^{n \times n}", r"\in \mathbb R^n", r"\in \mathbb{R}", r"\in \mathbf{R}",
    r"\in \mathbb{R}^{d\times 1}", r"\in \mathbb{Z}", r"\in \mathbb{N}^{n}",
])
def test_a_number_set_after_a_formula_is_an_annotation(annotation):
    assert read(f"W = a b {annotation}") == read("W = a b")
    assert read(f"W = a b {annotation} \\\\ c = d") == read(r"W = a b \\ c = d")


@pytest.mark.parametrize("body, expected", [
    (r"$$ a + b = b + a \in \mathbb{R} $$", ["proved"]),
    (r"$$ a + b = b - a \in \mathbb{R} $$", ["refuted"]),   # a = 2, b = 1: 3 vs -1
    (r"$$ a b = b a \in \mathbb{R}^{1} $$", ["proved"]),
    (r"$$ 2 a = a \in \mathbb R $$", ["refuted"]),          # a = 1: 2 vs 1
])
def test_a_step_with_a_number_set_after_it_is_checked(tmp_path, body, expected):
    assert verdicts(tmp_path, body) == expected


@pytest.mark.parametrize("written, plain", [
    (r"a = b \in \{0, 1\}", "a = b"),              # another set: a condition, read as before
    (r"a = b \in [0, 1]", "a = b"),
    (r"a = b \in \mathcal{X}", "a = b"),           # a set derive does not know
    (r"a = (b \in \mathbb{R})", "a = (b)"),        # inside brackets
    (r"a = f(b \in \mathbb{R}, c)", "a = f(b, c)"),  # inside brackets, before a comma
    (r"a = \sum_{i \in \mathbb{N}} b_i", r"a = \sum_{i} b_i"),  # a script: the sum's range
    (r"a = b \in \mathbb{R} c", "a = b c"),        # a factor after the set: not an annotation
    (r"a = \in \mathbb{R}", "a ="),                # no formula before it
])
def test_a_membership_that_is_not_an_annotation_is_kept(written, plain):
    assert read(written) != read(plain)


def test_a_colliding_name_for_a_set_is_not_a_number_set():
    # \mathbb{X} is no number set of the table: the membership stays (unread)
    assert read(r"a = b \in \mathbb{X}") != read("a = b")
    assert unread(read(r"a = b \in \mathbb{X}"))


# -- a word as the whole subscript labels its base ------------------------------------------
@pytest.mark.parametrize("written, word", [
    ("x_{max}", "max"), (r"x_{\max}", "max"), (r"x_\max", "max"), (r"x_{ \min }", "min"),
    (r"\tau_{base}", "base"), (r"\mathcal{L}_{KD}", "KD"), ("y_{true}", "true"),
    ("y_{pred}", "pred"), ("w_{new}", "new"), ("w_{old}", "old"), ("L_{CE}", "CE"),
])
def test_a_word_subscript_is_the_label_of_its_base(written, word):
    base = written.split("_")[0]
    assert read(f"a = {written} + 1") == read(f"a = {base}_{{\\text{{{word}}}}} + 1")


@pytest.mark.parametrize("body, expected", [
    # log sum_i e^{x_i} = m + log sum_i e^{x_i - m} for every m (n = 1, 2 by hand)
    (r"$$\log\sum_{i=1}^{n} e^{x_i} = x_{max} + \log\sum_{i=1}^{n} e^{x_i - x_{max}}$$",
     ["proved"]),
    # n = 1, x = [0], m = 1: 0 vs 1 + 1 = 2
    (r"$$\log\sum_{i=1}^{n} e^{x_i} = x_{\max} + \log\sum_{i=1}^{n} e^{x_i + x_{\max}}$$",
     ["refuted"]),
    (r"$$y_{true} - y_{pred} = -(y_{pred} - y_{true})$$", ["proved"]),
    (r"$$y_{true} - y_{pred} = y_{pred} - y_{true}$$", ["refuted"]),  # 1, 2: -1 vs 1
    # two labels of one base are two quantities, never one entry read twice
    (r"$$\tau_{base} \tau_{max} = \tau_{max} \tau_{base}$$", ["proved"]),
    (r"$$\tau_{base} = \tau_{max}$$", ["definition"]),
])
def test_a_labelled_symbol_is_read_in_a_step(tmp_path, body, expected):
    assert verdicts(tmp_path, body) == expected


@pytest.mark.parametrize("written", [
    "x_{ij}",        # two index letters: entry (i, j)
    "x_{nk}",
    "x_{in}",        # a two-letter lower-case word: left out on purpose (entry (i, n))
    "x_{mx}",        # not a word of the table
    "x_{Max}",       # another spelling: the table is case-sensitive
    "x_{maximum}",   # a longer word
    "x_{max,i}",     # not the whole subscript
    "x_{max}^{2}",   # (the label applies, but the power stays a power: checked below)
])
def test_a_subscript_that_is_not_a_word_of_the_table_is_not_a_label(written):
    if written == "x_{max}^{2}":
        assert read(f"a = {written}") == read(r"a = x_{\text{max}}^{2}")
        return
    assert read(f"a = {written}") != read(f"a = x_{{\\text{{{written[3:-1]}}}}}")


@pytest.mark.parametrize("body, expected", [
    # genuine index products stay entries: a double sum swapped (n = 1, 2 by hand)
    (r"$$\sum_{i=1}^{n}\sum_{j=1}^{n} x_{ij} = \sum_{j=1}^{n}\sum_{i=1}^{n} x_{ij}$$",
     ["proved"]),
    # x_{ij} vs x_{ji}: n = 2, x = [[0, 1], [0, 0]], i = 1, j = 2: 1 vs 0
    (r"$$\sum_{k=1}^{n} x_{ik} = \sum_{k=1}^{n} x_{ki}$$", ["refuted"]),
])
def test_index_products_stay_entries(tmp_path, body, expected):
    assert verdicts(tmp_path, body) == expected


def test_a_label_subscript_on_something_that_is_not_a_symbol_is_not_folded():
    # \sum_{max}: a sum's subscript is its range, never a label
    assert read(r"a = \sum_{max} b") != read(r"a = \sum b")
    assert "\\text{max}" not in str(read(r"a = \sum_{max} b"))


# -- a period between two factors is a product ----------------------------------------------
@pytest.mark.parametrize("written, plain", [
    (r"\sigma.\frac{a}{b}", r"\sigma \cdot \frac{a}{b}"),
    (r"e^{a}.e^{b}", r"e^{a} \cdot e^{b}"),
    (r"f(x) . g(x)", r"f(x) \cdot g(x)"),
    (r"\sigma.(1-\sigma)", r"\sigma \cdot (1-\sigma)"),
    (r"x_{ij} . \sum_{k} y_k", r"x_{ij} \cdot \sum_{k} y_k"),
])
def test_a_period_between_two_factors_is_a_product(written, plain):
    assert read(f"c = {written}") == read(f"c = {plain}")


@pytest.mark.parametrize("body, expected", [
    (r"$$e^{a}.e^{b} = e^{a+b}$$", ["proved"]),
    (r"$$e^{a}.e^{b} = e^{a-b}$$", ["refuted"]),           # a = b = 1: e^2 vs 1
    (r"$$a . b = b . a$$", ["proved"]),
    (r"$$a . (b + 1) = a b$$", ["refuted"]),               # a = 1, b = 0: 1 vs 0
])
def test_a_dot_product_step_is_checked(tmp_path, body, expected):
    assert verdicts(tmp_path, body) == expected


@pytest.mark.parametrize("written, product", [
    (r"a = b. c = d", r"a = b \cdot c = d"),   # a sentence ends: space after, none before
    (r"a = 3 . 4", r"a = 3 \cdot 4"),          # two numbers: never a product
    (r"a = x_{i.j}", r"a = x_{i \cdot j}"),    # inside a script
    (r"a = b .", r"a = b \cdot"),              # the end of the formula
])
def test_a_period_that_is_not_between_two_factors_is_not_a_product(written, product):
    assert read(written) != read(product)


def test_a_decimal_number_stays_a_number():
    assert read("a = 1.5 b") != read(r"a = 1 \cdot 5 b")


# -- {a \over b} is \frac{a}{b} ------------------------------------------------------------
@pytest.mark.parametrize("written, frac", [
    (r"{a \over b}", r"{\frac{a}{b}}"),
    (r"{{1} \over {1+e^x}}", r"{\frac{{1}}{{1+e^x}}}"),
    (r"{a+b \over c-d} + 1", r"{\frac{a+b}{c-d}} + 1"),
])
def test_an_infix_fraction_is_a_fraction(written, frac):
    assert read(f"y = {written}") == read(f"y = {frac}")


@pytest.mark.parametrize("body, expected", [
    (r"$$ {1 \over a+b} = \frac{1}{b+a} $$", ["proved"]),
    (r"$$ {1 \over a+b} = \frac{1}{a} + b $$", ["refuted"]),   # a = 2, b = 1: 1/3 vs 1.5
    (r"$$ {{a} \over {b}} {{b} \over {a}} = 1 $$", ["proved"]),
    (r"$$ {a \over b} = {b \over a} $$", ["refuted"]),        # a = 2, b = 1: 2 vs 0.5
])
def test_an_infix_fraction_step_is_checked(tmp_path, body, expected):
    assert verdicts(tmp_path, body) == expected


@pytest.mark.parametrize("written", [
    r"y = 1 \over b",            # no group of its own: TeX's (y = 1) / b
    r"y = {a \over b \over c}",  # two \over in one group: TeX's error
    r"y = {a = b \over c}",      # an '=' inside the group
    r"y = {(a \over b)}",        # its parts are no formulas (TeX: '(a' over 'b)')
])
def test_an_over_that_is_not_a_group_fraction_is_unread(written):
    chains = read(written)
    assert unread(chains)
    assert "\\over" in " ".join(m.message for c in chains for m in c.members
                                if isinstance(m, ast.Unreadable))


# -- a bold font is letter by letter; a font around a formula is unknown, not the block -----
@pytest.mark.parametrize("written, plain", [
    (r"\mathbf{\beta^{(t)}}", r"\mathbf{\beta}^{(t)}"),
    (r"\bold{1_n^T}", r"\mathbf{1}_n^T"),
    (r"\bold{x}", r"\mathbf{x}"),
    (r"\boldsymbol{x_i^2}", r"\boldsymbol{x}_i^2"),
    (r"\bm{\theta^{T}}", r"\bm{\theta}^{T}"),
    (r"\mathbf{x_i}", r"\mathbf{x}_i"),
])
def test_a_bold_font_applies_letter_by_letter(written, plain):
    assert read(f"c = {written} + 1") == read(f"c = {plain} + 1")


@pytest.mark.parametrize("body, expected", [
    (r"$$\mathbf{\beta^{(t)}} + a = a + \mathbf{\beta}^{(t)}$$", ["proved"]),
    (r"$$\mathbf{\beta^{(t)}} + a = a - \mathbf{\beta}^{(t)}$$", ["refuted"]),  # 1, 0: 1 vs -1
    # D = 1, n = 1, x = [[1]], y = [1]: 1 vs 2
    (r"$$\bold{x_i^T} \mathbf{y} = 2\mathbf{x}_i^T \mathbf{y}$$", ["refuted"]),
    # the font around a formula: its member unknown, the next chain of the block checked
    (r"$$ 2 c = \bf{\hat{y} - y} \\ a + b = b + a $$", ["unknown", "proved"]),
    (r"$$ 2 c = \bf{\hat{y} - y} \\ a + b = b - a $$", ["unknown", "refuted"]),  # 2, 1: 3, -1
])
def test_a_bold_step_is_checked(tmp_path, body, expected):
    assert verdicts(tmp_path, body) == expected


@pytest.mark.parametrize("written, plain", [
    (r"\hat{x^2}", r"\hat{x}^2"),      # an accent covers all it holds: not \hat{x} squared
    (r"\bar{x^2}", r"\bar{x}^2"),
    (r"\tilde{y_i^2}", r"\tilde{y}_i^2"),
    (r"\hat{1_n}", r"\hat{1}_n"),      # a digit: only under a bold font
])
def test_an_accent_over_a_script_is_not_letter_by_letter(written, plain):
    assert read(f"c = {written}") != read(f"c = {plain}")
    assert unread(read(f"c = {written}"))


# -- a first definition whose value derive does not read is a definition, named --------------
@pytest.mark.parametrize("body, expected", [
    (r"$$x_{max} = \max(x)$$", ["definition"]),
    (r"$$\hat{z} = z - \max z$$", ["definition"]),
    (r"$$f(a) = \binom{a}{2}$$", ["definition"]),
    # a relation's link is no definition
    (r"$$ a \le \max(b) $$", ["unknown", "unknown"]),
    (r"$$ a = b + 1 \le \max(b) $$", ["definition", "unknown", "unknown"]),
    # the left side unread, or no symbol: no definition
    (r"$$\max(x) = x_{max}$$", ["unknown"]),
    (r"$$a^2 = \max(b)$$", ["unknown"]),
    # a condition after the formula, or a demand: the value is read, the step is no
    # definition whose value is unread (unknown, as before)
    (r"$$\ell_i = -y_i \log p_i \quad \text{if } y_i = p_k$$", ["unknown", "unknown"]),
    (r"$$ r \overset{!}{=} x $$", ["unknown"]),
    # the name defined before: a claim, unknown
    ("$$c = d$$\n\n$$c = \\max(d)$$", ["definition", "unknown"]),
    ("$$c = \\max(d)$$\n\n$$c = \\max(e)$$", ["definition", "unknown"]),
    # its value unread: a later step is never refuted by it (y = m + 1, so y - 2 = m is
    # false at every m; derive cannot know it, so it must not say 'proved' either)
    ("$$x_{max} = \\max_i x_i$$\n\n$$ y = x_{max} + 1 $$\n\n$$ y - 2 = x_{max} $$",
     ["definition", "definition", "unknown"]),
])
def test_a_definition_whose_value_is_unread(tmp_path, body, expected):
    assert verdicts(tmp_path, body) == expected


def test_an_unread_definition_names_the_construct_where_it_is(tmp_path):
    p = tmp_path / "n.md"
    p.write_text("$$x_{max} = \\max(x)$$\n")
    note = verify_file(str(p))[0]["note"]
    assert "defines x_{\\text{max}}" in note and "n.md:1:13: unsupported command \\max" in note


# -- a line break inside a matrix is no row of the block: ', ' after it still separates -----
@pytest.mark.parametrize("body, expected", [
    (r"$$ u = \left(\begin{array}{c} a \\ b \end{array}\right), "
     r"v = \left(\begin{array}{c} b \\ a \end{array}\right) $$", ["definition", "definition"]),
    # the second equation is checked on its own: a + b = b + a, and a false one refuted
    (r"$$ u = \begin{bmatrix} a \\ b \end{bmatrix}, a + b = b + a $$", ["definition", "proved"]),
    (r"$$ u = \begin{bmatrix} a \\ b \end{bmatrix}, a + b = b - a $$",   # 2, 1: 3 vs -1
     ["definition", "refuted"]),
])
def test_a_comma_after_a_matrix_separates_two_equations(tmp_path, body, expected):
    assert verdicts(tmp_path, body) == expected


def test_a_comma_inside_a_matrix_row_separates_nothing():
    # the comma inside the brackets is the matrix's: one chain of two members
    chains = read(r"u = \left(\begin{array}{c} a, b \\ b \end{array}\right)")
    assert len(chains) == 1 and len(chains[0].members) == 2


# -- a word written in maths: five or more letters side by side -----------------------------
# "$L_h = input$", "\hat y = argmax ...": a word, never the product of its letters; the link
# around it is unknown (a first definition stays a definition), and it names the word
WORDS = [
    # (notes, verdicts; truth at a = 2, b = 3, c = 5, d = 7, e = 11 written beside)
    ("$$ a = input $$", ["definition"]),                     # a word: nothing to check
    ("$$ x = 2 $$\n\n$$ x + intermediate = 2 $$", ["definition", "unknown"]),
    ("$$ abcde = edcba $$", ["unknown"]),                    # true as a product, unread
    ("$$ abcde = 2 edcba $$", ["unknown"]),                  # false as a product, unread
]
# must not: four letters stay a product, function names, words in \text, a subscript
NOT_WORDS = [
    ("$$ pqrs = srqp $$", ["proved"]),                       # 2.3.5.7 both sides
    ("$$ pqrs = 2 srqp $$", ["refuted"]),                    # 210 vs 420
    # softmax: a function name, the sum of its entries is 1 (z = [0, 1]: e^0/(1+e) + e/(1+e))
    ("$$ \\sum_{k=1}^{K} \\operatorname{softmax}(z)_k = 1 $$\n\nwhere $z_k$ are the logits.\n\n"
     "$$ s_k = \\operatorname{softmax}(z)_k $$\n\n$$ \\sum_{j=1}^{K} z_j s_j = \\sum_{j=1}^{K} s_j z_j $$",
     ["proved", "definition", "proved"]),
    ("$$ \\log e^{a} = a $$", ["proved"]),                   # log, exp: commands
    ("$$ y_{\\text{input}} = 2a $$\n\n$$ y_{\\text{input}} + a = 3a $$",
     ["definition", "proved"]),
]


@pytest.mark.parametrize("body, expected", WORDS + NOT_WORDS,
                         ids=[f"word-{i}" for i in range(len(WORDS))]
                         + [f"not-word-{i}" for i in range(len(NOT_WORDS))])
def test_a_word_in_maths_is_unread(tmp_path, body, expected):
    assert verdicts(tmp_path, body) == expected


def test_a_word_in_maths_is_named_where_it_is():
    chains = read("x = 2 + intermediate")
    assert unread(chains)
    message = next(m.message for c in chains for m in c.members if isinstance(m, ast.Unreadable))
    assert "n.md:1:9" in message and "'intermediate'" in message
    # a subscript's letters are indices or a label, never a word here
    assert not unread(read("y = x_{abcde}")) and not unread(read("y = x^{(train)}_k"))
