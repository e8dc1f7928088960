"""Issue 19 item 3, the ambiguity policy: a call of ``\\log``/``\\ln``/``\\exp`` with its
argument in brackets followed by a power (derive.latex.call_powers, point ``call-power``).

``\\log(e^{a})^{y}`` is the power of the value, ``(\\log e^{a})^{y} = a^y``, or the value of
the power, ``\\log((e^{a})^{y}) = a y`` (a Poisson log-likelihood); with more bracketed powers
after it, ``\\log(A)^t (B)^{1-t}``, also the call of the whole product. A step is proved or
refuted only when every reading agrees. Each row's truth under each reading is decided here by
brute force with NumPy at random values (never by derive): true under every reading -> proved,
false under every one -> refuted (and the counterexample derive gives is false under every
reading), otherwise unknown (ambiguous) with the readings listed. The must-not-apply rows have
one reading (no point is met) and keep their verdict."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from derive.errors import DeriveError
from derive.latex.verify import verify_file

HEAD = ("% derive: scalar a, b, x, y, t\n% derive: size n\n% derive: index i in 1..n\n"
        "% derive: tensor u_i, w_i\n% derive: let f(x) = e^{x} + 1\n")

Side = Callable[[dict], object]
lse = lambda v: np.log(np.sum(np.exp(v["u"])))  # noqa: E731
lsw = lambda v: np.log(np.sum(np.exp(v["w"])))  # noqa: E731


def holds(lhs: Side, rhs: Side, at: dict | None = None) -> bool:
    """Do both sides agree at 200 random points (or at ``at``)? A side undefined there
    (nan, inf: 0 to a negative power, the log of a negative number) does not."""
    rng = np.random.default_rng(7)
    points = [at] if at is not None else [
        {"a": rng.uniform(-2, 2), "b": rng.uniform(-2, 2), "x": rng.uniform(0.1, 3),
         "y": rng.uniform(-2, 2), "t": rng.uniform(0, 1), "u": rng.uniform(-1, 1, 3),
         "w": rng.uniform(-1, 1, 3)} for _ in range(200)]
    with np.errstate(all="ignore"):
        for v in points:
            left, right = complex(lhs(v)), complex(rhs(v))
            if not (np.isfinite(left) and np.isfinite(right) and left.imag == 0 == right.imag
                    and np.isclose(left.real, right.real, rtol=1e-9, atol=1e-9)):
                return False
    return True


def expected(readings: list[tuple[Side, Side]]) -> str:
    truths = [holds(lhs, rhs) for lhs, rhs in readings]
    return "proved" if all(truths) else "refuted" if not any(truths) else "unknown"


def check(tmp_path, display: str) -> list[dict]:
    p = tmp_path / "n.md"
    p.write_text(HEAD + f"$${display}$$\n", encoding="utf-8")
    return verify_file(str(p))


P = np.power
# (display, [(lhs, rhs) under each reading, in the order derive lists them]); the readings:
# the power of the value, the value of the power (, the call of the product of powers)
POINTS = [
    # both readings agree: proved
    (r"\log(e^{a})^{1} = a", [(lambda v: P(v["a"], 1.0), lambda v: v["a"]),
                              (lambda v: 1.0 * v["a"], lambda v: v["a"])]),
    (r"\log(e^{a})^{2} + 1 = 1 + \log(e^{a})^{2}",
     [(lambda v: v["a"] ** 2 + 1, lambda v: 1 + v["a"] ** 2),
      (lambda v: 2 * v["a"] + 1, lambda v: 1 + 2 * v["a"])]),
    # true only as the value of the power (the Poisson log-likelihood): unknown, never refuted
    (r"\log(e^{a})^{y} = a y", [(lambda v: P(v["a"], v["y"]), lambda v: v["a"] * v["y"]),
                                (lambda v: v["y"] * v["a"], lambda v: v["a"] * v["y"])]),
    (r"\log\left(e^{a}\right)^{y} = y a", [(lambda v: P(v["a"], v["y"]), lambda v: v["a"] * v["y"]),
                                           (lambda v: v["y"] * v["a"], lambda v: v["a"] * v["y"])]),
    (r"\log[e^{a}]^{y} = y a", [(lambda v: P(v["a"], v["y"]), lambda v: v["a"] * v["y"]),
                                (lambda v: v["y"] * v["a"], lambda v: v["a"] * v["y"])]),
    (r"\ln(e^{a})^{y} = a y", [(lambda v: P(v["a"], v["y"]), lambda v: v["a"] * v["y"]),
                               (lambda v: v["y"] * v["a"], lambda v: v["a"] * v["y"])]),
    # a number as the power: a^2 against 2a
    (r"\log(e^{a})^{2} = 2 a", [(lambda v: v["a"] ** 2, lambda v: 2 * v["a"]),
                                (lambda v: 2 * v["a"], lambda v: 2 * v["a"])]),
    (r"\exp(a)^2 = \exp(a^2)", [(lambda v: np.exp(v["a"]) ** 2, lambda v: np.exp(v["a"] ** 2)),
                                (lambda v: np.exp(v["a"] ** 2), lambda v: np.exp(v["a"] ** 2))]),
    # a sum inside the brackets, of n terms and of one
    (r"\log\left(\sum_{i=1}^n e^{u_i}\right)^{t} = t \log\sum_{i=1}^n e^{u_i}",
     [(lambda v: P(lse(v), v["t"]), lambda v: v["t"] * lse(v)),
      (lambda v: v["t"] * lse(v), lambda v: v["t"] * lse(v))]),
    (r"\log\left(\sum_{i=1}^{1} e^{u_i}\right)^{t} = t u_1",
     [(lambda v: P(v["u"][0], v["t"]), lambda v: v["t"] * v["u"][0]),
      (lambda v: v["t"] * v["u"][0], lambda v: v["t"] * v["u"][0])]),
    # a fraction inside
    (r"\log\left(\frac{e^{a}}{e^{b}}\right)^{y} = y(a - b)",
     [(lambda v: P(v["a"] - v["b"], v["y"]), lambda v: v["y"] * (v["a"] - v["b"])),
      (lambda v: v["y"] * (v["a"] - v["b"]), lambda v: v["y"] * (v["a"] - v["b"]))]),
    # a logarithm to a base: (\log_2 x)^2 against \log_2(x^2) = 2 \log_2 x
    (r"\log_2 (x)^2 = 2 \log_2 x", [(lambda v: np.log2(v["x"]) ** 2, lambda v: 2 * np.log2(v["x"])),
                                    (lambda v: np.log2(v["x"] ** 2),
                                     lambda v: 2 * np.log2(v["x"]))]),
    # true only as the power of the value: unknown
    (r"\log(x)^2 = \log(x)\log(x)", [(lambda v: np.log(v["x"]) ** 2,
                                      lambda v: np.log(v["x"]) ** 2),
                                     (lambda v: np.log(v["x"] ** 2),
                                      lambda v: np.log(v["x"]) ** 2)]),
    (r"\exp(a)^2 = \exp(2a)", [(lambda v: np.exp(v["a"]) ** 2, lambda v: np.exp(2 * v["a"])),
                               (lambda v: np.exp(v["a"] ** 2), lambda v: np.exp(2 * v["a"]))]),
    # 0^y is undefined for y < 0: true only as the power of the value
    (r"\exp(0)^y = 1", [(lambda v: P(np.exp(0.0), v["y"]), lambda v: 1.0),
                        (lambda v: np.exp(P(0.0, v["y"])), lambda v: 1.0)]),
    # false under every reading: refuted
    (r"\log(e^{a})^{y} = a + y", [(lambda v: P(v["a"], v["y"]), lambda v: v["a"] + v["y"]),
                                  (lambda v: v["y"] * v["a"], lambda v: v["a"] + v["y"])]),
    (r"\exp(a)^{2} = \exp(a) + 1", [(lambda v: np.exp(v["a"]) ** 2, lambda v: np.exp(v["a"]) + 1),
                                    (lambda v: np.exp(v["a"] ** 2),
                                     lambda v: np.exp(v["a"]) + 1)]),
    # an entry before the power: the power of the value's entry, or the value of the entry's
    # power (as derive read it before)
    (r"\exp(u)_1^{1} = e^{u_1}", [(lambda v: np.exp(v["u"])[0], lambda v: np.exp(v["u"][0])),
                                   (lambda v: np.exp(v["u"][0]), lambda v: np.exp(v["u"][0]))]),
    (r"\exp(u)_1^{2} = e^{2 u_1}", [(lambda v: np.exp(v["u"])[0] ** 2,
                                     lambda v: np.exp(2 * v["u"][0])),
                                    (lambda v: np.exp(v["u"][0] ** 2),
                                     lambda v: np.exp(2 * v["u"][0]))]),
    (r"\exp(u)_1^{2} = e^{u_1^2}", [(lambda v: np.exp(v["u"])[0] ** 2,
                                     lambda v: np.exp(v["u"][0] ** 2)),
                                    (lambda v: np.exp(v["u"][0] ** 2),
                                     lambda v: np.exp(v["u"][0] ** 2))]),
    (r"\exp(u)_1^{2} = e^{u_1} + 1", [(lambda v: np.exp(v["u"])[0] ** 2,
                                       lambda v: np.exp(v["u"][0]) + 1),
                                      (lambda v: np.exp(v["u"][0] ** 2),
                                       lambda v: np.exp(v["u"][0]) + 1)]),
    # more bracketed powers after it (Hoelder): the call of the whole product too
    (r"t \log\sum_{i=1}^n e^{u_i} + (1-t)\log\sum_{i=1}^n e^{w_i} = "
     r"\log\left(\sum_{i=1}^n e^{u_i}\right)^t \left(\sum_{i=1}^n e^{w_i}\right)^{1-t}",
     [(lambda v: v["t"] * lse(v) + (1 - v["t"]) * lsw(v),
       lambda v: P(lse(v), v["t"]) * np.exp(lsw(v)) ** (1 - v["t"])),
      (lambda v: v["t"] * lse(v) + (1 - v["t"]) * lsw(v),
       lambda v: v["t"] * lse(v) * np.exp(lsw(v)) ** (1 - v["t"])),
      (lambda v: v["t"] * lse(v) + (1 - v["t"]) * lsw(v),
       lambda v: v["t"] * lse(v) + (1 - v["t"]) * lsw(v))]),
    (r"\log(e^{a})^{y} (e^{b})^{x} = a y + b", [
        (lambda v: P(v["a"], v["y"]) * np.exp(v["b"] * v["x"]), lambda v: v["a"] * v["y"] + v["b"]),
        (lambda v: v["a"] * v["y"] * np.exp(v["b"] * v["x"]), lambda v: v["a"] * v["y"] + v["b"]),
        (lambda v: v["a"] * v["y"] + v["b"] * v["x"], lambda v: v["a"] * v["y"] + v["b"])]),
]


@pytest.mark.parametrize("display, readings", POINTS, ids=[r[0] for r in POINTS])
def test_a_call_then_a_power_is_read_both_ways(tmp_path, display, readings):
    (rec,) = check(tmp_path, display)
    want = expected(readings)
    listed = rec.get("readings") or []
    assert len(listed) == len(readings), rec
    assert all("(...)" in r["reading"] and "^{...}" in r["reading"] for r in listed), listed
    assert rec["verdict"] == want, (want, rec)
    if want == "unknown":
        assert rec["note"].startswith("ambiguous"), rec
    if want == "refuted":  # each reading's counterexample (the referee's) is false there
        for (lhs, rhs), r in zip(readings, listed, strict=True):
            at = {k: np.asarray(x, float) for k, x in r["counterexample"]["values"].items()}
            assert not holds(lhs, rhs, at), r
        at = {k: np.asarray(x, float) for k, x in rec["counterexample"]["values"].items()}
        assert not holds(*readings[0], at), rec


# one reading: no point is met, the verdict as before
ONE_READING = [
    (r"(\log x)^2 = \log(x)\log(x)", lambda v: np.log(v["x"]) ** 2, lambda v: np.log(v["x"]) ** 2),
    (r"[\log(x)]^2 = \log(x)\log(x)", lambda v: np.log(v["x"]) ** 2,
     lambda v: np.log(v["x"]) ** 2),
    (r"\left(\log x\right)^2 = \log(x) \log(x)", lambda v: np.log(v["x"]) ** 2,
     lambda v: np.log(v["x"]) ** 2),
    (r"\log x^2 = \log(x^2)", lambda v: np.log(v["x"] ** 2), lambda v: np.log(v["x"] ** 2)),
    # a function of the notes: its brackets are its own, the power is on its value
    (r"f(x)^2 = f(x) f(x)", lambda v: (np.exp(v["x"]) + 1) ** 2,
     lambda v: (np.exp(v["x"]) + 1) ** 2),
    (r"f(x)^2 = f(x^2)", lambda v: (np.exp(v["x"]) + 1) ** 2, lambda v: np.exp(v["x"] ** 2) + 1),
    # a \sum written inside the log: the power is inside, no call is powered
    (r"\log\sum_{i=1}^n (e^{u_i})^{t} = \log\sum_{i=1}^n e^{t u_i}",
     lambda v: np.log(np.sum(np.exp(v["u"]) ** v["t"])),
     lambda v: np.log(np.sum(np.exp(v["t"] * v["u"])))),
    # a transpose after the brackets is no power
    (r"\exp(u)^T \exp(w) = \sum_{i=1}^n e^{u_i + w_i}",
     lambda v: np.exp(v["u"]) @ np.exp(v["w"]), lambda v: np.sum(np.exp(v["u"] + v["w"]))),
    (r"\exp(u)^{\top} \exp(w) = \sum_{i=1}^n e^{u_i + w_i}",
     lambda v: np.exp(v["u"]) @ np.exp(v["w"]), lambda v: np.sum(np.exp(v["u"] + v["w"]))),
    # brackets without a power
    (r"\log(e^{a}) y = a y", lambda v: v["a"] * v["y"], lambda v: v["a"] * v["y"]),
]


@pytest.mark.parametrize("display, lhs, rhs", ONE_READING, ids=[r[0] for r in ONE_READING])
def test_no_point_where_one_reading_is_written(tmp_path, display, lhs, rhs):
    (rec,) = check(tmp_path, display)
    assert "readings" not in rec, rec
    assert rec["verdict"] == ("proved" if holds(lhs, rhs) else "refuted"), rec


# a chain: the steps into and out of the member with the point
CHAIN = r"a y = \log\left((e^{a})^{y}\right) = \log(e^{a})^{y} = y a"


def test_the_steps_around_the_member(tmp_path):
    recs = check(tmp_path, CHAIN)
    power_of_value = [holds(lambda v: v["a"] * v["y"], lambda v: P(v["a"], v["y"])),
                      holds(lambda v: P(v["a"], v["y"]), lambda v: v["a"] * v["y"])]
    value_of_power = [holds(lambda v: v["a"] * v["y"], lambda v: v["y"] * v["a"])] * 2
    assert power_of_value == [False, False] and value_of_power == [True, True]
    assert [r["verdict"] for r in recs] == ["proved", "unknown", "unknown"], recs
    assert "readings" not in recs[0] and all(r["readings"] for r in recs[1:])


# a whole number on the name of \log or \ln: the power of the value (one reading)
ON_THE_NAME = [
    (r"\log^2(x) = \log(x)\log(x)", lambda v: np.log(v["x"]) ** 2, lambda v: np.log(v["x"]) ** 2),
    (r"\log^{2} x = \log(x) \log(x)", lambda v: np.log(v["x"]) ** 2,
     lambda v: np.log(v["x"]) ** 2),
    (r"\ln^2 (e^{a}) = a^2", lambda v: v["a"] ** 2, lambda v: v["a"] ** 2),
    (r"\log^3 (e^{a}) = a^3", lambda v: v["a"] ** 3, lambda v: v["a"] ** 3),
    (r"\log^1 (e^{a}) = a", lambda v: v["a"], lambda v: v["a"]),
    (r"\ln^2 (e^{a}) = 2 a", lambda v: v["a"] ** 2, lambda v: 2 * v["a"]),
    (r"\log^2(x) = \log(x^2)", lambda v: np.log(v["x"]) ** 2, lambda v: np.log(v["x"] ** 2)),
]


@pytest.mark.parametrize("display, lhs, rhs", ON_THE_NAME, ids=[r[0] for r in ON_THE_NAME])
def test_a_whole_power_on_the_name_is_the_power_of_the_value(tmp_path, display, lhs, rhs):
    (rec,) = check(tmp_path, display)
    assert "readings" not in rec, rec
    assert rec["verdict"] == ("proved" if holds(lhs, rhs) else "refuted"), rec


@pytest.mark.parametrize("display", [
    r"\exp^2(a) = e^{2a}",          # (\exp a)^2 or \exp(\exp(a))?
    r"\log^{-1}(x) = e^{x}",        # the inverse function or 1 / \log x?
    r"\log^{y} x = y \log x",      # a letter on the name
    r"\log^{0} x = 1",              # zero: not read
])
def test_other_powers_on_the_name_stay_unread(tmp_path, display):
    (rec,) = check(tmp_path, display)
    assert rec["verdict"] == "unknown" and "not read" in rec["note"], rec


def test_a_power_on_the_name_is_no_inverse(tmp_path):
    """``\\log p = a`` defines p = e^a (the logarithm is one-to-one); ``\\log^2 q = b`` does not."""
    p = tmp_path / "n.md"
    p.write_text("% derive: scalar a, b\n\n$$\\log(p) = a$$\n\n$$\\log^2(q) = b$$\n",
                 encoding="utf-8")
    recs = verify_file(str(p))
    assert recs[0]["verdict"] == "definition", recs
    assert recs[1]["verdict"] != "definition", recs


# a definition has one reading: a call followed by a power in its body is refused (by hand)
# or not inferred (in the prose), never read one way; with the brackets written, it is read
def test_a_let_with_the_point_is_refused(tmp_path):
    p = tmp_path / "n.md"
    p.write_text("% derive: scalar a, y\n% derive: let g = \\log(e^{a})^{y}\n\n$$g = a y$$\n",
                 encoding="utf-8")
    with pytest.raises(DeriveError, match=r"n\.md:2:.*power of the value or .*value of the "
                                          r"power\? expected brackets"):
        verify_file(str(p))


@pytest.mark.parametrize("body, step, truth", [
    # not inferred: g stays undefined, the step is unknown (never refuted)
    (r"\log(e^{a})^{y}", "g = a y", None),
    (r"\log(e^{a})^{y}", "g = a + y", None),
    # brackets that say which: read, and decided by brute force
    (r"\log\left((e^{a})^{y}\right)", "g = a y",
     holds(lambda v: np.log(np.exp(v["a"]) ** v["y"]), lambda v: v["a"] * v["y"])),
    (r"(\log e^{a})^{2}", "g = a a",
     holds(lambda v: np.log(np.exp(v["a"])) ** 2, lambda v: v["a"] * v["a"])),
    (r"(\log e^{a})^{2}", "g = 2 a",
     holds(lambda v: np.log(np.exp(v["a"])) ** 2, lambda v: 2 * v["a"])),
])
def test_a_prose_definition_with_the_point_is_not_inferred(tmp_path, body, step, truth):
    p = tmp_path / "n.md"
    p.write_text(f"% derive: scalar a, y\n\nLet $g = {body}$.\n\n$${step}$$\n",
                 encoding="utf-8")
    rec = verify_file(str(p))[-1]
    want = "unknown" if truth is None else "proved" if truth else "refuted"
    assert rec["verdict"] == want, rec
    if truth is None:
        assert "undeclared symbol g" in rec["note"], rec
