"""The referee's own reading of the ``% derive:`` lines: plain Python, no SymPy.

Sizes are names, index ranges are (low, high) texts evaluated at concrete sizes, tensors
are names with their slot letters, definitions are (pattern, body) trees. :data:`READERS`
has one entry per keyword; anything this small reader does not understand raises Abstain.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from typing import Any, NamedTuple

from derive.errors import DeriveError
from derive.latex import ast
from derive.latex.chains import Directive
from derive.latex.parser import parse_block, parse_expr_text

__all__ = ["Abstain", "Decls", "Defn", "read_decls", "sample_slot", "slots_of"]


class Abstain(Exception):
    """The referee cannot read a construct; the message names it."""


class Defn(NamedTuple):
    """One ``let``: the written pattern taken apart (``head_{slots}^{powers}(params)``)."""

    head: str
    slots: tuple[ast.Node, ...]
    powers: tuple[ast.Node, ...]
    params: tuple[ast.Node, ...] | None  # None: not written as a function
    body: ast.Node
    ident: int  # the order of the lets: a definition's key among instance values

    @property
    def letters(self) -> frozenset[str]:
        """The parameter letters: index slots and arguments written as letters."""
        return frozenset(p.name for p in (*self.slots, *(self.params or ()))
                         if isinstance(p, ast.Letter))


@dataclass
class Decls:
    sizes: set[str] = field(default_factory=set)
    indices: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (lo, hi) text
    tensors: dict[str, tuple[str, ...]] = field(default_factory=dict)  # head -> slot letters
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)  # head -> (lo, hi)
    scalars: set[str] = field(default_factory=set)
    defs: dict[str, list[Defn]] = field(default_factory=dict)
    # (kind, node): ("sum", lhs) for \sum y = 1, ("binary"|"nonnegative", entry node)
    hypotheses: list[tuple[str, ast.Node]] = field(default_factory=list)
    text_names: frozenset[str] = frozenset()
    # quantities differentiated but never defined -> the arguments they are written with
    # (None: not written with any): Evaluator.moved
    dependent: dict[str, tuple[str, ...] | None] = field(default_factory=dict)
    cache: dict[Any, Any] = field(default_factory=dict)  # walks of the trees, done once


def sample_slot(sup: ast.Node) -> ast.Node | None:
    """``(i)`` in ``x^{(i)}``: the letter inside, else None."""
    if isinstance(sup, ast.Product) and sup.items and isinstance(sup.items[0], ast.Group):
        sup = sup.items[0]
    if isinstance(sup, ast.Group) and sup.delim == "(" and len(sup.items) == 1 and isinstance(
            sup.items[0], (ast.Letter, ast.Postfix)):
        return sup.items[0]
    return None


def slots_of(sub: ast.Node) -> tuple[ast.Node, ...]:
    """Index slots written in one subscript: ``{ij}``, ``{n,k}``, ``{.k}``."""
    if isinstance(sub, (ast.Seq, ast.Product)):
        return tuple(x for it in sub.items for x in slots_of(it))
    if isinstance(sub, ast.Free):
        return (ast.Free(), *(slots_of(sub.rest) if sub.rest is not None else ()))
    return (sub,)


def _pieces(text: str) -> list[str]:
    """``text`` split at its top-level commas."""
    out, depth, cur = [], 0, ""
    for ch in text:
        depth += (ch in "{([") - (ch in "})]")
        out, cur = ([*out, cur], "") if ch == "," and depth == 0 else (out, cur + ch)
    return [p.strip() for p in [*out, cur] if p.strip()]


_ENTRY = re.compile(  # y_n \in \{0, 1\} or y_k \ge 0, then an optional remark
    r"\s*(\\in\s*\\\{\s*0\s*,\s*1\s*\\\}|\\geq?\s*0)\s*(\\(text|quad|qquad)\b.*)?$")


def _letter(text: str, d: Decls) -> str:
    node = parse_expr_text(text, 1, 1, d.text_names)
    if not isinstance(node, ast.Letter):
        raise Abstain(f"declaration {text!r}")
    return node.name


def _tensor(text: str, d: Decls) -> tuple[str, tuple[str, ...]]:
    node = parse_expr_text(text, 1, 1, d.text_names)
    if not (isinstance(node, ast.Postfix) and isinstance(node.base, ast.Letter)):
        raise Abstain(f"tensor {text!r}")
    letters = [*map(sample_slot, node.sups), *(s for n in node.subs for s in slots_of(n))]
    if not all(isinstance(s, ast.Letter) and s.name in d.indices for s in letters):
        raise Abstain(f"tensor {text!r}")
    return node.base.name, tuple(s.name for s in letters)  # type: ignore[union-attr]


def _ranged(kw: str, d: Decls, rest: str) -> None:
    """``index i, j in lo..hi`` and ``label y_n in lo..hi``."""
    m = re.match(r"(.*?)\s+in\s+(.+?)\s*\.\.\s*(.+)$", rest)
    if m is None:
        raise Abstain(f"{kw} {rest!r}")
    lo, hi = m.group(2).strip(), m.group(3).strip()
    for p in _pieces(m.group(1)):
        if kw == "index":
            d.indices[_letter(p, d)] = (lo, hi)
        else:
            head, slots = _tensor(p, d)
            d.tensors[head], d.labels[head] = slots, (lo, hi)


def _names(node: object) -> set[str]:
    """Every letter written in ``node``."""
    return {n.name for n in ast.walk(node) if isinstance(n, ast.Letter)}


def _ne_sums(node: Any, outside: set[str], indices: Any, rest: str) -> Any:
    """The referee's own reading of ``\\sum_{a \\neq b}`` in a definition's body: the
    letter the pattern writes is free and the other bound; neither: the pairs (``\\sum_a
    \\sum_{b: a \\neq b}``); both: abstain. (The tree a step's member gets from the
    ambiguity policy, read here without it.)"""
    if isinstance(node, tuple):
        return tuple(_ne_sums(x, outside, indices, rest) for x in node)
    if not isinstance(node, ast.Node):
        return node
    changes = {f.name: _ne_sums(getattr(node, f.name), outside, indices, rest)
               for f in fields(node) if f.name not in ("line", "col")}
    node = replace(node, **changes)
    if not isinstance(node, ast.Product):
        return node
    items: list[Any] = []
    for at, it in enumerate(node.items):
        rel = it.sub if isinstance(it, ast.BigOp) else None
        if not (isinstance(rel, ast.Rel) and rel.op == "\\neq" and at + 1 < len(node.items)
                and isinstance(rel.lhs, ast.Letter) and isinstance(rel.rhs, ast.Letter)
                and {rel.lhs.name, rel.rhs.name} <= set(indices)
                and rel.lhs.name != rel.rhs.name):
            items.append(it)
            continue
        a, b = rel.lhs, rel.rhs
        free = [v for v in (a, b) if v.name in outside]
        if len(free) == 2:
            raise Abstain(f"let {rest!r}: a \\neq-sum that can bind either letter")
        var = (b if free[0] is a else a) if free else b
        cond = replace(it, sub=ast.Stack(items=(var, rel), line=rel.line, col=rel.col))
        items += [cond] if free else [replace(it, sub=a), cond]
    return replace(node, items=tuple(items))


def _let(d: Decls, rest: str) -> None:
    pattern, body = parse_block(rest, 1, 1, d.text_names)[0].members
    body = _ne_sums(body, _names(pattern), d.indices, rest)
    args = None
    if isinstance(pattern, ast.Product) and len(pattern.items) == 2 and isinstance(
            pattern.items[1], ast.Group) and pattern.items[1].delim == "(":
        args, pattern = pattern.items[1].items, pattern.items[0]
    if isinstance(pattern, ast.Letter):
        head, subs, sups = pattern.name, (), ()
    elif isinstance(pattern, ast.Postfix) and isinstance(pattern.base, ast.Letter):
        head, (subs, sups) = pattern.base.name, split_slots(pattern, d.indices)
    else:
        raise Abstain(f"let {rest!r}")
    ident = sum(len(v) for v in d.defs.values())
    d.defs.setdefault(head, []).append(Defn(head, subs, sups, args, body, ident))


def _assume(d: Decls, rest: str) -> None:
    m = _ENTRY.search(rest)
    if m is not None:
        node = parse_expr_text(rest[:m.start()], 1, 1, d.text_names)
        d.hypotheses.append(("binary" if "in" in m.group(1) else "nonnegative", node))
    else:
        lhs, _ = parse_block(rest, 1, 1, d.text_names)[0].members
        d.hypotheses.append(("sum", lhs))


# keyword -> its reader, in the order they are read (sizes before the indices they bound)
READERS: dict[str, Callable[[Decls, str], None]] = {
    "size": lambda d, rest: d.sizes.update(_letter(p, d) for p in _pieces(rest)),
    "index": lambda d, rest: _ranged("index", d, rest),
    "tensor": lambda d, rest: d.tensors.update(_tensor(p, d) for p in _pieces(rest)),
    "label": lambda d, rest: _ranged("label", d, rest),
    "scalar": lambda d, rest: d.scalars.update(_letter(p, d) for p in _pieces(rest)),
    "let": _let, "assume": _assume}


def read_decls(directives: tuple[Directive, ...] | list[Directive]) -> Decls:
    """Read the declarations (sizes, indices, tensors, labels, scalars, lets, assumes)."""
    d, order = Decls(), list(READERS)
    d.text_names = frozenset(n.strip() for x in directives if x.keyword in (
        "let", "tensor", "scalar", "label") for n in re.findall(r"\\text\{([^{}]*)\}", x.rest))
    # 'name x_1, g_{2}': numbered names of their own, spelt x_1 (the tokenizer's one name)
    d.text_names |= frozenset(f"{m.group(1)}_{m.group(2)}" for x in directives
                              if x.keyword == "name" for m in re.finditer(
                                  r"((?<![A-Za-z\\])[a-z]|\\[a-z]+)\s*_\s*\{?\s*(\d+)", x.rest))
    # 'name dw, db': gradient names of their own, spelt dw
    d.text_names |= frozenset(p.strip() for x in directives if x.keyword == "name"
                              for p in x.rest.split(",") if re.fullmatch(r"\s*d[A-Za-z]\s*", p))
    try:
        for x in sorted((x for x in directives if x.keyword in READERS),
                        key=lambda x: (order.index(x.keyword), x.line)):
            READERS[x.keyword](d, x.rest)
    except DeriveError as exc:
        raise Abstain(f"a declaration it cannot parse ({exc})") from None
    return d


def split_slots(node: ast.Postfix, indices: dict[str, tuple[str, str]]
                ) -> tuple[tuple[ast.Node, ...], tuple[ast.Node, ...]]:
    """(index slots, powers) of one written symbol: a superscript ``(i)`` with i a declared
    index is a slot (what follows it in the same superscript, ``\\top`` say, is a power),
    then the slots of the one subscript; ``e`` never has slots above."""
    if len(node.subs) > 1:
        raise Abstain("two subscripts on one symbol")
    above: list[ast.Node] = []
    powers: list[ast.Node] = []
    for sup in node.sups:
        letter = None if node.base == ast.Letter(name="e") else sample_slot(sup)
        if not (isinstance(letter, ast.Letter) and letter.name in indices):
            powers.append(sup)
            continue
        above.append(letter)
        tail = sup.items[1:] if isinstance(sup, ast.Product) else ()
        powers.extend([tail[0]] if len(tail) == 1 else [ast.Product(items=tail)] if tail else [])
    return (*above, *(slots_of(node.subs[0]) if node.subs else ())), tuple(powers)
