"""An equation written beside an implication arrow ("2x - 4 = 0 \\Rightarrow x = 2") may be an
equation to solve or a hypothesis, not an identity: its failure as an identity is never a
refutation (derive.latex.verify_gates._implication). Case table: where the gate acts (every
spelling of the arrow, before and after it, inside an array), and where it must not (other
relations, no arrow, an identity beside the arrow, a false step elsewhere in the file).
The equations keep a letter on both sides (2x - 4 = x): one with a number side between inputs
only is left unknown before this gate by derive.latex.input_relations (tests/test_not_refutable.py)."""

from __future__ import annotations

import pytest

from derive.latex import verify as V


def _verdicts(tmp_path, text: str) -> list[tuple[str, str]]:
    p = tmp_path / "n.md"
    p.write_text(text, encoding="utf-8")
    return [(r["verdict"], r.get("note") or "") for r in V.verify_file(str(p))]


SOLVED = [
    r"$$ 2 x - 4 = x \Rightarrow x = 4 $$",
    r"$$ 2 x - 4 = x \implies x = 4 $$",
    r"$$ 2 x - 4 = x \Longrightarrow x = 4 $$",
    r"$$ 2 x - 4 = x \iff x = 4 $$",
    r"$$ 2 x - 4 = x \quad \Leftrightarrow \quad x = 4 $$",
    "$$ 2 x - 4 = x \u21d2 x = 4 $$",  # pasted from a rendered page
    r"$$ 2 x - 4 = x \rightarrow x = 4 $$",
    r"$$ x = 4 \Leftarrow 2 x - 4 = x $$",  # the hypothesis after the arrow
    "$$\\begin{array}{rcl}\n\\frac{117}{t} = \\frac{283}{1 - t} \\Rightarrow "
    "t = \\frac{117}{400}\n\\end{array}$$",
]


@pytest.mark.parametrize("text", SOLVED)
def test_an_equation_to_solve_beside_an_arrow_is_never_refuted(tmp_path, text):
    got = _verdicts(tmp_path, text + "\n")
    assert "refuted" not in [v for v, _ in got], got
    assert any(v == "unknown" and "stands beside" in note for v, note in got), got


@pytest.mark.parametrize("text", [
    r"$$ 2 x - 4 = x $$",  # no arrow: an identity claim, and false
    r"$$ 2 x - 4 = x \le 3 $$",  # a relation, not an implication
    r"$$ 2 x - 4 = x \approx 0 $$",
    r"$$ 2 x - 4 = x \to 0 $$",  # \to is a limit or a map, not an implication
])
def test_without_an_implication_the_false_equation_stays_refuted(tmp_path, text):
    got = _verdicts(tmp_path, text + "\n")
    assert got[0][0] == "refuted", got


def test_an_identity_beside_an_arrow_is_still_proved(tmp_path):
    got = _verdicts(tmp_path, r"$$ (a+b)^2 = a^2 + 2ab + b^2 \Rightarrow "
                    r"(a+b)^2 - a^2 = 2ab + b^2 $$" + "\n")
    assert [v for v, _ in got].count("proved") == 2, got


def test_the_arrow_reaches_only_its_own_display(tmp_path):
    got = _verdicts(tmp_path, r"$$ 2 x - 4 = x \Rightarrow x = 4 $$" + "\n\nand\n\n"
                    r"$$ (a+1)^2 = a^2 + 1 $$" + "\n")
    assert got[-1][0] == "refuted", got
