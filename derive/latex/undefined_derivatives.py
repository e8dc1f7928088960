"""Derivatives of quantities the notes use but never define, as opaque atoms (the chain rule).

Published derivations write ``\\frac{\\partial L}{\\partial x_i} = \\sum_j \\frac{\\partial
L}{\\partial p_j} \\frac{\\partial p_j}{\\partial x_i}`` and leave how ``p`` depends on ``x`` to
the prose. Such a ``p`` (differentiated by another quantity, defined nowhere:
:class:`derive.latex.infer.Undefined`) is never read as independent. Its derivative by a
variable entry ``v`` is an *opaque atom*: a fresh quantity ``∂p/∂v`` indexed by ``p``'s
indices then ``v``'s (``∂p_j/∂x_i`` is the entry ``(j, i)`` of the atom ``∂p/∂x``), about which
nothing is known. An expression ``f`` that writes such quantities has the total derivative

    df/dv = ∂f/∂v + Σ_e ∂f/∂p_e · ∂p_e/∂v,

computed in one stroke by the directional derivative ``d/dε f(p_e + ε ∂p_e/∂v)`` at ``ε = 0``
(each written entry ``p_e`` moves along its own atom entry, inside sums too). A step whose
two sides then agree for *every* value of the atoms holds for the true ones (proved); a step
that fails for some values proves nothing about the true ones (the atoms are constrained: a
Jacobian's structure), so it is never refuted, only ``unknown`` naming the undefined
quantity (:func:`atom_names`). A derivative of an atom (a second derivative of an undefined
quantity) is not modelled: :class:`~derive.latex.values.MathIssue`.

>>> K, N = sp.symbols("K N", integer=True, positive=True)
>>> j, i, c = sp.symbols("j i c", integer=True)
>>> p, x, y = (sp.IndexedBase(n, shape=(s,)) for n, s in (("p", K), ("x", N), ("y", K)))
>>> f = -sp.Sum(y[c] * sp.log(p[c]), (c, 1, K))
>>> through(f, x[i], {p.label: "p"})
-Sum(y[c]*∂p/∂x[c, i]/p[c], (c, 1, K))
>>> through(p[j], x[i], {p.label: "p"})
∂p/∂x[j, i]
>>> through(f, p[j], {p.label: "p"}) is None  # p is the variable: no chain through itself
True
>>> L = sp.Symbol("L")  # written L(p): it depends on x only through p
>>> through(L, x[i], {p.label: "p", L: "L"}, {L: ((p, 1, K),)})
Sum(∂L/∂p[_e]*∂p/∂x[_e, i], (_e, 1, K))
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import sympy as sp

from derive.latex import ast
from derive.latex.values import MathIssue

__all__ = ["ATOM_MARK", "atom_names", "is_atom", "label_of", "through", "total",
           "written_arguments"]

#: every atom's name starts with it (a user's name cannot: it is not a LaTeX letter)
ATOM_MARK = "∂"


def label_of(var: sp.Expr) -> sp.Basic:
    """The label of an entry's quantity (``p`` for ``p[j]``), or the scalar itself."""
    return var.base.label if isinstance(var, sp.Indexed) else var


def is_atom(base: sp.Basic) -> bool:
    """Whether ``base`` (an ``IndexedBase`` or its label) is an opaque derivative atom."""
    label = base.label if isinstance(base, sp.IndexedBase) else base
    return isinstance(label, sp.Symbol) and label.name.startswith(ATOM_MARK)


def _atoms_in(expr: sp.Basic) -> set[sp.IndexedBase]:
    return {e.base for e in expr.atoms(sp.Indexed) if is_atom(e.base)}


def atom_names(*exprs: sp.Basic) -> list[str]:
    """The labels of the undefined quantities whose derivatives ``exprs`` hold as atoms
    (``p`` for ``∂p/∂x``), sorted."""
    return sorted({str(b.label)[len(ATOM_MARK):].split("/")[0]
                   for e in exprs for b in _atoms_in(e)})


def _shape(q: sp.Basic) -> tuple[sp.Expr, ...]:
    if isinstance(q, sp.Indexed):
        shape = q.base.shape
        if shape is None:
            raise MathIssue(f"the derivative of {q}: its shape is not known")
        return tuple(shape)
    return ()


def _atom(quantity: sp.Expr, var: sp.Expr) -> sp.Expr:
    """The atom entry ``∂quantity/∂var`` (indices: the quantity's, then the variable's)."""
    name = f"{ATOM_MARK}{label_of(quantity)}/{ATOM_MARK}{label_of(var)}"
    shape = _shape(quantity) + _shape(var)
    idx = (tuple(quantity.indices) if isinstance(quantity, sp.Indexed) else ()) + (
        tuple(var.indices) if isinstance(var, sp.Indexed) else ())
    if not idx:  # a scalar by a scalar: a one-entry atom
        shape, idx = (sp.Integer(1),), (sp.Integer(1),)
    return sp.IndexedBase(name, shape=shape)[idx]


def _by(entry: sp.Expr, var: sp.Expr, dependent: Mapping[sp.Basic, str]) -> sp.Expr:
    """``∂entry/∂var`` for an argument entry: δ for the variable's own quantity, an atom for
    an undefined one, 0 for an independent input."""
    if label_of(entry) == label_of(var):
        if isinstance(entry, sp.Indexed) and isinstance(var, sp.Indexed):
            return sp.KroneckerDelta(entry.indices[0], var.indices[0])
        return sp.S.One
    return _atom(entry, var) if label_of(entry) in dependent else sp.S.Zero


def _move(q: sp.Expr, var: sp.Expr, dependent: Mapping[sp.Basic, str],
          arguments: Mapping[sp.Basic, tuple[Any, ...]]) -> sp.Expr:
    r"""``∂q/∂var``: an atom, or for a quantity written with its arguments (``L(\mathbf{p})``)
    the chain through them, ``Σ_a Σ_e ∂q/∂a_e · ∂a_e/∂var``, each ``∂q/∂a_e`` an atom."""
    args = arguments.get(label_of(q))
    if args is None:
        return _atom(q, var)
    out = sp.S.Zero
    for a in args:
        if isinstance(a, tuple):  # a vector: (its base, the range of its slot)
            e = sp.Dummy("e", integer=True)
            out += sp.Sum(_atom(q, a[0][e]) * _by(a[0][e], var, dependent), (e, a[1], a[2]))
        else:
            out += _atom(q, a) * _by(a, var, dependent)
    return out


def through(expr: sp.Expr, var: sp.Expr, dependent: Mapping[sp.Basic, str],
            arguments: Mapping[sp.Basic, tuple[Any, ...]] | None = None
            ) -> sp.Expr | None:
    """``Σ_e ∂expr/∂q_e · ∂q_e/∂var`` over the undefined quantities ``q`` that ``expr``
    writes (``dependent``: their labels, or scalar symbols, to their names), the ``∂q_e/∂var``
    opaque atoms, or for a quantity written with its arguments (``arguments``: its label to
    theirs, a scalar symbol or a vector's ``(IndexedBase, low, high)`` each) the chain through
    them;
    None when ``expr`` writes none (other than ``var``'s own quantity).

    Raises MathIssue when ``expr`` already holds an atom: differentiating it again would
    need the second derivatives of an undefined quantity."""
    own = label_of(var)
    entries = [e for e in expr.atoms(sp.Indexed)
               if e.base.label in dependent and e.base.label != own]
    scalars = [s for s in expr.free_symbols
               if isinstance(s, sp.Symbol) and s in dependent and s != own]
    if _atoms_in(expr):
        raise MathIssue(f"a second derivative of the undefined {atom_names(expr)[0]}: its "
                        "first derivatives are unknown quantities, their derivatives are not "
                        "modelled (define it to check this step)")
    if not entries and not scalars:
        return None
    eps = sp.Dummy("eps")
    moved = {q: q + eps * _move(q, var, dependent, arguments or {})
             for q in (*entries, *scalars)}
    return sp.diff(expr.xreplace(moved), eps).xreplace({eps: 0})


def total(expr: sp.Expr, var: sp.Expr, dependent: Mapping[sp.Basic, str],
          arguments: Mapping[sp.Basic, tuple[Any, ...]] | None = None
          ) -> sp.Expr | None:
    """``d expr/d var`` with the chain through the undefined quantities (:func:`through`),
    differentiated now; None when neither ``expr`` nor ``var`` involves one (the caller's
    own reading then stands). ``expr``'s bound letters must not be ``var``'s indices."""
    chain = through(expr, var, dependent, arguments)
    if chain is None and label_of(var) not in dependent:
        return None
    out = sp.diff(expr, var) + (chain if chain is not None else 0)
    return out.replace(lambda e: isinstance(e, sp.Sum) and e.function == 0, lambda e: sp.S.Zero)


_STYLED = re.compile(r"^\\(?:mathbf|boldsymbol|bm|vec)\{(\\?[A-Za-z]+)\}$")


def written_arguments(nodes: Iterable[ast.Node], names: Iterable[str],
                      known: Callable[[str], bool]) -> dict[str, tuple[str, ...]]:
    r"""The arguments each of ``names`` is written with (``L(\mathbf{p})``: ``L`` -> ``p``,
    the font dropped), when every use writes the same ones and each is ``known`` (a vector
    or scalar quantity of the notes); a name written with two argument lists, or with one
    that is not a list of quantities, has none (its derivatives stay plain atoms)."""
    wanted, found, spoilt = set(names), {}, set()
    for node in nodes:
        for n in ast.walk(node):
            if not isinstance(n, ast.Product):
                continue
            for a, b in zip(n.items, n.items[1:], strict=False):
                if not (isinstance(a, ast.Letter) and a.name in wanted
                        and isinstance(b, ast.Group) and b.delim == "("):
                    continue
                items = [x for it in b.items for x in (
                    it.items if isinstance(it, ast.Seq) else (it,))]
                args = tuple(_STYLED.sub(r"\1", x.name) if isinstance(x, ast.Letter) else ""
                             for x in items)
                if not args or not all(x and known(x) for x in args) or found.get(
                        a.name, args) != args:
                    spoilt.add(a.name)
                found[a.name] = args
    return {k: v for k, v in found.items() if k not in spoilt}
