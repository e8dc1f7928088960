"""The entry ``p_i`` of a vector the notes define without indices (issue 19, item 4).

``p = \\text{softmax}(z)`` then ``\\partial p_i / \\partial z_j``: ``p_i`` is entry i of the
defined vector. It was "p_{...} is undeclared" (unknown). It is read where each index runs
over the axis it picks: a free index letter over ``1..size`` of that axis, or the letter of a
sum over exactly that range. Elsewhere it stays unknown: an index over another range (the
samples, not the classes), a part of the range, a number, a scalar ``p`` (no axis), a matrix
with one index. The referee reads the entry on its own (derive.latex.referee.evaluate:
``defined_entry``), and abstains outside the axis.

Truth by brute force (NumPy, sizes 1-4, every i, j; derivatives by central differences),
never by derive.
"""

from __future__ import annotations

import numpy as np
import pytest

from derive.latex.verify import verify_file

P = "$$p = \\text{softmax}(z)$$\n\n"
Z = "$$\\sum_{k=1}^{n} z_k = \\sum_{k=1}^{n} z_k$$\n\n"


def verdicts(tmp_path, body: str) -> list[str]:
    p = tmp_path / "n.md"
    p.write_text(body + "\n")
    return [r["verdict"] for r in verify_file(str(p)) if r["verdict"] != "definition"]


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def truth(name: str) -> bool:
    rng = np.random.default_rng(3)
    for n in (1, 2, 3, 4):
        for _ in range(3):
            z = rng.normal(size=n)
            p = softmax(z)
            eps = 1e-6
            for i in range(n):
                for j in range(n):
                    step = np.eye(n)[j] * eps
                    dp = (softmax(z + step)[i] - softmax(z - step)[i]) / (2 * eps)
                    dlog = (np.log(softmax(z + step)[i])
                            - np.log(softmax(z - step)[i])) / (2 * eps)
                    d = float(i == j)
                    lhs, rhs = {
                        "sum p = 1": (p.sum(), 1.0),
                        "sum p = 2": (p.sum(), 2.0),
                        "jacobian": (dp, p[i] * (d - p[j])),
                        "jacobian wrong sign": (dp, p[i] * (d + p[j])),
                        "dlog": (dlog, d - p[j]),
                        "dlog wrong": (dlog, d + p[j]),
                        "p_i = e^z_i / sum": (p[i], np.exp(z[i]) / np.exp(z).sum()),
                        "p_i = e^z_i": (p[i], np.exp(z[i])),
                    }[name]
                    if not np.isclose(lhs, rhs, atol=1e-5):
                        return False
    return True


APPLIES = [
    # (z is a vector over 1..n: written with its index once)
    ("sum p = 1", Z + P + "$$\\sum_{i=1}^{n} p_i = 1$$", "proved"),
    ("sum p = 2", Z + P + "$$\\sum_{i=1}^{n} p_i = 2$$", "refuted"),
    ("jacobian", P + "$$\\frac{\\partial p_i}{\\partial z_j} = p_i (\\delta_{ij} - p_j)$$",
     "proved"),
    ("jacobian wrong sign",
     P + "$$\\frac{\\partial p_i}{\\partial z_j} = p_i (\\delta_{ij} + p_j)$$", "refuted"),
    ("dlog", P + "$$\\frac{\\partial \\log p_i}{\\partial z_j} = \\delta_{ij} - p_j$$",
     "proved"),
    ("dlog wrong", P + "$$\\frac{\\partial \\log p_i}{\\partial z_j} = \\delta_{ij} + p_j$$",
     "refuted"),
    ("p_i = e^z_i / sum", "$$\\sum_{k=1}^{K} z_k = \\sum_{k=1}^{K} z_k$$\n\n" + P
     + "$$p_j = \\frac{e^{z_j}}{\\sum_{k=1}^{K} e^{z_k}}$$", "proved"),
    ("p_i = e^z_i", "$$\\sum_{k=1}^{K} z_k = \\sum_{k=1}^{K} z_k$$\n\n" + P
     + "$$p_j = e^{z_j}$$", "refuted"),
]


@pytest.mark.parametrize("name, body, expected", APPLIES)
def test_an_entry_of_a_defined_vector(tmp_path, name, body, expected):
    assert truth(name) == (expected == "proved")
    assert verdicts(tmp_path, body)[-1] == expected


NOT_APPLIES = [
    # the samples' index over the classes' vector: another range
    ("another range", "Each sample $i = 1, \\ldots, N$; classes $z_k$, $k = 1, \\ldots, K$.\n\n"
     + P + "$$\\sum_{k=1}^{K} z_k + \\sum_{i=1}^{N} p_i = \\sum_{k=1}^{K} z_k + 1$$"),
    ("another range, a free index", "$$\\sum_{i=1}^{N} y_i = \\sum_{i=1}^{N} y_i$$\n\n"
     "$$\\sum_{k=1}^{K} z_k = \\sum_{k=1}^{K} z_k$$\n\n" + P
     + "$$\\frac{\\partial \\log p_i}{\\partial z_k} = \\delta_{ik} - p_k$$"),
    ("a part of the range", "$$\\sum_{k=1}^{K} z_k = \\sum_{k=1}^{K} z_k$$\n\n" + P
     + "$$\\sum_{k=2}^{K} p_k = 1 - p_1$$"),
    ("an empty range", "$$\\sum_{k=1}^{K} z_k = \\sum_{k=1}^{K} z_k$$\n\n" + P
     + "$$\\sum_{j=1}^{0} p_j = 0$$"),
    ("a number", "$$\\sum_{k=1}^{K} z_k = \\sum_{k=1}^{K} z_k$$\n\n" + P
     + "$$p_1 = \\frac{e^{z_1}}{\\sum_{k=1}^{K} e^{z_k}}$$"),
    ("a scalar p", "$$q = \\sigma(w^T x)$$\n\n$$q_i = q$$"),
]


@pytest.mark.parametrize("name, body", NOT_APPLIES)
def test_an_entry_not_inside_its_axis_is_unknown(tmp_path, name, body):
    assert truth("sum p = 1")
    p = tmp_path / "n.md"
    p.write_text(body + "\n")
    last = [r for r in verify_file(str(p)) if r["verdict"] != "definition"][-1]
    assert last["verdict"] == "unknown", name
    assert any(w in last["note"] for w in ("does not run over", "not a letter",
                                           "an index per axis")), (name, last["note"])


def test_an_indexed_definition_wins_over_the_entry(tmp_path):
    """Must not apply: p_i defined by its own indexed equation is read by it (a colliding
    name: the bare p and p_i both defined, the indexed one is matched first)."""
    assert truth("jacobian")
    body = ("$$p_i = \\frac{e^{z_i}}{\\sum_{k=1}^{K} e^{z_k}}$$\n\n"
            "$$\\frac{\\partial p_i}{\\partial z_j} = p_i (\\delta_{ij} - p_j)$$")
    assert verdicts(tmp_path, body) == ["proved"]


BOLD = "Let $\\mathbf{p} = \\text{softmax}(\\mathbf{z})$ with $\\mathbf{z} \\in \\mathbb{R}^K$.\n\n"


@pytest.mark.parametrize("name, body, expected", [
    # the bold vector defined alone, its entries written plain
    ("jacobian", BOLD + "$$\\frac{\\partial p_i}{\\partial z_j} = p_i(\\delta_{ij} - p_j)$$",
     "proved"),
    ("jacobian wrong sign",
     BOLD + "$$\\frac{\\partial p_i}{\\partial z_j} = p_i(\\delta_{ij} + p_j)$$", "refuted"),
    ("sum p = 1", BOLD + "$$\\frac{\\partial p_i}{\\partial z_j} = p_i(\\delta_{ij} - p_j)$$"
     "\n\n$$\\sum_{i=1}^{K} p_i = 1$$", "proved"),
    ("dlog", "Let $\\boldsymbol{p} = \\text{softmax}(\\boldsymbol{z})$.\n\n"
     "$$\\frac{\\partial \\log p_i}{\\partial z_j} = \\delta_{ij} - p_j$$", "proved"),
])
def test_an_entry_of_a_vector_defined_in_bold(tmp_path, name, body, expected):
    assert truth(name) == (expected == "proved")
    assert verdicts(tmp_path, body)[-1] == expected


def test_a_bold_function_is_no_vector_of_entries(tmp_path):
    """Must not apply: \\mathbf{p}(\\mathbf{z}) = ... defines a function; p_i beside it is
    no entry of a defined vector (unknown, never a quantity independent of z)."""
    body = ("Let $\\mathbf{p}(\\mathbf{z}) = \\text{softmax}(\\mathbf{z})$.\n\n"
            "$$\\frac{\\partial p_i}{\\partial z_j} = 0$$")
    assert verdicts(tmp_path, body)[-1] == "unknown"


def test_a_bold_vector_written_from_its_entries_keeps_them(tmp_path):
    """Must not apply: \\mathbf{z} = [z_1, z_2] writes the vector from its entries, which stay
    the quantities (a tensor z_k); read the other way round, z_k had no declaration and the
    true step below was unknown."""
    rng = np.random.default_rng(4)
    for n in (1, 2, 3):
        z, eps = rng.normal(size=n), 1e-6
        for j in range(n):
            step = np.eye(n)[j] * eps
            fd = (np.exp(z + step).sum() - np.exp(z - step).sum()) / (2 * eps)
            assert np.isclose(fd, np.exp(z[j]), atol=1e-5)
    step = "$$\\frac{\\partial}{\\partial z_j} \\sum_{k=1}^{K} e^{z_k} = e^{z_j}$$"
    body = "For example the input $\\mathbf{z} = [z_1, z_2]$.\n\n" + step
    assert verdicts(tmp_path, body)[-1] == "proved"
    hand = "% derive: let \\mathbf{z} = (z_1, \\ldots, z_K)\n\n" + step
    assert verdicts(tmp_path, hand)[-1] == "proved"


def sigmoid_truth(name: str) -> bool:
    """a = sigma(z) entrywise, z_j = sum_i w_ji x_i: by brute force (sizes 1-3)."""
    rng = np.random.default_rng(5)
    for m in (1, 2, 3):
        for n in (1, 2, 3):
            w, x = rng.normal(size=(m, n)), rng.normal(size=n)
            z = w @ x
            a = 1 / (1 + np.exp(-z))
            eps = 1e-6
            for j in range(m):
                zp, zm = z.copy(), z.copy()
                zp[j] += eps
                zm[j] -= eps
                fd = (1 / (1 + np.exp(-zp[j])) - 1 / (1 + np.exp(-zm[j]))) / (2 * eps)
                rhs = {"a(1-a)": a[j] * (1 - a[j]), "a(1+a)": a[j] * (1 + a[j])}[name]
                if not np.isclose(fd, rhs, atol=1e-5):
                    return False
    return True


@pytest.mark.parametrize("name, body, expected", [
    # a hat outside or inside the bold font: its entries are \hat{y}_i
    ("jacobian", "Let $\\hat{\\mathbf{y}} = \\text{softmax}(\\mathbf{z})$.\n\n"
     "$$\\frac{\\partial \\hat{y}_i}{\\partial z_j} = \\hat{y}_i(\\delta_{ij} - \\hat{y}_j)$$",
     "proved"),
    ("jacobian wrong sign", "$$\\hat{\\mathbf{y}} = \\text{softmax}(\\mathbf{z})$$\n\n"
     "$$\\frac{\\partial \\hat{y}_i}{\\partial z_j} = \\hat{y}_i(\\delta_{ij} + \\hat{y}_j)$$",
     "refuted"),
    ("jacobian", "$$\\mathbf{\\hat{y}} = \\text{softmax}(\\mathbf{z})$$\n\n"
     "$$\\frac{\\partial \\hat{y}_i}{\\partial z_j} = \\hat{y}_i(\\delta_{ij} - \\hat{y}_j)$$",
     "proved"),
])
def test_an_entry_of_a_decorated_bold_vector(tmp_path, name, body, expected):
    assert truth(name) == (expected == "proved")
    assert verdicts(tmp_path, body)[-1] == expected


@pytest.mark.parametrize("name, expected", [("a(1-a)", "proved"), ("a(1+a)", "refuted")])
def test_a_bold_vector_of_defined_entries_applied_entrywise(tmp_path, name, expected):
    """\\mathbf{a} = \\sigma(\\mathbf{z}) where z_j is defined: \\mathbf{z} is the vector of
    the defined z_j, and a_j its entry."""
    assert sigmoid_truth(name) == (expected == "proved")
    rhs = {"a(1-a)": "a_j (1 - a_j)", "a(1+a)": "a_j (1 + a_j)"}[name]
    body = ("The output is $\\mathbf{a} = \\sigma(\\mathbf{z})$, applied entrywise, with "
            "$z_j = \\sum_{i=1}^{n} w_{ji} x_i$ for $j = 1, \\ldots, m$.\n\n"
            f"$$\\frac{{\\partial a_j}}{{\\partial z_j}} = {rhs}$$")
    assert verdicts(tmp_path, body)[-1] == expected


@pytest.mark.parametrize("rhs, expected", [
    ("\\sum_{i=1}^{N} X_{ij} X_{ik}", "proved"),
    ("2 \\sum_{i=1}^{N} X_{ij} X_{ik}", "refuted"),
])
def test_an_entry_of_a_defined_matrix(tmp_path, rhs, expected):
    """A = X^T X defined alone: A_{jk} is its entry (j, k)."""
    rng = np.random.default_rng(7)
    holds = True
    for n, d in ((1, 1), (2, 3), (3, 2)):
        x = rng.normal(size=(n, d))
        a = x.T @ x
        for j in range(d):
            for k in range(d):
                value = (x[:, j] * x[:, k]).sum() * (2 if rhs.startswith("2") else 1)
                holds &= bool(np.isclose(a[j, k], value))
    assert holds == (expected == "proved")
    body = ("$$\\sum_{i=1}^{N} \\sum_{j=1}^{D} X_{ij} = \\sum_{j=1}^{D} \\sum_{i=1}^{N} X_{ij}$$"
            f"\n\n$$A = X^T X$$\n\n$$A_{{jk}} = {rhs}$$")
    assert verdicts(tmp_path, body)[-1] == expected
