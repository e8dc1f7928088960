"""How far a derivative operator before a difference reaches (issue 9, issue 18): the whole
member when '% derive: scope rest' says so; otherwise both the strict reading (its first term)
and the wide one are checked (the ambiguity policy, tests/test_scope_readings.py), never
guessed; a step that fails under the strict reading says which declaration would change it."""

from __future__ import annotations

import pytest

from derive.errors import DeriveError
from derive.latex.verify import verify_file

HEADER = r"""% derive: size K
% derive: index i, j, k in 1..K
% derive: tensor z_i, y_i
"""


def verdicts(tmp_path, body: str) -> list[dict]:
    p = tmp_path / "n.md"
    p.write_text(HEADER + body + "\n")
    return verify_file(str(p))


@pytest.mark.parametrize("scope, step, verdict", [
    # the operator on the whole difference, declared: the author's meaning is checked
    (True, r"\frac{\partial}{\partial z_k} z_k^2 - 3 z_k = 2 z_k - 3", "proved"),
    (True, r"\frac{\partial}{\partial z_k} z_k^2 - 3 z_k = 2 z_k + 3", "refuted"),
    (True, r"\frac{\partial}{\partial z_k} z_k^2 - 3 z_k = 2 z_k", "refuted"),  # rest dropped
    (True, r"-\frac{\partial}{\partial z_k} z_k^2 - 3 z_k = -2 z_k + 3", "proved"),
    (True, r"\partial_{z_k} z_k^2 + z_k = 2 z_k + 1", "proved"),
    # where it must not apply: an operator not at the front, no difference at all
    (True, r"z_k - \frac{\partial}{\partial z_k} z_k^2 = - z_k", "proved"),
    (True, r"\frac{\partial}{\partial z_k} z_k^2 = 2 z_k", "proved"),
    # not declared: both readings; they disagree (strict: true, wide: false, and the other
    # way round), so neither is guessed
    (False, r"\frac{\partial}{\partial z_k} z_k^2 - 3 z_k = 2 z_k - 3 z_k", "unknown"),
    (False, r"\frac{\partial}{\partial z_k} z_k^2 - 3 z_k = 2 z_k - 3", "unknown"),
])
def test_operator_scope(tmp_path, scope, step, verdict):
    head = "% derive: scope rest\n" if scope else ""
    assert [r["verdict"] for r in verdicts(tmp_path, f"{head}$$ {step} $$")] == [verdict]


def test_scope_governs_the_next_block_only(tmp_path):
    recs = verdicts(tmp_path, "% derive: scope rest\n"
                    r"$$ \frac{\partial}{\partial z_k} z_k^2 - 3 z_k = 2 z_k - 3 $$" "\n"
                    r"$$ \frac{\partial}{\partial z_k} z_k^2 - 3 z_k = 2 z_k - 3 z_k $$")
    # the next block is not declared: its two readings disagree (strict true, wide false)
    assert [r["verdict"] for r in recs] == ["proved", "unknown"]
    assert "ambiguous" in recs[1]["note"] and "acts on its first term" in recs[1]["note"]


def test_a_failure_under_the_strict_reading_names_the_declaration(tmp_path):
    # the strict reading adds a vector (the gradient) and a matrix: not evaluable. (With
    # '- \log y_1' instead, a scalar is now added to each entry of the vector and the step is
    # refuted: false under both scopes, z - log y_1 and z - e_1 / y_1 against z.)
    (r,) = verdicts(tmp_path, r"$$ \frac{\partial}{\partial y} \sum_k y_k z_k - z z^\top = z $$")
    assert r["verdict"] == "unknown"
    # both readings are checked (neither evaluates); the strict one names the declaration
    strict = [x for x in r["readings"] if "acts on its first term" in x["reading"]]
    assert len(strict) == 1 and "acts on its first term only" in strict[0]["note"]
    assert "% derive: scope rest" in strict[0]["note"]


def test_scope_takes_only_rest(tmp_path):
    with pytest.raises(DeriveError, match=r"n\.md:4:\d+: scope 'all': expected 'scope rest'"):
        verdicts(tmp_path, "% derive: scope all\n$$ z_k = z_k $$")
