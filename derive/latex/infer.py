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
from derive.latex.basis_vectors import basis_let, is_basis_spelling, prose_bases
from derive.latex.blocks import Block
from derive.latex.call_powers import meets as powers_met
from derive.latex.chains import Directive, Notes
from derive.latex.definitions import prose_defines
from derive.latex.errors import located
from derive.latex.function_chains import function_pattern
from derive.latex.infer_candidates import refused
from derive.latex.infer_facts import FIXED_MEANINGS, SPECIAL, Facts, collect
from derive.latex.infer_partners import partner_slots
from derive.latex.infer_reading import (
    declared_at,
    first_known,
    hand_declared,
    member_texts,
    one_equation,
    pattern_head,
    prose_definitions,
    readable_prefix,
    readable_segments,
    unread_link_head,
)
from derive.latex.infer_shapes import BOLD, bold_shapes, design_matrices
from derive.latex.inverses import inverse_text, inverted
from derive.latex.naming_chains import body_members, naming_pattern
from derive.latex.numeral_names import names_in
from derive.latex.parser import parse_block
from derive.latex.prose import numeric_settings, sections
from derive.latex.prose_domains import domain_assumptions, prose_domains
from derive.latex.script_labels import LABEL_SUFFIX
from derive.latex.scripts import split_top
from derive.latex.sum_reach import meets
from derive.latex.superscripts import unlabelled

__all__ = ["Inference", "Undefined", "infer", "infer_directives", "inference"]


# the logistic function's spellings: defined by inference when used and never defined
SIGMOIDS = ("\\sigma", "\\text{sigmoid}")
# a letter that may be a real scalar: one lower-case Latin or Greek letter, or a numbered
# name of its own (x_1: derive.latex.numeral_names)
_NE_SUM = re.compile(r"\\(?:sum|prod)\s*_\s*\{[^{}]*(?:\\neq?(?![a-zA-Z])|≠)")
_SCALAR = re.compile(r"(?:[a-z]|\\(?:alpha|beta|gamma|epsilon|varepsilon|eta|theta|kappa|"
                     r"lambda|mu|nu|rho|sigma|tau|phi|varphi|omega|xi|zeta|psi))"
                     rf"(?:_\d+|{LABEL_SUFFIX})?")

# the fonts of a vector whose entries are written plain (\mathbf{z} beside z_j), as plain()
_VECTOR_FONTS = ("mathbf", "boldsymbol", "bm", "vec")

# function names the elaborator knows without a declaration
BUILTIN = frozenset({"\\text{softmax}", "\\text{logsumexp}", "\\text{diag}", "\\log",
                     "\\exp", "\\ln"})


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
    #: where the notes define it first, in a form derive does not read (a later equation
    #: for it is a claim about it, never its definition)
    unread: tuple[int, int] | None = None

    def message(self) -> str:
        """What the user reads: the symbol, and where its definition would go."""
        var = ", ".join(sorted(self.variables))
        if self.unread is not None:
            at = f"{self.unread[0]}:{self.unread[1]}"
            return (f"{self.spelling} {self.how} {var} (at {self.line}:{self.col}) and its "
                    f"first definition (at {at}) is not read: write it as '% derive: let "
                    f"{self.spelling} = ...'; until then it is not read as a quantity "
                    f"independent of {var}")
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
    #: lines where the text defines a name again with another body ("Now let a = 3x")
    redefinitions: list[int] = field(default_factory=list)
    #: a letter with a meaning of its own (``e``, :data:`FIXED_MEANINGS`) the notes define
    #: -> (line, col) of that definition: a step that writes it has two readings
    fixed: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: a plain name the prose sets to a number or states a condition on ("Let $a = 3$",
    #: "If $i = j$") -> where, and the line a condition stops applying at (None: a value):
    #: not free there, so a counterexample at another value refutes nothing
    settings: dict[str, list[tuple[int, int, int | None]]] = field(default_factory=dict)
    #: a name a display defines with a link derive does not read (``s \buildrel
    #: \text{def} \over = ...``) -> where: not free either
    unread_links: dict[str, tuple[int, int]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """What was inferred as lines a user can paste into the notes (``% derive: ...``;
        with ``% derive: manual`` beside them they give the same reading), then the
        conflicts and undefined names as ``%`` comments."""
        out = [f"% derive: {d.keyword} {' '.join(d.rest.split())}" for d in self.directives]
        out += [f"% conflict: {text}" for text in self.conflicts]
        out += [f"% undefined: {u.message()}" for u in self.undefined.values()]
        return out



def first_written(parsed: Sequence[tuple[object, Sequence[ast.Chain]]]
                  ) -> dict[str, tuple[int, int]]:
    """Where each name is first written in the notes' formulas (displays and inline maths),
    as ``(line, col)``."""
    out: dict[str, tuple[int, int]] = {}
    for _, chains in parsed:
        for chain in chains:
            for n in ast.walk(chain):
                if isinstance(n, ast.Letter) and n.line:
                    at = (n.line, n.col)
                    if n.name not in out or at < out[n.name]:
                        out[n.name] = at
    return out


def _builtin_at_entry(head: str, pattern: ast.Node) -> bool:
    """``\\text{softmax}(x_j) = ...``: a function derive knows, written at an entry of its
    argument. Its output at j, not a definition with the parameter ``x_j`` (which would
    replace softmax of every other argument; the builtin reads it as softmax(x)_j)."""
    if head not in BUILTIN or not isinstance(pattern, ast.Product) or len(pattern.items) != 2:
        return False
    arg = pattern.items[1]
    return isinstance(arg, ast.Group) and not (len(arg.items) == 1 and isinstance(
        arg.items[0], ast.Letter))

def _redefinitions(candidates: Sequence[tuple[int, int, str, str]], starts: Sequence[int]
                   ) -> list[str]:
    """A note for each name a later section defines again with another equation (issue 19,
    item 4): read as one file, the first definition would stand everywhere, so a step of the
    later section would be checked against the earlier meaning. The note is a conflict, so
    the file is read per section (derive.latex.section_readings), each with its own."""
    first: dict[str, dict[int, tuple[int, str]]] = {}
    for line, _col, head, text in sorted(candidates):
        if text:
            section = sum(1 for s in starts if s <= line)
            # the pattern and the first member after it: a chain that goes on (p = s(z) =
            # ...) is the same definition as its first link written alone
            said = " ".join(" = ".join(text.split("\x00")[:2]).split())
            first.setdefault(head, {}).setdefault(section, (line, said))
    out = []
    for head, by_section in sorted(first.items()):
        seen = sorted(by_section.values())
        if len({text for _, text in seen}) > 1:
            lines = " and ".join(str(line) for line, _ in seen)
            out.append(f"{head} is defined in more than one section (lines {lines}): each "
                       f"section is read with its own definition")
    return out


def _reaching(body: str, indices: set[str], source: str, line: int) -> bool:
    """Whether a definition's body has a sum whose letter a later term uses (\\sum_i a_i +
    b_i) or a call followed by a power (\\log(p)^{y}): its reading is a point
    (derive.latex.sum_reach, derive.latex.call_powers) and a definition is read without the
    ambiguity policy, so a true step using the name could be refuted."""
    try:
        chains = parse_block(body, line, 1, (), source)
    except DeriveError:
        return False
    return any(meets(m, frozenset(indices)) or powers_met(m) for c in chains
               for m in c.members)

_CALL_ENTRY = re.compile(r"^\s*(\\?[A-Za-z]+)\s*(\((?:[^()]|\([^()]*\))*\))\s*_\s*"
                         r"(\{\s*[a-z]\s*\}|[a-z])\s*$")


def call_entry(pattern: ast.Node, text: str) -> tuple[str, str] | None:
    r"""``f(z)_i`` written as a definition's pattern: (f, its text as the indexed function
    ``f_{i}(z)`` both readers read ``f(z)_i`` with), or None.

    >>> from derive.latex.parser import parse_expr_text
    >>> print(*call_entry(parse_expr_text("\\sigma(z)_i", 1, 1), "\\sigma(z)_i"))
    \sigma \sigma_{i}(z)
    """
    if not (isinstance(pattern, ast.Product) and len(pattern.items) == 2
            and isinstance(pattern.items[0], ast.Letter)
            and isinstance(pattern.items[1], ast.Postfix)
            and isinstance(pattern.items[1].base, ast.Group)
            and pattern.items[1].base.delim == "(" and len(pattern.items[1].subs) == 1
            and not pattern.items[1].sups and not pattern.items[1].primes):
        return None
    m = _CALL_ENTRY.match(text)
    if m is None or m.group(1) != pattern.items[0].name:
        return None
    index = m.group(3).strip("{} ")
    return m.group(1), f"{m.group(1)}_{{{index}}}{m.group(2)}"


def _same_body(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


def prose_redefinitions(found: Sequence[tuple[int, str, str]]
                        ) -> tuple[dict[str, tuple[int, int]], list[int]]:
    """The names the text defines twice with different bodies (``Let a = 2x`` ... ``Now let
    a = 3x``): name -> (first line, second line); and every line that redefines a name.
    Such a name has no one definition in one reading: it is left undefined there, and
    :mod:`derive.latex.section_readings` starts a new reading at each redefinition.

    >>> prose_redefinitions([(1, "a", "2x"), (5, "a", "3x"), (7, "b", "y"), (9, "b", " y")])
    ({'a': (1, 5)}, [5])
    """
    first: dict[str, tuple[int, str]] = {}
    twice: dict[str, tuple[int, int]] = {}
    lines: list[int] = []
    for line, head, body in sorted(found):
        if head not in first:
            first[head] = (line, body)
        elif not _same_body(first[head][1], body):
            twice.setdefault(head, (first[head][0], line))
            lines.append(line)
    return twice, sorted(set(lines))


def infer_directives(notes: Notes, blocks: Sequence[Block] | None = None) -> list[Directive]:
    """The declarations the notes imply and do not state (see the module docstring)."""
    return inference(notes, blocks).directives


def infer(notes: Notes) -> tuple[list[Directive], list[str]]:
    """The inferred declarations and the conflicts that left a letter undeclared."""
    found = inference(notes)
    return found.directives, found.conflicts


def inference(notes: Notes, blocks: Sequence[Block] | None = None,
              span: tuple[int, int] | None = None) -> Inference:
    """The inferred declarations, the conflicts that left a letter undeclared, the names
    differentiated but never defined, and where each inferred definition is written.

    Raises DeriveError when the prose defines a name that a hand-written line declares as a
    quantity (both positions named). ``blocks``: the notes' blocks, already parsed.
    ``span``: the lines ``[first, end)`` of one reading of a file whose sections give a
    letter two meanings (:mod:`derive.latex.section_readings`): only the displays in it are
    read, and the prose before its end, its own definitions first."""
    declared, let_heads, auto = hand_declared(notes)
    parsed = readable_segments(notes, blocks)
    inline = prose_definitions(notes, blocks) if auto else []
    if span is not None:
        lo, hi = span
        parsed = [(seg, chains) for seg, chains in parsed if lo <= seg.line < hi]
        inline = [(d, c) for d, c in inline if d.line < hi]
    facts = Facts()
    for _, chains in parsed:
        for chain in chains:
            collect(chain, facts)
    for _, chain in inline:
        collect(chain, facts)
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
                    for chain in parse_block(piece, d.line, d.rest_col,
                                             names_in(notes.directives), notes.source):
                        collect(chain, facts)
                except DeriveError:
                    continue
    out: list[Directive] = []

    def emit(line: int, keyword: str, rest: str, col: int = 1) -> None:
        out.append(Directive(line=line, col=col, keyword=keyword, rest=rest, rest_col=col))

    # definitions: a chain whose first member is an undefined name, and a name defined in
    # the prose ("where $p_k = ...$"); the first one written wins
    candidates: list[tuple[int, int, str, str]] = []
    shapes: dict[tuple[int, int], str] = {}  # where a display candidate is -> its pattern
    meanings: dict[str, tuple[int, int]] = {}  # e = y - t: a letter with a meaning, defined
    unread_links: dict[str, tuple[int, int]] = {}  # s \buildrel..\over= ...: defined, unread
    if auto:
        for seg, chains in parsed:
            if seg.continues:
                continue
            if seg.inline and not any(function_pattern(c) for c in chains):
                continue  # an inline formula's definition is read from the prose, below
            try:
                texts: list[list[str]] | None = member_texts(seg, notes.source)
            except DeriveError:
                texts = None
            if texts is None or len(texts) != len(chains):
                # the chains are not read as definitions, but the first one written for a
                # name claims it: a later equation for it is no definition of its own
                for chain in chains:
                    head = pattern_head(chain.members[0]) if len(chain.members) > 1 else None
                    if head is not None and head not in SPECIAL and head not in declared:
                        first = chain.members[0]
                        at = (first.line or seg.line, first.col or seg.col)
                        shapes[at] = ast.shape(first)
                        candidates.append((*at, head, ""))
                continue
            for chain, members in zip(chains, texts, strict=True):
                unread_head = unread_link_head(chain, members)
                if unread_head is not None and unread_head not in declared:
                    # s \buildrel\text{def}\over= ...: a definition whose link derive does
                    # not read claims its name (a later equation for it is a claim)
                    first = chain.members[0]
                    at = (first.line or seg.line, first.col or seg.col)
                    shapes[at] = ast.shape(ast.Letter(name=unread_head))
                    candidates.append((*at, unread_head, ""))
                    unread_links.setdefault(unread_head, at)
                    continue
                if len(chain.members) < 2 or len(members) != len(chain.members):
                    continue
                # a member derive does not read (``a = 2x \qquad b = 3x`` taken as a
                # condition) has no text of its own to quote, nor do the members after it:
                # the chain reads up to it (with nothing left, the pattern is only claimed)
                members = members[:readable_prefix(chain)]
                # A = g(B) = expr: the chain defines g as well (derive.latex.function_chains)
                second = function_pattern(chain)
                if second is not None and second not in declared and second not in SPECIAL:
                    at = chain.members[1]
                    candidates.append((at.line or seg.line, at.col or seg.col, second,
                                       "\x00".join(members[1:])))
                pattern = chain.members[0]
                head = pattern_head(pattern)
                if isinstance(pattern, ast.Letter) and pattern.name in FIXED_MEANINGS:
                    meanings.setdefault(pattern.name, (pattern.line or seg.line,
                                                       pattern.col or seg.col))
                entry = call_entry(pattern, members[0]) if head is None and members else None
                if entry is not None:  # \sigma(\mathbf{z})_i = ...: the function \sigma_i
                    head, members = entry[0], [entry[1], *members[1:]]
                solved = inverted(pattern) if head is None else None
                if solved is not None:  # \log(\lambda_i) = b: \lambda_i = \exp(b)
                    texts_of = [inverse_text(members[0], m) for m in members[1:]]
                    if not texts_of or any(t is None for t in texts_of):
                        continue
                    head, pattern = solved.head, solved.name
                    members = [texts_of[0][0], *(t[1] for t in texts_of if t)]
                if head is None or head in SPECIAL or head in declared or _builtin_at_entry(
                        head, pattern) or refused(pattern, chain.members[1]):
                    continue  # (y_i = 1, w_{t+1} = w_t - ...: derive.latex.infer_candidates)
                first = chain.members[0]
                shapes[first.line or seg.line, first.col or seg.col] = ast.shape(first)
                candidates.append((first.line or seg.line, first.col or seg.col, head,
                                   "\x00".join(members)))
        # A = B = p_i: a chain that ends with a name written there first names its value
        # (derive.latex.naming_chains): the first member whose names are known is its body
        firsts = first_written(parsed)
        # a sum's limit or an index letter is a size or an index, never a value named
        # by a chain (sum_i 1 = K beside sum_{k=1}^{K}: K stays the size)
        counters = {t.strip() for _, lo, hi in facts.sums for t in (lo, hi) if t} | set(
            facts.bound).union(*facts.slots.values())
        for seg, chains in parsed:
            named = [naming_pattern(c) for c in chains] if not seg.continues else []
            if not any(named):
                continue
            try:
                texts = member_texts(seg, notes.source)
            except DeriveError:
                continue
            if texts is None or len(texts) != len(chains):
                continue
            for chain, head, members in zip(chains, named, texts, strict=True):
                if head is None or head in declared or head in let_heads or head in SPECIAL or (
                    head in BUILTIN or head in counters
                ) or len(members) != len(chain.members):
                    continue
                last = chain.members[-1]
                at = (last.line or seg.line, last.col or seg.col)
                if firsts.get(head, at) < at:
                    continue  # written before: a quantity, the link is a claim about it
                bodies = [members[k] for k in body_members(chain)]
                if not bodies:
                    continue
                shapes[at] = ast.shape(last)
                candidates.append((*at, head, "\x00".join([members[-1], *bodies])))
        for d, chain in inline:
            head = pattern_head(chain.members[0])
            if isinstance(chain.members[0], ast.Letter) and head in FIXED_MEANINGS:
                meanings.setdefault(head, (d.line, d.col))
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
                line, col = declared_at(notes, head)
                raise located(notes.source, d.line, d.col,
                              f"{d.pattern} = ... defines {head} in the text, but "
                              f"{notes.source}:{line}:{col} declares {head} as a "
                              f"{declared[head]}: expected one meaning (drop the declaration "
                              f"or the definition)")
            candidates.append((d.line, d.col, head, f"{d.pattern}\x00{d.body}"))
    auto_defs: list[tuple[int, int, str, str]] = []
    auto_heads: set[str] = set()
    first = span[0] if span is not None else 0
    # an inline equation after a defining word ("Let", "Soit", "Now let") defines its name;
    # beside one, a bare inline equation of the same name ("it is not $q = 2x$") is a
    # claim, never its definition; two such words with other bodies redefine the name
    inline_at = {(d.line, d.col) for d, _ in inline}
    cued = {(d.line, d.col) for d, _ in inline if prose_defines(notes.text, d.line, d.col)}
    cued_heads = {c[2] for c in candidates if (c[0], c[1]) in cued}
    candidates = [c for c in candidates if (c[0], c[1]) not in inline_at
                  or (c[0], c[1]) in cued or c[2] not in cued_heads]
    # the first equation of such a name (a display, "$$ a = 2x $$") counts too
    firsts: dict[str, tuple[int, int, str, str]] = {}
    for c in sorted(c for c in candidates if c[0] >= first):
        firsts.setdefault(c[2], c)
    redefined, redefinitions = prose_redefinitions(
        [(c[0], c[2], [*c[3].split("\x00"), ""][1]) for c in candidates
         if c[0] >= first and ((c[0], c[1]) in cued
                               or (c[2] in cued_heads and firsts.get(c[2]) == c))])
    # a first definition derive does not read (text "") claims its pattern: a later one
    # written with the same pattern is no definition (no silent pick of the second)
    unread: dict[str, tuple[int, int]] = {}
    claimed: set[str] = set()
    for line, col, head, text in sorted(candidates, key=lambda c: (c[0] < first, c[0], c[1])):
        if head in auto_heads or head in redefined:
            continue
        if not text:
            unread.setdefault(head, (line, col))
            claimed.add(shapes[line, col])
            continue
        auto_heads.add(head)
        if shapes.get((line, col)) in claimed:
            text = ""  # the name stays undefined
        auto_defs.append((line, col, head, text))
    # a name claimed by a first definition derive does not read is not defined by it
    defined = let_heads | {h for _, _, h, text in auto_defs if text}
    sectioned = _redefinitions(candidates, sections(notes)) if auto else []

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
    def plain(name: str) -> str:  # \mathbf{z} is the vector z
        m = re.fullmatch(r"\\(?:mathbf|boldsymbol|bm|vec)\{(\\?[A-Za-z]+)\}", name)
        return m.group(1) if m else name

    hidden: dict[str, str] = {}
    hidden_size: dict[str, str] = {}  # hidden index letter -> its size
    # (bold capitals are matrices, read with their products: derive.latex.infer_shapes)
    # \mathbf{x} beside x_i: the bold name is the vector of the entries x_i (the elaborator
    # and the referee read it so when only x is declared); a hidden size of its own would
    # make a true \mathbf{w}^T \mathbf{x} = \sum_i w_i x_i refuted
    entries = lambda h: plain(h) != h and (  # noqa: E731
        plain(h) in facts.first_use or declared.get(plain(h)) in ("tensor", "label"))
    free = lambda h: (h not in declared and h not in defined and h not in SPECIAL  # noqa: E731
                      and h not in known_index and h not in sizes and not entries(h)
                      and not (is_basis_spelling(h) and h in facts.first_use)
                      and not (BOLD.fullmatch(h) and plain(h)[-1:].isupper()))
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
        hidden_size[letter] = size
        for head in group:
            hidden[head] = letter
        known_index.add(letter)
    # w^T x_i with w the vector over j (w_j elsewhere): the x_i are vectors over j too
    # (x_{ij}); the only reading in which the product is one number (infer_partners)
    for head, letter in partner_slots(facts, hidden, free, plain, {
            n: ranges[n][1] for n in known_index if ranges.get(n, ("",))[0] == "1"}).items():
        hidden[head] = letter
        hidden_size.setdefault(letter, ranges[letter][1])
    # standard basis vectors the prose names (derive.latex.basis_vectors): a let of the
    # length of their index's range; an e_k the prose does not name is never a quantity of a
    # hidden size (it stays undeclared, its steps unknown)
    basis_notes: list[str] = []
    for basis in (prose_bases(notes.text, notes.math) if auto else []):
        if span is not None and basis.line >= span[1]:
            continue
        spelling = f"{basis.head}_{{{basis.letter}}}"
        if basis.head in declared or basis.head in defined:
            if basis.head not in {n.split("_")[0] for n in basis_notes}:
                basis_notes.append(f"{spelling} is called a standard basis vector in the text "
                                   f"(line {basis.line}) but is declared or defined otherwise: "
                                   "that declaration or definition is read")
            continue
        rng = ranges.get(basis.letter) if basis.letter in known_index else None
        let = basis_let(basis.head, basis.letter, rng, basis.space)
        if let is None:
            basis_notes.append(
                f"{spelling} is called a standard basis vector in the text (line {basis.line}) "
                f"but {basis.letter} has no range 1..size of the space it names: its length is "
                f"not known; declare it ('% derive: let {spelling} = ...')")
            continue
        emit(0, "let", let)
        defined = defined | {basis.head}
    # p_i beside a vector defined in bold alone (\mathbf{p} = \text{softmax}(z)): the bold
    # name's entries, read from its definition, never a quantity of their own
    # (a vector written from its entries, \mathbf{z} = [z_1, z_2], is not: the entries are
    # the quantities there)
    def of_entries(name: str, body: str) -> bool:
        return re.search(rf"(?<![\\A-Za-z]){re.escape(name)}\s*_", body) is not None

    def unbold(name: str) -> str:  # \hat{\mathbf{y}}, \mathbf{\hat{y}} -> \hat{y}
        return re.sub(r"\\(?:mathbf|boldsymbol|bm|vec)\{([^{}]*(?:\{[^{}]*\})?)\}", r"\1", name)

    bold_defined = {unbold(h) for _, _, h, text in auto_defs
                    if text and unbold(h) != h and "".join(text.split("\x00")[0].split()) == h
                    and not of_entries(unbold(h), " ".join(text.split("\x00")[1:]))}
    bold_defined |= {unbold(m.group(1)) for d in notes.directives if d.keyword == "let" and (
        m := re.match(r"\s*(\\[A-Za-z]+\{(?:[^{}]|\{[^{}]*\})*\})\s*(?:=|:=)(.*)", d.rest))
        is not None and unbold(m.group(1)) != m.group(1)
        and not of_entries(unbold(m.group(1)), m.group(2))}
    bold_defined -= set(defined) | set(declared)
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
        ) or is_basis_spelling(head) or head in bold_defined or (
            entries(head) and head not in hidden
        ):  # \mathbf{w}_k beside w_{kd}: the font of w, its row k (never scalars of its own)
            # a quantity whose entries are vectors has a size the notes do not write; e_k
            # not named a basis vector by the prose has no reading (derive.latex.basis_vectors)
            continue
        if head in hidden:
            use = (*use, hidden[head])
        if all(s in known_index for s in use):
            emit(0, "tensor", f"{head}_{{{''.join(use)}}}")
    slot_heads = set(facts.first_use) | set(facts.arity) | set(hidden) | {
        h for h, _ in facts.slots}
    quantity_heads = slot_heads | {a for a, _, b, _ in facts.partners} | {
        b for _, _, b, _ in facts.partners}
    # bold names written bare: vectors and matrices, their sizes from the products they
    # are in (derive.latex.infer_shapes)
    emitted = {d.rest.split("_")[0] for d in out if d.keyword == "tensor"}
    nonscalar = set(facts.arity) | set(facts.first_use) | facts.transposed | facts.normed | (
        emitted) | {n for n, k in declared.items() if k in ("tensor", "label")}
    # vectors already declared (one slot over a known range): their bold spelling too
    fixed = {h: (hidden[h], hidden_size[hidden[h]]) for h in hidden
             if BOLD.fullmatch(h) and not facts.arity.get(h)}
    for d in out:
        m = re.fullmatch(r"(\\?[A-Za-z]+)_\{([a-z])\}", d.rest.strip())
        if d.keyword == "tensor" and m and m.group(2) in ranges and (
            ranges[m.group(2)][0] == "1"
        ):
            for spelling in (m.group(1), *(f"\\{f}{{{m.group(1)}}}" for f in (
                    "mathbf", "boldsymbol", "bm"))):
                fixed.setdefault(spelling, (m.group(2), ranges[m.group(2)][1]))
    matrices = design_matrices(
        facts.letters, out, lambda n: n in declared or n in defined or n in SPECIAL
        or n in emitted or n in slot_heads or n in facts.arity or n in facts.first_use
        or n in sizes or n in known_index,
        lambda letter: hidden_size.get(letter) or (
            ranges[letter][1] if ranges.get(letter, ("",))[0] == "1" else None))
    shapes = bold_shapes(
        [c for _, chains in parsed for c in chains] + [c for _, c in inline],
        lambda n: all(m not in declared and m not in defined and m not in SPECIAL
                      and m not in known_index and m not in sizes and m not in emitted
                      and m not in facts.arity and m not in facts.first_use
                      and m not in slot_heads for m in (n, plain(n)))
        and plain(n) not in ("I", "0")
        # X beside x_i (or \mathbf{x}): a design matrix built from the rows x_i; declared on
        # its own it would be unrelated to them, so a true ||y - Xw||^2 = sum_i (y_i -
        # w^T x_i)^2 would be refuted: never a tensor of its own, only the matrix of the
        # x_{id} where its uses fit that shape (design_matrices, 'matrices' below)
        and not (plain(n).isupper() and plain(n).lower() in {plain(m) for m in facts.letters}),
        facts.letters | {plain(n) for n in facts.letters} | set(declared) | sizes
        | known_index, nonscalar=nonscalar, fixed=fixed,
        matrices={n: rows for n, (rows, _) in matrices.items()})
    for size in shapes.sizes:
        sizes.add(size)
        emit(0, "size", size)
    for rest in shapes.indices:
        emit(0, "index", rest)
        known_index.add(rest.split(" in ")[0])
    for rest in shapes.tensors:
        emit(0, "tensor", rest)
    for name in shapes.aliases:  # X beside x_{id}: the matrix whose row i is x_i
        emit(0, "let", f"{name} = {matrices[name][1]}")
    conflict_notes = list(shapes.conflicts) + basis_notes
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
    # \mathbf{z} beside z_j (a tensor over one index): the vector of its entries, as both
    # readers read it
    known |= {f"\\{font}{{{d.rest.split('_')[0].strip()}}}" for d in out
              if d.keyword == "tensor" and re.fullmatch(r"\s*[A-Za-z]_\{[a-z]\}\s*", d.rest)
              for font in _VECTOR_FONTS}
    # and beside z_j = ... defined: the vector of the defined entries (read so by both, or
    # not at all: the step is then unknown)
    known |= {f"\\{font}{{{h}}}" for _, _, h, text in auto_defs if text and re.fullmatch(
        r"[A-Za-z]\s*_\s*(?:\{\s*[a-z]\s*\}|[a-z])", text.split("\x00")[0].strip())
        for font in _VECTOR_FONTS}
    definitions: dict[str, tuple[int, int]] = {}
    numbered = names_in(notes.directives)
    for line, col, head, text in auto_defs:
        if not text:  # its first definition is not read: the name stays undefined
            continue
        members = text.split("\x00")
        body = first_known(members, known, notes.source, line, numbered)
        # a sum over a \neq b in the body: which letters it binds is a reading point the
        # policy decides per step (derive.latex.ambiguity); a definition is read without it,
        # so a true step using the name would be refuted: the name stays undefined
        if body is not None and _NE_SUM.search(body) is None and not _reaching(
                body, known_index, notes.source, line) and one_equation(
                f"{members[0]} = {body}", notes.source, line, numbered):
            emit(line, "let", f"{members[0]} = {body}", col)
            definitions[head] = (line, col)
        else:  # written, not read: a step that needs it says where it is
            unread.setdefault(head, (line, col))
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

    found = [(*f, "is differentiated by") for f in facts.derived] + [
        (*f, "is written as a function of") for f in facts.implicit]
    for head, var, line, col, how in sorted(found, key=lambda f: (f[2], f[3])):
        if head not in quantities or plain(head) in named or var in known_index or (
            var in sizes
        ) or head in bold_defined:
            continue
        use = facts.first_use.get(head)
        spelling = head if not use else f"{head}_{use[0]}" if len(use) == 1 else (
            f"{head}_{{{''.join(use)}}}")
        old = undefined.get(head)
        if old is None:
            undefined[head] = Undefined(head, spelling, frozenset({var}), line, col, how,
                                        unread.get(head))
        else:
            undefined[head] = Undefined(head, spelling, old.variables | {var}, old.line,
                                        old.col, old.how, old.unread)
    # an undefined name written bare (L, \mathcal{L}): a scalar quantity, so its steps are
    # read; its derivatives are opaque (derive.latex.undefined_derivatives), never zero
    bare = sorted(h for h in undefined if h not in facts.first_use and h not in facts.arity
                  and h not in scalars and h not in SIGMOIDS and not h.startswith("\\math"))
    if bare:
        emit(0, "scalar", ", ".join(bare))
    conflict_notes += [f"{head} is defined in the text at line {lines[0]} and again, with "
                       f"another body, at line {lines[1]}: each definition is read in its own "
                       "part of the notes (a heading or the second definition starts it)"
                       for head, lines in sorted(redefined.items())]
    conflict_notes += [f"{name} is defined at line {at[0]} and is also {FIXED_MEANINGS[name]}: "
                       f"a step that writes {name} has both readings and stays unknown; "
                       "rename it" for name, at in sorted(meanings.items())]
    settings: dict[str, list[tuple[int, int, int | None]]] = {}
    for line, col, name, end in numeric_settings(notes) if auto else ():
        if span is None or line < span[1]:
            settings.setdefault(name, []).append((line, col, end))
    return Inference(out, notes_on_conflicts + conflict_notes + sectioned, undefined,
                     definitions,
                     redefinitions, meanings, settings, unread_links)
