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


# --- superscripts: a power or a label (derive.latex.superscripts) ------------------------

def check_file(tmp_path, text: str) -> list[dict]:
    p = tmp_path / "n.md"
    p.write_text(text, encoding="utf-8")
    return verify_file(str(p))


# square brackets, or parentheses around more than a letter: a label, decided by its
# brackets (a distinct symbol per label, never a power)
LABELS = [
    # w^{[1]} and w^{[2]} are two symbols, neither is w: as powers this is w + w^2, not 0
    (r"\frac{\partial}{\partial w} (w^{[1]} + w^{[2]}) = 0", "proved"),
    (r"\frac{\partial}{\partial w^{[2]}} (w^{[2]} a^{[1]} + b^{[2]}) = a^{[1]}", "proved"),
    # the same layer label is the same symbol; another label another one
    (r"\frac{\partial}{\partial w^{[2]}} (w^{[2]} a^{[1]} + b^{[2]}) = a^{[2]}", "refuted"),
    # parentheses around arithmetic (h^{(t+1)}): a label or a power (PAREN_SUPERSCRIPTS);
    # a step that holds under both readings is proved
    (r"h^{(t+1)} - h^{(t+1)} = 0", "proved"),
    # a label then a transpose: W^{[2]\top} is the transpose of W^{[2]} (a scalar here)
    (r"\frac{\partial}{\partial v} v^{[2]\top} v^{[2]} = 0", "proved"),
]


@pytest.mark.parametrize("display, verdict", LABELS)
def test_bracketed_superscripts_are_labels(tmp_path, display, verdict):
    (rec,) = check_file(tmp_path, f"$${display}$$\n")
    assert rec["verdict"] == verdict, rec


# parentheses around arithmetic in letters: an iteration label (h^{(t-1)}) where the notes
# write one of its letters as a label (h^{(t)}, in the block or anywhere in the file), a
# power or a label otherwise (the ambiguity policy checks both). Truth by hand: as a power,
# d/dh h^(t+1) = (t+1) h^t, not 0; theta^x theta^(1-x) = theta for theta > 0; as labels both
# are other symbols (0, and theta^x c = theta fails)
PAREN_SUPERSCRIPTS = [
    # no label anywhere: both readings, they disagree: never refuted (it was)
    ("$$\\frac{\\partial}{\\partial h} h^{(t+1)} = 0$$\n", ["unknown"]),
    ("$$\\theta^{x}\\,\\theta^{(1-x)} = \\theta$$\n", ["unknown"]),
    # false under both readings: refuted
    ("$$\\theta^{x}\\,\\theta^{(1-x)} = \\theta^{2}$$\n", ["refuted"]),
    # t written as a label in another display: h^{(t+1)} is the label, another symbol
    ("$$g^{(t)} = 2$$\n\n$$\\frac{\\partial}{\\partial h} h^{(t+1)} = 0$$\n",
     ["definition", "proved"]),
    ("$$g^{(t)} = 2$$\n\n$$\\frac{\\partial}{\\partial h^{(t-1)}} \\left((w h^{(t-1)})^2\\right)"
     " = 2 w^2 h^{(t-1)}$$\n", ["definition", "proved"]),
    # in the same block: decided by the parser (one symbol h^{(t-1)})
    ("$$g^{(t)} + \\frac{\\partial}{\\partial h} \\left(h^{(t+1)}\\right) = g^{(t)}$$\n",
     ["proved"]),
]


@pytest.mark.parametrize("notes, verdicts", PAREN_SUPERSCRIPTS)
def test_parenthesised_superscripts_label_or_power(tmp_path, notes, verdicts):
    path = tmp_path / "n.md"
    path.write_text(notes)
    assert [r["verdict"] for r in verify_file(str(path))] == verdicts


# where a superscript must NOT be a label: powers, transposes, inverses, e^{...}
NOT_LABELS = [
    (r"\frac{\partial}{\partial w} w^{2} = 2 w", "proved"),
    (r"\frac{\partial}{\partial w} w^{(2)} = 2 w", "proved"),  # x^{(2)}: still a power
    (r"\frac{\partial}{\partial w} w^{-1} = -w^{-2}", "proved"),
    (r"\frac{\partial}{\partial w} w^{(-1)} = -w^{-2}", "proved"),
    (r"\frac{\partial}{\partial w} w^{(2+1)} = 3 w^2", "proved"),
    (r"\frac{\partial}{\partial w} e^{(w)} = e^{w}", "proved"),
    (r"\frac{\partial}{\partial w} e^{(w-1)} = e^{w-1}", "proved"),
    (r"\frac{\partial}{\partial w} w^T w = 2 w", "proved"),
    (r"\frac{\partial}{\partial w} w^\top w = 2 w", "proved"),
    (r"\frac{\partial}{\partial w} w^\mathsf{T} w = 2 w", "proved"),
]


@pytest.mark.parametrize("display, verdict", NOT_LABELS)
def test_powers_and_transposes_are_never_labels(tmp_path, display, verdict):
    (rec,) = check_file(tmp_path, f"$${display}$$\n")
    assert rec["verdict"] == verdict, rec
    assert "readings" not in rec


def test_a_label_is_part_of_the_name_everywhere():
    """The parser folds a decided label into the name, so declarations, inference and the
    checker read one symbol; a power after the label stays a power."""
    from derive.latex import ast
    from derive.latex.parser import parse_block

    (chain,) = parse_block(r"z^{[l]}_j = (a^{[l-1]})^2 + W^{[2]\top}", 1, 1)
    lhs, rhs = chain.members
    assert isinstance(lhs, ast.Postfix) and lhs.base == ast.Letter(name="z^{[l]}")
    letters = {n.name for n in ast.walk(rhs) if isinstance(n, ast.Letter)}
    assert {"a^{[l-1]}", "W^{[2]}"} <= letters and not letters & {"a", "W", "l"}
    terms = parse_block(r"x^{(2)} + x^{(i)}", 1, 1)[0].members[0].terms
    assert all(t.sups and t.base == ast.Letter(name="x") for _, t in terms)  # not labels


# --- f(x): a call substitutes its argument everywhere in the body -----------------------

CALLS = [
    # the parameter under a power in the body is the argument (it was read as x: a true
    # step refuted)
    ("% derive: let f(x) = x^2\n", r"f(y) = y^2", "proved"),
    ("% derive: let f(x) = x^2\n", r"f(y) = y^3", "refuted"),
    ("% derive: let f(x) = x^2\n", r"f(x) + f(y) = x^2 + y^2", "proved"),
    ("% derive: let f(x) = x^2\n", r"f(2) = 4", "proved"),
    ("% derive: let f(x) = e^{x} x^{3}\n", r"\frac{d}{dy} f(y) = e^{y} y^3 + 3 e^{y} y^2",
     "proved"),
    ("Let $f(x) = x^2$ for every $x$.\n\n", r"f(y) = y^2", "proved"),
]


@pytest.mark.parametrize("head, display, verdict", CALLS)
def test_a_call_substitutes_its_argument_under_a_power(tmp_path, head, display, verdict):
    recs = check_file(tmp_path, head + f"$${display}$$\n")
    assert recs[-1]["verdict"] == verdict, recs


# --- a bare letter superscript: a power or a label (the sup-label point) -----------------

SUP_AMBIGUOUS = [
    # nothing says whether L is a power or layer L: both readings, listed
    (r"$$\frac{\partial}{\partial a_j} a_j^L = 0$$", ["a power", "a label"]),
    (r"$$\frac{\partial}{\partial a_j^L} (a_j^L)^2 = 2 a_j^L$$", ["a power", "a label"]),
]


@pytest.mark.parametrize("text, listed", SUP_AMBIGUOUS)
def test_a_bare_superscript_is_checked_under_both_readings(tmp_path, text, listed):
    (rec,) = check_file(tmp_path, text + "\n")
    got = rec.get("readings")
    assert got is not None, rec
    assert [any(w in r["reading"] for w in listed[n:n + 1]) for n, r in enumerate(got)] == [
        True] * len(listed)
    # the label reading reads a^L as another symbol (its derivative by a_j is 0)
    assert got[1]["verdict"] == "proved" and "{a^{L}}_{j}" in got[1]["read"]
    assert rec["verdict"] == "unknown"  # the power reading does not agree


# the notes decide: never a point
SUP_DECIDED = [
    # L written as a layer label elsewhere in the notes: a label
    ("$$\\frac{\\partial}{\\partial a_j} a_j^L = 0$$\n\n$$z^{[L]} = 1$$\n", 0, "proved"),
    ("$$\\frac{\\partial}{\\partial a_j} a_j^L = 0$$\n\n$$h^{(L)} = 1$$\n", 0, "proved"),
    # L declared a scalar by the notes: a power (the step is false for a power)
    ("% derive: scalar L\n\n$$\\frac{\\partial}{\\partial a_j} a_j^L = 0$$\n", -1,
     "refuted"),
    # n used in an arithmetic exponent elsewhere: a power, never a label
    ("% derive: scalar n\n\n$$\\frac{\\partial}{\\partial w} w^n = n w^{n-1}$$\n", -1,
     None),
    ("$$\\frac{d}{d p} p^y (1-p)^{1-y} = 0$$\n", -1, None),
    # an index letter: a power (a label would hide the index from its sum)
    ("% derive: size K\n% derive: index k in 1..K\n\n"
     "$$\\sum_{k=1}^{K} w^k - \\sum_{j=1}^{K} w^j = 0$$\n", -1, None),
    # ^T, ^\top, e^x: never a point
    ("$$\\frac{\\partial}{\\partial w} w^T w = 2 w$$\n", -1, "proved"),
    ("$$\\frac{\\partial}{\\partial w} e^w = e^w$$\n", -1, "proved"),
]


@pytest.mark.parametrize("text, at, verdict", SUP_DECIDED)
def test_the_notes_decide_a_bare_superscript(tmp_path, text, at, verdict):
    rec = check_file(tmp_path, text)[at]
    assert "readings" not in rec, rec
    assert "a label" not in rec.get("note", "")
    if verdict is not None:
        assert rec["verdict"] == verdict, rec


def test_the_label_reading_names_another_symbol_of_the_same_kind(tmp_path):
    """Under the label reading a^{L}_j is declared like a_j (one index slot), in the checker
    and the referee: the proved label reading is confirmed, not abstained on."""
    (rec,) = check_file(tmp_path, "$$\\frac{\\partial}{\\partial a_k} \\sum_j a_j^L a_j = "
                                  "a_k^L$$\n")
    label = [r for r in rec["readings"] if "a label" in r["reading"]]
    assert label and label[0]["verdict"] == "proved", rec


# brute force over the registry: a step is decided only when every reading agrees
def test_brute_force_a_step_is_decided_only_when_all_readings_agree(tmp_path):
    import itertools

    texts = [c[0] for c in SUP_AMBIGUOUS] + [
        "$$\\frac{\\partial}{\\partial a_k} \\sum_j a_j^L a_j = a_k^L$$",
        "$$\\frac{\\partial}{\\partial a_k} \\sum_j a_j^L a_j = 2 a_k$$",
        HEAD + f"$${AMBIGUOUS[0][0]}$$", HEAD + f"$${AMBIGUOUS[1][0]}$$"]
    for text in texts:
        for rec in check_file(tmp_path, text + "\n"):
            verdicts = [r["verdict"] for r in rec.get("readings", [])]
            if not verdicts:
                continue
            for a, b in itertools.combinations(verdicts, 2):
                if a != b:
                    assert rec["verdict"] == "unknown", rec
            if rec["verdict"] in ("proved", "refuted"):
                assert set(verdicts) == {rec["verdict"]}, rec


# --- \qquad, \quad, ',' and \text{and} between equations: decided by structure ------------

def _chains(text: str) -> list[list[str]]:
    from derive.latex.parser import parse_block

    return [[type(m).__name__ for m in c.members]
            for c in parse_block(text, 1, 1, tolerant=True)]


SEPARATORS = [
    # two '=' at the top level with a separator between: two equations
    (r"t_i = s e^{x_i} \qquad s = 2", [["Postfix", "Product"], ["Letter", "Num"]]),
    (r"f = a x, \quad a = 2", [["Letter", "Product"], ["Letter", "Num"]]),
    (r"a = b \quad\text{and}\quad c = d", [["Letter", "Letter"], ["Letter", "Letter"]]),
    (r"t_i = s e^{x_i} \qquad s = \left(\sum_j e^{x_j}\right)^{-1}",
     [["Postfix", "Product"], ["Letter", "Postfix"]]),
    # must NOT apply: a condition on an index of the equation before (its link unknown,
    # never a step 'i = j' of its own)
    (r"\frac{\partial p_j}{\partial o_i} = p_i (1-p_i), \quad i = j",
     [["Frac", "Unreadable", "Letter"]]),
    (r"y = a_k x, \quad k = 2", [["Letter", "Unreadable", "Num"]]),
    # a short equation of letters the equation before does not use: not decided, unknown
    (r"a = b \qquad c = d", [["Letter", "Unreadable", "Letter"]]),
    # \quad inside a term is space: one equation, a product
    (r"a = b \quad c", [["Letter", "Product"]]),
]


@pytest.mark.parametrize("text, chains", SEPARATORS)
def test_a_separator_between_two_equations(text, chains):
    assert _chains(text) == chains


def test_a_value_given_after_qquad_is_a_definition_the_next_step_uses(tmp_path):
    recs = check_file(tmp_path, "$$t = s w \\qquad s = 2$$\n\n$$t = 2 w$$\n")
    assert [r["verdict"] for r in recs][-1] == "proved", recs
    assert not any(r["verdict"] == "refuted" for r in recs), recs


# a labelled name is a symbol like any other: its first equation defines it (a digit in the
# label, W^{[2]}, is part of the label, not a number)
LABEL_DEFINITIONS = [
    ("$$z^{[2]} = w a$$\n\n$$\\frac{\\partial z^{[2]}}{\\partial w} = a$$\n",
     ["definition", "proved"]),
    ("$$\\theta^{(t+1)} = \\theta^{(t)} - \\eta g^{(t)}$$\n\n"
     "$$\\theta^{(t+1)} - \\theta^{(t)} = -\\eta g^{(t)}$$\n", ["definition", "proved"]),
    ("$$\\theta^{(t+1)} = \\theta^{(t)} - \\eta g^{(t)}$$\n\n"
     "$$\\theta^{(t+1)} = \\eta g^{(t)}$$\n", ["definition", "refuted"]),
]


@pytest.mark.parametrize("text, verdicts", LABEL_DEFINITIONS)
def test_a_labelled_name_is_defined_by_its_first_equation(tmp_path, text, verdicts):
    assert [r["verdict"] for r in check_file(tmp_path, text)] == verdicts
