"""Gradient names: ``dw``, ``db`` written as names of their own ("$$dw = \\frac{1}{m} X^T(...)$$").

Course notes and code-minded derivations name the gradient of a parameter ``w`` by ``dw``
(the variable their code stores it in). Read as the product ``d \\cdot w`` the step has an
undeclared ``d``; read as the derivative operator it makes no sense. The reading rule
(:func:`gradient_names`), decided once per file from the maths as written:

    ``d`` glued to one letter (``dw``, ``db``) is a name of its own when it is the left side
    of an equation somewhere (``dw = ...`` at the start of a formula, after ``&``, ``\\\\``
    or ``{``, as in ``\\boxed{dw = ...}``), and is never written as a differential: not in a
    fraction (``\\frac{dL}{dw}``, ``{dw}``, ``/dw``), not after an integral or with a power
    (``dw^2``), ``d`` is not declared by hand, and the notes write no other ``d`` glued to a
    letter outside a fraction (``ds = (S - ss^T) dz``: differentials as products, the
    notation of matrix calculus; then no gradient name at all).

The name joins the notes' ``% derive: name ...`` line (:mod:`derive.latex.numeral_names`);
the tokenizer then reads ``dw`` as the one letter ``dw``. ``\\frac{dL}{dw}`` beside
``dw = ...`` keeps ``dw`` a differential everywhere (no name).

>>> sorted(gradient_names("dw = \\\\frac{1}{m} X^T e \\n db = 2"))
['db', 'dw']
>>> sorted(gradient_names("dw = 2 \\n \\\\frac{dJ}{dw} = 3"))
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from derive.latex.chains import Directive

__all__ = ["PIECE", "gradient_names"]

#: a gradient name as declared on a ``name`` line
PIECE = re.compile(r"\s*(d[A-Za-z])\s*")

# d glued to one letter, as the left side of an equation
_DEFINED = re.compile(r"(?:^|[\n$&{]|\\\\)\s*d([A-Za-z])\s*(?:=|:=)", re.MULTILINE)
# d glued to one letter anywhere
_PAIR = re.compile(r"(?<![A-Za-z\\])d([A-Za-z])(?![A-Za-z])")
# d glued to one letter as a differential: in a group of its own or a fraction, after a
# slash or an integral, with a power
_DIFFERENTIAL = r"(?:\{{\s*d{0}\s*\}}|/\s*d{0}(?![A-Za-z])|\\int[^=]*?d{0}(?![A-Za-z])" \
    r"|d{0}\s*\^|\\frac\s*\{{\s*d{0}(?![A-Za-z]))"


def gradient_names(math: str, directives: Iterable[Directive] = ()) -> frozenset[str]:
    """The gradient names (``dw``) of the maths ``math`` under the module's rule."""
    if any(re.search(r"(?<![\\A-Za-z])d(?![A-Za-z])", d.rest) for d in directives
           if d.keyword not in ("where", "skip", "assume")):
        return frozenset()  # d declared by hand: its meaning is the author's
    out = set()
    for m in _DEFINED.finditer(math):
        letter = m.group(1)
        if re.search(_DIFFERENTIAL.format(re.escape(letter)), math) is None:
            out.add(f"d{letter}")
    for m in _PAIR.finditer(math):
        if f"d{m.group(1)}" not in out and not _in_fraction(math, m.start(), m.end()):
            return frozenset()  # (S - ss^T) dz: the notes write differentials as products
    return frozenset(out)


def _in_fraction(math: str, start: int, end: int) -> bool:
    """Whether the pair at ``start:end`` is a fraction's numerator or denominator
    (``\\frac{dL}{dz}``, ``\\frac{d}{dz}``, ``dL/dz``)."""
    before = math[:start].rstrip()
    after = math[end:].lstrip()
    return (before.endswith("{") and after.startswith("}")) or before.endswith(
        ("/", "\\frac{")) or after.startswith("/")
