"""Issue 19, item 3: ``f(x)`` as a call or a product is an ambiguity point
(derive.latex.ambiguity, kind ``call-product``).

The context decides where it can: a name defined with arguments (``let f(x) = ...``, by
hand or inferred, e.g. the logistic ``\\sigma(t)``) is a call; a name declared as a
quantity (scalar, size, index, tensor) or defined without arguments is a value, and a value
before parentheses multiplies them. Where the context says both, or neither, both readings
are checked: proved or refuted only when they agree, otherwise unknown (ambiguous) with the
readings listed."""

from __future__ import annotations

import pytest

from derive.latex import ambiguity
from derive.latex.verify import verify_file


def check(tmp_path, text: str) -> dict:
    p = tmp_path / "n.md"
    p.write_text(text, encoding="utf-8")
    recs = verify_file(str(p))
    assert len(recs) == 1, recs
    return recs[0]


def test_the_point_is_registered():
    assert "call-product" in ambiguity.POINTS


DECIDES_CALL = [
    # defined with an argument by hand
    ("% derive: scalar a, b\n% derive: let f(x) = x^2\n"
     "$$f(a + b) = a^2 + 2 a b + b^2$$\n", "proved"),
    ("% derive: scalar a, b\n% derive: let f(x) = x^2\n"
     "$$f(a + b) = a^2 + b^2$$\n", "refuted"),
]

DECIDES_PRODUCT = [
    # declared as a scalar by hand: c (a + b) multiplies
    ("% derive: scalar a, b, c\n$$c(a + b) = c a + c b$$\n", "proved"),
    ("% derive: scalar a, b, c\n$$c(a + b) = c a + b$$\n", "refuted"),
    # defined without arguments: a value
    ("% derive: scalar a, b\n% derive: let c = 3\n$$a + c(a + b) = 4 a + 3 b$$\n", "proved"),
    # a size before a bracket: K (a + b)
    ("% derive: size K\n% derive: scalar a, b\n$$K(a + b) = K b + K a$$\n", "proved"),
]


@pytest.mark.parametrize("text, verdict", DECIDES_CALL + DECIDES_PRODUCT)
def test_the_context_decides(tmp_path, text, verdict):
    rec = check(tmp_path, text)
    assert rec["verdict"] == verdict, rec
    assert "readings" not in rec and "ambiguous" not in rec.get("note", ""), rec


# c is both a value (let c = 3) and a function (let c(t) = 2 t): the context does not decide
BOTH = "% derive: scalar a, b\n% derive: let c = 3\n% derive: let c(t) = 2 t\n"


def test_undecided_readings_that_agree_decide_the_step(tmp_path):
    rec = check(tmp_path, BOTH + "$$c(a + b) = c(b + a)$$\n")
    assert rec["verdict"] == "proved", rec
    got = rec["readings"]
    assert [r["verdict"] for r in got] == ["proved", "proved"]
    assert "a call" in got[0]["reading"] and "a product" in got[1]["reading"]
    assert "under every reading" in rec["note"]


def test_undecided_readings_that_agree_on_refuted(tmp_path):
    rec = check(tmp_path, BOTH + "$$c(a + b) = c(a) + b$$\n")
    assert rec["verdict"] == "refuted", rec
    assert [r["verdict"] for r in rec["readings"]] == ["refuted", "refuted"]


@pytest.mark.parametrize("display, verdicts", [
    ("c(a + b) = 2 a + 2 b", ["proved", "refuted"]),   # the call reading holds
    ("c(a + b) = 3 a + 3 b", ["refuted", "proved"]),   # the product reading holds
])
def test_undecided_readings_that_disagree_are_unknown(tmp_path, display, verdicts):
    rec = check(tmp_path, BOTH + f"$${display}$$\n")
    assert rec["verdict"] == "unknown", rec
    assert rec["note"].startswith("ambiguous: the readings disagree"), rec
    got = rec["readings"]
    assert [r["verdict"] for r in got] == verdicts
    assert all(r.get("read") for r in got)  # each reading with the formula as read
    assert "c(...) a call" in rec["note"] and "c(...) a product" in rec["note"]


def test_a_name_neither_defined_nor_declared_is_never_decided(tmp_path):
    """No definition, no declaration: neither reading can be read, and the step is unknown
    saying both readings (never silently a product of an undeclared letter)."""
    rec = check(tmp_path, "% derive: scalar a, b\n$$a + g(a + b) = g(b + a) + a$$\n")
    assert rec["verdict"] == "unknown", rec
    assert "g(...) a call" in rec["note"] and "g(...) a product" in rec["note"]
