"""The variable of a prime the notes do not declare, read from its context as a reader does.

``% derive: prime <variable>`` says by which variable a prime ``'`` differentiates. Without
it, a prime on a name or a bracket (``e_j'``, ``(x^2 y)'``) is read from the context of its
chain; each entry of :data:`SOURCES` is one place a reader looks:

- ``display``: the chain's first member is a first-order derivative by one variable,
  ``\\frac{\\partial p_j}{\\partial x_i} = \\frac{e_j' S - e_j S'}{S^2}``, and carries no prime
  itself: the primes of the later members are ``d/dx_i``;
- ``prose before``: the paragraph right before the display speaks of a derivative "with
  respect to $v$" (``w.r.t.``, ``wrt``);
- ``notation``: a paragraph writes a primed name in inline maths and says it denotes a
  derivative "with respect to $v$" ("Here I use $e_j'$ to denote the derivative of $e_j$
  w.r.t. $x_i$"): it holds for the display right before it and for every display after
  it up to the end of its section (the next heading of its level or above).

When the sources name more than one variable the prime is not read: ``unknown
(ambiguous)``, the readings listed. A prime before parentheses, ``f'(a)``, is Lagrange's
notation (the derivative of ``f`` by its own argument, :mod:`derive.latex.elaborate_calls`)
and is never given a variable here.

A primed name is never a derivative when the notes write it as a name of its own
(:data:`NAME_RULES`): the variable of a derivative (``\\partial/\\partial x'``), an index or
a sum's letter (``y_{k'}``, ``\\sum_{k'}``), an argument inside parentheses (``k(x, x')``),
a name an inline definition introduces (``$x' = x - \\eta g$``), or a name the prose writes
without speaking of derivatives at all ("for another point $x'$", "a label $y'$"). A chain
with such a name reads none of its primes as a derivative; nor does one with a prime on a
name the notes never define (its derivative would silently be 0) or a prime right after a
call's parentheses (``\\sigma(z)'``: by the argument or by the display's variable?). The
elaborator reads an inferred prime only on a scalar, by a scalar: ``x'`` of a vector may be
a transpose.

The independent referee reads primes on its own (:mod:`derive.latex.referee.primes`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from derive.errors import DeriveError
from derive.latex import ast
from derive.latex.parser import parse_expr_text

__all__ = ["NAME_RULES", "SOURCES", "PrimeContext", "PrimeReading"]

DerivativeParts = Callable[[ast.Frac], Any]  # (body, [wrt, ...]) of a derivative, or None

_INLINE = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)(?<!\\)\$(?!\$)|\\\((.+?)\\\)", re.DOTALL)
_WRT = re.compile(r"(?:with\s+respect\s+to|w\.\s*r\.\s*t\.?|\bwrt\b)\s*"
                  r"(?:\$(?!\$)([^$\n]+?)\$|\\\((.+?)\\\))", re.IGNORECASE)
_DERIVATIVE_WORDS = re.compile(r"deriv|differentia|gradient|\bslope|w\.\s*r\.\s*t|"
                               r"with\s+respect\s+to|\bwrt\b|导数|求导|偏导", re.IGNORECASE)
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s|\\(chapter|section|subsection|subsubsection)\*?\{",
                      re.MULTILINE)
_TEX_LEVEL = {"chapter": 0, "section": 1, "subsection": 2, "subsubsection": 3}
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_INLINE_DEFINITION = re.compile(r"^\s*(.+?)\s*(?::=|\\coloneqq|\\triangleq|\\equiv)")
# what opens a display before its first member: a member's position is after a size
# command (\left( ... \right)': the group starts at its bracket), so those count too
_SIZES = r"\\(?:left|bigl|Bigl|biggl|Biggl|big|Big|bigg|Bigg)(?![A-Za-z])"
_OPENERS = re.compile(r"\$\$|\\\[|\\begin\{[A-Za-z*]+\}|" + _SIZES)
_TRAILING_OPENERS = re.compile(r"(?:\s|\$\$|\\\[|\\begin\{[A-Za-z*]+\}|&|" + _SIZES + r")+\Z")


def _offset(text: str, line: int, col: int) -> int:
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    if line < 1 or line > len(starts):
        return len(text)
    return min(starts[line - 1] + max(col - 1, 0), len(text))


@dataclass(frozen=True)
class PrimeReading:
    """What a chain's undeclared primes mean: ``variable`` (read from ``source``), or None
    with ``note`` saying why no variable is read."""

    variable: ast.Node | None
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class _Paragraph:
    start: int  # offset in the text
    end: int
    line: int  # first line
    end_line: int
    text: str


def _has_prime(node: object) -> bool:
    return any(isinstance(n, ast.Postfix) and n.primes for n in ast.walk(node))


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _opens(item: ast.Node) -> bool:
    if isinstance(item, ast.Postfix) and isinstance(item.base, ast.Group) and not item.subs:
        item = item.base  # type: ignore[assignment]
    return isinstance(item, ast.Group) and item.delim == "("


def primed_items(member: ast.Node) -> list[ast.Postfix]:
    """The primes of ``member`` a variable would be given to: a primed name or bracket, not
    one before parentheses (``f'(a)``: Lagrange's notation, read by its own rule)."""
    calls: set[int] = set()
    for n in ast.walk(member):
        if isinstance(n, ast.Product):
            for a, b in zip(n.items, n.items[1:], strict=False):
                a = a.operand if isinstance(a, ast.Op) else a  # type: ignore[assignment]
                if isinstance(a, ast.Postfix) and a.primes and _opens(b):
                    calls.add(id(a))
    return [n for n in ast.walk(member) if isinstance(n, ast.Postfix) and n.primes
            and id(n) not in calls]


class PrimeContext:
    """The context of one notes file that decides the variable of an undeclared prime:
    its prose (paragraphs, sections), and the primed names it writes as names of their own.
    ``members``: every member of every chain of the file; ``parts``: what a derivative
    fraction differentiates (the elaborator's ``derivative_parts``)."""

    def __init__(self, text: str, members: Iterable[ast.Node], parts: DerivativeParts,
                 names: Iterable[str] = (), defined: Callable[[str], bool] = bool) -> None:
        self.text = text
        self.parts = parts
        self.defined = defined
        self.names = frozenset(names)
        self.paragraphs = self._paragraphs(text)
        self.headings = [(_line(text, m.start()), len(m.group(1)) if m.group(1) else
                          _TEX_LEVEL[m.group(2)]) for m in _HEADING.finditer(text)]
        self.members = list(members)
        #: primed name -> why the notes write it as a name of its own (first reason met)
        self.own_names: dict[ast.Node, str] = {}
        for rule, finder in NAME_RULES:
            for node, line in finder(self):
                self.own_names.setdefault(node, f"{rule}, line {line}")

    # -- the prose ------------------------------------------------------------------------
    @staticmethod
    def _paragraphs(text: str) -> list[_Paragraph]:
        out, start = [], 0
        for m in [*_PARAGRAPH.finditer(text), None]:
            end = m.start() if m is not None else len(text)
            if text[start:end].strip():
                out.append(_Paragraph(start, end, _line(text, start), _line(text, end),
                                      text[start:end]))
            start = m.end() if m is not None else len(text)
        return out

    def parse(self, formula: str, line: int) -> ast.Node | None:
        try:
            return parse_expr_text(formula.strip(), line, 1, self.names)
        except DeriveError:
            return None

    def inline(self, para: _Paragraph) -> list[tuple[str, int]]:
        return [((m.group(1) or m.group(2) or ""), _line(self.text, para.start + m.start()))
                for m in _INLINE.finditer(para.text)]

    def variables(self, para: _Paragraph) -> list[ast.Node]:
        """The variables a paragraph differentiates by ("with respect to $v$")."""
        if not _DERIVATIVE_WORDS.search(para.text):
            return []
        out = []
        for m in _WRT.finditer(para.text):
            node = self.parse(m.group(1) or m.group(2) or "", _line(self.text, para.start))
            if node is not None and node not in out:
                out.append(node)
        return out

    def prose_before(self, first: ast.Node) -> _Paragraph | None:
        """The prose right before the display whose first member is ``first``: from the
        last paragraph break to the display's opening, or the paragraph before when the
        display opens its paragraph; None when that is a display too."""
        offset = _offset(self.text, first.line, first.col)
        cut = [m for m in _PARAGRAPH.finditer(self.text, 0, offset)]
        start = cut[-1].end() if cut else 0
        chunk = self.text[start:offset]
        if not _OPENERS.sub("", chunk).strip():
            if len(cut) < 1:
                return None
            start = cut[-2].end() if len(cut) > 1 else 0
            chunk = self.text[start:cut[-1].start()]
        chunk = _TRAILING_OPENERS.sub("", chunk)  # the display's own opening
        if not chunk.strip() or chunk.lstrip().startswith(("$$", "\\[", "\\begin")):
            return None
        return _Paragraph(start, start + len(chunk), _line(self.text, start),
                          _line(self.text, start + len(chunk)), chunk)

    def section_end(self, line: int) -> int:
        """The first line after the section that holds ``line`` (to the next heading of
        the level of the heading above ``line``, or above it)."""
        above = [lvl for at, lvl in self.headings if at <= line]
        level = above[-1] if above else -1
        return next((at for at, lvl in self.headings if at > line and lvl <= level),
                    self.text.count("\n") + 2)

    # -- a chain's reading ----------------------------------------------------------------
    def reading(self, members: Sequence[ast.Node], line: int) -> PrimeReading | None:
        """The variable of the primes of the chain ``members`` whose first member is at
        ``line`` (None when the chain has no prime to give one)."""
        items = [p for m in members[1:] for p in primed_items(m)]
        if not items and not any(primed_items(m) for m in members[:1]):
            return None
        found: list[tuple[ast.Node, str]] = []
        for source, finder in SOURCES:
            for var, where in finder(self, members, line):
                found.append((var, f"{source}, {where}"))
        distinct: list[ast.Node] = []
        for var, _ in found:
            if var not in distinct:
                distinct.append(var)
        if not distinct:
            return None  # nothing in the context: the prime stays undecided, as before
        every = (*items, *primed_items(members[0]))
        named = [self.own_names[p] for p in every if p in self.own_names]
        if named:
            return PrimeReading(None, note=f"a prime on a name the notes write as a name of "
                                           f"its own ({named[0]}): not read as a derivative")
        after = _after_call(members)
        if after is not None:
            return PrimeReading(None, note=f"a prime after parentheses at line {after.line}:"
                                           f"{after.col}: whether it differentiates by the "
                                           "call's argument or by another variable is not "
                                           "written; '% derive: prime <variable>' says which")
        for p in every:
            head = _name(p)
            if head is not None and not self.defined(head):
                return PrimeReading(None, note=f"{_spelt(p)} where the notes never define "
                                               f"{head}: its derivative is not known (define "
                                               "it, or write the derivative out)")
        if len(distinct) == 1:
            return PrimeReading(distinct[0], source="; ".join(w for _, w in found))
        listed = " | ".join(f"d/d({_spelt(v)}) ({w})" for v, w in found)
        return PrimeReading(None, note=f"ambiguous: the context names more than one variable "
                                       f"for the prime ' ({listed}); '% derive: prime "
                                       "<variable>' before the block says which")


def _name(item: ast.Postfix) -> str | None:
    """The name a prime is on (``e_j'``: ``e``), None for a bracket."""
    return item.base.name if isinstance(item.base, ast.Letter) else None


def _after_call(members: Sequence[ast.Node]) -> ast.Node | None:
    """A prime right after parentheses that follow a name, ``\\sigma(z)'``: the first."""
    for m in members:
        for n in ast.walk(m):
            if not isinstance(n, ast.Product):
                continue
            for a, b in zip(n.items, n.items[1:], strict=False):
                a = a.operand if isinstance(a, ast.Op) else a  # type: ignore[assignment]
                if isinstance(a, (ast.Letter, ast.Func, ast.Postfix)) and isinstance(
                        b, ast.Postfix) and b.primes and isinstance(b.base, ast.Group):
                    return b
    return None


def _spelt(node: ast.Node) -> str:
    if isinstance(node, ast.Letter):
        return node.name
    if isinstance(node, ast.Postfix) and isinstance(node.base, ast.Letter):
        subs = ",".join(_spelt(s) for s in node.subs)
        return node.base.name + (f"_{{{subs}}}" if subs else "") + "'" * node.primes
    return "..."


# -- the sources of a variable ----------------------------------------------------------------
def _display(ctx: PrimeContext, members: Sequence[ast.Node], line: int
             ) -> list[tuple[ast.Node, str]]:
    """The chain's first member is a first-order derivative by one variable, no prime."""
    first = members[0]
    if _has_prime(first):
        return []
    frac = first.items[0] if isinstance(first, ast.Product) and first.items else first
    if not isinstance(frac, ast.Frac):
        return []
    parts = ctx.parts(frac)
    if parts is None or len(parts[1]) != 1 or len(parts[1][0]) != 1:
        return []
    if isinstance(first, ast.Product) and parts[0]:
        return []  # \frac{\partial L}{\partial x} y: a product, not one derivative
    return [(parts[1][0][0], f"the display's left side, line {first.line}")]


def _prose_before(ctx: PrimeContext, members: Sequence[ast.Node], line: int
                  ) -> list[tuple[ast.Node, str]]:
    """The prose right before the display (its paragraph, or the one before when the
    display opens a paragraph) says "with respect to $v$"."""
    para = ctx.prose_before(members[0])
    if para is None:
        return []
    return [(v, f"the prose before it, line {para.line}") for v in ctx.variables(para)]


def _notation(ctx: PrimeContext, members: Sequence[ast.Node], line: int
              ) -> list[tuple[ast.Node, str]]:
    """A paragraph that says a primed name denotes a derivative w.r.t. v, written before
    the display in its section, or right after it."""
    out: list[tuple[ast.Node, str]] = []
    after = [p for p in ctx.paragraphs if p.line > line]
    last = max((m.line for m in members), default=line)
    for para in ctx.paragraphs:
        next_one = bool(after) and para is next((p for p in after if p.line > last), None)
        if not (para.line < line and ctx.section_end(para.line) > line) and not next_one:
            continue
        if not any("'" in f or "\\prime" in f for f, _ in ctx.inline(para)):
            continue
        out += [(v, f"the notation of line {para.line}") for v in ctx.variables(para)]
    return out


#: where a reader looks for the variable of a prime: (source, finder)
SOURCES: tuple[tuple[str, Callable[[PrimeContext, Sequence[ast.Node], int],
                                   list[tuple[ast.Node, str]]]], ...] = (
    ("display", _display),
    ("prose before", _prose_before),
    ("notation", _notation),
)


# -- primed names that are names of their own --------------------------------------------------
def _derivative_variables(ctx: PrimeContext) -> list[tuple[ast.Node, int]]:
    out = []
    for m in ctx.members:
        for n in ast.walk(m):
            if isinstance(n, ast.Frac) and (parts := ctx.parts(n)) is not None:
                out += [(v, v.line) for wrt in parts[1] for v in wrt
                        if isinstance(v, ast.Postfix) and v.primes]
    return out


def _indices(ctx: PrimeContext) -> list[tuple[ast.Node, int]]:
    out = []
    for m in ctx.members:
        for n in ast.walk(m):
            scripts: tuple = ()
            if isinstance(n, ast.Postfix):
                scripts = n.subs
            elif isinstance(n, ast.BigOp):
                scripts = tuple(x for x in (n.sub,) if x is not None)
            out += [(p, p.line) for p in ast.walk(scripts)
                    if isinstance(p, ast.Postfix) and p.primes]
    return out


def _arguments(ctx: PrimeContext) -> list[tuple[ast.Node, int]]:
    out = []
    for m in ctx.members:
        for n in ast.walk(m):
            if not isinstance(n, ast.Product):
                continue
            for a, b in zip(n.items, n.items[1:], strict=False):
                a = a.operand if isinstance(a, ast.Op) else a  # type: ignore[assignment]
                head = a.base if isinstance(a, ast.Postfix) and not a.subs else a
                if isinstance(head, (ast.Letter, ast.Func)) and _opens(b):
                    group = b.base if isinstance(b, ast.Postfix) else b
                    for item in getattr(group, "items", ()):
                        for arg in (item.items if isinstance(item, ast.Seq) else (item,)):
                            if isinstance(arg, ast.Postfix) and arg.primes:
                                out.append((arg, arg.line))
    return out


def _prose_names(ctx: PrimeContext) -> list[tuple[ast.Node, int]]:
    """Primed names in the inline maths of a paragraph that never speaks of derivatives,
    and primed names an inline definition introduces (``$x' = ...$``)."""
    out = []
    for para in ctx.paragraphs:
        speaks = bool(_DERIVATIVE_WORDS.search(para.text))
        for formula, line in ctx.inline(para):
            if "'" not in formula and "\\prime" not in formula:
                continue
            m = _INLINE_DEFINITION.match(formula)
            head = m.group(1) if m is not None else None
            for piece in ([head] if head is not None else []) + ([] if speaks else [formula]):
                node = ctx.parse(piece, line)
                if node is not None:
                    out += [(p, line) for p in primed_items(node)]
    return out


#: when a primed name is a name of its own, never a derivative: (why, finder)
NAME_RULES: tuple[tuple[str, Callable[[PrimeContext], list[tuple[ast.Node, int]]]], ...] = (
    ("the variable of a derivative", _derivative_variables),
    ("an index", _indices),
    ("an argument in parentheses", _arguments),
    ("named in the prose", _prose_names),
)
