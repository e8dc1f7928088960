"""Give the syntax tree its meaning: declared names to SymPy, definitions expanded.

Indices become integer symbols, quantities ``IndexedBase`` entries, sums ``Sum`` with a
fresh bound symbol (so a bound ``i`` never captures a free ``i``), ``\\delta_{jk}`` and
``\\mathbb{1}_{(j=k)}`` ``KroneckerDelta``. ``\\frac{\\partial A}{\\partial \\theta_{ij}}`` is an
unevaluated ``Derivative`` of the expanded ``A``; a derivative with respect to a *defined*
quantity (``\\partial z_j``, ``\\partial P_{y_i}``) treats that quantity as a variable,
differentiates, then expands it.

The :class:`Elaborator` is this module's entry point and its leaves (letters, numbers,
scripts); each kind of construct is read in a module of its own, one rule class each:
names, tensors and definitions (:mod:`derive.latex.elaborate_names`), groups and matrices
(:mod:`derive.latex.elaborate_matrices`), fractions and derivatives
(:mod:`derive.latex.elaborate_derivatives`), ``cases`` (:mod:`derive.latex.elaborate_cases`),
terms, products and calls (:mod:`derive.latex.elaborate_calls`), sums and products over
indices (:mod:`derive.latex.elaborate_sums`); what they share is in
:mod:`derive.latex.elaborate_common`.
"""

from __future__ import annotations

import sympy as sp

from derive.errors import DeriveError
from derive.latex import ast
from derive.latex.cases import CaseTable
from derive.latex.declarations import Declarations, Definition
from derive.latex.elaborate_calls import CallRules
from derive.latex.elaborate_cases import CaseRules
from derive.latex.elaborate_common import ELIDED, OPERATORS, Env
from derive.latex.elaborate_derivatives import DerivativeRules
from derive.latex.elaborate_matrices import MatrixRules
from derive.latex.elaborate_names import NameRules
from derive.latex.elaborate_sums import SumRules
from derive.latex.errors import located
from derive.latex.scripts import index_items, split_scripts
from derive.latex.values import MathIssue, Value, scalar

__all__ = ["Elaborator", "Env"]


class Elaborator(NameRules, MatrixRules, DerivativeRules, CaseRules, CallRules, SumRules):
    """Turns nodes into :class:`Value` under the file's declarations."""

    def __init__(self, decl: Declarations) -> None:
        self.decl = decl
        self.opaque: dict[sp.Basic, tuple[Definition, dict[ast.Node, Value], list[str]]] = {}
        #: quantities the notes differentiate but never define, by SymPy label (or scalar
        #: symbol) -> name: their derivatives are opaque atoms (set by the checker;
        #: derive.latex.undefined_derivatives)
        self.dependent: dict[sp.Basic, str] = {}
        #: those written with their arguments (L(\mathbf{p})): label -> the arguments (a
        #: scalar symbol, or a vector's (IndexedBase, low, high))
        self.arguments: dict[sp.Basic, tuple[object, ...]] = {}
        self._implicit: dict[int, frozenset[str]] = {}
        self._expanded: dict[tuple[object, ...], tuple[Value, dict]] = {}
        # letters free in the left side of the chain being read (set by the checker): a
        # \sum without an index never runs over them
        self.free_hint: frozenset[str] = frozenset()
        # \partial_j read as \partial / \partial z_j earlier in the chain (reset per chain)
        self.entry_vars: dict[str, str] = {}
        # the inputs the chain being read writes a differential of (set by the checker per
        # chain, derive.latex.differentials), and the unit direction chosen for each: an
        # entry of the input at fresh indices, with their ranges
        self.varying: tuple[str, ...] = ()
        self.directions: dict[str, sp.Expr] = {}
        self.direction_ranges: dict[sp.Symbol, tuple[sp.Expr, sp.Expr]] = {}
        # cases whose rows can apply at once, by position: (number of conditioned rows,
        # their table, their conditions); the checker reads such a step once per row put
        # first (case_first)
        self.case_log: dict[tuple[int, int], tuple[int, CaseTable, tuple[sp.Expr, ...]]] = {}
        self.case_first: dict[tuple[int, int], int] = {}

    # -- errors -------------------------------------------------------------------------
    def err(self, node: ast.Node, msg: str) -> Exception:
        return located(self.decl.source, node.line, node.col, msg)

    # -- entry points ---------------------------------------------------------------------
    def value(self, node: ast.Node, env: Env) -> Value:
        method = getattr(self, "_n_" + type(node).__name__.lower(), None)
        if method is None:
            raise self.err(node, f"{type(node).__name__.lower()} cannot stand here")
        return method(node, env)

    def _n_unreadable(self, node: ast.Unreadable, env: Env) -> Value:
        """A member the parser could not read: the links next to it are unknown."""
        raise DeriveError(node.message)

    def scalar_of(self, node: ast.Node, env: Env, what: str) -> sp.Expr:
        v = self.value(node, env)
        if not v.is_scalar:
            raise MathIssue(f"{what}: expected a scalar, got a {v.shape_text()}")
        return v.expr

    def index(self, node: ast.Node, env: Env) -> sp.Expr:
        """An index expression: a letter, a label ``y_i``, a number, or a sum of those."""
        if isinstance(node, ast.Letter) and node.name not in env.bound:
            sym = self.decl.index_symbol(node.name)
            if sym is None:
                raise self.err(node, f"undeclared index {node.name}: expected a letter "
                               "declared with '% derive: index ...'")
            return sym  # an index letter that is also a size is the index here
        return self.scalar_of(node, env, "an index")

    # -- leaves ---------------------------------------------------------------------------
    def _n_num(self, node: ast.Num, env: Env) -> Value:
        return scalar(sp.Rational(node.text))

    def _n_letter(self, node: ast.Letter, env: Env) -> Value:
        if node.name in ELIDED:
            raise MathIssue(f"{node.name} elides entries: a matrix of symbolic size written "
                            "with dots is not checkable")
        return self._atom(node, node.name, (), (), None, env)

    def _n_postfix(self, node: ast.Postfix, env: Env) -> Value:
        base = node.base
        assert base is not None
        if node.primes:
            return self._primed(node, env)
        if isinstance(base, ast.Group) and base.delim == "over":
            return self.value(base.items[0], env)
        if isinstance(base, ast.Letter):
            if len(node.subs) > 1:
                raise self.err(node, f"{base.name} has two subscripts: expected one")
            subs, sups = split_scripts(node, self.decl.indices)
            if base.name in OPERATORS and subs and not sups:
                raise self.err(node, f"{base.name}_{{...}} needs something to act on")
            val = self._atom(node, base.name, subs, sups, None, env)
        elif isinstance(base, ast.Norm):
            val = self._norm(base, node.subs, env)
            return self._powers(node, val, node.sups, env, node.primes)
        else:
            val = self.value(base, env)
            if node.subs:  # (x (s - y)^\top)_{dk}: an entry of a vector or matrix
                val = self._entry_of(node, val, env)
            return self._powers(node, val, node.sups, env, node.primes)
        return self._primes(node, val, node.primes, env)

    def _entry_of(self, node: ast.Postfix, val: Value, env: Env) -> Value:
        """Entry ``(r)`` or ``(r, c)`` of a bracketed vector or matrix, as its indexed form:
        the axis runs 1..size, so index r running lo..hi picks entry r - lo + 1 (and its range
        must have the axis's size)."""
        slots = index_items(node.subs[0])
        axes = [ax for ax in (val.rows, val.cols) if ax is not None]
        if val.concrete is not None or not axes:
            raise self.err(node, f"a subscript on a bracket holding a {val.shape_text()}: "
                           "expected it on a symbol, or on a vector or matrix to pick an entry")
        if len(slots) != len(axes):
            raise self.err(node, f"{len(slots)} index(es) on a {val.shape_text()}: expected "
                           f"{len(axes)}, one per axis")
        sub: dict[sp.Symbol, sp.Expr] = {}
        for slot, ax in zip(slots, axes, strict=True):
            idx = self.index(slot, env)
            rng = self.decl.indices.get(slot.name) if isinstance(slot, ast.Letter) else None
            lo = sp.Integer(1)
            if rng is not None and slot.name in env.bound:
                # a \sum's own variable: where its range starts is the sum's, not known here
                if rng[1] != 1:
                    raise MathIssue(f"entry {slot.name} of a {val.shape_text()} inside a sum "
                                    f"over {slot.name}: expected an index that starts at 1")
            elif rng is not None:
                lo = rng[1]
                gap = sp.S(rng[2] - rng[1] + 1 - ax.size)  # a number: no sp.simplify (slow)
                if gap != 0 if gap.is_Number else sp.simplify(gap) != 0:
                    raise MathIssue(f"entry {slot.name} of a {val.shape_text()}: {slot.name} "
                                    f"runs over {rng[1]}..{rng[2]}, the axis over 1..{ax.size}")
            sub[ax.sym] = idx - lo + 1
        return scalar(val.expr.xreplace(sub))

    def _n_product(self, node: ast.Product, env: Env) -> Value:
        return self._product(node.items, env)

    def _n_rel(self, node: ast.Rel, env: Env) -> Value:
        raise self.err(node, "a condition here: expected an expression")

    def _n_free(self, node: ast.Free, env: Env) -> Value:
        raise self.err(node, "'.' outside a subscript")

    def _n_seq(self, node: ast.Seq, env: Env) -> Value:
        raise self.err(node, "a comma-separated list here: expected one expression")

    def _n_stack(self, node: ast.Stack, env: Env) -> Value:
        raise self.err(node, "\\substack outside the limits of \\sum")

    def _n_bigop(self, node: ast.BigOp, env: Env) -> Value:
        return self._bigop(node, (), env)

    def _n_norm(self, node: ast.Norm, env: Env) -> Value:
        return self._norm(node, (), env)

    def _n_op(self, node: ast.Op, env: Env) -> Value:
        assert node.operand is not None
        raise self.err(node, f"{node.op} with nothing on its left")

    def _n_func(self, node: ast.Func, env: Env) -> Value:
        return self._func(node, (), env)[0]

    def _n_chain(self, node: ast.Chain, env: Env) -> Value:
        raise self.err(node, "an equation inside an expression")
