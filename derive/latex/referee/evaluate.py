"""The referee's evaluator: a parse tree to numbers at one concrete point (no SymPy).

:data:`NODES` maps each parse-tree node kind to its evaluation; operators (:data:`COMBINE`),
functions (:data:`FUNCS`, :data:`BUILTINS`), relations (:data:`RELS`) and names
(:data:`ROLES`) are one-line entries of their own tables. Sums and products loop over their
exact index sets, ``cases`` rows are chosen by their conditions, a derivative is a central
difference (70 digits) of this evaluator's own value. What it cannot read raises Abstain.
"""

from __future__ import annotations

import itertools
import operator
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from mpmath import MPContext

from derive.latex import ast
from derive.latex.referee.decls import Abstain, Decls, Defn, slots_of, split_slots

__all__ = ["Ambiguous", "Arr", "Empty", "Evaluator", "Key", "M", "Point", "bound_var"]

M = MPContext()
M.dps = 70
STEP = M.mpf("1e-12")  # central differences: error ~ STEP², rounding ~ 1e-70 / STEP^order
EXACT = M.mpf("1e-58")  # tolerance without derivatives (70 digits: rounding ~ 1e-68)
APPROX = M.mpf("1e-12")  # tolerance with central differences
ROLES: dict[str, frozenset[str]] = {k: frozenset(v.split()) for k, v in {  # name -> roles
    "\\partial": "marker operator", "\\delta": "marker", "\\nabla": "operator gradient",
    "\\vdots": "elided", "\\cdots": "elided", "\\ldots": "elided", "\\ddots": "elided",
    "T": "transpose", "\\top": "transpose", "\\intercal": "transpose", "\\prime": "transpose",
    "\\mathbb{1}": "indicator", "\\mathbf{1}": "indicator", "\\boldsymbol{1}": "indicator",
    "\\bm{1}": "indicator", "\\mathbb{I}": "indicator", "I": "indicator"}.items()}
RELS: dict[str, Callable[[int, int], bool]] = {"=": operator.eq, "\\neq": operator.ne}
FUNCS: dict[str, Callable[[Any], Any]] = {"\\log": M.log, "\\ln": M.log, "\\exp": M.exp,
                                          "e^": M.exp}
#: the functions that take a base as their subscript (``\\log_2 x``)
BASES = frozenset({"\\log"})
#: the functions read entry by entry on a vector (never on a matrix: exp(A) may be expm)
ELEMENTWISE = frozenset({"\\log", "\\ln", "\\exp", "e^"})
BUILTINS: dict[str, Callable[[list[Any]], Any]] = {  # functions of a column, \text{name}(v)
    "softmax": lambda xs: Arr([[M.exp(x) / M.fsum(M.exp(y) for y in xs)] for x in xs]),
    "logsumexp": lambda xs: M.log(M.fsum(M.exp(x) for x in xs)),
    "diag": lambda xs: Arr([[x if i == j else M.mpf(0) for j in range(len(xs))]
                            for i, x in enumerate(xs)], True, True)}
#: the identity matrix's spellings: a bare one, times scalars, in a sum with a square matrix
IDENTITY = frozenset({"I", "\\mathbf{I}", "\\mathbb{I}", "\\boldsymbol{I}", "\\bm{I}"})
_STYLED = re.compile(r"^\\(?:mathbf|boldsymbol|bm|vec)\{(\\?[A-Za-z]+)\}$")
# the fonts a vector defined in bold is written in, its entries written plain (the referee's
# own list)
_VECTOR_FONT = re.compile(r"\\(?:mathbf|boldsymbol|bm|vec)\{([^{}]*(?:\{[^{}]*\})?)\}")


def abstain_if(cond: Any, what: str) -> None:
    """A guard: abstain, naming ``what``, when ``cond`` holds."""
    if cond:
        raise Abstain(what)


def _is(name: str, role: str) -> bool:
    return role in ROLES.get(name, ())


class Empty(Exception):
    """The point gives a free index an empty range: the step says nothing there."""


class Ambiguous(Empty):
    """The notation has two readings at this point (``{K, ..., 1}``: descending or empty)."""


@dataclass(frozen=True)
class Key:
    """An input entry (``T``), a scalar (``S``) or a defined entry (``D``) held as a variable."""

    kind: str
    name: Any
    at: tuple


@dataclass
class Arr:
    """A vector or matrix: ``rows``/``cols`` say which axes it has (a column: rows only);
    ``lit`` marks a literal (bmatrix, [a, b]) whose raw shape alone decides products."""

    data: list[list[Any]]
    rows: bool = True
    cols: bool = False
    lit: bool = False

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.data), len(self.data[0]) if self.data else 0

    @property
    def flat(self) -> list[Any]:
        return [x for r in self.data for x in r]

    def map(self, fn: Callable[[Any], Any]) -> Arr:
        return replace(self, data=[[fn(x) for x in row] for row in self.data])


@dataclass
class Point:
    """One instance: sizes, free index values (None: empty range), inputs, scalars."""

    sizes: dict[str, int]
    free: dict[str, int | None]
    tensors: dict[str, dict[tuple[int, ...], Any]]
    scalars: dict[str, Any] = field(default_factory=dict)
    literal: dict[str, Any] = field(default_factory=dict)  # where x = [..]: the bare name
    slopes: dict[tuple, Any] = field(default_factory=dict)  # Evaluator.moved's, drawn once


@dataclass(frozen=True)
class Env:
    bound: dict[str, int] = field(default_factory=dict)
    vals: dict[ast.Node, Any] = field(default_factory=dict)
    prime: ast.Node | None = None
    depth: int = 0
    inferred: bool = False  # the prime's variable read from the context (referee.primes)


# -- the operator table ---------------------------------------------------------------------
def is_arr(v: Any) -> bool:
    return isinstance(v, Arr)


def _dotsum(xs: Any, ys: Any) -> Any:
    return sum((x * y for x, y in zip(xs, ys, strict=True)), M.mpf(0))


def _zip(a: Any, b: Any, fn: Callable[[Any, Any], Any], what: str, kinds: bool = False) -> Any:
    """Entry by entry: two scalars, or two arrays of one shape (and, with ``kinds``, one
    orientation unless one is a literal)."""
    if not is_arr(a) and not is_arr(b):
        return fn(a, b)
    if not (is_arr(a) and is_arr(b)) or a.shape != b.shape or (
            kinds and not (a.lit or b.lit) and (a.rows, a.cols) != (b.rows, b.cols)):
        raise Abstain(what)
    return replace(a, data=[[fn(x, y) for x, y in zip(r, s, strict=True)]
                            for r, s in zip(a.data, b.data, strict=True)])


def _vector(v: Arr) -> bool:
    return 1 in v.shape if v.lit else v.rows != v.cols


def add(a: Any, b: Any, sign: int = 1) -> Any:
    if is_arr(a) != is_arr(b):  # a scalar and a vector: added to every entry (not a matrix)
        abstain_if(not _vector(a if is_arr(a) else b), "a matrix plus a scalar")
        return a.map(lambda x: x + sign * b) if is_arr(a) else b.map(lambda x: a + sign * x)
    return _zip(a, b, lambda x, y: x + sign * y, "a sum of terms of different shapes", True)


def scale(a: Any, s: Any) -> Any:
    return a.map(lambda x: x * s) if is_arr(a) else a * s


def transpose(a: Any) -> Any:
    abstain_if(not is_arr(a), "a transpose of a scalar")
    return Arr([list(c) for c in zip(*a.data, strict=True)], a.cols, a.rows, a.lit)


def matmul(a: Any, b: Any, dot: bool = False) -> Any:
    """Scaling; under ``\\cdot`` the inner product of like vectors; column × row = outer
    product; else the matrix product (a literal's raw shape alone decides)."""
    if not is_arr(a) or not is_arr(b):
        return scale(b, a) if not is_arr(a) else scale(a, b)
    (ra, ca), (rb, cb) = a.shape, b.shape
    if a.lit or b.lit:
        if dot and 1 in (ra, ca) and (ra, ca) == (rb, cb):
            return _dotsum(a.flat, b.flat)
        rows, cols, scalar = True, True, (ra, cb) == (1, 1)
    elif dot and a.rows != a.cols and (a.rows, a.cols) == (b.rows, b.cols):
        abstain_if(len(a.flat) != len(b.flat), "an inner product of vectors of different lengths")
        return _dotsum(a.flat, b.flat)
    elif not a.cols and not b.rows:  # column times row
        return Arr([[x * y for y in b.flat] for x in a.flat], a.rows, b.cols)
    elif not (a.cols and b.rows):
        raise Abstain("a product of two vectors of the same orientation")
    else:
        rows, cols, scalar = a.rows, b.cols, not a.rows and not b.cols
    abstain_if(ca != rb, "a matrix product of mismatched sizes")
    out = [[_dotsum(r, c) for c in zip(*b.data, strict=True)] for r in a.data]
    return out[0][0] if scalar else Arr(out, rows, cols, a.lit or b.lit)


def outer(a: Any, b: Any) -> Any:
    if not (is_arr(a) and is_arr(b)) or 1 not in a.shape or 1 not in b.shape:
        raise Abstain("\\otimes of non-vectors")
    return Arr([[x * y for y in b.flat] for x in a.flat], True, True)


def divide(a: Any, b: Any) -> Any:
    """By a scalar; by a vector entry by entry (a scalar over it, or a vector of its shape)."""
    if not is_arr(b):
        return scale(a, 1 / b)
    abstain_if(not _vector(b) or (is_arr(a) and not _vector(a)), "division by a matrix")
    return b.map(lambda y: a / y) if not is_arr(a) else _zip(
        a, b, operator.truediv, "entrywise division of different shapes", True)


def times(a: Any, b: Any) -> Any:
    """``\\times``, ``*``: as ``\\cdot`` except between two vectors (cross, entrywise, inner)."""
    abstain_if(is_arr(a) and is_arr(b) and _vector(a) and _vector(b), "× or * of two vectors")
    return matmul(a, b, dot=True)


def _pow(base: Any, exponent: Any) -> Any:
    abstain_if(is_arr(base) or is_arr(exponent), "a power of a vector or matrix")
    if exponent == int(M.re(exponent)) and M.im(exponent) == 0 and abs(exponent) < 10**6:
        return base ** int(M.re(exponent))
    return M.exp(exponent * M.log(base))


def apply(name: str, v: Any) -> Any:
    """The function spelt ``name`` of a scalar, or entry by entry of a vector."""
    abstain_if(is_arr(v) and (name not in ELEMENTWISE or (
        1 not in v.shape if v.lit else v.rows == v.cols)), f"{name} of a matrix")
    return v.map(FUNCS[name]) if is_arr(v) else FUNCS[name](v)


# What two factors written side by side, or joined by an operator, make.
COMBINE: dict[str | None, Callable[[Any, Any], Any]] = {
    None: matmul, "\\cdot": partial(matmul, dot=True), "\\times": times, "\\otimes": outer,
    "/": divide,
    "\\odot": lambda a, b: _zip(a, b, operator.mul, "\\odot of different shapes")
    if is_arr(a) and is_arr(b) else matmul(a, b)}


def _items(node: ast.Node | None) -> tuple[ast.Node, ...]:
    return node.items if isinstance(node, ast.Product) else ((node,) if node is not None else ())


def _gap(node: ast.Node) -> bool:
    return isinstance(node, ast.Letter) and _is(node.name, "elided")


def _marker(node: ast.Node | None) -> bool:
    return isinstance(node, ast.Letter) and _is(node.name, "marker")


def _power(node: ast.Node) -> int:
    """n for a symbol written to a whole power n (``x_k^2``, ``\\partial^2``), else 0."""
    if isinstance(node, ast.Postfix) and len(node.sups) == 1 and isinstance(
            node.sups[0], ast.Num) and node.sups[0].text.isdigit():
        return int(node.sups[0].text)
    return 0


def _signed(num: ast.Node | None) -> tuple[Any, ast.Node] | None:
    """``- 2 \\partial f``: the sign and numbers a Leibniz numerator opens with, and the
    rest; None when there are none or nothing follows them."""
    factor: Any = M.mpf(1)
    if isinstance(num, ast.Neg):
        factor, num = -factor, num.body
    elif isinstance(num, ast.Add) and len(num.terms) == 1:
        factor, num = (-factor if num.terms[0][0] == "-" else factor), num.terms[0][1]
    items = _items(num)
    lead = list(itertools.takewhile(lambda it: isinstance(it, ast.Num), items))
    for it in lead:
        factor *= M.mpf(it.text)  # type: ignore[union-attr]
    rest = items[len(lead):]
    if not rest or (factor == 1 and not lead):
        return None
    return factor, (rest[0] if len(rest) == 1 else ast.Product(items=rest))


def _differentiated(node: ast.Node, paren: bool = False) -> str | None:
    """The name a ``d`` before ``node`` is the differential of (``z``, ``x_i``, ``\\ell``);
    with ``paren``, ``"("`` for a parenthesis (``d(Xw)``); None for anything else."""
    if paren and isinstance(node, ast.Group) and node.delim == "(" and len(node.items) == 1:
        return "("
    base = node.base if isinstance(node, ast.Postfix) else node
    if not isinstance(base, ast.Letter) or base.name in ("d", "e") or _is(
            base.name, "operator") or _is(base.name, "marker") or _is(base.name, "elided"):
        return None
    return base.name


def _paren(node: ast.Node | None) -> bool:
    return isinstance(node, ast.Group) and node.delim == "("


def _call_parens(rest: tuple[ast.Node, ...]) -> tuple[ast.Group | None, tuple[ast.Node, ...]]:
    """The parenthesis right after a name (``f(a, b)``, ``f(a)^2``) and its powers."""
    arg = rest[0] if rest else None
    if isinstance(arg, ast.Postfix) and not (arg.subs or arg.primes) and isinstance(
            arg.base, ast.Group):  # f(x)': the prime is on the call, never its argument list
        return (arg.base if _paren(arg.base) else None), arg.sups
    return (arg if _paren(arg) else None), ()  # type: ignore[return-value]


class Evaluator:
    """Values of parse trees under the declarations at one :class:`Point`."""

    def __init__(self, decls: Decls, point: Point, hint: frozenset[str] = frozenset()) -> None:
        self.d, self.p = decls, point
        self.hint = hint  # letters free in the chain's other members (a \sum without index)
        self.over: dict[Key, Any] = {}  # entries held perturbed (a central difference)
        self.memo: dict[tuple, Any] = {}  # defined entries' values, by what they read
        self.locating = False  # evaluating the variable of a derivative: keys, not values
        self.approx = False  # set once a derivative is taken by central differences
        self.entry_vars: dict[str, str] = {}  # \partial_j S_i(\mathbf z): by z_j
        self.origin: dict[Key, Any] = {}  # a variable's value before it is moved
        self.varying: tuple[str, ...] = ()  # the inputs the chain writes a differential of

    def learn_entry_vars(self, members: tuple[ast.Node, ...]) -> None:
        r"""``\partial_j X(\mathbf z)`` anywhere in the chain: ``\partial_j`` is ∂/∂z_j."""
        for n in (n for m in members for n in ast.walk(m) if isinstance(n, ast.Product)):
            for a, _, c in zip(n.items, n.items[1:], n.items[2:], strict=False):
                if isinstance(a, ast.Postfix) and isinstance(a.base, ast.Letter) and (
                        _is(a.base.name, "operator") and len(a.subs) == 1
                        and isinstance(a.subs[0], ast.Letter) and a.subs[0].name
                        in self.d.indices and _paren(c) and len(c.items) == 1
                        and isinstance(c.items[0], ast.Letter)) and len(
                        self.d.tensors.get(name := self.plain(c.items[0].name), ())) == 1:
                    self.entry_vars[a.subs[0].name] = name

    def learn_differentials(self, members: tuple[ast.Node, ...]) -> None:
        """``dz``, ``dW`` anywhere in the chain, ``z``, ``W`` inputs: what its differentials
        vary (``d`` a letter the notes give no meaning of its own)."""
        if not self.upright_d(ast.Letter(name="d")):
            return
        found: list[str] = []
        if not all(any(isinstance(n, ast.Product) and any(
                a == ast.Letter(name="d") and _differentiated(b, True) is not None
                for a, b in itertools.pairwise(n.items)) for n in ast.walk(m)) for m in members):
            return  # dw = X(a - y)^T: a member without a differential, dw a gradient's name
        for n in (n for m in members for n in ast.walk(m) if isinstance(n, ast.Product)):
            items = [it.operand if isinstance(it, ast.Op) else it for it in n.items]
            for a, b in itertools.pairwise(items):
                name = _differentiated(b) if a == ast.Letter(name="d") else None
                if name is not None and name not in found and name not in self.d.defs and (
                        name in self.d.tensors or name in self.d.scalars):
                    found.append(name)
        self.varying = tuple(found)

    def differential(self, node: ast.Node, env: Env) -> Any:
        """``dY``: a central difference of ``Y`` along a random direction of the one input
        the chain varies (the same direction, per point, in every member)."""
        abstain_if(len(self.varying) != 1, "a differential where the chain varies no one input")
        name = self.varying[0]
        if name in self.d.tensors:
            keys = [Key("T", name, at) for at in itertools.product(*(
                range(lo, hi + 1) for lo, hi in map(self.rng, self.d.tensors[name])))]
        else:
            keys = [Key("S", name, ())]
        sizes = sorted(self.p.sizes.items())
        way = {k: self.p.slopes.setdefault(("d", k), M.mpf(round(random.Random(repr(
            ("d", k, sizes))).uniform(-1.5, 1.5), 3))) for k in keys}
        self.approx = True
        start = {k: self.over[k] if k in self.over else self._base_value(k, env) for k in keys}
        for k, x0 in start.items():
            self.origin.setdefault(k, x0)
        old = dict(self.over)
        try:
            self.over.update({k: start[k] + STEP * way[k] for k in keys})
            up = self.value(node, env)
            self.over.update({k: start[k] - STEP * way[k] for k in keys})
            down = self.value(node, env)
        finally:
            self.over = old
        abstain_if(is_arr(up) != is_arr(down), "a differential of another shape either side")
        width = 2 * STEP
        if is_arr(up):
            return replace(up, data=[[(u - w) / width for u, w in zip(r, t, strict=True)]
                                     for r, t in zip(up.data, down.data, strict=True)])
        return (up - down) / width

    # -- indices and ranges ---------------------------------------------------------------
    def bound_value(self, text: str) -> int:
        if text.isdigit() or text in self.p.sizes:
            return int(text) if text.isdigit() else self.p.sizes[text]
        raise Abstain(f"a range bound {text!r}")

    def rng(self, letter: str) -> tuple[int, int]:
        lo, hi = self.d.indices[letter]
        return self.bound_value(lo), self.bound_value(hi)

    def free(self, name: str) -> int:
        v = self.p.free.get(name)
        if v is None:
            raise Empty(name)
        return v

    def index(self, node: ast.Node, env: Env) -> int:
        if isinstance(node, ast.Letter) and node.name in env.bound and node not in env.vals and (
                node.name not in self.p.literal and self.plain(node.name) == node.name):
            return env.bound[node.name]  # what value() reads for a bound letter, sooner
        if isinstance(node, ast.Letter) and node.name not in env.bound and (
                node.name in self.d.indices):
            return self.free(node.name)
        locating, self.locating = self.locating, False
        try:
            v = self.value(node, env)
        finally:
            self.locating = locating
        if is_arr(v) or M.im(v) != 0 or M.re(v) != int(M.re(v)):
            raise Abstain("an index that is not a whole number")
        return int(M.re(v))

    def indicator(self, cond: ast.Node, env: Env) -> Any:
        while isinstance(cond, ast.Group) and len(cond.items) == 1:
            cond = cond.items[0]
        if not (isinstance(cond, ast.Rel) and cond.op in RELS):
            raise Abstain("an indicator or condition that is not i = j or i \\neq j")
        return M.mpf(int(RELS[cond.op](self.index(cond.lhs, env),  # type: ignore[arg-type]
                                       self.index(cond.rhs, env))))  # type: ignore[arg-type]

    # -- the node table (NODES, below the class) ------------------------------------------
    def value(self, node: ast.Node, env: Env) -> Any:
        if env.depth > 40 or type(node) not in NODES:
            raise Abstain("a definition that refers to itself" if env.depth > 40 else
                          f"a {type(node).__name__} here")
        return NODES[type(node)](self, node, env)

    def letter(self, node: ast.Letter, env: Env) -> Any:
        abstain_if(_is(node.name, "elided"), f"entries elided with {node.name}")
        return self.atom(node, node.name, (), (), None, env)

    def terms(self, node: ast.Add, env: Env) -> Any:
        if any(_gap(t) for _, t in node.terms):
            return self.dotted_terms(node.terms, env)
        total: Any = None
        eyes: list[tuple[int, tuple[ast.Node, ...]]] = []  # s * (factors) * I, sized below
        for sign, term in node.terms:
            s = -1 if sign == "-" else 1
            factors = self._identity_factors(term)
            if factors is not None:
                eyes.append((s, factors))
                continue
            v = self.value(term, env)
            total = scale(v, s) if total is None else add(total, v, s)
        for s, factors in eyes:
            abstain_if(not is_arr(total) or total.shape[0] != total.shape[1]
                       or not (total.lit or (total.rows and total.cols)),
                       "an identity matrix beside no square matrix")
            c = M.mpf(s)
            for f in factors:
                v = self.value(f, env)
                abstain_if(is_arr(v), "an identity matrix times a vector or matrix")
                c *= v
            n = total.shape[0]
            total = add(total, replace(total, data=[[c if i == j else M.mpf(0)
                                                     for j in range(n)] for i in range(n)]))
        return total

    def _identity_factors(self, term: ast.Node) -> tuple[ast.Node, ...] | None:
        """The scalar factors of a term that is a multiple of the identity (``\\lambda I``,
        ``2 \\cdot \\mathbf{I}``, ``I``: its name bare, last, once, not the notes' own)."""
        def eye(n: Any) -> bool:
            return isinstance(n, ast.Letter) and n.name in IDENTITY and not any(
                n.name in t for t in (self.d.tensors, self.d.scalars, self.d.defs,
                                      self.d.sizes, self.d.indices))
        if eye(term):
            return ()
        if not isinstance(term, ast.Product) or not term.items:
            return None
        last = term.items[-1]
        if isinstance(last, ast.Op) and last.op in ("\\cdot", "\\times"):
            last = last.operand
        if not eye(last) or sum(eye(n) for n in ast.walk(term)) != 1:
            return None
        return term.items[:-1]

    def dotted_terms(self, terms: tuple[tuple[str, ast.Node], ...], env: Env) -> Any:
        """``T_1 + T_2 + \\dots + T_n``: the first term at 1 (or 0), 2, ..., n, where the last
        term is the first with one label n in every place of its subscript numeral; one term
        ``E`` between two runs of dots is the exception at the one letter i its subscripts
        name (i running over the same range): the pattern at every r but i, plus E. Terms
        after the last are added as written."""
        gaps = [n for n, (_, t) in enumerate(terms) if _gap(t)]
        g = gaps[0]
        last, exc = (g + 1, None) if len(gaps) == 1 else (g + 3, g + 1)
        abstain_if(len(gaps) > 2 or (len(gaps) == 2 and gaps[1] != g + 2) or g < 1
                   or last >= len(terms) or any(s != "+" for s, _ in terms[:last + 1]),
                   "a sum with dots of another form")
        first, final = terms[0][1], terms[last][1]
        for start in (1, 0):
            label = _last_label(first, final, str(start))
            if label is None or label == _num(start):
                continue
            abstain_if(any(_subst(first, {str(start): _num(start + m)}) != t for m, (_, t) in
                           enumerate(terms[:g])), "a sum with dots of another pattern")
            hi = self.index(label, env)
            skip = None
            if exc is not None:
                skip = self.exception_at(terms[exc][1], label, start, env)
            total: Any = M.mpf(0)
            for r in range(start, hi + 1):
                if r != skip:
                    total = add(total, self.value(_subst(first, {str(start): _num(r)}), env))
            for sign, term in ((("+", terms[exc][1]),) if exc is not None else ()) + tuple(
                    terms[last + 1:]):
                total = add(total, self.value(term, env), -1 if sign == "-" else 1)
            return total
        raise Abstain("a sum with dots whose last term does not follow its first")

    def run(self, written: list[ast.Node], last: ast.Node, env: Env, starts: tuple[int, ...] = (1,),
            size: bool = True) -> list[Any]:
        """``a_1, a_2, \\ldots, a_n``: the first entry with its subscript numeral read as
        start, start + 1, ... up to the one label the last entry has in its place (with
        ``size``: a declared size); every written entry must follow that pattern."""
        for start in starts:
            label = _last_label(written[0], last, str(start))
            if label is None or label == _num(start):
                continue
            abstain_if(any(_subst(written[0], {str(start): _num(start + m)}) != t for m, t in
                           enumerate(written)), "entries with dots that follow no one pattern")
            abstain_if(size and not (isinstance(label, ast.Letter) and label.name in self.d.sizes),
                       "entries with dots up to something other than a declared size")
            return [self.value(_subst(written[0], {str(start): _num(r)}), env)
                    for r in range(start, self.index(label, env) + 1)]
        raise Abstain("entries with dots whose last does not follow the first")

    def exception_at(self, term: ast.Node, label: ast.Node, start: int, env: Env) -> int:
        """The value of the one letter the subscripts of ``term`` name (not the label's),
        a free index declared to run over ``start``..``label`` (as written)."""
        skip = {n.name for n in ast.walk(label) if isinstance(n, ast.Letter)}
        names = {n.name for p in ast.walk(term) if isinstance(p, ast.Postfix)
                 for s in p.subs for n in ast.walk(s)
                 if isinstance(n, ast.Letter) and n.name not in skip}
        abstain_if(len(names) != 1, "a term between dots naming no one index")
        (name,) = names
        written = label.name if isinstance(label, ast.Letter) else (
            label.text if isinstance(label, ast.Num) else None)
        abstain_if(name not in self.d.indices or name in env.bound
                   or self.d.indices[name] != (str(start), written),
                   "a term between dots at an index of another range")
        return self.free(name)

    def group(self, node: ast.Group, env: Env) -> Any:
        if node.delim == "over" or (len(node.items) == 1 and node.delim in "({["):
            only = node.items[0]
            return self.indicator(only, env) if isinstance(only, ast.Rel) else self.value(
                only, env)
        if node.delim == "!":  # y!: the factorial (Γ(y + 1) off the integers)
            x = self.value(node.items[0], env)
            abstain_if(is_arr(x), "a factorial of a vector")
            return M.factorial(x)
        if node.delim == "langle":  # \langle u, v \rangle: like vectors' entries, summed
            u, v = (self.value(it, env) for it in node.items)
            if not is_arr(u) and not is_arr(v):
                return u * v
            abstain_if(not (is_arr(u) and is_arr(v)) or 1 not in u.shape or 1 not in v.shape
                       or len(u.flat) != len(v.flat),
                       "an inner product of other than two vectors of one length")
            return _dotsum(u.flat, v.flat)
        if node.delim == ":":  # A:B, Frobenius: entries of two arrays of one shape, summed
            u, v = (self.value(it, env) for it in node.items)
            abstain_if(not (is_arr(u) and is_arr(v)) or u.shape != v.shape
                       or ((u.rows, u.cols) != (v.rows, v.cols) and not (u.lit or v.lit)),
                       "':' between other than two vectors or matrices of one shape")
            return _dotsum(u.flat, v.flat)
        if node.delim in "([" and any(map(_gap, node.items)):
            return self.dotted_list(node, env)
        abstain_if(node.delim != "[", "a comma-separated list outside a function call")
        vals = [self.value(it, env) for it in node.items]
        abstain_if(any(map(is_arr, vals)), "a bracket list of non-scalars")
        return Arr([vals], True, True, True)

    def matrix(self, node: ast.Matrix, env: Env) -> Any:
        if any(_gap(c) for r in node.rows for c in r):
            return self.dotted(node, env)
        rows = []
        for row in node.rows:
            cells: list[Any] = []
            for v in (self.value(cell, env) for cell in row):
                if is_arr(v) and not (v.lit and v.shape[0] == 1):
                    raise Abstain("a matrix cell holding a vector")
                cells.extend(v.data[0] if is_arr(v) else [v])
            rows.append(cells)
        abstain_if(len({len(r) for r in rows}) != 1, "matrix rows of different lengths")
        return rows[0][0] if (len(rows), len(rows[0])) == (1, 1) else Arr(rows, True, True, True)

    def dotted(self, node: ast.Matrix, env: Env) -> Any:
        """A column ``[a_1; a_2; \\vdots; a_m]`` or a grid with ``\\cdots``/``\\vdots``: the
        pattern its first entries show, written out at the instance's sizes; every written
        entry must follow it and the last label must be a declared size."""
        rows = list(node.rows)
        if all(len(r) == 1 for r in rows):
            cells = [r[0] for r in rows]
            if [n for n, c in enumerate(cells) if _gap(c)] != [len(cells) - 2] or len(cells) < 3:
                raise Abstain("a \\vdots column of another form")
            out = self.run(cells[:-2], cells[-1], env)
            if not any(map(is_arr, out)):
                return Arr([[v] for v in out], True, False)
            if all(is_arr(v) and not v.cols and not v.lit for v in out):
                return Arr([[x[0] for x in v.data] for v in out], True, True)
            raise Abstain("a \\vdots column of non-vectors")
        written = [r for r in rows if not all(_gap(c) for c in r)]
        if not (len(rows) - len(written) == 1 and all(_gap(c) for c in rows[-2])
                and len(written) >= 3 and all(
                    len(r) == len(written[0]) and len(r) >= 4 and _gap(r[-2])
                    and not any(_gap(c) for c in (*r[:-2], r[-1])) for r in written)):
            raise Abstain("a matrix with dots of another form")
        first, off = written[0][0], written[0][1]
        last_r = self.dotted_name(off, written[-1][1], "1")
        last_c = self.dotted_name(off, written[0][-1], "2")
        labels_r = [*map(_num, range(1, len(written))), ast.Letter(name=last_r)]
        labels_c = [*map(_num, range(1, len(written[0]) - 1)), ast.Letter(name=last_c)]

        def entry(li: ast.Node, lj: ast.Node) -> ast.Node:
            return _subst(first, {"1": li}) if last_r == last_c and li == lj else _subst(
                off, {"1": li, "2": lj})

        if any(entry(labels_r[i], labels_c[j]) != cell for i, row in enumerate(written)
               for j, cell in enumerate((*row[:-2], row[-1]))):
            raise Abstain("a matrix with dots whose entries do not follow one pattern")
        data = [[self.value(entry(_num(r), _num(c)), env) for c in range(
            1, self.p.sizes[last_c] + 1)] for r in range(1, self.p.sizes[last_r] + 1)]
        if any(is_arr(v) for row in data for v in row):
            raise Abstain("a matrix with dots whose entries are not numbers")
        return Arr(data, True, True)

    def dotted_list(self, node: ast.Group, env: Env) -> Any:
        """``(x_1, \\ldots, x_n)``, ``\\{x_1, \\ldots, x_n\\}`` (a column; ``[...]`` a row):
        :meth:`run` with no entry between the first and the dots."""
        items = node.items
        abstain_if(len(items) != 3 or not _gap(items[1]), "a list with dots of another form")
        vals = self.run([items[0]], items[-1], env)
        abstain_if(any(map(is_arr, vals)), "a list with dots whose entries are not numbers")
        if node.delim == "[" and not node.curly:
            return Arr([vals], False, True)
        return Arr([[v] for v in vals], True, False)

    def dotted_name(self, first: ast.Node, last: ast.Node, numeral: str) -> str:
        label = _last_label(first, last, numeral)
        abstain_if(not (isinstance(label, ast.Letter) and label.name in self.d.sizes),
                   "a dotted matrix whose last label is not a declared size")
        return label.name  # type: ignore[union-attr]

    def cases(self, node: ast.Cases, env: Env) -> Any:
        """The rows whose condition holds (``otherwise``: when none does); rows that apply
        together must agree, else the notation is ambiguous here."""
        hold = [v for v, c in node.rows if c is not None and self.indicator(c, env) == 1]
        hold = hold or [v for v, c in node.rows if c is None]
        abstain_if(not hold, "cases where no row applies")
        vals = [self.value(v, env) for v in hold]
        if any(not close(vals[0], v) for v in vals[1:]):
            raise Abstain("cases rows that overlap and disagree")
        return vals[0]

    def frac(self, node: ast.Frac, env: Env) -> Any:
        parts = self.derivative_parts(node)
        if parts is None and (lead := _signed(node.num)) is not None:
            scaled = self.derivative_parts(replace(node, num=lead[1]))
            if scaled is not None and scaled[0]:  # \frac{- \partial L}{\partial p}: -∂L/∂p
                return scale(self.derivatives(scaled[0], scaled[1], env), lead[0])
        if parts is None:
            return divide(self.value(node.num, env), self.value(node.den, env))  # type: ignore[arg-type]
        abstain_if(not parts[0], "a derivative operator with nothing to act on")
        return self.derivatives(parts[0], parts[1], env, node.layout)

    def postfix(self, node: ast.Postfix, env: Env) -> Any:
        """A symbol with scripts: a name (its slots and powers), or an entry and powers of
        a bracket, a norm's powers, a prime (a derivative by the declared variable)."""
        base = node.base
        if node.primes:
            return self.primed(node, env)
        if isinstance(base, ast.Letter):
            slots, powers = self.split(node)
            if slots and not powers and _is(base.name, "operator"):
                raise Abstain(f"{base.name} with nothing to act on")
            return self.atom(node, base.name, slots, powers, None, env)
        if isinstance(base, ast.Norm):
            return self.powers(self.norm(base, node.subs, env), node.sups, env)
        if isinstance(base, ast.Group) and base.delim == "over":
            return self.value(base.items[0], env)
        inner = self.value(base, env)  # type: ignore[arg-type]
        picked = self.entry_of(inner, node.subs[0], env) if node.subs else inner
        return self.powers(picked, node.sups, env)

    def entry_of(self, val: Any, sub: ast.Node, env: Env) -> Any:
        """``(x (s - y)^\\top)_{dk}``: entry (d, k) of a bracketed vector or matrix; a slot
        counts from its range's start (1 when the letter is bound or no index)."""
        if not is_arr(val) or val.lit:
            raise Abstain("a subscript on a bracket that is not a vector or matrix")
        slots, axes = slots_of(sub), [n for n, has in enumerate((val.rows, val.cols)) if has]
        abstain_if(len(slots) != len(axes), "an entry with the wrong number of indices")
        pos = [0, 0]
        for slot, ax in zip(slots, axes, strict=True):
            pos[ax] = -(self.rng(slot.name)[0] if isinstance(slot, ast.Letter) and (
                slot.name in self.d.indices and slot.name not in env.bound) else 1) + self.index(
                slot, env)
        if not (0 <= pos[0] < val.shape[0] and 0 <= pos[1] < val.shape[1]):
            raise Empty("an entry outside its vector or matrix at these sizes")
        return val.data[pos[0]][pos[1]]

    # -- names ----------------------------------------------------------------------------
    def plain(self, head: str) -> str:
        """``\\mathbf{o}`` is ``o`` when only ``o`` is known (the font is decoration)."""
        d, key = self.d, ("plain", head)
        if key not in d.cache:
            d.cache[key] = next((name for name in (head, _STYLED.sub(r"\1", head)) if any(
                name in known for known in (d.tensors, d.defs, d.scalars, d.sizes, d.indices))),
                head)
        return d.cache[key]

    def split(self, node: ast.Postfix) -> tuple[tuple[ast.Node, ...], tuple[ast.Node, ...]]:
        """:func:`split_slots` of ``node``, once per node (the node kept, so its id is its)."""
        key = ("split", id(node))
        if key not in self.d.cache or self.d.cache[key][0] is not node:
            self.d.cache[key] = node, split_slots(node, self.d.indices)
        return self.d.cache[key][1]

    def atom(self, node: ast.Node, head: str, subs: tuple[ast.Node, ...],
             sups: tuple[ast.Node, ...], args: tuple[ast.Node, ...] | None, env: Env) -> Any:
        """A name with its index slots, powers and (for a function) arguments."""
        if args is None and isinstance(node, ast.Letter) and node in env.vals:
            return env.vals[node]
        if args is None and isinstance(node, ast.Postfix) and node.base in env.vals:
            val = env.vals[node.base]  # x^2 in the body of f(x); A_{ii} in tr(A) called as tr(B)
            return self.powers(self.argument_entry(head, val, subs, env) if subs else val,
                               sups, env)
        if args is None and isinstance(node, ast.Letter) and node.name in self.p.literal:
            return self.p.literal[node.name]
        head = self.plain(head)
        if head == "e" and sups and not subs and args is None and not (
                "e" in self.d.scalars or "e" in self.d.tensors
                or any(not defn.slots for defn in self.d.defs.get("e", []))):
            # e^{z_e}: Euler's number, even as an index or beside a defined vector e_k
            return self.powers(M.e, sups, env)
        if not subs and args is None and head in env.bound:  # k^2 under \sum_k
            return self.powers(M.mpf(env.bound[head]), sups, env)
        for use_sups, rest in ((sups, ()), ((), sups)):
            found = self.match(head, subs, use_sups, args, env)
            if found is not None:
                return self.powers(self.expand(*found, env), rest, env)
        abstain_if(args is not None, f"{head} called with arguments it is not defined with")
        return self.powers(self.name(head, subs, env), sups, env)

    def name(self, head: str, subs: tuple[ast.Node, ...], env: Env) -> Any:
        d = self.d
        if head in d.tensors:
            return self.tensor(head, subs, env)
        if subs and head == "\\delta" and len(subs) == 2:
            return M.mpf(int(self.index(subs[0], env) == self.index(subs[1], env)))
        if subs and _is(head, "indicator") and len(subs) == 1:
            return self.indicator(subs[0], env)
        whole = [x for name in ([head] if head in d.defs else [  # p_i beside \mathbf{p}
            n for n in d.defs if _VECTOR_FONT.sub(r"\1", n) == head != n])
            for x in d.defs.get(name, []) if not x.slots and x.params is None and not x.powers]
        if subs and whole:  # p_i where p = softmax(z) is defined: its entry
            return self.defined_entry(head, whole[0], subs, env)
        abstain_if(subs, f"the undeclared {head}_{{...}}")
        if head in d.scalars:
            key = Key("S", head, ())
            return key if self.locating else self.over[key] if key in self.over else (
                self.moved(key, self.p.scalars[head]))
        if head in d.indices or head in d.sizes:
            return M.mpf(self.free(head) if head in d.indices else self.p.sizes[head])
        for defn in d.defs.get(head, []):  # a bare s where s_j is defined: its vector
            if len(defn.slots) == 1 and not defn.powers and defn.params is None and isinstance(
                    defn.slots[0], ast.Letter) and defn.slots[0].name in d.indices:
                lo, hi = self.rng(defn.slots[0].name)
                col = [self.expand(defn, {defn.slots[0].name: k}, {}, env)
                       for k in range(lo, hi + 1)]
                abstain_if(any(map(is_arr, col)) or not col, f"the vector {head}")
                return Arr([[v] for v in col], True, False)
        if head == "e":
            return M.e
        raise Abstain(f"the undeclared symbol {head}")

    def defined_entry(self, head: str, defn: Defn, subs: tuple[ast.Node, ...], env: Env) -> Any:
        """Entry ``subs`` of the vector or matrix a ``let`` without indices defines ``head``
        as; abstains unless each index is a letter inside its axis (a free letter over
        exactly that axis)."""
        val = self.expand(defn, {}, {}, env)
        if self.locating and not is_arr(val):
            return val  # where it is read: the definition's key stands for its entries
        abstain_if(not is_arr(val) or val.lit, f"{head}_{{...}} of a {head} that is no vector")
        axes = [n for n, on in zip(val.shape, (val.rows, val.cols), strict=True) if on]
        abstain_if(len(axes) != len(subs), f"{head} with another number of indices")
        at = []
        for size, sub in zip(axes, subs, strict=True):
            abstain_if(not isinstance(sub, ast.Letter), f"{head} at an index not a letter")
            assert isinstance(sub, ast.Letter)
            if sub.name not in env.bound:
                abstain_if(sub.name not in self.d.indices or self.rng(sub.name) != (1, size),
                           f"{head}_{sub.name} with {sub.name} over another range")
            k = self.index(sub, env)
            abstain_if(not 1 <= k <= size, f"{head} at {k}, outside its length {size}")
            at.append(k - 1)
        if val.rows and val.cols:
            return val.data[at[0]][at[1]]
        return val.data[at[0]][0] if val.rows else val.data[0][at[0]]

    def argument_entry(self, head: str, val: Any, subs: tuple[ast.Node, ...], env: Env) -> Any:
        """``A_{ij}`` in the body of a function whose parameter ``A`` is a declared tensor,
        called with another argument: that argument's entry, each slot counted from the
        start of the parameter's declared range; an argument of another shape abstains."""
        slots = self.d.tensors.get(self.plain(head), ())
        axes = [n for n, has in enumerate((val.rows, val.cols)) if has] if is_arr(val) else []
        abstain_if(not is_arr(val) or val.lit or not len(subs) == len(slots) == len(axes),
                   f"{head}_{{...}} in a definition called with an argument of another shape")
        pos = [0, 0]
        for slot, sub, ax in zip(slots, subs, axes, strict=True):
            lo, hi = self.rng(slot)
            abstain_if(hi - lo + 1 != val.shape[ax],
                       f"{head}_{{...}} in a definition called with an argument of another size")
            pos[ax] = self.index(sub, env) - lo
        abstain_if(not (0 <= pos[0] < val.shape[0] and 0 <= pos[1] < val.shape[1]),
                   f"{head} at an entry outside its declared range")
        return val.data[pos[0]][pos[1]]

    def tensor(self, head: str, subs: tuple[ast.Node, ...], env: Env) -> Any:
        """An entry of an input, or its column/matrix where slots are left free."""
        slots = self.d.tensors[head]
        abstain_if(len(subs) > len(slots), f"{head} with too many indices")
        fixed = [self.index(subs[p], env) if p < len(subs) and not isinstance(
            subs[p], ast.Free) else None for p in range(len(slots))]
        free = [p for p, v in enumerate(fixed) if v is None]
        abstain_if(len(free) > 2, f"{head} with more than two free slots")

        def entry(*vals: int) -> Any:
            at = list(fixed)
            for p, v in zip(free, vals, strict=True):
                at[p] = v
            key = Key("T", head, tuple(at))
            if self.locating or key in self.over:
                return key if self.locating else self.over[key]
            try:
                return self.moved(key, self.p.tensors[head][key.at])
            except KeyError:
                raise Abstain(f"{head} at {key.at}, outside its declared range") from None

        ranges = [range(lo, hi + 1) for lo, hi in (self.rng(slots[p]) for p in free)]
        abstain_if(any(len(r) == 0 for r in ranges), f"{head} with an empty axis")
        if len(free) < 2:
            return Arr([[entry(r)] for r in ranges[0]], True, False) if free else entry()
        return Arr([[entry(r, c) for c in ranges[1]] for r in ranges[0]], True, True)

    def match(self, head: str, subs: tuple[ast.Node, ...], sups: tuple[ast.Node, ...],
              args: tuple[ast.Node, ...] | None, env: Env) -> tuple | None:
        """The first ``let`` of ``head`` this use fits, with the index values and argument
        values it binds: an index letter of the pattern takes the use's value, a parameter
        the use's value, anything else must be spelt the same. ``g_i`` stands for
        ``g_i(\\vec x)`` unless ``g_i`` is defined alone."""
        defs = self.d.defs.get(head, [])
        alone = any(x.params is None for x in defs)
        for defn in defs:
            if len(defn.slots) != len(subs) or defn.powers != sups or (
                    args is None and defn.params is not None and alone) or (
                    args is not None and (defn.params is None or len(defn.params) != len(args))):
                continue
            pairs = [(p, u, False) for p, u in zip(defn.slots, subs, strict=True)] + [
                (p, u, True) for p, u in zip(defn.params or (), (
                    defn.params if args is None else args) or (), strict=True)]
            idx: dict[str, int] = {}
            vals: dict[ast.Node, Any] = {}
            for pat, use, is_arg in pairs:
                if isinstance(pat, ast.Letter) and pat.name in self.d.indices:
                    idx[pat.name] = self.index(use, env)
                elif pat == use and is_arg and use in env.vals:
                    vals[pat] = env.vals[use]  # f(x) in the body of g(x) called as g(y): y
                elif pat == use:
                    continue
                elif not is_arg:
                    break
                elif ast.Rel in (type(pat), type(use)):
                    raise Abstain(f"the arguments of {head}(...) written as conditions")
                elif not isinstance(pat, (ast.Letter, ast.Postfix)):
                    break
                else:
                    vals[pat] = self.value(use, env)
            else:
                return defn, idx, vals
        return None

    def walked(self, defn: Defn) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(the index letters free in ``defn``'s body: its key; every letter the body may
        read, through the lets it uses too: what its memoized value depends on), once."""
        if ("walk", defn.ident) not in self.d.cache:
            seen, names, todo = set(), set(), [defn]
            while todo:
                cur = todo.pop()
                if cur.ident not in seen:
                    seen.add(cur.ident)
                    for n in (n for n in ast.walk(cur.body) if isinstance(n, ast.Letter)):
                        names.add(n.name)
                        todo += self.d.defs.get(self.plain(n.name), [])
            self.d.cache["walk", defn.ident] = tuple(sorted(set(free_letters(
                defn.body, self.d.indices)) - defn.letters)), tuple(sorted(names))
        return self.d.cache["walk", defn.ident]

    def def_key(self, defn: Defn, idx: dict[str, int], env: Env) -> Key:
        ctx = tuple((n, env.bound.get(n, self.p.free.get(n))) for n in self.walked(defn)[0])
        return Key("D", defn.ident, tuple(sorted(idx.items())) + ctx)

    def expand(self, defn: Defn, idx: dict[str, int], vals: dict[ast.Node, Any],
               env: Env) -> Any:
        """A ``let``'s value at this use, memoized by what its body reads."""
        key = self.def_key(defn, idx, env)
        if self.locating and not vals and not self.alias(defn):
            return key
        if key in self.over and not vals:
            return self.over[key]
        if vals or self.locating:
            return self.evaluate_body(defn, idx, vals, env)
        held = (key, env.prime, frozenset(self.over.items()),
                tuple((n, env.bound.get(n), self.p.free.get(n)) for n in self.walked(defn)[1]))
        if held not in self.memo:
            approx, self.approx = self.approx, False
            try:
                self.memo[held] = self.evaluate_body(defn, idx, vals, env), self.approx
            finally:
                self.approx |= approx
        value, by_differences = self.memo[held]
        self.approx |= by_differences
        return value

    def evaluate_body(self, defn: Defn, idx: dict[str, int], vals: dict[ast.Node, Any],
                      env: Env) -> Any:
        outer_hint, self.hint = self.hint, defn.letters  # an unindexed \sum in the body
        try:
            return self.value(defn.body, Env({**env.bound, **idx}, dict(vals),
                                             None if env.inferred else env.prime,
                                             env.depth + 1))
        finally:
            self.hint = outer_hint

    def alias(self, defn: Defn) -> bool:
        """``let W = w``, ``let x_n = X_n``: another name of a declared tensor's entries."""
        core = defn.body.base if isinstance(defn.body, ast.Postfix) and not (
            defn.body.sups or defn.body.primes) else defn.body
        return getattr(core, "name", None) in self.d.tensors

    def powers(self, val: Any, sups: tuple[ast.Node, ...], env: Env) -> Any:
        for sup in sups:
            if isinstance(sup, ast.Letter) and _is(sup.name, "transpose") and (
                    sup.name not in self.d.scalars):
                val = transpose(val)
            elif not is_arr(val) and val == M.e:
                val = apply("e^", self.value(sup, env))
            else:
                val = _pow(val, self.value(sup, env))
        return val

    def norm(self, node: ast.Norm, subs: tuple[ast.Node, ...], env: Env) -> Any:
        if subs and not (isinstance(subs[0], ast.Num) and subs[0].text == "2"):
            raise Abstain("a norm other than the 2-norm")
        v = self.value(node.body, env)  # type: ignore[arg-type]
        abstain_if(not is_arr(v), "the norm of a scalar")
        return M.sqrt(sum((x * x for x in v.flat), M.mpf(0)))

    # -- products, functions, big operators ---------------------------------------------------
    def product(self, items: tuple[ast.Node, ...], env: Env) -> Any:
        d = self.upright_d
        if len(items) >= 4 and d(items[0]) and isinstance(items[1], ast.Op) and (
                items[1].op == "/" and d(items[1].operand)):  # d/dz [z^2]: an operator
            return self.derivatives(items[3:], [(items[2],)], env)
        if len(items) >= 4 and (_marker(items[0]) or d(items[0])):  # \partial y / \partial x
            for k in range(2, len(items) - 1):
                it = items[k]
                if isinstance(it, ast.Op) and it.op == "/" and (
                        d(it.operand) if d(items[0]) else _marker(it.operand)):
                    return self.derivatives(items[1:k], [items[k + 1:]], env)
        acc: Any = None
        pos = 0
        while pos < len(items):
            item, op = items[pos], None
            if isinstance(item, ast.Op):
                op, item = item.op, item.operand
            val, used = self.item(item, items[pos + 1:], env)  # type: ignore[arg-type]
            pos += 1 + used
            abstain_if(acc is not None and op not in COMBINE, f"the operator {op}")
            acc = val if acc is None else COMBINE[op](acc, val)
        return acc

    def upright_d(self, node: ast.Node | None) -> bool:
        """The ``d`` of ``dy/dx``: the letter d where the notes give it no meaning."""
        return node == ast.Letter(name="d") and not any("d" in known for known in (
            self.d.sizes, self.d.indices, self.d.tensors, self.d.scalars, self.d.defs))

    def item(self, item: ast.Node, rest: tuple[ast.Node, ...], env: Env) -> tuple[Any, int]:
        """One factor and how many following items it consumed."""
        if isinstance(item, ast.Letter) and _is(item.name, "indicator") and rest and isinstance(
                rest[0], ast.Group) and len(rest[0].items) == 1 and isinstance(
                rest[0].items[0], ast.Rel):
            return self.indicator(rest[0], env), 1
        if rest and (known := self.builtin_name(item)):
            return self.builtin(known, rest[0], env), 1
        if isinstance(item, ast.BigOp):
            return self.bigop(item, rest, env), len(rest)
        if isinstance(item, ast.Frac) and (d := self.derivative_parts(item)) and not d[0]:
            abstain_if(not rest, "a derivative operator with nothing to act on")
            return self.derivatives(rest, d[1], env, item.layout), len(rest)
        if (grad := _gradient(item, rest)) is not None:
            return (self.derivatives(rest, [(grad[0],)], env) if grad[1] == 1
                    else self.hessian(rest, grad[0], env)), len(rest)
        if isinstance(item, ast.Postfix) and isinstance(item.base, ast.Letter) and (
                _is(item.base.name, "operator") and len(item.subs) == 1 and not item.sups):
            wrt = item.subs[0]
            if rest and isinstance(wrt, ast.Letter) and wrt.name in self.entry_vars:
                wrt = ast.Postfix(base=ast.Letter(name=self.entry_vars[wrt.name]), subs=(wrt,))
            if not rest or (isinstance(wrt, ast.Letter) and wrt.name in self.d.indices):
                raise Abstain(f"{item.base.name}_{{index}} (by an entry of an argument)")
            return self.derivatives(rest, [(wrt,)], env), len(rest)
        if isinstance(item, ast.Func):
            return self.func(item, rest, env)
        if isinstance(item, ast.Postfix) and item.primes and env.prime is not None and rest and (
                _paren(rest[0])) and not env.inferred:
            call = ast.Product(items=(replace(item, primes=0), rest[0]))
            return self.derivatives((call,), [(env.prime,)], env), 1
        if isinstance(item, ast.Postfix) and item.primes and (
                lagrange := self.lagrange(item, rest, env)) is not None:
            return lagrange, int(_call_parens(rest)[0] is not None)
        if self.varying and self.upright_d(item) and rest and _differentiated(
                rest[0], True) is not None:
            return self.differential(rest[0], env), 1  # dz, d\ell, d(Xw): a differential
        call_val = self.call(item, rest, env)
        if call_val is not None:
            return call_val, 1
        return self.value(item, env), 0

    def lagrange(self, item: ast.Postfix, rest: tuple[ast.Node, ...], env: Env) -> Any:
        """``f'(a)``, ``f''(a)`` where ``f`` is defined of one argument: central differences
        of the body with its parameter at ``a`` ± a step. None when ``f`` is no such
        function."""
        arg, after = _call_parens(rest)
        bare = arg is None  # f' alone: at f's own parameter, as f alone is f(x)
        if not (isinstance(item.base, ast.Letter) and not item.subs and not item.sups
                and (bare or len(arg.items) == 1)):  # type: ignore[union-attr]
            return None
        defs = self.d.defs.get(item.base.name, [])
        if len(defs) != 1 or defs[0].params is None or len(defs[0].params) != 1 or (
                defs[0].slots or defs[0].powers):
            return None
        defn, param = defs[0], defs[0].params[0]
        if not isinstance(param, ast.Letter) or param.name in self.d.indices:
            return None
        abstain_if(item.primes > 2, "a third or higher derivative written with primes")
        at = self.value(param if bare else arg.items[0], env)  # type: ignore[union-attr]
        abstain_if(is_arr(at), f"{item.base.name}' of a vector")
        self.approx = True

        def body(x: Any) -> Any:
            out = self.evaluate_body(defn, {}, {param: x}, env)
            abstain_if(is_arr(out), f"{item.base.name}' of a function whose value is a vector")
            return out

        if item.primes == 1:
            val = (body(at + STEP) - body(at - STEP)) / (2 * STEP)
        else:
            h = STEP ** M.mpf("0.5")
            val = (body(at + h) - 2 * body(at) + body(at - h)) / (h * h)
        return val if bare else self.powers(val, after, env)

    def call(self, item: ast.Node, rest: tuple[ast.Node, ...], env: Env) -> Any:
        """``f(a, b)``, ``g_i(x)^2``: a ``let`` with parameters applied to the parenthesis
        after it, or None when ``item`` is no such function."""
        arg, after = _call_parens(rest)
        out: tuple[ast.Node, ...] = ()
        nxt = rest[0] if rest else None
        if arg is None and isinstance(item, ast.Letter) and isinstance(nxt, ast.Postfix) and (
                isinstance(nxt.base, ast.Group) and _paren(nxt.base) and len(nxt.subs) == 1
                and not nxt.primes):  # f(z)_i where f_i(z) is defined: that entry
            out = tuple(nxt.subs[0].items) if isinstance(nxt.subs[0], ast.Seq) else (
                nxt.subs[0],)
            if any(len(x.slots) == len(out) and x.params is not None and not x.powers
                   for x in self.d.defs.get(item.name, [])):
                arg, after = nxt.base, nxt.sups
            elif any(not x.slots and x.params is not None and not x.powers
                     for x in self.d.defs.get(item.name, [])):  # f defined whole: the entry
                whole = self.atom(item, item.name, (), (), nxt.base.items, env)
                return self.powers(self.entry_of(whole, nxt.subs[0], env), nxt.sups, env)
        if isinstance(item, ast.Letter):
            head, subs, sups = item.name, (out if arg is not None else ()), ()
        elif isinstance(item, ast.Postfix) and isinstance(item.base, ast.Letter) and (
                len(item.subs) <= 1 and not item.primes):
            head, (subs, sups) = item.base.name, self.split(item)
        else:
            return None
        if arg is None or len(arg.items) not in {
                len(x.params) for x in self.d.defs.get(head, []) if x.params is not None}:
            return None
        return self.powers(self.atom(item, head, subs, sups, arg.items, env), after, env)

    def func(self, item: ast.Func, rest: tuple[ast.Node, ...], env: Env) -> tuple[Any, int]:
        """``\\log``/``\\exp`` of what follows: a sum, function or derivative takes the rest;
        a whole number on the name is the power of the value (``\\log^2 x = (\\log x)^2``)."""
        val, used = self.func_of(item, rest, env)
        if item.power is None:
            return val, used
        abstain_if(not (isinstance(item.power, ast.Num) and item.power.text.isdigit()),
                   f"{item.name} to a power other than a whole number")
        abstain_if(is_arr(val), f"{item.name}^{{n}} of a vector")
        return val ** int(item.power.text), used

    def func_of(self, item: ast.Func, rest: tuple[ast.Node, ...], env: Env
                ) -> tuple[Any, int]:
        abstain_if(item.name not in FUNCS or not rest, f"the function {item.name}")
        nxt = rest[0]
        if isinstance(nxt, (ast.BigOp, ast.Func)) or (
                isinstance(nxt, ast.Frac) and (d := self.derivative_parts(nxt)) is not None
                and not d[0]):
            return self.apply_fn(item, self.product(rest, env)), len(rest)
        if len(rest) > 1 and (known := self.builtin_name(nxt)):
            return self.apply_fn(item, self.builtin(known, rest[1], env)), 2
        call_val = self.call(nxt, rest[1:], env)
        if call_val is not None:
            return self.apply_fn(item, call_val), 2
        if isinstance(nxt, ast.Postfix) and isinstance(nxt.base, ast.Group) and not (
                nxt.subs or nxt.primes):
            return self.powers(self.apply_fn(item, self.value(nxt.base, env)), nxt.sups, env), 1
        return self.apply_fn(item, self.value(nxt, env)), 1

    def apply_fn(self, item: ast.Func, v: Any) -> Any:
        """The function of ``item`` applied to ``v``; ``\\log_b`` is the natural logarithm
        over ``\\log b`` (:data:`BASES`), for a number b > 0 other than 1."""
        val = apply(item.name, v)
        if item.base is None:
            return val
        base = item.base
        abstain_if(item.name not in BASES or not isinstance(base, ast.Num),
                   f"{item.name} to a base other than a number")
        b = M.mpf(base.text)  # type: ignore[union-attr]
        abstain_if(b <= 0 or b == 1, f"{item.name} to a base other than a number above 0, "
                   "not 1")
        return val.map(lambda x: x / M.log(b)) if is_arr(val) else val / M.log(b)

    def builtin_name(self, item: ast.Node) -> str | None:
        """``softmax`` of ``\\text{softmax}`` (a function derive knows), unless a let defines it."""
        name = item.name[6:-1] if isinstance(item, ast.Letter) and item.name.startswith(
            "\\text{") and item.name not in self.d.defs else ""
        return name if name in BUILTINS else None

    def builtin(self, name: str, nxt: ast.Node, env: Env) -> Any:
        sub = None
        if isinstance(nxt, ast.Postfix) and isinstance(nxt.base, ast.Group) and not (
                nxt.sups or nxt.primes):
            sub, nxt = (nxt.subs[0] if nxt.subs else None), nxt.base
        if not (_paren(nxt) and len(nxt.items) == 1):  # type: ignore[union-attr]
            raise Abstain(f"{name} without one argument in parentheses")
        arg = nxt.items[0]  # type: ignore[union-attr]
        v = self.value(arg, env)
        if not is_arr(v) and sub is None and name == "softmax" and isinstance(
                arg, ast.Postfix) and isinstance(arg.base, ast.Letter) and len(arg.subs) == 1 and (
                not (arg.sups or arg.primes)):  # softmax(x_j): entry j of softmax(x)
            whole = self.value(arg.base, env)
            if is_arr(whole) and not whole.lit and not whole.cols:
                v, sub = whole, arg.subs[0]
        if not is_arr(v) or v.lit or v.cols:
            raise Abstain(f"{name} of something other than a column vector")
        out = BUILTINS[name]([r[0] for r in v.data])
        return out if sub is None else self.entry_of(out, sub, env)

    def bigop(self, node: ast.BigOp, body: tuple[ast.Node, ...], env: Env) -> Any:
        """``\\sum``/``\\prod``: a loop over the exact index set, conditions applied."""
        abstain_if(not body, f"a \\{node.kind} with nothing after it")
        var, members, conds = self.domain(node, body, env)
        total: Any = None
        for k in members:
            inner = replace(env, bound={**env.bound, var.name: k})
            if any(self.indicator(c, inner) == 0 for c in conds):
                continue
            v = self.product(body, inner)
            abstain_if(node.kind == "prod" and is_arr(v), "a \\prod of vectors")
            total = v if total is None else total * v if node.kind == "prod" else add(total, v)
        if total is None and node.kind == "sum" and members:  # empty after its conditions:
            phantom = replace(env, bound={**env.bound, var.name: members[0]})  # a zero of
            return scale(self.product(body, phantom), 0)  # the body's shape
        return M.mpf(int(node.kind == "prod")) if total is None else total

    def domain(self, node: ast.BigOp, body: tuple[ast.Node, ...], env: Env
               ) -> tuple[ast.Letter, list[int], list[ast.Node]]:
        """(letter, its values in order, conditions) of what a big operator runs over: the
        first line under it says ``k = lo``, ``k \\in S``, a condition on ``k``, or ``k``."""
        lines = node.sub if node.sub is not None else self.implied_index(node, body, env)
        first, *conds = lines.items if isinstance(lines, ast.Stack) else (lines,)
        op = first.op if isinstance(first, ast.Rel) else ""
        var = first.lhs if op else first
        abstain_if(not isinstance(var, ast.Letter), f"a \\{node.kind} whose index is not a letter")
        if op == "\\in":
            abstain_if(node.sup is not None, "a sum over a set that also has an upper limit")
            return var, self.enumerate_set(first.rhs, env), conds  # type: ignore[union-attr]
        if op not in ("", "="):
            conds = [first, *conds]
        if var.name not in self.d.indices and (op != "=" or node.sup is None):
            raise Abstain(f"a \\{node.kind} over the undeclared index {var.name}")
        lo = self.index(first.rhs, env) if op == "=" else (  # type: ignore[union-attr]
            self.rng(var.name)[0])
        top = node.sup
        hi = (self.rng(var.name)[1] if top is None else self.p.sizes[top.name]
              if isinstance(top, ast.Letter) and top.name in self.d.sizes
              else self.index(top, env))
        return var, list(range(lo, hi + 1)), conds

    def enumerate_set(self, s: ast.Node | None, env: Env) -> list[int]:
        """``[K]``, ``\\{K\\}``, ``\\{1, 2, 3\\}``, ``\\{a, b, \\ldots, c\\}``: the members, in
        order; a run that may be read two ways at this point is :class:`Ambiguous`."""
        if not (isinstance(s, ast.Group) and s.delim == "["):
            raise Abstain("a sum over a set it cannot enumerate")
        items = s.items
        if len(items) == 1 and (s.curly or _gap(items[0])):
            abstain_if(not s.curly, "a set it cannot enumerate")
            return [self.index(items[0], env)]  # \{K\}: the one element
        if len(items) == 1:
            return list(range(1, self.index(items[0], env) + 1))  # [K]
        gaps = [n for n, it in enumerate(items) if _gap(it)]
        if not gaps:
            return sorted({self.index(it, env) for it in items})
        if len(gaps) != 1 or gaps[0] in (0, len(items) - 1) or len(items) - gaps[0] != 2:
            raise Abstain("a set with dots it cannot enumerate")
        before = [self.index(it, env) for it in items[:gaps[0]]]
        step = before[1] - before[0] if len(before) > 1 else 1
        if step == 0 or any(b - a != step for a, b in itertools.pairwise(before)):
            raise Abstain("a set with dots that is not a progression")
        last = self.index(items[-1], env)
        if len(before) == 1:
            return self.run_of(items[0], items[-1], before[0], last, env)
        if step < 0:  # \{K, K-1, \ldots, 1\}, \{7, 5, \ldots, 1\}: the same set read upwards
            if before[-1] < last:
                raise Ambiguous("a descending set {a, a-d, ..., b} listed below b")
            before, last, step = [last], before[0], -step
        elif last < before[-1]:  # {K+1, ..., K}, {K, ..., 1}, {1, 2, ..., K} at K = 1
            raise Ambiguous("a set {a, ..., b} with b below a")
        if (last - before[0]) % step:
            raise Abstain("a set with dots whose last member is off its progression")
        return list(range(before[0], last + 1, step))

    def run_of(self, a: ast.Node, b: ast.Node, first: int, last: int, env: Env) -> list[int]:
        """``\\{a, \\ldots, b\\}``: up from a number to a size (empty below it), or up
        where b ≥ a - 1 at every size tried, down where a ≥ b at every size tried
        (``\\{K, \\ldots, 1\\}`` is 1..K); else the direction is not known."""
        if isinstance(a, ast.Num) and not isinstance(b, ast.Num):
            return list(range(first, last + 1))
        pairs = [(ev.index(a, env), ev.index(b, env)) for n in range(1, 7) for ev in [
            Evaluator(self.d, replace(self.p, sizes=dict.fromkeys(self.p.sizes, n)))]]
        if all(y >= x - 1 for x, y in pairs):
            return list(range(first, last + 1))
        if all(x >= y for x, y in pairs):
            return list(range(last, first + 1))
        raise Abstain("a set {a, ..., b} that may run up or down")

    def implied_index(self, node: ast.BigOp, body: tuple[ast.Node, ...], env: Env) -> ast.Node:
        """The one declared index written in the body's subscripts and free elsewhere."""
        key = ("slots", id(node))
        if key not in self.d.cache:
            self.d.cache[key] = (body, [n.name for it in body for p in ast.walk(it)
                                        if isinstance(p, ast.Postfix) for sub in p.subs
                                        for n in slots_of(sub) if isinstance(n, ast.Letter)])
        found = list(dict.fromkeys(n for n in self.d.cache[key][1] if n in self.d.indices
                                   and n not in env.bound and n not in self.hint))
        abstain_if(len(found) != 1, f"a \\{node.kind} without an index")
        return ast.Letter(name=found[0])

    # -- derivatives ------------------------------------------------------------------------
    def mark(self, node: ast.Node, upright_d: bool) -> int:
        """How many times ``node`` differentiates as a marker: 1 for ``\\partial``,
        ``\\delta`` (and ``d`` where the denominator opens with an undeclared ``d``), n for
        a marker written to the power n, 0 for anything else."""
        power = 1
        if isinstance(node, ast.Postfix) and not node.subs and _power(node):
            node, power = node.base, _power(node)  # type: ignore[assignment]
        return power if isinstance(node, ast.Letter) and (
            _is(node.name, "marker") or (node.name == "d" and upright_d)) else 0

    def derivative_parts(self, node: ast.Frac) -> tuple | None:
        """``(body, [wrt, ...])`` of ``\\frac{\\partial^n body}{\\partial a \\partial b}``
        (``\\partial x^2``: x twice), or None when the fraction is not a derivative."""
        top, bottom = _items(node.num), _items(node.den)
        upright = "d" not in self.d.scalars and "d" not in self.d.tensors and bool(
            bottom) and bottom[0] == ast.Letter(name="d")
        if not top or len(bottom) < 2 or self.mark(bottom[0], upright) != 1:
            return None
        order = self.mark(top[0], upright)
        cuts = [n for n, it in enumerate(bottom) if self.mark(it, upright) == 1]
        groups = [bottom[a + 1:b] for a, b in zip(cuts, [*cuts[1:], len(bottom)], strict=True)]
        if not order or cuts[0] != 0 or any(not g for g in groups):
            return None
        wrts: list[tuple[ast.Node, ...]] = []
        for g in groups:
            times = _power(g[0]) if order > 1 and len(g) == 1 else 0
            wrts += [(replace(g[0], sups=()),)] * times if times else [tuple(g)]
        if order > 1 and len(wrts) == 1 and len(wrts[0]) == order and all(
                isinstance(v, ast.Letter | ast.Postfix) and not self.mark(v, upright)
                for v in wrts[0]):
            wrts = [(v,) for v in wrts[0]]  # \partial^2 f / \partial x_k x_j: one \partial
        return None if order > 1 and order != len(wrts) else (top[1:], wrts)

    def derivatives(self, body: tuple[ast.Node, ...], wrts: list, env: Env,
                    layout: str = "") -> Any:
        """The last variable innermost, then the others in written order outwards. Twice by
        one vector (``\\partial w^2``, ``\\partial w \\partial w^T``): the outer one may take
        a vector (the gradient) to the matrix of its entries, the Hessian. ``layout``: the
        fraction's, for a Jacobian of a vector by a vector (one variable only)."""
        fn: Callable[[], Any] = partial(self.product, body, env)
        twice = len(wrts) == 2 and _bare(wrts[0]) == _bare(wrts[1])
        for n, wrt in enumerate((wrts[-1], *wrts[:-1])):
            fn = partial(self.derivative_of, fn, wrt, env, twice and n == 1,
                         layout if len(wrts) == 1 else "")
        return fn()

    def derivative_of(self, fn: Callable[[], Any], wrt: tuple[ast.Node, ...], env: Env,
                      hessian: bool = False, layout: str = "") -> Any:
        """∂fn/∂wrt by central differences; ``wrt`` names an input entry, a defined entry
        (held as a variable), or a whole vector/matrix of inputs (a gradient)."""
        self.locating = True
        try:
            var = self.product(wrt, env)
        except TypeError:
            raise Abstain("a derivative with respect to an expression") from None
        finally:
            self.locating = False
        if isinstance(var, Key):
            return self._partial(fn, var, env)
        if not (is_arr(var) and all(isinstance(k, Key) for k in var.flat)):
            raise Abstain("a derivative with respect to an expression")
        abstain_if(any(k.kind != "T" for k in var.flat), "a derivative by a defined vector")
        grads = [[self._partial(fn, k, env) for k in r] for r in var.data]
        n = len(var.flat)
        if hessian and 1 in var.shape and all(
                is_arr(g) and 1 in g.shape and len(g.flat) == n for r in grads for g in r):
            cols = [g.flat for r in grads for g in r]  # cols[b][a]: d g_a / d w_b
            return Arr([[cols[b][a] for b in range(n)] for a in range(n)], True, True)
        if any(is_arr(g) for r in grads for g in r):
            return _jacobian([g for r in grads for g in r], var, layout)
        return Arr(grads, var.rows, var.cols, var.lit)

    def hessian(self, body: tuple[ast.Node, ...], wrt: ast.Node, env: Env) -> Any:
        """``\\nabla_w^2 f``: the matrix of second central differences by the entries of a
        column of inputs (symmetric, so either layout); of a scalar input, f''."""
        fn: Callable[[], Any] = partial(self.product, body, env)
        self.locating = True
        try:
            var = self.product((wrt,), env)
        except TypeError:
            raise Abstain("a Hessian with respect to an expression") from None
        finally:
            self.locating = False

        def second(a: Key, b: Key) -> Any:
            out = self._partial(partial(self._partial, fn, b, env), a, env)
            abstain_if(is_arr(out), "a Hessian of a vector or matrix")
            return out

        if isinstance(var, Key):
            abstain_if(var.kind != "S", "a Hessian by a defined quantity")
            return second(var, var)
        abstain_if(not is_arr(var) or var.cols or var.lit or not all(
            isinstance(k, Key) and k.kind == "T" for k in var.flat),
            "a Hessian by something other than a column of inputs")
        keys = [r[0] for r in var.data]
        return Arr([[second(a, b) for b in keys] for a in keys], True, True)

    def moved(self, key: Key, value: Any) -> Any:
        r"""An entry of a quantity the notes never define, at the variables held moved: its
        value plus a random slope (the same for the same pair) times each one's move; one
        written with its arguments (``L(\mathbf{p})``) moves with their entries only."""
        if key.name not in self.d.dependent:
            return value
        args = self.d.dependent[key.name]
        moves = [(k, x - self.origin[k]) for k, x in self.over.items() if k.name != key.name]
        if args is not None:
            moves = []
            for a in args:
                at = itertools.product(*(range(lo, hi + 1) for lo, hi in map(
                    self.rng, self.d.tensors.get(a, ()))))
                for k in [Key("T", a, t) for t in at] if a in self.d.tensors else [
                        Key("S", a, ())]:
                    base = self.p.tensors[a][k.at] if k.kind == "T" else self.p.scalars[a]
                    moves.append((k, (self.over[k] if k in self.over else self.moved(
                        k, base)) - base))
        for k, dx in moves:
            slope = self.p.slopes.setdefault((key, k), M.mpf(round(random.Random(
                repr((key, k, sorted(self.p.sizes.items())))).uniform(-1.5, 1.5), 3)))
            value += slope * dx
        return value

    def _partial(self, fn: Callable[[], Any], key: Key, env: Env) -> Any:
        self.approx = True
        x0 = self.over[key] if key in self.over else self._base_value(key, env)
        self.origin.setdefault(key, x0)
        old = dict(self.over)
        try:
            self.over[key] = x0 + STEP
            up = fn()
            self.over[key] = x0 - STEP
            down = fn()
        finally:
            self.over = old
        if is_arr(up):
            return replace(up, data=[[(u - w) / (2 * STEP) for u, w in zip(r, s, strict=True)]
                                     for r, s in zip(up.data, down.data, strict=True)])
        return (up - down) / (2 * STEP)

    def _base_value(self, key: Key, env: Env) -> Any:
        if key.kind == "T":
            return self.p.tensors[key.name][key.at]
        if key.kind == "S":
            return self.p.scalars[key.name]
        defn = next(x for v in self.d.defs.values() for x in v if x.ident == key.name)
        params = set(defn.letters)
        idx = {n: v for n, v in key.at if n in params}
        ctx = {n: v for n, v in key.at if n not in params and v is not None}
        v = self.expand(defn, idx, {}, replace(env, bound={**env.bound, **ctx}))
        abstain_if(is_arr(v), "a derivative by a defined vector")
        return v

    def primed(self, item: ast.Postfix, env: Env) -> Any:
        if (env.prime is None or env.inferred) and (
                bare := self.lagrange(item, (), env)) is not None:
            return bare
        abstain_if(env.prime is None, "a prime without a 'prime' declaration")
        if env.inferred:  # read from the context: a scalar by a scalar only
            abstain_if(is_arr(self.value(replace(item, primes=0), env)) or is_arr(
                self.value(env.prime, env)), "a prime on a vector or by one (or a transpose)")
        return self.derivatives((replace(item, primes=0),), [(env.prime,)], env)


NODES: dict[type, Callable[[Evaluator, Any, Env], Any]] = {  # parse-tree node -> its value
    ast.Num: lambda ev, n, env: M.mpf(n.text), ast.Letter: Evaluator.letter,
    ast.Neg: lambda ev, n, env: scale(ev.value(n.body, env), -1), ast.Add: Evaluator.terms,
    ast.Product: lambda ev, n, env: ev.product(n.items, env), ast.Group: Evaluator.group,
    ast.Norm: lambda ev, n, env: ev.norm(n, (), env), ast.Matrix: Evaluator.matrix,
    ast.Cases: Evaluator.cases, ast.Frac: Evaluator.frac, ast.Postfix: Evaluator.postfix,
    ast.Abs: lambda ev, n, env: _absolute(ev.value(n.body, env))}


def _absolute(v: Any) -> Any:
    """``|x|`` of a scalar; of a matrix it may be the determinant, of a vector a norm."""
    abstain_if(is_arr(v), "|...| of a vector or matrix (a norm or a determinant?)")
    return abs(v)


def _subst(node: Any, labels: dict[str, ast.Node], in_sub: bool = False) -> Any:
    """``node`` with every subscript numeral in ``labels`` replaced by its label."""
    if isinstance(node, ast.Num) and in_sub and node.text in labels:
        return labels[node.text]
    if isinstance(node, ast.Node):
        return replace(node, **{k: _subst(v, labels, in_sub or (
            isinstance(node, ast.Postfix) and k == "subs")) for k, v in vars(node).items()
            if k not in ("line", "col")})
    return tuple(_subst(x, labels, in_sub) for x in node) if isinstance(node, tuple) else node


def _label(a: Any, b: Any, numeral: str, in_sub: bool, found: list[ast.Node]) -> bool:
    """Walk ``a`` and ``b`` together; what ``b`` has where ``a`` has the subscript numeral."""
    if isinstance(a, ast.Num) and in_sub and a.text == numeral:
        found.append(b)
        return True
    if isinstance(a, ast.Node) and isinstance(b, ast.Node):
        return type(a) is type(b) and all(
            _label(v, getattr(b, k), numeral, in_sub or (isinstance(a, ast.Postfix)
                                                         and k == "subs"), found)
            for k, v in vars(a).items() if k not in ("line", "col"))
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_label(x, y, numeral, in_sub, found)
                                        for x, y in zip(a, b, strict=True))
    return a == b


def _gradient(item: ast.Node, rest: tuple[ast.Node, ...]) -> tuple[ast.Node, int] | None:
    """(variable, order) of a gradient that is not a plain ``\\nabla_w``: ``\\nabla_w^2``
    (order 2), or ``\\nabla``/``\\nabla^2`` before a call of one argument, by that argument."""
    base = item.base if isinstance(item, ast.Postfix) else item
    if not (isinstance(base, ast.Letter) and _is(base.name, "gradient") and rest):
        return None
    subs, sups = (item.subs, item.sups) if isinstance(item, ast.Postfix) else ((), ())
    if (isinstance(item, ast.Postfix) and item.primes) or len(subs) > 1 or len(sups) > 1 or (
            sups and not (isinstance(sups[0], ast.Num) and sups[0].text == "2")):
        return None
    order = 2 if sups else 1
    if subs:
        return (subs[0], 2) if order == 2 else None
    call = rest[1] if len(rest) > 1 else None
    if isinstance(call, ast.Group) and call.delim == "(" and len(call.items) == 1:
        return call.items[0], order
    return None


def _num(n: int) -> ast.Num:
    return ast.Num(text=str(n))


def _last_label(first: ast.Node, last: ast.Node, numeral: str) -> ast.Node | None:
    """The one label ``last`` has wherever ``first`` has the subscript numeral, or None."""
    found: list[ast.Node] = []
    ok = _label(first, last, numeral, False, found) and found and all(f == found[0] for f in found)
    return found[0] if ok else None


def free_letters(node: ast.Node, among: Any = None) -> list[str]:
    """The letters (``among`` those, if given) written in ``node`` and not bound by its own
    sums and products, in written order."""
    bound = {v.name for b in ast.walk(node) if isinstance(b, ast.BigOp)
             and (v := bound_var(b)) is not None}
    return list(dict.fromkeys(n.name for n in sorted((
        n for n in ast.walk(node) if isinstance(n, ast.Letter) and n.name not in bound
        and (among is None or n.name in among)), key=lambda n: (n.line, n.col))))


def bound_var(node: ast.BigOp) -> ast.Letter | None:
    """The letter a ``\\sum``/``\\prod`` binds (``k`` of ``k=1``, ``k \\in S``), if written."""
    if node.sub is None:
        return None
    head = node.sub.items[0] if isinstance(node.sub, ast.Stack) else node.sub
    head = head.lhs if isinstance(head, ast.Rel) else head
    return head if isinstance(head, ast.Letter) else None


def close(a: Any, b: Any, tol: Any = APPROX) -> bool:
    """Equal to ``tol`` relative to their size (both scalars or both arrays of one shape)."""
    if is_arr(a) or is_arr(b):
        return is_arr(a) and is_arr(b) and a.shape == b.shape and all(
            close(x, y, tol) for x, y in zip(a.flat, b.flat, strict=True))
    return bool(abs(a - b) <= tol * (1 + max(abs(a), abs(b))))


def _jacobian(cells: list[Any], var: Arr, layout: str) -> Arr:
    """The matrix of ``cells[b]`` (d fn / d var_b, each a vector): a column by a row has a
    row per entry of fn, a row by a column a row per entry of var, a column by a column as
    the fraction's ``layout`` says (abstain without one)."""
    abstain_if(var.lit or not _vector(var) or not all(
        is_arr(g) and not g.lit and _vector(g) for g in cells),
        "a derivative of a matrix, or by one")
    fn_column, var_column = cells[0].rows, var.rows
    abstain_if(not (fn_column or var_column), "a derivative of a row by a row")
    abstain_if(fn_column and var_column and layout not in ("numerator", "denominator"),
               "a derivative of a vector by a vector in no stated layout")
    by_fn = layout == "numerator" if fn_column and var_column else bool(fn_column)
    cols = [g.flat for g in cells]  # cols[b][a]: d fn_a / d var_b
    m = len(cols[0])
    abstain_if(any(len(c) != m for c in cols), "a Jacobian of uneven entries")
    if by_fn:
        return Arr([[c[a] for c in cols] for a in range(m)], True, True)
    return Arr([list(c) for c in cols], True, True)


def _bare(wrt: tuple[ast.Node, ...]) -> tuple[ast.Node, ...]:
    """A variable without its transpose (``w^T`` is ``w``)."""
    only = wrt[0] if len(wrt) == 1 else None
    if isinstance(only, ast.Postfix) and not only.subs and len(only.sups) == 1 and isinstance(
            only.sups[0], ast.Letter) and _is(only.sups[0].name, "transpose") and (
            only.sups[0].name != "\\prime") and only.base is not None:
        return (only.base,)
    return wrt
