"""The referee's own reading of a prime no ``% derive: prime`` line declares.

The referee reads the variable of an undeclared prime itself, from two places only, and
abstains unless they name one variable between them:

- the step's chain: its first member is ``\\frac{\\partial X}{\\partial v}`` (one variable,
  first order) and carries no prime itself;
- the prose: the last paragraph before the chain, and the last earlier paragraph (or the
  one right after the chain) that writes a primed formula in inline maths, each when it
  says "with respect to $v$" (``w.r.t.``, ``wrt``) and speaks of a derivative.

A prime before parentheses (``f'(a)``) is never given this variable (Lagrange's notation).
The elaborator's reading (derive.latex.prime_variables) is separate code; when the two
disagree the step is not confirmed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from derive.errors import DeriveError
from derive.latex import ast
from derive.latex.parser import parse_expr_text

__all__ = ["PROSE", "own_prime"]

#: (what it says, pattern) the referee reads in prose: the variable is group 1 or 2
PROSE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("with respect to", re.compile(r"with\s+respect\s+to\s+(?:\$([^$\n]+)\$|\\\((.+?)\\\))",
                                   re.IGNORECASE)),
    ("w.r.t.", re.compile(r"w\.\s*r\.\s*t\.?\s*(?:\$([^$\n]+)\$|\\\((.+?)\\\))", re.IGNORECASE)),
    ("wrt", re.compile(r"\bwrt\s+(?:\$([^$\n]+)\$|\\\((.+?)\\\))", re.IGNORECASE)),
)
_SPEAKS = re.compile(r"deriv|differentia|gradient|w\.\s*r\.\s*t|respect|\bwrt\b",
                     re.IGNORECASE)
_PRIMED_INLINE = re.compile(r"(?<!\$)\$(?!\$)[^$\n]*(?:'|\\prime)[^$\n]*\$(?!\$)")


def _paragraphs(text: str) -> list[tuple[int, int, str]]:
    """(first line, last line, text) of every blank-line separated paragraph."""
    out, line = [], 1
    for chunk in re.split(r"\n[ \t]*\n", text):
        lines = chunk.count("\n")
        if chunk.strip():
            out.append((line, line + lines, chunk))
        line += lines + 2
    return out


def _said(chunk: str, names: frozenset[str]) -> list[ast.Node]:
    if not _SPEAKS.search(chunk):
        return []
    found: list[ast.Node] = []
    for _, pattern in PROSE:
        for m in pattern.finditer(chunk):
            try:
                node = parse_expr_text((m.group(1) or m.group(2)).strip(), 1, 1, names)
            except DeriveError:
                return [ast.Letter(name="?"), ast.Letter(name="??")]  # unreadable: abstain
            if node not in found:
                found.append(node)
    return found


_DELIMITER = re.compile(r"^\s*(?:\$\$|\\\[|\\\]|\\(?:begin|end)\{[A-Za-z*]+\})\s*$")


def _prose(text: str, first: int, last: int, names: frozenset[str]) -> list[ast.Node]:
    lines = text.split("\n")
    head = lines[:first - 1]
    while head and _DELIMITER.match(head[-1]):
        head.pop()  # the display's own opening lines
    before = _paragraphs("\n".join(head))
    out: list[ast.Node] = []
    if before and not before[-1][2].lstrip().startswith(("$$", "\\[", "\\begin")):
        out += _said(before[-1][2], names)
    noted = [p for p in before if _PRIMED_INLINE.search(p[2]) and _said(p[2], names)]
    tail = lines[last:]
    while tail and _DELIMITER.match(tail[0]):
        tail.pop(0)  # its closing lines
    after = next(iter(_paragraphs("\n".join(tail))), None)
    if after is not None and _PRIMED_INLINE.search(after[2]) and _said(after[2], names):
        noted.append(after)
    if noted:
        out += _said(noted[-1][2], names)
    return out


def _has_prime(node: ast.Node) -> bool:
    return any(isinstance(n, ast.Postfix) and n.primes for n in ast.walk(node))


def own_prime(members: Sequence[ast.Node], text: str, names: frozenset[str],
              parts: Callable[[ast.Frac], Any]) -> ast.Node | None:
    """The one variable the chain ``members`` and the prose around it give an undeclared
    prime, or None (no variable, or more than one)."""
    found: list[ast.Node] = []
    first = members[0]
    head = first.items[0] if isinstance(first, ast.Product) and len(first.items) == 2 else first
    if isinstance(head, ast.Frac) and not _has_prime(first):
        got = parts(head)
        if got is not None and len(got[1]) == 1 and len(got[1][0]) == 1 and (
                head is first or not got[0]):
            found.append(got[1][0][0])
    lines = [m.line for m in members if m.line]
    if text and lines:
        found += _prose(text, min(lines), max(lines), names)
    distinct = {f for f in found}
    return found[0] if len(distinct) == 1 else None
