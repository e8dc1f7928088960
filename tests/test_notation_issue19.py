"""Spellings of unseen notes (issue 19, items 1-3), each read through ``derive verify`` on
a small notes file with nothing declared, and each with the case where its rule must NOT
apply (another spelling, a colliding name, a size of 1).

Every rule here is a true step proved and a slip refuted in the notation; the must-not rows
keep a step unknown (never proved) where the notation does not decide its meaning.
"""

from __future__ import annotations

import pytest

from derive.latex.verify import verify_file


def verdicts(tmp_path, body: str, name: str = "n.md") -> list[str]:
    p = tmp_path / name
    p.write_text(body + "\n")
    return [r["verdict"] for r in verify_file(str(p))]


def notes(tmp_path, body: str, name: str = "n.md") -> list[dict]:
    p = tmp_path / name
    p.write_text(body + "\n")
    return verify_file(str(p))


# -- Lagrange's primes: f'(a) where the notes define f(x) ---------------------------------
LOGISTIC = r"""$$ f(x) = \frac{e^x}{e^x + b} $$

$$ g(x) = - a \log(f(x)) - (1 - a) \log(1 - f(x)) $$
"""


@pytest.mark.parametrize("step, expected", [
    (r"f'(x) = \frac{e^x b}{(e^x + b)^2}", "proved"),
    (r"f'(x) = \frac{e^x}{(e^x + b)^2}", "refuted"),
    (r"g'(x) = - a \frac{f'(x)}{f(x)} - (1 - a) \frac{-1 \cdot f'(x)}{1 - f(x)}", "proved"),
    (r"g'(x) = f(x) - a", "proved"),
    (r"g'(x) = a - f(x)", "refuted"),
    (r"g''(x) = f'(x)", "proved"),
    (r"g''(x) = 2 f'(x)", "refuted"),
    # at another point: the derivative of the body by its parameter, then the point
    (r"f'(y) = \frac{e^y b}{(e^y + b)^2}", "proved"),
    (r"f'(2) = \frac{2 e^2 b}{(e^2 + b)^2}", "refuted"),
    (r"f'(x)^2 = \frac{e^{2x} b^2}{(e^x + b)^4}", "proved"),
])
def test_a_prime_on_a_function_of_one_argument_is_its_derivative(tmp_path, step, expected):
    out = verdicts(tmp_path, LOGISTIC + f"\n$$ {step} $$")
    assert out == ["definition", "definition", expected], out


@pytest.mark.parametrize("block", [
    r"$$ y' = 2 y $$",                          # a primed letter no function defines
    r"$$ h(x, z) = x z $$" "\n\n" r"$$ h'(x, z) = z $$",  # two arguments: by which?
    r"$$ f_k(x) = k x $$" "\n\n" r"$$ f_k'(x) = k $$",    # an indexed family
])
def test_a_prime_the_notes_do_not_define_stays_unknown(tmp_path, block):
    recs = notes(tmp_path, block)
    last = recs[-1]
    assert last["verdict"] == "unknown", recs
    assert "prime" in last["note"], last


# -- a function called inside another function's body --------------------------------------
CALLS = r"""$$ f(x) = x^2 + 1 $$

$$ g(x) = 3 f(x) $$

$$ h(t) = 3 f(x) + t $$
"""


@pytest.mark.parametrize("step, expected", [
    # g(y): the x passed on to f is g's argument, here y (read as the global x, the true
    # step was refuted and the false one proved)
    ("g(y) = 3 y^2 + 3", "proved"),
    ("g(y) = 3 x^2 + 3", "refuted"),
    ("g(x) = 3 x^2 + 3", "proved"),
    # must not apply: h's parameter is t, so the x in its body is the x of the notes
    ("h(y) = 3 x^2 + 3 + y", "proved"),
    ("h(y) = 3 y^2 + 3 + y", "refuted"),
])
def test_an_argument_passed_on_inside_a_body_is_the_callers(tmp_path, step, expected):
    out = verdicts(tmp_path, CALLS + f"\n$$ {step} $$")
    assert out[-1] == expected, out


# -- decorated names: each decoration a name of its own -------------------------------------
def read(text: str) -> list:
    from derive.latex.parser import parse_block

    return parse_block(text, 1, 1, source="n.md", tolerant=True)


@pytest.mark.parametrize("written, plain", [
    (r"a = \hat \beta_j", r"a = \hat{\beta}_j"),
    (r"a = \hat\beta", r"a = \hat{\beta}"),
    (r"a = \hat W X", r"a = \hat{W} X"),
    (r"a = \overline{grad}_0", r"a = \overline{grad}_0"),
])
def test_a_decoration_without_braces_reads_as_with_them(written, plain):
    assert read(written) == read(plain)


@pytest.mark.parametrize("deco", ["overline", "dot", "ddot", "widehat", "widetilde", "check"])
def test_a_decorated_name_is_one_name(tmp_path, deco):
    body = (f"$$ \\{deco}{{g}}_j = \\sum_{{i=1}}^n X_{{ij}} (p_i - y_i) $$\n\n"
            f"$$ \\{deco}{{g}}_j + 1 = 1 + \\sum_{{i=1}}^n X_{{ij}} (p_i - y_i) $$\n\n"
            f"$$ \\{deco}{{g}}_j = \\sum_{{i=1}}^n X_{{ij}} (y_i - p_i) $$")
    out = verdicts(tmp_path, body)
    assert out == ["definition", "proved", "refuted"], out


@pytest.mark.parametrize("deco", ["overline", "dot", "widehat"])
def test_a_decorated_name_is_not_the_plain_or_the_barred_name(tmp_path, deco):
    # \overline{x} beside x and \bar{x}: three names, never merged (a merge proves the
    # first two). Each side writes x, so the step is algebra, not a relation between inputs
    # (derive.latex.input_relations): x = 1, \overline{x} = 0 refutes it
    body = (f"$$ \\{deco}{{x}} + x = 2 x $$\n\n$$ \\{deco}{{x}} + \\bar{{x}} = 2 \\bar{{x}} $$\n\n"
            f"$$ \\{deco}{{x}} + x = x + \\{deco}{{x}} $$")
    out = verdicts(tmp_path, f"% derive: scalar x, \\bar{{x}}, \\{deco}{{x}}\n" + body)
    assert out == ["refuted", "refuted", "proved"], out


# -- {array}: rows of equations, or a matrix, by what it holds -----------------------------
@pytest.mark.parametrize("written, plain", [
    (r"\begin{array}{rcl} a &=& b \\ &=& c \end{array}", "a = b = c"),
    (r"\begin{array}{lcl} a & = & b + c \end{array}", "a = b + c"),
    (r"\begin{array}{l} a = b \\ = c \end{array}", "a = b = c"),
    (r"a = \left(\begin{array}{c} z_1 \\ z_2 \end{array}\right)",
     r"a = \left(\begin{pmatrix} z_1 \\ z_2 \end{pmatrix}\right)"),
    (r"a = \begin{array}{cc} 1 & -1 \\ -1 & 1 \end{array}",
     r"a = \begin{bmatrix} 1 & -1 \\ -1 & 1 \end{bmatrix}"),
    (r"a = \begin{array}{c} z \end{array}", r"a = \begin{bmatrix} z \end{bmatrix}"),  # 1 x 1
])
def test_an_array_reads_as_aligned_rows_or_as_a_matrix(written, plain):
    assert read(written) == read(plain)


def test_an_array_of_cases_is_not_read_as_equations():
    # 's_i & i \neq j \\ (s_j - 1) & i = j': i = j is a condition; read as rows of
    # equations it would be a step "(s_j - 1) i = j"
    chains = read(r"\begin{array}{ll} s_i & i \neq j \\ (s_j-1) & i = j \end{array}")
    from derive.latex import ast

    members = [m for c in chains for m in c.members]
    assert all(isinstance(m, ast.Unreadable) for m in members), chains


def test_an_array_of_equations_is_checked_link_by_link(tmp_path):
    body = (r"$$ \begin{array}{rcl} (a + b)^2 &=& a^2 + 2 a b + b^2 \\ "
            r"&=& a^2 + b^2 \end{array} $$")
    assert verdicts(tmp_path, "% derive: scalar a, b\n" + body) == ["proved", "refuted"]


# -- an empty line inside an aligned chain (\\ \\ =) continues it ---------------------------
def test_an_empty_row_before_an_equals_sign_continues_the_chain():
    assert read(r"a =& b \\ \\ =& c") == read("a = b = c")
    # must not apply: a row that does not start with '=' starts a chain of its own
    assert len(read(r"a = b \\ \\ c = d")) == 2


# -- \langle u, v \rangle: an inner product -------------------------------------------------
VECTORS = r"""% derive: size n, m
% derive: index i in 1..n
% derive: index j, k in 1..m
% derive: tensor u_i, v_i, w_j, A_{ij}, B_{ij}
% derive: scalar a, b
"""


@pytest.mark.parametrize("step, expected", [
    (r"\langle u, v \rangle = \sum_{i=1}^n u_i v_i", "proved"),
    (r"\langle u, v \rangle = v^T u", "proved"),
    (r"\langle u, v \rangle = \sum_{i=1}^n u_i u_i", "refuted"),
    (r"\langle u + v, u + v \rangle = u^T u + 2 u^T v + v^T v", "proved"),
    (r"\langle u + v, u + v \rangle = u^T u + v^T v", "refuted"),
    (r"\langle u^T, v \rangle = u^T v", "proved"),  # a row and a column: still like vectors
    (r"\langle a, b \rangle = a b", "proved"),
    (r"\langle u, v \rangle^2 = (u^T v)^2", "proved"),
    # must not apply: matrices (a Frobenius product is not read as A^T B), other lengths
    (r"\langle A, B \rangle = \sum_{i=1}^n \sum_{j=1}^m A_{ij} B_{ij}", "unknown"),
    (r"\langle u, w \rangle = \sum_{i=1}^n u_i w_i", "unknown"),
])
def test_an_inner_product_in_angle_brackets(tmp_path, step, expected):
    assert verdicts(tmp_path, VECTORS + f"$$ {step} $$") == [expected]


def test_the_comma_of_an_inner_product_separates_nothing():
    (chain,) = read(r"a = \langle u, v \rangle = b")
    assert len(chain.members) == 3


# -- ':' and '\sim': a defining ': =', and only the link around an unread one unknown -----
def test_colon_space_equals_is_a_defining_link():
    assert read(r"z_i : = e^{x_i}") == read(r"z_i := e^{x_i}")


@pytest.mark.parametrize("written, at", [
    (r"a = y : \log(s) = b", 1),     # a Frobenius product: read as one (tests/test_frobenius.py)
    (r"a = b : c", 1),               # a ratio? the elaborator decides (scalars: unknown)
])
def test_a_colon_is_read_as_a_frobenius_product_member(written, at):
    from derive.latex import ast

    (chain,) = read(written)
    colon = chain.members[at]
    assert isinstance(colon, ast.Group) and colon.delim == ":", chain
    assert not isinstance(chain.members[0], ast.Unreadable)


def test_sim_separates_chains_and_only_its_link_is_unknown(tmp_path):
    body = (r"% derive: scalar a, b" "\n"
            r"$$ y \sim \text{Poisson}(a), \qquad a + b = b + a = 2 a $$")
    recs = notes(tmp_path, body)
    assert [r["verdict"] for r in recs] == ["proved", "refuted", "unknown"], recs
    assert "\\sim is a relation" in recs[2]["note"]  # after the block's '=' links


def test_a_word_right_before_its_parenthesis_names_a_function():
    from derive.latex import ast

    (chain,) = read(r"a = \text{Poisson}(b)")
    assert isinstance(chain.members[1], ast.Product), chain
    assert chain.members[1].items[0] == ast.Letter(name=r"\text{Poisson}")
    # must not apply: a remark with a space or a condition word stays a remark
    assert read(r"a = b \text{ (by symmetry)}") == read("a = b")
    assert not any(isinstance(n, ast.Letter) and n.name == r"\text{if}"
                   for c in read(r"a = b, \text{if}(c = d)") for n in ast.walk(c))


def test_a_comma_after_a_relation_separates():
    from derive.latex import ast

    # the comma after a relation separates two statements: c = d + e is read
    # (the relation's own unknown link comes last, after the block's '=' links)
    last = read(r"a \le b, c = d + e")[-2]
    assert last.members == read("c = d + e")[0].members
    # nothing to separate: the comma stays unread, as before
    last = read(r"a \le b, c")[-2]
    assert all(isinstance(m, ast.Unreadable) for m in last.members)


# -- '!': a factorial ------------------------------------------------------------------------
@pytest.mark.parametrize("step, expected", [
    (r"3! = 6", "proved"),
    (r"3! = 3", "refuted"),
    (r"\frac{y!}{(y-1)!} = y - 1", "refuted"),
    (r"\log y! = \log y + \log (y - 1)! + 1", "refuted"),
    (r"1! = 1", "proved"),  # a size of one
])
def test_a_factorial(tmp_path, step, expected):
    assert verdicts(tmp_path, f"% derive: scalar y\n$$ {step} $$") == [expected]


def test_bang_equals_without_a_space_stays_not_equal():
    from derive.latex import ast

    # 'a != b' is the programmers' \neq (a relation, its link unknown); 'a! = b' a factorial
    assert read(r"a! = b")[0].members[0] == ast.Group(delim="!", items=(ast.Letter(name="a"),))
    assert all(not isinstance(n, ast.Group) or n.delim != "!"
               for c in read(r"c = a != b") for n in ast.walk(c))
