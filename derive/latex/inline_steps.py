"""Which inline formulas are steps: "so $a = b$", "Let \\(z = Wx\\)", "故 $L = -\\log p$".

People write steps and definitions in running text as often as in displays. An inline formula
(``$…$`` or ``\\(…\\)`` inside a sentence) is read as a chain, like a display, when it states
an equation: it has a top-level ``=`` (or a defining ``:=``, ``\\triangleq``, …), not one
inside a group, brackets or a sub/superscript (``\\sum_{i=1}``, ``f(x=1)``). It is *not* a
step when it only states

- a condition or an event: a name set to a bare number (``$y_i = 1$``, ``$x = 0$``; but
  ``$\\delta_{kj} = 0$`` is a claim), two bare lower-case letters (``$i = j$``,
  ``$j = k + 1$``) or a letter and a label (``$k = y_i$``);
- a range or a list: a top-level comma after the ``=`` (``$i = 1, \\dots, n$``,
  ``$i=1,2$``), or a vector written by its entries (``$x = (x_1, x_2)$``,
  ``$z = [z_1, \\dots, z_C]$``, ``$u = (u_i)$``: notation for the entries);
- an update rule: a plain name on the left that the right side uses (``$\\theta = \\theta -
  \\alpha g$``);
- a continuation: the formula starts with ``=`` (an inline piece never continues a display);
- a premise: the words just before it state a hypothesis ("given that $\\sum_k y_k = 1$",
  "if $p = \\sigma(z)$", "assume", "suppose", "provided", "whenever", "若", "如果", "假设"):
  the author assumes it, so it is not checked (:func:`premise`), and the formulas after it
  on its line are read only when it is a condition derive can carry (``k = y_i``);
- the thing differentiated: the words just before it are "derivative of", "gradient of",
  "the Jacobian of" ("from the derivative of \\(\\log x = 1/x\\)": (log x)' = 1/x, which
  read as written is false), so it is not checked either.

Every source reader (Markdown, notebooks, LaTeX) asks :func:`is_step` for each inline formula
it finds; the formula then becomes a segment with its own file positions.

>>> [is_step(s) for s in ("a = 2b", "y_i = 1", "i = j", "i = 1, \\\\dots, n", "\\\\sum_{i=1} x_i")]
[True, False, False, False, False]
"""

from __future__ import annotations

import itertools
import re

from derive.latex.prose import DEFINING as _DEFINING

__all__ = ["is_inline", "is_step", "line_conditions", "premise"]

_NUMBER = re.compile(r"-?\s*\d+(?:\.\d+)?")
_INDEXLIKE = re.compile(r"[a-z](?:\s*[+-]\s*\d+)?")
_NAME = re.compile(
    r"(?:\\(?:hat|tilde|bar|vec|dot|ddot|mathbf|boldsymbol|bm|mathcal)\s*\{?\s*)?"
    r"(?:\\[A-Za-z]+|[A-Za-z])\}?(?:\s*_\s*(?:\{[^{}]*\}|\\?[A-Za-z0-9]))?"
)
_OPEN = {"{": "}", "(": ")", "[": "]"}
_LABEL = re.compile(r"[A-Za-z]\s*_\s*(?:\{\s*[A-Za-z]\s*\}|[A-Za-z])")
# inline maths on a line: $...$ (not $$) and \(...\)
_INLINE = re.compile(r"(?<![\\$])\$(?!\$)(?P<d>[^$\n]+?)(?<!\\)\$(?!\$)|\\\((?P<p>.+?)\\\)")
# a relation that makes an inline formula a condition on the steps beside it
_RELATION = re.compile(r"<|>|\\n(?:eq?|ot)(?![A-Za-z])|\\[lg]eq?(?![A-Za-z])|\\to(?![A-Za-z])"
                       r"|\\[lg]t(?![A-Za-z])")
# the words that make the formula right after them a hypothesis, not a claim
_PREMISE = re.compile(r"(?:\b(?:given(?:\s+that)?|assum(?:e|ing)(?:\s+that)?|suppos(?:e|ing)"
                      r"(?:\s+that)?|provided(?:\s+that)?|if|when(?:ever)?|unless)|若|如果|假设)"
                      r"[\s,:]*$", re.IGNORECASE)
# the words that make the formula right after them the thing differentiated, not a claim:
# "the derivative of \(\log x = 1/x\)" is (log x)' = 1/x, read as written it is false
_DIFFERENTIATED = re.compile(r"\b(?:derivatives?|gradients?|differentials?|jacobian|hessian"
                             r"|partials?)\s+(?:of|for)[\s,:]*$|(?:的导数|的梯度)[\s,:]*$",
                             re.IGNORECASE)
# a condition derive reads as a 'where' line: two letters, each with at most one subscript
_SIMPLE = re.compile(r"\s*(?P<a>[A-Za-z](?:_\{?[A-Za-z]\}?)?)\s*(?P<op>=|\\neq?|\\not\s*=)\s*"
                     r"(?P<b>[A-Za-z](?:_\{?[A-Za-z]\}?)?)\s*[.,;]?\s*")


def _top_level(body: str) -> tuple[list[int], list[int]]:
    """The offsets of the top-level ``=`` and ``,`` of ``body``."""
    eqs, commas = [], []
    depth, n = 0, 0
    while n < len(body):
        ch = body[n]
        if ch == "\\":
            if body[n + 1:n + 2] in ("{", "}"):
                depth = depth + 1 if body[n + 1] == "{" else max(depth - 1, 0)
            n += 2
            continue
        if ch in _OPEN:
            depth += 1
        elif ch in _OPEN.values():
            depth = max(depth - 1, 0)
        elif depth == 0 and ch == "=" and body[n - 1:n] not in ("<", ">", "!"):
            eqs.append(n)
        elif depth == 0 and ch == ",":
            commas.append(n)
        n += 1
    return eqs, commas


def _condition(left: str, right: str) -> bool:
    """Is ``left = right`` a condition: a bare number on a side (``y_i = 1``), or a bare index
    letter set to another or to a label (``i = j``, ``k = y_i``)?"""
    if (_NUMBER.fullmatch(left) and _NAME.fullmatch(right)) or (
            _NUMBER.fullmatch(right) and _NAME.fullmatch(left)):
        return True  # y_i = 1 (but \\delta_{kj} = 0 or \\frac{dL}{dz} = 0 is a claim)
    if _INDEXLIKE.fullmatch(left) and _INDEXLIKE.fullmatch(right):
        return True
    return bool((re.fullmatch(r"[a-z]", left) and _LABEL.fullmatch(right))
                or (re.fullmatch(r"[a-z]", right) and _LABEL.fullmatch(left)))


def _listing(side: str) -> bool:
    """Is ``side`` a vector or tuple written by its entries (``(x_1, x_2)``, ``[z_1, \\dots,
    z_C]``)? Notation for the entries, not a formula to check."""
    side = re.sub(r"\\(?:left|right|big|Big)(?![A-Za-z])\s*", "", side).strip()
    if len(side) < 2 or side[0] not in "([" or side[-1] != _OPEN[side[0]]:
        return False
    if re.fullmatch(r"[A-Za-z\\{}]+\s*_\s*(?:\{[^{}]*\}|[A-Za-z])", side[1:-1].strip()):
        return True  # (u_i): the vector of the entries u_i
    depth, comma = 0, False
    for n, ch in enumerate(side):
        if ch in _OPEN:
            depth += 1
        elif ch in _OPEN.values():
            depth -= 1
            if depth == 0 and n < len(side) - 1:
                return False  # (a, b) + (c, d): the first bracket closes early
        elif ch == "," and depth == 1:
            comma = True
    return comma


def is_step(body: str) -> bool:
    """Does the inline formula ``body`` (without its delimiters) state a step?"""
    text = re.sub(r"\\[,;:!]|\\q?quad|~", " ", body).strip()
    text = re.sub(r"[.,;]\s*$", "", text).strip()
    if not text or text.startswith(("=", "&")):
        return False
    text = _DEFINING.sub(lambda m: "=".ljust(len(m.group())), text)
    eqs, commas = _top_level(text)
    if not eqs:
        return False
    if any(c > eqs[0] for c in commas):
        return False
    cuts = [-1, *eqs, len(text)]
    sides = [text[a + 1:b].strip() for a, b in itertools.pairwise(cuts)]
    if any(not s for s in sides):
        return False
    if any(_condition(a, b) for a, b in itertools.pairwise(sides)):
        return False
    if any(_listing(s) for s in sides):
        return False
    if _NAME.fullmatch(sides[0]):
        # the name itself (not x_1 beside x, nor the call W(\beta) beside W) on the right
        name = re.escape(sides[0])
        if any(re.search(rf"(?<![A-Za-z\\]){name}(?![A-Za-z_^({{])", s) for s in sides[1:]):
            return False
    return True


def is_inline(text: str, start: int, end: int) -> bool:
    """Is the formula ``text[start:end]`` written inside a sentence: opened by an inline
    delimiter (one ``$``, or ``\\(``; not ``$$``, ``\\[`` or an environment) with other text
    on its line? A ``$…$`` alone on its line is a display."""
    if text[start - 2:start] == "\\(":
        width = 2
    elif text[start - 1:start] == "$" and text[start - 2:start - 1] != "$":
        width = 1
    else:
        return False
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right < 0 else right
    return bool(text[left:start - width].strip() or text[end + width:right].strip())


def _is_condition(body: str) -> bool:
    """Does the inline formula ``body`` state a condition: a relation other than ``=``
    (``i \\neq j``, ``T \\to 1``, ``x > 0``), or equations that are conditions only
    (``k = y_i``, ``y_i = 1``)? A range (``i = 1, \\dots, n``) or a listing is not one."""
    text = re.sub(r"\\(?:left|right)(?![A-Za-z])", "", body)
    if _RELATION.search(text.replace("=", " ")):
        return True
    eqs, commas = _top_level(text)
    if not eqs or any(c > eqs[0] for c in commas):
        return False
    cuts = [-1, *eqs, len(text)]
    sides = [text[a + 1:b].strip() for a, b in itertools.pairwise(cuts)]
    return all(_condition(a, b) for a, b in itertools.pairwise(sides))


def premise(text: str, start: int) -> bool:
    """Is the inline formula whose body starts at ``text[start]`` a hypothesis: do the words
    just before its opening delimiter, on its line, end with "given (that)", "if", "assume",
    "suppose", "provided", "when(ever)", "unless" (or 若, 如果, 假设)?

    >>> [premise(s, s.index("$") + 1) for s in ("Given that $a = b$", "so $a = b$")]
    [True, False]
    """
    opener = start - (2 if text[start - 2:start] == "\\(" else 1)
    left = text.rfind("\n", 0, opener) + 1
    before = text[left:opener]
    return _PREMISE.search(before) is not None or _DIFFERENTIATED.search(before) is not None


def line_conditions(text: str, start: int, end: int) -> tuple[str, ...] | None:
    """The conditions the rest of its line puts on the inline formula ``text[start:end]``
    (``if $k \\neq y_i$, $\\partial_k P = -P P_k$``), as ``where`` lines; None when the line
    states a condition derive cannot read (``for $T \\to 1$``, ``$i < j$``): the formula is then
    not read, as checking it without its condition could refute a true step."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right < 0 else right
    conds: list[str] = []
    for m in _INLINE.finditer(text, left, right):
        group = "d" if m.group("d") is not None else "p"
        body = m.group(group)
        if m.start(group) <= start < m.end(group):
            continue  # the formula itself
        if not _is_condition(body):
            if m.start(group) < start and premise(text, m.start(group)) and "=" in body:
                return None  # "if $p = \\sigma(z)$, then $…$": holds under that hypothesis
            continue  # another step, a name, a list, a range
        simple = _SIMPLE.fullmatch(body)
        if simple is None:
            return None
        op = "=" if simple.group("op") == "=" else "\\neq"
        conds.append(f"{simple.group('a')} {op} {simple.group('b')}")
    return tuple(dict.fromkeys(conds))
