"""The syntax tree of one display-math block, before any meaning is given to names.

Every node carries the ``line``/``col`` of its first token so that the elaborator can
say where an undeclared symbol or a wrong arity is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, replace
from functools import cache


@dataclass(frozen=True)
class Node:
    line: int = field(default=0, compare=False)
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Letter(Node):
    """A letter-like name: ``x``, ``\\theta``, ``\\mathbf{x}``, ``\\text{SoftMax}``."""

    name: str = ""


@dataclass(frozen=True)
class Num(Node):
    text: str = ""


@dataclass(frozen=True)
class Postfix(Node):
    """``base_{sub}^{sup}'``: scripts in source order, then the number of primes."""

    base: Node | None = None
    subs: tuple[Node, ...] = ()
    sups: tuple[Node, ...] = ()
    primes: int = 0


@dataclass(frozen=True)
class Seq(Node):
    """The inside of a script or a parenthesis: items separated by ``,`` or ``;``."""

    items: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Rel(Node):
    lhs: Node | None = None
    op: str = "="
    rhs: Node | None = None


@dataclass(frozen=True)
class Free(Node):
    """``.k`` in ``\\theta_{.k}``: the slot before the dot runs over its whole range."""

    rest: Node | None = None


@dataclass(frozen=True)
class Stack(Node):
    """``\\substack{k=1 \\\\ k \\neq j}``."""

    items: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Group(Node):
    """``( ... )``, ``[ ... ]`` or ``{ ... }`` with one or more comma-separated items."""

    delim: str = "("
    items: tuple[Node, ...] = ()
    curly: bool = False  # written \{ ... \} (a set or an indicator), not [ ... ]


@dataclass(frozen=True)
class Frac(Node):
    num: Node | None = None
    den: Node | None = None
    # a Jacobian of a column by a column: "numerator" or "denominator" layout, set where a
    # reading decides it (derive.latex.layouts); "" for a fraction nobody decided
    layout: str = ""


@dataclass(frozen=True)
class Cases(Node):
    """Rows of (value, condition or None for "otherwise")."""

    rows: tuple[tuple[Node, Node | None], ...] = ()
    # rows whose condition is words derive does not read (not "otherwise"): never a guess
    unread: tuple[int, ...] = ()


@dataclass(frozen=True)
class Matrix(Node):
    rows: tuple[tuple[Node, ...], ...] = ()


@dataclass(frozen=True)
class Norm(Node):
    body: Node | None = None


@dataclass(frozen=True)
class Abs(Node):
    """``|x|``, ``\\lvert x \\rvert``: the absolute value of a scalar (of a matrix it may be
    the determinant, of a vector a norm: those are not read)."""

    body: Node | None = None


@dataclass(frozen=True)
class Func(Node):
    """``\\log``, ``\\ln`` or ``\\exp`` as an item of a product (its argument follows);
    ``base`` is the subscript of ``\\log_2`` (a logarithm to that base), None when unwritten;
    ``power`` the whole number written on the name, ``\\log^2 x`` (the power of the value,
    ``(\\log x)^2``), None when unwritten."""

    name: str = ""
    base: Node | None = None
    power: Node | None = None


@dataclass(frozen=True)
class BigOp(Node):
    """``\\sum``/``\\prod`` with limits; its body is the rest of the product."""

    kind: str = "sum"
    sub: Node | None = None
    sup: Node | None = None


@dataclass(frozen=True)
class Op(Node):
    """An explicit binary product operator before an operand: ``\\cdot``, ``\\otimes`` ..."""

    op: str = "*"
    operand: Node | None = None


@dataclass(frozen=True)
class Neg(Node):
    body: Node | None = None


@dataclass(frozen=True)
class Product(Node):
    items: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Add(Node):
    """Terms with their signs: ``(("+", t1), ("-", t2))``."""

    terms: tuple[tuple[str, Node], ...] = ()


@dataclass(frozen=True)
class Unreadable(Node):
    """A member of a chain derive could not read (an unsupported construct, a formula that
    does not parse): the links on either side of it are unknown with this located
    ``message``; the other links of the block are still checked."""

    message: str = ""


@dataclass(frozen=True)
class Chain(Node):
    """``A = B = C``: the members in order; ``links`` is how each ``=`` between two members
    is written (``=``, or a defining ``:=``/``\\triangleq``), one fewer than the members."""

    members: tuple[Node, ...] = ()
    links: tuple[str, ...] = ()
    #: the implication arrow written next to this chain ("2x - 4 = 0 \Rightarrow x = 2"),
    #: as written, or "" (see derive.latex.constructs.IMPLICATIONS)
    beside: str = ""


def walk(node: object) -> Iterator[Node]:
    """Every node of a tree (``node`` first), through fields and tuples of nodes, in
    pre-order (a node, then each field in declaration order, a tuple's items in order).

    One explicit stack, not nested generators: a recursive ``yield from`` pays for every
    level above a node on each node it yields, and the reader walks its trees often.

    >>> tree = Add(terms=(("+", Letter(name="a")), ("-", Neg(body=Letter(name="b")))))
    >>> [type(n).__name__ + getattr(n, "name", "") for n in walk(tree)]
    ['Add', 'Lettera', 'Neg', 'Letterb']
    """
    stack = [node]
    pop, push = stack.pop, stack.extend
    while stack:
        item = pop()
        if isinstance(item, Node):
            yield item
            push(reversed(vars(item).values()))
        elif isinstance(item, tuple):
            push(reversed(item))


@cache
def _child_fields(kind: type) -> tuple[str, ...]:
    """The fields of a node class that may hold nodes (all but its position)."""
    return tuple(f.name for f in fields(kind) if f.name not in ("line", "col"))


def rebuild(node: object, fn: Callable[[Node], Node]) -> object:
    """``node`` with ``fn`` applied bottom-up to every node (frozen dataclasses rebuilt;
    positions kept, a subtree ``fn`` leaves alone is the same object)."""
    if isinstance(node, tuple):
        return tuple(rebuild(x, fn) for x in node)
    if not isinstance(node, Node):
        return node
    changes = {}
    for name in _child_fields(type(node)):
        old = getattr(node, name)
        new = rebuild(old, fn)
        if new is not old:
            changes[name] = new
    return fn(replace(node, **changes) if changes else node)


def shape(node: object) -> str:
    """``node`` written without its positions: equal for the same formula written at two
    places (a definition restated, a pattern written again).

    >>> shape(Letter(name="x", line=1, col=1)) == shape(Letter(name="x", line=5, col=9))
    True
    """
    import re

    return re.sub(r"line=\d+, col=\d+", "", repr(node))
