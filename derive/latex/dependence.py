"""Which quantities the notes treat as functions of others without derive reading a definition.

A quantity that nothing declares by hand is inferred from its use (``o_k``: a tensor). That
reading makes it *independent*: ``∂ŷ_i/∂z_j`` is then 0 and ``h_i = -λ_i`` is false at most
values. When the notes themselves show the quantity depends on others, that reading is a
misreading, and a verdict resting on it would refute a true step (or prove a false one). The
notes show it in two ways:

- **defined**: a chain whose first member is the bare quantity and whose next member writes
  other names (``t_i = s e^{x_i}``, ``\\hat{y}^{(i)} = a^{(i)}``): the line names what the
  quantity is, whether or not derive could read that definition;
- **differentiated**: ``\\frac{\\partial \\hat{y}_i}{\\partial z_j}``: a quantity differentiated
  by another is a function of it.

:func:`dependence` collects these facts once per file; :func:`misreading` tells whether a
step's verdict rests on one (the checker then reports ``unknown`` naming the quantity and
the line whose definition derive would need). A quantity with a readable definition
(``let``, ``auto``) is not inferred, so it never appears here.

>>> from derive.latex import ast
>>> y = ast.Postfix(base=ast.Letter(name="y"), subs=(ast.Letter(name="i"),), line=3, col=1)
>>> rhs = ast.Letter(name="a", line=3, col=7)
>>> dependence([[y, rhs]], lambda node: None)
{'y': Use(line=3, col=1, how='defined')}
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import sympy as sp

from derive.latex import ast

__all__ = ["Use", "bare_head", "dependence", "misreading", "stated"]

# names that are operators or constants, never quantities
_NOT_QUANTITIES = frozenset({"\\partial", "d", "e", "\\mathrm{d}", "\\nabla", "\\delta",
                             "T", "\\top", "\\intercal", "\\prime"})


@dataclass(frozen=True)
class Use:
    """Where the notes show a quantity depends on others, and how (``defined`` or
    ``differentiated``)."""

    line: int
    col: int
    how: str


def bare_head(node: ast.Node | None) -> str | None:
    """The name of a bare quantity (``x``, ``y_i``, ``\\hat{y}^{(i)}``), else None."""
    if isinstance(node, ast.Letter) and node.name not in _NOT_QUANTITIES:
        return node.name
    if isinstance(node, ast.Postfix) and node.primes == 0 and isinstance(node.base, ast.Letter):
        return bare_head(node.base)
    return None


def _names(node: ast.Node | None) -> set[str]:
    if node is None:
        return set()
    return {n.name for n in _walk(node) if isinstance(n, ast.Letter)} - _NOT_QUANTITIES


def _walk(node: object) -> Iterable[ast.Node]:
    """Every node under ``node`` (tuples and fields of any node kind)."""
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, ast.Node):
            yield cur
            stack.extend(getattr(cur, f) for f in cur.__dataclass_fields__
                         if f not in ("line", "col"))
        elif isinstance(cur, (tuple, list)):
            stack.extend(cur)


def _subscript_names(node: ast.Node) -> set[str]:
    if isinstance(node, ast.Postfix):
        return {n for s in (*node.subs, *node.sups) for n in _names(s)}
    return set()


def dependence(chains: Iterable[Sequence[ast.Node]],
               derivative_parts: Callable[[ast.Frac], object]) -> dict[str, Use]:
    """Quantities the notes define or differentiate, with the first place they do.

    ``chains`` are the members of each chain; ``derivative_parts`` is the elaborator's
    reading of a fraction as a derivative (``(body, [wrt, ...])`` or None)."""
    out: dict[str, Use] = {}
    for members in chains:
        # a = b = f(x): each bare name before the first formula is named by the next member
        for first, then in itertools.pairwise(members):
            head = bare_head(first)
            if head is None:
                break
            others = _names(then) - {head} - _subscript_names(first)
            if others:
                out.setdefault(head, Use(first.line, first.col, "defined"))
        for member in members:
            for node in _walk(member):
                if not isinstance(node, ast.Frac):
                    continue
                parts = derivative_parts(node)
                if not parts:
                    continue
                body, wrts = parts  # type: ignore[misc]
                if len(body) != 1:
                    continue
                head = bare_head(body[0])
                by = {bare_head(w[0]) for w in wrts if w}
                if head is not None and head not in by:
                    out.setdefault(head, Use(node.line, node.col, "differentiated"))
    return out


def stated(formulas: Iterable[tuple[int, int, str]],
           parse: Callable[[str, int, int], ast.Node | None]) -> dict[str, Use]:
    """Quantities an inline formula that is no checked step names (``$\\Sigma_C = \\sum_d
    e^{z_d} \\text{ for } c = 1 \\cdots C$``, each of ``$g_i = e^{a_i}, h_i = \\Sigma$``): the
    text of each top-level piece (cut at commas and ``\\quad``) up to its first ``=`` is
    a bare quantity (``parse`` reads it; None when it cannot) and the rest writes another
    letter. ``formulas``: (line, col, body) of each inline formula."""
    out: dict[str, Use] = {}
    for line, col, body in formulas:
        for piece in _pieces(body):
            depth, at = 0, -1
            for n, ch in enumerate(piece):
                depth += (ch in "{([") - (ch in "})]")
                if ch == "=" and depth == 0 and piece[n - 1:n] not in ("<", ">", "!", ":"):
                    at = n
                    break
            if at <= 0:
                continue
            named = _until_equals(piece[at + 1:])  # up to the next '=' (a = b = c: b)
            if re.search(r"\\[lcv]?dots", named):
                continue  # c = 1 \cdots C: a range, not a quantity
            head = bare_head(parse(piece[:at], line, col))
            rest = re.sub(r"\\[A-Za-z]+", " ", named)
            letters = set(re.findall(r"[A-Za-z]", rest))
            if head is not None and letters - set(head):
                out.setdefault(head, Use(line, col, "defined"))
    return out


def _until_equals(text: str) -> str:
    """``text`` up to its first top-level ``=`` (``\\sum_{k=1}`` keeps its own)."""
    depth = 0
    for n, ch in enumerate(text):
        depth += (ch in "{([") - (ch in "})]")
        if ch == "=" and depth == 0:
            return text[:n]
    return text


def _pieces(body: str) -> list[str]:
    """``body`` cut at its top-level commas and ``\\quad``s: ``g_i = e^{a_i}, h_i = \\Sigma``
    states two equations."""
    out, depth, start = [], 0, 0
    body = re.sub(r"\\[,;:!]", "  ", body)  # thin spaces are no commas
    for n, ch in enumerate(body):
        depth += (ch in "{([") - (ch in "})]")
        if depth == 0 and ch == ",":
            out.append(body[start:n])
            start = n + 1
    out.append(body[start:])
    return [p for piece in out for p in re.split(r"\\q?quad(?![A-Za-z])", piece) if p.strip()]


def _bases(expr: sp.Basic) -> set[sp.Basic]:
    """The quantities ``expr`` writes: bases of its entries and its plain symbols."""
    found: set[sp.Basic] = {e.base.label for e in expr.atoms(sp.Indexed)}
    return found | {s for s in expr.free_symbols if isinstance(s, sp.Symbol)}


def misreading(lhs: sp.Expr, rhs: sp.Expr, verdict: str, inferred: Mapping[sp.Basic, str],
               uses: Mapping[str, Use]) -> str | None:
    """Why a verdict on ``lhs = rhs`` rests on reading a dependent quantity as independent,
    or None.

    - a derivative of an expression that writes an inferred quantity the notes define or
      differentiate (other than the variable): that derivative was read as if it did not
      depend on the variable, so neither ``proved`` nor ``refuted`` can stand;
    - a refutation of a step that writes an inferred quantity the notes *define*: its
      counterexample gives it a value its definition may forbid.
    """
    def named(base: sp.Basic) -> tuple[str, Use] | None:
        name = inferred.get(base)
        return (name, uses[name]) if name is not None and name in uses else None

    for side in (lhs, rhs):
        for d in side.atoms(sp.Derivative):
            by = {v.base.label if isinstance(v, sp.Indexed) else v
                  for v, _ in d.variable_count}
            for base in sorted(_bases(d.expr) - by, key=str):
                hit = named(base)
                if hit is not None:
                    name, use = hit
                    return (f"{name} is {use.how} at line {use.line} but derive read no "
                            f"definition of it, so it would be taken as independent of "
                            f"{', '.join(sorted(map(str, by)))}: define it before that line "
                            f"(e.g. '% derive: let {name}_... = ...')")
    if verdict == "refuted":
        for base in sorted(_bases(lhs) | _bases(rhs), key=str):
            hit = named(base)
            if hit is not None and hit[1].how == "defined":
                name, use = hit
                return (f"{name} is defined at line {use.line} but derive read no definition "
                        "of it, so a counterexample giving it any value does not refute the "
                        f"step: define it before that line (e.g. '% derive: let {name} = ...')")
    return None
