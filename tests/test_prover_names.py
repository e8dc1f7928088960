"""The name a step gives the prover (``file:line: chain C step S``) numbers its chain
through the file, as its result does, also when sections are read on their own
(:mod:`derive.latex.section_readings`): tools that prove selected steps by name (the
metamorphic suite) rely on it."""

from __future__ import annotations

import re

import pytest

from derive.engine.prover import prove_equal
from derive.latex.verify import verify_file

NOTES = [
    # one reading
    "$$p = 2a$$\n\n$$p + p = 4a$$\n\n$$\\frac{\\partial}{\\partial a} p^2 = 8a$$\n",
    # two readings: section B gives p another meaning
    "# A\n\n$$p = 2a$$\n\n$$p + p = 4a$$\n\n# B\n\n$$p = 3a$$\n\n$$p + p = 6a$$\n",
]


@pytest.mark.parametrize("text", NOTES)
def test_prover_names_match_result_chains(tmp_path, text):
    path = tmp_path / "n.md"
    path.write_text(text)
    names: list[str] = []

    def spy(lhs, rhs, **kw):
        names.append(kw["name"])
        return prove_equal(lhs, rhs, **kw)

    results = verify_file(str(path), prove=spy)
    steps = {(r["line"], r["chain"], r["step"]) for r in results}
    named = {(int(m[1]), int(m[2]), int(m[3])) for m in (
        re.search(r":(\d+): chain (\d+) step (\d+)$", n) for n in names)}
    assert named and named <= steps, (names, results)
