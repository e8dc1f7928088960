"""Superscript labels in the checker: what decides ``a_j^L`` (power or label), and the
symbol a label names.

The ambiguity point ``sup-label`` (:mod:`derive.latex.ambiguity`) reads ``a_j^L`` as the
symbol ``a^{L}_j`` under its label reading. That symbol is layer L's ``a``: the same kind
and shape as ``a`` (a tensor with the same index slots, or a scalar), another quantity.
:func:`declare_labels` gives it that declaration, in the checker's declarations and in the
referee's alike, when a reading first writes it. :func:`label_context` collects, once per
file, what decides the point without asking.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sympy as sp

from derive.latex import ast
from derive.latex.chains import Directive
from derive.latex.declarations import Declarations, Tensor
from derive.latex.scripts import split_top
from derive.latex.superscripts import sup_facts, unlabelled

__all__ = ["declare_labels", "label_context"]


def label_context(own: Iterable[Directive], trees: Iterable[object],
                  decl: Declarations) -> dict[str, frozenset[Any]]:
    """The fields of :class:`derive.latex.ambiguity.Context` about superscripts: letters
    written as labels or in arithmetic exponents (``trees``), letters the notes' own lines
    declare as scalars or sizes (``own``: never the inferred ones), and the (head, letter)
    pairs a definition is written with."""
    facts = sup_facts(trees)
    declared: set[str] = set()
    for d in own:
        if d.keyword in ("scalar", "size"):
            rest = d.rest.split(" in ")[0]
            declared.update(p.strip() for _, p in split_top(rest))
    decorated = {(head, sup.name) for head, defs in decl.defs.items() for defn in defs
                 for sup in defn.sups[:1] if len(defn.sups) == 1
                 and isinstance(sup, ast.Letter)}
    return {"labels": facts.labels, "powers": facts.powers, "declared": frozenset(declared),
            "decorated": frozenset(decorated)}


def declare_labels(tree: object, decl: Declarations, referee: Any = None) -> None:
    """Declare every labelled name of ``tree`` (``a^{L}``) that nothing declares as a copy
    of its letter's declaration: same slots and shape, its own symbol. ``referee`` is the
    referee's declarations (``tensors``: head -> slots, ``scalars``: a set), or None."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Letter):
            continue
        name, base = node.name, unlabelled(node.name)
        if base == name or name in decl.tensors or name in decl.scalars or name in decl.defs:
            continue
        if base in decl.tensors:
            t = decl.tensors[base]
            decl.tensors[name] = Tensor(name, sp.IndexedBase(name, shape=t.shape), t.slots,
                                        t.shape, t.label_range)
        elif base in decl.scalars:
            decl.scalars[name] = sp.Symbol(name, real=True)
        else:
            continue
        decl.display[name] = name
        if referee is None:
            continue
        if base in referee.tensors:
            referee.tensors[name] = referee.tensors[base]
        elif base in referee.scalars:
            referee.scalars.add(name)
