"""Which steps only introduce a symbol: the ``definition`` verdict (issue 19, item 5).

A step that only gives a new name to an expression is not a claim, so it is never
``proved``: its verdict is ``definition``, counted apart from the proved steps. A step is a
definition when it is the first link of a chain (not one continued with ``=``), its left
side names a symbol (``L``, ``p_j``, ``\\hat{y}^{(i)}``, ``\\sigma(z)``, ``J(w, b)``), that
symbol does not occur on the right, and one of these holds:

- the link is written as a definition: ``:=``, ``\\coloneqq``, ``\\triangleq``, ``\\equiv``,
  ``\\stackrel{\\text{def}}{=}`` (:data:`DEFINING_LINKS`);
- the prose just before the display says so: "Let", "Define", "Denote", "令", "Soit",
  "Sei", ... (one table of words by language: :mod:`derive.latex.definition_words`);
- the symbol is not defined before: not declared by hand (``% derive: let/tensor/scalar/
  size/index/label``) and not the left side of an earlier definition in the same section
  (a Markdown heading, ``\\section``: a new section may give the letter a new meaning).

A step whose left side is an already-defined symbol is checked as every other step. What a
definition *defines* (the inferred ``let`` a reader adds) is :mod:`derive.latex.infer`'s job;
this module only says which steps are definitions.

>>> from derive.latex.parser import parse_block
>>> definition_head(parse_block(r"J(w, b) = w + b", 1, 1)[0].members[0])
'J'
>>> definition_head(parse_block(r"x^2 = y", 1, 1)[0].members[0]) is None
True
>>> [definition_head(parse_block(s, 1, 1)[0].members[0]) for s in (r"\\pi_k = a", r"\\pi = a")]
['\\\\pi', None]
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from derive.latex import ast
from derive.latex.chains import Directive, Notes
from derive.latex.definition_words import PROSE_DEFINES
from derive.latex.inverses import inverted
from derive.latex.numeral_names import is_numeral_name
from derive.latex.superscripts import unlabelled
from derive.latex.tokens import BUILTIN_NAMES

__all__ = ["DEFINING_LINKS", "SectionTracker", "declared_names", "definition_head",
           "is_defining_link", "prose_defines", "section_starts"]

#: relation spellings that say "the left side is defined as the right side"
DEFINING_LINKS = frozenset({":=", "\\coloneqq", "\\coloneq", "\\defeq", "\\eqdef",
                            "\\mathrel{:}=", "\\triangleq", "\\equiv", "\\eqqcolon"})
# ``\stackrel{...}{=}`` / ``\overset{...}{=}`` that define (def, \triangle, \Delta over the
# '='); any other note over it is the step's reason (``(a)``): a claim
_DEFINING_OVER = re.compile(r"\\(?:stackrel|overset)\{(?:[^{}]*def[^{}]*|\\text\{def\}"
                            r"|\\mathrm\{def\}|\\triangle|\\Delta)\}\{=\}")

# names that are never defined by an equation (constants, operators, decorations)
_FIXED = frozenset({"e", "d", "\\partial", "\\nabla", "\\delta", "I", "T", "\\top",
                    "\\intercal", "\\prime", "*", "\\pi", "\\mathrm{d}", "\\ldots", "\\cdots",
                    "\\vdots", "\\ddots", "\\mathbb{1}", "\\mathbf{1}", "\\mathbb{I}"})

# constants whose subscripted spelling names a quantity (\pi_k: a probability, a weight)
_INDEXED = frozenset({"\\pi"})

# functions derive knows without a definition: their equations are claims about them
_BUILTIN = frozenset(f"\\text{{{n}}}" for n in BUILTIN_NAMES)

# the words that announce a definition, by language (derive.latex.definition_words)
_PROSE = PROSE_DEFINES
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s|\\(?:sub)*section\*?\{|\\chapter\*?\{",
                      re.MULTILINE)
_DECLARED = re.compile(r"(\\[A-Za-z]+(?:\{[^{}]*\})?|[A-Za-z])")


def is_defining_link(spelling: str) -> bool:
    """Whether a link written ``spelling`` defines its left side (``:=``, ``\\triangleq``,
    ``\\stackrel{\\text{def}}{=}``).

    >>> [is_defining_link(s) for s in (":=", "=", "\\\\stackrel{\\\\text{def}}{=}",
    ...                                  "\\\\overset{(a)}{=}", "\\\\defeq")]
    [True, False, True, False, True]
    """
    s = spelling.replace(" ", "")
    return s in DEFINING_LINKS or _DEFINING_OVER.fullmatch(s) is not None


def label_superscript(sup: ast.Node) -> bool:
    """A superscript that labels rather than powers: ``(i)``, ``[l]``, ``*``, ``\\prime``."""
    if isinstance(sup, ast.Group) and sup.delim in ("(", "["):
        return True
    return isinstance(sup, ast.Letter) and sup.name in ("*", "\\prime", "\\star")


def definition_head(node: ast.Node) -> str | None:
    """The symbol a left side introduces, or None when it is not a symbol pattern.

    A letter, a letter with subscripts and label superscripts (``a^{[l]}_j``, not the power
    ``x^2``), or either applied to an argument list (``\\sigma(z)``, ``L(y, \\hat{y})``).
    """
    if isinstance(node, ast.Product) and len(node.items) == 2 and isinstance(
        node.items[1], ast.Group
    ) and node.items[1].delim == "(":
        node = node.items[0]
    elif isinstance(node, ast.Product) and len(node.items) == 2 and isinstance(
        node.items[0], ast.Letter) and isinstance(call := node.items[1], ast.Postfix) and (
            isinstance(call.base, ast.Group) and call.base.delim == "(" and len(call.subs) == 1
            and not call.sups and not call.primes):
        node = node.items[0]  # \sigma(z)_i: the function \sigma, entry by entry
    if isinstance(node, ast.Postfix) and node.primes == 0 and all(
        label_superscript(s) for s in node.sups
    ):
        if node.subs and isinstance(node.base, ast.Letter) and node.base.name in _INDEXED:
            return node.base.name  # \pi_{ik}, \pi_k: probabilities, mixture weights
        node = node.base if node.base is not None else node
    if isinstance(node, ast.Letter) and node.name not in _FIXED and (not any(
        c.isdigit() for c in unlabelled(node.name)  # \boldsymbol{1}(j \neq k): a number
    ) or is_numeral_name(node.name)  # x_1 beside no x_i: a name (numeral_names)
    ) and node.name not in _BUILTIN:  # (z^{[2]}: a labelled name, derive.latex.superscripts)
        return node.name
    return None


def letters(node: ast.Node) -> frozenset[str]:
    """Every letter name written in ``node``."""
    return frozenset(n.name for n in ast.walk(node) if isinstance(n, ast.Letter))


def declared_names(directives: Iterable[Directive]) -> frozenset[str]:
    """Names the author declared or defined by hand (``let``, ``tensor``, ``scalar``,
    ``size``, ``index``, ``label``): their equations are claims, never definitions."""
    out: set[str] = set()
    for d in directives:
        if d.keyword in ("size", "scalar"):
            out.update(p.strip() for p in d.rest.split(","))
        elif d.keyword == "index":
            out.update(p.strip() for p in d.rest.split(" in ")[0].split(","))
        elif d.keyword in ("tensor", "label"):
            body = d.rest.split(" in ")[0] if d.keyword == "label" else d.rest
            out.update(m.group(1) for m in re.finditer(
                r"(\\[A-Za-z]+(?:\{[^{}]*\})?|[A-Za-z])\s*(?=[_^(])", body))
            out.update(p.strip() for p in body.split(",") if _DECLARED.fullmatch(p.strip()))
        elif d.keyword == "let":
            m = _DECLARED.match(d.rest.strip())
            if m:
                out.add(m.group(1))
    return frozenset(out)


def _offset(text: str, line: int, col: int) -> int:
    """The offset in ``text`` of 1-based ``line``:``col``."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    if line < 1 or line > len(starts):
        return len(text)
    return min(starts[line - 1] + max(col - 1, 0), len(text))


def prose_defines(text: str, line: int, col: int) -> bool:
    """Whether the prose right before the display at ``line``:``col`` of ``text`` says it
    defines ("Let", "Define", "Denote", "令" just before the maths).

    >>> prose_defines("Define $$a = b$$", 1, 10)
    True
    >>> prose_defines("Hence $$a = b$$", 1, 9)
    False
    """
    end = _offset(text, line, col)
    before = text[max(0, end - 120):end]
    before = before.rsplit("\n\n", 1)[-1]
    return _PROSE.search(before) is not None


def section_starts(text: str) -> list[int]:
    """The 1-based lines where a section starts (Markdown headings, ``\\section``...)."""
    return [text.count("\n", 0, m.start()) + 1 for m in _HEADING.finditer(text)]


class SectionTracker:
    """The symbols defined so far in the current section of a notes file."""

    def __init__(self, notes: Notes, explicit: Iterable[Directive]) -> None:
        self.notes = notes
        self.explicit = declared_names(explicit)
        self.starts = section_starts(notes.text)
        self.section = -1
        self.defined: set[str] = set()
        #: patterns (position-free) whose first definition in this section is not read
        self.claimed: set[str] = set()
        #: each symbol's latest definition read so far (in any section), position-free
        self.equations: dict[str, str] = {}

    def _enter(self, line: int) -> None:
        section = sum(1 for s in self.starts if s <= line)
        if section != self.section:
            self.section, self.defined, self.claimed = section, set(), set()

    def claim(self, left: ast.Node, right: ast.Node, line: int) -> None:
        """A first definition derive does not read (``L(\\mathbf{p}) = ... \\text{where}
        ...``) still claims its pattern in this section: a later equation written with the
        same pattern is a claim about it, not a definition of its own."""
        self._enter(line)
        head = definition_head(left)
        if head is None and (solved := inverted(left)) is not None:
            head = solved.head
        if head is not None and head not in self.defined and ast.shape(left) not in (
                self.claimed):
            self.claimed.add(ast.shape(left))

    def defines_unread(self, left: ast.Node, line: int) -> str | None:
        """The symbol a first definition whose value derive does not read introduces
        (``x_{max} = \\max(x)``), or None when the step would be a claim. Like :meth:`claim`,
        it claims only the pattern: another pattern, or another section, is read anew."""
        self._enter(line)
        head = definition_head(left)
        if head is None and (solved := inverted(left)) is not None:
            head = solved.head
        if head is None or head in self.explicit or head in self.defined or ast.shape(
                left) in self.claimed:
            return None
        self.claimed.add(ast.shape(left))
        return head

    def defines(self, left: ast.Node, right: ast.Node, link: str, line: int, col: int
                ) -> str | None:
        """The symbol the step ``left <link> right`` (written at ``line``:``col``) defines,
        or None when the step is a claim to check. Records the definition."""
        self._enter(line)
        head = definition_head(left)
        if head is None and (solved := inverted(left)) is not None:
            head = solved.head  # \log(\lambda_i) = b defines \lambda_i (derive.latex.inverses)
        if head is None or head in letters(right):
            return None
        spelt = is_defining_link(link) or prose_defines(self.notes.text, line, col)
        if not spelt and (head in self.explicit or head in self.defined
                          or ast.shape(left) in self.claimed):
            return None
        self.defined.add(head)
        return head

    def remember(self, head: str, left: ast.Node, right: ast.Node) -> None:
        """Record the step ``left = right`` as ``head``'s latest definition."""
        self.equations[head] = _shape(left, right)

    def restates(self, left: ast.Node, right: ast.Node, line: int) -> str | None:
        """The symbol whose latest definition (read before, in any section) the step
        ``left = right`` at ``line`` writes again, the same equation: a restatement, not a
        claim. It defines the symbol in this section as well (a later equation is a claim)."""
        head = definition_head(left)
        if head is None and (solved := inverted(left)) is not None:
            head = solved.head
        if head is None or self.equations.get(head) != _shape(left, right):
            return None
        self._enter(line)
        self.defined.add(head)
        return head


def _shape(left: ast.Node, right: ast.Node) -> str:
    """An equation's trees without their positions: equal for the same equation written
    twice (``\\log(\\lambda_i) = \\beta^\\top x_i`` at two places)."""
    return f"{ast.shape(left)} = {ast.shape(right)}"
