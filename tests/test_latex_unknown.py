"""A construct derive does not read (issue 9): a one-line error naming it at file:line:col
with what would make it readable, never a bare "unexpected '_'"; that block is unknown and
the rest of the file is still checked."""

from __future__ import annotations

import pytest

from derive.latex.verify import verify_file

HEADER = r"""% derive: size K
% derive: index i, j, k, c in 1..K
% derive: tensor z_i, y_i
"""

# (block, column of the construct in "$$ " + block, words the message must name, hint words)
CASES = [
    # (\sqrt is read as a power now: derive.latex.macros.BUILTINS, tests/test_builtin_roots.py)
    (r"\lim z_i = z_i", 4, r"\lim", "derive: skip"),
    (r"\int_0^1 z_i = z_i", 4, r"\int", "derive: skip"),
    (r"\max_k z_k = z_i", 4, r"\max", "derive: skip"),
    (r"z_i \le z_j", 8, r"\le", "chains of '='"),
    (r"z_i \approx z_j", 8, r"\approx", "chains of '='"),
    (r"z_i = z_i \pm z_j", 14, r"\pm", "two equations"),
    (r"\mathfrak{z}_i = z_i", 4, r"\mathfrak", r"\newcommand"),
    (r"z_i = \lVert z \rVert", 10, r"\lVert", r"\| w \|"),
    (r"\binom{K}{2} = z_i", 4, r"\binom", "derive: skip"),
    (r"z_i = z_i @ z_j", 14, "'@'", "juxtaposition"),
    (r"z_i = \mathscr{Z}", 10, r"\mathscr", r"\mathcal{X}"),
    (r"_i z = z_i", 4, "subscript '_' with nothing before it", "z_i"),
    (r"z_i^ = z_i", 9, "'^' without its superscript", "^{...}"),
    (r"\frac{z_i} = z_i", 15, r"\frac with one argument", r"\frac{numerator}{denominator}"),
    (r"z_{} = z_i", 7, "empty braces", "inside"),
    (r"z_i = \text{foo}(z_i)", 10, r"undeclared function \text{foo}", r"let \text{foo}(x)"),
    (r"z_i = \mathbf{1}^\top y", 10, r"\mathbf{1} (a vector of ones)", r"let \mathbf{1}_k = 1"),
    # an expectation: an operator derive does not know, named (never a letter E)
    (r"z_i = \mathbb{E}[z_i]", 10, r"\mathbb{E} (an expectation)", "derive: skip"),
    (r"z_i = \mathrm{E}[z_i]", 10, r"\mathrm{E} (an expectation)", "derive: skip"),
    (r"z_i = \begin{tabular}{c} 1 \end{tabular}", 10, "{tabular}", "bmatrix"),
    (r"z_i = \dagger z_i", 10, r"\dagger", r"\newcommand"),
]


@pytest.mark.parametrize("block, col, construct, hint", CASES, ids=[c[0] for c in CASES])
def test_unknown_construct_is_named_and_the_rest_checked(tmp_path, block, col, construct,
                                                         hint):
    p = tmp_path / "n.md"
    p.write_text(HEADER + f"$$ {block} $$\ntext\n$$ z_i + z_j = z_j + z_i $$\n")
    recs = verify_file(str(p))
    assert [r["verdict"] for r in recs] == ["unknown", "proved"]
    note = recs[0]["note"]
    assert f"n.md:4:{col}: " in note, note
    assert construct in note and hint in note, note
    assert "\n" not in note and "unexpected '_'" not in note


def test_at_least_ten_constructs():
    assert len({c[2] for c in CASES}) >= 10
