"""What inference collects from the trees of the notes, one pass per chain.

:func:`collect` walks a chain and records in one :class:`Facts`: the sums and their limits,
the letters written in each subscript slot of each name, labels (a name in another's slot),
arities and the uses of each name, transposed and normed names, calls ``f(x)``, products
``u^T v``, the derivatives written (``d p_k / d z_j``) and the quantities stated through a
function (``\\log(\\lambda_i) = \\beta^\\top x_i``). :mod:`derive.latex.infer` decides the
declarations from these facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from derive.latex import ast
from derive.latex.scripts import sample_index

__all__ = ["SPECIAL", "TRANSPOSED", "Facts", "collect", "derivatives", "heads", "single"]

_ELIDED = ("\\vdots", "\\cdots", "\\ldots", "\\ddots")

# names with a fixed meaning: never inferred as quantities
TRANSPOSED = frozenset({"T", "\\top", "\\intercal", "\\prime"})
#: a bare letter the reader gives a meaning of its own (``e^{x}``): notes that define it
#: (``Let $e = y - t$ be the error``) leave every step that writes it with two readings
FIXED_MEANINGS: dict[str, str] = {"e": "Euler's number"}

SPECIAL = frozenset({
    "\\partial", "\\nabla", "\\delta", "e", "d", "\\mathrm{d}", "\\top", "T", "\\intercal",
    "\\vdots", "\\cdots", "\\ldots", "\\ddots", "I", "\\mathbb{1}", "\\mathbf{1}",
    "\\boldsymbol{1}", "\\bm{1}", "\\mathbb{I}", "*", "\\prime",
})


@dataclass
class Facts:
    sums: list[tuple[str, str, str]] = field(default_factory=list)  # (var, lo, hi) spellings
    slots: dict[tuple[str, int], set[str]] = field(default_factory=dict)  # letters per slot
    label_uses: dict[str, tuple[str, int]] = field(default_factory=dict)  # label -> slot
    arity: dict[str, int] = field(default_factory=dict)
    first_use: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # every use written with letters in its slots, in order (y_n of y_1..y_n, then y_i)
    uses: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    letters: set[str] = field(default_factory=set)  # every Letter name written
    vectors: set[str] = field(default_factory=set)  # heads transposed: entries are vectors
    transposed: set[str] = field(default_factory=set)  # heads written with ^T: never scalars
    # u^T v: u and v have one hidden length (with the slots written in that product)
    partners: list[tuple[str, int, str, int]] = field(default_factory=list)
    bound: set[str] = field(default_factory=set)  # letters bound by a sum
    calls: set[str] = field(default_factory=set)  # names written before "(": f(x)
    normed: set[str] = field(default_factory=set)  # names inside a norm \\|x\\|
    # (differentiated name, name of the variable, line, col): d p_k / d z_j
    derived: list[tuple[str, str, int, int]] = field(default_factory=list)
    # (name, a name of the other side, line, col): \log(\lambda_i) = \beta^T x_i
    implicit: list[tuple[str, str, int, int]] = field(default_factory=list)


def _letter(node: ast.Node | None) -> str | None:
    return node.name if isinstance(node, ast.Letter) else None


def _items(sub: ast.Node) -> tuple[ast.Node, ...]:
    if isinstance(sub, (ast.Seq, ast.Product)):
        return tuple(x for it in sub.items for x in _items(it))
    return (sub,)


def _transposes(sup: ast.Node) -> bool:
    """``^T``, ``^\\top``, and ``^{(k)\\top}`` (a sample index, then a transpose)."""
    if isinstance(sup, ast.Product) and sup.items:
        sup = sup.items[-1]
    return isinstance(sup, ast.Letter) and sup.name in TRANSPOSED


# a bold lower-case letter: a vector by the convention of the notes
_BOLD_VECTOR = re.compile(r"\\(?:mathbf|boldsymbol|bm|vec)\{[a-z]\}")


def _slot_count(node: ast.Node) -> int:
    return len(_subscript_slots(node)) if isinstance(node, ast.Postfix) else 0


def _vector_head(node: ast.Node) -> str | None:
    """The name of ``x``, ``\\mathbf{x}``, ``\\theta_k^T``, ``x^{(i)}`` as a product factor."""
    if isinstance(node, ast.Letter) and node.name not in SPECIAL:
        return node.name
    if isinstance(node, ast.Postfix) and isinstance(node.base, ast.Letter) and (
        node.base.name not in SPECIAL and not node.primes
    ):
        return node.base.name
    return None


def _subscript_slots(node: ast.Postfix) -> tuple[ast.Node, ...]:
    slots: list[ast.Node] = []
    for sup in node.sups:
        idx = sample_index(sup)
        if idx is not None:
            slots.append(idx)
    for sub in node.subs:
        slots.extend(_items(sub))
    return tuple(slots)


_MARKERS = frozenset({"\\partial", "d", "\\mathrm{d}"})


def heads(nodes: object) -> list[tuple[str, int, int]]:
    """The quantity names written in ``nodes`` (with their positions): letters and the
    bases of scripted names, never the letters in their scripts (indices), never markers."""
    out: list[tuple[str, int, int]] = []
    if isinstance(nodes, tuple):
        for it in nodes:
            out += heads(it)
        return out
    if isinstance(nodes, ast.Postfix):
        return heads(nodes.base)
    if isinstance(nodes, ast.Letter):
        if nodes.name not in SPECIAL and nodes.name not in _MARKERS:
            out.append((nodes.name, nodes.line, nodes.col))
        return out
    if isinstance(nodes, ast.BigOp):
        return out  # its limits hold indices and sizes; its body is the rest of the product
    if isinstance(nodes, ast.Node):
        for value in vars(nodes).values():
            out += heads(value)
    return out


def _split_marker(items: tuple[ast.Node, ...]) -> tuple[ast.Node, ...] | None:
    """What follows a leading ``\\partial``/``d``/``\\partial^2`` marker, or None."""
    if not items:
        return None
    first = items[0]
    base = first.base if isinstance(first, ast.Postfix) and not first.subs else first
    if isinstance(base, ast.Letter) and base.name in _MARKERS:
        return items[1:]
    return None


def derivatives(node: ast.Node) -> list[tuple[tuple[ast.Node, ...], tuple[ast.Node, ...]]]:
    """(differentiated, variable) of every derivative written in ``node``:
    ``\\frac{\\partial p_k}{\\partial z_j}``, ``\\partial p_k / \\partial z_j``,
    ``\\partial_{z_j} p_k``, ``\\frac{\\partial}{\\partial z_j} p_k`` (the operator's operand
    is the next factor)."""
    out = []
    for n in ast.walk(node):
        if isinstance(n, ast.Frac):
            num = _split_marker(_items(n.num))
            den = _split_marker(_items(n.den))
            if num is not None and den is not None and den:
                out.append((num, den))
        elif isinstance(n, ast.Product):
            items = n.items
            for k, it in enumerate(items):
                if isinstance(it, ast.Op) and it.op == "/" and k >= 1:
                    num = _split_marker(items[:k])
                    den = _split_marker((it.operand, *items[k + 1:]))
                    if num and den:
                        out.append((num, den))
                if isinstance(it, ast.Postfix) and isinstance(it.base, ast.Letter) and (
                    it.base.name in ("\\partial", "\\nabla") and it.subs and k + 1 < len(items)
                ):
                    out.append(((items[k + 1],), it.subs))
                if isinstance(it, ast.Frac) and k + 1 < len(items):
                    # \frac{\partial}{\partial a_j} h_i: the operator's operand is the next
                    # factor (what it differentiates is never silently independent of a)
                    num = _split_marker(_items(it.num))
                    den = _split_marker(_items(it.den))
                    if num == () and den:
                        out.append(((items[k + 1],), den))
    return out


def single(num: tuple[ast.Node, ...]) -> bool:
    """Is the differentiated thing one quantity (``p_k``, ``L``, ``p_k(z)``), not an
    expression (``y_k \\log p_k``, whose coefficients are not said to depend on anything)?"""
    if len(num) == 2 and isinstance(num[1], ast.Group) and num[1].delim == "(":
        num = num[:1]
    return len(num) == 1 and (isinstance(num[0], ast.Letter) or (
        isinstance(num[0], ast.Postfix) and isinstance(num[0].base, ast.Letter)
        and not num[0].sups))


def _through(node: ast.Node) -> ast.Node | None:
    """The one quantity a function is applied to: ``\\log(\\lambda_i)``, ``\\log p``."""
    if not (isinstance(node, ast.Product) and len(node.items) == 2
            and isinstance(node.items[0], ast.Func)):
        return None
    arg = node.items[1]
    if isinstance(arg, ast.Group) and arg.delim == "(" and len(arg.items) == 1:
        arg = arg.items[0]
    return arg if single((arg,)) else None


def collect(node: ast.Node, facts: Facts) -> None:
    if isinstance(node, ast.Chain) and len(node.members) >= 2:
        # \log(\lambda_i) = \beta^T x_i: lambda is a function of beta and x, stated
        # through an inverse; never an independent quantity (it is not a definition)
        arg = _through(node.members[0])
        if arg is not None:
            wrt = {h for m in node.members[1:] for h, _, _ in heads(m)}
            for head, line, col in heads(arg):
                for var in sorted(wrt - {head}):
                    facts.implicit.append((head, var, line, col))
    for num, den in derivatives(node):
        if not single(num):
            continue
        wrt = {h for h, _, _ in heads(den)}
        for head, line, col in heads(num[:1]):  # p_k(z): p, not its argument
            for var in sorted(wrt - {head}):
                facts.derived.append((head, var, line, col))
    for n in ast.walk(node):
        if isinstance(n, ast.Norm):  # \\| x \\|: what a norm holds is a vector
            facts.normed |= {h for h, _, _ in heads(n.body)}
        if isinstance(n, ast.Product):
            for a, b in zip(n.items, n.items[1:], strict=False):
                if isinstance(a, ast.Letter) and isinstance(b, ast.Group) and b.delim == "(":
                    facts.calls.add(a.name)  # f(x): a function, or a product; not a scalar
                ha, hb = _vector_head(a), _vector_head(b)
                if ha is not None and hb is not None and isinstance(a, ast.Postfix) and any(
                    _transposes(sup) for sup in a.sups
                ):
                    facts.partners.append((ha, _slot_count(a), hb, _slot_count(b)))
                # \mathbf{w}_k \cdot \mathbf{x}: two bold vectors' inner product, as with ^T
                if isinstance(b, ast.Op) and b.op == "\\cdot":
                    hb = _vector_head(b.operand)
                    if ha is not None and hb is not None and _BOLD_VECTOR.fullmatch(ha) and (
                            _BOLD_VECTOR.fullmatch(hb)):
                        facts.partners.append((ha, _slot_count(a), hb, _slot_count(b.operand)))
                        facts.vectors |= {h for h, n in ((ha, a), (hb, b.operand))
                                          if _slot_count(n)}
        if isinstance(n, ast.Letter):
            facts.letters.add(n.name)
        elif isinstance(n, ast.BigOp) and n.sub is not None:
            head = n.sub.items[0] if isinstance(n.sub, ast.Stack) else n.sub
            lo = "1"
            hi_node = n.sup
            if isinstance(head, ast.Rel):
                if head.op == "=" and isinstance(head.rhs, ast.Num):
                    lo = head.rhs.text
                if head.op == "\\in" and isinstance(head.rhs, ast.Group) and head.rhs.items:
                    # k \in [K], k \in \{1, \ldots, K\} say k's whole range; a finite set
                    # \{1, 2, 3\} says nothing about it
                    items = head.rhs.items
                    whole = (len(items) == 1 and not head.rhs.curly) or any(
                        isinstance(i, ast.Letter) and i.name in _ELIDED for i in items)
                    hi_node = items[-1] if whole else None
                head = head.lhs
            var = _letter(head)
            if var is None:
                continue
            facts.bound.add(var)
            hi = _letter(hi_node) or (hi_node.text if isinstance(hi_node, ast.Num) else None)
            if hi is not None:
                facts.sums.append((var, lo, hi))
        elif isinstance(n, ast.Postfix) and isinstance(n.base, ast.Letter):
            head = n.base.name
            if head in SPECIAL:
                continue
            slots = _subscript_slots(n)
            if any(_transposes(sup) for sup in n.sups):
                facts.transposed.add(head)
                if slots:  # \theta_k^T x: the entries of theta have a hidden axis; a bare
                    facts.vectors.add(head)  # \beta^T beside \beta_j is the vector of those
            if not slots:
                continue
            facts.arity[head] = max(facts.arity.get(head, 0), len(slots))
            for pos, item in enumerate(slots):
                name = _letter(item)
                if name is not None:
                    facts.slots.setdefault((head, pos), set()).add(name)
                elif isinstance(item, ast.Postfix) and isinstance(item.base, ast.Letter):
                    facts.label_uses.setdefault(item.base.name, (head, pos))
            if all(_letter(s) for s in slots):
                use = tuple(_letter(s) or "" for s in slots)
                facts.first_use.setdefault(head, use)
                facts.uses.setdefault(head, []).append(use)
