"""How a written symbol's scripts are read: index slots, sample superscripts, comma lists.

``x^{(i)}_{jk}`` has the index slots i (a sample index), j, k; ``e^{(a)}`` and ``x^{(2)}``
keep their superscript as a power. These small readers are shared by the declarations,
the inference of declarations and the elaboration, and import none of them (so those
three modules form no import cycle).

>>> split_top("x_k, W_{jk}, b")
[(0, 'x_k'), (5, 'W_{jk}'), (13, 'b')]
"""

from __future__ import annotations

from collections.abc import Container

from derive.latex import ast
from derive.latex.errors import located

__all__ = ["index_items", "sample_index", "split_scripts", "split_top"]


def sample_index(sup: ast.Node) -> ast.Node | None:
    """``(i)`` in ``x^{(i)}`` (a sample index, not a power); ``None`` for a power."""
    if isinstance(sup, ast.Product) and sup.items and isinstance(sup.items[0], ast.Group):
        sup = sup.items[0]
    if isinstance(sup, ast.Group) and sup.delim == "(" and len(sup.items) == 1:
        inner = sup.items[0]
        if isinstance(inner, (ast.Letter, ast.Postfix)):
            return inner
    return None


def split_scripts(node: ast.Postfix, indices: Container[str] = ()
                  ) -> tuple[tuple[ast.Node, ...], tuple[ast.Node, ...]]:
    """Index slots and remaining superscripts: ``x^{(i)}_j`` has slots (i, j), no power;
    ``\\theta^{(j)\\top}`` has slot j and the superscript \\top. Only a declared index
    letter in parentheses is a sample index: ``e^{(a)}`` and ``x^{(2)}`` stay powers."""
    slots: list[ast.Node] = []
    sups: list[ast.Node] = []
    is_e = isinstance(node.base, ast.Letter) and node.base.name == "e"
    for sup in node.sups:
        idx = sample_index(sup)
        if idx is not None and (is_e or not (isinstance(idx, ast.Letter)
                                             and idx.name in indices)):
            idx = None
        if idx is None:
            sups.append(sup)
            continue
        slots.append(idx)
        if isinstance(sup, ast.Product) and len(sup.items) > 1:
            rest = sup.items[1:]
            sups.append(rest[0] if len(rest) == 1 else ast.Product(items=rest,
                                                                   line=sup.line, col=sup.col))
    if len(node.subs) > 1:
        raise located("", node.line, node.col, "two subscripts: expected one")
    if node.subs:
        slots.extend(index_items(node.subs[0]))
    return tuple(slots), tuple(sups)


def index_items(sub: ast.Node) -> tuple[ast.Node, ...]:
    """The index slots written in a subscript: ``{ij}`` -> i, j; ``{n,k}``; ``{.k}``."""
    if isinstance(sub, ast.Seq):
        return tuple(x for it in sub.items for x in index_items(it))
    if isinstance(sub, ast.Product):
        return tuple(x for it in sub.items for x in index_items(it))
    if isinstance(sub, ast.Free):
        rest = index_items(sub.rest) if sub.rest is not None else ()
        return (ast.Free(line=sub.line, col=sub.col), *rest)
    return (sub,)


def split_top(text: str) -> list[tuple[int, str]]:
    """Split at commas outside braces; returns (offset, piece) pairs."""
    out, depth, start = [], 0, 0
    for pos, ch in enumerate(text):
        if ch in "{([":
            depth += 1
        elif ch in "})]":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append((start, text[start:pos]))
            start = pos + 1
    out.append((start, text[start:]))
    return [(off + len(p) - len(p.lstrip()), p.strip()) for off, p in out if p.strip()]
