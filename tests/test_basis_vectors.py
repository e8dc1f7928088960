"""Standard basis vectors ``e_k`` / ``\\mathbf{e}_k`` (issue 19, item 4; derive.latex.basis_vectors).

Where the prose says "e_k is the k-th standard basis vector", ``e_k`` is read as the vector
with 1 at entry k and 0 elsewhere, of the length of the range of k. Where it does not, a
subscripted bold e used to be inferred as a quantity of a hidden size of its own, and true
steps were refuted (``\\sum_k y_k \\mathbf{e}_k = \\mathbf{y}``): it is now unknown, named.

Truth of each row is decided by brute force in :func:`truth` (NumPy, sizes 1-4, every j,
k), never by derive. Must-not-apply rows: no statement in the prose, "a unit vector" with no
ordinal, an index over another range (0..p), a range of one number, an empty range, a space
of another size than the index's range, a name declared by hand.
"""

from __future__ import annotations

import numpy as np
import pytest

from derive.latex.basis_vectors import basis_let, prose_bases
from derive.latex.verify import verify_file

SAID = "Here $\\mathbf{e}_k$ is the $k$-th standard basis vector.\n\n"
SAID_PLAIN = "where $e_k$ is the $k$-th unit vector, and\n\n"
SOFTMAX = "$$p_j = \\frac{e^{z_j}}{\\sum_{k=1}^K e^{z_k}}$$\n\n"
Y = "and $\\mathbf{y} = (y_1, \\ldots, y_K)$.\n\n"


def verdicts(tmp_path, body: str) -> list[str]:
    p = tmp_path / "n.md"
    p.write_text(body + "\n")
    return [r["verdict"] for r in verify_file(str(p)) if r["verdict"] != "definition"]


def _softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def truth(name: str) -> bool:
    """Whether the row's step holds at every size 1-4, every j, k and random entries."""
    rng = np.random.default_rng(1)
    for n in (1, 2, 3, 4):
        basis = np.eye(n)
        for _ in range(3):
            y, z = rng.normal(size=n), rng.normal(size=n)
            for j in range(n):
                for k in range(n):
                    p = _softmax(z)
                    grad = basis[j] - p  # d log p_j / dz, by the closed form ...
                    eps = 1e-6  # ... checked by central differences
                    fd = np.array([(np.log(_softmax(z + eps * basis[i])[j])
                                    - np.log(_softmax(z - eps * basis[i])[j])) / (2 * eps)
                                   for i in range(n)])
                    assert np.allclose(grad, fd, atol=1e-6)
                    lhs, rhs = {
                        "sum y_k e_k = y": (sum(y[i] * basis[i] for i in range(n)), y),
                        "sum y_k e_k = 2y": (sum(y[i] * basis[i] for i in range(n)), 2 * y),
                        "y^T e_j = y_j": (y @ basis[j], y[j]),
                        "e_j^T e_j = 1": (basis[j] @ basis[j], 1.0),
                        "e_j^T e_j = 2": (basis[j] @ basis[j], 2.0),
                        "e_j^T e_k = 0": (basis[j] @ basis[k], 0.0),
                        "dlog p_j = e_j - p": (fd, basis[j] - p),
                        "dlog p_j = e_j + p": (fd, basis[j] + p),
                        "sum 2y_k = 2 sum y_k": (sum(2 * y), 2 * y.sum()),
                    }[name]
                    if not np.allclose(lhs, rhs):
                        return False
    return True


APPLIES = [
    ("sum y_k e_k = y", SAID + Y + "$$\\sum_{k=1}^K y_k \\mathbf{e}_k = \\mathbf{y}$$",
     "proved"),
    ("sum y_k e_k = 2y", SAID + Y + "$$\\sum_{k=1}^K y_k \\mathbf{e}_k = 2\\mathbf{y}$$",
     "refuted"),
    ("y^T e_j = y_j", SAID + Y + "$$\\sum_{k=1}^K y_k = 1 + \\sum_{k=1}^K y_k - 1$$\n\n"
     "$$\\mathbf{y}^T \\mathbf{e}_j = y_j$$", "proved"),
    ("e_j^T e_j = 1", SAID + "$$\\sum_{k=1}^{K} \\mathbf{e}_k^T \\mathbf{e}_k = K$$\n\n"
     "$$\\mathbf{e}_j^T \\mathbf{e}_j = 1$$", "proved"),
    ("e_j^T e_j = 2", SAID + "$$\\sum_{k=1}^{K} \\mathbf{e}_k^T \\mathbf{e}_k = K$$\n\n"
     "$$\\mathbf{e}_j^T \\mathbf{e}_j = 2$$", "refuted"),
    # j = k is not excluded by the notes: false at j = k
    ("e_j^T e_k = 0", SAID + "$$\\sum_{k=1}^{K} \\mathbf{e}_k^T \\mathbf{e}_k = K$$\n\n"
     "$$\\mathbf{e}_j^T \\mathbf{e}_k = 0$$", "refuted"),
    # a plain e_k beside Euler's e^{z}: each keeps its meaning
    ("dlog p_j = e_j - p", SOFTMAX + SAID_PLAIN
     + "$$\\frac{\\partial \\log p_j}{\\partial z} = e_j - p$$", "proved"),
    ("dlog p_j = e_j + p", SOFTMAX + SAID_PLAIN
     + "$$\\frac{\\partial \\log p_j}{\\partial z} = e_j + p$$", "refuted"),
    ("sum y_k e_k = y", "with \\(\\boldsymbol{e}_k\\) the k-th canonical basis vector of "
     "$\\mathbb{R}^K$, " + Y + "$$\\sum_{k=1}^K y_k \\boldsymbol{e}_k = \\mathbf{y}$$",
     "proved"),
]


@pytest.mark.parametrize("name, body, expected", APPLIES)
def test_a_basis_vector_the_prose_names_is_read(tmp_path, name, body, expected):
    assert truth(name) == (expected == "proved")
    assert verdicts(tmp_path, body)[-1] == expected


STEP = "$$\\sum_{k=1}^K y_k \\mathbf{e}_k = \\mathbf{y}$$"
NOT_APPLIES = [
    # nothing said: e_k is never a quantity of a hidden size (that refuted this true step)
    ("not said", Y + STEP),
    ("a unit vector, no ordinal", "where $\\mathbf{e}_k$ is a unit vector, " + Y + STEP),
    ("another range", SAID + "and $\\mathbf{y} = (y_0, \\ldots, y_p)$.\n\n"
     "$$\\sum_{k=0}^p y_k \\mathbf{e}_k = \\mathbf{y}$$"),
    ("a range of one number", SAID + "$$\\sum_{k=1}^{1} y_k \\mathbf{e}_k = y_1 \\mathbf{e}_1$$"),
    ("an empty range", SAID + "$$\\sum_{k=1}^{0} y_k \\mathbf{e}_k = 0$$"),
    ("a space of another size", "Here $\\mathbf{e}_k$ is the $k$-th standard basis vector of "
     "$\\mathbb{R}^D$.\n\n" + Y + STEP),
]


@pytest.mark.parametrize("name, body", NOT_APPLIES)
def test_a_basis_vector_not_pinned_is_unknown(tmp_path, name, body):
    assert truth("sum y_k e_k = y")
    p = tmp_path / "n.md"
    p.write_text(body + "\n")
    last = [r for r in verify_file(str(p)) if r["verdict"] != "definition"][-1]
    assert last["verdict"] == "unknown", (name, last)
    assert "e}_{...} is undeclared" in last["note"] and "basis vector" in last["note"], (
        name, last["note"])


def test_a_name_declared_by_hand_keeps_its_declaration(tmp_path):
    """Must not apply: e_k declared by hand (e_k = 2 y_k) is that, whatever the prose says."""
    assert truth("sum 2y_k = 2 sum y_k")
    body = ("% derive: size K\n% derive: index k in 1..K\n% derive: tensor y_k\n"
            "% derive: let e_k = 2 y_k\n\n"
            + SAID_PLAIN + "$$\\sum_{k=1}^K e_k = 2 \\sum_{k=1}^K y_k$$")
    assert verdicts(tmp_path, body) == ["proved"]


PHRASES = [
    ("where $e_k$ is the $k$-th unit vector.", [("e", "k")]),
    ("where $e_k$ is the $k^{th}$ unit vector.", [("e", "k")]),
    ("where $e_j$ denotes the $j$th basis vector", [("e", "j")]),
    ("the standard basis vector $\\boldsymbol{e}_j$ has", [("\\boldsymbol{e}", "j")]),
    ("with \\(\\mathbf{e}_i\\) the i-th standard basis vector", [("\\mathbf{e}", "i")]),
    ("where $e_k$ is a unit vector.", []),
    ("where $e_j$ is the error of sample j", []),
    ("where $u$ is the first basis vector", []),  # no index: not a family of basis vectors
    ("<!-- where $e_k$ is the k-th basis vector -->", []),
]


@pytest.mark.parametrize("text, expected", PHRASES)
def test_the_prose_phrases(text, expected):
    assert [(b.head, b.letter) for b in prose_bases(text + "\n")] == expected


@pytest.mark.parametrize("rng, space, expected", [
    (("1", "K"), None, "e_{k} = (\\delta_{k1}, \\ldots, \\delta_{kK})"),
    (("1", "K"), "K", "e_{k} = (\\delta_{k1}, \\ldots, \\delta_{kK})"),
    (("1", "K"), "D", None),
    (("0", "K"), None, None),
    (("1", "1"), None, None),
    (("1", "0"), None, None),
    (None, None, None),
])
def test_the_let_line(rng, space, expected):
    assert basis_let("e", "k", rng, space) == expected
