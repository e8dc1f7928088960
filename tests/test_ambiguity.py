"""Issue 19, the ambiguity policy (derive.latex.ambiguity): where the context does not decide
between readings, every plausible reading is checked; a step is proved or refuted only when
every reading agrees, otherwise unknown (ambiguous) with the readings listed.

Three tables: notes that are ambiguous (the readings each must list), notes that look
ambiguous but whose context decides (never ambiguous), and the soundness table: a step true
under one reading and false under another is never proved nor refuted."""

from __future__ import annotations

import pytest

from derive.latex import ambiguity
from derive.latex.verify import verify_file

HEAD = "% derive: size K\n% derive: index i, j, k in 1..K\n% derive: tensor t_k, u_k\n"


def check(tmp_path, display: str) -> dict:
    p = tmp_path / "n.md"
    p.write_text(HEAD + f"$${display}$$\n", encoding="utf-8")
    recs = verify_file(str(p))
    assert len(recs) == 1, recs
    return recs[0]


# both letters used outside the sum: either may be the bound one
AMBIGUOUS = [
    # (display, readings that must be listed, their verdicts in that order)
    (r"t_i t_j + \sum_{i \neq j} t_i t_j = t_i t_j + \sum_{k=1}^K t_k t_j - t_j t_j",
     ["binds i", "binds j"], ["proved", "refuted"]),
    (r"t_i u_j + \sum_{i \neq j} t_i u_j = t_i u_j + t_i \sum_{k=1}^K u_k - t_i u_i",
     ["binds i", "binds j"], ["refuted", "proved"]),
    (r"\sum_{j \neq i} t_i u_j = t_i u_j \sum_{k=1}^K 1 - t_i u_j",
     ["binds j", "binds i"], ["refuted", "refuted"]),
]


@pytest.mark.parametrize("display, listed, verdicts", AMBIGUOUS)
def test_ambiguous_steps_list_their_readings(tmp_path, display, listed, verdicts):
    rec = check(tmp_path, display)
    got = rec.get("readings")
    assert got is not None, rec
    assert all(want in r["reading"] for r, want in zip(got, listed, strict=True)), got
    assert [r["verdict"] for r in got] == verdicts
    assert all(r.get("read") for r in got)  # each reading shows the formula as read
    if len(set(verdicts)) > 1:
        assert rec["verdict"] == "unknown"
        assert rec["note"].startswith("ambiguous")


# the context decides: never ambiguous
DECIDED = [
    # j is free on the right: the sum binds i (and j binds nothing)
    (r"\sum_{i \neq j} t_i = \sum_{k=1}^K t_k - t_j", "proved"),
    # i is free on the right and written first: the sum binds j, whatever the order
    (r"\sum_{i \neq j} t_j = \sum_{k=1}^K t_k - t_i", "proved"),
    # j written elsewhere in the same member
    (r"t_j + \sum_{i \neq j} t_i = \sum_{k=1}^K t_k", "proved"),
    # neither used elsewhere: the sum runs over the pairs
    (r"\sum_{i \neq j} t_i t_j = \sum_{i=1}^K \sum_{j=1}^K t_i t_j - \sum_{k=1}^K t_k^2",
     "proved"),
    # an enclosing sum binds j: the inner one binds i
    (r"\sum_{j=1}^K \sum_{i \neq j} t_i u_j = \sum_{j=1}^K u_j (\sum_{k=1}^K t_k - t_j)",
     "proved"),
    # the same, with a slip: refuted, not ambiguous
    (r"\sum_{i \neq j} t_i = \sum_{k=1}^K t_k + t_j", "refuted"),
    # an explicit binding is never ambiguous
    (r"t_i t_j + \sum_{\substack{k=1 \\ k \neq j}}^K t_k = t_i t_j + \sum_{k=1}^K t_k - t_j",
     "proved"),
]


@pytest.mark.parametrize("display, verdict", DECIDED)
def test_the_context_decides(tmp_path, display, verdict):
    rec = check(tmp_path, display)
    assert "readings" not in rec, rec
    assert rec["verdict"] == verdict, rec


@pytest.mark.parametrize("display, listed, verdicts",
                         [c for c in AMBIGUOUS if len(set(c[2])) > 1])
def test_a_step_true_under_one_reading_only_is_never_decided(tmp_path, display, listed,
                                                              verdicts):
    assert check(tmp_path, display)["verdict"] == "unknown"


def test_soundness_every_reading_decides_alike():
    """For every combination of per-reading verdicts: decided only when all agree."""
    import itertools

    for n in range(1, 4):
        for vs in itertools.product(("proved", "refuted", "unknown"), repeat=n):
            got = ambiguity.combine(list(vs))
            assert got == (vs[0] if len(set(vs)) == 1 and vs[0] != "unknown" else "unknown")


def test_the_number_of_readings_is_bounded():
    # three different notations (their alternatives differ): 2 * 2 * 2 readings
    met = {("ne-sum", line, 1): ambiguity.Point("ne-sum", line, 1, (f"a{line}", f"b{line}"))
           for line in range(3)}
    assert len(ambiguity.choices(met) or []) == 8
    met[("ne-sum", 9, 1)] = ambiguity.Point("ne-sum", 9, 1, ("a9", "b9"))
    assert ambiguity.choices(met) is None
    # the same notation at a fourth place adds no reading
    del met[("ne-sum", 9, 1)]
    met[("ne-sum", 9, 1)] = ambiguity.Point("ne-sum", 9, 1, ("a0", "b0"))
    assert len(ambiguity.choices(met) or []) == 8


def test_an_unregistered_point_is_refused():
    with pytest.raises(KeyError):
        ambiguity.Chooser().pick("nonsense", 1, 1, ("a", "b"))


# --- the formula as read ---------------------------------------------------------------

def test_every_checked_step_shows_the_formula_as_read(tmp_path):
    """Explicit products, bound indices with their ranges, powers as powers."""
    rec = check(tmp_path, r"\sum_{i \neq j} t_i u_j^2 = (\sum_{k=1}^K t_k - t_j) u_j^2")
    read = rec["read"]
    assert r"\sum_{i=1}^{K}" in read and r"\delta_{i j}" in read
    assert r"\cdot" in read and "{u}_{j}^{2}" in read


def test_explain_prints_each_reading(tmp_path):
    from derive.latex.terminal import format_results

    rec = check(tmp_path, AMBIGUOUS[0][0])
    text = format_results([rec], as_read=True)
    assert text.count("as read:") == 2 and "binds i" in text and "binds j" in text
    assert "as read:" not in format_results([rec])


# the same notation twice in one step is read the same way at both places: two readings, not
# four (the mixed ones, where one \sum_{i \neq j} binds i and the other j, are not plausible)
SAME_NOTATION = [
    # a reordering: true whichever letter both sums bind (mixed readings would refute it)
    (r"t_i u_j + \sum_{i \neq j} t_i u_j = \sum_{i \neq j} t_i u_j + t_i u_j", "proved", 2),
    # factoring t_i out of both sums: true only if both bind j
    (r"t_i u_j + \sum_{i \neq j} t_i u_j = t_i (u_j + \sum_{i \neq j} u_j)", "unknown", 2),
]


@pytest.mark.parametrize("display, verdict, n", SAME_NOTATION)
def test_the_same_notation_is_read_alike_within_a_step(tmp_path, display, verdict, n):
    rec = check(tmp_path, display)
    assert rec["verdict"] == verdict, rec
    assert len(rec["readings"]) == n
    for r in rec["readings"]:  # each reading takes one alternative at both places
        assert len({part.split(" (line")[0] for part in r["reading"].split("; ")}) == 1, r
