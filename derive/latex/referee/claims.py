r"""The referee's own reading of whether a counterexample can refute a step at all.

A counterexample gives values to the notes' free quantities. Two kinds of step are not
refuted by that, whatever the values, and the referee tells them on its own (its own walk of
the parse tree, its own :class:`~derive.latex.referee.decls.Decls`, its own scan of the
notes' text; nothing from the elaborator):

- **inputs only** (:func:`inputs_only`): every quantity on both sides is a declared tensor,
  label or scalar with no ``let`` and no derivative (no ``\partial``, ``d``, prime, call of
  a name that is not an input), and the sides write no common entry (``t_2`` vs ``t_1``,
  ``z`` vs ``v``; ``x_j`` and ``x_k`` are one quantity) or one side is a number: the step
  states a property of the data (``\sum_j z_j = 0``, ``t_2 = 1 - t_1``) or names one input
  by another (``q_i - 1 = e^{z_i}/\sum_j e^{z_j} - 1``);
- **a quantity the text names** (:func:`named_in_text`): the counterexample gives a value
  to a quantity that no ``let`` defines but that the notes write, somewhere, at the start
  of a formula (or after ``=``, ``&``, ``\quad``) followed by ``=`` and something with a
  letter (``define $\Sigma_C = \sum_{d=1}^C e^{z_d}$``): its value is what that formula
  says, not a free one;
- **a label distribution given other values** (:func:`label_sums`): a quantity written as
  the weight of a log under a sum over its index (``-\sum_k y_k \log a_k``, in a ``let``
  or in the chain) is a label distribution to every reader; a counterexample whose values
  of it do not sum to one along that index is one the author excluded;
- **a sum written out** (:func:`written_size`): a member writes ``T(1) + T(2) + T(3)``
  (term k is the first with its numeral 1 written k): the author's instance is the size 3;
  a counterexample at another value of a size that bounds a ``\sum`` is not the claim.

>>> from derive.latex.parser import parse_block
>>> d = Decls(tensors={"t": ("k",)}, indices={"k": ("1", "K")}, sizes={"K"})
>>> left, right = parse_block(r"t_2 = 1 - t_1", 1, 1, (), "n.md")[0].members
>>> inputs_only(left, right, d)
True
>>> left, right = parse_block(r"\sum_k t_k^2 = (\sum_k t_k)^2", 1, 1, (), "n.md")[0].members
>>> inputs_only(left, right, d)
False
>>> named_in_text("where $\\Sigma_C = \\sum_d e^{z_d}$ for c", "\\Sigma")
True
>>> cases = r"$$z_k = \begin{cases} z_j & \text{otherwise} \end{cases}$$"
>>> named_in_text(cases, "z", frozenset("jk"))
False
"""

from __future__ import annotations

import re

from derive.latex import ast
from derive.latex.referee.decls import Decls

__all__ = ["inputs_only", "label_sums", "named_in_text", "written_size"]

_NOTATION = frozenset({"e", "\\pi", "T", "\\top", "\\intercal", "\\infty"})
_DIFFERENTIAL = frozenset({"\\partial", "\\nabla", "d", "\\mathrm{d}", "\\Delta"})


class _Other(Exception):
    pass


def _walk(node: object, d: Decls, found: set[tuple[str, str]]) -> None:
    """Add (quantity, numeral subscript text or '*') for each input written in ``node``."""
    if isinstance(node, tuple):
        for x in node:
            _walk(x, d, found)
        return
    if not isinstance(node, ast.Node) or isinstance(node, ast.BigOp):
        return
    if isinstance(node, ast.Unreadable):
        raise _Other
    if isinstance(node, ast.Letter):
        name = node.name
        if name in d.indices or name in d.sizes or name in _NOTATION:
            return
        if name in _DIFFERENTIAL or name in d.defs or name in d.dependent or not (
                name in d.tensors or name in d.scalars):
            raise _Other
        found.add((name, "*"))
        return
    if isinstance(node, ast.Postfix) and isinstance(node.base, ast.Letter) and (
            node.base.name not in d.indices and node.base.name not in _NOTATION):
        if node.primes:
            raise _Other
        _walk(node.base, d, found)
        nums = [x.text if isinstance(x, ast.Num) else "" for s in node.subs
                for x in (s.items if isinstance(s, (ast.Seq, ast.Product)) else (s,))]
        at = ",".join(nums) if nums and all(nums) else "*"
        found.discard((node.base.name, "*"))
        found.add((node.base.name, at))
        _walk(node.sups, d, found)
        return
    for f in node.__dataclass_fields__:
        if f not in ("line", "col"):
            _walk(getattr(node, f), d, found)


def _is_number(node: ast.Node | None) -> bool:
    if isinstance(node, ast.Neg):
        return _is_number(node.body)
    if isinstance(node, ast.Group) and len(node.items) == 1:
        return _is_number(node.items[0])
    return isinstance(node, ast.Num)


def inputs_only(left: ast.Node, right: ast.Node, d: Decls) -> bool:
    """Does ``left = right`` relate the notes' inputs only (see the module docstring)?"""
    sides: tuple[set[tuple[str, str]], set[tuple[str, str]]] = (set(), set())
    try:
        _walk(left, d, sides[0])
        _walk(right, d, sides[1])
    except _Other:
        return False
    if not (sides[0] or sides[1]):
        return False
    if _is_number(left) or _is_number(right):
        return True
    def letter(name: str) -> str:  # \theta^{(x)} is the letter \theta with a label
        return re.split(r"[\^_]", name, maxsplit=1)[0]

    return not any(letter(a) == letter(b) and (x == "*" or y == "*" or x == y)
                   for a, x in sides[0] for b, y in sides[1])


def named_in_text(text: str, name: str, indices: frozenset[str] = frozenset()) -> bool:
    """Does the notes' ``text`` write ``name`` (with an optional subscript; a labelled
    ``\\theta^{(t+1)} = ...`` is a recurrence, not a name) at the start of a formula, or
    after ``=``, ``&``, ``,`` or a ``\\quad``, then ``=`` and a letter other than it, its own
    subscript's and the ``indices``?"""
    pattern = re.compile(
        r"(?:\$|\\\(|\\\[|\\q?quad|&|,|(?<![<>!:])=|^)\s*" + re.escape(name)
        + r"(?![A-Za-z])\s*(?P<sub>_\s*(?:\{[^{}]*\}|\\?[A-Za-z0-9]))?"
        r"\s*=(?!=)\s*(?P<rest>[^$\n]*)", re.MULTILINE)
    own = set(name) if re.fullmatch(r"[A-Za-z]", name) else set()
    for m in pattern.finditer(text):
        # words are no quantities: environment names, \text{otherwise}, \operatorname{..}
        rest = re.sub(r"\\(?:begin|end|text|textrm|mbox|operatorname)\s*\{[^{}]*\}", " ",
                      m.group("rest"))
        rest = re.sub(r"\\[A-Za-z]+", " ", rest)
        # the letter itself and its own index letters are no other quantity (z_k = z_1)
        skip = own | indices | set(re.findall(r"[A-Za-z]", re.sub(r"\\[A-Za-z]+", " ",
                                                         m.group("sub") or "")))
        if set(re.findall(r"[A-Za-z]", rest)) - skip:
            return True
    return False


def _targets(nodes: list[ast.Node], d: Decls) -> dict[str, int]:
    """head -> the subscript position a ``\\sum`` beside a log runs over, for every
    tensor written as a cross-entropy's weight in ``nodes``."""
    out: dict[str, int] = {}
    for tree in nodes:
        for node in ast.walk(tree):
            items = node.items if isinstance(node, ast.Product) else ()
            for n, op in enumerate(items):
                if not isinstance(op, ast.BigOp) or op.kind != "sum":
                    continue
                sub = op.sub.lhs if isinstance(op.sub, ast.Rel) else op.sub
                logs = any(isinstance(x, (ast.Func, ast.Letter)) and getattr(x, "name", "") in (
                    "\\log", "\\ln", "log", "ln") for it in items[n + 1:] for x in ast.walk(it))
                if not (isinstance(sub, ast.Letter) and logs):
                    continue
                for it in items[n + 1:]:
                    if isinstance(it, ast.Postfix) and isinstance(it.base, ast.Letter) and (
                            it.base.name in d.tensors and it.base.name not in d.defs):
                        flat = [x for s in it.subs for x in (
                            s.items if isinstance(s, (ast.Seq, ast.Product)) else (s,))]
                        names = [x.name if isinstance(x, ast.Letter) else "" for x in flat]
                        if sub.name in names:
                            out.setdefault(it.base.name, names.index(sub.name))
    return out


def label_sums(nodes: list[ast.Node], d: Decls, values: dict[str, object]) -> list[str]:
    """The cross-entropy targets (see the module docstring) whose printed ``values`` do
    not sum to one along the index the cross-entropy sums over."""
    bad = []
    for head, slot in sorted(_targets(nodes, d).items()):
        value = values.get(head)
        if value is None:
            continue
        rows = value if isinstance(value, list) else [value]
        if rows and all(isinstance(r, list) for r in rows):  # a matrix: rows by columns
            fibers = [list(col) for col in zip(*rows, strict=True)] if slot == 0 else rows
        else:
            fibers = [rows]
        if any(abs(sum(float(x) for x in f) - 1) > 1e-9 for f in fibers):
            bad.append(head)
    return bad


def _marked(node: object, k: str) -> object:
    """``node`` as nested tuples, the numeral ``k`` written ``#`` (positions dropped)."""
    if isinstance(node, tuple):
        return tuple(_marked(x, k) for x in node)
    if isinstance(node, ast.Num):
        return ("#",) if node.text == k else ("num", node.text)
    if isinstance(node, ast.Node):
        return (type(node).__name__, *(_marked(getattr(node, f), k)
                                      for f in node.__dataclass_fields__
                                      if f not in ("line", "col")))
    return node


def written_size(members: list[ast.Node]) -> int | None:
    """The number of terms ``m >= 2`` of the longest sum written out term by term (see the
    module docstring; every term added, no dots) in ``members``, else None."""
    best = None
    for member in members:
        for node in ast.walk(member):
            if not isinstance(node, ast.Add) or len(node.terms) < 2 or any(
                    sign != "+" for sign, _ in node.terms):
                continue
            if any(isinstance(x, ast.Letter) and "dots" in x.name
                   for _, t in node.terms for x in ast.walk(t)):
                continue
            first = _marked(node.terms[0][1], "1")
            if first == _marked(node.terms[0][1], ""):
                continue
            if all(_marked(t, str(k)) == first and _marked(t, "1") == _marked(t, "")
                   for k, (_, t) in enumerate(node.terms[1:], start=2)):
                best = max(best or 0, len(node.terms))
    return best


def summed_sizes(nodes: list[ast.Node], d: Decls) -> set[str]:
    """The sizes written as the upper limit of a ``\\sum`` in ``nodes``."""
    return {x.name for tree in nodes for op in ast.walk(tree) if isinstance(op, ast.BigOp)
            and op.sup is not None for x in ast.walk(op.sup)
            if isinstance(x, ast.Letter) and x.name in d.sizes}
