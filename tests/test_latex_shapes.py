"""A step whose two sides have different numbers of entries is refuted on shape, with the
sizes that show it; a difference that may be the author's layout convention is not."""

from __future__ import annotations

import pytest

from derive.latex.verify import verify_file

HEADER = (
    "% derive: size D, K\n"
    "% derive: index d, e in 1..D\n"
    "% derive: index k, c in 1..K\n"
    "% derive: tensor x_d, s_k, y_k, W_{dk}\n"
)


@pytest.mark.parametrize("step, verdict, shapes", [
    # a D-vector equated with a scalar: its free index k occurs on both sides
    (r"\frac{\partial s_k}{\partial x} = s_k", "refuted",
     ["column vector of length 2", "scalar"]),
    (r"s_k y_k = x s_k", "refuted", ["scalar", "column vector of length 2"]),
    # k is free on the scalar side only: it may be meant as an entry index, so unknown
    (r"s_k y_k = x", "unknown", None),
    # a D×K matrix and a D-vector: 2·3 entries against 2
    (r"W = x", "refuted", ["2×3 matrix", "column vector of length 2"]),
    # the same number of entries, other layout: the author's convention, not refuted
    (r"x = x^\top", "unknown", None),
    (r"W = W^\top", "unknown", None),
    # the scalar side may be the generic entry of the other (d, k free only on the left)
    (r"x_d s_k = x", "unknown", None),
])
def test_entry_counts_refute_and_layouts_do_not(tmp_path, step, verdict, shapes):
    p = tmp_path / "n.md"
    p.write_text(HEADER + f"$$ {step} $$\n")
    (rec,) = verify_file(str(p))
    assert rec["verdict"] == verdict, rec
    if shapes is not None:
        cex = rec["counterexample"]
        assert cex["shapes"] == shapes
        # checkable by hand: the sizes are distinct and make the entry counts differ
        assert set(cex["sizes"]) <= {"D", "K"} and len(set(cex["sizes"].values())) == len(
            cex["sizes"])


def test_a_size_fixed_by_where_is_respected(tmp_path):
    p = tmp_path / "n.md"
    p.write_text("% derive: size D\n% derive: index d in 1..D\n% derive: tensor x_d\n"
                 "% derive: where D = 1\n$$ x = x_1 $$\n")
    (rec,) = verify_file(str(p))
    assert rec["verdict"] != "refuted", rec  # at D = 1 a 1-vector and a scalar agree
