"""The notation of published notes (issue 9): each spelling means what a reader of ML notes
expects, proved or refuted through ``derive verify`` on small notes, and each rule has the
case where it must NOT apply (a different range, a power that is not a sample index, a
letter declared as a quantity, two dimensions that must not be merged).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from derive.latex.chains import extract
from derive.latex.infer import infer_directives
from derive.latex.verify import verify_file

SOFTMAX = r"""% derive: size K
% derive: index i, j, k, c in 1..K
% derive: tensor z_i, y_i
% derive: let p_i = \frac{e^{z_i}}{\sum_{c=1}^K e^{z_c}}
% derive: assume \sum_{k=1}^K y_k = 1
"""


def verdicts(tmp_path, body: str, header: str = SOFTMAX, name: str = "n.md") -> list[str]:
    p = tmp_path / name
    p.write_text(header + body + "\n")
    return [r["verdict"] for r in verify_file(str(p))]


@pytest.mark.parametrize("body, expected", [
    # derivative spellings
    (r"$$\frac{d p_i}{d z_i} = p_i (1 - p_i)$$", ["proved"]),
    (r"$$\frac{\mathrm{d} p_i}{\mathrm{d} z_i} = p_i (1 - p_i)$$", ["proved"]),
    (r"$$\frac{\mathrm{d}}{\mathrm{d} z_j} p_i = p_i (\delta_{ij} - p_j)$$", ["proved"]),
    (r"$$\partial_{z_j} p_i = p_i (\delta_{ij} - p_j)$$", ["proved"]),
    (r"$$\nabla_{z_j} p_i = p_i (\delta_{ij} + p_j)$$", ["refuted"]),
    (r"$$\partial p_i / \partial z_j = p_i (\delta_{ij} - p_j)$$", ["proved"]),
    (r"$$\frac{\partial^2}{\partial z_j^2} \log \sum_{c=1}^K e^{z_c} = p_j (1 - p_j)$$", ["proved"]),
    (r"$$\frac{\partial^2 \log \sum_{c=1}^K e^{z_c}}{\partial z_j \partial z_k} = p_j (\delta_{jk} - p_k)$$", ["proved"]),
    (r"$$\frac{\partial^2 \log \sum_{c=1}^K e^{z_c}}{\partial z_j \partial z_k} = p_j \delta_{jk}$$", ["refuted"]),
    # indicator spellings: one delta
    (r"$$\mathbb{1}\{j=k\} = \delta_{jk}$$", ["proved"]),
    (r"$$1(j = k) = \delta_{jk}$$", ["proved"]),
    (r"$$[j = k] = \delta_{jk}$$", ["proved"]),
    (r"$$I_{\{j=k\}} = \delta_{jk}$$", ["proved"]),
    (r"$$\boldsymbol{1}(j \neq k) = 1 - \delta_{jk}$$", ["proved"]),
    (r"$$[j = k] = 1$$", ["refuted"]),
    # operator names, sums, per-line conditions
    (r"$$\operatorname{softmax}(z)_j = p_j$$", ["proved"]),
    (r"$$\mathrm{logsumexp}(z) = \log \sum_{c=1}^K e^{z_c}$$", ["proved"]),
    (r"$$\sum_j y_j p_i = p_i$$", ["proved"]),
    (r"$$\sum_{j \in [K]} y_j p_i = p_i$$", ["proved"]),
    (r"$$\sum_{j \in \{1, \ldots, K\}} y_j p_i = p_i$$", ["proved"]),
    (r"$$\sum_{j \in [K]} y_j = \sum_{j=2}^{K} y_j$$", ["refuted"]),
    (r"$$\sum y_j p_i = p_i$$", ["proved"]),  # the one free index of the body: j
    (r"$$\sum_{j} -y_j \log p_j = -\sum_{j} y_j \log p_j$$", ["proved"]),
    (r"$$\frac{\partial p_j}{\partial z_i} = p_i (1 - p_i), \quad i = j$$", ["proved"]),
    (r"$$\frac{\partial p_j}{\partial z_i} = p_i (1 - p_i)$$", ["refuted"]),
    (r"$$\frac{\partial p_j}{\partial z_i} = - p_i p_j, \quad i \ne j$$", ["proved"]),
    (r"$$\frac{\partial \left( - \sum_k y_k \ln p_k \right)}{\partial z_j} = p_j - y_j$$", ["proved"]),
    (r"$$\frac{\partial}{\partial z_j} \exp(z_j) \cdot \frac{1}{\sum_{c=1}^K \exp(z_c)} = p_j (1 - p_j)$$", ["proved"]),
])
def test_spelling_means_what_readers_expect(tmp_path, body, expected):
    assert verdicts(tmp_path, body) == expected


def test_sample_superscript_is_an_index_and_a_parenthesised_number_a_power(tmp_path):
    header = r"""% derive: size N, D
% derive: index i in 1..N
% derive: index d in 1..D
% derive: tensor x^{(i)}_d, w_d
% derive: scalar a
"""
    assert verdicts(tmp_path, r"$$\sum_{i=1}^N x^{(i)}_d = \sum_{i=1}^N x^{(i)}_d w_d^{(2)} / w_d^2$$",
                    header) == ["proved"]
    # e^{(a)} is exp(a), not an entry of e
    assert verdicts(tmp_path, r"$$e^{(a)} e^{-a} = 1$$", header) == ["proved"]


def test_prime_superscript_transposes_a_vector_never_a_scalar(tmp_path):
    header = r"""% derive: size D
% derive: index d in 1..D
% derive: tensor w_d, x_d
% derive: scalar a
"""
    assert verdicts(tmp_path, r"$$w^{\prime} x = \sum_{d=1}^D w_d x_d$$", header) == ["proved"]
    # a^{\prime} is another quantity (or a derivative): never "proved" equal to a
    assert verdicts(tmp_path, r"$$a^{\prime} = a$$", header) == ["unknown"]


def test_d_is_a_marker_only_opposite_a_d_and_never_when_declared(tmp_path):
    header = r"""% derive: size K
% derive: index i in 1..K
% derive: tensor z_i
% derive: scalar d
"""
    # d declared as a quantity: d z_i / (d z_i) is 1, not a derivative
    assert verdicts(tmp_path, r"$$\frac{d z_i}{d z_i} = 1$$", header) == ["proved"]


def test_unclear_sum_index_is_a_located_unknown_not_a_guess(tmp_path):
    (r,) = [r for r in _results(tmp_path, r"$$\sum y_j p_i z_k = 1$$")]
    assert r["verdict"] == "unknown" and "not clear" in r["note"] and "n.md:" in r["note"]


def _results(tmp_path, body: str, header: str = SOFTMAX) -> list[dict]:
    p = tmp_path / "n.md"
    p.write_text(header + body + "\n")
    return verify_file(str(p))


def test_unreadable_block_is_unknown_and_the_rest_is_checked(tmp_path):
    rs = _results(tmp_path, "$$p_i = \\unknowncommand{x}$$\n\n$$\\sum_j y_j = 1$$")
    assert [r["verdict"] for r in rs] == ["unknown", "proved"]
    assert "unsupported command \\unknowncommand" in rs[0]["note"]
    assert "n.md:6:" in rs[0]["note"] and rs[0]["unread"]


def test_cases_continue_from_the_member_before_them_each_under_its_condition(tmp_path):
    body = r"""$$\frac{\partial p_i}{\partial z_j} = \frac{\partial}{\partial z_j} \frac{e^{z_i}}{\sum_{c=1}^K e^{z_c}}$$
If i = j:
% derive: where i = j
$$= p_i (1 - p_i)$$
If i differs from j:
% derive: where i \neq j
$$= - p_i p_j$$
"""
    assert verdicts(tmp_path, body) == ["proved", "proved", "proved"]


# -- inferred declarations -------------------------------------------------------------------

def infer(text: str) -> list[str]:
    return [f"{d.keyword} {d.rest}" for d in infer_directives(extract(text, "n.md"))]


def test_sum_limits_give_sizes_and_ranges():
    assert infer(r"$$L = \sum_{k=1}^{K} y_k \log p_k$$") == [
        "size K", "index k in 1..K", "tensor p_{k}", "tensor y_{k}",
        r"let L = \sum_{k=1}^{K} y_k \log p_k"]  # L is defined by its first equation


def test_slot_spreads_a_range_to_the_other_letters_written_in_it():
    got = infer(r"$$\sum_{k=1}^{K} z_k = z_j + \sum_{k=1}^{K} z_k - z_j$$")
    assert "index j, k in 1..K" in got


def test_two_dimensions_get_two_sizes_never_one():
    # i only indexes x, k only indexes y: nothing says they run over the same range
    got = infer(r"$$\sum_i x_i = \sum_k y_k$$")
    sizes = [g for g in got if g.startswith("size")]
    assert len(sizes) == 2, got
    ranges = {g.split(" in ")[1] for g in got if g.startswith("index")}
    assert len(ranges) == 2, got


def test_explicit_declarations_win():
    got = infer("% derive: size N\n% derive: index k in 1..N\n% derive: tensor y_k\n"
                r"$$\sum_{k=1}^{K} y_k = 1$$")
    assert not any(g.startswith(("index k", "tensor y")) for g in got), got


def test_a_sum_over_part_of_a_range_is_not_a_conflict():
    got = infer(r"$$\sum_{k=1}^{K} y_k = y_1 + \sum_{k=2}^{K} y_k$$")
    assert "index k in 1..K" in got, got


def test_conflicting_sum_ranges_leave_the_letter_undeclared_and_say_so(tmp_path):
    got = infer(r"$$\sum_{k=1}^{K} y_k = \sum_{k=1}^{N} y_k$$")
    assert not any(g.startswith("index") and "k" in g.split(" in ")[0] for g in got), got
    p = tmp_path / "n.md"
    p.write_text(r"$$\sum_{k=1}^{K} y_k = \sum_{k=1}^{N} y_k$$" + "\n")
    out = run(["--explain", str(p)], tmp_path)
    assert "% conflict: k is summed over 1..K and over 1..N: declare it" in out.stdout


def test_vectors_multiplied_transposed_share_one_hidden_length():
    # \theta_k^T x: theta_k and x are vectors of one length the notes do not write
    got = infer(r"$$\sum_{k=1}^{K} \theta_k^T x = 1$$")
    assert {"size D", "index d in 1..D", "tensor \\theta_{kd}", "tensor x_{d}"} <= set(got), got


def test_a_vector_indexed_elsewhere_has_no_hidden_length():
    # theta^T x with theta_j written elsewhere: theta is the vector over j
    got = infer(r"$$\frac{\partial}{\partial \theta_j} \theta^T x = x_j$$")
    assert not any(g.startswith("size D") for g in got), got


def test_a_size_used_by_one_dimension_is_not_given_to_another():
    # i runs over 1..n (samples); j, written only in another slot of x, is another dimension
    got = infer("% derive: tensor x^{(i)}_j\n"
                r"$$\sum_{i=1}^{n} x^{(i)}_j = \sum_{i=1}^{n} x^{(i)}_j$$")
    (j_range,) = [g for g in got if g.startswith("index") and "j" in g.split(" in ")[0]]
    assert not j_range.endswith("1..n"), got


def test_auto_defines_from_the_first_line_with_known_names():
    got = infer("% derive: auto\n"
                r"$$p_j = \operatorname{softmax}(\mathbf{w})_j = \frac{e^{z_j}}{\sum_{k=1}^K e^{z_k}}$$")
    assert r"let p_j = \frac{e^{z_j}}{\sum_{k=1}^K e^{z_k}}" in got


# -- the command line -----------------------------------------------------------------------

def run(args: list[str], cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "derive", "verify", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_folder_and_glob_are_checked_in_parallel_and_one_bad_file_does_not_stop_them(tmp_path):
    notes = tmp_path / "notes"
    (notes / "sub").mkdir(parents=True)
    (notes / "a.md").write_text(SOFTMAX + "$$\\sum_j y_j = 1$$\n")
    (notes / "sub" / "b.tex").write_text(SOFTMAX + "\\[\\sum_j y_j = 2 \\sum_j y_j\\]\n")
    (notes / "bad.md").write_text("% derive: nonsense\n$$a$$\n")
    out = run([str(notes)], tmp_path)
    assert out.returncode == 2, out
    assert "a.md:6: proved" in out.stdout and "b.tex:6: refuted" in out.stdout, out.stdout
    assert "bad.md:1:11: unknown directive 'nonsense'" in out.stderr
    out = run([str(notes / "*.md"), "-j", "1"], tmp_path)
    assert "a.md:6: proved" in out.stdout and "b.tex" not in out.stdout
    out = run([str(tmp_path / "nothing" / "*.tex")], tmp_path)
    assert out.returncode == 2 and "matches no .tex or .md file" in out.stderr


def test_explain_prints_copyable_declarations(tmp_path):
    p = tmp_path / "n.md"
    p.write_text(r"$$\sum_{k=1}^{K} y_k = 1$$" + "\n")
    out = run(["--explain", str(p)], tmp_path)
    assert "% derive: size K" in out.stdout and "% derive: index k in 1..K" in out.stdout


def test_corpus_table_reports_every_file(tmp_path):
    out = run(["--corpus"], tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 false verdicts" in out.stdout
    from derive.latex.corpus import corpus_dir

    names = [n for n in os.listdir(corpus_dir()) if n[:2].isdigit()]
    assert all(n[:40] in out.stdout for n in names)


def test_pytest_plugin_runs_under_xdist(tmp_path):
    pytest.importorskip("xdist")
    from tests.test_latex import PLUGIN_NOTES, run_pytest

    (tmp_path / "a.tex").write_text(PLUGIN_NOTES)
    (tmp_path / "b.tex").write_text(PLUGIN_NOTES)
    out = run_pytest([str(tmp_path / "a.tex"), str(tmp_path / "b.tex"), "-n", "2",
                      "--dist", "loadfile"], tmp_path)
    assert "2 failed, 2 passed" in out, out
    assert "counterexample" in out


@pytest.mark.parametrize("column, expected", [
    (r"\begin{bmatrix} b_1 \\ b_2 \\ \vdots \\ b_m \end{bmatrix} = b", "proved"),
    (r"\begin{bmatrix} 2 b_1 \\ 2 b_2 \\ \vdots \\ 2 b_m \end{bmatrix} = b", "refuted"),
    (r"\begin{bmatrix} a \odot b_1 \\ a \odot b_2 \\ \vdots \\ a \odot b_m \end{bmatrix} = b a^T", "proved"),
    # rows that do not show one pattern, or a last row that is not a size: never guessed
    (r"\begin{bmatrix} b_1 \\ b_3 \\ \vdots \\ b_m \end{bmatrix} = b", "unknown"),
    (r"\begin{bmatrix} b_1 \\ b_2 \\ \vdots \\ b_r \end{bmatrix} = b", "unknown"),
    (r"\begin{bmatrix} b_1 & b_2 & \cdots \\ \vdots & \ddots \\ b_m & \cdots & b_m \end{bmatrix} = b b^T", "unknown"),
])
def test_vdots_column_is_the_pattern_it_shows(tmp_path, column, expected):
    header = r"""% derive: size m, D
% derive: index r in 1..m
% derive: index d in 1..D
% derive: tensor a_d, b_r
"""
    assert verdicts(tmp_path, f"$${column}$$", header) == [expected]


JACOBIAN = (r"\begin{bmatrix} y_1 - y_1 y_1 & - y_1 y_2 & \cdots & - y_1 y_n \\ "
            r"{r21} & y_2 - y_2 y_2 & \cdots & - y_2 y_n \\ \vdots & \vdots & \ddots & \vdots \\ "
            r"- y_n y_1 & - y_n y_2 & \cdots & y_n - y_n y_n \end{bmatrix}")


@pytest.mark.parametrize("entry21, right, expected", [
    (r"- y_2 y_1", r"\operatorname{diag}(y) - y y^T", "proved"),
    (r"- y_2 y_1", r"y y^T", "refuted"),
    # a written entry off the pattern (the sign slip of a published Jacobian): never guessed
    (r"y_2 y_1", r"\operatorname{diag}(y) - y y^T", "unknown"),
])
def test_matrix_with_dots_is_the_pattern_of_its_first_entries(tmp_path, entry21, right, expected):
    header = "% derive: size n\n% derive: index i in 1..n\n% derive: tensor y_i\n"
    body = "$$" + JACOBIAN.replace("{r21}", entry21) + " = " + right + "$$"
    assert verdicts(tmp_path, body, header) == [expected]
