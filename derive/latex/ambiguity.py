"""The ambiguity policy: where the context does not decide between readings, check them all.

Some notation has several plausible readings that the notes' context (declarations, earlier
use in the file, inferred kinds) does not tell apart: which letter ``\\sum_{i \\neq j}`` binds,
``\\sigma(z)`` as a function call or a product. A *reading* is one choice at each such point.
The elaborator meets a point, names its alternatives, and asks :meth:`Chooser.pick` which one
to take; the checker reads the step once per combination of choices (at most
:data:`MAX_READINGS`) and :func:`combine` gives the step's verdict: proved or refuted only
when every reading agrees, otherwise ``unknown (ambiguous)`` with the readings listed.

A reading is an alternative *tree*: each entry of :data:`POINTS` is a rewriter that makes one
notation explicit in the parse tree of a member (``\\sum_{i \\neq j}`` becomes ``\\sum_{j}
\\sum_{i \\neq j}`` or ``\\sum_{i} \\sum_{j \\neq i}``), deciding from the context where it
can and asking :meth:`Chooser.pick` where it cannot. The elaborator and the independent
referee then read the same explicit tree. A new kind of ambiguity is one entry of
:data:`POINTS`.

>>> c = Chooser()
>>> c.pick("ne-sum", 3, 5, ("binds i", "binds j"))
0
>>> choices(c.met)
[{('ne-sum', 3, 5): 0}, {('ne-sum', 3, 5): 1}]
>>> combine(["proved", "proved"]), combine(["proved", "refuted"])
('proved', 'unknown')
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from derive.latex import ast
from derive.latex.call_powers import call_powers
from derive.latex.elaborate_common import BUILTINS, INDICATORS, OPERATORS
from derive.latex.layouts import mark_layouts
from derive.latex.scope import leading_operator, to_rest
from derive.latex.sum_reach import reach
from derive.latex.superscripts import bare_label, paren_label, relabel

__all__ = ["MAX_READINGS", "POINTS", "Chooser", "Context", "Point", "call_context", "choices",
           "combine", "definition_body", "describe", "explicit"]

#: at most this many readings of one step are checked; more makes the step unknown
MAX_READINGS = 8

Key = tuple[str, int, int]


@dataclass(frozen=True)
class Point:
    """One ambiguity met while reading: its kind, where, and each alternative as read."""

    kind: str
    line: int
    col: int
    options: tuple[str, ...]


@dataclass
class Chooser:
    """What the elaborator asks at an ambiguity point. ``chosen`` is the current reading
    (the first alternative where it says nothing); ``met`` logs every point read."""

    chosen: dict[Key, int] = field(default_factory=dict)
    met: dict[Key, Point] = field(default_factory=dict)

    def pick(self, kind: str, line: int, col: int, options: Sequence[str]) -> int:
        """The alternative to read at this point (an index into ``options``)."""
        if kind not in POINTS:
            raise KeyError(f"unregistered ambiguity point {kind!r}")
        if len(options) < 2:
            return 0
        key = (kind, line, col)
        self.met[key] = Point(kind, line, col, tuple(options))
        return self.chosen.get(key, 0)


def choices(met: Mapping[Key, Point]) -> list[dict[Key, int]] | None:
    """Every combination of alternatives at the points ``met`` (None past MAX_READINGS).

    The same notation met at several places of one step (the same kind with the same
    alternatives, e.g. ``\\sum_{i \\neq k}`` on both sides) is read the same way at each:
    an author does not switch conventions inside one equation, so mixed readings are not
    plausible ones.

    >>> two = {("ne-sum", 1, 5): Point("ne-sum", 1, 5, ("binds i", "binds k")),
    ...        ("ne-sum", 1, 30): Point("ne-sum", 1, 30, ("binds i", "binds k"))}
    >>> choices(two)
    [{('ne-sum', 1, 5): 0, ('ne-sum', 1, 30): 0}, {('ne-sum', 1, 5): 1, ('ne-sum', 1, 30): 1}]
    """
    groups: dict[tuple[str, tuple[str, ...]], list[Key]] = {}
    for k in sorted(met):
        groups.setdefault((met[k].kind, met[k].options), []).append(k)
    total = 1
    for _kind, options in groups:
        total *= len(options)
    if total > MAX_READINGS:
        return None
    return [{k: pick for (_, keys), pick in zip(groups.items(), combo, strict=True)
             for k in keys}
            for combo in itertools.product(*(range(len(opts)) for _, opts in groups))]


def combine(verdicts: Sequence[str]) -> str:
    """proved or refuted only when every reading agrees; otherwise unknown."""
    first = verdicts[0] if verdicts else "unknown"
    if first in ("proved", "refuted") and all(v == first for v in verdicts):
        return first
    return "unknown"


def describe(met: Mapping[Key, Point], choice: Mapping[Key, int]) -> str:
    """One reading in words: the alternative taken at each point, with its place."""
    return "; ".join(f"{met[k].options[choice[k]]} (line {k[1]}:{k[2]})" for k in sorted(met))


@dataclass(frozen=True)
class Context:
    """What decides between readings of one member: the letters free in the chain's other
    members, and the index letters the notes declare or infer."""

    other_free: frozenset[str] = frozenset()
    indices: frozenset[str] = frozenset()
    # superscript letters the notes write as labels / in arithmetic exponents, letters
    # declared (not inferred) as scalars or sizes, and (head, letter) pairs a definition
    # is written with (let a^L_j = ...): derive.latex.superscripts
    labels: frozenset[str] = frozenset()
    powers: frozenset[str] = frozenset()
    declared: frozenset[str] = frozenset()
    decorated: frozenset[tuple[str, str]] = frozenset()
    # names the notes define with arguments (let f(x) = ..., by hand or inferred), and names
    # they declare as quantities or define without arguments: :func:`call_context`
    functions: frozenset[str] = frozenset()
    values: frozenset[str] = frozenset()
    # names the file writes only right before parentheses, never alone: used as functions
    applied: frozenset[str] = frozenset()
    # (line, col) of the fractions read as a Jacobian of a column by a column, and the
    # layout the notes state in words ("" when they state none): derive.latex.layouts
    jacobians: frozenset[tuple[int, int]] = frozenset()
    layout: str = ""


def _letters(node: object) -> list[str]:
    return [n.name for n in ast.walk(node) if isinstance(n, ast.Letter)]


def _binds(op: ast.BigOp) -> str | None:
    """The letter a sum binds when its subscript names one: ``i``, ``i = 1``, ``i \\in S``."""
    sub = op.sub
    if isinstance(sub, ast.Rel) and sub.op in ("=", "\\in"):
        sub = sub.lhs
    return sub.name if isinstance(sub, ast.Letter) else None


def _bound_apart(member: ast.Node, name: str, line: int, col: int) -> int:
    """How many of ``member``'s letters ``name`` a sum binds that does not enclose the sum at
    (line, col): the i of a sibling ``\\sum_i t_i`` is not used outside ``\\sum_{i \\neq j}``.

    >>> from derive.latex.parser import parse_expr_text
    >>> m = parse_expr_text(r"\\sum_i t_i - \\sum_{i \\neq j} t_i t_j", 1, 1)
    >>> ne = [b for b in ast.walk(m) if isinstance(b, ast.BigOp) and _binds(b) is None][0]
    >>> _bound_apart(m, "i", ne.line, ne.col)
    2
    """
    seen: set[int] = set()
    for prod in ast.walk(member):
        if not isinstance(prod, ast.Product):
            continue
        for k, it in enumerate(prod.items):
            if not (isinstance(it, ast.BigOp) and _binds(it) == name):
                continue
            scope = prod.items[k:]
            if any(isinstance(c, ast.BigOp) and (c.line, c.col) == (line, col)
                   for c in ast.walk(scope)):
                continue  # it encloses the \\neq-sum: its letter is used outside
            seen |= {id(n) for n in ast.walk(scope)
                     if isinstance(n, ast.Letter) and n.name == name}
    return len(seen)


def _ne_sum(member: ast.Node, ctx: Context, chooser: Chooser) -> ast.Node:
    """``\\sum_{a \\neq b} body``: which letter it binds.

    The context decides when exactly one letter is used outside the sum (free in another
    member, or written elsewhere in this member, e.g. by an enclosing sum): the other is
    bound. When neither is, the sum runs over the pairs (binding one would leave the other
    free in this member alone). When both are, either may be meant: a point."""
    everywhere = _letters(member)

    def bind(items: tuple[ast.Node, ...], at: int) -> tuple[ast.Node, ...]:
        node = items[at]
        assert isinstance(node, ast.BigOp) and isinstance(node.sub, ast.Rel)
        rel = node.sub
        a, b = rel.lhs, rel.rhs
        if not (isinstance(a, ast.Letter) and isinstance(b, ast.Letter)
                and a.name in ctx.indices and b.name in ctx.indices and a.name != b.name):
            return items
        inside = _letters(items[at:])

        def outside(name: str) -> bool:
            apart = _bound_apart(member, name, node.line, node.col)
            return name in ctx.other_free or everywhere.count(name) - apart > inside.count(name)

        def over(var: ast.Letter, cond: bool) -> ast.BigOp:
            sub = ast.Stack(items=(var, rel), line=rel.line, col=rel.col) if cond else var
            return replace(node, sub=sub)

        out_a, out_b = outside(a.name), outside(b.name)
        spelt = f"\\sum_{{{a.name} \\neq {b.name}}}"
        if out_a and out_b:
            pick = chooser.pick("ne-sum", node.line, node.col,
                                (f"{spelt} binds {a.name}", f"{spelt} binds {b.name}"))
            var = (a, b)[pick]
        elif out_a or out_b:
            var = b if out_a else a
        else:  # the pairs: \sum_a \sum_{b: a \neq b}
            return (*items[:at], replace(node, sub=a, sup=node.sup), over(b, True),
                    *items[at + 1:])
        return (*items[:at], over(var, True), *items[at + 1:])

    def fn(node: ast.Node) -> ast.Node:
        if not isinstance(node, ast.Product):
            return node
        items = node.items
        for at in range(len(items) - 1, -1, -1):
            it = items[at]
            if isinstance(it, ast.BigOp) and isinstance(it.sub, ast.Rel) and (
                it.sub.op == "\\neq"
            ) and at + 1 < len(items):
                items = bind(items, at)
        return node if items is node.items else replace(node, items=items)

    out = ast.rebuild(member, fn)
    assert isinstance(out, ast.Node)
    return out


def _sup_label(member: ast.Node, ctx: Context, chooser: Chooser) -> ast.Node:
    """``a_j^L``: ``L`` a power, or a label naming another symbol (layer L's ``a``).

    The context decides when it can: a letter the notes write as a label elsewhere
    (``z^{[L]}``, ``h^{(L)}``) is a label; one they use in an arithmetic exponent
    (``x^{n-1}``) or declare as a scalar or size is a power, and so is a superscript a
    definition is written with (``let a^L_j = ...`` reads ``a^L_j`` as that definition).
    ``^T``, ``^\\top``, numbers and ``e^{...}`` never reach here
    (:func:`derive.latex.superscripts.bare_label`). Otherwise: a point."""

    # a letter a sum of this member binds stays a letter (\\sum_k w^k: a power of w)
    bound = {n.sub.name if isinstance(n.sub, ast.Letter) else getattr(n.sub.lhs, "name", "")
             for n in ast.walk(member) if isinstance(n, ast.BigOp) and (
                 isinstance(n.sub, (ast.Letter, ast.Rel)))}

    def fn(node: ast.Node) -> ast.Node:
        found = bare_label(node)
        if found is None:
            return paren(node)
        base, letter = found
        assert isinstance(node, ast.Postfix)
        if letter in ctx.powers or letter in ctx.declared or letter in bound or (
                (base.name, letter) in ctx.decorated):
            return node
        if letter in ctx.indices and letter not in ctx.labels:
            return node  # an index letter never written as a label: as before, a power
        if letter not in ctx.labels:
            spelt = f"{base.name}^{letter}"
            if chooser.pick("sup-label", node.line, node.col,
                            (f"{spelt} a power", f"{spelt} a label")) == 0:
                return node
        return relabel(node, base, letter)

    def paren(node: ast.Node) -> ast.Node:
        # h^{(t-1)}, \theta^{(1-x)}: a label where the notes write one of its letters as
        # a label (h^{(t)}), a power where they use one in an exponent or declare it;
        # otherwise a point
        found = paren_label(node)
        if found is None:
            return node
        base, spelling, letters = found
        assert isinstance(node, ast.Postfix)
        if not letters & ctx.labels:
            if letters & (ctx.powers | ctx.declared | bound):
                return node
            spelt = f"{base.name}^{{{spelling}}}"
            if chooser.pick("sup-label", node.line, node.col,
                            (f"{spelt} a power", f"{spelt} a label")) == 0:
                return node
        return relabel(node, base, spelling)

    out = ast.rebuild(member, fn)
    assert isinstance(out, ast.Node)
    return out


#: names before parentheses that are never a point: indicators, operators, built-ins
_NOT_CALLED = frozenset({*INDICATORS, *OPERATORS, *BUILTINS, "d"})
_FONT = re.compile(r"\\(?:mathbf|boldsymbol|bm|vec)\{(\\?[A-Za-z]+)\}")


def _head(item: ast.Node) -> str | None:
    """The name of ``f``, ``\\cdot f`` or ``f'`` before parentheses."""
    item = item.operand if isinstance(item, ast.Op) else item  # type: ignore[assignment]
    if isinstance(item, ast.Postfix) and item.primes and not (item.subs or item.sups):
        item = item.base  # type: ignore[assignment]
    return item.name if isinstance(item, ast.Letter) else None


def _opens(item: ast.Node) -> bool:
    """A parenthesis (under powers or a prime): what a call's head stands before."""
    if isinstance(item, ast.Postfix) and isinstance(item.base, ast.Group) and not item.subs:
        item = item.base
    return isinstance(item, ast.Group) and item.delim == "(" and not item.curly


def applied_names(members: Iterable[ast.Node]) -> frozenset[str]:
    """Names written in ``members`` only right before parentheses (``\\sigma(z)``,
    ``\\sigma'(z)``), at least twice and never alone, with scripts or as a value:
    the notes use them as functions.

    >>> from derive.latex.parser import parse_block
    >>> chains = parse_block(r"a = f(x) + f(y) c + g(x) g + h_1(x) h(y)", 1, 1)
    >>> sorted(applied_names(m for c in chains for m in c.members))
    ['f']
    """
    total: dict[str, int] = {}
    applied: dict[str, int] = {}
    for member in members:
        for n in ast.walk(member):
            if isinstance(n, ast.Letter):
                total[n.name] = total.get(n.name, 0) + 1
            elif isinstance(n, ast.Product):
                for a, b in zip(n.items, n.items[1:], strict=False):
                    if (name := _head(a)) is not None and _opens(b):
                        applied[name] = applied.get(name, 0) + 1
    return frozenset(n for n, k in applied.items() if k >= 2 and total.get(n) == k)


def call_context(defs: Mapping[str, Sequence[object]], quantities: Iterable[str],
                 members: Iterable[ast.Node] = ()) -> dict[str, frozenset[str]]:
    """What decides ``f(x)`` (:func:`_call_product`): the names ``defs`` (name -> its
    definitions, each with ``args``, None for a definition without arguments) defines with
    letters as arguments are functions; those it defines without arguments and the declared
    ``quantities`` (scalars, sizes, indices, tensors) are values.

    >>> class D:  # a definition: only its arguments matter here
    ...     def __init__(self, args): self.args = args
    >>> x = ast.Letter(name="x")
    >>> ctx = call_context({"f": [D((x,))], "c": [D(None)], "g": [D((ast.Add(),))]}, ["a", "K"])
    >>> sorted(ctx["functions"]), sorted(ctx["values"])
    (['f'], ['K', 'a', 'c'])
    """
    def params(d: object) -> bool:  # f(x, y): parameters are letters, never a + b
        args = getattr(d, "args", None)
        return args is not None and all(isinstance(a, ast.Letter) for a in args)

    functions = {name for name, ds in defs.items() if any(params(d) for d in ds)}
    values = {name for name, ds in defs.items()
              if any(getattr(d, "args", None) is None for d in ds)}
    # written only as f(...): a function, unless the notes also define f without arguments
    return {"functions": frozenset(functions), "values": frozenset(values) | set(quantities),
            "applied": applied_names(members) - values}


def _dependence_argument(group: ast.Group) -> bool:
    """``\\mathcal{L}(\\mathbf{w})``: parentheses holding one bold vector after a name the
    notes define without arguments, the usual way of writing what a loss depends on as much
    as a product of two quantities: never a product decided alone."""
    return len(group.items) == 1 and isinstance(item := group.items[0], ast.Letter) and (
        _FONT.fullmatch(item.name) is not None)


def _call_product(member: ast.Node, ctx: Context, chooser: Chooser) -> ast.Node:
    """``f(x)``: a letter before parentheses is a call of ``f`` or ``f`` times ``(x)``.

    The context decides when it can: a name the notes define with arguments (``let f(x) =
    ...``, by hand or inferred, such as the logistic ``\\sigma(t)``) is a call; one they
    declare as a quantity (scalar, size, index, tensor) or define without arguments is a
    value, which multiplies the parentheses; a list of several arguments ``f(x, y)`` is a
    call. A name that is both, or neither, is a point. The product reading is made explicit
    (the parentheses become a product of their own, so the elaborator and the referee never
    read a call there); the call reading keeps the tree, which both read as a call of the
    definition with as many arguments, and never as a product of an undeclared letter.

    A function whose parentheses hold its own name used bare, ``\\sigma(1 - \\sigma)``,
    ``\\sigma'(1 - 2\\sigma)``, multiplies them: the author writes the name as a value
    right there, so reading ``\\sigma`` of ``1 - \\sigma`` would compose it with itself.
    A name that is both a function and a quantity (not declared by hand as a scalar or
    size, not defined without arguments), but that the file writes only before parentheses
    (:func:`applied_names`), is used as a function: a call. A
    primed function (``f'(a)``, Lagrange's derivative at ``a``) follows the same rules; a
    primed name that is no function is left as written."""

    def called(item: ast.Node) -> tuple[ast.Letter, bool] | None:
        letter = item.operand if isinstance(item, ast.Op) else item
        primed = isinstance(letter, ast.Postfix) and letter.primes > 0 and not (
            letter.subs or letter.sups)
        if primed:
            letter = letter.base  # type: ignore[union-attr]
        if isinstance(letter, ast.Letter) and letter.name not in _NOT_CALLED:
            return letter, primed
        return None

    def bracket(item: ast.Node) -> ast.Group | None:
        if isinstance(item, ast.Postfix) and isinstance(item.base, ast.Group) and not item.subs:
            item = item.base  # c(a + b)^2, f(x)'
        return item if isinstance(item, ast.Group) and item.delim == "(" and not (
            item.curly) else None

    def entry_of(item: ast.Node) -> bool:
        """Is ``item`` parentheses with a subscript, ``(x)_i`` (after a letter: an entry of
        a call's value, ``s(x)_i``, or the letter times an entry)?"""
        return (isinstance(item, ast.Postfix) and isinstance(item.base, ast.Group)
                and item.base.delim == "(" and not item.base.curly and bool(item.subs)
                and not item.sups and not item.primes)

    def primed_call(head: ast.Node, after: ast.Node) -> ast.Node | None:
        """``f(x)'``, ``\\log(x)'``: the prime is on the call, ``[f(x)]'``; None when the
        parentheses carry no prime (or a power too: which comes first is not written)."""
        if not (isinstance(after, ast.Postfix) and after.primes and not after.sups):
            return None
        op = head.op if isinstance(head, ast.Op) else None
        fn = head.operand if isinstance(head, ast.Op) else head
        call = ast.Product(items=(fn, replace(after, primes=0) if after.subs else after.base),
                           line=fn.line, col=fn.col)  # type: ignore[union-attr,arg-type]
        whole = ast.Postfix(base=ast.Group(delim="(", items=(call,), line=fn.line,
                                           col=fn.col),  # type: ignore[union-attr]
                            primes=after.primes, line=fn.line, col=fn.col)  # type: ignore[union-attr]
        return ast.Op(op=op, operand=whole, line=head.line, col=head.col) if op else whole

    def bare(group: ast.Group, names: set[str]) -> bool:
        """``names`` written in ``group`` other than right before parentheses."""
        total = sum(1 for n in ast.walk(group) if isinstance(n, ast.Letter) and n.name in names)
        applied = sum(1 for n in ast.walk(group) if isinstance(n, ast.Product)
                      for a, b in zip(n.items, n.items[1:], strict=False)
                      if (c := called(a)) is not None and c[0].name in names
                      and bracket(b) is not None)
        return total > applied

    def fn(node: ast.Node) -> ast.Node:
        if not isinstance(node, ast.Product):
            return node
        items = list(node.items)
        at = 0
        while at < len(items) - 1:
            at += 1
            head = items[at - 1]
            fn_head = head.operand if isinstance(head, ast.Op) else head
            if isinstance(fn_head, ast.Func) and (
                    whole := primed_call(head, items[at])) is not None:
                items[at - 1:at + 1] = [whole]  # \log(x)': always a call
                continue
            found, group = called(head), bracket(items[at])
            if found is not None and group is None and entry_of(items[at]):
                # s(\mathbf x)_i: the i-th entry of the call s(x), or s times (x)_i
                letter = found[0]
                names = {letter.name, m.group(1)} if (m := _FONT.fullmatch(letter.name)) else {
                    letter.name}
                if names & ctx.declared and not names & ctx.functions:
                    continue  # a quantity declared by hand: it multiplies, as written
                if chooser.pick("call-product", letter.line, letter.col,
                                (f"{letter.name}(...)_{{...}} an entry of a call",
                                 f"{letter.name}(...)_{{...}} a product")) == 0:
                    items[at - 1:at + 1] = [ast.Unreadable(
                        line=letter.line, col=letter.col, message=(
                            f"{letter.name}(...)_{{...}}: an entry of the value of a call "
                            "is not read (write the entry's own name, as in s_i)"))]
                continue
            if found is None or group is None or len(group.items) != 1:
                continue
            letter, primed = found
            m = _FONT.fullmatch(letter.name)
            names = {letter.name, m.group(1)} if m else {letter.name}
            function, value = bool(names & ctx.functions), bool(names & ctx.values)
            if primed and not function:
                continue  # x'(...): no function of the notes; read as written
            if function and value and names & ctx.applied and not names & ctx.declared:
                value = False  # both, but the file writes it only as f(...): a function
            if function and not value:
                product = bare(group, names)
            elif value and not function and not names & ctx.declared and (
                    _dependence_argument(group)):
                # \mathcal{L}(\mathbf{w}) with L defined alone: what L depends on, or L
                # times the vector: neither reading is read, the link is unknown
                items[at - 1:at + 1] = [ast.Unreadable(
                    line=letter.line, col=letter.col, message=(
                        f"{letter.name}(...): {letter.name} is defined without arguments, so "
                        "the parentheses after it may say what it depends on or multiply "
                        "it; derive reads neither (write the name alone, or define it with "
                        "its argument)"))]
                continue
            elif value and not function:
                product = True
            else:
                spelt = f"{letter.name}(...)"
                product = chooser.pick("call-product", letter.line, letter.col,
                                       (f"{spelt} a call", f"{spelt} a product")) == 1
            if product:
                nxt = items[at]
                items[at] = ast.Product(items=(nxt,), line=nxt.line, col=nxt.col)
            elif not primed and (whole := primed_call(head, items[at])) is not None:
                items[at - 1:at + 1] = [whole]  # f(x)' read as a call: [f(x)]'
        new = tuple(items)
        return node if new == node.items else replace(node, items=new)

    out = ast.rebuild(member, fn)
    assert isinstance(out, ast.Node)
    return out


def _explicit_operand(member: ast.Node) -> bool:
    """The leading operator's operand is one bracketed group, ``\\frac{d}{dx} (a) - b`` or
    ``\\left( a \\right)``: the author wrote its scope (the first term only)."""
    assert isinstance(member, ast.Add)
    first = member.terms[0][1]
    assert isinstance(first, ast.Product)
    rest = first.items[1:]
    return len(rest) == 1 and isinstance(rest[0], ast.Group) and not rest[0].curly


def _scope(member: ast.Node, ctx: Context, chooser: Chooser) -> ast.Node:
    """``\\frac{\\partial}{\\partial x} a - b``: the operator on ``a`` only (the strict
    reading) or on the whole ``a - b`` (what authors often mean; derive.latex.scope).

    No point where nothing is in question: no operator at the front of a sum or difference
    (``\\frac{\\partial f}{\\partial x} - b`` has no operand), or an operand in brackets
    (``\\frac{d}{dx} (a) - b``, ``\\left( a - b \\right)``), which writes the scope out; a
    block under ``% derive: scope rest`` is made wide before the policy reads it."""
    op = leading_operator(member)
    if op is None or _explicit_operand(member):
        return member
    pick = chooser.pick("scope", op.line, op.col, ("the operator acts on its first term",
                                                   "the operator acts on the whole member"))
    return to_rest(member) if pick == 1 else member


#: the registry of ambiguity points: kind -> (what is ambiguous, the rewriter that makes it
#: explicit in a member's tree, deciding from the context where it can)
POINTS: dict[str, tuple[str, Callable[[ast.Node, Context, Chooser], ast.Node]]] = {
    "ne-sum": ("which letter a sum over a \\neq b binds", _ne_sum),
    "sup-label": ("a bare letter superscript: a power or a label", _sup_label),
    "call-product": ("a letter before parentheses: a call or a product", _call_product),
    "call-power": ("\\log(u)^y, \\exp(u)^y: the power of the value or the value of the power",
                   lambda member, ctx, chooser: call_powers(member, chooser.pick)),
    "scope": ("how far a derivative operator before a sum or difference reaches", _scope),
    "sum-reach": ("a sum whose letter a later term uses: its term or the rest",
                  lambda member, ctx, chooser: reach(member, ctx.indices, chooser.pick)),
    "layout": ("a Jacobian of a column by a column: numerator or denominator layout",
               lambda member, ctx, chooser: mark_layouts(member, ctx.jacobians, ctx.layout,
                                                         chooser.pick)),
}


def explicit(member: ast.Node, ctx: Context, chooser: Chooser) -> ast.Node:
    """``member`` with every registered notation made explicit under ``chooser``'s reading
    (the points the context does not decide are logged in ``chooser.met``)."""
    for _, rewrite in POINTS.values():
        member = rewrite(member, ctx, chooser)
    return member


def definition_body(pattern: ast.Node, body: ast.Node, indices: Iterable[str]
                    ) -> tuple[ast.Node, list[Point]]:
    """A definition's body (``let Q = \\sum_{i \\neq j} t_i t_j``) with its \\neq-sums made
    explicit as in a step (:func:`_ne_sum`): the letters of the pattern (``R_j``,
    ``f(x)``) are the ones used outside. The points it leaves undecided are returned (a
    definition has one reading: the caller refuses it, never picks one), and so is a
    call followed by a power (``let g = \\log(p)^{y}``: :mod:`derive.latex.call_powers`).

    >>> from derive.latex.parser import parse_expr_text
    >>> q = parse_expr_text(r"Q", 1, 1)
    >>> b = parse_expr_text(r"\\sum_{i \\neq j} t_i t_j", 1, 5)
    >>> out, met = definition_body(q, b, "ij")
    >>> [type(x).__name__ for x in out.items], met
    (['BigOp', 'BigOp', 'Postfix', 'Postfix'], [])
    """
    chooser = Chooser()
    ctx = Context(other_free=frozenset(_letters(pattern)), indices=frozenset(indices))
    out = call_powers(_ne_sum(body, ctx, chooser), chooser.pick)
    return out, list(chooser.met.values())
