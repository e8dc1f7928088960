"""Names written with a numeral subscript: ``x_1``, ``x_2``, ``g_1``, ``c1`` as names of their own.

Notes often number the intermediate quantities of a chain rule ("令 $x_1 = g_2(x_2)$,
$x_2 = g_3(x_3)$, ..."): ``x_1``, ``x_2``, ``x_3`` are distinct scalar names, ``g_1``,
``g_2`` distinct functions, and there is no vector ``x`` whose entries they would be. The
reading rule (:func:`numeral_names`), decided once per file from the maths as written:

    a lower-case Latin or Greek letter (not \\pi, \\delta) written with numeral subscripts
    only (``x_1``, ``x_{12}``, ``\\theta_0``, or glued ``x1``), never with a letter index
    (``x_i``, ``x_{ij}``, ``x_n``), never bare (``x``, ``x^{(i)}``, ``\\mathbf{x}``: a
    letter inside a word of three letters or more, as in ``max``, is no use of it), never
    transposed (``x_1^T``: a vector), never declared
    by hand, names a quantity of its own with each numeral.

When the rule holds the notes get one ``% derive: name x_1, x_2, ...`` line (it says the
spellings are names, not entries; their kind, scalar or defined, is then inferred as for any
letter), and the tokenizer reads ``x_1``, ``x_{1}`` and ``x1`` as the one letter ``x_1``.
When it does not hold nothing changes: ``x_1`` beside ``x_i`` (or beside ``x``) is entry 1 of
``x``, and a capital (``W_1``, ``W_2``: layer matrices) is never read so. ``e`` (Euler's
number) and ``d`` (a differential) are never such letters.

>>> sorted(numeral_names(r"L = g_1(x_1) = -\\log(x_1), x1 = c1 / sum"))
['c_1', 'g_1', 'x_1']
>>> sorted(numeral_names(r"x_1 + x_i"))
[]
>>> sorted(numeral_names(r"a_1 + a_2 = a^T b"))
[]
>>> sorted(numeral_names(r"h(x) = \\theta_0 + \\theta_1 x"))
['\\\\theta_0', '\\\\theta_1']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from derive.latex.chains import Directive
from derive.latex.gradient_names import PIECE as GRADIENT
from derive.latex.gradient_names import gradient_names

__all__ = ["KEYWORD", "directive", "is_numeral_name", "name_of", "names_in", "numeral_names"]

#: the declaration keyword: ``% derive: name x_1, x_2``
KEYWORD = "name"

# letters that are never a numbered name: Euler's e, the differential d
_NEVER = frozenset({"e", "d"})
#: lower-case Greek letters that may carry numbers (\theta_0, \lambda_1); not \pi (the
#: constant) nor \delta (Kronecker's)
GREEK = ("alpha", "beta", "gamma", "epsilon", "varepsilon", "zeta", "eta", "theta",
         "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "phi",
         "varphi", "chi", "psi", "omega")
# each Greek letter as one private character while scanning (a run of its own)
_MARK = {f"\\{g}": chr(0xE000 + n) for n, g in enumerate(GREEK)}
_UNMARK = {c: g for g, c in _MARK.items()}
_GREEK_CMD = re.compile(r"\\(" + "|".join(sorted(GREEK, key=len, reverse=True))
                        + r")(?![A-Za-z])")
_LETTER = r"(?:[a-z]|\\(?:" + "|".join(GREEK) + r"))"
# a name as spelt in a declaration (x_1, x_{12}) and as the tokenizer folds it (x_1)
_PIECE = re.compile(rf"\s*({_LETTER})\s*_\s*(?:\{{\s*(\d+)\s*\}}|(\d+))\s*")
_NAME = re.compile(rf"{_LETTER}_\d+")
# a command with its braced argument that is a name of its own (\hat{x}, \mathbf{x}) or an
# annotation (\text{...}): none of its letters is a use of a plain letter
_WRAPPED = re.compile(
    r"\\(?:mathbf|boldsymbol|bm|vec|hat|widehat|tilde|widetilde|bar|overline|underline|dot|"
    r"ddot|check|breve|mathcal|mathbb|mathrm|mathsf|mathit|mathfrak|operatorname|text|"
    r"textrm|textit|textbf|mbox|begin|end|label|tag)\s*\*?\s*\{[^{}]*\}")
# a bold or arrowed letter: the vector whose entries x_1, x_2 would be, so a use of the
# letter itself (kept in the scan as the bare letter)
_BOLD = re.compile(
    r"\\(?:mathbf|boldsymbol|bm|vec|overrightarrow|mathbfit)\s*\{\s*([A-Za-z])\s*\}")
_TRANSPOSE = re.compile(r"\\(?:top|intercal)(?![A-Za-z])|\\mathsf\s*\{\s*T\s*\}")
_COMMAND = re.compile(r"\\[A-Za-z]+")
_RUN = re.compile(r"[A-Za-z]+|[\ue000-\ue0ff]")
# what follows a letter: a numeral subscript, glued digits, another subscript
_NUMERAL_SUB = re.compile(r"\s*_\s*(?:\{\s*(\d+)\s*\}|(\d))")
_GLUED = re.compile(r"\d+")
_OTHER_SUB = re.compile(r"\s*_")
_TRANSPOSED = re.compile(r"\s*\^\s*\{?\s*T(?![A-Za-z])")


def name_of(letter: str, digits: str) -> str:
    """The one spelling of a numbered name: ``x_1`` (for ``x_1``, ``x_{1}``, ``x1``)."""
    return f"{letter}_{digits}"


def is_numeral_name(name: str) -> bool:
    """Whether ``name`` is a numbered name's spelling (``x_1``, ``g_12``)."""
    return _NAME.fullmatch(name) is not None


def _declared_letters(directives: Iterable[Directive]) -> set[str]:
    """Every single letter a hand-written declaration line mentions: its meaning is the
    author's, never re-read."""
    out: set[str] = set()
    for d in directives:
        text = _COMMAND.sub(" ", _GREEK_CMD.sub(lambda m: _MARK[m.group()], d.rest))
        out.update(m.group() for m in _RUN.finditer(text) if len(m.group()) == 1)
    return out


def numeral_names(math: str, directives: Iterable[Directive] = ()) -> frozenset[str]:
    """The numbered names of the maths ``math`` under the reading rule of the module
    docstring; ``directives``: the notes' own declaration lines (their letters are kept)."""
    text = _TRANSPOSE.sub("T", math)
    text = _BOLD.sub(lambda m: f" {m.group(1)}#", text)
    text = _GREEK_CMD.sub(lambda m: _MARK[m.group()], text)
    text = _WRAPPED.sub(lambda m: " " * len(m.group()), text)
    text = _COMMAND.sub(lambda m: " " * len(m.group()), text)
    numbered: dict[str, set[str]] = {}
    other: set[str] = set()  # letters used bare, with a letter index, or transposed
    for run in _RUN.finditer(text):
        word = run.group()
        if len(word) >= 3:
            continue  # max, sum, log, target: a word, no use of its letters
        other.update(word[:-1])
        letter, end = word[-1], run.end()
        sub = _NUMERAL_SUB.match(text, end)
        glued = _GLUED.match(text, end) if sub is None else None
        if sub is None and glued is None:
            other.add(letter)
            continue
        if sub is not None:
            digits, after = sub.group(1) or sub.group(2), sub.end()
            if sub.group(2) is not None and text[after:after + 1].isdigit():
                other.add(letter)  # x_12: TeX prints x_1 then 2
                continue
        else:
            assert glued is not None
            digits, after = glued.group(), glued.end()
        if _TRANSPOSED.match(text, after):
            other.add(letter)
            continue
        numbered.setdefault(letter, set()).add(digits)
    keep = set(numbered) - other - _NEVER - _declared_letters(directives)
    return frozenset(name_of(_UNMARK.get(x, x), n) for x in keep
                     if x.islower() or x in _UNMARK for n in numbered[x])


def directive(math: str, directives: tuple[Directive, ...]) -> Directive | None:
    """The ``% derive: name ...`` line the notes imply: their numbered names, then their
    gradient names (``dw``: :mod:`derive.latex.gradient_names`); None when they imply none,
    or say ``% derive: manual``, or already write one."""
    if any(d.keyword in ("manual", KEYWORD) for d in directives):
        return None
    found = numeral_names(math, directives)
    grads = gradient_names(math, directives)
    if not found and not grads:
        return None
    rest = ", ".join([*sorted(found, key=lambda n: (n.rsplit("_", 1)[0], int(n.rsplit(
        "_", 1)[1]))), *sorted(grads)])
    return Directive(line=0, col=1, keyword=KEYWORD, rest=rest, rest_col=1)


def names_in(directives: Iterable[Directive]) -> frozenset[str]:
    """The names the ``name`` lines of ``directives`` declare: numbered (``x_1``) and
    gradient names (``dw``)."""
    out: set[str] = set()
    for d in directives:
        if d.keyword != KEYWORD:
            continue
        for piece in d.rest.split(","):
            m = _PIECE.fullmatch(piece)
            if m is not None:
                out.add(name_of(m.group(1), m.group(2) or m.group(3)))
            elif (g := GRADIENT.fullmatch(piece)) is not None:
                out.add(g.group(1))  # dw: a gradient name (derive.latex.gradient_names)
    return frozenset(out)
