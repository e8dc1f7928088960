"""Sample vectors beside a weight vector (derive.latex.infer_partners), a power is no
definition pattern (derive.latex.infer_reading.pattern_head), and a vector equated with the
number 0 (derive.latex.verify_verdicts): case tables with the rows where each must NOT apply.

Every verdict row's truth is decided here by brute force (NumPy, central differences at
small sizes, 1 among them), never by derive.
"""

from __future__ import annotations

import numpy as np
import pytest

from derive.latex.infer import inference
from derive.latex.sources import read_text
from derive.latex.verify import verify_notes

W_RANGE = "$$\\|w\\|^2 = \\sum_{j=1}^{p} w_j^2$$\n\n"


def inferred(text: str) -> set[str]:
    return {f"{d.keyword} {d.rest}" for d in inference(read_text(text, "md")).directives}


def verdicts(text: str) -> list[str]:
    return [r["verdict"] for r in verify_notes(read_text(text, "md"))]


# -- the rule: w^T x_i with w_j written over a range gives x_{ij} ------------------------

PARTNERS = [
    # (notes, a line that must be inferred, a line that must not)
    (W_RANGE + "$$s = \\sum_{i=1}^{n} w^T x_i$$\n", "tensor x_{ij}", "tensor x_{i}"),
    # bold vectors beside the plain entries w_j, two letters j, k of one range: the first
    ("$$H_{jk} = \\frac{\\partial^2 L}{\\partial w_j \\partial w_k}$$\n\n" + W_RANGE
     + "$$L = \\sum_{i=1}^{n} \\log(1 + e^{\\mathbf{w}^\\top \\mathbf{x}_i})$$\n",
     "tensor \\mathbf{x}_{ij}", "tensor \\mathbf{x}_{i}"),
    # a range of size 1 is a range
    ("$$\\|w\\|^2 = \\sum_{j=1}^{1} w_j^2$$\n\n$$s = \\sum_{i=1}^{n} w^T x_i$$\n",
     "tensor x_{ij}", "tensor x_{i}"),
    # must NOT apply: the sample letter is w's own index (x_{jj} would be a misreading)
    (W_RANGE + "$$s = \\sum_{j=1}^{p} w^T x_j$$\n", "tensor x_{j}", "tensor x_{jj}"),
    # must NOT apply: two weight vectors over two ranges meet the same x_i
    (W_RANGE + "$$\\|v\\|^2 = \\sum_{k=1}^{q} v_k^2$$\n\n"
     "$$s = \\sum_{i=1}^{n} w^T x_i + v^T x_i$$\n", "tensor x_{i}", "tensor x_{ij}"),
    # must NOT apply: w written over two ranges (w_j in 1..p, w_k in 1..q)
    (W_RANGE + "$$t = \\sum_{k=1}^{q} w_k$$\n\n$$s = \\sum_{i=1}^{n} w^T x_i$$\n",
     "tensor x_{i}", "tensor x_{ij}"),
    # must NOT apply: x written elsewhere with two slots of its own (that use decides)
    (W_RANGE + "$$s = \\sum_{i=1}^{n} w^T x_i + \\sum_{k=1}^{q} x_{ik}$$\n",
     "tensor x_{ik}", "tensor x_{ij}"),
    # must NOT apply: w a matrix (two slots), not a vector over one index
    ("$$a = \\sum_{j=1}^{p} \\sum_{k=1}^{q} w_{jk}$$\n\n$$s = \\sum_{i=1}^{n} w^T x_i$$\n",
     "tensor w_{jk}", "tensor x_{ij}"),
    # must NOT apply: w never written with an entry (the hidden size of u^T v decides)
    ("$$s = \\sum_{i=1}^{n} w^T x_i$$\n", "tensor x_{id}", "tensor x_{ij}"),
    # must NOT apply: a colliding name, x declared by hand
    ("% derive: size n\n% derive: index i in 1..n\n% derive: tensor x_{i}\n" + W_RANGE
     + "$$s = \\sum_{i=1}^{n} w^T x_i$$\n", "tensor w_{j}", "tensor x_{ij}"),
]


@pytest.mark.parametrize(("notes", "present", "absent"), PARTNERS)
def test_sample_vectors_beside_a_weight_vector(notes, present, absent):
    got = inferred(notes)
    assert present in got
    assert absent not in got


# -- verdicts under the rule, truth by brute force ---------------------------------------

def _grad(f, w, h=1e-6):
    return np.array([(f(w + h * e) - f(w - h * e)) / (2 * h) for e in np.eye(len(w))])


def _logistic(w, x):  # d/dw sum_i log(1 + e^{w^T x_i}) = sum_i e^{w^T x_i}/(1 + e^{...}) x_i
    return _grad(lambda v: np.log1p(np.exp(x @ v)).sum(), w), (
        (np.exp(x @ w) / (1 + np.exp(x @ w)))[:, None] * x).sum(0)


def _logistic_wrong(w, x):  # the same with 1/(1 + e^{...}): false
    return _grad(lambda v: np.log1p(np.exp(x @ v)).sum(), w), (
        (1 / (1 + np.exp(x @ w)))[:, None] * x).sum(0)


def _square(w, x):  # d/dw sum_i (w^T x_i)^2 = sum_i 2 (w^T x_i) x_i
    return _grad(lambda v: ((x @ v) ** 2).sum(), w), (2 * (x @ w)[:, None] * x).sum(0)


def _square_wrong(w, x):  # ... = sum_i (w^T x_i) x_i: false (a factor 2)
    return _grad(lambda v: ((x @ v) ** 2).sum(), w), ((x @ w)[:, None] * x).sum(0)


def holds(case) -> bool:
    rng = np.random.default_rng(0)
    for n, p in ((1, 1), (2, 3), (3, 2)):
        w, x = rng.normal(size=p), rng.normal(size=(n, p))
        a, b = case(w, x)
        if not np.allclose(a, b, rtol=1e-5, atol=1e-6):
            return False
    return True


GRAD = "\\frac{\\partial}{\\partial w} \\sum_{i=1}^{n} "
VERDICTS = [
    (GRAD + "\\log(1 + e^{w^T x_i}) = \\sum_{i=1}^{n} \\frac{e^{w^T x_i}}{1 + e^{w^T x_i}} x_i",
     _logistic),
    (GRAD + "\\log(1 + e^{w^T x_i}) = \\sum_{i=1}^{n} \\frac{1}{1 + e^{w^T x_i}} x_i",
     _logistic_wrong),
    (GRAD + "(w^T x_i)^2 = \\sum_{i=1}^{n} 2 (w^T x_i) x_i", _square),
    (GRAD + "(w^T x_i)^2 = \\sum_{i=1}^{n} (w^T x_i) x_i", _square_wrong),
]


@pytest.mark.parametrize(("step", "case"), VERDICTS)
def test_verdicts_with_sample_vectors(step, case):
    got = verdicts(W_RANGE + f"$${step}$$\n")
    assert got[0] == "proved"  # ||w||^2 = sum_j w_j^2
    assert got[1] == ("proved" if holds(case) else "refuted")


# -- a power of a name is no definition: H^{-1} = ... is a claim ---------------------------

PATTERNS = [
    # (notes, a let that must be inferred or None, a let that must not)
    ("$$H^{-1} = \\sum_{i=1}^{n} x_i$$\n", None, "H^{-1} = \\sum_{i=1}^{n} x_i"),
    ("$$s^2 = \\sum_{i=1}^{n} x_i$$\n", None, "s^2 = \\sum_{i=1}^{n} x_i"),
    # must still be definitions: label superscripts, a prime-free name, a subscripted name
    ("$$a^{(i)} = 2 z^{(i)}$$\n", "a^{(i)} = 2 z^{(i)}", None),
    ("$$a^{[l]}_j = 2 z^{[l]}_j$$\n", "a^{[l]}_j = 2 z^{[l]}_j", None),
    ("$$s = \\sum_{i=1}^{n} x_i$$\n", "s = \\sum_{i=1}^{n} x_i", None),
]


@pytest.mark.parametrize(("notes", "present", "absent"), PATTERNS)
def test_a_power_is_no_definition_pattern(notes, present, absent):
    lets = {d.rest for d in inference(read_text(notes, "md")).directives if d.keyword == "let"}
    if present is not None:
        assert present in lets
    if absent is not None:
        assert absent not in lets


def test_an_inverse_written_as_a_definition_is_not_proved():
    # H^{-1} = sum_i x_i x_i^T beside the Hessian's own definition: a claim about the
    # inverse, never proved by reading it as the definition of H (f01-like notes)
    notes = (W_RANGE + "$$s = \\sum_{i=1}^{n} w^T x_i$$\n\n"
             "$$H^{-1} = \\sum_{i=1}^{n} x_i x_i^T$$\n")
    assert verdicts(notes)[-1] != "proved"


# -- a vector equated with the number 0: the zero vector, never a shape refutation ------

ZEROS = [
    # (notes, expected verdict of the last step)
    ("$$\\mathbf{z} = \\mathbf{W}\\mathbf{x}$$\n\n$$\\mathbf{W}\\mathbf{x} - \\mathbf{z} = 0$$\n",
     "unknown"),  # the zero vector: true, not checked entry by entry, never refuted
    ("$$\\mathbf{z} = \\mathbf{W}\\mathbf{x}$$\n\n$$0 = \\mathbf{z} - \\mathbf{W}\\mathbf{x}$$\n",
     "unknown"),
    # must NOT apply: a scalar 0 beside a scalar (proved), a vector beside a nonzero scalar
    ("$$b - b = 0$$\n", "proved"),
    ("$$\\mathbf{z} = \\mathbf{W}\\mathbf{x}$$\n\n$$\\mathbf{W}\\mathbf{x} - \\mathbf{z} = 1$$\n",
     "refuted"),
]


@pytest.mark.parametrize(("notes", "want"), ZEROS)
def test_a_vector_equated_with_zero(notes, want):
    assert verdicts(notes)[-1] == want
