"""Differentials: ``dz``, ``d\\ell``, ``\\mathrm{d}x``, ``\\text{d}W`` as the notes of matrix
calculus write them (``ds = (S - ss^T) dz``, ``dL = g : dz``, ``dL = g^T dx``).

A differential is the upright ``d`` (a letter the notes give no meaning of their own: not a
size, an index, a quantity or a definition) written right before a name or a parenthesis.
A chain is read so only when every member writes a differential (``dw = X(a - y)^T`` names
a gradient ``dw``, as deep-learning notes do: that reading is not this one). What varies is
what the chain writes a differential of: the *inputs* (declared or inferred quantities,
never a definition) ``X`` with ``dX`` in some member of the chain. Exactly one varying
input is read (several leave the step unknown with the reason).

An equation between differentials holds for every direction ``dX`` exactly when it holds for
every unit direction (both sides are linear in ``dX``), so the elaborator reads ``dY`` as the
partial derivative of ``Y`` by one entry ``X_q`` of the varying input, with ``q`` a fresh
index over the input's range, the same in every member of the chain (:func:`direction`):
``dz`` itself is the unit vector ``e_q``, ``dL = g : dz`` is ``∂L/∂z_q = g_q`` for every
``q``, i.e. the gradient of ``L`` is ``g``, and ``dy = J dz`` says the Jacobian is ``J``. The
engine proves that for every ``q``. The referee reads differentials on its own (a central
difference along a random direction: :mod:`derive.latex.referee.evaluate`).

>>> from derive.latex.parser import parse_block
>>> item = parse_block("dz = a", 1, 1)[0].members[0]
>>> differential_items(item.items[0], item.items[1:])
True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from derive.latex import ast

__all__ = ["UPRIGHT_D", "differential_items", "varying_inputs", "written_differentials"]

#: the spelling of the upright d after the tokenizer (\mathrm{d}, \text{d}, \operatorname{d})
UPRIGHT_D = "d"


def _operand(node: ast.Node) -> bool:
    """What a ``d`` can be the differential of: a name (``z``, ``\\ell``, ``W^{[l]}``,
    ``x_i``) or a parenthesis (``d(Xw)``); never a number or an operator."""
    if isinstance(node, ast.Group):
        return node.delim == "(" and len(node.items) == 1
    base = node.base if isinstance(node, ast.Postfix) else node
    return isinstance(base, ast.Letter) and not (
        base.name in ("d", "\\partial", "\\nabla", "\\delta", "e") or base.name.startswith(
            "\\ldots") or base.name in ("\\cdots", "\\vdots", "\\ddots"))


def differential_items(item: ast.Node, rest: tuple[ast.Node, ...]) -> bool:
    """Is ``item`` a bare ``d`` right before something it is the differential of? (Whether
    the notes give ``d`` a meaning of its own is the caller's question.)"""
    return isinstance(item, ast.Letter) and item.name == UPRIGHT_D and bool(rest) and (
        _operand(rest[0]))


_TRANSPOSES = frozenset({"T", "\\top", "\\intercal", "\\prime", "*"})


def _transposed(node: ast.Postfix) -> bool:
    return not node.subs and not node.primes and all(
        isinstance(s, ast.Letter) and s.name in _TRANSPOSES for s in node.sups)


def _derivative_frac(node: ast.Frac) -> bool:
    """``\\frac{dL}{dz}``, ``\\frac{d}{dx}``: Leibniz notation, not a quotient of two
    differentials (the elaborator reads it as a derivative)."""
    first = node.num.items[0] if isinstance(node.num, ast.Product) else node.num
    return isinstance(first, ast.Letter) and first.name in (UPRIGHT_D, "\\partial")


def _scan(node: ast.Node | None, linear: bool, out: list[tuple[ast.Node, bool]]) -> int:
    """Every differential's operand in ``node``, and whether it sits where the member is
    linear in it (terms, factors, a parenthesis that is no call's, a numerator, a
    transpose, a Frobenius product, a matrix cell), not inside a call, a power, a
    denominator, a norm, a script or a sum's limits; returns the degree of ``node`` in the
    differentials, and a product of two (``dt\\,dt``, ``dz : dz``) is marked not linear."""
    if node is None:
        return 0
    if isinstance(node, ast.Product):
        items = tuple(it.operand if isinstance(it, ast.Op) else it for it in node.items)
        skip, degree = -1, 0
        for k, it in enumerate(items):
            if k == skip:
                continue
            if differential_items(it, items[k + 1:]):
                out.append((items[k + 1], linear))
                _scan(items[k + 1], False, out)  # d(d x): a differential of a differential
                skip, degree = k + 1, degree + 1
                continue
            called = k > 0 and isinstance(it, ast.Group) and isinstance(
                items[k - 1], (ast.Letter, ast.Postfix, ast.Func))
            degree += _scan(it, linear and not called, out)
        return _product_degree(node, degree, out)
    if isinstance(node, ast.Add):
        return max((_scan(term, linear, out) for _, term in node.terms), default=0)
    if isinstance(node, ast.Neg):
        return _scan(node.body, linear, out)
    if isinstance(node, ast.Group):
        inner = linear and node.delim in ("(", "[", ":") and (
            node.delim == ":" or len(node.items) == 1)
        degrees = [_scan(it, inner, out) for it in node.items]
        if node.delim == ":":
            return _product_degree(node, sum(degrees), out)
        return max(degrees, default=0)
    if isinstance(node, ast.Frac):
        if _derivative_frac(node):
            return 0
        _scan(node.den, False, out)
        return _scan(node.num, linear, out)
    if isinstance(node, ast.Postfix):
        for sc in (*node.subs, *node.sups):
            _scan(sc, False, out)
        return _scan(node.base, linear and _transposed(node), out)
    if isinstance(node, ast.Matrix):
        return max((_scan(cell, linear, out) for row in node.rows for cell in row), default=0)
    before = len(out)
    for child in ast.walk(node):
        if child is not node and isinstance(child, ast.Product):
            _scan(child, False, out)
    return len(out) - before


def _product_degree(node: ast.Node, degree: int, out: list[tuple[ast.Node, bool]]) -> int:
    if degree > 1:  # dt dt, dz^T dz: second order, not a differential's linear form
        out.append((node, False))
    return degree


def written_differentials(members: Iterable[ast.Node]) -> list[tuple[ast.Node, bool]]:
    """Every operand written after a differential ``d`` in ``members``, in order, each with
    whether the member is linear in it there.

    >>> from derive.latex.parser import parse_block
    >>> m = parse_block("a + (S - s) dz + f(dz) + (dz)^T + dt dt", 1, 1)[0].members[0]
    >>> [linear for _, linear in written_differentials([m])]
    [True, False, True, True, True, False]
    """
    out: list[tuple[ast.Node, bool]] = []
    for m in members:
        _scan(m, True, out)
    return out


def varying_inputs(members: Iterable[ast.Node], decl: Any) -> tuple[str, ...]:
    """The inputs (declared quantities: ``decl.tensors``/``decl.scalars``, never a
    definition) whose differential ``members`` write (``dz``, ``dz_j``), in order; none
    when the notes give ``d`` a meaning of its own, when a member writes no differential
    (``dw = \\frac{1}{m} X (a - y)^T``: ``dw`` is the name of a gradient there, not a
    differential), or write a differential where a member is not linear in it
    (``f(x + dx)``: an increment, and '=' there an approximation). Then ``d`` is read as
    before: the differential reading is only for chains of differentials."""
    if any("d" in known for known in (decl.scalars, decl.tensors, decl.sizes, decl.indices,
                                       decl.defs)):
        return ()
    out: list[str] = []
    each = [written_differentials([m]) for m in members]
    if not all(each):
        return ()  # dw = X(a - y)^T: dw names a gradient (a member with no differential)
    found = [f for one in each for f in one]
    if not all(linear for _, linear in found):
        return ()  # f(x + dx): an increment in a call, not a differential: not read
    for node, _ in found:
        base = node.base if isinstance(node, ast.Postfix) else node
        name = base.name if isinstance(base, ast.Letter) else None
        if name is not None and (name in decl.tensors or name in decl.scalars) and (
                name not in decl.defs) and name not in out:
            out.append(name)
    return tuple(out)
