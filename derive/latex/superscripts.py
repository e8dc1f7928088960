"""How a superscript is read: a power, a transpose, or a label that names another symbol.

``z^{[l]}``, ``W^{[2]}``, ``W^{(l,k)}`` are *labels*: the layer, sample or iteration the
symbol belongs to, never a power (nobody writes ``x^{[2]}`` for x squared). A label is
folded into the name (:func:`fold`): ``z^{[l]}_j`` is the letter ``z^{[l]}`` with index j,
a symbol distinct from ``z`` and from ``z^{[l-1]}``. The parser folds these decided labels
at once, so declarations, inference and the checker all read the same name.

A parenthesised single letter (``x^{(i)}``) is left to :func:`derive.latex.scripts.
split_scripts` (a sample index where the letter is an index). A bare letter (``a_j^L``)
may be a power or a layer label: the ambiguity policy decides it from the notes, or checks
both readings (``sup-label`` in :mod:`derive.latex.ambiguity`), and so does parenthesised
arithmetic in letters (``h^{(t-1)}`` an iteration label, ``\\theta^{(1-x)}`` a power:
:func:`paren_label`). ``^T``, ``^\\top``,
``^\\mathsf{T}``, ``^{-1}`` and numbers are never labels.

>>> from derive.latex.parser import parse_block
>>> parse_block(r"z^{[l]}_j", 1, 1)[0].members[0].base.name
'z^{[l]}'
>>> parse_block(r"W^{(l,k)}", 1, 1)[0].members[0].name
'W^{(l,k)}'
>>> type(parse_block(r"x^{(i)}", 1, 1)[0].members[0]).__name__
'Postfix'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from derive.latex import ast

__all__ = [
    "NEVER_LABELS",
    "SupFacts",
    "bare_label",
    "fold",
    "fold_parens",
    "folded_name",
    "label_spelling",
    "parameter_power",
    "paren_label",
    "relabel",
    "spell",
    "sup_facts",
    "unlabelled",
]

#: superscript letters that are never a label: transposes, primes, stars, daggers
NEVER_LABELS = frozenset({"T", "\\top", "\\intercal", "\\prime", "\\ast", "*", "\\dagger",
                          "\\star", "H", "\\mathsf{T}"})


def spell(node: object) -> str | None:
    """The LaTeX of a small label (letters, numbers, ``+``/``-``, brackets, commas);
    ``None`` for anything else (then it is not a label)."""
    if isinstance(node, ast.Letter):
        return node.name
    if isinstance(node, ast.Num):
        return node.text
    if isinstance(node, ast.Group) and node.delim in ("(", "[") and not node.curly:
        inner = [spell(x) for x in node.items]
        if any(x is None for x in inner):
            return None
        close = ")" if node.delim == "(" else "]"
        return node.delim + ",".join(x for x in inner if x is not None) + close
    if isinstance(node, ast.Add):
        out = ""
        for sign, term in node.terms:
            text = spell(term)
            if text is None:
                return None
            out += (sign if out or sign == "-" else "") + text
        return out
    if isinstance(node, ast.Product):
        parts = [spell(x) for x in node.items]
        return None if any(x is None for x in parts) else "".join(p for p in parts if p)
    if isinstance(node, ast.Seq):
        parts = [spell(x) for x in node.items]
        return None if any(x is None for x in parts) else ",".join(p for p in parts if p)
    return None


def label_spelling(sup: ast.Node) -> str | None:
    """The spelling of ``sup`` when it is a label decided by its brackets alone:
    ``[l]``, ``[2]``, ``[l-1]`` (square brackets), ``(t-1)``, ``(t+1)``, ``(l,k)``
    (parentheses around more than one letter or number). ``None`` otherwise: a power, a
    transpose, or ``(i)``/``(2)`` (left to the sample-index reading)."""
    if not isinstance(sup, ast.Group) or sup.curly or sup.delim not in ("(", "["):
        return None
    if sup.delim == "(" and len(sup.items) == 1 and isinstance(
            sup.items[0], (ast.Letter, ast.Num, ast.Postfix)):
        return None
    if sup.delim == "(" and len(sup.items) == 1 and isinstance(sup.items[0], ast.Add):
        return None  # (-1), (2+1): arithmetic; (t-1), (1-x): a label or a power (paren_label)
    return spell(sup)


def _one_superscript(node: ast.Node) -> tuple[ast.Letter, ast.Node] | None:
    """``(base, superscript)`` of a letter (not ``e``, ``\\log``, ``\\exp``, ``\\ln``) with
    exactly one superscript and no prime: the only shape a label can have."""
    if not isinstance(node, ast.Postfix) or node.primes or len(node.sups) != 1:
        return None
    base = node.base
    if not isinstance(base, ast.Letter) or base.name == "e" or base.name.startswith(
            ("\\log", "\\exp", "\\ln")):
        return None
    return base, node.sups[0]


def paren_label(node: ast.Node) -> tuple[ast.Letter, str, frozenset[str]] | None:
    """``(base, spelling, letters)`` when ``node`` is a letter with one parenthesised
    superscript of arithmetic in letters (``h^{(t-1)}``, ``\\theta^{(1-x)}``): an iteration
    label or a power, which the brackets alone do not decide (the ambiguity policy's
    ``sup-label`` point does); ``None`` otherwise.

    >>> from derive.latex.parser import parse_block
    >>> paren_label(parse_block(r"\\theta^{(1-x)}", 1, 1, tolerant=True)[0].members[0])[1:]
    ('(1-x)', frozenset({'x'}))
    >>> paren_label(parse_block(r"w^{(2+1)}", 1, 1, tolerant=True)[0].members[0]) is None
    True
    """
    found = _one_superscript(node)
    if found is None:
        return None
    base, sup = found
    if not (isinstance(sup, ast.Group) and sup.delim == "(" and not sup.curly
            and len(sup.items) == 1 and isinstance(sup.items[0], ast.Add)):
        return None
    spelling = spell(sup)
    letters = frozenset(n.name for n in ast.walk(sup.items[0]) if isinstance(n, ast.Letter))
    if spelling is None or not letters:
        return None
    return base, spelling, letters


def fold_parens(chains: list[ast.Chain], everywhere: bool = False) -> list[ast.Chain]:
    """``chains`` with ``h^{(t-1)}`` folded into the label ``h^{(t-1)}`` where the block
    itself writes one of its letters as a label (``h^{(t)}``), or ``everywhere`` (a
    declaration line: its author names the symbol). Elsewhere the superscript stays for the
    ambiguity policy (``\\theta^x \\theta^{(1-x)}``: a power, or a label).

    >>> from derive.latex.parser import parse_block
    >>> parse_block(r"h^{(t)} = h^{(t-1)}", 1, 1, tolerant=True)[0].members[1].name
    'h^{(t-1)}'
    >>> type(parse_block(r"w^{(t-1)} = 1", 1, 1, tolerant=True)[0].members[0]).__name__
    'Postfix'
    """
    labels = None if everywhere else sup_facts(chains).labels

    def fn(node: ast.Node) -> ast.Node:
        found = paren_label(node)
        if found is None or (labels is not None and not found[2] & labels):
            return node
        assert isinstance(node, ast.Postfix)
        return relabel(node, found[0], found[1])

    if labels is not None and not labels:
        return chains
    return [ast.rebuild(c, fn) for c in chains]  # type: ignore[misc]


def folded_name(base: str, spelling: str) -> str:
    """The name of ``base`` labelled ``spelling``: ``z^{[l]}``."""
    return f"{base}^{{{spelling}}}"


def relabel(node: ast.Postfix, base: ast.Letter, spelling: str) -> ast.Node:
    """``node`` (``base`` with one superscript) with that superscript folded into the name
    ``base^{spelling}``; its subscripts and primes stay.

    >>> from derive.latex.parser import parse_block
    >>> node = parse_block(r"a_j^L", 1, 1, tolerant=True)[0].members[0]
    >>> relabel(node, node.base, "L").base.name
    'a^{L}'
    """
    named = replace(base, name=folded_name(base.name, spelling))
    return named if not node.subs and not node.primes else replace(node, base=named, sups=())


def unlabelled(name: str) -> str:
    """The letter a labelled name is written with: ``z^{[l]}`` -> ``z`` (its kind, scalar
    or not, is the letter's); a name without a label is itself.

    >>> unlabelled("z^{[l]}"), unlabelled("W^{[2]}^{[a]}"), unlabelled("x")
    ('z', 'W', 'x')
    """
    cut = name.find("^{")
    return name if cut <= 0 else name[:cut]


def fold(base: ast.Node, subs: tuple[ast.Node, ...], sups: tuple[ast.Node, ...]
         ) -> tuple[ast.Node, tuple[ast.Node, ...]]:
    """``base`` with its leading decided labels folded into its name, and the superscripts
    left (a power or transpose after the label stays one: ``W^{[2]\\top}`` is the
    transpose of ``W^{[2]}``)."""
    if not isinstance(base, ast.Letter) or base.name == "e":
        return base, sups
    rest = list(sups)
    while rest:
        head = rest[0]
        tail: tuple[ast.Node, ...] = ()
        if isinstance(head, ast.Product) and head.items and isinstance(head.items[0],
                                                                       ast.Group):
            # ^{[2]\top}: the label, then the transpose
            tail = head.items[1:]
            head = head.items[0]
        spelling = label_spelling(head)
        if spelling is None:
            break
        base = ast.Letter(name=folded_name(base.name, spelling), line=base.line, col=base.col)
        rest = rest[1:]
        if tail:
            rest.insert(0, tail[0] if len(tail) == 1 else ast.Product(
                items=tail, line=tail[0].line, col=tail[0].col))
    return base, tuple(rest)


def bare_label(node: ast.Node) -> tuple[ast.Letter, str] | None:
    """``(base, letter)`` when ``node`` is a letter with one bare-letter superscript that
    could be a label (``a_j^L``, ``W^l``); ``None`` for ``^T``, ``^\\top``, numbers, ``e^x``
    and anything else."""
    found = _one_superscript(node)
    if found is None:
        return None
    base, sup = found
    if not isinstance(sup, ast.Letter) or sup.name in NEVER_LABELS:
        return None
    return base, sup.name


def parameter_power(node: ast.Node, subs: tuple[ast.Node, ...],
                    args: tuple[ast.Node, ...] | None,
                    values: Mapping[ast.Node, object]) -> ast.Letter | None:
    """The parameter ``x`` when ``node`` is ``x^2`` (no index, no call) in the body of a
    function whose parameter ``x`` has a value: the argument is what gets the power."""
    if args is not None or subs or not isinstance(node, ast.Postfix):
        return None
    base = node.base
    if isinstance(base, ast.Letter) and base in values:
        return base
    return None


@dataclass(frozen=True)
class SupFacts:
    """What the notes say about superscript letters: ``labels`` are written as labels
    somewhere (``^{[l]}``, ``^{(t)}``, ``^{(t-1)}``), ``powers`` inside an exponent that is
    arithmetic (``^{n-1}``, ``^{2n}``, ``^{-L}``)."""

    labels: frozenset[str] = frozenset()
    powers: frozenset[str] = frozenset()


_ONE_LETTER = re.compile(r"(?<![\\A-Za-z])[A-Za-z](?![A-Za-z])")


def sup_facts(trees: Iterable[object]) -> SupFacts:
    """The label and exponent letters of ``trees`` (every member of every block).

    >>> from derive.latex.parser import parse_block
    >>> t = parse_block(r"z^{[l]} + h^{(t)} + x^{n-1} + a^L + e^{-s}", 1, 1)
    >>> f = sup_facts(t)
    >>> sorted(f.labels), sorted(f.powers)
    (['l', 't'], ['n', 's'])
    """
    labels: set[str] = set()
    powers: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Letter) and "^{" in node.name:
                for spelling in re.findall(r"\^\{(.*?)\}(?=\^|$)", node.name):
                    labels.update(_ONE_LETTER.findall(spelling))
            if not isinstance(node, ast.Postfix):
                continue
            for sup in node.sups:
                if isinstance(sup, ast.Group) and sup.delim in ("(", "[") and len(
                        sup.items) == 1 and isinstance(sup.items[0], ast.Letter):
                    labels.add(sup.items[0].name)
                elif isinstance(sup, (ast.Add, ast.Product, ast.Frac, ast.Neg)):
                    powers.update(n.name for n in ast.walk(sup) if isinstance(n, ast.Letter)
                                  and _ONE_LETTER.fullmatch(n.name))
    return SupFacts(frozenset(labels), frozenset(powers))
