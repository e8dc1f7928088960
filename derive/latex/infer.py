"""Declarations the notes already state: inferred, printed with ``--explain``, never forced.

The notes say most of what the ``% derive:`` lines would say:

- ``\\sum_{k=1}^{K}``: ``K`` is a size and ``k`` an index in ``1..K``;
- ``x_k`` inside that sum: slot 1 of ``x`` runs over ``1..K``, so every other letter written
  in that slot (``x_j``) has that range too; a letter in a labelled slot (``f_{y_i}``) makes
  ``y_i`` a label;
- a subscripted letter that is not declared or defined (``o_k``, ``x^{(i)}_d``) is a tensor;
- a chain whose first member is an undefined name (``p_j = \\frac{...}``, ``\\mathcal{L} = ...``)
  defines it by the first member after it whose names are all known. This is on by default
  (``% derive: auto`` is accepted and changes nothing); ``% derive: manual`` turns it off.

Explicit declarations always win: a name declared by hand is never inferred. A letter
given two different ranges by the notes is left undeclared and reported, so its block
stays ``unknown`` with a hint rather than being checked over a guessed range. When the
file has exactly one size, an index letter with no other evidence runs over ``1..size``.

>>> from derive.latex.chains import extract
>>> notes = extract("$$L = \\\\sum_{k=1}^{K} y_k$$\\n", "n.md")
>>> [d.keyword + " " + d.rest for d in infer_directives(notes)]
['size K', 'index k in 1..K', 'tensor y_{k}', 'let L = \\\\sum_{k=1}^{K} y_k']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from derive.errors import DeriveError
from derive.latex import ast
from derive.latex.blocks import Block
from derive.latex.chains import Directive, Notes, Segment
from derive.latex.charmap import UnknownCharacter, normalize
from derive.latex.errors import located
from derive.latex.infer_candidates import refused
from derive.latex.parser import parse_block
from derive.latex.prose import InlineDefinition, inline_definitions
from derive.latex.prose_domains import domain_assumptions, prose_domains
from derive.latex.scripts import sample_index, split_top
from derive.latex.superscripts import unlabelled
from derive.latex.tokens import tokenize

_ELIDED = ("\\vdots", "\\cdots", "\\ldots", "\\ddots")

__all__ = ["Inference", "Undefined", "infer", "infer_directives", "inference"]

# names with a fixed meaning: never inferred as quantities
TRANSPOSED = frozenset({"T", "\\top", "\\intercal", "\\prime"})
SPECIAL = frozenset({
    "\\partial", "\\nabla", "\\delta", "e", "d", "\\mathrm{d}", "\\top", "T", "\\intercal",
    "\\vdots", "\\cdots", "\\ldots", "\\ddots", "I", "\\mathbb{1}", "\\mathbf{1}",
    "\\boldsymbol{1}", "\\bm{1}", "\\mathbb{I}", "*", "\\prime",
})


# the logistic function's spellings: defined by inference when used and never defined
SIGMOIDS = ("\\sigma", "\\text{sigmoid}")
# a letter that may be a real scalar: one lower-case Latin or Greek letter
_SCALAR = re.compile(r"[a-z]|\\(?:alpha|beta|gamma|epsilon|varepsilon|eta|theta|kappa|"
                     r"lambda|mu|nu|rho|sigma|tau|phi|varphi|omega|xi|zeta|psi)")

# function names the elaborator knows without a declaration
BUILTIN = frozenset({"\\text{softmax}", "\\text{logsumexp}", "\\text{diag}", "\\log",
                     "\\exp", "\\ln"})


@dataclass
class _Facts:
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


def _heads(nodes: object) -> list[tuple[str, int, int]]:
    """The quantity names written in ``nodes`` (with their positions): letters and the
    bases of scripted names, never the letters in their scripts (indices), never markers."""
    out: list[tuple[str, int, int]] = []
    if isinstance(nodes, tuple):
        for it in nodes:
            out += _heads(it)
        return out
    if isinstance(nodes, ast.Postfix):
        return _heads(nodes.base)
    if isinstance(nodes, ast.Letter):
        if nodes.name not in SPECIAL and nodes.name not in _MARKERS:
            out.append((nodes.name, nodes.line, nodes.col))
        return out
    if isinstance(nodes, ast.BigOp):
        return out  # its limits hold indices and sizes; its body is the rest of the product
    if isinstance(nodes, ast.Node):
        for value in vars(nodes).values():
            out += _heads(value)
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


def _derivatives(node: ast.Node) -> list[tuple[tuple[ast.Node, ...], tuple[ast.Node, ...]]]:
    """(differentiated, variable) of every derivative written in ``node``:
    ``\\frac{\\partial p_k}{\\partial z_j}``, ``\\partial p_k / \\partial z_j``,
    ``\\partial_{z_j} p_k`` (the operator's operand is the next factor)."""
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
    return out


def _single(num: tuple[ast.Node, ...]) -> bool:
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
    return arg if _single((arg,)) else None


def _collect(node: ast.Node, facts: _Facts) -> None:
    if isinstance(node, ast.Chain) and len(node.members) >= 2:
        # \log(\lambda_i) = \beta^T x_i: lambda is a function of beta and x, stated
        # through an inverse; never an independent quantity (it is not a definition)
        arg = _through(node.members[0])
        if arg is not None:
            wrt = {h for m in node.members[1:] for h, _, _ in _heads(m)}
            for head, line, col in _heads(arg):
                for var in sorted(wrt - {head}):
                    facts.implicit.append((head, var, line, col))
    for num, den in _derivatives(node):
        if not _single(num):
            continue
        wrt = {h for h, _, _ in _heads(den)}
        for head, line, col in _heads(num[:1]):  # p_k(z): p, not its argument
            for var in sorted(wrt - {head}):
                facts.derived.append((head, var, line, col))
    for n in ast.walk(node):
        if isinstance(n, ast.Norm):  # \\| x \\|: what a norm holds is a vector
            facts.normed |= {h for h, _, _ in _heads(n.body)}
        if isinstance(n, ast.Product):
            for a, b in zip(n.items, n.items[1:], strict=False):
                if isinstance(a, ast.Letter) and isinstance(b, ast.Group) and b.delim == "(":
                    facts.calls.add(a.name)  # f(x): a function, or a product; not a scalar
                ha, hb = _vector_head(a), _vector_head(b)
                if ha is not None and hb is not None and isinstance(a, ast.Postfix) and any(
                    _transposes(sup) for sup in a.sups
                ):
                    facts.partners.append((ha, _slot_count(a), hb, _slot_count(b)))
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


def _segments(notes: Notes, blocks: Sequence[Block] | None = None
              ) -> list[tuple[Segment, list[ast.Chain]]]:
    """Each readable segment with its chains: from ``blocks`` already parsed (the checker
    parses every block once, :mod:`derive.latex.blocks`), else parsed here."""
    if blocks is not None:
        return [(b.segment, list(b.chains)) for b in blocks if not b.error]
    out = []
    for seg in notes.segments:
        if seg.error:
            continue  # reported where the block is checked
        try:
            out.append((seg, parse_block(seg.text, seg.line, seg.col, (), notes.source,
                                         seg.positions)))
        except DeriveError:
            continue  # reported where the block is checked
    return out


def _declared(notes: Notes) -> tuple[dict[str, str], set[str], bool]:
    """Names declared by hand (name -> keyword), let heads, and whether auto is on."""
    names: dict[str, str] = {}
    heads: set[str] = set()
    auto = True  # inference is on unless the notes say '% derive: manual'
    for d in notes.directives:
        if d.keyword == "manual":
            auto = False
        elif d.keyword in ("size", "scalar"):
            for piece in d.rest.split(","):
                names[piece.strip()] = d.keyword
        elif d.keyword == "index":
            head = d.rest.split(" in ")[0]
            for piece in head.split(","):
                names[piece.strip()] = "index"
        elif d.keyword in ("tensor", "label"):
            body = d.rest.split(" in ")[0] if d.keyword == "label" else d.rest
            for m in re.finditer(r"(\\[A-Za-z]+(?:\{[^{}]*\})?|[A-Za-z])\s*(?=[_^])", body):
                names[m.group(1)] = d.keyword
        elif d.keyword == "let":
            m = re.match(r"\s*(\\[A-Za-z]+(?:\{[^{}]*\})?|[A-Za-z])", d.rest)
            if m:
                heads.add(m.group(1))
    return names, heads, auto


def _member_texts(seg: Segment, source: str) -> list[list[str]]:
    """The source text of each member of each chain of a segment (split at top-level =),
    after the character table (a pasted ``∑`` is ``\\sum``, so the slices are LaTeX)."""
    try:
        text = normalize(seg.text)[0]
    except UnknownCharacter:
        raise DeriveError(f"{source}:{seg.line}:{seg.col}: a character derive does not read"
                          ) from None
    tokens = tokenize(text, seg.line, seg.col, (), source=source)
    chains: list[list[str]] = [[]]
    depth = 0
    start = 0
    for tok in tokens:
        kind = tok.type
        if kind in ("LBRACE", "LPAREN", "LBRACK") or kind.startswith("BEGIN_"):
            depth += 1
        elif kind in ("RBRACE", "RPAREN", "RBRACK") or kind.startswith("END_"):
            depth -= 1
        elif depth == 0 and kind in ("EQ", "CHAINSEP"):
            chains[-1].append(text[start:tok.start_pos])
            if kind == "CHAINSEP":
                chains.append([])
            start = tok.start_pos + len(tok.value)
    chains[-1].append(text[start:])
    clean = [[re.sub(r"\\\\|&", " ", t).strip() for t in c] for c in chains]
    return clean


def _pattern_head(node: ast.Node) -> str | None:
    if isinstance(node, ast.Product) and len(node.items) == 2 and isinstance(
        node.items[1], ast.Group
    ) and node.items[1].delim == "(":
        node = node.items[0]
    if isinstance(node, ast.Letter):
        return node.name
    if isinstance(node, ast.Postfix) and isinstance(node.base, ast.Letter) and not node.primes:
        return node.base.name
    return None


@dataclass(frozen=True)
class Undefined:
    """A name the notes differentiate by other quantities (so a function of them) but never
    define: treating it as an independent quantity would make ``d name / d var`` zero."""

    name: str  # the quantity's head (``p``)
    spelling: str  # as first written with its indices (``p_{k}``)
    variables: frozenset[str]  # the heads it is differentiated by (``z``)
    line: int  # where it is first differentiated
    col: int
    #: how the notes make it depend on them: differentiated by them, or written through a
    #: function equal to an expression in them (\log(\lambda_i) = \beta^T x_i)
    how: str = "is differentiated by"

    def message(self) -> str:
        """What the user reads: the symbol, and where its definition would go."""
        var = ", ".join(sorted(self.variables))
        return (f"{self.spelling} {self.how} {var} (at {self.line}:{self.col}) but "
                f"never defined: add '% derive: let {self.spelling} = ...' or define it in the "
                f"text before line {self.line}; until then it is not read as a quantity "
                f"independent of {var}")


@dataclass
class Inference:
    """Everything inference reads from the notes (see the module docstring)."""

    directives: list[Directive]
    conflicts: list[str]
    #: names differentiated by others and never defined (their steps are unknown)
    undefined: dict[str, Undefined] = field(default_factory=dict)
    #: name -> (line, col) of the member or inline formula that defines it
    definitions: dict[str, tuple[int, int]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """What was inferred as lines a user can paste into the notes (``% derive: ...``;
        with ``% derive: manual`` beside them they give the same reading), then the
        conflicts and undefined names as ``%`` comments."""
        out = [f"% derive: {d.keyword} {' '.join(d.rest.split())}" for d in self.directives]
        out += [f"% conflict: {text}" for text in self.conflicts]
        out += [f"% undefined: {u.message()}" for u in self.undefined.values()]
        return out


def infer_directives(notes: Notes, blocks: Sequence[Block] | None = None) -> list[Directive]:
    """The declarations the notes imply and do not state (see the module docstring)."""
    return inference(notes, blocks).directives


def infer(notes: Notes) -> tuple[list[Directive], list[str]]:
    """The inferred declarations and the conflicts that left a letter undeclared."""
    found = inference(notes)
    return found.directives, found.conflicts


def _declared_at(notes: Notes, name: str) -> tuple[int, int]:
    """(line, col) of the hand-written declaration that names ``name``."""
    pat = re.compile(rf"(?<![A-Za-z\\]){re.escape(name)}(?![A-Za-z])")
    for d in notes.directives:
        m = pat.search(d.rest)
        if m is not None and d.keyword not in ("where", "assume", "skip"):
            return d.line, d.rest_col + m.start()
    return 0, 0


def _inline(notes: Notes) -> list[tuple[InlineDefinition, ast.Chain]]:
    """The prose definitions of the notes (derive.latex.prose) that parse as one equation."""
    out = []
    for d in inline_definitions(notes):
        try:
            chains = parse_block(f"{d.pattern} = {d.body}", d.line, d.col, (), notes.source)
        except DeriveError:
            continue
        if len(chains) == 1 and len(chains[0].members) == 2:
            out.append((d, chains[0]))
    return out


def inference(notes: Notes, blocks: Sequence[Block] | None = None) -> Inference:
    """The inferred declarations, the conflicts that left a letter undeclared, the names
    differentiated but never defined, and where each inferred definition is written.

    Raises DeriveError when the prose defines a name that a hand-written line declares as a
    quantity (both positions named). ``blocks``: the notes' blocks, already parsed."""
    declared, let_heads, auto = _declared(notes)
    parsed = _segments(notes, blocks)
    inline = _inline(notes) if auto else []
    facts = _Facts()
    for _, chains in parsed:
        for chain in chains:
            _collect(chain, facts)
    for _, chain in inline:
        _collect(chain, facts)
    for d in notes.directives:
        if d.keyword == "where":  # where i = k: both letters are indices
            facts.bound |= set(re.findall(r"(?<![\\A-Za-z])([a-z])(?![A-Za-z])", d.rest))
            continue
        if d.keyword in ("let", "assume", "tensor", "label"):
            text = d.rest.split(" in ")[0] if d.keyword == "label" else d.rest
            pieces = [p for _, p in split_top(text)] if d.keyword in ("tensor", "label") else [
                text]
            for piece in pieces:
                try:
                    for chain in parse_block(piece, d.line, d.rest_col, (), notes.source):
                        _collect(chain, facts)
                except DeriveError:
                    continue
    out: list[Directive] = []

    def emit(line: int, keyword: str, rest: str, col: int = 1) -> None:
        out.append(Directive(line=line, col=col, keyword=keyword, rest=rest, rest_col=col))

    # definitions: a chain whose first member is an undefined name, and a name defined in
    # the prose ("where $p_k = ...$"); the first one written wins
    candidates: list[tuple[int, int, str, str]] = []
    if auto:
        for seg, chains in parsed:
            if seg.continues:
                continue
            try:
                texts = _member_texts(seg, notes.source)
            except DeriveError:
                continue
            if len(texts) != len(chains):
                continue
            for chain, members in zip(chains, texts, strict=True):
                if len(chain.members) < 2 or len(members) != len(chain.members):
                    continue
                head = _pattern_head(chain.members[0])
                if head is None or head in SPECIAL or head in declared or refused(
                    chain.members[0], chain.members[1]
                ):
                    continue  # (y_i = 1, w_{t+1} = w_t - ...: derive.latex.infer_candidates)
                first = chain.members[0]
                candidates.append((first.line or seg.line, first.col or seg.col, head,
                                   "\x00".join(members)))
        for d, chain in inline:
            head = _pattern_head(chain.members[0])
            if head is None or head in SPECIAL or head in BUILTIN or head in let_heads or (
                refused(chain.members[0], chain.members[1])
            ):
                continue
            pattern = chain.members[0]
            if isinstance(pattern, ast.Product) and head in facts.arity:
                continue  # f(x, W) = W x beside f_j: a remark on where f comes from, f_j used
            if head in declared and not (
                (declared[head] in ("tensor", "label") and isinstance(pattern, ast.Postfix)
                 and pattern.subs) or (declared[head] == "scalar"
                                       and isinstance(pattern, ast.Letter))
            ):
                continue  # f(x, W) beside 'tensor f_j', K = N beside 'size K': theirs wins
            if head in declared:  # the same pattern declared and defined: two meanings
                line, col = _declared_at(notes, head)
                raise located(notes.source, d.line, d.col,
                              f"{d.pattern} = ... defines {head} in the text, but "
                              f"{notes.source}:{line}:{col} declares {head} as a "
                              f"{declared[head]}: expected one meaning (drop the declaration "
                              f"or the definition)")
            candidates.append((d.line, d.col, head, f"{d.pattern}\x00{d.body}"))
    auto_defs: list[tuple[int, int, str, str]] = []
    auto_heads: set[str] = set()
    for line, col, head, text in sorted(candidates, key=lambda c: (c[0], c[1])):
        if head not in auto_heads:
            auto_heads.add(head)
            auto_defs.append((line, col, head, text))
    defined = let_heads | auto_heads

    # sizes: single letters written as upper limits of sums
    sizes = {n for n, k in declared.items() if k == "size"}
    ranges: dict[str, tuple[str, str]] = {}
    conflicts: set[str] = set()
    seen_ranges: dict[str, list[tuple[str, str]]] = {}
    for _var, _lo, hi in facts.sums:
        if hi not in declared and hi not in facts.bound and not hi.isdigit() and (
            hi not in defined
        ):
            if hi not in sizes:
                sizes.add(hi)
                emit(0, "size", hi)
    for var, lo, hi in facts.sums:
        if var in declared:
            continue
        if hi in facts.bound or declared.get(hi) == "index":
            continue  # a limit that is another index (\sum_{j=1}^{c}) is part of a range
        seen_ranges.setdefault(var, [])
        if (lo, hi) not in seen_ranges[var]:
            seen_ranges[var].append((lo, hi))
    for var, seen in seen_ranges.items():
        # a sum over part of a range (\sum_{k=2}^K) is not another range; two different
        # upper limits are two dimensions
        if len({hi for _, hi in seen}) > 1:
            conflicts.add(var)
            continue
        ranges[var] = next(((lo, hi) for lo, hi in seen if lo == "1"), seen[0])
    # slots: a letter's range spreads to the slot and from the slot to its other letters
    slot_range: dict[tuple[str, int], tuple[str, str]] = {}
    for _ in range(3):
        for key, letters in facts.slots.items():
            for name in sorted(letters):
                if name in ranges and name not in conflicts:
                    slot_range.setdefault(key, ranges[name])
        for key, letters in facts.slots.items():
            if key in slot_range:
                for name in letters:
                    if name not in declared and name not in ranges and name not in sizes:
                        ranges[name] = slot_range[key]
    index_letters = set(facts.bound)
    for key, letters in facts.slots.items():
        if key[0] not in declared or declared[key[0]] in ("tensor", "label"):
            index_letters |= letters
    heads = {h for h, _ in facts.slots} | set(facts.arity)  # x in x_i names a quantity
    index_letters = {n for n in index_letters if not n.isdigit() and not n.startswith("\\")
                     and n not in heads and n not in defined
                     and (n not in SPECIAL or n == "d")
                     and n not in sizes and declared.get(n) not in ("size", "scalar")}
    for name in index_letters:  # d in 1..D, k in 1..K: the size spelt as the capital letter
        if name not in declared and name not in ranges and name.upper() in sizes and (
            name.upper() != name
        ):
            ranges[name] = ("1", name.upper())
    # letters that share a slot of some quantity run over the same range: one component
    # per dimension of the notes. A component with no range from a sum, a slot or a
    # capital-letter size gets one symbolic size of its own (a proof holds for every
    # positive size, so naming it loses nothing); two components never share one.
    unranged = sorted(n for n in index_letters if n not in declared and n not in ranges)
    parent = {n: n for n in unranged}

    def find(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for letters in facts.slots.values():
        members = [n for n in sorted(letters) if n in parent]
        for other in members[1:]:
            parent[find(other)] = find(members[0])
    components: dict[str, list[str]] = {}
    for n in unranged:
        components.setdefault(find(n), []).append(n)
    used = {hi for _, hi in ranges.values()}
    if len(components) == 1 and len(sizes) == 1 and not (sizes & used):
        # one dimension left and one size that no other dimension uses: that one
        (only,) = sizes
        for n in unranged:
            ranges[n] = ("1", only)
    else:
        spare = [c for c in ("n", "N", "K", "C", "m", "M", "Q", "R")
                 if c not in facts.letters and c not in declared and c not in sizes]
        for letters in components.values():
            if not spare:
                break
            fresh = spare.pop(0)
            sizes.add(fresh)
            emit(0, "size", fresh)
            for n in letters:
                ranges[n] = ("1", fresh)
    by_range: dict[tuple[str, str], list[str]] = {}
    for name in sorted(index_letters):
        if name in declared or name in conflicts or name not in ranges:
            continue
        by_range.setdefault(ranges[name], []).append(name)
    for (lo, hi), names in by_range.items():
        emit(0, "index", f"{', '.join(names)} in {lo}..{hi}")
    known_index = {n for n, k in declared.items() if k == "index"} | {
        n for names in by_range.values() for n in names}
    # labels: a quantity written in a slot of another one
    for label, (head, pos) in sorted(facts.label_uses.items()):
        if label in declared or label in defined or label in SPECIAL:
            continue
        rng = slot_range.get((head, pos)) or next(
            (ranges[n] for n in sorted(facts.slots.get((head, pos), ())) if n in ranges), None)
        use = facts.first_use.get(label)
        if rng is None or use is None or not all(s in known_index for s in use):
            continue
        emit(0, "label", f"{label}_{{{''.join(use)}}} in {rng[0]}..{rng[1]}")
        declared[label] = "label"
    # u^T v: u and v are vectors of one length the notes do not write (the features): a
    # symbolic size and an index of their own, one per group of quantities multiplied so
    hidden: dict[str, str] = {}
    free = lambda h: (h not in declared and h not in defined and h not in SPECIAL  # noqa: E731
                      and h not in known_index and h not in sizes)
    groups: list[set[str]] = []
    for a, na, b, nb in facts.partners:
        # theta^T x with theta_j elsewhere: theta is the vector over j, nothing is hidden;
        # theta_k^T x with theta_k its fullest use: the entries theta_k are vectors
        if not (free(a) and free(b)) or na < facts.arity.get(a, 0) or (
            nb < facts.arity.get(b, 0)
        ):
            continue
        touching = [g for g in groups if a in g or b in g]
        merged = {a, b}.union(*touching)
        groups = [g for g in groups if g not in touching] + [merged]
    taken = facts.letters | set(declared) | sizes
    for group in groups:
        # a size is one letter (a declaration reads nothing else); a group with no free
        # letter left gets no hidden size, and its quantities stay undeclared
        size = next((c for c in "DPQRFGHM" if c not in taken), None)
        letter = next((c for c in "dabefghlpqrstuvw" if c not in taken), None)
        if size is None or letter is None:
            continue
        taken |= {size, letter}
        emit(0, "size", size)
        emit(0, "index", f"{letter} in 1..{size}")
        for head in group:
            hidden[head] = letter
        known_index.add(letter)
    # tensors: subscripted names that are neither declared nor defined
    for head in sorted(set(facts.first_use) | set(hidden)):
        # the pattern of a quantity is its first use written with index letters: y_n in
        # y = \{y_1, \ldots, y_n\} writes the size n, y_i later the index; a use with
        # every slot first (x_{ij} beside the row x_i)
        typed = [u for u in facts.uses.get(head, ()) if all(s in known_index for s in u)]
        full = [u for u in typed if len(u) == facts.arity.get(head, len(u))]
        use = (full or typed or [facts.first_use.get(head, ())])[0]
        if head in declared or head in defined or head in SPECIAL or head in known_index or (
            head in facts.vectors and head not in hidden
        ):  # a quantity whose entries are vectors has a size the notes do not write
            continue
        if head in hidden:
            use = (*use, hidden[head])
        if all(s in known_index for s in use):
            emit(0, "tensor", f"{head}_{{{''.join(use)}}}")
    # domains the prose states ("where \\(y_i\\) is one-hot"): assume lines for a vector
    if auto:
        for rest in domain_assumptions(
            prose_domains(notes.text, notes.math),
            [d.rest for d in out if d.keyword == "tensor"], ranges,
        ):
            emit(0, "assume", rest)
    # the logistic function: \\sigma(z), sigmoid(z) used as a function and defined nowhere
    param = next(c for c in "tuvsrq" if c not in facts.letters)
    for name in SIGMOIDS:
        if name in facts.calls and name not in declared and name not in defined and (
            name not in facts.arity
        ):
            emit(0, "let", f"{name}({param}) = \\frac{{1}}{{1 + e^{{-{param}}}}}")
            defined = defined | {name}
    # scalars: a lower-case letter written bare everywhere (never subscripted, transposed,
    # bold, in a norm or before parentheses, never a size, an index or a definition)
    quantity_heads = set(facts.first_use) | set(facts.arity) | set(hidden) | {
        h for h, _ in facts.slots} | {a for a, _, b, _ in facts.partners} | {
        b for _, _, b, _ in facts.partners}
    scalars = sorted(
        n for n in facts.letters
        if _SCALAR.fullmatch(unlabelled(n)) and n not in declared and n not in defined
        and n not in sizes and n not in known_index and n not in facts.bound
        and n not in SPECIAL and n not in quantity_heads and n not in facts.transposed
        and n not in facts.normed and n not in facts.calls and n not in index_letters
        and not any(n in letters for letters in facts.slots.values())
        and n not in {label for label in facts.label_uses})
    if scalars:
        emit(0, "scalar", ", ".join(scalars))
    known = (set(declared) | sizes | known_index | defined | SPECIAL | BUILTIN | set(scalars)
             | {d.rest.split("_")[0] for d in out if d.keyword in ("tensor", "label")})
    definitions: dict[str, tuple[int, int]] = {}
    for line, col, head, text in auto_defs:
        members = text.split("\x00")
        body = _first_known(members, known, notes.source, line)
        if body is not None and _one_equation(f"{members[0]} = {body}", notes.source, line):
            emit(line, "let", f"{members[0]} = {body}", col)
            definitions[head] = (line, col)
    notes_on_conflicts = [
        f"{var} is summed over " + " and over ".join(f"{lo}..{hi}" for lo, hi in
                                                     seen_ranges[var])
        + f": declare it ('% derive: index {var} in ...'); its blocks stay unknown until then"
        for var in sorted(conflicts)]
    # never silently independent: a name differentiated by another quantity and defined
    # nowhere (by hand, in a display or in the prose)
    undefined: dict[str, Undefined] = {}
    quantities = {h for h, _, _, _ in facts.derived + facts.implicit} - set(declared) - set(
        definitions) - let_heads - known_index - sizes - BUILTIN - SPECIAL - {
        d.rest.split("(")[0] for d in out if d.keyword == "let"}
    named = set(declared) | set(definitions) | let_heads

    def plain(name: str) -> str:  # \mathbf{z} is the vector z
        m = re.fullmatch(r"\\(?:mathbf|boldsymbol|bm|vec)\{(\\?[A-Za-z]+)\}", name)
        return m.group(1) if m else name

    found = [(*f, "is differentiated by") for f in facts.derived] + [
        (*f, "is written as a function of") for f in facts.implicit]
    for head, var, line, col, how in sorted(found, key=lambda f: (f[2], f[3])):
        if head not in quantities or plain(head) in named or var in known_index or (
            var in sizes
        ):
            continue
        use = facts.first_use.get(head)
        spelling = head if not use else f"{head}_{use[0]}" if len(use) == 1 else (
            f"{head}_{{{''.join(use)}}}")
        old = undefined.get(head)
        if old is None:
            undefined[head] = Undefined(head, spelling, frozenset({var}), line, col, how)
        else:
            undefined[head] = Undefined(head, spelling, old.variables | {var}, old.line,
                                        old.col, old.how)
    return Inference(out, notes_on_conflicts, undefined, definitions)


def _one_equation(text: str, source: str, line: int) -> bool:
    """Does ``text`` read as one equation ``pattern = body``, as a ``let`` line must? (A
    member that holds a line break or a pasted character read as a relation does not.)"""
    try:
        chains = parse_block(text, line, 1, (), source)
    except DeriveError:
        return False
    return len(chains) == 1 and len(chains[0].members) == 2


def _first_known(members: list[str], known: set[str], source: str, line: int) -> str | None:
    """The first member after the name whose letters are all known names or indices."""
    for text in members[1:]:
        try:
            chains = parse_block(text, line, 1, (), source)
        except DeriveError:
            continue
        names = {n.name for c in chains for n in ast.walk(c) if isinstance(n, ast.Letter)}
        if names <= known:
            return text
    return None
