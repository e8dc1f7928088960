"""Vectors and matrices written in bold, their shapes inferred from the products they are in.

Notes that write ``\\mathbf{z} = \\mathbf{W}\\mathbf{x} + \\mathbf{b}`` say, by the usual
convention, that ``\\mathbf{x}`` and ``\\mathbf{b}`` are column vectors and ``\\mathbf{W}`` a
matrix, and by the product that the columns of ``\\mathbf{W}`` are as many as the entries of
``\\mathbf{x}``, and by the sum that ``\\mathbf{b}`` has as many entries as ``\\mathbf{W}`` has
rows. This module reads exactly that and nothing more:

- a bold lower-case name (``\\mathbf{x}``, ``\\boldsymbol{\\theta}``, ``\\bm{w}``) written
  bare (never with a subscript) is a column vector ``r x 1``; a bold capital
  (``\\mathbf{X}``) is a matrix ``r x c``; ``^T``/``^\\top`` swaps the two;
- in a product of such factors the inner dimensions are one (``A B``: columns of ``A`` =
  rows of ``B``); the terms of a sum, the two sides of an equation and the members of a
  chain have one shape; a number, a fraction of numbers, a norm ``\\|v\\|`` and a plain
  letter are scalars inside a product (they leave the dimensions as they are);
- a name no product, sum or transpose relates to another says nothing of its size and
  is left as it is; every group of dimensions made one gets a fresh size and index (``size D``,
  ``index d in 1..D``), and each name its ``tensor`` line (``\\mathbf{W}_{kd}``). A proof
  holds for every positive size, so naming a size loses nothing.

A bold capital beside a two-slot quantity of its lower case (``\\mathbf{X}`` beside
``\\mathbf{x}_{id}``, the samples' feature vectors) is the design matrix whose row ``i`` is
``\\mathbf{x}_i``, but only where its products and sums fit that shape (rows over the first
slot's size, columns over the second's) and one of them pins it (a declared vector's length
meets its rows or columns): ``\\mathbf{X}\\mathbf{w}`` with ``\\mathbf{w}`` over the features
fits, ``\\mathbf{w}^T\\mathbf{X}`` (the author's columns are the samples) does not, and
``\\mathbf{X}^T\\mathbf{X}`` alone fits both orientations, so says nothing (``\\mathbf{X}
\\mathbf{X}^T = \\sum_i \\mathbf{x}_i\\mathbf{x}_i^T`` is true of a D x n X); a square x
never says either. Otherwise the name is a conflict, left undeclared (``matrices`` of
:func:`bold_shapes`, the names that fit in ``Shapes.aliases``).

A use that makes a vector's length one or two vectors' rows meet (``\\mathbf{x}\\mathbf{y}``
without a transpose, a vector used as a matrix) is a conflict: the names it touches are
left undeclared, so their steps stay ``unknown``, and the conflict is reported. Anything
this module does not read (a function, a derivative, an operator such as ``\\cdot``) ends
the product it is in; the rest of the formula is still read.

>>> from derive.latex.parser import parse_block
>>> chains = parse_block("\\\\mathbf{z} = \\\\mathbf{W}\\\\mathbf{x} + \\\\mathbf{b}", 1, 1)
>>> shapes = bold_shapes(chains, lambda name: name != "\\\\mathbf{z}", set("z"))
>>> shapes.sizes, shapes.tensors, shapes.conflicts
(['D', 'K'], ['\\\\mathbf{W}_{dk}', '\\\\mathbf{b}_{d}', '\\\\mathbf{x}_{k}'], [])
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from derive.latex import ast
from derive.latex.chains import Directive
from derive.latex.infer_facts import TRANSPOSED

__all__ = ["BOLD", "Shapes", "bold_shapes", "design_matrices"]

#: a bold name: the font command and the letter it holds
BOLD = re.compile(r"\\(?:mathbf|boldsymbol|bm|textbf|pmb)\{(\\?[A-Za-z]+)\}")

# the dimension "1" of a column vector's columns (a vector's rows never are this one)
_ONE = 0

# (rows, columns): dimension ids; None for a scalar
Shape = tuple[int, int] | None
_SCALAR: Shape = None
_UNREAD = "unread"


@dataclass
class Shapes:
    """What :func:`bold_shapes` inferred: fresh sizes, index lines, tensor lines, and the
    conflicts that left names undeclared."""

    sizes: list[str] = field(default_factory=list)
    indices: list[str] = field(default_factory=list)  # "d in 1..D"
    tensors: list[str] = field(default_factory=list)  # "\\mathbf{W}_{kd}"
    conflicts: list[str] = field(default_factory=list)
    names: set[str] = field(default_factory=set)  # the names given a tensor line
    aliases: list[str] = field(default_factory=list)  # design matrices whose uses fit


class _Reader:
    def __init__(self, candidate: Callable[[str], bool], nonscalar: set[str]) -> None:
        self.candidate = candidate
        self.nonscalar = nonscalar
        self.parent: dict[int, int] = {_ONE: _ONE}
        self.shape: dict[str, tuple[int, int]] = {}
        self.bad: set[int] = set()  # dimension classes a conflict touched (by root, later)
        self.where: dict[int, tuple[int, int]] = {}
        self.clash: list[tuple[int, int]] = []  # (line, col) of each conflicting product
        self.bad_names: set[str] = set()  # every name in a product or sum that clashed
        self.touched: set[str] = set()  # names whose shape another name or a ^T constrains

    def fresh(self) -> int:
        n = len(self.parent)
        self.parent[n] = n
        return n

    def find(self, d: int) -> int:
        while self.parent[d] != d:
            self.parent[d] = self.parent[self.parent[d]]
            d = self.parent[d]
        return d

    def unify(self, a: int, b: int, node: ast.Node) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if _ONE in (ra, rb):  # a name's own dimension made 1: a misuse, never a guess
            self.clash.append((node.line or 0, node.col or 0))
            self.bad.add(rb if ra == _ONE else ra)
            self.bad_names.update(n.name for n in ast.walk(node) if isinstance(n, ast.Letter)
                                  and n.name in self.shape)
            return
        self.parent[rb] = ra

    def letter(self, name: str) -> Shape | str:
        if not self.candidate(name):
            plain = not BOLD.fullmatch(name) and name not in self.nonscalar
            return _SCALAR if plain else _UNREAD
        if name not in self.shape:
            inner = BOLD.fullmatch(name)
            letter = inner.group(1) if inner else name
            capital = letter[:1].isupper() or letter in ("\\Sigma", "\\Theta", "\\Phi",
                                                         "\\Lambda", "\\Omega", "\\Psi")
            self.shape[name] = (self.fresh(), self.fresh() if capital else _ONE)
        return self.shape[name]

    def read(self, node: ast.Node | None) -> Shape | str:
        """The shape of ``node`` (None: a scalar; ``_UNREAD``: not read), unifying the
        dimensions its products and sums make one; ``u^T v`` (1 x 1) is a scalar."""
        shape = self._read(node)
        if isinstance(shape, tuple) and shape == (_ONE, _ONE):
            return _SCALAR
        return shape

    def _read(self, node: ast.Node | None) -> Shape | str:
        if node is None:
            return _UNREAD
        if isinstance(node, ast.Num):
            return _SCALAR
        if isinstance(node, ast.Letter):
            return self.letter(node.name)
        if isinstance(node, ast.Postfix) and isinstance(node.base, ast.Letter):
            if node.subs or node.primes:
                return _UNREAD
            base = self.letter(node.base.name)
            if base is _SCALAR or base == _UNREAD:
                return _UNREAD
            assert isinstance(base, tuple)
            if len(node.sups) == 1 and isinstance(node.sups[0], ast.Letter) and (
                node.sups[0].name in TRANSPOSED and node.sups[0].name != "\\prime"
            ):
                self.touched.add(node.base.name)
                return (base[1], base[0])
            return _UNREAD
        if isinstance(node, ast.Group) and node.delim in ("(", "[") and not node.curly and (
            len(node.items) == 1
        ):
            return self.read(node.items[0])
        if isinstance(node, ast.Neg):
            return self.read(node.body)
        if isinstance(node, ast.Norm):
            self.read(node.body)
            return _SCALAR
        if isinstance(node, ast.Frac):
            num, den = self.read(node.num), self.read(node.den)
            return num if den is _SCALAR else _UNREAD
        if isinstance(node, ast.Add):
            return self.same([t for _, t in node.terms], node)
        if isinstance(node, ast.Product):
            return self.product(node)
        if isinstance(node, ast.Chain):
            return self.same(list(node.members), node)
        self.inside(node)
        return _UNREAD

    def inside(self, node: ast.Node) -> None:
        """Read the parts of a construct this module does not read as a whole."""
        for value in vars(node).values():
            for it in value if isinstance(value, tuple) else (value,):
                if isinstance(it, ast.Node):
                    self.read(it)
                elif isinstance(it, tuple):
                    for x in it:
                        if isinstance(x, ast.Node):
                            self.read(x)

    def touch(self, parts: Iterable[ast.Node]) -> None:
        self.touched.update(n.name for p in parts for n in ast.walk(p)
                            if isinstance(n, ast.Letter) and n.name in self.shape)

    def same(self, parts: list[ast.Node], node: ast.Node) -> Shape | str:
        shapes = [self.read(p) for p in parts]
        matrices = [s for s in shapes if isinstance(s, tuple)]
        if len(matrices) > 1:
            self.touch(parts)
        for s in matrices[1:]:
            self.unify(matrices[0][0], s[0], node)
            self.unify(matrices[0][1], s[1], node)
        if matrices:
            return matrices[0]
        return _SCALAR if all(s is _SCALAR for s in shapes) else _UNREAD

    def product(self, node: ast.Product) -> Shape | str:
        out: Shape | str = _SCALAR
        for k, item in enumerate(node.items):
            after = node.items[k + 1] if k + 1 < len(node.items) else None
            if isinstance(item, ast.Letter) and not self.candidate(item.name) and (
                isinstance(after, ast.Group) and after.delim == "("
            ):  # f(x), \sigma(\mathbf{X}\mathbf{w}): a call, its value's shape unread
                out = _UNREAD
                continue
            s = self.read(item)
            if s == _UNREAD or out == _UNREAD:
                out = _UNREAD
                continue
            if s is _SCALAR:
                continue
            assert isinstance(s, tuple)
            if out is _SCALAR:
                out = s
                continue
            assert isinstance(out, tuple)
            self.touch(node.items)
            self.unify(out[1], s[0], node)
            out = (out[0], s[1])
        return out


_SIZES = "DKNMPQRFGHLJ"
_EXTRA = "efghuvstabcl"


def bold_shapes(chains: Iterable[ast.Node], candidate: Callable[[str], bool],
                taken: set[str], nonscalar: set[str] | None = None,
                fixed: dict[str, tuple[str, str]] | None = None,
                matrices: dict[str, tuple[tuple[str, str], tuple[str, str]]] | None = None,
                ) -> Shapes:
    """Shapes of the bold names of ``chains`` for which ``candidate(name)`` holds (names
    nothing else declares, defines or writes with a subscript); ``taken``: the letters the
    notes use or declare (a fresh size or index is none of them); ``nonscalar``: plain
    names known not to be scalars (a product with one of them is not read); ``fixed``:
    vectors already declared, name -> (index letter, size): their length is that size;
    ``matrices``: design matrices to check, name -> ((row index, rows size), (column index,
    columns size)): those whose uses fit go to ``Shapes.aliases``, the others to the
    conflicts."""
    fixed, matrices = fixed or {}, matrices or {}
    reader = _Reader(lambda name: name in fixed or name in matrices or (
        bool(BOLD.fullmatch(name)) and candidate(name)), nonscalar or set())
    by_size: dict[str, int] = {}

    def dim(size: str) -> int:
        if size not in by_size:
            by_size[size] = reader.fresh()
        return by_size[size]

    for name, (_, size) in sorted(fixed.items()):
        reader.shape[name] = (dim(size), _ONE)
    for name in sorted(matrices):  # dimensions of their own: a use must pin them
        reader.shape[name] = (reader.fresh(), reader.fresh())
    for chain in chains:
        reader.read(chain)
    out = Shapes()
    bad = {reader.find(d) for d in reader.bad}
    sizes: dict[int, str] = {}
    letters: dict[int, list[str]] = {}  # per dimension: its index letters, in order
    used = set(taken)
    given: set[int] = set()  # the dimensions of the fixed vectors: sizes already declared
    for name, (index, size) in sorted(fixed.items()):
        root = reader.find(reader.shape[name][0])
        if root in sizes and sizes[root] != size:  # two declared sizes made one
            bad.add(root)
            continue
        sizes[root], letters[root] = size, [index]
        given.add(root)
    pinned = set(given)  # dimensions a declared vector's length decides
    for name, pair in sorted(matrices.items()):
        roots = [reader.find(d) for d in reader.shape[name]]
        (_, rows), (_, cols) = pair
        if name not in reader.touched or rows == cols:
            continue  # written alone, or square: no use can tell its rows from its columns
        fits = not (name in reader.bad_names or any(r in bad for r in roots)) and (
            roots[0] != roots[1]) and all(sizes.get(r, size) == size for r, (_, size) in zip(
                roots, pair, strict=True))
        if fits and not any(r in pinned for r in roots):
            out.conflicts.append(
                f"{name} is written beside the rows of a {rows}x{cols} quantity, but no "
                f"product says whether its rows are the {rows} or the {cols}: declare it "
                f"('% derive: let {name} = ...' or 'tensor ...'); its steps stay unknown "
                f"until then")
            continue
        if not fits:  # w^T X with w over the features: the author's columns are samples
            out.conflicts.append(
                f"{name} is written beside the rows of a {rows}x{cols} quantity but its "
                f"products do not fit a {rows}x{cols} matrix: declare it ('% derive: let "
                f"{name} = ...' or 'tensor ...'); its steps stay unknown until then")
            bad.update(roots)
            continue
        for root, (index, size) in zip(roots, pair, strict=True):
            if root not in sizes:
                sizes[root], letters[root] = size, [index]
                given.add(root)
        out.aliases.append(name)

    def letter(root: int, k: int) -> str | None:
        if root not in sizes:
            size = next((c for c in _SIZES if c not in used and c.lower() not in used), None)
            if size is None:
                return None
            used.update((size, size.lower()))
            sizes[root] = size
            letters[root] = [size.lower()]
        while len(letters[root]) <= k:  # X_{de}: a square matrix's second index
            extra = next((c for c in _EXTRA if c not in used), None)
            if extra is None:
                return None
            used.add(extra)
            letters[root].append(extra)
        return letters[root][k]

    # a bold name alone (\\mathbf{w} in softmax(\\mathbf{w})) says nothing of its length
    for name in sorted((set(reader.shape) & reader.touched) - set(fixed) - set(matrices)):
        dims = [reader.find(d) for d in reader.shape[name] if reader.find(d) != _ONE]
        if name in reader.bad_names or any(d in bad for d in dims):
            line, col = reader.clash[0] if reader.clash else (0, 0)
            out.conflicts.append(
                f"{name} is written as a vector or matrix whose shapes do not fit (at "
                f"{line}:{col}): declare it ('% derive: tensor ...'); its steps stay "
                f"unknown until then")
            continue
        slots = [letter(d, dims[:k].count(d)) for k, d in enumerate(dims)]
        if None in slots:
            continue
        out.tensors.append(f"{name}_{{{''.join(s for s in slots if s)}}}")
        out.names.add(name)
    for root, size in sizes.items():
        if root not in given:
            out.sizes.append(size)
            out.indices.append(f"{', '.join(letters[root])} in 1..{size}")
        elif letters[root][1:]:  # a square matrix's second index over a declared size
            out.indices.append(f"{', '.join(letters[root][1:])} in 1..{size}")
    return out


# a tensor line: its head (x, \\mathbf{x}) and its slot letters
_TENSOR_LINE = re.compile(r"(\\?[A-Za-z]+|\\[a-z]+\{\\?[A-Za-z]+\})_\{([a-z]+)\}")


def _unstyled(name: str) -> str:
    bold = BOLD.fullmatch(name)
    return bold.group(1) if bold else name


def design_matrices(
    names: Iterable[str], directives: Iterable[Directive], taken: Callable[[str], bool],
    size_of: Callable[[str], str | None],
) -> dict[str, tuple[tuple[tuple[str, str], tuple[str, str]], str]]:
    """The bold capitals of ``names`` that may be the design matrix of a two-slot quantity
    of their lower case (``\\mathbf{X}`` beside ``tensor \\mathbf{x}_{id}`` or ``x_{id}``):
    name -> (((row index, rows size), (column index, columns size)), the quantity's head).
    ``taken(name)``: the name has a meaning already (declared, defined, subscripted: never
    a design matrix); ``size_of(letter)``: the size an index letter runs over from 1, or
    None. Two quantities of that lower case (``x_{id}`` and ``\\mathbf{x}_{id}``), a slot
    with no size, one slot or three: no design matrix (which rows would it hold?)."""
    slots: dict[str, str] = {}
    for d in directives:
        m = _TENSOR_LINE.fullmatch(d.rest.strip()) if d.keyword == "tensor" else None
        if m:
            slots[m.group(1)] = m.group(2)
    out: dict[str, tuple[tuple[tuple[str, str], tuple[str, str]], str]] = {}
    for name in sorted(names):
        bold = BOLD.fullmatch(name)
        if bold is None or not re.fullmatch(r"[A-Z]", bold.group(1)) or taken(name) or (
            taken(bold.group(1))
        ):  # X a scalar, a size or X_{ij} elsewhere: not this matrix
            continue
        lower = bold.group(1).lower()
        heads = [h for h in slots if _unstyled(h) == lower]
        if len(heads) != 1 or len(slots[heads[0]]) != 2:
            continue
        (head,) = heads
        sizes = [size_of(letter) for letter in slots[head]]
        if None in sizes:
            continue
        row, col = slots[head]
        out[name] = (((row, str(sizes[0])), (col, str(sizes[1]))), head)
    return out
