"""Every proof tag, "by" and "inherits" the report and the annotated notes print is found in
the trace it came from: the rule in the engine's rule trace, the same equality already
decided (issue 22). Each check is also run against a broken trace and must then complain.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from derive.engine.prover import prove
from derive.latex.verify import verify_file
from derive.models import FAMILIES
from derive.report.data import Entry
from derive.report.notes import write_annotated_notes
from derive.report.notes_md import annotated_markdown
from derive.report.style import Style
from derive.report.theorems import tag_of, theorem

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "derive" / "corpus"

# ------------------------------------------------------------------ the report's proof tags
_TAG = re.compile(r"\\tag\*\{\\footnotesize (.*)\}\s*(?:\\\\)?$", re.M)


def untraced_tags(entry: Entry, text: str, style: Style) -> list[str]:
    """The proof tags in ``text`` (one theorem) that name no rule of the entry's trace."""
    allowed = {tag_of(r, style, entry.claim) for r in entry.verdict.rules}
    return [t for t in _TAG.findall(text) if t not in allowed]


def _entries(n: int = 6) -> list[tuple[Entry, Style]]:
    out = []
    for fam in FAMILIES:
        style = Style(fam.notation)
        claims = list(fam.claims)
        # claims with derivatives, assumptions and case splits: the tags that matter
        picked = [c for c in claims if c.assumptions][:2] + [c for c in claims
                                                             if not c.assumptions][: n - 2]
        out.extend((Entry(c, prove(c)), style) for c in picked)
    return out


@pytest.fixture(scope="module")
def entries() -> list[tuple[Entry, Style]]:
    return _entries()


def test_every_proof_tag_is_a_traced_rule(entries) -> None:
    tags = 0
    for entry, style in entries:
        text = theorem(entry, style)
        tags += len(_TAG.findall(text))
        assert untraced_tags(entry, text, style) == [], entry.claim.name
    assert tags >= 10  # the check saw tags (it cannot pass on an empty report)


def test_a_broken_trace_is_caught(entries) -> None:
    """Print from the real trace, then take the rules away: every tag is then unfounded."""
    caught = 0
    for entry, style in entries:
        text = theorem(entry, style)
        broken = Entry(entry.claim, copy.copy(entry.verdict))
        broken.verdict.rules = []
        caught += len(untraced_tags(broken, text, style))
    assert caught >= 10


def test_tags_follow_the_trace_not_the_step_labels(entries) -> None:
    """With a rule removed from the trace, its tag is no longer printed."""
    entry, style = next((e, s) for e, s in entries
                        if "sum the Kronecker deltas" in e.verdict.rules)
    verdict = copy.copy(entry.verdict)
    verdict.rules = [r for r in verdict.rules if r != "sum the Kronecker deltas"]
    text = theorem(Entry(entry.claim, verdict), style)
    assert "sum the Kronecker deltas" not in "".join(_TAG.findall(text))
    assert untraced_tags(Entry(entry.claim, verdict), text, style) == []


def test_a_numeric_closure_is_said(entries) -> None:
    entry, style = next((e, s) for e, s in entries if e.verdict.status == "proved")
    verdict = copy.copy(entry.verdict)
    verdict.numeric = True
    assert "closed this step numerically" in theorem(Entry(entry.claim, verdict), style)
    assert "numerically" not in theorem(entry, style)


# ------------------------------------------------------------ the annotated notes
def _canonical(text: str) -> str:
    """An equality's text with bound indices (``k'7``) named by order of appearance."""
    names: dict[str, str] = {}
    return re.sub(r"\b\w+'\d+\b", lambda m: names.setdefault(m.group(0), f"b{len(names)}"),
                  text)


def unfounded_claims(tex: str, results: Sequence[Mapping[str, Any]]) -> list[str]:
    """Each "inherits c.s" and "by …" of an annotated copy that the trace does not back."""
    by_id = {f"{r['chain']}.{r['step']}": r for r in results}
    bad = []
    for step, rest in re.findall(r"^\d+ & [^&]* & (\d+\.\d+) & [^&]* & (.*) \\\\$", tex, re.M):
        r = by_id[step]
        trace = r.get("trace") or {}
        for src in re.findall(r"inherits (\d+\.\d+)", rest):
            first = by_id.get(src)
            same = (first is not None and trace.get("inherits") == src
                    and first["verdict"] == r["verdict"]
                    and [_canonical(x) for x in first["trace"]["equality"]]
                    == [_canonical(x) for x in trace["equality"]])
            if not same:
                bad.append(f"{step} inherits {src}")
        for said in re.findall(r"by ([^;]*)", rest):
            for rule in said.split(", "):
                if rule.strip() not in trace.get("rules", []) or r["verdict"] != "proved":
                    bad.append(f"{step} by {rule}")
    for m in re.finditer(r"\\derivestep\{(\d+)\}\{(\d+)\}\{\w+\}\{([^{}]*)\}", tex):
        step = f"{m[1]}.{m[2]}"
        for src in re.findall(r"inherits (\d+\.\d+)", m[3]):
            if (by_id[step].get("trace") or {}).get("inherits") != src:
                bad.append(f"margin {step} inherits {src}")
        if "closed numerically" in m[3] and not (by_id[step].get("trace") or {}).get("numeric"):
            bad.append(f"margin {step} closed numerically")
    return bad


DUP = r"""% derive: auto
\[ \sum_k y_k p_k = \sum_j p_j y_j \]
Again, the same equality:
\[ \sum_k y_k p_k = \sum_j p_j y_j \]
"""


def test_inherits_only_the_same_equality(tmp_path) -> None:
    src = tmp_path / "dup.md"
    src.write_text(DUP)
    results = verify_file(str(src))
    assert [r.get("trace", {}).get("inherits") for r in results] == [None, "1.1"]
    tex = Path(write_annotated_notes(str(src), DUP, results, str(tmp_path))).read_text()
    assert "inherits 1.1" in tex
    assert unfounded_claims(tex, results) == []
    broken = copy.deepcopy(results)
    broken[1]["trace"]["equality"][1] = "Sum(p[j'9]*y[j'9], (j'9, 1, K))"
    assert unfounded_claims(tex, broken) == ["2.1 inherits 1.1"]
    assert "inherits 1.1" in annotated_markdown(str(src), DUP, results)


@pytest.fixture(scope="module")
def corpus02(tmp_path_factory) -> tuple[str, list[dict[str, Any]]]:
    path = CORPUS / "02_zakariapz_ce_softmax.md"
    results = verify_file(str(path))
    out = tmp_path_factory.mktemp("ann")
    tex = Path(write_annotated_notes(str(path), path.read_text(), results, str(out)))
    return tex.read_text(), results


def test_corpus_02_claims_are_traced(corpus02) -> None:
    """Around step 9.3 of the annotated corpus 02 file: 9.3 proves another equality than
    9.1, so it inherits nothing; every "by" names a traced rule."""
    tex, results = corpus02
    assert unfounded_claims(tex, results) == []
    row = re.search(r"^\d+ & \d+ & 9\.3 & .*$", tex, re.M)
    assert row is not None and "inherits" not in row.group(0)
    assert tex.count("by ") >= 10


def test_corpus_02_broken_trace_is_caught(corpus02) -> None:
    tex, results = corpus02
    broken = copy.deepcopy(results)
    for r in broken:
        if r["verdict"] == "proved":
            r["trace"]["rules"] = r["trace"]["rules"][1:]  # the first rule lost
    assert len(unfounded_claims(tex, broken)) >= 10


# ------------------------------------------------------------ counterexample domains
def _respects(assumption: Any, values: Mapping[str, Any]) -> bool:
    import numpy as np

    v = values.get(str(assumption.base.label))
    if v is None:
        return True
    arr = np.asarray(v, dtype=float)
    if assumption.kind in ("binary", "one_hot") and not np.isin(arr, (0.0, 1.0)).all():
        return False
    if assumption.kind == "nonnegative" and (arr < 0).any():
        return False
    if assumption.kind in ("one_hot", "sums_to_one") and arr.ndim:
        return bool(np.allclose(arr.sum(axis=assumption.axis), 1.0))
    return True


def test_wrong_variants_are_refuted_inside_the_declared_domain() -> None:
    """A wrong variant of a claim with binary, one-hot or nonnegative labels is refuted with
    labels of that kind (its counterexample is one a reader of the model can meet): the
    variant keeps the claim's hypotheses on the data."""
    checked = 0
    for fam in FAMILIES:
        claims = {c.name: c for c in fam.claims}
        for m in fam.mutants:
            original = claims.get(m.mutant_of or "")
            domain = [a for a in (original.assumptions if original else ())
                      if a.kind in ("binary", "one_hot", "nonnegative")]
            if not domain:
                continue
            held = {(str(a.base.label), a.kind) for a in m.assumptions}
            assert all((str(a.base.label), a.kind) in held for a in domain), (
                f"{m.name} drops a hypothesis on the data: {[str(a) for a in domain]}")
            v = prove(m)
            if v.counterexample is not None:
                assert all(_respects(a, v.counterexample.values) for a in domain), (
                    m.name, v.counterexample.values)
                checked += 1
    assert checked >= 2
