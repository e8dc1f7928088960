r"""Standard basis vectors the prose names: "where \(\mathbf{e}_k\) is the k-th basis vector".

``e_k`` (``\mathbf{e}_k``, ``\boldsymbol{e}_k``, ...) is, by convention, the vector whose
entry ``k`` is 1 and whose other entries are 0. The convention is only a reading when the
notes state it; inference (:mod:`derive.latex.infer`) applies it in two ways:

- **said**: the prose states it (:func:`prose_bases`: the inline name ``e_k`` next to
  "is the standard basis vector", "the k-th unit vector", "canonical basis vector", or the
  phrase just before it). The name is then defined by one ``let`` line (:func:`basis_let`),
  ``e_k = (\delta_{k1}, \ldots, \delta_{kK})``: a vector of the length of the range of its
  own index (the ``k``-th basis vector of ``R^K`` where ``k`` runs over ``1..K``), read by the
  elaborator and by the referee as any other definition. Its index must run over ``1..K``
  for a size ``K``; another range (``0..p``), a number as the upper limit or an index with no
  range gives no line, and the name stays undeclared (its steps ``unknown``, named).
- **not said**: a subscripted ``e`` in any spelling (:func:`is_basis_spelling`) is never
  inferred as a quantity of a hidden size of its own; read so, ``\sum_k y_k \mathbf{e}_k =
  \mathbf{y}`` (true) was refuted. It stays undeclared: its steps are ``unknown`` with a
  reason that says how to state it.

A name the notes also declare or define by an equation keeps that meaning: the prose does
not override it (reported as a conflict note by inference).

>>> text = "where $\\mathbf{e}_k$ is the $k$-th standard basis vector of the space.\n"
>>> [(b.head, b.letter) for b in prose_bases(text)]
[('\\mathbf{e}', 'k')]
>>> basis_let("\\mathbf{e}", "k", ("1", "K"))
'\\mathbf{e}_{k} = (\\delta_{k1}, \\ldots, \\delta_{kK})'
>>> basis_let("e", "j", ("0", "p")) is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from derive.latex.prose import inline_math

__all__ = ["Basis", "basis_let", "is_basis_spelling", "prose_bases"]

_COMMENT = re.compile(r"<!--.*?-->|^[ \t]*%[^\n]*", re.S | re.M)
#: the spellings of e as a vector (a plain e is Euler's number without a subscript)
_WRAPPERS = ("mathbf", "boldsymbol", "bm", "vec", "mathbfit", "pmb")
_E_HEAD = re.compile(r"e|\\(?:" + "|".join(_WRAPPERS) + r")\{e\}")
# the name alone in its inline formula: a head with one index letter
_NAMED = re.compile(r"^\s*(?P<head>\\(?:" + "|".join(_WRAPPERS) + r")\s*\{\s*[A-Za-z]\s*\}"
                    r"|[A-Za-z])\s*_\s*(?:\{\s*(?P<b>[a-z])\s*\}|(?P<p>[a-z]))\s*$")
# the phrase: "basis vector" with any qualifier; "unit vector" only as "the k-th unit vector"
# or "standard/canonical unit vector" (a unit vector alone is any vector of norm 1)
_ORD = (r"(?:\$?(?:\\\()?\s*[a-z0-9]{1,3}\s*(?:\\\))?\$?\s*-?\s*(?:\^\s*\{?\s*)?"
        r"(?:\\(?:text|mathrm)\{)?(?:th|st|nd|rd)\}?\s*\}?\$?)")
_QUAL = r"(?:standard|canonical|natural|elementary|cartesian)"
_PHRASE = (rf"(?:{_ORD}\s+)?(?:{_QUAL}\s+)?basis\s+(?:column\s+)?vectors?"
           rf"|(?:{_ORD}\s+(?:{_QUAL}\s+)?|{_QUAL}\s+)unit\s+(?:column\s+)?vectors?")
_AFTER = re.compile(r"^[\s,]*(?:(?:is|are|denotes|denote|be|stands\s+for|as|=)\s+)?"
                    r"(?:(?:the|a|an)\s+)?(?:" + _PHRASE + r")", re.I)
_BEFORE = re.compile(r"(?:^|\s)(?:the|a|an)?\s*(?:" + _PHRASE + r")\s*$", re.I)

# the space the sentence names: "of \mathbb{R}^K", "in R^{n}"
_SPACE = re.compile(r"(?:\\mathbb\s*\{\s*R\s*\}|\\R(?![A-Za-z])|ℝ)\s*\^\s*"
                    r"(?:\{\s*(?P<b>[^{}]*?)\s*\}|(?P<p>\w))")


@dataclass(frozen=True)
class Basis:
    """``head`` (``\\mathbf{e}``) with index ``letter`` is a standard basis vector, as the
    prose says at ``line``."""

    head: str
    letter: str
    line: int
    #: the size of the space the sentence names (``K`` of "of \\mathbb{R}^K"), if any
    space: str | None = None


def _canonical(head: str) -> str:
    """``\\mathbf {e}`` -> ``\\mathbf{e}`` (as the parser spells a head)."""
    return re.sub(r"\s+", "", head)


def is_basis_spelling(head: str) -> bool:
    """Whether ``head`` is e in a spelling a basis vector is written with (``e``,
    ``\\mathbf{e}``, ``\\boldsymbol{e}``, ``\\vec{e}``, ...).

    >>> [is_basis_spelling(h) for h in ("e", "\\\\mathbf{e}", "\\\\vec{e}", "x", "\\\\mathbf{E}")]
    [True, True, True, False, False]
    """
    return _E_HEAD.fullmatch(head) is not None


def prose_bases(text: str, math: str = "") -> list[Basis]:
    """The names the prose of ``text`` calls standard basis vectors, in order (``math``:
    the text with what is not mathematics blanked, as the readers give it)."""
    text = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    out: list[Basis] = []
    for offset, body in inline_math(text, math):
        m = _NAMED.match(body)
        if m is None:
            continue
        end = offset + len(body)
        before = text[max(0, offset - 80):offset].rstrip("$(\\ ")
        after = text[end:end + 80].lstrip("$)\\")
        if _AFTER.match(after) or _BEFORE.search(before):
            sentence = re.split(r"(?<=[^\d\\])\.(?:\s|$)|\n\s*\n", after, maxsplit=1)[0]
            space = _SPACE.search(sentence)
            out.append(Basis(_canonical(m.group("head")), m.group("b") or m.group("p"),
                             text.count("\n", 0, offset) + 1,
                             (space.group("b") or space.group("p")) if space else None))
    return out


def basis_let(head: str, letter: str, rng: tuple[str, str] | None,
              space: str | None = None) -> str | None:
    """The ``let`` line defining ``head_{letter}`` as the basis vector of the length of
    ``letter``'s range, or None where the range is not ``1..K`` for a size letter ``K``, or
    where the prose names a space of another size (``\\mathbb{R}^d`` beside ``1..K``)."""
    if rng is None:
        return None
    lo, hi = rng
    if lo != "1" or re.fullmatch(r"[A-Za-z]", hi) is None or hi == letter or (
            space is not None and space != hi):
        return None
    return f"{head}_{{{letter}}} = (\\delta_{{{letter}1}}, \\ldots, \\delta_{{{letter}{hi}}})"
