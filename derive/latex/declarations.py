"""The ``% derive:`` comment language: what the notes' symbols mean.

One directive per comment line; the notes still compile with pdflatex because every
directive is a LaTeX comment.

==========================  ==========================================================
``size K, D, N``            positive integers (never given a value by a proof); a size
                            may also be an index letter ("k classes"): then it is the
                            size only as the upper limit of a sum or product
``index i, l in 1..D``      index letters and their ranges (bounds may use sizes)
``tensor \\theta_{ij}, x_i``  indexed quantities; the shape comes from the index ranges.
                            Fewer indices give a slice: ``\\theta_{.k}`` (column k),
                            ``X_n`` (row n); no index gives the whole vector or matrix
``label y_n in 1..K``       an integer-valued quantity used as an index (``f_{y_n}``)
``scalar \\lambda``          a real constant
``name x_1, g_2, dw``       spellings that are names of their own (x_1, x_{1}, x1), not
                            entries of a vector x; dw: a gradient name, not d times w;
                            their kind is declared or inferred
``let <pattern> = <LaTeX>``  a definition; the pattern may carry index parameters
                            (``\\sigma_k``), decorations (``\\text{SoftMax}_\\Theta``)
                            and arguments (``(\\mathbf{x}, k)``, ``(\\mathbf{z})``)
``assume \\sum_{k=1}^K y_k = 1``  a hypothesis (a quantity that sums to one)
``where k = y_i``            the next block holds only under this condition;
                            ``where x = [2, 2, 2]`` gives x that value in the next block
``prime f_k``               in the next block, ``[...]'`` means ∂/∂f_k
``skip <reason>``           the next block illustrates; it is reported, not checked
==========================  ==========================================================

>>> from derive.latex.chains import extract
>>> d = parse_declarations(extract("% derive: size K\\n% derive: index k in 1..K\\n", "n.tex"))
>>> sorted(d.sizes), d.indices["k"][1:]
(['K'], (1, K))
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import sympy as sp

from derive.latex import ast
from derive.latex.ambiguity import definition_body
from derive.latex.chains import Directive, Notes
from derive.latex.errors import located
from derive.latex.numeral_names import names_in
from derive.latex.parser import parse_block, parse_expr_text
from derive.latex.scripts import sample_index, split_scripts, split_top

__all__ = ["Declarations", "Definition", "Tensor", "parse_declarations"]

# "\in \{0, 1\}" (binary labels) or "\ge 0" / "\geq 0" (nonnegative), at the end of
# an assume line, with an optional "for every n" remark after it.
_ENTRY_HYPOTHESES = re.compile(
    r"\s*(\\in\s*\\\{\s*0\s*,\s*1\s*\\\}|\\geq?\s*0)\s*(\\(text|quad|qquad)\b.*)?$")

KEYWORDS = ("name", "size", "index", "tensor", "label", "scalar", "let", "assume", "where",
            "prime", "skip", "scope", "auto", "manual")
BLOCK_DIRECTIVES = ("where", "prime", "skip", "scope")


@dataclass
class Tensor:
    """A declared indexed quantity: ``base`` with one index letter per slot."""

    spelling: str
    base: sp.IndexedBase
    slots: tuple[str, ...]
    shape: tuple[sp.Expr, ...]
    label_range: tuple[sp.Expr, sp.Expr] | None = None


@dataclass
class Definition:
    """``let head_{subs}^{sups}(args) = body``."""

    ident: int
    head: str
    subs: tuple[ast.Node, ...]
    sups: tuple[ast.Node, ...]
    args: tuple[ast.Node, ...] | None
    body: ast.Node
    line: int
    col: int


@dataclass
class Declarations:
    source: str
    sizes: dict[str, sp.Symbol] = field(default_factory=dict)
    indices: dict[str, tuple[sp.Symbol, sp.Expr, sp.Expr]] = field(default_factory=dict)
    tensors: dict[str, Tensor] = field(default_factory=dict)
    scalars: dict[str, sp.Symbol] = field(default_factory=dict)
    defs: dict[str, list[Definition]] = field(default_factory=dict)
    # (lhs, rhs, line, col): rhs is a node for "lhs = rhs", or a kind ("binary",
    # "nonnegative") for "y_n \in \{0, 1\}" and "y_n \ge 0"
    assumptions: list[tuple[ast.Node, ast.Node | str, int, int]] = field(default_factory=list)
    block_directives: list[Directive] = field(default_factory=list)
    text_names: frozenset[str] = frozenset()
    display: dict[str, str] = field(default_factory=dict)

    def index_symbol(self, name: str) -> sp.Symbol | None:
        entry = self.indices.get(name)
        return entry[0] if entry else None


def _plain_name(spelling: str) -> str:
    name = re.sub(r"\\(mathbf|boldsymbol|bm|vec|mathcal|text|mathrm)\{([^{}]*)\}", r"\2",
                  spelling)
    name = re.sub(r"[^A-Za-z0-9]", "", name)
    return name or "q"


class _Reader:
    def __init__(self, notes: Notes, trees: Mapping[tuple[str, int, int, frozenset[str]],
                                                    tuple[ast.Chain, ...]] | None = None
                 ) -> None:
        self.notes = notes
        # (rest, line, rest_col, text names) of a let line -> the trees its display gave
        self.trees = trees or {}
        self.decl = Declarations(source=notes.source)
        names: set[str] = set()
        for d in notes.directives:
            if d.keyword in ("let", "tensor", "scalar", "label"):
                names.update(s.strip() for s in re.findall(r"\\text\{([^{}]*)\}", d.rest))
        self.decl.text_names = frozenset(names) | names_in(notes.directives)
        # index symbols keep their letter as name; a size spelt like an index letter
        # ("k classes", "index k in 1..k") gets another internal name
        self.used_names: set[str] = set()
        self.seen: dict[str, int] = {}  # name -> line of its declaration
        for d in notes.directives:
            if d.keyword == "index":
                head = d.rest.split(" in ")[0]
                self.used_names.update(p.strip().lstrip("\\") for p in head.split(","))

    def _claim(self, d: Directive, off: int, name: str, kind: str) -> None:
        """One declaration per quantity: a second (tensor and scalar, or twice) is an error
        naming both lines, so no verdict depends on the order of the lines."""
        if name in self.decl.tensors or name in self.decl.scalars or (
            kind == "scalar" and name in self.decl.sizes
        ):
            raise self.err(d, off, f"{name} is declared twice (here as a {kind}, and at line "
                           f"{self.seen.get(name, '?')}): expected one declaration")
        self.seen[name] = d.line

    def err(self, d: Directive, offset: int, msg: str) -> Exception:
        return located(self.notes.source, d.line, d.rest_col + offset, msg)

    def parse(self, d: Directive, text: str, offset: int = 0) -> ast.Node:
        return parse_expr_text(text, d.line, d.rest_col + offset, self.decl.text_names,
                               self.notes.source)

    def fresh_name(self, spelling: str) -> str:
        stem = _plain_name(spelling)
        name, n = stem, 1
        while name in self.used_names:
            n += 1
            name = f"{stem}{n}"
        self.used_names.add(name)
        self.decl.display[name] = spelling
        return name

    def letter_name(self, d: Directive, node: ast.Node, off: int, what: str) -> str:
        if not isinstance(node, ast.Letter):
            raise self.err(d, off, f"{what}: expected a single symbol such as K or \\lambda")
        return node.name

    def run(self) -> Declarations:
        order = {k: n for n, k in enumerate(KEYWORDS)}
        for d in self.notes.directives:
            if d.keyword not in order:
                raise located(self.notes.source, d.line, d.col,
                              f"unknown directive {d.keyword!r}: expected one of "
                              + ", ".join(KEYWORDS))
        # sizes before indices before quantities, wherever they are written
        for d in sorted(self.notes.directives, key=lambda d: (order[d.keyword], d.line)):
            getattr(self, "do_" + d.keyword)(d)
        return self.decl

    def do_size(self, d: Directive) -> None:
        for off, piece in split_top(d.rest):
            name = self.letter_name(d, self.parse(d, piece, off), off, f"size {piece!r}")
            if name in self.decl.sizes:  # "size K" twice says the same thing twice
                continue
            self.seen[name] = d.line
            self.decl.sizes[name] = sp.Symbol(self.fresh_name(name), integer=True,
                                              positive=True)

    def _bound(self, d: Directive, text: str, off: int) -> sp.Expr:
        node = self.parse(d, text, off)
        if isinstance(node, ast.Num) and node.text.isdigit():
            return sp.Integer(int(node.text))
        if isinstance(node, ast.Letter) and node.name in self.decl.sizes:
            return self.decl.sizes[node.name]
        raise self.err(d, off, f"range bound {text.strip()!r}: expected a number or a "
                       "declared size")

    def _range(self, d: Directive) -> tuple[str, int, sp.Expr, sp.Expr]:
        m = re.match(r"(.*?)\s+in\s+(.+?)\s*\.\.\s*(.+)$", d.rest)
        if m is None:
            raise self.err(d, 0, f"{d.keyword} {d.rest.strip()!r}: expected "
                           f"'{d.keyword} <names> in <low>..<high>', e.g. 'index i in 1..D'")
        lo = self._bound(d, m.group(2), m.start(2))
        hi = self._bound(d, m.group(3), m.start(3))
        return m.group(1), 0, lo, hi

    def do_index(self, d: Directive) -> None:
        names, _, lo, hi = self._range(d)
        for off, piece in split_top(names):
            name = self.letter_name(d, self.parse(d, piece, off), off, f"index {piece!r}")
            old = self.decl.indices.get(name)
            if old is not None and (old[1], old[2]) != (lo, hi):
                raise self.err(d, off, f"index {name} in {lo}..{hi} contradicts index {name} "
                               f"in {old[1]}..{old[2]} (line {self.seen[name]}): expected one "
                               "range per index letter")
            self.seen.setdefault(name, d.line)
            self.decl.indices[name] = (sp.Symbol(name, integer=True), lo, hi)

    def _tensor(self, d: Directive, piece: str, off: int) -> tuple[str, tuple[str, ...]]:
        node = self.parse(d, piece, off)
        if isinstance(node, ast.Letter):
            raise self.err(d, off, f"tensor {piece!r} has no index: expected e.g. x_i or "
                           "\\theta_{ij} (declare a constant with 'scalar')")
        samples = [sample_index(s) for s in node.sups] if isinstance(node, ast.Postfix) else []
        if not (isinstance(node, ast.Postfix) and isinstance(node.base, ast.Letter)
                and len(node.subs) <= 1 and all(s is not None for s in samples)):
            raise self.err(d, off, f"tensor {piece!r}: expected a symbol with index letters, "
                           "as in \\theta_{ij} or x^{(i)}_j")
        items: tuple[ast.Node, ...] = tuple(s for s in samples if s is not None)
        if node.subs:
            sub = node.subs[0]
            items += sub.items if isinstance(sub, ast.Seq) else (
                sub.items if isinstance(sub, ast.Product) else (sub,))
        slots = []
        for it in items:
            if not isinstance(it, ast.Letter) or it.name not in self.decl.indices:
                raise self.err(d, off, f"tensor {piece!r}: every subscript must be a declared "
                               "index letter ('index i in 1..D')")
            slots.append(it.name)
        return node.base.name, tuple(slots)

    def _add_tensor(self, d: Directive, piece: str, off: int,
                    label: tuple[sp.Expr, sp.Expr] | None = None) -> None:
        head, slots = self._tensor(d, piece, off)
        self._claim(d, off, head, "tensor")
        shape = tuple(self.decl.indices[s][2] - self.decl.indices[s][1] + 1 for s in slots)
        base = sp.IndexedBase(self.fresh_name(head), shape=shape)
        self.decl.tensors[head] = Tensor(head, base, slots, shape, label)

    def do_tensor(self, d: Directive) -> None:
        for off, piece in split_top(d.rest):
            self._add_tensor(d, piece, off)

    def do_label(self, d: Directive) -> None:
        names, _, lo, hi = self._range(d)
        for off, piece in split_top(names):
            self._add_tensor(d, piece, off, label=(lo, hi))

    def do_scalar(self, d: Directive) -> None:
        for off, piece in split_top(d.rest):
            name = self.letter_name(d, self.parse(d, piece, off), off, f"scalar {piece!r}")
            self._claim(d, off, name, "scalar")
            self.decl.scalars[name] = sp.Symbol(self.fresh_name(name), real=True)

    def do_let(self, d: Directive) -> None:
        read = self.trees.get((d.rest, d.line, d.rest_col, self.decl.text_names))
        chains = list(read) if read is not None else parse_block(
            d.rest, d.line, d.rest_col, self.decl.text_names, self.notes.source)
        if len(chains) != 1 or len(chains[0].members) != 2:
            raise self.err(d, 0, "let: expected '<pattern> = <definition>'")
        pattern, body = chains[0].members
        # a sum over a \neq b in the body is read by the ambiguity policy, as in a step
        body, undecided = definition_body(pattern, body, self.decl.indices)
        if undecided and undecided[0].kind == "ne-sum":
            raise self.err(d, 0, f"let: {undecided[0].options[0].split(' binds')[0]} can bind "
                           "either letter here (both are used outside it): expected the "
                           "pattern to name the free one")
        if undecided:  # a definition has one reading: brackets must say which
            raise self.err(d, 0, f"let: {undecided[0].options[0]} or "
                           f"{' or '.join(undecided[0].options[1:]).split('} ', 1)[-1]}? "
                           "expected brackets that say which, as in (\\log x)^y or "
                           "\\log(x^y)")
        args: tuple[ast.Node, ...] | None = None
        if isinstance(pattern, ast.Product) and len(pattern.items) == 2 and isinstance(
            pattern.items[1], ast.Group
        ) and pattern.items[1].delim == "(":
            args = pattern.items[1].items
            pattern = pattern.items[0]
        if isinstance(pattern, ast.Letter):
            head, subs, sups = pattern.name, (), ()
        elif isinstance(pattern, ast.Postfix) and isinstance(pattern.base, ast.Letter):
            if len(pattern.subs) > 1 or pattern.primes:
                raise self.err(d, 0, "let: expected at most one subscript in the pattern")
            head = pattern.base.name
            subs, sups = split_scripts(pattern, self.decl.indices)  # H^{(i)}_{mj}: i, m, j
        else:
            raise self.err(d, 0, "let: the left side must be a symbol, optionally with a "
                           "subscript and arguments, e.g. \\sigma_k or \\zeta_k(\\mathbf{z})")
        tensor = self.decl.tensors.get(head)
        # "let y_k = y_{ik}" (fewer indices) and "let y^* = ..." are abbreviations beside
        # the tensor; "let z_k = ..." beside "tensor z_k" would be a second meaning
        same = (tensor is not None and len(subs) == len(tensor.slots)) or (
            head in self.decl.scalars and not subs)
        if same and not sups and args is None:
            kind = "tensor" if tensor is not None else "scalar"
            raise self.err(d, 0, f"let {head}... contradicts {kind} {head} (line "
                           f"{self.seen[head]}): a name is a declared quantity or a "
                           "definition, not both")
        ident = sum(len(v) for v in self.decl.defs.values())
        self.decl.defs.setdefault(head, []).append(
            Definition(ident, head, subs, sups, args, body, d.line, d.rest_col))

    def do_assume(self, d: Directive) -> None:
        kind = _ENTRY_HYPOTHESES.search(d.rest)
        if kind is not None:  # a hypothesis on every entry: y_n \in \{0, 1\}, y_k \ge 0
            chains = parse_block(d.rest[:kind.start()], d.line, d.rest_col,
                                 self.decl.text_names, self.notes.source)
            if len(chains) != 1 or len(chains[0].members) != 1:
                raise self.err(d, 0, "assume: expected one quantity before "
                               f"{kind.group(0).strip()!r}, such as y_n \\in \\{{0, 1\\}}")
            kind_name = "binary" if "in" in kind.group(0) else "nonnegative"
            self.decl.assumptions.append((chains[0].members[0], kind_name, d.line, d.rest_col))
            return
        chains = parse_block(d.rest, d.line, d.rest_col, self.decl.text_names,
                             self.notes.source)
        if len(chains) != 1 or len(chains[0].members) != 2:
            raise self.err(d, 0, "assume: expected an equation such as \\sum_{k=1}^K y_k = 1")
        lhs, rhs = chains[0].members
        self.decl.assumptions.append((lhs, rhs, d.line, d.rest_col))

    def do_where(self, d: Directive) -> None:
        self.decl.block_directives.append(d)

    do_prime = do_where
    do_skip = do_where

    def do_scope(self, d: Directive) -> None:
        if d.rest.strip() != "rest":
            raise self.err(d, 0, f"scope {d.rest.strip()!r}: expected 'scope rest' (a "
                           "derivative operator that begins a member acts on all of it)")
        self.decl.block_directives.append(d)

    def do_name(self, d: Directive) -> None:
        """``name x_1, x_2``: spellings that are names of their own, not entries of a vector
        x (:mod:`derive.latex.numeral_names`); the tokenizer reads them so (text names)."""
        for off, piece in split_top(d.rest):
            if not names_in([Directive(d.line, d.col, d.keyword, piece, d.rest_col)]):
                raise self.err(d, off, f"name {piece.strip()!r}: expected a lower-case letter "
                               "with a numeral subscript, such as x_1, or a gradient name "
                               "such as dw")

    def do_auto(self, d: Directive) -> None:
        """``auto``: accepted and changes nothing (inference is on by default)."""

    def do_manual(self, d: Directive) -> None:
        """``manual``: no definitions inferred from the notes' own lines (derive.latex.infer)."""


def parse_declarations(notes: Notes, trees: Mapping[tuple[str, int, int, frozenset[str]],
                                                    tuple[ast.Chain, ...]] | None = None
                       ) -> Declarations:
    """Read every ``% derive:`` line of the notes (order of lines does not matter).

    ``trees``: the chains of a ``let`` line already read from the display it repeats, by
    ``(rest, line, rest_col, text names)`` (:func:`derive.latex.blocks.definition_trees`),
    so that line is not parsed again."""
    return _Reader(notes, trees).run()
