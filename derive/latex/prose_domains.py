r"""Domains the prose states for a quantity: "where \(y\) is one-hot", "\(y_k \in \{0, 1\}\)".

Authors state what their labels are in a sentence, not in a declaration:

- one-hot: "\(y_i\) is one-hot", "a one-hot label \(y\)", "only one \(y_i = 1\)";
- entries in {0, 1}: "\(y_n \in \{0, 1\}\)" written inline;
- entries summing to one: "\(\sum_k t_k = 1\)" inline, "\(t_k\) sums to 1".

:func:`prose_domains` reads them from the inline maths of the prose (comments blanked) as
:class:`Domain` records; inference (:mod:`derive.latex.infer`) turns each into ``assume``
lines for a quantity it reads as a vector over one index, so the checks and the
counterexample search stay inside the author's domain.

A domain the prose later takes back ("not one-hot", "soft labels", "label smoothing") is
not read: the counterexample search then keeps rows that are not one-hot.

>>> text = "where \\(y_i\\) is one-hot and $t_k \\in \\{0, 1\\}$.\n"
>>> [(d.name, d.kind) for d in prose_domains(text)]
[('y', 'one_hot'), ('t', 'binary')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from derive.latex.prose import inline_math

__all__ = ["Domain", "prose_domains"]

_COMMENT = re.compile(r"<!--.*?-->|^[ \t]*%[^\n]*", re.S | re.M)
# a quantity's name, optionally bold, with an optional subscript of index letters
_QUANTITY = (r"(?:\\(?:mathbf|boldsymbol|bm|vec)\s*\{{\s*(?P<{g}b>[A-Za-z])\s*\}}"
             r"|(?P<{g}p>[A-Za-z]))(?:\s*_\s*(?:\{{\s*[a-z]\s*\}}|[a-z]))?")
_ALONE = re.compile(rf"^\s*{_QUANTITY.format(g='a')}\s*$")
_BINARY = re.compile(rf"^\s*{_QUANTITY.format(g='a')}\s*\\in\s*\\\{{\s*0\s*,\s*1\s*\\\}}\s*$")
_SUMS = re.compile(rf"^\s*\\sum(?:_\s*(?:\{{[^{{}}]*\}}|[a-z]))?(?:\^\s*(?:\{{[^{{}}]*\}}|\w))?\s*"
                   rf"{_QUANTITY.format(g='a')}\s*=\s*1\s*$")
_IS_ONE = re.compile(rf"^\s*{_QUANTITY.format(g='a')}\s*=\s*1\s*$")
_ONE_HOT_AFTER = re.compile(r"^[\s,]*(?:is|are)\s+(?:a\s+|an\s+)?one[- ]hot", re.I)
_ONE_HOT_BEFORE = re.compile(
    r"one[- ]hot(?:\s+encoded|\s+encoding)?(?:\s+(?:label|labels|vector|vectors|target|"
    r"targets|encoding|representation))?(?:\s+of)?\s*$", re.I)
_ONLY_ONE_BEFORE = re.compile(r"(?:only|exactly)\s+one\s*$", re.I)
_SUMS_AFTER = re.compile(r"^[\s,]*(?:sums?|adds?\s+up)\s+to\s+(?:1|one)\b", re.I)
_TAKEN_BACK = re.compile(r"not\s+(?:necessarily\s+)?(?:a\s+)?one[- ]hot|soft[- ](?:label|target)"
                         r"|label[- ]smoothing|smoothed\s+label", re.I)


@dataclass(frozen=True)
class Domain:
    """``name`` (a plain letter: ``y`` for ``\\mathbf{y}``) is ``kind`` (``one_hot``,
    ``binary`` or ``sums_to_one``) from the prose at ``line``."""

    name: str
    kind: str
    line: int


def _name(m: re.Match[str]) -> str:
    return m.group("ab") or m.group("ap")


def prose_domains(text: str, math: str = "") -> list[Domain]:
    """The domains the prose of ``text`` states, in order, without those taken back later
    (``math``: the text with what is not mathematics blanked, as the readers give it)."""
    text = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    found: list[tuple[int, str, str]] = []
    for offset, body in inline_math(text, math):
        end = offset + len(body)
        before = text[max(0, offset - 80):offset].rstrip("$(\\ ")
        after = text[end:end + 80].lstrip("$)\\")
        kind = None
        m = _BINARY.match(body)
        if m:
            kind = "binary"
        elif (m := _SUMS.match(body)) or ((m := _ALONE.match(body)) and _SUMS_AFTER.match(after)):
            kind = "sums_to_one"
        elif (m := _ALONE.match(body)) and (_ONE_HOT_AFTER.match(after)
                                           or _ONE_HOT_BEFORE.search(before)):
            kind = "one_hot"
        elif (m := _IS_ONE.match(body)) and _ONLY_ONE_BEFORE.search(before):
            kind = "one_hot"
        if kind is not None and m is not None:
            found.append((offset, _name(m), kind))
    out = []
    for offset, name, kind in found:
        if kind in ("one_hot", "binary") and _TAKEN_BACK.search(text, offset):
            continue
        out.append(Domain(name, kind, text.count("\n", 0, offset) + 1))
    return out


def domain_assumptions(domains: list[Domain], tensors: list[str],
                       ranges: dict[str, tuple[str, str]]) -> list[str]:
    """The ``assume`` lines for the ``domains`` of quantities inferred as vectors over one
    index: ``tensors`` are the inferred ``tensor`` lines (``y_{i}``), ``ranges`` the index
    ranges (``i -> (1, C)``). A one-hot vector is both {0, 1} and summing to one. A
    quantity over several indices, or over an index with no range, gets nothing (which
    axis is one-hot is not said)."""
    out: list[str] = []
    for dom in domains:
        for rest in tensors:
            m = re.fullmatch(r"\s*(?:\\(?:mathbf|boldsymbol|bm|vec)\{(?P<b>[A-Za-z])\}|"
                             r"(?P<p>[A-Za-z]))_\{(?P<i>[a-z])\}\s*", rest)
            if m is None or (m.group("b") or m.group("p")) != dom.name:
                continue
            head, idx = rest.split("_{")[0].strip(), m.group("i")
            if idx not in ranges:
                continue
            lo, hi = ranges[idx]
            lines = []
            if dom.kind in ("one_hot", "binary"):
                lines.append(f"{head}_{{{idx}}} \\in \\{{0, 1\\}}")
            if dom.kind in ("one_hot", "sums_to_one"):
                lines.append(f"\\sum_{{{idx}={lo}}}^{{{hi}}} {head}_{{{idx}}} = 1")
            out += [line for line in lines if line not in out]
    return out
