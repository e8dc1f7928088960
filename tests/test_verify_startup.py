"""What ``derive verify`` loads and repeats: the fixed cost of one notes file (issue 19,
"≤ 1 s per file").

Most of a ``derive verify`` of a short notes file is start-up, not proving, so each test here
pins one cause that was measured and removed: a heavy module imported on a path that does not
need it (checked in a fresh process through ``sys.modules``, never by a wall-clock bound), or
a SymPy call whose answer a cheaper question already gives.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

import derive
from derive.engine.algebra.terms import _linear_and_negative_somewhere, _provably_le
from derive.latex.values import _same_size

EXAMPLES = Path(derive.__file__).parent / "examples"

K, N = sp.symbols("K N", integer=True, positive=True)

#: a softmax Jacobian with a Kronecker delta: proving it asks whether index ranges are
#: disjoint or contained (``terms._provably_le``), which used ``sp.simplify`` every time
JACOBIAN = r"""Softmax over $K$ classes, $p_k = \frac{e^{z_k}}{\sum_{c=1}^{K} e^{z_c}}$.

$$
\frac{\partial p_k}{\partial z_j} = p_k (\delta_{jk} - p_j)
$$
"""


def _verify_in_fresh_process(path, prefixes: tuple[str, ...]) -> tuple[list[dict], list[str]]:
    """``derive verify --json`` of ``path`` in a new interpreter: its records and the loaded
    modules whose names start with one of ``prefixes``."""
    code = ("import io, sys, contextlib; from derive.cli import main\n"
            "out = io.StringIO()\n"
            f"with contextlib.redirect_stdout(out): main(['verify', '--json', '-q', {str(path)!r}])\n"
            f"mods = sorted(m for m in sys.modules if m.startswith({prefixes!r}))\n"
            "print(out.getvalue()); print('MODULES', ' '.join(mods))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=600)
    body, _, mods = proc.stdout.rpartition("MODULES")
    assert proc.returncode == 0, proc.stderr
    return json.loads(body), mods.split()


def test_proving_a_delta_step_does_not_load_sympy_physics(tmp_path):
    """``sp.simplify`` imports ``sympy.physics.units`` on its first call (about 0.3 s of CPU,
    a third of a short file's run); a range question SymPy's assumptions decide as written
    must not reach it."""
    notes = tmp_path / "jacobian.md"
    notes.write_text(JACOBIAN, encoding="utf-8")
    records, mods = _verify_in_fresh_process(notes, ("sympy.physics",))
    assert [r["verdict"] for r in records] == ["definition", "proved"]  # the inline p_k
    assert mods == []


def test_a_range_question_decided_as_written_keeps_its_answer():
    # decided by the assumptions without simplifying: both signs, and equality
    assert _provably_le(sp.Integer(1), K) is True           # K - 1 >= 0
    assert _provably_le(K + 1, sp.Integer(1)) is False      # -K >= 0
    assert _provably_le(K, K) is True


def test_an_undecided_range_question_is_still_simplified():
    # K**2 - K: SymPy's assumptions say None as written, simplify factors it to K (K - 1)
    assert (K**2 - K).is_nonnegative is None
    assert _provably_le(K, K**2) is True
    # (K + 1)^2 - K^2 - 2K - 1 = 0 only after expansion
    assert _provably_le(K**2 + 2 * K + 1, (K + 1) ** 2) is True
    # genuinely undecided for positive sizes: no
    assert _provably_le(sp.Integer(2), K) is False
    assert _provably_le(K, N) is False
    assert _provably_le(K + 1, (K + 1) ** 2 - K**2 - 2 * K) is False  # 0 >= K + 1: no


def test_a_linear_form_negative_somewhere_is_no_without_simplifying():
    # SymPy's assumptions leave N - K undecided; it is negative at K = 2, N = 1
    assert (N - K).is_nonnegative is None
    assert _linear_and_negative_somewhere(N - K)
    assert _linear_and_negative_somewhere(K - 2)            # K = 1
    assert _linear_and_negative_somewhere(K + N - 3)        # K = N = 1
    assert _linear_and_negative_somewhere(sp.Integer(-1))


def test_where_the_linear_rule_must_not_answer():
    n = sp.Symbol("n", integer=True)                        # not known positive: n = 0 ...
    assert not _linear_and_negative_somewhere(n - 1)
    assert not _linear_and_negative_somewhere(K + N - 2)    # >= 0 for every size
    assert not _linear_and_negative_somewhere(2 * K - 1)
    assert not _linear_and_negative_somewhere(K - sp.Rational(1, 2))
    assert not _linear_and_negative_somewhere(K**2 - K)     # not linear: left to simplify
    # K + N - 2 >= 0 holds but SymPy cannot tell, with or without simplify: the answer stays
    # the one simplify gives
    assert _provably_le(sp.Integer(2), K + N) is bool(sp.simplify(K + N - 2).is_nonnegative)


def test_sizes_compared_without_simplify():
    assert _same_size(K + 1, 1 + K) and _same_size((K + 1) ** 2, K**2 + 2 * K + 1)
    assert not _same_size(K, N) and not _same_size(K, K + 1) and not _same_size(3, 2)
    assert _same_size(sp.Integer(3), 3)


@pytest.mark.parametrize("name", ["003_x_crossed_smigh.md", "004_cross_entropy_softmax.md"])
def test_seed_examples_do_not_load_sympy_physics(name):
    """Two seed examples compare sizes (N vs D) and ask undecided range questions (N - K):
    neither needs ``sp.simplify``."""
    records, mods = _verify_in_fresh_process(EXAMPLES / name, ("sympy.physics",))
    assert records and mods == []
